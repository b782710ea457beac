"""The stepper page as a teacher projects it, in a real headless Chromium at 1024x768 and
1920x1080 (labels at 1280x800): the graph fits the pane, follows the current node, zooms
and pans; labels are large, carry the gradient once reached, and have meaningful names;
presentation mode fills the screen; keys move only the stepper they belong to."""
import os
import re

import numpy as np
import pytest

from tinygrad_edu.core.graph import topological_order
from tinygrad_edu.core.text import format_number
from tinygrad_edu.scalar import Value
from tinygrad_edu.stepper import Stepper, build_frames
from tinygrad_edu.teach.demo_models import build_neuron, demo_model
from tinygrad_edu.teach.expression import parse_expression

from browser import chromium_path, settled, shared_browser

if not chromium_path():
    if os.environ.get("CI"):
        raise RuntimeError("the page tests need Chromium: apt-get install chromium (.ci/run does)")
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)

SIZES = [(1024, 768), (1920, 1080)]
NODES = ".tg-view:not([hidden]) g.node"
PAGES = {}


@pytest.fixture(scope="session")
def browser():
    return shared_browser()  # one Chromium for the whole session


def page_of(name):
    """Each page built once: the tour's neuron, the digits MLP (as `graph --model
    digits_mlp --html` writes it) and an expression typed on the command line."""
    if name not in PAGES:
        root = {"neuron": lambda: build_neuron()[0],
                "digits": lambda: demo_model("digits_mlp"),
                "expression": lambda: parse_expression("tanh(x*w + b)", {"x": 2, "w": -3, "b": 6.88})}[name]()
        PAGES[name] = (root, Stepper(root).to_html())
    return PAGES[name]


def boxes(page, selector=NODES):
    return page.eval_on_selector_all(selector, """els => els.map(e => {
        const r = e.getBoundingClientRect();
        return [e.querySelector('title').textContent, r.left, r.top, r.right, r.bottom]; })""")


def assert_inside(page, shown, where="viewport"):
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    pane = page.eval_on_selector(".tg-graph", "e => { const r = e.getBoundingClientRect(); "
                                              "return [r.left, r.top, r.right, r.bottom]; }")
    for name, left, top, right, bottom in shown:
        assert left >= 0 and top >= 0 and right <= width and bottom <= height, (where, name)
        assert left >= pane[0] - 1 and top >= pane[1] - 1 and right <= pane[2] + 1 and bottom <= pane[3] + 1, \
            (where, name, "outside the graph pane")


def current(page):
    return boxes(page, ".tg-view:not([hidden]) g.node.tg-current")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", ["neuron", "digits", "expression"])
def test_after_fit_every_node_is_inside_the_window(browser, name, size):
    page = browser.open(page_of(name)[1], *size)
    shown = boxes(page)
    assert len(shown) >= 9  # value boxes and op ellipses
    assert_inside(page, shown, "on opening")
    page.click(".tg-zoom-in"); page.click(".tg-zoom-in"); page.click(".tg-fit")
    assert_inside(page, boxes(page), "after zooming in and fitting again")
    assert page.errors == [] and page.remote == []


@pytest.mark.parametrize("size", SIZES)
def test_the_current_node_stays_in_view_at_every_step_of_the_digits_page(browser, size):
    root, html = page_of("digits")
    frames = build_frames(root)
    page = browser.open(html, *size, clock=True)  # glides on a fake clock: 10 s -> 3 s a size
    for zoomed in (False, True):
        page.keyboard.press("Home")
        if zoomed:  # closer than fit: now the view has to move to follow
            for _ in range(4):
                page.keyboard.press("+")
        for k in range(len(frames)):
            settled(page)
            here = current(page)
            assert here, f"frame {k}: no current node"
            assert_inside(page, here, f"frame {k}, zoomed {zoomed}")
            page.keyboard.press("ArrowRight")
    assert page.errors == []


