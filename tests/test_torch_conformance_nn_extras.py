"""PyTorch conformance for the loss modules, containers and activations tutorials use
(nn.CrossEntropyLoss, MSELoss, L1Loss, ModuleList, Identity, GELU, SiLU, F.one_hot,
F.l1_loss), Module.apply, optimiser param_groups and nn.utils.clip_grad_norm_."""
import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is not installed (pip install '.[test]'); "
                            "the conformance suite compares against it")

from torch_conformance import Case, Raises, check, ids  # noqa: E402

import tinygrad_edu as tg  # noqa: E402
from tinygrad_edu import nn, optim  # noqa: E402

LABELS = np.array([2, 0, 1])
CASES = [
    Case("CrossEntropyLoss", lambda t, x, y: t.T.nn.CrossEntropyLoss()(x, y), ((3, 4), LABELS)),
    Case("CrossEntropyLoss sum", lambda t, x, y: t.T.nn.CrossEntropyLoss(reduction="sum")(x, y),
         ((3, 4), LABELS)),
    Case("NLLLoss", lambda t, x, y: t.T.nn.NLLLoss()(x.log_softmax(dim=1), y), ((3, 4), LABELS)),
    Case("MSELoss", lambda t, a, b: t.T.nn.MSELoss()(a, b), ((2, 3), (2, 3))),
    Case("MSELoss none", lambda t, a, b: t.T.nn.MSELoss(reduction="none")(a, b), ((4,), (4,))),
    Case("L1Loss", lambda t, a, b: t.T.nn.L1Loss()(a, b), ((2, 3), (2, 3))),
    Case("F.l1_loss sum", lambda t, a, b: t.F.l1_loss(a, b, reduction="sum"), ((5,), (5,))),
    Case("BCEWithLogitsLoss", lambda t, x, y: t.T.nn.BCEWithLogitsLoss()(x, y),
         ((4,), np.array([0.0, 1.0, 1.0, 0.0]))),
    Case("GELU", lambda t, x: t.T.nn.GELU()(x), ((2, 3),)),
    Case("GELU tanh", lambda t, x: t.T.nn.GELU(approximate="tanh")(x), ((2, 3),)),
    Case("SiLU", lambda t, x: t.T.nn.SiLU()(x), ((2, 3),)),
    Case("Identity", lambda t, x: t.T.nn.Identity(54, unused="x")(x) * 2, ((3,),)),
    Case("F.one_hot", lambda t, y: t.F.one_hot(y), (LABELS,)),
    Case("F.one_hot num_classes", lambda t, y: t.F.one_hot(y, num_classes=5), (LABELS,)),
    Case("F.one_hot 2-D", lambda t, y: t.F.one_hot(y, 3), (np.array([[0, 2], [1, 1]]),)),
]
RAISES = [
    Raises("F.one_hot of floats", lambda t, x: t.F.one_hot(x.detach()), ((3,),)),
    Raises("F.one_hot index too large", lambda t, y: t.F.one_hot(y, 2), (LABELS,)),
    Raises("CrossEntropyLoss bad reduction", lambda t: t.T.nn.CrossEntropyLoss(reduction="avg")(
        t.T.zeros(2, 3), t.T.tensor([0, 1]))),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_matches_pytorch(case):
    check(case)


@pytest.mark.parametrize("case", RAISES, ids=ids(RAISES))
def test_both_refuse(case):
    check(case)


def test_module_list_registers_its_modules_with_pytorch_names():
    class Net(nn.Module):
        def __init__(self):
            self.blocks = nn.ModuleList([nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)])

    class TorchNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = torch.nn.ModuleList([torch.nn.Linear(2, 3), torch.nn.ReLU(),
                                               torch.nn.Linear(3, 1)])

    ours, theirs = Net(), TorchNet()
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert len(ours.blocks) == 3 and isinstance(ours.blocks[-1], nn.Linear)
    assert len(ours.blocks[:2]) == 2
    with pytest.raises(TypeError, match="ModuleList: expected a Module"):
        ours.blocks.append(3)


def test_apply_visits_children_first_then_the_module():
    ours = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Tanh()))
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Sequential(torch.nn.Tanh()))
    seen, seen_torch = [], []
    assert ours.apply(lambda m: seen.append(type(m).__name__)) is ours
    theirs.apply(lambda m: seen_torch.append(type(m).__name__))
    assert seen == seen_torch == ["Linear", "Tanh", "Sequential", "Sequential"]


def test_param_groups_set_the_learning_rate_as_pytorch_code_does():
    w = tg.tensor([1.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.5, momentum=0.9)
    for group in opt.param_groups:
        group["lr"] = 0.1
    assert opt.lr == 0.1 and opt.param_groups[0]["params"] == [w]
    assert dict(opt.param_groups[0]).keys() == {"params", "lr", "momentum", "nesterov",
                                                 "weight_decay"}
    with pytest.raises(ValueError, match="lr must be a finite number"):
        opt.param_groups[0]["lr"] = -1.0
    with pytest.raises(KeyError, match="'nesterov' cannot be changed"):
        opt.param_groups[0]["nesterov"] = True
    assert "betas" in optim.Adam([w]).param_groups[0]


def test_parameter_group_dicts_are_refused_clearly():
    with pytest.raises(TypeError, match="parameter groups .* are not supported"):
        optim.SGD([{"params": [tg.tensor([1.0], requires_grad=True)]}], lr=0.1)


@pytest.mark.parametrize("max_norm, norm_type", [(1.0, 2.0), (100.0, 2.0), (0.5, 1.0),
                                                 (0.3, float("inf"))])
def test_clip_grad_norm_matches_pytorch(max_norm, norm_type):
    values = [np.array([3.0, -4.0]), np.array([[1.0, 2.0], [0.5, -2.5]])]
    ours = [tg.tensor(v, requires_grad=True) for v in values]
    theirs = [torch.tensor(v, requires_grad=True) for v in values]
    for ps, lib in ((ours, tg), (theirs, torch)):
        sum(((p * p * p).sum() for p in ps), lib.tensor(0.0, dtype=lib.float64)).backward()
    total = nn.utils.clip_grad_norm_(ours, max_norm, norm_type)
    t_total = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
    np.testing.assert_allclose(total.item(), t_total.item(), rtol=1e-12)
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-12)
