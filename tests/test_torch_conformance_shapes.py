"""PyTorch conformance, shapes and indexing: reshape/view, permute, transpose, expand,
squeeze/unsqueeze(dim), flatten, flip, repeat, chunk, split, gather, cat and stack with
negative dims, and indexing (ints, slices, None, ellipsis, index arrays, masks, and
PyTorch's axis order when an integer meets an index array)."""
import numpy as np
import pytest

pytest.importorskip("torch", reason="PyTorch is not installed (pip install '.[test]'); "
                    "the conformance suite compares against it")

from torch_conformance import Case, check, ids  # noqa: E402

X3 = (2, 3, 4)
CASES = [
    Case("reshape", lambda t, x: x.reshape(3, 2), ((2, 3),)),
    Case("reshape tuple -1", lambda t, x: x.reshape((-1,)), (X3,)),
    Case("view", lambda t, x: x.view(4, -1), (X3,)),
    Case("permute", lambda t, x: x.permute(2, 0, 1), (X3,)),
    Case("permute negative", lambda t, x: x.permute(-1, 0, 1), (X3,)),
    Case("transpose", lambda t, x: x.transpose(0, 1), ((2, 3),)),
    Case("transpose negative", lambda t, x: x.transpose(-1, -3), (X3,)),
    Case(".T", lambda t, x: x.T, ((2, 3),)),
    Case("expand", lambda t, x: x.expand(2, 3), ((1, 3),)),
    Case("expand -1 new dim", lambda t, x: x.expand(4, -1, 3), ((2, 1),)),
    Case("squeeze", lambda t, x: x.squeeze(), ((2, 1, 3, 1),)),
    Case("squeeze dim", lambda t, x: x.squeeze(dim=1), ((2, 1, 3),)),
    Case("squeeze dim of size 2 is a no-op", lambda t, x: x.squeeze(0), ((2, 3),)),
    Case("squeeze negative", lambda t, x: x.squeeze(-1), ((2, 1),)),
    Case("squeeze tuple", lambda t, x: x.squeeze((0, 2)), ((1, 3, 1),)),
    Case("unsqueeze 0", lambda t, x: x.unsqueeze(0), ((2, 3),)),
    Case("unsqueeze dim=-1", lambda t, x: x.unsqueeze(dim=-1), ((2, 3),)),
    Case("unsqueeze 0-d", lambda t, x: x.unsqueeze(0), ((),)),
    Case("flatten", lambda t, x: x.flatten(), (X3,)),
    Case("flatten 1", lambda t, x: x.flatten(1), (X3,)),
    Case("flatten 0-d", lambda t, x: x.flatten(), ((),)),
    Case("flip 0", lambda t, x: x.flip(0), ((3, 2),)),
    Case("flip -1", lambda t, x: x.flip(-1), (X3,)),
    Case("flip tuple", lambda t, x: x.flip((0, 2)), (X3,)),
    Case("flip varargs", lambda t, x: x.flip(0, 1), ((2, 3),)),
    Case("repeat", lambda t, x: x.repeat(2, 1), ((2, 3),)),
    Case("repeat new dims", lambda t, x: x.repeat(2, 1, 3), ((2, 3),)),
    Case("repeat tuple", lambda t, x: x.repeat((3,)), ((2,),)),
    Case("chunk", lambda t, x: x.chunk(2, dim=1), ((2, 4),)),
    Case("chunk uneven", lambda t, x: x.chunk(3), ((5,),)),
    Case("chunk fewer pieces", lambda t, x: x.chunk(4, 0), ((6, 2),)),
    Case("chunk negative dim", lambda t, x: x.chunk(2, dim=-1), (X3,)),
    Case("split size", lambda t, x: x.split(2), ((5, 2),)),
    Case("split sizes", lambda t, x: x.split([1, 2], dim=1), ((2, 3),)),
    Case("split negative dim", lambda t, x: x.split(3, dim=-1), (X3,)),
    Case("gather dim 1", lambda t, x, i: x.gather(1, i), ((2, 3), np.array([[0, 2, 2], [1, 0, 1]]))),
    Case("gather dim 0 smaller index", lambda t, x, i: x.gather(0, i), ((3, 2), np.array([[2, 0]]))),
    Case("gather dim -1", lambda t, x, i: x.gather(-1, i), (X3, np.zeros((2, 3, 2), dtype=np.int64))),
    Case("cat dim 1", lambda t, a, b: t.T.cat([a, b], dim=1), ((2, 3), (2, 1))),
    Case("cat default", lambda t, a, b: t.T.cat([a, b]), ((2, 3), (1, 3))),
    Case("cat dim -1", lambda t, a, b: t.T.cat((a, b, a), dim=-1), ((2, 2), (2, 1))),
    Case("cat positional", lambda t, a, b: t.T.cat([a, b], 0), ((1,), (3,))),
    Case("stack", lambda t, a, b: t.T.stack([a, b]), ((2, 3), (2, 3))),
    Case("stack dim=-1", lambda t, a, b: t.T.stack([a, b], dim=-1), ((2, 3), (2, 3))),
    Case("stack dim 1", lambda t, a, b: t.T.stack([a, b, a], 1), ((2,), (2,))),
    Case("stack 0-d", lambda t, a, b: t.T.stack([a, b]), ((), ())),
]

