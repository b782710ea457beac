"""Pictures rendered with each available Graphviz engine and checked by parsing the SVG."""
import os
import random
import shutil
import sys
import sysconfig
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from tinygrad_edu import Tensor, nn
from tinygrad_edu.core import topological_order
from tinygrad_edu.scalar import MLP, Value
from tinygrad_edu.viz import RendererNotFound, draw_graph, render
from tinygrad_edu.viz import renderer as render_module
from tinygrad_edu.viz.style import NONFINITE, PALETTE, VANISHED

SVG = "{http://www.w3.org/2000/svg}"


def engines():
    found = {}
    dot = shutil.which("dot")
    if dot:
        found["dot"] = dot
    elif os.environ.get("CI"):
        found["dot"] = "dot is missing in CI"  # .ci/run installs it: fail loudly
    pure = shutil.which("graphviz-pure") or os.path.join(sysconfig.get_path("scripts"), "graphviz-pure")
    found["graphviz-pure"] = pure
    return found


ENGINES = engines()


def svg_of(dot, tmp_path, engine):
    path = render(dot, tmp_path / "g.svg", renderer=ENGINES[engine])
    root = ET.parse(path).getroot()
    nodes = {g.find(SVG + "title").text: g for g in root.iter(SVG + "g") if g.get("class") == "node"}
    edges = [g.find(SVG + "title").text for g in root.iter(SVG + "g") if g.get("class") == "edge"]
    return nodes, edges


def text_of(g):
    return " ".join(t.text or "" for t in g.iter(SVG + "text"))


def fill_of(g):
    shape = next(e for e in g if e.tag in (SVG + "path", SVG + "polygon", SVG + "ellipse"))
    return shape.get("fill")


def neuron():
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    out = (x1 * w1 + x2 * w2 + b).tanh()
    out.label = "out"
    return out, (x1, x2, w1, w2, b)


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_node_and_edge_counts_match_the_graph_and_labels_carry_values(engine, tmp_path):
    out, (x1, x2, w1, w2, b) = neuron()
    out.backward()
    nodes, edges = svg_of(draw_graph(out), tmp_path, engine)
    order = topological_order(out)
    ops = [n for n in order if n.parents]
    assert len(nodes) == len(order) + len(ops)
    assert len(edges) == sum(len(set(map(id, n.parents))) for n in ops) + len(ops)
    labels = {text_of(g) for g in nodes.values()}
    assert "w1 data -3 grad 1" in labels and "x1 data 2 grad -1.5" in labels
    assert "out data 0.7071 grad 1" in labels


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_gradient_colours_follow_magnitudes_and_vanished_and_nan_are_marked(engine, tmp_path):
    a = Value(1.0, label="small")
    b = Value(1.0, label="big")
    dead = Value(-1.0, label="dead")
    y = a * 0.001 + b * 1000.0 + dead.relu()
    y.backward()
    nodes, _ = svg_of(draw_graph(y), tmp_path, engine)
    by_label = {text_of(g).split(" ")[0]: g for g in nodes.values()}
    small, big = PALETTE.index(fill_of(by_label["small"])), PALETTE.index(fill_of(by_label["big"]))
    assert small < big
    assert fill_of(by_label["dead"]) == VANISHED
    assert "vanished: relu off" in text_of(by_label["dead"])

    x = Tensor([0.0, 1.0], requires_grad=True, label="x")
    x.log().sum().backward()   # d/dx log(x) = 1/x: inf at 0
    nodes, _ = svg_of(draw_graph(x.log().sum()), tmp_path, engine)
    xnode = next(g for g in nodes.values() if text_of(g).startswith("x "))
    assert fill_of(xnode) == NONFINITE and "not finite" in text_of(xnode)


def test_before_backward_the_picture_says_no_gradient_yet():
    out, _ = neuron()
    source = draw_graph(out).source
    assert "no gradient yet" in source and "grad 0" not in source


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_collapse_scalar_mlp_to_modules_and_expand_one(engine, tmp_path):
    model = MLP(2, [16, 16, 1], rng=random.Random(0))
    out = model([0.5, -1.5])
    out.backward()
    full, _ = svg_of(draw_graph(out, collapse=False), tmp_path, engine)
    collapsed, collapsed_edges = svg_of(draw_graph(out, collapse=True), tmp_path, engine)
    assert len(collapsed) == 3 and len(collapsed_edges) == 2
    by_name = {text_of(g).split(" ")[0]: text_of(g) for g in collapsed.values()}
    assert sorted(by_name) == ["MLP.layers.0", "MLP.layers.1", "MLP.layers.2"]
    assert "272 parameters" in by_name["MLP.layers.1"] and "|grad| norm" in by_name["MLP.layers.1"]
    opened, _ = svg_of(draw_graph(out, collapse=True, expand=["layers.1"]), tmp_path, engine)
    layer1 = [n for n in topological_order(out) if n._frame and n._frame.modules[1] is model.layers[1]]
    params1 = {id(p) for p in model.layers[1].parameters()}
    drawn = len(layer1) + sum(1 for n in layer1 if n.parents) + len(params1)
    assert len(opened) == 2 + drawn
    assert len(full) > len(opened) > len(collapsed)


def test_large_graphs_collapse_automatically():
    model = MLP(2, [16, 16, 1], rng=random.Random(0))
    source = draw_graph(model([0.5, -1.5])).source
    assert "box3d" in source and "parameters" in source


