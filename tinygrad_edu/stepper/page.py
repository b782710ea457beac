"""The stepper as one self-contained HTML page: the graph as inline SVG (laid out by
Graphviz when the page is built), the frames as data, inline CSS and JavaScript. No
request to any network; it works opened from disk, and inline in Jupyter.

The page reads the SAME frames the terminal shows (``build_frames``), so the two never
disagree on a number. Every text a user gave (labels, names) travels as JSON data and
is put on the page with ``textContent``: it is shown, never run.

>>> from tinygrad_edu.scalar import Value
>>> x = Value(2.0, label="x"); y = x * x; y.label = "y"
>>> page = build_page(y)
>>> page.startswith("<!DOCTYPE html>") and "x.grad += 1 x d(y)/d(x)" in page
True
"""
from __future__ import annotations

import html
import json
import re
from importlib import resources

import numpy as np

from ..core.backward import trace_backward
from ..core.text import format_number
from . import layout
from .heat import _finite, heat, pictures
from .frames import build_frames, display_names

PAGE_NODE_LIMIT = 3000  # nodes; past this a page is no longer readable (nor quick to build)
SCRIPTS = ("stepper_view.js", "stepper_detail.js", "stepper_math.js", "stepper_quiz.js", "stepper.js")  # one scope


class PageTooLarge(ValueError):
    """The graph has more nodes than a readable stepper page holds."""


def build_page(root, predict: bool = False, title: str = "Backprop, step by step",
               frames=None) -> str:
    """A whole HTML document stepping through ``root``'s forward and backward pass."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title></head><body style=\"margin: 0\">"
            f"{build_fragment(root, predict, title, frames, full=True)}</body></html>\n")


def build_fragment(root, predict: bool = False, title: str = "Backprop, step by step",
                   frames=None, full: bool = False) -> str:
    """The stepper as one ``<div>`` (style, SVG, data and script inside): what a notebook
    shows inline, and what ``build_page`` wraps (``full``: the graph takes the window's
    height)."""
    frames = build_frames(root) if frames is None else frames
    nodes = frames[0].timeline.names
    if len(nodes) > PAGE_NODE_LIMIT:
        raise PageTooLarge(
            f"stepper page: the graph has {len(nodes):,} nodes, more than a readable page holds "
            f"({PAGE_NODE_LIMIT:,}); step a smaller graph (one sample, a smaller batch or "
            "layer), or draw this one with draw_graph(root, collapse=True)")
    data = page_data(root, frames, predict, title)
    svgs = data.pop("svgs")
    first = frames[0]
    static = "\n".join(first.lines)
    scripts = "".join(_asset(name) for name in SCRIPTS)
    return (f'<div class="tg-stepper{" tg-full" if full else ""}">{_asset("stepper.css", "style")}'
            f'<div class="tg-head"><b>{html.escape(title)}</b> <span class="tg-counter">'
            f'{html.escape(first.title)}</span></div>'
            f'<div class="tg-controls"></div>'
            f'<div class="tg-main"><div class="tg-graph"><div class="tg-where"></div>'
            + "".join(f'<div class="tg-view"{"" if k == 0 else " hidden"}>{svg}</div>'
                      for k, svg in enumerate(svgs)) + '<div class="tg-legend"></div></div>'
            f'<div class="tg-side"><pre class="tg-lines">{html.escape(static)}</pre>'
            f'<div class="tg-quiz"></div><div class="tg-detail"></div></div></div>'
            f'<script type="application/json" class="tg-data">{_json(data)}</script>'
            f'<script>(function () {{\n"use strict";\n{scripts}}})();</script></div>')


def page_data(root, frames, predict: bool, title: str) -> dict:
    """Everything the page's script needs, as JSON-ready data (and the views' SVGs)."""
    from ..core.graph import topological_order
    from ..viz.flow import GradientFlow
    from ..viz.style import colour_for, font_for, magnitude
    from .driver import ANSWER_ABS_TOL, ANSWER_REL_TOL

    order = topological_order(root)
    ids = {id(n): i for i, n in enumerate(order)}
    names = display_names(order)
    steps = trace_backward(root)
    flow = GradientFlow.trace(root, steps)
    nodes = [_node_entry(n, names, frames[0].timeline.formulas[i]) for i, n in enumerate(order)]
    for step in steps:
        me = nodes[step.node_id]
        me["grad"] = format_number(step.upstream)
        me["fill"] = colour_for(magnitude(step.upstream), flow.smallest, flow.largest) \
            if flow.largest > 0 else ""
        me["ink"] = font_for(me["fill"]) if me["fill"] else ""
        me["heatGrad"] = heat(step.upstream)
        for p in step.parents:
            pid = ids[id(p.parent)]
            nodes[pid]["contributions"].append({
                "from": names[id(step.node)], "upstream": format_number(step.upstream),
                "local": p.rule and _local_text(p, step.node, names),
                "contribution": format_number(p.contribution)})
            note = step.node._op.vanishing_note(p.local)
            if note:
                nodes[pid]["note"] = f"gradient dies at {names[id(step.node)]}: {note}"
    shorts = _short_grads(frames, steps, len(order))
    widest = {}
    for frame_shorts, frame in zip(shorts, frames):
        for change, text in zip(frame.changes, frame_shorts):
            if text and len(text) > len(widest.get(change.node_id, "")):
                widest[change.node_id] = text
    views, svgs = layout.views(root, order, ids, names, flow, widest)
    return {"title": title, "predict": bool(predict), "nodes": nodes, "views": views,
            "svgs": svgs, "tolerance": {"rel": ANSWER_REL_TOL, "abs": ANSWER_ABS_TOL},
            "legend": _legend(flow),
            "frames": [{"phase": f.phase, "cursor": f.cursor, "title": f.title,
                        "lines": list(f.lines),
                        "changes": [[c.node_id, c.value, c.grad, short]
                                    for c, short in zip(f.changes, frame_shorts)],
                        "questions": [{"parent": q.parent, "prompt": q.prompt, "hint": q.hint,
                                       "working": q.working, "shown": format_number(q.answer),
                                       "answer": _finite(q.answer)}
                                      for q in f.questions]} for f, frame_shorts in zip(frames, shorts)]}


def _short_grads(frames, steps, forward: int) -> list:
    """Per frame, per change, the gradient as the node's box writes it (None: no gradient)."""
    out = [[None] * len(f.changes) for f in frames[:forward]]
    for step in steps:
        out.append([layout.short_grad(step.upstream)] +
                   [layout.short_grad(p.total) for p in step.parents])
    return out


