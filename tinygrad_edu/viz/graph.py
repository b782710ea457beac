"""``draw_graph``: a computation graph as a graphviz picture, for Value or Tensor roots.

Value nodes are boxes (label, data, grad; tensors show shape, dtype and a summary),
op nodes are ellipses, edges point forward. After backward, nodes and edges are
coloured by gradient magnitude on a log scale (legend at the bottom); vanished
gradients are grey and say why, nan/inf ones are magenta. Module calls become labelled
clusters; large graphs collapse to one node per module (``expand=`` opens some).

>>> from tinygrad_edu.scalar import Value
>>> a = Value(2.0, label="a"); b = Value(-3.0, label="b"); c = a * b; c.label = "c"
>>> c.backward()
>>> dot = draw_graph(c)
>>> "grad -3" in dot.source and "fillcolor" in dot.source
True
"""
from __future__ import annotations

import html

import numpy as np

from ..core.graph import topological_order
from . import style
from .style import num, short
from .flow import VANISHED_RATIO, GradientFlow, backward_has_run
from .modules import (collapse_depth, count_parameters, grad_norm, kind_of, module_names, node_paths,
                      resolve_expand)
from .renderer import configure_graphviz, drawable


def _is_tensor(node) -> bool:
    return isinstance(node.data, np.ndarray)


def _value_label(node, grad, has_grad: bool, reason: str | None, name: str | None) -> str:
    rows = []
    if node.label or name:
        rows.append(f"<B>{html.escape(node.label or name)}</B>")
    if _is_tensor(node):
        rows.append(f"shape {tuple(node.data.shape)} {node.data.dtype}")
        rows.append(f"data {html.escape(short(node.data))}")
    else:
        rows.append(f"data {num(node.data)}")
    if not has_grad:
        if grad is not False and getattr(node, "requires_grad", True):
            rows.append("<I>no gradient yet</I>")
    elif not style.finite(grad):
        rows.append(f"<B>grad {html.escape(short(grad))} (not finite!)</B>")
    else:
        rows.append(f"grad {html.escape(short(grad))}")
        if reason:
            rows.append(f"<I>vanished: {html.escape(reason)}</I>")
    return "<" + "<BR/>".join(rows) + ">"


def _fill(flow, value) -> tuple:
    """(fill colour, extra style) for a gradient value."""
    if flow is None or value is None:
        return style.NO_GRAD, ""
    if not style.finite(value):
        return style.NONFINITE, "bold"
    if flow.vanished(value):
        return style.VANISHED, "dashed"
    return style.colour_for(style.magnitude(value), flow.smallest, flow.largest), ""


def _legend(flow, title: str | None) -> str:
    bins = style.legend_bins(flow.smallest, flow.largest)
    cells = "".join(f'<TD BGCOLOR="{c}">{num(lo)}</TD>' for c, lo in bins)
    head = (f'<TR><TD BORDER="0" COLSPAN="{len(bins) + 3}"><B>{html.escape(title)}</B></TD></TR>'
            if title else "")
    return ('<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0">' + head + '<TR><TD BORDER="0">'
            f'mean |grad| (log scale) &#8805;</TD>{cells}<TD BGCOLOR="{style.VANISHED}">vanished</TD>'
            f'<TD BGCOLOR="{style.NONFINITE}">nan/inf</TD></TR></TABLE>>')


def draw_graph(root, rankdir: str = "LR", gradients: bool | None = None,
               collapse: bool | None = None, expand=(), max_nodes: int = 120,
               clusters: bool = True, title: str | None = None, limit: int = 20000,
               names: dict | None = None):
    """Build a ``graphviz.Digraph`` of everything ``root`` was computed from.

    gradients: colour by gradient flow (default: when backward has run; False: boxes say
        nothing about gradients).
    collapse: one node per module (default: when the graph has more than ``max_nodes``).
    expand: modules (objects or dotted names) to keep open when collapsed.
    limit: refuse (ValueError) to draw more nodes than this; Graphviz would take ages.
    names: id(node) -> the name its box shows (the stepper's names), else label/parameter.
    """
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"draw_graph: rankdir must be LR, TB, RL or BT, got {rankdir!r}")
    configure_graphviz()
    plan = _Plan(root, gradients, clusters, collapse, max_nodes, expand)
    if names:
        plan.param_names = {**plan.param_names, **names}
    drawn = sum(2 if n.parents else 1 for n in plan.order if plan.group_of(n) is None)
    drawn = max(drawn, sum(len(n.parents) for n in plan.order))  # edges cost layout too
    if drawn > limit:
        raise ValueError(f"draw_graph: {drawn:,} nodes or edges to draw is more than limit={limit:,}; "
                         "Graphviz would take very long. Draw a smaller graph (one sample, one "
                         "time step), or build it inside modules so collapse=True can fold it.")
    return _render(plan, rankdir, title)[0]