INDEXES = {
    "[0]": lambda t, x: x[0], "[-1]": lambda t, x: x[-1], "[:, 1]": lambda t, x: x[:, 1],
    "[1:, ::2]": lambda t, x: x[1:, ::2], "[..., 0]": lambda t, x: x[..., 0],
    "[None]": lambda t, x: x[None], "[:, None, 1:]": lambda t, x: x[:, None, 1:],
    "[[0, 1, 0]]": lambda t, x: x[[0, 1, 0]], "[:, [0, 2]]": lambda t, x: x[:, [0, 2]],
    "[[0, 1], [1, 2]]": lambda t, x: x[[0, 1], [1, 2]], "[0, [1, 2]]": lambda t, x: x[0, [1, 2]],
    "[1, :, [0, 1]]": lambda t, x: x[1, :, [0, 1]],        # numpy's order gives (2, 3)
    "[[0, 1], :, 1]": lambda t, x: x[[0, 1], :, 1], "[:, 1, [0, 3]]": lambda t, x: x[:, 1, [0, 3]],
    "[0, :, [1, 1]]": lambda t, x: x[0, :, [1, 1]], "[..., 1, [0, 2]]": lambda t, x: x[..., 1, [0, 2]],
    "[1, None, :, [0]]": lambda t, x: x[1, None, :, [0]], "[x > 0]": lambda t, x: x[x > 0],
    "[0][x[0] > 0]": lambda t, x: x[0][x[0] > 0], "[-1, -1, -1]": lambda t, x: x[-1, -1, -1],
}
CASES += [Case(f"index {name}", fn, (X3,)) for name, fn in INDEXES.items()]
CASES += [
    Case("broadcast_to", lambda t, x: x.broadcast_to((2, 3)), ((3,),)),
    Case("swapaxes", lambda t, x: x.swapaxes(0, 2), (X3,)),
    Case("concat", lambda t, a, b: t.T.concat([a, b], dim=-1), ((2, 1), (2, 2))),
    Case("detach cuts the gradient", lambda t, x: x.detach() * x, ((3,),)),
    Case("index by int tensor", lambda t, x, i: x[i], ((4, 2), np.array([3, 0, 3]))),
    Case("index by bool tensor", lambda t, x, m: x[m], ((3, 2), np.array([True, False, True]))),
    Case("index 2-d int tensor", lambda t, x, i: x[i], ((4,), np.array([[0, 1], [3, 3]]))),
    Case("index 0-d with None", lambda t, x: x[None], ((),)),
    Case("index 0-d with ...", lambda t, x: x[...], ((),)),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_shape_op_matches_pytorch(case):
    check(case)


def test_the_issue_example_has_pytorchs_shape():
    import tinygrad_edu as tg
    x = tg.Tensor(np.arange(24.0).reshape(2, 3, 4))
    assert x[1, :, [0, 1]].shape == (3, 2)
    assert x[1, :, [0, 1]].tolist() == [[12.0, 13.0], [16.0, 17.0], [20.0, 21.0]]


PLAIN = {  # methods that give Python values: compared as they are
    "numel": lambda x: x.numel(), "dim": lambda x: x.dim(), "size()": lambda x: tuple(x.size()),
    "size(-1)": lambda x: x.size(-1), "len": lambda x: len(x), "shape": lambda x: tuple(x.shape),
    "ndim": lambda x: x.ndim, "tolist": lambda x: x.tolist(), "item": lambda x: x[0, 0, 1].item(),
    "is_leaf": lambda x: x.is_leaf, "requires_grad": lambda x: x.requires_grad,
    "result is_leaf": lambda x: (x * 2).is_leaf, "requires_grad_": lambda x: x.detach().requires_grad_().requires_grad,
}


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_plain_values_match_pytorch(name):
    import torch
    import tinygrad_edu as tg
    values = np.arange(24.0).reshape(2, 3, 4)
    fn = PLAIN[name]
    assert fn(tg.Tensor(values, requires_grad=True)) == fn(torch.tensor(values, requires_grad=True))
