"""Stepper pages: size, build time, and in headless Chromium the load time and how fast
one step responds, for the tour's neuron, the 64-16-16-10 digits MLP (batch 32) with
cross-entropy, and a scalar MLP 2-16-16-1 (opened as module views). Needs Debian's
chromium and the playwright package (the test extra).

Run: python benchmarks/bench_html.py
Targets: neuron page < 150 KB, digits-MLP page < 2 MB; digits-MLP page loads in < 1.5 s
and each step responds in < 50 ms.
"""
from __future__ import annotations

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests"))

from browser import Browser  # noqa: E402

from tinygrad_edu.stepper import Stepper  # noqa: E402
from tinygrad_edu.teach.demo_models import demo_model  # noqa: E402
from tinygrad_edu.teach.tour import build_neuron  # noqa: E402

STEP_JS = """() => {
  const counter = document.querySelector('.tg-counter');
  const before = counter.textContent;
  const t0 = performance.now();
  document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight'}));
  if (counter.textContent === before) return null;
  return performance.now() - t0;
}"""


def measure(name, root, browser, limit_kb=None):
    t0 = time.perf_counter()
    html = Stepper(root).to_html()
    built = time.perf_counter() - t0
    size_kb = len(html.encode("utf-8")) / 1024
    loads, steps = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        page = browser.open(html)
        page.wait_for_selector(".tg-stepper[data-ready]")
        loads.append(time.perf_counter() - t0)
        frames = page.evaluate("() => JSON.parse(document.querySelector('.tg-data').textContent).frames.length")
        for _ in range(frames - 1):
            took = page.evaluate(STEP_JS)
            if took is not None:
                steps.append(took)
        assert not page.errors, page.errors
        page.context.close()
    target = f" (target < {limit_kb:,} KB)" if limit_kb else " (no size target)"
    print(f"{name}: {size_kb:,.0f} KB{target}, built in {built:.2f} s; "
          f"loads in {statistics.median(loads):.2f} s (median of 5, target < 1.5 s); "
          f"one step {statistics.median(steps):.1f} ms median, {max(steps):.1f} ms worst "
          f"of {len(steps)} (target < 50 ms)")


def main():
    browser = Browser()
    try:
        measure("neuron page", build_neuron()[0], browser, 150)
        measure("digits MLP 64-16-16-10 (batch 32) page", demo_model("digits_mlp"), browser, 2048)
        measure("scalar MLP 2-16-16-1 (1,009 nodes, module views) page", demo_model("mlp"),
                browser)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