def test_dot_output_is_byte_identical_across_runs():
    def build():
        nn_model = nn.MLP(3, [4, 2])
        x = Tensor(np.linspace(-1, 1, 6).reshape(2, 3))
        loss = nn_model(x).relu().sum()
        loss.backward()
        return draw_graph(loss).source
    import tinygrad_edu as tg
    tg.manual_seed(0)
    first = build()
    tg.manual_seed(0)
    assert build() == first


def test_tensor_graph_shows_shapes_dtypes_and_module_clusters():
    import tinygrad_edu as tg
    tg.manual_seed(0)
    model = nn.MLP(4, [3, 2])
    loss = tg.nn.functional.cross_entropy(model(Tensor(np.ones((5, 4)))), np.array([0, 1, 0, 1, 1]))
    loss.backward()
    source = draw_graph(loss).source
    assert "shape (5, 3) float32" in source and "shape (3, 4) float32" in source
    assert 'label="MLP.0 (Linear)"' in source and "cross_entropy" in source


def test_missing_renderer_gives_clear_error_and_still_writes_dot(tmp_path, monkeypatch):
    monkeypatch.setattr(render_module, "find_renderer", lambda: None)
    out, _ = neuron()
    with pytest.raises(RendererNotFound, match="apt-get install graphviz.*pip install graphviz-pure"):
        render(draw_graph(out), tmp_path / "n.svg")
    assert "\ndigraph" in (tmp_path / "n.dot").read_text()  # the source survives


def test_png_and_dot_outputs(tmp_path):
    out, _ = neuron()
    png = render(draw_graph(out), tmp_path / "n.png")
    assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    assert render(draw_graph(out), tmp_path / "n.dot").endswith("n.dot")
    with pytest.raises(ValueError, match="unknown format 'jpeg'"):
        render(draw_graph(out), tmp_path / "n.jpeg")


def test_unrolled_time_steps_fold_into_x_n_calls():
    import tinygrad_edu as tg
    import tinygrad_edu.nn.functional as F

    class Unrolled(nn.Module):
        def __init__(self):
            self.cell = nn.RNNCell(3, 4)
            self.head = nn.Linear(4, 2)

        def forward(self, x):
            h = None
            for t in range(x.shape[1]):
                h = self.cell(x[:, t], h)
            return self.head(h)

    tg.manual_seed(0)
    model = Unrolled()
    loss = F.cross_entropy(model(Tensor(np.random.default_rng(0).random((2, 6, 3)))), np.array([0, 1]))
    loss.backward()
    source = draw_graph(loss, collapse=True).source
    assert "Unrolled.cell</B><BR/>RNNCell<BR/>36 parameters<BR/>x 6 calls" in source
    assert "Unrolled.head</B><BR/>Linear<BR/>10 parameters<BR/>|grad| norm" in source


def test_huge_graphs_are_refused_clearly():
    x = Value(1.0)
    y = x
    for _ in range(3000):
        y = y * 1.0001
    with pytest.raises(ValueError, match=r"draw_graph: 9,001 nodes or edges to draw is more than limit=5,000"):
        draw_graph(y, limit=5000)


def test_a_crashing_renderer_falls_back_and_total_failure_says_what_to_do(tmp_path):
    import os
    import shutil
    from tinygrad_edu.viz.renderer import RenderFailed, _run_renderers
    crash = tmp_path / "crashing-dot"
    crash.write_text("#!/bin/sh\nkill -SEGV $$\n")
    os.chmod(crash, 0o755)
    pure = shutil.which("graphviz-pure") or os.path.join(os.path.dirname(sys.executable), "graphviz-pure")
    svg = _run_renderers("digraph { a -> b }", "svg", [str(crash), pure])
    assert b"<svg" in svg
    with pytest.raises(RenderFailed, match=r"crashing-dot crashed \(signal 11\).*collapse"):
        _run_renderers("digraph { a -> b }", "svg", [str(crash)])


def test_the_cli_draws_a_dense_fan_without_a_traceback(tmp_path):
    import subprocess
    expression = "+".join(["x"] * 300)  # crashes Graphviz 2.43's dot; the fallback draws it
    result = subprocess.run([sys.executable, "-m", "tinygrad_edu", "graph", expression, "--set",
                             "x=1", "-o", str(tmp_path / "fan.svg")], capture_output=True,
                            text=True, timeout=300)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0 and (tmp_path / "fan.svg").read_text().lstrip().startswith("<?xml")


def test_rendering_never_overwrites_a_dot_file_the_user_wrote(tmp_path):
    from tinygrad_edu.viz import render
    mine = tmp_path / "g.dot"
    mine.write_text("digraph mine { hand -> written }")
    x = Value(2.0, label="x")
    render(draw_graph(x * x), tmp_path / "g.svg")
    assert mine.read_text() == "digraph mine { hand -> written }"
    assert (tmp_path / "g.svg.dot").read_text().startswith("// tinygrad_edu")
    render(draw_graph(x * x), tmp_path / "h.svg")
    render(draw_graph(x + x), tmp_path / "h.svg")     # our own source is ours to replace
    assert "+" in (tmp_path / "h.dot").read_text()


def test_an_operand_used_twice_is_one_edge_with_a_count():
    x = Value(2.0, label="x")
    source = draw_graph(x * x).source
    assert source.count("v0 -> o1") == 1 and 'headlabel=x2' in source
