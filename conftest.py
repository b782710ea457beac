"""Hypothesis profiles: 'ci' (the default) is deterministic; 'dev' explores new cases.

Choose with HYPOTHESIS_PROFILE=dev pytest.
"""
import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    print_blob=True,
)
settings.register_profile("dev", deadline=None, max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Tests share small helpers (tests/browser.py); importlib mode does not put tests/ on the path.
import sys  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "tests"))


def pytest_configure(config):
    # .ci/run runs these once more under OPENBLAS_CORETYPE=Sandybridge: results of training
    # differ between CPUs' BLAS kernels, and what these tests assert must hold on all of them.
    config.addinivalue_line("markers", "trained: asserts what training produced (CI repeats it "
                                       "on another CPU's BLAS kernels)")
