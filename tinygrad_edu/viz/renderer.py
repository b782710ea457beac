"""Find a Graphviz renderer and write pictures: real ``dot`` first, else the
``graphviz-pure`` binary from PyPI; the DOT source is always written.
"""
from __future__ import annotations

import functools
import os
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


def render(graph, path, renderer: str | None = "auto") -> str:
    """Write ``graph`` (a graphviz.Digraph or DOT text) to ``path``; the format comes
    from the extension (.svg, .png, .pdf, or .dot for the source alone).

    The DOT source is written first (``path`` with .dot), so it survives a missing
    renderer; then ``RendererNotFound`` says how to install one.
    """
    path = os.fspath(path)
    fmt = os.path.splitext(path)[1].lstrip(".").lower()
    if fmt not in FORMATS:
        raise ValueError(f"render: unknown format {fmt!r} for {path}; expected one of {FORMATS}")
    source = graph if isinstance(graph, str) else graph.source
    dot_path = path if fmt in ("dot", "gv") else os.path.splitext(path)[0] + ".dot"
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(dot_path, "w", encoding="utf-8") as f:
        f.write(source)
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
    result = subprocess.run([binary, f"-T{fmt}", "-o", path], input=source.encode("utf-8"),
                            capture_output=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"render: {os.path.basename(binary)} failed on {dot_path}: "
                           f"{result.stderr.decode(errors='replace').strip()}")
    return path


def svg_text(graph, timeout: float = 60) -> str:
    """The picture as SVG text, for pages that inline it. Uses the renderer ``render``
    uses; if a real ``dot`` fails (Graphviz 2.43 crashes on some dense graphs) the
    ``graphviz-pure`` binary gets a second try."""
    source = (graph if isinstance(graph, str) else graph.source).encode("utf-8")
    tried = []
    for binary in (find_renderer(), shutil.which("graphviz-pure"),
                   os.path.join(os.path.dirname(sys.executable), "graphviz-pure")):
        if not binary or binary in tried or not os.path.isfile(binary):
            continue
        tried.append(binary)
        try:
            result = subprocess.run([binary, "-Tsvg"], input=source, capture_output=True,
                                    timeout=timeout)
        except subprocess.TimeoutExpired:
            continue
        if result.returncode == 0 and b"<svg" in result.stdout:
            return result.stdout.decode("utf-8")
    if not tried:
        raise RendererNotFound("svg_text: no Graphviz renderer found; install Graphviz "
                               "(apt-get install graphviz) or pip install graphviz-pure")
    raise RuntimeError(f"svg_text: Graphviz could not lay out this graph ({', '.join(map(os.path.basename, tried))} "
                       "failed); draw a smaller graph or collapse it into modules")