def draw_view(root, focus: tuple, names: dict | None = None, rankdir: str = "LR"):
    """One view of a large graph, for the stepper page: the modules on the path ``focus``
    (outermost first) are open, and each other module is one box; ``focus=None`` opens all.
    Returns (dot, view): view["where"] maps node id -> the DOT name showing it,
    view["links"] each drawn edge (tail, head) -> its (source, consumer or None) node
    pairs, view["groups"] each module box's DOT name -> its module path."""
    configure_graphviz()
    plan = _Plan(root, False, True, False, 0, ())
    plan.focus = None if focus is None else tuple(focus)
    if names:
        plan.param_names = {**plan.param_names, **names}
    dot, groups, links = _render(plan, rankdir, None)
    return dot, {"where": {plan.ids[id(n)]: _shown_as(plan, groups, n) for n in plan.order},
                 "links": links, "groups": {info["name"]: path for path, info in groups.items()}}


def _shown_as(plan, groups, node) -> str:
    group = plan.group_of(node)
    return groups[group]["name"] if group is not None else f"v{plan.ids[id(node)]}"


def _render(plan, rankdir, title):
    """The Digraph of a plan, its collapsed groups and its edges' (source, consumer) links."""
    import graphviz
    dot = graphviz.Digraph("computation_graph")
    dot.attr(rankdir=rankdir, fontname="Helvetica", fontsize="11", newrank="true")
    dot.attr("node", fontname="Helvetica", fontsize="10")
    dot.attr("edge", fontname="Helvetica", fontsize="9")
    if title:
        dot.attr(label=title, labelloc="t")
    placed, groups = _place_nodes(plan)
    _write_clusters(dot, placed, plan.names)
    edges, links = _collect_edges(plan, groups)
    _draw_edges(dot, plan, edges)
    if plan.flow is not None:
        dot.attr(label=_legend(plan.flow, title), labelloc="b")
    dot.body[:] = [drawable(line) for line in dot.body]  # a NUL in a label cannot be drawn
    return dot, groups, links


class _Plan:
    """What to draw: the nodes in order, their gradient flow, their module paths, and
    which collapsed module (if any) each one folds into."""

    def __init__(self, root, gradients, clusters, collapse, max_nodes, expand):
        self.order = order = topological_order(root)
        self.ids = {id(n): i for i, n in enumerate(order)}
        self.asked_for_gradients = gradients is not False  # False: say nothing about them
        if gradients is None:
            gradients = backward_has_run(order)
        self.flow = GradientFlow.trace(root) if gradients else None
        self.paths, self.param_names = node_paths(order) if clusters else \
            ({id(n): () for n in order}, {})
        self.names = module_names(set(self.paths.values()))
        if collapse is None:
            collapse = sum(2 if n.parents else 1 for n in order) > max_nodes
        self.depth = collapse_depth(self.paths) if collapse else None
        self.opened = resolve_expand(expand, self.names)
        self.focus = None  # a module path: open along it, every other module one box

    def group_of(self, node):
        """The module path this node collapses into, or None to draw it."""
        path = self.paths[id(node)]
        if self.focus is not None:
            shared = 0
            while shared < min(len(path), len(self.focus)) and path[shared] is self.focus[shared]:
                shared += 1
            return None if shared == len(path) else path[:shared + 1]
        if self.depth is None:
            return None
        if len(path) <= self.depth or any(path[:len(o)] == o for o in self.opened):
            return None
        return path[:self.depth + 1]


def _place_nodes(plan):
    """DOT node statements per module path (value boxes, op ellipses, collapsed modules),
    and the collapsed groups by path."""
    placed, groups, flow = {}, {}, plan.flow
    for i, node in enumerate(plan.order):
        group = plan.group_of(node)
        if group is not None:
            info = groups.setdefault(group, {"name": f"m{len(groups)}", "frames": set()})
            frame = getattr(node, "_frame", None)
            if frame is not None:
                info["frames"].add(id(_call_at(frame, len(group))))
            continue
        has = flow is not None and flow.has_grad(node)
        grad = flow.grad_of(node) if has else (None if plan.asked_for_gradients else False)
        fill, extra = _fill(flow, grad) if has else (style.NO_GRAD, "")
        reason = flow.reason_of(node) if has else None
        path = plan.paths[id(node)]
        placed.setdefault(path, []).append((f"v{i}", dict(
            shape="box", style=",".join(filter(None, ["filled", "rounded", extra])),
            fillcolor=fill, fontcolor=style.font_for(fill),
            label=_value_label(node, grad, has, reason, plan.param_names.get(id(node))))))
        if node.parents:
            placed[path].append((f"o{i}", dict(shape="ellipse", style="filled",
                                               fillcolor=style.OP_FILL, label=node.op)))
    for path, info in groups.items():
        placed.setdefault(path[:-1], []).append((info["name"], _module_box(plan, path, info)))
    return placed, groups


