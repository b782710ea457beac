"""Find a Graphviz renderer and write pictures: real ``dot`` first, else the
``graphviz-pure`` binary from PyPI; the DOT source is always written.
"""
from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import sysconfig

FORMATS = ("svg", "png", "pdf", "dot", "gv")


class RendererNotFound(RuntimeError):
    """No Graphviz binary could render the picture."""


@functools.lru_cache(maxsize=None)
def find_renderer() -> str | None:
    """Path of a working dot-compatible binary, or None."""
    candidates = [shutil.which("dot"), shutil.which("graphviz-pure"),
                  os.path.join(sysconfig.get_path("scripts"), "graphviz-pure"),
                  os.path.join(os.path.dirname(sys.executable), "graphviz-pure")]
    for path in candidates:
        if path and os.path.isfile(path) and _works(path):
            return path
    return None


def _works(binary: str) -> bool:
    try:
        result = subprocess.run([binary, "-Tsvg"], input=b"digraph{a}", capture_output=True,
                                timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0 and b"<svg" in result.stdout


def configure_graphviz() -> str | None:
    """Point the ``graphviz`` package (Jupyter display, ``.pipe()``) at our renderer."""
    binary = find_renderer()
    if binary is not None:
        import graphviz.backend.dot_command as dot_command
        dot_command.DOT_BINARY = binary
    return binary


MARKER = "// tinygrad_edu: the DOT source of"

# Graphviz stops at a NUL byte ("syntax error") and UTF-8 has no lone surrogates, so a label
# holding either would fail to draw: such characters are shown as visible stand-ins instead.
_UNDRAWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def drawable(text: str) -> str:
    """``text`` with control characters shown as their Unicode pictures (NUL as ␀) and
    lone surrogates as �, so that Graphviz and UTF-8 can take any label.

    >>> drawable("a\\x00b"), drawable("\\ud800x")
    ('a␀b', '�x')
    """
    return _UNDRAWABLE.sub(_stand_in, text)


def _stand_in(match) -> str:
    code = ord(match.group())
    if code >= 0xD800:
        return "\ufffd"
    return "\u2421" if code == 0x7F else chr(0x2400 + code)


def _ours_or_absent(path: str) -> bool:
    if not os.path.lexists(path):
        return True
    if not os.path.isfile(path):  # a device or FIFO (opening one could block): not ours
        return False
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.readline().startswith(MARKER)


def render(graph, path, renderer: str | None = "auto") -> str:
    """Write ``graph`` (a graphviz.Digraph or DOT text) to ``path``; the format comes
    from the extension (.svg, .png, .pdf, or .dot for the source alone).

    The DOT source is written first (``path`` with .dot, or ``path`` + .dot when a .dot
    file of the user's own is already there), so it survives a missing renderer; then
    ``RendererNotFound`` says how to install one, and ``RenderFailed`` what went wrong.
    """
    path = os.fspath(path)
    fmt = os.path.splitext(path)[1].lstrip(".").lower()
    if fmt not in FORMATS:
        raise ValueError(f"render: unknown format {fmt!r} for {path}; expected one of {FORMATS}")
    source = drawable(graph if isinstance(graph, str) else graph.source)
    dot_path = path if fmt in ("dot", "gv") else os.path.splitext(path)[0] + ".dot"
    if dot_path != path and not _ours_or_absent(dot_path):
        dot_path = path + ".dot"  # never overwrite a .dot file the user wrote
    from ..core.files import atomic_write, writable_target
    writable_target(path)  # a device, FIFO or folder: refused before anything is written
    atomic_write(dot_path, f"{MARKER} {os.path.basename(path)}\n{source}")
    if fmt in ("dot", "gv"):
        return path
    binary = find_renderer() if renderer == "auto" else renderer
    if binary is None:
        raise RendererNotFound(
            f"render: no Graphviz renderer found to make {path}. Install Graphviz "
            "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz) or "
            f"pip install graphviz-pure. The DOT source was written to {dot_path}.")
    if fmt == "pdf" and "graphviz-pure" in os.path.basename(binary):
        raise RendererNotFound(f"render: graphviz-pure cannot write PDF ({path}); install "
                               f"Graphviz for PDF, or use .svg/.png. DOT source: {dot_path}")
    atomic_write(path, _run_renderers(source, fmt, [binary] if renderer != "auto" else None))
    return path


def svg_text(graph, timeout: float = 60) -> str:
    """The picture as SVG text, for pages that inline it (same renderers and limits as
    ``render``)."""
    source = drawable(graph if isinstance(graph, str) else graph.source)
    return _run_renderers(source, "svg", None, timeout).decode("utf-8")


class RenderFailed(RuntimeError):
    """Every renderer failed (crashed, ran out of time or memory) on this graph."""


MEMORY_LIMIT = 4 * 1024 ** 3  # bytes of address space a renderer may use (dot has eaten 24 GB)


def _limit_memory():  # runs in the renderer's process, before it starts
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _run_renderers(source: str, fmt: str, binaries, timeout: float = 60) -> bytes:
    """Render with the first binary that succeeds: real ``dot``, then ``graphviz-pure``
    (Graphviz 2.43's dot crashes on some dense graphs), each under a time and memory
    limit. Returns the output (the caller writes it, atomically)."""
    if binaries is None:
        binaries = [b for b in (find_renderer(), shutil.which("graphviz-pure"),
                                os.path.join(os.path.dirname(sys.executable), "graphviz-pure"))
                    if b and os.path.isfile(b)]
        binaries = list(dict.fromkeys(binaries))
        if fmt == "pdf":
            binaries = [b for b in binaries if "graphviz-pure" not in os.path.basename(b)]
    if not binaries:
        raise RendererNotFound("render: no Graphviz renderer found; install Graphviz "
                               "(apt-get install graphviz) or pip install graphviz-pure")
    failures = []
    for binary in binaries:
        command = [binary, f"-T{fmt}"]
        try:
            result = subprocess.run(command, input=source.encode("utf-8"), capture_output=True,
                                    timeout=timeout, preexec_fn=_limit_memory)
        except subprocess.TimeoutExpired:
            failures.append(f"{os.path.basename(binary)} took over {timeout:.0f} s")
            continue
        if result.returncode == 0:
            return result.stdout
        why = f"crashed (signal {-result.returncode})" if result.returncode < 0 else \
            (result.stderr.decode(errors="replace").strip().splitlines() or ["failed"])[-1]
        failures.append(f"{os.path.basename(binary)} {why}")
    raise RenderFailed(f"render: Graphviz could not lay out this graph ({'; '.join(failures)}). "
                       "Draw fewer nodes: collapse modules (--collapse yes / collapse=True), a "
                       "smaller expression, or one sample instead of a batch")
