"""Hypothesis cases for every op in the tensor op table: each draws float64 input
arrays and returns (function of tensors, arrays). The first-derivative checks
(test_tensor_ops) and the second-derivative checks (test_second_order) share them."""
import numpy as np
from hypothesis import assume, strategies as st

import tinygrad_edu as tg
from tinygrad_edu import Tensor
from tinygrad_edu.nn import functional as F
from tinygrad_edu.tensor.ops import unary as U
from tinygrad_edu.testing.strategies import (broadcastable_shapes, float64_arrays,
                                             grid_floats, positive_arrays, shapes)
from tensor_op_cases_spatial import (case_conv2d, case_fold, case_lstm_cell, case_lstm_layer,
                                     case_scatter, case_unfold, pool_case)


def leaf(array):
    return Tensor(array, dtype=np.float64, requires_grad=True)


# Each case draws float64 input arrays and returns (function of tensors, arrays).
def binary(fn, second=float64_arrays):
    def case(draw):
        sa, sb = draw(broadcastable_shapes())
        return fn, [draw(float64_arrays(sa)), draw(second(sb))]
    return case


def unary(fn, arrays=float64_arrays):
    def case(draw):
        return fn, [draw(arrays(draw(shapes())))]
    return case


def nonzero_arrays(shape):
    return float64_arrays(shape, elements=grid_floats(0.3, 2.0) | grid_floats(-2.0, -0.3))


def reduction(method, **kwargs):
    def case(draw):
        shape = draw(shapes(min_dims=1))
        axis = draw(st.none() | st.integers(-len(shape), len(shape) - 1))
        keepdims = draw(st.booleans())
        fn = lambda a: getattr(a, method)(axis=axis, keepdims=keepdims, **kwargs)
        return fn, [draw(float64_arrays(shape, unique=True))]
    return case


def case_pow(draw):
    sa, sb = draw(broadcastable_shapes())
    return (lambda a, b: a ** b), [draw(positive_arrays(sa)), draw(float64_arrays(sb))]


def case_pow_scalar(draw):
    k = draw(st.sampled_from([-2, -1, 0, 1, 2, 3, 0.5, 2.5]))
    arrays = positive_arrays if k != int(k) or k < 0 else float64_arrays
    return (lambda a: a ** k), [draw(arrays(draw(shapes())))]


def case_where(draw):
    sa, sb, sc = draw(broadcastable_shapes(num_shapes=3))
    cond = draw(float64_arrays(sc)) > 0
    return (lambda a, b: tg.where(cond, a, b)), [draw(float64_arrays(sa)), draw(float64_arrays(sb))]


def case_clip(draw):
    return (lambda a: a.clip(-0.5, 0.7)), [draw(float64_arrays(draw(shapes()), elements=grid_floats(-2, 2, 0.02).map(lambda x: x + 0.003)))]


def case_dropout(draw):
    shape = draw(shapes())
    mask = draw(float64_arrays(shape)) > 0
    return (lambda a: U.Dropout.apply(a, mask=mask / 0.5)), [draw(float64_arrays(shape))]


def case_var(draw):
    shape = draw(shapes(min_dims=1, min_side=2))
    axis = draw(st.none() | st.integers(-len(shape), len(shape) - 1))
    keepdims, correction = draw(st.booleans()), draw(st.sampled_from([0, 1]))
    return (lambda a: a.var(axis=axis, keepdims=keepdims, correction=correction)), \
        [draw(float64_arrays(shape))]


def case_std(draw):
    shape = draw(shapes(min_dims=1, min_side=2))
    axis = draw(st.none() | st.integers(-len(shape), len(shape) - 1))
    keepdims, correction = draw(st.booleans()), draw(st.sampled_from([0, 1]))
    a = draw(float64_arrays(shape))
    # its derivative 1/(2 std) blows up where the values are (nearly) constant
    assume(np.all(np.std(a, axis=axis) > 0.1))
    return (lambda t: t.std(axis=axis, keepdims=keepdims, correction=correction)), [a]


def case_binary_cross_entropy(draw):
    shape = draw(shapes())
    # probabilities away from 0 and 1, where its clamps (log at -100, p(1 - p) at 1e-12) act
    return (lambda p, t: F.binary_cross_entropy(p, t, reduction="none")), \
        [draw(positive_arrays(shape, 0.05, 0.95)), draw(positive_arrays(shape, 0.0, 1.0))]


def case_softplus(draw):
    beta = draw(st.sampled_from([1.0, 0.5, 2.0]))
    return (lambda a: F.softplus(a, beta=beta, threshold=3.0)), [draw(float64_arrays(draw(shapes())))]


def case_cumsum(draw):
    shape = draw(shapes(min_dims=1))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    return (lambda a: a.cumsum(dim=dim)), [draw(float64_arrays(shape))]


def case_reshape(draw):
    shape = draw(shapes())
    size = int(np.prod(shape))
    new = draw(st.sampled_from([(size,), (1, size), (size, 1), (-1,)]))
    return (lambda a: a.reshape(new)), [draw(float64_arrays(shape))]


def case_permute(draw):
    shape = draw(shapes(min_dims=1))
    axes = draw(st.permutations(range(len(shape))))
    return (lambda a: a.permute(axes)), [draw(float64_arrays(shape))]


def case_expand(draw):
    sa, target = draw(hnp_broadcast_to())
    return (lambda a: a.expand(target)), [draw(float64_arrays(sa))]


def hnp_broadcast_to():
    @st.composite
    def pairs(draw):
        target = draw(shapes(min_dims=1, max_dims=3))
        keep = draw(st.integers(0, len(target)))
        small = tuple(1 if draw(st.booleans()) else n for n in target[len(target) - keep:])
        return small, target
    return pairs()