@pytest.mark.parametrize("name", ["neuron", "digits", "expression"])
def test_labels_are_at_least_12_px_tall_at_1280x800(browser, name):
    page = browser.open(page_of(name)[1], 1280, 800)
    heights = page.eval_on_selector_all(NODES + " text", "els => els.map(e => e.getBoundingClientRect().height)")
    fonts = page.eval_on_selector_all(
        NODES + " text", "els => els.map(e => parseFloat(e.getAttribute('font-size')) * e.getScreenCTM().a)")
    assert min(heights) >= 12 and min(fonts) >= 12, (min(heights), min(fonts))


def texts_by_node(page):
    return dict(page.eval_on_selector_all(
        NODES, "els => els.map(e => [e.querySelector('title').textContent, "
               "[...e.querySelectorAll('text')].map(t => t.textContent)])"))


@pytest.mark.parametrize("size", SIZES)
def test_each_node_shows_its_gradient_once_backward_reaches_it(browser, size):
    page = browser.open(page_of("neuron")[1], *size)
    assert all("grad" not in " ".join(t) for t in texts_by_node(page).values())  # forward: none yet
    page.keyboard.press("End")
    root = build_neuron()[0]  # the same neuron, its gradients by backward
    order = topological_order(root)
    root.backward()
    texts = texts_by_node(page)
    for i, node in enumerate(order):
        want = f"data {format_number(node.data, digits=4)} | grad {format_number(node.grad, digits=4)}"
        assert texts[f"v{i}"] == [node.label, want]
    assert texts["v0"] == ["x1", "data 2 | grad -1.5"]
    legend = page.text_content(".tg-legend")
    assert "mean |grad|" in legend and "0.5" in legend and "1.5" in legend  # the scale's ends
    assert page.errors == []


def test_tensor_nodes_are_short_and_named_by_role_and_module(browser):
    root, html = page_of("digits")
    page = browser.open(html, 1280, 800)
    texts = texts_by_node(page)
    names = {rows[0] for name, rows in texts.items() if name[0] == "v"}
    assert {"input", "0 (Linear)", "1 (ReLU)", "2 (Linear)", "3 (ReLU)", "logits", "loss",
            "0.weight", "4.bias"} <= names
    assert not any(n.startswith("#") for n in names)
    assert texts["v6"] == ["input", "(32, 64)"]  # name and shape; the rest on click
    page.keyboard.press("End")
    grads = {rows[0]: rows[1] for rows in texts_by_node(page).values() if len(rows) == 2}
    assert re.fullmatch(r"\(16, 64\) \| grad \|max\| [0-9.e-]+", grads["0.weight"])


def test_an_expression_is_named_as_typed_and_the_panel_never_repeats_an_id(browser):
    root, html = page_of("expression")
    page = browser.open(html, 1024, 768)
    names = {rows[0] for name, rows in texts_by_node(page).items() if name[0] == "v"}
    assert names == {"x", "w", "b", "x*w", "x*w + b", "tanh(x*w + b)"}
    a = Value(2.0); b = Value(-3.0)
    out = (a * b + a).tanh()  # nothing labelled: #ids are all there is
    page = browser.open(Stepper(out).to_html(), 1024, 768)
    for _ in build_frames(out):
        assert not re.search(r"#(\d+) #\1\b", page.text_content(".tg-lines"))
        page.keyboard.press("ArrowRight")


def test_digit_images_show_as_images_and_heat_maps_have_a_scale(browser):
    root, html = page_of("digits")
    page = browser.open(html, 1280, 800)
    page.locator(f"{NODES}:has(> title:text-is('v6'))").click()
    title = page.text_content(".tg-pictures .tg-heat-title")
    assert title.startswith("value: 32 images of 8x8") and "min 0" in title and "max 1" in title
    page.keyboard.press("End")
    page.locator(f"{NODES}:has(> title:text-is('v0'))").click()
    titles = page.eval_on_selector_all(".tg-heat-title", "els => els.map(e => e.textContent)")
    weight = np.asarray(topological_order(root)[0].data)
    assert titles[0] == f"value: min {format_number(weight.min(), digits=4)}, max {format_number(weight.max(), digits=4)}"
    assert len(titles) == 2 and page.eval_on_selector_all(".tg-detail .tg-scale", "els => els.length") == 2


def svg_scale(page):
    return page.eval_on_selector(".tg-view:not([hidden]) svg", "s => s.getScreenCTM().a")


