"""Each op states its derivative once: for every registered op of both engines, what the
stepper shows (words, local derivatives, contributions) is what backward computes.

One backward pass both trains (fills ``.grad``) and narrates (``observer=``); the
stepper's frames come from a side-effect-free trace of the same loop. The words are
evaluated back into numbers here (tests only) and compared with the numbers shown.
"""
import math
import re

import numpy as np
import pytest

from tinygrad_edu.core.op import ElementwiseOp
from tinygrad_edu.core.text import format_number
from tinygrad_edu.scalar import SCALAR_OPS
from tinygrad_edu.stepper import build_frames
from tinygrad_edu.tensor import OP_TABLE, Tensor
from tinygrad_edu.tensor.function import unbroadcast
from tinygrad_edu.testing.suite import scalar_cases, tensor_cases

CASES = [("scalar", name) for name in sorted(SCALAR_OPS)] + \
        [("tensor", name) for name in sorted(OP_TABLE)]


def build(engine, name):
    """The op applied to its suite inputs, and a root that weighs each output element
    differently (so upstream gradients are not all ones)."""
    fn, inputs = (scalar_cases() if engine == "scalar" else
                  tensor_cases(np.random.default_rng(0)))[name]
    out = fn(*inputs)
    if engine == "scalar":
        return out, out * 1.5, inputs
    weights = np.linspace(0.5, 1.5, out.data.size).reshape(out.shape)
    return out, (out * Tensor(weights, dtype=np.float64)).sum(), inputs


def test_every_op_of_both_engines_is_covered():
    assert {n for e, n in CASES if e == "scalar"} == set(scalar_cases())
    assert {n for e, n in CASES if e == "tensor"} == set(tensor_cases(np.random.default_rng(0)))


@pytest.mark.parametrize("engine, name", CASES)
def test_the_stepper_shows_what_backward_computes(engine, name):
    out, root, inputs = build(engine, name)
    steps = []
    root.backward(observer=steps.append)  # trains and narrates in one pass
    given = {}
    for step in steps:
        for p in step.parents:
            given[id(p.parent)] = given.get(id(p.parent), 0) + np.asarray(p.contribution)
    for leaf in inputs:  # every leaf's .grad is the sum of the contributions shown
        np.testing.assert_allclose(leaf.grad, given[id(leaf)], rtol=1e-12, atol=1e-12)

    (op_step,) = [s for s in steps if s.node is out]
    op = out._op
    # Training's backward (which may inline the derivative for speed) gives the same numbers.
    trained = op.backward(out, op_step.upstream)
    for c, p in zip([c for c in trained if c is not None], op_step.parents):
        np.testing.assert_allclose(getattr(c, "materialize", lambda: c)(), p.contribution,
                                   rtol=1e-12, atol=1e-15)
    assert len(op_step.parents) == len(out.parents)
    for i, p in enumerate(op_step.parents):
        assert p.rule, f"{name}: no words for input {i}"
        if isinstance(op, ElementwiseOp):  # contribution = upstream x local, summed to shape
            product = np.asarray(op_step.upstream) * np.asarray(p.local)
            expected = unbroadcast(product, np.shape(p.parent.data)) if engine == "tensor" else product
            np.testing.assert_allclose(p.contribution, expected, rtol=1e-12)
            from_words = evaluate_words(p.rule, out, op)  # shaped like all operands together
            np.testing.assert_allclose(from_words, np.broadcast_to(p.local, from_words.shape),
                                       rtol=1e-9)

    # The terminal stepper (a trace, no side effects) shows the same numbers.
    frames = build_frames(root)
    (frame,) = [f for f in frames if f.phase == "backward" and f.cursor == op_step.node_id]
    text = "\n".join(frame.lines)
    for p in op_step.parents:
        assert f"= {format_number(p.contribution)}" in text


def evaluate_words(words: str, node, op):
    """Turn an op's words back into Python and evaluate them element by element."""
    code = (words.replace("²", "**2").replace("³", "**3").replace("·", "*").replace("^", "**")
            .replace("ln(", "log(").replace("≥", ">=").replace("≤", "<="))
    code = re.sub(r"\{(\w+)\}", r"\1", code)
    names = {"a": None, "b": None, "out": node.data}
    for key, parent in zip("ab", node.parents):
        names[key] = parent.data
    for key, value in vars(op).items():  # saved masks and conditions, by their names
        if isinstance(value, np.ndarray):
            names[key] = value
    names = {k: v for k, v in names.items() if v is not None}
    arrays = np.broadcast_arrays(*[np.asarray(v, dtype=np.float64) for v in names.values()])
    evaluate = np.vectorize(lambda *xs: float(eval(code, {"log": math.log, "sign": np.sign, "inf": math.inf, "exp": math.exp, "sin": math.sin, "cos": math.cos},  # noqa: S307 (our own words, tests only)
                                                   dict(zip(names, xs)))))
    return evaluate(*arrays)
