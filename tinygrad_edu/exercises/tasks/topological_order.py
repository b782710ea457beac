"""Exercise 5, topological_order: the order in which backward may visit a graph.

The template's worked example, by the reference solution:

>>> a = Value(2.0); b = a * a; c = b + a
>>> [n is m for n, m in zip(topological_order(c), [a, b, c])]
[True, True, True]
"""
from __future__ import annotations

from hypothesis import strategies as st

from ...core.graph import topological_order as library_order
from ...scalar import Value
from ..learner import LearnerRaised, LearnerTimedOut, NotStarted, call, function, status
from ..outcome import Outcome
from ..search import EXAMPLES, find_failure

NAME = "topological_order"
SUMMARY = "list a graph's nodes so each comes after its inputs (backward walks it in reverse)"
TEMPLATE = '''"""Exercise: topological_order. Which node may backward visit first?

Backward needs a node's whole gradient before it passes it on, so it visits nodes in
reverse topological order. Write the topological order: a list of every node the
root depends on (the root and its leaves included), each exactly once, each after all
of its inputs. node.parents is the tuple of nodes it was computed from (empty for
leaves); nodes can be compared with `is` and used as dict keys or set members.

Input: root (a Value). Return: a list of Values.

Worked example:
    a = Value(2.0); b = a * a; c = b + a
    topological_order(c) -> [a, b, c]   ([a, b, c] is the only valid order here:
                                         b needs a, c needs b and a)

Check it with:  tinygrad-edu exercise check topological_order
"""


def topological_order(root):
    """Every node ``root`` depends on, each after its inputs, each once."""
    raise NotImplementedError
'''
HINTS = (
    "Depth-first: visit a node's parents first, then append the node itself.",
    "A node reached from two users must be appended once: keep a set of visited nodes.",
    "micrograd's build_topo: if v not in visited: visited.add(v); for p in v.parents: "
    "build_topo(p); topo.append(v). A loop with your own stack avoids Python's recursion limit.",
)
DUPLICATES, REVERSED, LEAVES, ROOT = ("no visited set", "reversed order", "leaves left out",
                                      "root left out")
EXPLAIN = {
    DUPLICATES: "a node reached along two paths (used twice) was listed twice: remember which "
                "nodes you have visited (a set) and skip them",
    REVERSED: "your list puts users before their inputs: that is backward's order; the "
              "topological order appends a node after all its parents",
    LEAVES: "the inputs (leaves, no parents) belong in the order too: backward gives them "
            "their gradients",
    ROOT: "the root belongs in the order too (last)",
}


def topological_order(root):
    """The reference: depth-first with an explicit stack (no recursion limit)."""
    order, visited, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in visited:
            visited.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(node.parents) if id(p) not in visited)
    return order


def build(spec):
    """A graph from (leaf count, [(op, i, j), ...]): each op reads earlier nodes."""
    leaves, ops = spec
    nodes = [Value(float(k + 1), label="abc"[k]) for k in range(leaves)]
    for n, (op, i, j) in enumerate(ops):
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        node = a.tanh() if op == "tanh" else (a + b if op == "+" else a * b)
        node.label = f"n{n + 1}"
        nodes.append(node)
    return nodes[-1]


GRAPHS = st.tuples(st.integers(1, 3), st.lists(st.tuples(st.sampled_from(["+", "*", "tanh"]),
                                                          st.integers(0, 8), st.integers(0, 8)),
                                                min_size=1, max_size=6))


def problems(order, root) -> tuple:
    """(what is wrong in words, the mistake's name) or None when ``order`` is valid."""
    if not isinstance(order, (list, tuple)):
        return f"returned a {type(order).__name__}, not a list of nodes", None
    want = library_order(root)
    known = {id(n) for n in want}
    where = {}
    for k, node in enumerate(order):
        if id(node) not in known:
            return f"item {k} ({node!r:.60}) is not a node of this graph", None
        if id(node) in where:
            return f"lists {node.label} twice (places {where[id(node)]} and {k})", DUPLICATES
        where[id(node)] = k
    missing = [n for n in want if id(n) not in where]
    if missing:
        name = ROOT if missing == [root] else (LEAVES if all(not n.parents for n in missing) else None)
        return f"misses {', '.join(n.label for n in missing)}", name
    for node in order:
        for p in node.parents:
            if where[id(p)] > where[id(node)]:
                name = REVERSED if _valid(list(order)[::-1]) else None
                return f"puts {node.label} before its input {p.label}", name
    return None


def _valid(order) -> bool:
    where = {id(n): k for k, n in enumerate(order)}
    return all(where[id(p)] < where[id(n)] for n in order for p in n.parents)


def _graph_text(root) -> str:
    from ...core.text import formula_text
    return "; ".join(f"{n.label} = {formula_text(n)}" for n in library_order(root) if n.parents)


def check(namespace, shrink: bool = True) -> Outcome:
    try:
        fn = function(namespace, "topological_order")
    except NotStarted as e:
        return Outcome(NAME, "not started", f"{NAME}: not started: {e}.")

    stuck = []

    def fails(spec):
        if stuck:  # it ran out of time once: every graph fails, shrinking ends fast
            return True
        try:
            root = build(spec)
            return problems(call(fn, root, fresh=False), root) is not None
        except (NotStarted, LearnerRaised) as e:
            stuck.extend([e] if isinstance(e, LearnerTimedOut) else [])
            return True

    spec = find_failure(GRAPHS, fails, shrink=shrink)
    if spec is None:
        return Outcome(NAME, "pass", f"{NAME}: a valid order on {EXAMPLES} graphs drawn by "
                       "hypothesis (with fan-out), checked against core.graph's order.")
    root = build(spec)
    graph = _graph_text(root)
    try:
        order = call(fn, root, fresh=False)
    except NotStarted as e:
        return Outcome(NAME, "not started", f"{NAME}: not started: {e}.")
    except LearnerRaised as e:
        return Outcome(NAME, status(e), f"{NAME}: your code failed on the graph "
                       f"{graph}:\n  {e.report}")
    what, mistake = problems(order, root)
    lines = [f"{NAME}: wrong.", f"  simplest graph that shows it: {graph}",
             f"  expected an order like: {', '.join(n.label for n in library_order(root))}",
             f"  yours {what}"]
    if isinstance(order, (list, tuple)):
        lines.append(f"  your order: {', '.join(getattr(n, 'label', '?') for n in order)}")
    if mistake:
        lines.append(f"  looks like: {mistake}: {EXPLAIN[mistake]}")
    return Outcome(NAME, "wrong", "\n".join(lines), mistake)