def _module_box(plan, path, info) -> dict:
    """A collapsed module: its name, type, parameter count, calls and gradient norm."""
    module, flow = path[-1], plan.flow
    norm = grad_norm(module)
    lines = [f"<B>{html.escape(plan.names[path])}</B>", html.escape(kind_of(module)),
             f"{count_parameters(module):,} parameters"]
    if len(info["frames"]) > 1:
        lines.append(f"x {len(info['frames'])} calls")
    if norm is not None and flow is not None:
        lines.append(f"|grad| norm {num(norm)}")
    fill = style.NO_GRAD if norm is None or flow is None else \
        style.colour_for(norm, flow.smallest, flow.largest)
    return dict(shape="box3d", style="filled", fillcolor=fill, fontcolor=style.font_for(fill),
                label="<" + "<BR/>".join(lines) + ">")


def _collect_edges(plan, groups) -> dict:
    """(edges, links): (tail, head) -> [summed |contribution| or None, any non-finite],
    and -> its (source, consumer) pairs; edges that a collapsed module swallows
    (tail == head) vanish, parallel ones merge."""
    def endpoint(node, role):
        group = plan.group_of(node)
        return groups[group]["name"] if group is not None else f"{role}{plan.ids[id(node)]}"

    edges, links, flow = {}, {}, plan.flow
    for node in plan.order:
        if not node.parents:
            continue
        head_op = endpoint(node, "o")
        mine = [(endpoint(p, "v"), head_op, p, node) for p in node.parents]
        mine.append((head_op, endpoint(node, "v"), node, None))
        for tail, head, src, dst in mine:
            if tail == head:
                continue
            links.setdefault((tail, head), []).append((src, dst))
            value = None
            if flow is not None:
                value = flow.contributions.get((id(src), id(dst))) if dst is not None \
                    else flow.grad_of(src)
            entry = edges.setdefault((tail, head), [None, False, 0])
            entry[2] += 1
            if value is not None:
                entry[0] = style.magnitude(value) + (entry[0] or 0.0)
                entry[1] = entry[1] or not style.finite(value)
    return edges, links


def _draw_edges(dot, plan, edges) -> None:
    """Each edge coloured by the gradient it carried: magenta nan/inf, dashed vanished."""
    for (tail, head), (mag, nonfinite, count) in edges.items():
        # Parallel uses fold into one edge (headlabel: a label made a 300-term sum take minutes, not 4 s)
        attrs = {"headlabel": f"x{count}"} if count > 1 else {}
        if nonfinite:
            attrs.update(color=style.NONFINITE, penwidth="2.5", label="nan/inf")
        elif mag is not None:
            if mag <= plan.flow.largest * VANISHED_RATIO:
                attrs.update(color="#999999", style="dashed")
            else:
                attrs.update(color=style.edge_colour_for(mag, plan.flow.smallest, plan.flow.largest),
                             penwidth="2", tooltip=f"contribution {num(mag)}")
        dot.edge(tail, head, **attrs)


def _call_at(frame, depth):
    """The module call (a Frame) at ``depth`` in a frame's ancestry."""
    while frame is not None and len(frame.modules) > depth:
        frame = frame.parent
    return frame


def _write_clusters(dot, placed, names):
    """Emit nodes grouped by module path as nested clusters, outermost first."""
    children = {}
    for path in placed:
        for depth in range(len(path)):
            children.setdefault(path[:depth], set()).add(path[:depth + 1])
    counter = [0]
    order_index = {path: k for k, path in enumerate(placed)}

    def first_seen(path):  # clusters in the order their first node was placed
        return min((order_index[p] for p in placed if p[:len(path)] == path), default=0)
    def write(graph, path):
        for name, attrs in placed.get(path, []):
            graph.node(name, **attrs)
        for child in sorted(children.get(path, ()), key=first_seen):
            counter[0] += 1
            with graph.subgraph(name=f"cluster_{counter[0]}") as sub:
                sub.attr(label=f"{names[child]} ({kind_of(child[-1])})", style="rounded,dashed",
                         color="#7f8fa6", fontcolor="#40566b")
                write(sub, child)

    write(dot, ())
