"""A layered layout in plain Python, for views Graphviz cannot lay out in time.

Graphviz's ``dot`` takes minutes (or crashes) on wide fan-out: ``x*w + x*w + ... + x*w``
with 120 terms, x and w each feeding every product, ran past 100 s. This layout is
linear in the size of the graph: each shape sits one rank above its first consumer
(so a term stays beside the sum that takes it), within a rank at the mean position of
what feeds it. The SVG it writes has the structure the page reads from Graphviz's:
``g.node`` and ``g.edge`` with a ``<title>``, a shape, one ``<text>`` per label row.

>>> svg = plain_svg({"v0": [("x", True), ("data 2", False)], "o1": [("*", False)],
...                  "v1": [("y", True)]}, [("v0", "o1"), ("o1", "v1")], ops={"o1"})
>>> svg.count('class="node"'), svg.count('class="edge"'), "<title>v0&#45;&gt;o1</title>" in svg
(3, 2, True)
"""
from __future__ import annotations

from html import escape

FONT = 16           # the same size as the Graphviz views
CHAR = 0.58 * FONT  # the width of an average character
ROW = 1.25 * FONT   # the height of one label row
GAP, RANK_GAP = 24, 30
BOLD = ' font-weight="bold"'


def _ranks(names: list, edges: list) -> dict:
    """Rank per shape: longest path from the sources, then each shape moved down to just
    above its first consumer. Shapes on a cycle (a module box both feeding and fed by
    one node) go below the rest."""
    succ = {n: [] for n in names}
    pred = {n: [] for n in names}
    for tail, head in edges:
        succ[tail].append(head)
        pred[head].append(tail)
    waiting = {n: len(pred[n]) for n in names}
    order = [n for n in names if waiting[n] == 0]
    for name in order:  # Kahn's algorithm: the list grows as shapes become ready
        for head in succ[name]:
            waiting[head] -= 1
            if waiting[head] == 0:
                order.append(head)
    order += [n for n in names if waiting[n] > 0]
    rank = {}
    for name in order:
        rank[name] = max((rank[p] + 1 for p in pred[name] if p in rank), default=0)
    for name in reversed(order):
        below = [rank[s] for s in succ[name] if rank[s] > rank[name]]
        if below:
            rank[name] = min(below) - 1
    return rank


def _size(rows: list, op: bool) -> tuple:
    width = max(len(text) for text, _ in rows) * CHAR + (24 if op else 16)
    return max(width, 54 if op else 40), len(rows) * ROW + (8 if op else 10)


def plain_svg(labels: dict, edges: list, ops=(), fills=None) -> str:
    """SVG of shapes ``labels`` (DOT name -> rows of (text, bold)) joined by ``edges``
    (tail, head): ellipses for the names in ``ops``, rounded boxes for the rest."""
    names = list(labels)
    edges = [(t, h) for t, h in edges if t in labels and h in labels and t != h]
    rank = _ranks(names, edges)
    sizes = {n: _size(labels[n], n in ops) for n in names}
    pred = {n: [] for n in names}
    for tail, head in edges:
        pred[head].append(tail)
    rows = {}
    for name in names:
        rows.setdefault(rank[name], []).append(name)
    x, y, top = {}, {}, 0.0
    for r in sorted(rows):
        shapes = rows[r]
        wanted = {n: (sum(x[p] for p in pred[n] if p in x) / max(1, sum(p in x for p in pred[n])))
                  if any(p in x for p in pred[n]) else 0.0 for n in shapes}
        shapes.sort(key=lambda n: wanted[n])
        right = None
        for n in shapes:  # at its wanted centre, pushed right past the previous shape
            half = sizes[n][0] / 2
            x[n] = wanted[n] if right is None else max(wanted[n], right + GAP + half)
            right = x[n] + half
        height = max(sizes[n][1] for n in shapes)
        for n in shapes:
            y[n] = top + height / 2
        top += height + RANK_GAP
    left = min(x[n] - sizes[n][0] / 2 for n in names) - 4
    width = max(x[n] + sizes[n][0] / 2 for n in names) - left + 4
    parts = [f'<svg width="{width:.0f}pt" height="{top:.0f}pt" viewBox="0 0 {width:.1f} {top:.1f}" '
             'xmlns="http://www.w3.org/2000/svg">',
             f'<g id="graph0" class="graph" transform="translate({-left:.1f} 0)">']
    for tail, head in edges:
        parts.append(_edge(tail, head, x, y, sizes))
    for name in names:
        parts.append(_node(name, labels[name], x[name], y[name], sizes[name], name in ops,
                           (fills or {}).get(name)))
    parts.append("</g></svg>")
    return "\n".join(parts)


def _node(name, rows, cx, cy, size, op, fill) -> str:
    w, h = size
    fill = fill or ("#eef3fb" if op else "#ffffff")
    if op:
        shape = f'<ellipse fill="{fill}" stroke="black" cx="{cx:.1f}" cy="{cy:.1f}" rx="{w / 2:.1f}" ry="{h / 2:.1f}"/>'
    else:
        shape = (f'<path fill="{fill}" stroke="black" d="M{cx - w / 2:.1f},{cy - h / 2:.1f} '
                 f'h{w:.1f} v{h:.1f} h{-w:.1f} Z"/>')
    first = cy - (len(rows) - 1) * ROW / 2 + FONT * 0.35
    texts = "".join(
        f'<text text-anchor="middle" x="{cx:.1f}" y="{first + k * ROW:.1f}" '
        f'font-family="Helvetica,sans-Serif"{BOLD if bold else ""} '
        f'font-size="{FONT}">{escape(text)}</text>' for k, (text, bold) in enumerate(rows))
    return f'<g class="node"><title>{escape(name)}</title>{shape}{texts}</g>'


def _edge(tail, head, x, y, sizes) -> str:
    x1, y1 = x[tail], y[tail] + sizes[tail][1] / 2
    x2, y2 = x[head], y[head] - sizes[head][1] / 2 - 6
    title = escape(f"{tail}->{head}").replace("-", "&#45;")
    arrow = f"{x2 - 4:.1f},{y2:.1f} {x2 + 4:.1f},{y2:.1f} {x2:.1f},{y2 + 6:.1f}"
    return (f'<g class="edge"><title>{title}</title><path fill="none" stroke="black" '
            f'd="M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}"/><polygon fill="black" stroke="black" '
            f'points="{arrow}"/></g>')
