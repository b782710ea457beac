"""Picture speed: build and render to SVG the graph of one training step of the
64-16-16-10 tensor MLP, and of the scalar MLP(2, [16, 16, 1]) on one input (collapsed
and fully expanded). Prints seconds for each, with the renderer used.

Run: python benchmarks/bench_viz.py [--renderer PATH]
Targets: < 1 s for the tensor MLP and the collapsed scalar graph, < 10 s expanded.
"""
from __future__ import annotations

import argparse
import os
import random
import tempfile
import time

import numpy as np

import tinygrad_edu as tg
import tinygrad_edu.nn.functional as F
from tinygrad_edu import Tensor, nn
from tinygrad_edu.scalar import MLP
from tinygrad_edu.viz import draw_graph, find_renderer, render


def timed(label, build, renderer, folder):
    t0 = time.perf_counter()
    dot = build()
    t1 = time.perf_counter()
    render(dot, os.path.join(folder, label.replace(" ", "_") + ".svg"), renderer=renderer)
    t2 = time.perf_counter()
    nodes = dot.source.count("[label=")
    print(f"  {label:34s} build {t1 - t0:6.3f} s  render {t2 - t1:6.3f} s  total {t2 - t0:6.3f} s"
          f"  ({nodes} DOT nodes)")


def tensor_step():
    tg.manual_seed(0)
    model = nn.MLP(64, [16, 16, 10])
    x = Tensor(np.random.default_rng(0).random((32, 64)))
    loss = F.cross_entropy(model(x), np.arange(32) % 10)
    loss.backward()
    return loss


def scalar_out():
    model = MLP(2, [16, 16, 1], rng=random.Random(0))
    out = model([0.5, -1.5])
    out.backward()
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renderer", default=None, help="dot-compatible binary (default: auto)")
    args = parser.parse_args()
    renderers = [args.renderer] if args.renderer else \
        [r for r in {find_renderer(), os.path.join(os.path.dirname(os.sys.executable), "graphviz-pure")}
         if r and os.path.exists(r)]
    loss, out = tensor_step(), scalar_out()
    with tempfile.TemporaryDirectory() as folder:
        for renderer in sorted(renderers):
            print(f"renderer: {renderer}")
            timed("tensor MLP 64-16-16-10 step", lambda: draw_graph(loss), renderer, folder)
            timed("scalar MLP(2,[16,16,1]) collapsed", lambda: draw_graph(out, collapse=True),
                  renderer, folder)
            timed("scalar MLP(2,[16,16,1]) expanded", lambda: draw_graph(out, collapse=False),
                  renderer, folder)


if __name__ == "__main__":
    main()