def case_getitem(draw):
    shape = draw(shapes(min_dims=1))
    n = shape[0]
    index = draw(st.sampled_from([
        0, -1, slice(None, None, 2), slice(1, None),
        np.array([0, n - 1, 0]),           # repeated index: gradients accumulate
        (Ellipsis, 0), (slice(None), None),
    ]))
    if isinstance(index, tuple) and index[0] is Ellipsis and len(shape) < 1:
        index = 0
    return (lambda a: a[index]), [draw(float64_arrays(shape))]


def case_concat(draw):
    shape = draw(shapes(min_dims=1))
    axis = draw(st.integers(0, len(shape) - 1))
    other = list(shape)
    other[axis] = draw(st.integers(1, 3))
    return (lambda a, b: tg.concat([a, b, a], axis=axis)), \
        [draw(float64_arrays(shape)), draw(float64_arrays(tuple(other)))]


def case_stack(draw):
    shape = draw(shapes())
    axis = draw(st.integers(0, len(shape)))
    return (lambda a, b: tg.stack([a, b], axis=axis)), \
        [draw(float64_arrays(shape)), draw(float64_arrays(shape))]


def case_pad(draw):
    shape = draw(shapes(min_dims=1))
    width = [(draw(st.integers(0, 2)), draw(st.integers(0, 2))) for _ in shape]
    return (lambda a: a.pad(width, value=0.5)), [draw(float64_arrays(shape))]


def case_matmul(draw):
    n, k, m = (draw(st.integers(1, 4)) for _ in range(3))
    batch = draw(st.sampled_from([(), (2,), (2, 1)]))
    kind = draw(st.sampled_from(["mm", "batched", "vec_mat", "mat_vec", "vec_vec", "broadcast"]))
    shapes_ = {"mm": ((n, k), (k, m)), "batched": (batch + (n, k), batch + (k, m)),
               "vec_mat": ((k,), (k, m)), "mat_vec": (batch + (n, k), (k,)),
               "vec_vec": ((k,), (k,)), "broadcast": ((3,) + (n, k), (k, m))}[kind]
    return (lambda a, b: a @ b), [draw(float64_arrays(s)) for s in shapes_]


def case_linear(draw):
    n, i, o = (draw(st.integers(1, 4)) for _ in range(3))
    batch = draw(st.sampled_from([(), (n,), (2, n)]))  # one sample, a batch, batches of them
    from tinygrad_edu.nn import functional as F
    return (lambda x, w, b: F.linear(x, w, b)), \
        [draw(float64_arrays(batch + (i,))), draw(float64_arrays((o, i))), draw(float64_arrays((o,)))]


def axis_case(method):
    def case(draw):
        shape = draw(shapes(min_dims=1))
        axis = draw(st.integers(-len(shape), len(shape) - 1))
        return (lambda a: getattr(a, method)(axis=axis)), [draw(float64_arrays(shape))]
    return case


def case_cross_entropy(draw):
    b, c = draw(st.integers(1, 4)), draw(st.integers(2, 5))
    targets = np.array(draw(st.lists(st.integers(0, c - 1), min_size=b, max_size=b)))
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    from tinygrad_edu.nn import functional as F
    return (lambda z: F.cross_entropy(z, targets, reduction=reduction)), \
        [draw(float64_arrays((b, c)))]


CASES = {
    "add": binary(lambda a, b: a + b),
    "sub": binary(lambda a, b: a - b),
    "mul": binary(lambda a, b: a * b),
    "div": binary(lambda a, b: a / b, second=nonzero_arrays),
    "pow": case_pow,
    "pow_scalar": case_pow_scalar,
    "maximum": binary(lambda a, b: a.maximum(b)),
    "minimum": binary(lambda a, b: a.minimum(b)),
    "where": case_where,
    "neg": unary(lambda a: -a),
    "cast": unary(lambda a: U.Cast.apply(a, dtype=np.float64)),
    "exp": unary(lambda a: a.exp()),
    "log": unary(lambda a: a.log(), positive_arrays),
    "sqrt": unary(lambda a: a.sqrt(), positive_arrays),
    "abs": unary(lambda a: a.abs()),
    "relu": unary(lambda a: a.relu()),
    "leaky_relu": unary(lambda a: a.leaky_relu(0.1)),
    "tanh": unary(lambda a: a.tanh()),
    "sigmoid": unary(lambda a: a.sigmoid()),
    "clip": case_clip,
    "sin": unary(lambda a: a.sin()),
    "cos": unary(lambda a: a.cos()),
    "erf": unary(lambda a: a.erf()),
    "softplus": case_softplus,
    "sign": unary(lambda a: a.sign()),
    "floor": unary(lambda a: a.floor()),
    "ceil": unary(lambda a: a.ceil()),
    "cumsum": case_cumsum,
    "dropout": case_dropout,
    "sum": reduction("sum"),
    "mean": reduction("mean"),
    "max": reduction("max"),
    "min": reduction("min"),
    "var": case_var,
    "std": case_std,
    "reshape": case_reshape,
    "permute": case_permute,
    "expand": case_expand,
    "getitem": case_getitem,
    "concat": case_concat,
    "stack": case_stack,
    "pad": case_pad,
    "matmul": case_matmul,
    "linear": case_linear,
    "softmax": axis_case("softmax"),
    "log_softmax": axis_case("log_softmax"),
    "cross_entropy": case_cross_entropy,
    "binary_cross_entropy": case_binary_cross_entropy,
    "conv2d": case_conv2d,
    "max_pool2d": pool_case("max_pool2d"),
    "avg_pool2d": pool_case("avg_pool2d"),
    "lstm_cell": case_lstm_cell,
    "lstm_layer": case_lstm_layer,
    "unfold": case_unfold,
    "fold": case_fold,
    "scatter": case_scatter,
}


