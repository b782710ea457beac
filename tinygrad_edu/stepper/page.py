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
from .frames import build_frames, display_names

PAGE_NODE_LIMIT = 3000  # nodes; past this a page is no longer readable (nor quick to build)
WHOLE_VIEW_LIMIT = 160  # shapes; a larger graph opens as one view per module, drilled into
HEAT_SIDE = 16          # heat maps show at most 16 x 16 cells (larger arrays are pooled)


class PageTooLarge(ValueError):
    """The graph has more nodes than a readable stepper page holds."""


def build_page(root, predict: bool = False, title: str = "Backprop, step by step",
               frames=None) -> str:
    """A whole HTML document stepping through ``root``'s forward and backward pass."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title></head><body>"
            f"{build_fragment(root, predict, title, frames)}</body></html>\n")


def build_fragment(root, predict: bool = False, title: str = "Backprop, step by step",
                   frames=None) -> str:
    """The stepper as one ``<div>`` (style, SVG, data and script inside): what a notebook
    shows inline, and what ``build_page`` wraps."""
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
    return (f'<div class="tg-stepper">{_asset("stepper.css", "style")}'
            f'<div class="tg-head"><b>{html.escape(title)}</b> <span class="tg-counter">'
            f'{html.escape(first.title)}</span></div>'
            f'<div class="tg-controls"></div>'
            f'<div class="tg-main"><div class="tg-graph"><div class="tg-where"></div>'
            + "".join(f'<div class="tg-view"{"" if k == 0 else " hidden"}>{svg}</div>'
                      for k, svg in enumerate(svgs)) + '</div>'
            f'<div class="tg-side"><pre class="tg-lines">{html.escape(static)}</pre>'
            f'<div class="tg-quiz"></div><div class="tg-detail"></div></div></div>'
            f'<script type="application/json" class="tg-data">{_json(data)}</script>'
            f'{_asset("stepper.js", "script")}</div>')


def page_data(root, frames, predict: bool, title: str) -> dict:
    """Everything the page's script needs, as JSON-ready data (and the views' SVGs)."""
    from ..core.graph import topological_order
    from ..viz.flow import GradientFlow
    from ..viz.style import colour_for, magnitude
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
        me["heatGrad"] = _heat(step.upstream)
        for p in step.parents:
            pid = ids[id(p.parent)]
            nodes[pid]["contributions"].append({
                "from": names[id(step.node)], "upstream": format_number(step.upstream),
                "local": p.rule and _local_text(p, step.node, names),
                "contribution": format_number(p.contribution)})
            note = step.node._op.vanishing_note(p.local)
            if note:
                nodes[pid]["note"] = f"gradient dies at {names[id(step.node)]}: {note}"
    views, svgs = _views(root, order, ids, names, flow)
    return {"title": title, "predict": bool(predict), "nodes": nodes, "views": views,
            "svgs": svgs, "tolerance": {"rel": ANSWER_REL_TOL, "abs": ANSWER_ABS_TOL},
            "frames": [{"phase": f.phase, "cursor": f.cursor, "title": f.title,
                        "lines": list(f.lines),
                        "changes": [[c.node_id, c.value, c.grad] for c in f.changes],
                        "questions": [{"parent": q.parent, "prompt": q.prompt,
                                       "answer": _finite(q.answer)}
                                      for q in f.questions]} for f in frames]}


def _views(root, order, ids, names, flow) -> tuple:
    """The graph's views and their SVGs: the whole graph when it is small, else one view
    per module (that module open, each other one a box), starting from the outermost."""
    from ..viz.graph import draw_view
    from ..viz.modules import module_names, node_paths
    from ..viz.style import edge_colour_for, magnitude
    shapes = sum(2 if n.parents else 1 for n in order)
    paths = node_paths(order)[0]
    focuses = [None]
    if shapes > WHOLE_VIEW_LIMIT and any(paths.values()):
        start = _shared_prefix(list(paths.values()))  # the first view shows two or more things
        focuses = sorted({p[:d] for p in paths.values() for d in range(len(start), len(p) + 1)},
                         key=len)
    index = {focus: k for k, focus in enumerate(focuses)}
    dotted = module_names({f for f in focuses if f})
    views, svgs = [], []
    for focus in focuses:
        dot, view = draw_view(root, focus, names)
        svgs.append(_svg(dot))
        edges = {}
        for (tail, head), links in view["links"].items():
            size = sum(magnitude(flow.grad_of(src) if dst is None else
                                 flow.contributions.get((id(src), id(dst)), 0.0))
                       for src, dst in links if flow.has_grad(dst if dst is not None else src))
            owner = max(ids[id(src if dst is None else dst)] for src, dst in links)
            colour = edge_colour_for(size, flow.smallest, flow.largest) if flow.largest > 0 else "#555"
            edges[f"{tail}->{head}"] = [owner, colour]
        views.append({"name": "the whole graph" if focus is None else
                      dotted[focus].partition(".")[2] or dotted[focus] if focus else "the graph",
                      "parent": index.get(focus[:-1]) if focus else None,
                      "where": [view["where"][i] for i in range(len(order))], "edges": edges,
                      "expand": {name: index[path] for name, path in view["groups"].items()
                                 if path in index}})
    return views, svgs


def _node_entry(node, names, formula) -> dict:
    data = np.asarray(node.data)
    return {"name": names[id(node)], "formula": formula, "value": format_number(node.data),
            "shape": list(data.shape) if isinstance(node.data, np.ndarray) else None,
            "dtype": str(data.dtype) if isinstance(node.data, np.ndarray) else "float",
            "first": _first_values(node.data), "op": bool(node.parents), "grad": "",
            "contributions": [],
            "heatValue": _heat(node.data) if isinstance(node.data, np.ndarray) else None}


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


def _finite(v):
    """JSON has no nan or inf: those travel as None (the page writes them as text)."""
    v = float(v)
    return v if np.isfinite(v) else None


def _heat(x):
    """A 2-D grid of at most HEAT_SIDE x HEAT_SIDE means of |x|'s layout, or None."""
    arr = np.asarray(x, dtype=np.float64)
    if arr.size < 2:
        return None
    grid = arr.reshape(arr.shape[0], -1) if arr.ndim > 1 else arr.reshape(1, -1)
    rows = -(-grid.shape[0] // HEAT_SIDE)
    cols = -(-grid.shape[1] // HEAT_SIDE)
    pooled = [[float(grid[r:r + rows, c:c + cols].mean()) for c in range(0, grid.shape[1], cols)]
              for r in range(0, grid.shape[0], rows)]
    return [[_finite(round(v, 6)) for v in row] for row in pooled]


def _shared_prefix(paths: list) -> tuple:
    """The longest module path that every node's path starts with."""
    shortest = min(paths, key=len)
    for depth, module in enumerate(shortest):
        if any(p[depth] is not module for p in paths):
            return shortest[:depth]
    return shortest


def _svg(dot) -> str:
    from ..viz.renderer import svg_text
    svg = svg_text(dot)
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype: it sits inside HTML
    return re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)  # graphviz's comments: 15% of it


def _json(data) -> str:
    """JSON that cannot end its <script> element early: '<', '>' and '&' escaped."""
    text = json.dumps(data, separators=(",", ":"), allow_nan=False, default=_plain)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"page data: cannot store {type(value).__name__}")


def _asset(name: str, tag: str) -> str:
    text = resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")
    return f"<{tag}>{text}</{tag}>"


def save_page(text: str, path) -> str:
    """Write a page atomically: a temporary file beside ``path``, then a rename (a device,
    FIFO or socket at ``path`` is refused untouched; see ``core/files.py``)."""
    from ..core.files import atomic_write
    # A lone surrogate in a label has no UTF-8 form: written as U+FFFD, as a browser shows it.
    return atomic_write(path, re.sub("[\ud800-\udfff]", "\ufffd", text))