def _legend(flow) -> dict | None:
    """The gradient colour scale: palette from small to large |grad| (log), its ends."""
    from ..viz.style import NONFINITE, PALETTE, VANISHED
    if not flow.largest > 0:
        return None
    return {"colours": list(PALETTE), "low": format_number(flow.smallest, digits=3),
            "high": format_number(flow.largest, digits=3), "vanished": VANISHED,
            "nonfinite": NONFINITE}


def _node_entry(node, names, formula) -> dict:
    data = np.asarray(node.data)
    return {"name": names[id(node)], "formula": formula, "value": format_number(node.data),
            "shown": layout.node_text(node),
            "shape": list(data.shape) if isinstance(node.data, np.ndarray) else None,
            "dtype": str(data.dtype) if isinstance(node.data, np.ndarray) else "float",
            "first": _first_values(node.data), "op": bool(node.parents), "grad": "",
            "contributions": [],
            "heatValue": heat(node.data) if isinstance(node.data, np.ndarray) else None,
            "pictures": pictures(node.data, is_data=not node.parents and not node.requires_grad)
            if isinstance(node.data, np.ndarray) else None}


def _first_values(x, count: int = 6) -> str | None:
    """A few values of a larger array (the summary hides them): '0.1, -0.3, ... (64 in all)'."""
    if not isinstance(x, np.ndarray) or x.size <= 8:
        return None
    shown = ", ".join(format_number(v, digits=4) for v in x.reshape(-1)[:count])
    return f"{shown}, ... ({x.size:,} in all)"


def _local_text(p, node, names) -> str:
    from ..core.text import fill_rule
    words = fill_rule(p.rule, node, lambda n: names[id(n)])
    return words if p.local is None else f"{words} = {format_number(p.local)}"


def _json(data) -> str:
    """JSON that cannot end its <script> element early: '<', '>' and '&' escaped."""
    text = json.dumps(data, separators=(",", ":"), allow_nan=False, default=_plain)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"page data: cannot store {type(value).__name__}")


def _asset(name: str, tag: str | None = None) -> str:
    text = resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")
    return f"<{tag}>{text}</{tag}>" if tag else text


def save_page(text: str, path) -> str:
    """Write a page atomically: a temporary file beside ``path``, then a rename (a device,
    FIFO or socket at ``path`` is refused untouched; see ``core/files.py``)."""
    from ..core.files import atomic_write
    # A lone surrogate in a label has no UTF-8 form: written as U+FFFD, as a browser shows it.
    return atomic_write(path, re.sub("[\ud800-\udfff]", "\ufffd", text))