def test_zoom_by_keys_buttons_and_ctrl_wheel_pan_by_dragging(browser):
    page = browser.open(page_of("neuron")[1], 1024, 768)
    fitted = svg_scale(page)
    page.keyboard.press("+")
    assert svg_scale(page) == pytest.approx(fitted * 1.25)
    page.click(".tg-zoom-out")
    assert svg_scale(page) == pytest.approx(fitted)
    pane = page.eval_on_selector(".tg-graph", "e => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; }")
    page.mouse.move(pane[0] + pane[2] / 2, pane[1] + pane[3] / 2)
    page.keyboard.down("Control"); page.mouse.wheel(0, -300); page.keyboard.up("Control")
    assert svg_scale(page) > fitted * 2
    before = boxes(page)[0]
    page.mouse.move(pane[0] + 100, pane[1] + 100); page.mouse.down()
    page.mouse.move(pane[0] + 160, pane[1] + 140, steps=5); page.mouse.up()
    after = boxes(page)[0]
    assert after[1] - before[1] == pytest.approx(60, abs=2) and after[2] - before[2] == pytest.approx(40, abs=2)
    assert page.text_content(".tg-detail") == ""  # a drag is not a click
    page.keyboard.press("0")
    assert svg_scale(page) == pytest.approx(fitted)


@pytest.mark.parametrize("size", SIZES)
def test_presentation_mode_fills_the_window_with_graph_and_large_explanation(browser, size):
    page = browser.open(page_of("digits")[1], *size)
    page.keyboard.press("f")
    rect = page.eval_on_selector(".tg-stepper", "e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; }")
    assert rect == [size[0], size[1]]
    sizes = page.eval_on_selector_all(".tg-lines, .tg-line", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert len(sizes) > 1 and min(sizes) >= 20, sizes  # the explanation's lines too
    assert_inside(page, boxes(page), "presenting")
    for _ in range(15):
        page.keyboard.press("ArrowRight")
    settled(page)
    assert_inside(page, current(page), "presenting, stepping")
    page.keyboard.press("Escape")
    assert "tg-presenting" not in page.get_attribute(".tg-stepper", "class")
    page.click(".tg-present-button")
    assert "tg-presenting" in page.get_attribute(".tg-stepper", "class")


def test_keys_move_only_the_stepper_with_the_focus_or_under_the_mouse(browser):
    first = parse_expression("x*w + b", {"x": 1, "w": 2, "b": 3})
    second = build_neuron()[0]
    html = "<html><body>" + Stepper(first)._repr_html_() + Stepper(second)._repr_html_() + "</body></html>"
    page = browser.open(html, 1920, 1080)
    counters = lambda: [c.split("]")[0] for c in page.eval_on_selector_all(  # noqa: E731
        ".tg-counter", "els => els.map(e => e.textContent)")]
    page.keyboard.press("ArrowRight")  # nothing focused, mouse over neither: nobody moves
    assert counters() == ["[1/10", "[1/20"]
    page.locator(".tg-stepper").nth(0).locator(".tg-head").click()
    page.keyboard.press("ArrowRight")
    assert counters() == ["[2/10", "[1/20"]
    page.locator(".tg-stepper").nth(1).locator(".tg-next").click()
    page.keyboard.press("ArrowRight")
    assert counters() == ["[2/10", "[3/20"]
    page.evaluate("document.activeElement.blur()")
    page.locator(".tg-stepper").nth(0).locator(".tg-lines").hover()
    page.keyboard.press("End")
    assert counters() == ["[10/10", "[3/20"]
    assert page.errors == []


def test_a_450_term_sum_opens_readable_and_follows_the_current_node(browser):
    root = parse_expression("+".join(["x*w"] * 450), {"x": 0.5, "w": 2})
    page = browser.open(Stepper(root).to_html(), 1024, 768)
    for key in ("End", "ArrowLeft", "Home"):
        page.keyboard.press(key)
        settled(page)
        here = current(page)
        assert here
        assert_inside(page, here, key)
        height = page.eval_on_selector(".tg-view:not([hidden]) g.node.tg-current text",
                                       "t => t.getBoundingClientRect().height")
        assert height >= 12  # too big to fit readably: it opens close up, around the node
    assert page.errors == []
