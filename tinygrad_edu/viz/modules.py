"""Which module each node belongs to, module names, and collapsing to module level.

Nodes remember the module call that made them (``node._frame``); parameters, made in
``__init__``, belong to the module that owns them.
"""
from __future__ import annotations

import numpy as np


def child_name(parent, child) -> str:
    """The attribute path of ``child`` inside ``parent`` ("layers.1", "0", "cell")."""
    for name, value in vars(parent).items():
        if value is child:
            return name
        if isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                if item is child:
                    return str(i) if name == "_modules" else f"{name}.{i}"
    return _own_name(child)


def kind_of(module) -> str:
    """What a box is: the module's class, or a gradient graph's "chain rule"."""
    return getattr(module, "kind", None) or type(module).__name__


def _own_name(module) -> str:
    # A gradient graph's boxes (core.capture.BackwardOf) carry their own name: "∂tanh".
    return getattr(module, "display_name", None) or type(module).__name__


def module_names(paths) -> dict:
    """Map each module path (a tuple of modules) to a readable dotted name."""
    names = {}
    for path in paths:
        for depth in range(len(path)):
            prefix = path[:depth + 1]
            if prefix in names:
                continue
            if depth == 0:
                names[prefix] = _own_name(prefix[0])
            else:
                names[prefix] = f"{names[prefix[:-1]]}.{child_name(prefix[-2], prefix[-1])}"
    return names


def node_paths(order) -> tuple:
    """(paths, parameter_names): id(node) -> module path (tuple of modules, outermost
    first, () for none), and id(parameter) -> its attribute name in its module."""
    frame_paths = {}  # id(frame) -> its module path, computed once per frame
    for node in order:
        frame = getattr(node, "_frame", None)
        if frame is not None and id(frame) not in frame_paths:
            frame_paths[id(frame)] = frame.modules
    owner = {}        # id(parameter) -> the deepest module path that owns it
    seen = set()
    for modules in frame_paths.values():
        for depth in range(len(modules)):
            path = modules[:depth + 1]
            if path in seen:
                continue
            seen.add(path)
            for p in path[-1].parameters():
                if len(owner.get(id(p), ())) < len(path):
                    owner[id(p)] = path
    paths, names = {}, {}
    for node in order:
        frame = getattr(node, "_frame", None)
        if frame is not None:
            paths[id(node)] = frame_paths[id(frame)]
        else:
            path = owner.get(id(node), ())
            paths[id(node)] = path
            if path:
                names[id(node)] = child_name(path[-1], node)
    return paths, names


def count_parameters(module) -> int:
    return sum(int(np.asarray(p.data).size) for p in module.parameters())


def grad_norm(module) -> float | None:
    """sqrt(sum grad²) over the module's parameters (None before backward)."""
    total, seen = 0.0, False
    for p in module.parameters():
        g = p.grad
        if g is None:
            continue
        seen = True
        total += float(np.sum(np.square(np.asarray(g, dtype=np.float64))))
    return float(np.sqrt(total)) if seen else None


def collapse_depth(paths: dict) -> int:
    """The shallowest depth at which the nodes fall into two or more modules."""
    longest = max((len(p) for p in paths.values()), default=0)
    for depth in range(longest):
        groups = {p[:depth + 1] for p in paths.values() if len(p) > depth}
        if len(groups) >= 2:
            return depth
    return 0


def resolve_expand(expand, names: dict) -> set:
    """Module paths to keep open, from module objects or their dotted names."""
    wanted = set()
    for item in expand or ():
        matches = [path for path, name in names.items()
                   if (path[-1] is item) or name == item or name.endswith("." + str(item))]
        if not matches:
            raise ValueError(f"draw_graph: expand={item!r} matches no module in the graph; "
                             f"modules: {', '.join(sorted(set(names.values()))[:12])}")
        wanted.update(matches)
    return wanted


def parameter_paths(order) -> dict:
    """id(parameter) -> its dotted path from the outermost module, as PyTorch's
    state_dict names it ("layers.0.weight"), for parameters used inside module calls."""
    paths, names = node_paths(order)
    dotted = module_names({p for p in paths.values() if p})
    out = {}
    for key, attribute in names.items():
        full = f"{dotted[paths[key]]}.{attribute}"
        out[key] = full.split(".", 1)[1] if "." in full else full  # drop the root's type
    return out
