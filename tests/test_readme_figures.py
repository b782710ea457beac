"""The README's demo table quotes what the demos print (full runs), so the two cannot
drift apart again. mlp_scalar (about a minute) is left to `python scripts/check_readme_figures.py`."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts"))
from check_readme_figures import accepted, check, readme_figures  # noqa: E402

pytestmark = pytest.mark.trained

FAST = sorted(set(readme_figures()) - {"mlp_scalar"})


def test_the_table_lists_every_demo():
    demos = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "demos")
    assert set(readme_figures()) == {f[:-3] for f in os.listdir(demos)
                                     if f.endswith(".py") and not f.startswith("_")}


def test_figures_are_read_to_the_digits_they_are_written_with():
    assert accepted("test accuracy 0.953") == pytest.approx((0.9525, 0.9535))
    assert accepted("error 1.4e-10") == pytest.approx((1.35e-10, 1.45e-10))
    assert accepted("distance 0.24-0.30 (0.269 here)") == (0.24, 0.30)


@pytest.mark.parametrize("name", FAST)
def test_the_readme_quotes_what_the_demo_prints(name):
    if name == "graduate":
        pytest.importorskip("torch", reason="graduate loads the model into PyTorch: pip install -e '.[torch]'")
    ((_, value, cell, ok),) = check([name])
    assert ok, f"{name} prints {value:.4g} but the README says {cell!r}"
