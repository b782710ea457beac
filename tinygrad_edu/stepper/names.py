"""The names a learner reads for each node of a stepped graph, found automatically.

In order of preference: the node's label; a parameter's path in its model
("0.weight", as PyTorch's state_dict says); a module call's output, by the module's path
and kind ("0 (Linear)", "layers.1.neurons.3 (Neuron)") and the value just before a
neuron's activation ("layers.1.neurons.3 pre-activation"), and its other steps by their
place in the call ("layers.1.neurons.3 * 2"); the model's output ("logits"
when a cross-entropy reads it, else "output") and the one number computed from it
("loss"); data fed in from outside ("input",
"target"); a scalar constant by its value ("0.5"); and only then ``#id``.

>>> import tinygrad_edu.nn.functional as F
>>> from tinygrad_edu import Tensor, manual_seed, nn
>>> from tinygrad_edu.core.graph import topological_order
>>> _ = manual_seed(0)
>>> loss = F.mse_loss(nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))(Tensor([[1.0, 2, 3]])),
...                   Tensor([[0.5]]))
>>> order = topological_order(loss)
>>> [display_names(order)[id(n)] for n in order][4:]
['input', '0 (Linear)', '1 (ReLU)', 'output', 'target', '#9', '#10', 'loss']
"""
from __future__ import annotations

import numpy as np

from ..core.text import format_number, node_name

ACTIVATIONS = ("tanh", "relu", "sigmoid", "gelu", "silu", "leaky_relu")


def display_names(order) -> dict:
    """id(node) -> the name a learner reads (see the module's docstring for the order)."""
    from ..viz.modules import kind_of, module_names, node_paths, parameter_paths
    params = parameter_paths(order)
    paths = node_paths(order)[0]
    dotted = module_names({p for p in paths.values() if p})
    auto = _call_outputs(order, dotted, kind_of)
    auto.update(_outside_data(order, paths))
    auto.update(_steps_inside_calls(order, dotted, set(auto) | set(params)))
    names = {}
    for i, node in enumerate(order):
        names[id(node)] = (node.label or params.get(id(node)) or auto.get(id(node))
                           or _constant(node) or node_name(node, i))
    return names


def _short(dotted_name: str) -> str:
    """"MLP.layers.0" -> "layers.0": the outermost model's type adds nothing."""
    return dotted_name.split(".", 1)[1] if "." in dotted_name else dotted_name


def _call_outputs(order, dotted, kind_of) -> dict:
    """Each module call's output (the last node made inside it) by the innermost call it
    ends, a neuron's pre-activation, and the outermost call's output as the model's."""
    last = {}       # id(frame) -> (index of the last node made inside it, frame)
    for i, node in enumerate(order):
        frame = getattr(node, "_frame", None)
        while frame is not None:
            last[id(frame)] = (i, frame)
            frame = frame.parent
    names, calls = {}, {}
    for i, frame in sorted(last.values(), key=lambda item: -len(item[1].modules)):
        node = order[i]
        if not node.parents:
            continue
        if frame.parent is None:  # the model's output, whichever layer made it
            names[id(node)] = "output"
            continue
        if id(node) in names:
            continue
        modules = frame.modules
        calls[modules] = calls.get(modules, 0) + 1
        name = f"{_short(dotted[modules])} ({kind_of(modules[-1])})"
        names[id(node)] = name
        if node.op in ACTIVATIONS and len(node.parents) == 1:
            before = node.parents[0]
            if getattr(before, "_frame", None) is frame and not before.label:
                names.setdefault(id(before), f"{_short(dotted[modules])} pre-activation")
    # A module called more than once (time steps): its outputs are told apart by call.
    seen = {}
    for node in order:
        name = names.get(id(node))
        frame = getattr(node, "_frame", None)
        if name and frame is not None and calls.get(frame.modules, 0) > 1 and name.endswith(")"):
            seen[name] = seen.get(name, 0) + 1
            names[id(node)] = f"{name} call {seen[name]}"
    root = order[-1] if order else None
    if root is not None and last and np.size(root.data) == 1 and getattr(root, "_frame", None) is None:
        names.setdefault(id(root), "loss")  # one number computed from a model's output
        if "cross_entropy" in (root.op or ""):
            for parent in root.parents:
                if names.get(id(parent)) == "output":
                    names[id(parent)] = "logits"
    return names


def _steps_inside_calls(order, dotted, named) -> dict:
    """The other ops a module call makes, by the call and their place in it:
    "layers.0.neurons.3 * 2" is that neuron's second product."""
    names, counts = {}, {}
    for node in order:
        frame = getattr(node, "_frame", None)
        if frame is None or not node.parents or node.label or id(node) in named:
            continue
        key = (id(frame), node.op)
        counts[key] = counts.get(key, 0) + 1
        names[id(node)] = f"{_short(dotted[frame.modules])} {node.op} {counts[key]}"
    return names


def _outside_data(order, paths) -> dict:
    """Tensors fed in from outside the model: "input" when a module call reads them,
    "target" when only ops outside every module do (a loss); numbered when several."""
    if not any(paths.values()):
        return {}
    readers = {}
    for node in order:
        for parent in node.parents:
            readers.setdefault(id(parent), []).append(bool(paths[id(node)]))
    roles = {}
    for node in order:
        if node.parents or node.label or paths[id(node)] or not isinstance(node.data, np.ndarray):
            continue
        if getattr(node, "requires_grad", False) or id(node) not in readers:
            continue
        roles[id(node)] = "input" if any(readers[id(node)]) else "target"
    names = {}
    for role in ("input", "target"):
        mine = [key for key, r in roles.items() if r == role]
        for k, key in enumerate(mine):
            names[key] = role if len(mine) == 1 else f"{role} {k + 1}"
    return names


def _constant(node) -> str | None:
    """An unlabelled scalar leaf that learns nothing (a number in the formula) reads as
    its value."""
    if node.parents or node.label or isinstance(node.data, np.ndarray):
        return None
    return format_number(node.data, digits=4)
