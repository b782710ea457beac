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


def pytest_collection_finish(session):
    # Everything imported so far (torch, hypothesis, numpy, the test modules) lives until
    # the end: gc.freeze() keeps the cyclic collector from walking it again on every full
    # collection. Three test files took 76 CPU-s and 5.3 s of full collections before,
    # 68 CPU-s and 2.0 s after (load average 12, 2-core AMD EPYC).
    import gc
    gc.freeze()
