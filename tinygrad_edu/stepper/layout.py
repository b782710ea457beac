"""The stepper page's pictures: each view of the graph laid out by Graphviz as SVG, with
labels made for reading from the back of a room (a short name, the value, room for the
gradient the page writes in once backward reaches the node).

Views: the whole graph when it is small, else one view per module (that module open,
each other one a box). Top to bottom, because a graph's chain of ops is much longer than
it is wide, and a pane is about as tall as it is wide.

>>> from tinygrad_edu.scalar import Value
>>> node_text(Value(2.0)), short_grad(-1.5), short_grad(np.array([0.5, -2.0, 1.0]))
('data 2', '-1.5', '|max| 2')
"""
from __future__ import annotations

import html
import re

import numpy as np

from ..core.text import format_number

WHOLE_VIEW_LIMIT = 160  # shapes; a larger graph opens as one view per module, drilled into
FONT_SIZE = "16"        # points: the pane scales the picture, this keeps text large beside it
DOT_LIMIT = 150         # shapes in a view: Graphviz lays out more slowly than a page should take
DOT_SECONDS = 6         # (x and w feeding 60 products: 2 s left to right, 44 s top to bottom)


def node_text(node) -> str:
    """What a box says under its name: a number's value, or an array's shape."""
    data = node.data
    if isinstance(data, np.ndarray) and data.size != 1:
        return "(" + ", ".join(map(str, data.shape)) + ("," if data.ndim == 1 else "") + ")"
    return f"data {format_number(data, digits=4)}"


def short_grad(g) -> str:
    """A gradient as a box says it: the number, or an array's largest magnitude."""
    arr = np.asarray(g, dtype=np.float64)
    if arr.size == 1:
        return format_number(arr, digits=4)
    return f"|max| {format_number(np.max(np.abs(arr)) if arr.size else 0.0, digits=4)}"


def views(root, order, ids, names, flow, widest: dict) -> tuple:
    """(views, svgs): per view its name, its parent view, where each node is shown, its
    edges (owner node, colour) and the boxes that open another view; and its SVG.
    ``widest`` maps node index -> the longest gradient text it will show (box width)."""
    from ..viz.graph import draw_view
    from ..viz.modules import module_names, node_paths
    shapes = sum(2 if n.parents else 1 for n in order)
    paths = node_paths(order)[0]
    focuses = [None]
    if shapes > WHOLE_VIEW_LIMIT and any(paths.values()):
        start = _shared_prefix(list(paths.values()))  # the first view shows two or more things
        focuses = sorted({p[:d] for p in paths.values() for d in range(len(start), len(p) + 1)},
                         key=len)
    index = {focus: k for k, focus in enumerate(focuses)}
    dotted = module_names({f for f in focuses if f})
    out, svgs = [], []
    for focus in focuses:
        dot, view = draw_view(root, focus, names, rankdir="TB")
        labels = _labels(view, order, names, widest, dotted)
        svgs.append(_svg(dot, labels, view, order))
        out.append({"name": "the whole graph" if focus is None else
                    dotted[focus].partition(".")[2] or dotted[focus] if focus else "the graph",
                    "parent": index.get(focus[:-1]) if focus else None,
                    "where": [view["where"][i] for i in range(len(order))],
                    "edges": _edges(view, ids, flow),
                    "expand": {name: index[path] for name, path in view["groups"].items()
                               if path in index}})
    return out, svgs


def _labels(view, order, names, widest, dotted) -> dict:
    """DOT name -> label rows (text, bold) of each value box drawn: its name in bold, then
    its value and, sized for it now, the gradient the page writes in later."""
    labels = {}
    for i, node in enumerate(order):
        if view["where"][i] == f"v{i}":
            value = node_text(node) + (f" | grad {widest[i]}" if i in widest else "")
            labels[f"v{i}"] = [(names[id(node)], True), (value, False)]
            if node.parents:
                labels[f"o{i}"] = [(node.op, False)]
    for name, path in view["groups"].items():
        labels[name] = [(dotted.get(path, name), True), ("(click to open)", False)]
    return labels


def _svg(dot, labels, view, order) -> str:
    """Graphviz's layout when it can make one in time, else the plain layered one."""
    from ..viz.renderer import RenderFailed, svg_text
    from .plain_layout import plain_svg
    shapes = len(labels)
    if shapes <= DOT_LIMIT:
        _relabel(dot, labels)
        try:
            svg = svg_text(dot, timeout=DOT_SECONDS)
            svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype: it sits inside HTML
            return re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)  # graphviz's comments: 15% of it
        except RenderFailed:
            pass
    ops = {name for name in labels if name[0] == "o"}
    return plain_svg(labels, list(view["links"]), ops=ops)


def _relabel(dot, labels) -> None:
    """Give each drawn node the page's label and type size. (A node stated again in DOT
    keeps its place and takes the new attributes.)"""
    dot.attr(ranksep="0.2", nodesep="0.25")
    for name, rows in labels.items():
        if name[0] == "v":
            text = "<BR/>".join(f"<B>{html.escape(t)}</B>" if bold else html.escape(t) for t, bold in rows)
            dot.node(name, label=f"<{text}>", fontsize=FONT_SIZE)
        elif name[0] == "o":
            dot.node(name, fontsize=FONT_SIZE, height="0.3", margin="0.06,0.02")
        else:
            dot.node(name, fontsize=FONT_SIZE)


def _edges(view, ids, flow) -> dict:
    """Each drawn edge "tail->head" -> [the node whose backward step reaches it, colour]."""
    from ..viz.style import edge_colour_for, magnitude
    edges = {}
    for (tail, head), links in view["links"].items():
        size = sum(magnitude(flow.grad_of(src) if dst is None else
                             flow.contributions.get((id(src), id(dst)), 0.0))
                   for src, dst in links if flow.has_grad(dst if dst is not None else src))
        owner = max(ids[id(src if dst is None else dst)] for src, dst in links)
        colour = edge_colour_for(size, flow.smallest, flow.largest) if flow.largest > 0 else "#555"
        edges[f"{tail}->{head}"] = [owner, colour]
    return edges


def _shared_prefix(paths: list) -> tuple:
    """The longest module path that every node's path starts with."""
    shortest = min(paths, key=len)
    for depth, module in enumerate(shortest):
        if any(p[depth] is not module for p in paths):
            return shortest[:depth]
    return shortest


