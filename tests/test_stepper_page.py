"""The HTML stepper in a real headless Chromium with the network blocked: what the page
shows is what the terminal frames say; keys, clicks, predict mode; escaping; no-JS."""
import os
import re

import numpy as np
import pytest

from tinygrad_edu.scalar import Value
from tinygrad_edu.stepper import Stepper, build_frames
from tinygrad_edu.stepper.page import PageTooLarge

from browser import chromium_path, shared_browser

if not chromium_path():
    if os.environ.get("CI"):
        raise RuntimeError("the page tests need Chromium: apt-get install chromium (.ci/run does)")
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="session")
def browser():
    return shared_browser()  # one Chromium for the whole session


def fan_out():
    """x feeds two consumers, so its gradient is a sum of two contributions."""
    x = Value(2.0, label="x"); y = Value(-3.0, label="y")
    p = x * y; p.label = "p"
    out = p + x * x; out.label = "out"
    return out, x


def shown(page):
    """The explanation as the terminal words it: each line's tooltip (the page writes it as
    mathematics), or, without JavaScript, the text itself."""
    lines = page.eval_on_selector_all(".tg-line", "els => els.map(e => e.title)")
    return "\n".join(lines) if lines else page.text_content(".tg-lines")


def test_the_explanation_reads_as_mathematics(browser):
    x = Value(2.0, label="x"); w = Value(-3.0, label="w")
    xw = x * w; xw.label = "x*w"
    out = xw * Value(2.0, label="k"); out.label = "out"
    frames = build_frames(out)
    page = browser.open(Stepper(out).to_html())
    k = next(k for k, f in enumerate(frames) if f.phase == "backward" and f.cursor == 2)
    page.fill(".tg-slider", str(k))
    math = page.eval_on_selector_all(".tg-line", "els => els.map(e => e.textContent)")
    assert math == ["x*w = -6, upstream ∂L/∂(x*w) = 2",
                    "  ∂L/∂x += 2 × ∂(x*w)/∂x [= w = -3] = -6",
                    "  ∂L/∂w += 2 × ∂(x*w)/∂w [= x = 2] = 4"]
    assert shown(page) == "\n".join(frames[k].lines)  # the terminal's words on hover


def test_every_frame_shows_the_terminal_frame_lines(browser):
    out, _ = fan_out()
    frames = build_frames(out)
    page = browser.open(Stepper(out).to_html())
    for k, frame in enumerate(frames):
        assert shown(page) == "\n".join(frame.lines), f"frame {k}"
        assert page.text_content(".tg-counter") == f"[{k + 1}/{len(frames)}] {frame.title}"
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Home")
    assert shown(page) == "\n".join(frames[0].lines)
    page.keyboard.press("End")
    assert shown(page) == "\n".join(frames[-1].lines)
    page.keyboard.press("ArrowLeft")
    assert shown(page) == "\n".join(frames[-2].lines)
    assert page.errors == [] and page.remote == [] and page.dialogs == []


def test_buttons_slider_and_play(browser):
    out, _ = fan_out()
    frames = build_frames(out)
    page = browser.open(Stepper(out).to_html())
    page.click(".tg-last")
    assert page.text_content(".tg-counter").startswith(f"[{len(frames)}/")
    page.click(".tg-first")
    page.click(".tg-next"); page.click(".tg-next"); page.click(".tg-back")
    assert shown(page) == "\n".join(frames[1].lines)
    page.fill(".tg-slider", "5")
    assert shown(page) == "\n".join(frames[5].lines)
    page.select_option(".tg-speed", label="fast")
    page.keyboard.press("Home")
    page.keyboard.press(" ")  # play
    page.wait_for_function("document.querySelector('.tg-counter').textContent.startsWith('[3/')")
    page.keyboard.press(" ")  # pause
    assert page.text_content(".tg-play") == "▶ play"
    assert page.errors == []


def test_the_current_node_is_highlighted_and_edges_coloured_when_reached(browser):
    out, _ = fan_out()
    frames = build_frames(out)
    page = browser.open(Stepper(out).to_html())
    first_backward = next(k for k, f in enumerate(frames) if f.phase == "backward")
    page.fill(".tg-slider", str(first_backward))
    cursor = frames[first_backward].cursor
    current = page.eval_on_selector_all("g.node.tg-current > title", "els => els.map(e => e.textContent)")
    assert f"v{cursor}" in current
    reached = page.eval_on_selector_all("g.edge.tg-reached > title", "els => els.map(e => e.textContent)")
    assert reached and all(t.endswith(f"o{cursor}") or t.startswith(f"o{cursor}") for t in reached)
    page.keyboard.press("Home")
    assert page.eval_on_selector_all("g.edge.tg-reached", "els => els.length") == 0


def test_a_nodes_contributions_add_up_to_its_grad(browser):
    out, x = fan_out()
    frames = build_frames(out)
    page = browser.open(Stepper(out).to_html())
    page.keyboard.press("End")
    x_id = next(row.node_id for row in frames[0].rows if row.name == "x")
    page.locator(f"g.node:has(> title:text-is('v{x_id}'))").first.click()
    items = page.eval_on_selector_all(".tg-contributions li", "els => els.map(e => e.textContent)")
    assert len(items) == 3  # from p = x * y, and twice from x * x (x is both factors)
    parts = [float(re.search(r"= (\S+)$", item).group(1)) for item in items]
    total = float(page.text_content(".tg-sum").split("= ")[1])
    out.backward()
    assert sum(parts) == pytest.approx(total) and total == pytest.approx(x.grad)


def test_predict_mode_right_wrong_and_a_typo_that_keeps_the_question(browser):
    a = Value(2.0, label="a"); b = Value(-3.0, label="b")
    out = a * b; out.label = "out"
    frames = build_frames(out)
    page = browser.open(Stepper(out, predict=True).to_html())
    k = next(k for k, f in enumerate(frames) if f.questions)
    page.fill(".tg-slider", str(k))
    questions = frames[k].questions
    assert page.text_content(".tg-prompt") == f"Predict: {questions[0].prompt}"
    assert "[=" not in page.text_content(".tg-prompt")  # the local derivative is the hint
    page.fill(".tg-answer", "abc"); page.keyboard.press("Enter")
    assert "'abc' is not a number; try again" in page.text_content(".tg-feedback")
    assert page.text_content(".tg-prompt") == f"Predict: {questions[0].prompt}"  # kept
    page.fill(".tg-answer", f"{questions[0].answer:.4f}"); page.keyboard.press("Enter")
    assert page.text_content(".tg-feedback").startswith("✔ right")
    page.click(".tg-hint-button")
    assert page.text_content(".tg-hint") == f"hint: {questions[1].hint}"
    page.fill(".tg-answer", "123"); page.click(".tg-check")
    assert "not quite: you said 123. One more try" in page.text_content(".tg-feedback")
    assert page.text_content(".tg-score") == "score 1/1"  # a first miss costs nothing yet
    page.fill(".tg-answer", "124"); page.click(".tg-check")
    assert page.text_content(".tg-score") == "score 1/2"
    said = page.eval_on_selector_all(".tg-feedback", "els => els.map(e => e.textContent)")
    assert f"✘ not quite: you said 124, the answer is 2: {questions[1].working.strip()}" in said
    assert shown(page) == "\n".join(frames[k].lines)  # answered: the frame is revealed
    assert page.errors == []


def test_predicted_answers_show_at_the_digits_the_page_writes(browser):
    from tinygrad_edu.teach.tour import build_neuron
    out, _ = build_neuron()
    frames = build_frames(out)
    k, q = next((k, q) for k, f in enumerate(frames) for q in f.questions
                if repr(q.answer) == "0.4999999999999998")
    page = browser.open(Stepper(out, predict=True).to_html())
    for j in range(k + 1):  # answer every question on the way
        page.fill(".tg-slider", str(j))
        for question in frames[j].questions:
            page.fill(".tg-answer", "0.5" if question is q else str(question.answer))
            page.keyboard.press("Enter")
    said = " ".join(page.eval_on_selector_all(".tg-feedback", "els => els.map(e => e.textContent)"))
    assert f"✔ right: {q.parent}.grad gets 0.5" in said and "0.49999" not in said
    assert page.errors == []


def test_a_script_label_shows_as_text_and_runs_nothing(browser):
    x = Value(1.5, label="<script>alert(1)</script>")
    out = x * x; out.label = "<img src=x onerror=alert(2)>"
    page = browser.open(Stepper(out).to_html())
    page.keyboard.press("End")
    assert "<script>alert(1)</script>" in shown(page) + page.text_content(".tg-counter")
    page.locator("g.node").first.click()
    page.keyboard.press("Home")
    assert "<img src=x onerror=alert(2)>" in page.text_content(".tg-graph")
    assert page.dialogs == [] and page.errors == [] and page.remote == []
    assert page.eval_on_selector_all(".tg-stepper script", "els => els.length") == 2  # data + ours
    assert page.eval_on_selector_all(".tg-stepper img", "els => els.length") == 0


def test_without_javascript_the_graph_and_first_frame_still_show(browser):
    out, _ = fan_out()
    page = browser.open(Stepper(out).to_html(), javascript=False)
    assert shown(page) == "\n".join(build_frames(out)[0].lines)
    assert page.eval_on_selector_all(".tg-graph svg g.node", "els => els.length") > 3


def test_tensor_pages_show_shapes_and_heat_maps(browser):
    import tinygrad_edu.nn.functional as F
    from tinygrad_edu import Tensor, manual_seed, nn
    manual_seed(0)
    model = nn.MLP(6, [4, 3])
    loss = F.cross_entropy(model(Tensor(np.linspace(-1, 1, 30).reshape(5, 6))), np.array([0, 1, 2, 0, 1]))
    page = browser.open(Stepper(loss).to_html())
    page.keyboard.press("End")
    page.locator("g.node:has(> title:text-is('v0'))").first.click()
    detail = page.text_content(".tg-detail")
    assert "0.weight" in detail and "(4, 6) float32" in detail and "(24 in all)" in detail
    assert page.eval_on_selector_all(".tg-heat svg", "els => els.length") == 2  # value, grad
    assert page.errors == []


def visible(page, name):
    # The node titled `name`, by XPath: 20 ms on this 4.8 MB page, where Playwright's
    # :has(> title:text-is(...)) took 1.5-2.5 s a look-up (this test 7 s -> 4 s).
    title = page.locator(f"xpath=./*[local-name()='title' and .='{name}']")
    return page.locator(".tg-view:not([hidden]) g.node").filter(has=title).first


def test_a_large_model_opens_as_module_boxes_that_expand_on_click(browser):
    import random
    from tinygrad_edu.scalar import MLP
    out = MLP(2, [16, 16, 1], rng=random.Random(0))([0.5, -1.5])
    frames = build_frames(out)
    assert len(frames[0].rows) > 1000
    page = browser.open(Stepper(out, frames=frames).to_html())  # its frames built once (0.3 s)
    titles = lambda: page.eval_on_selector_all(".tg-view:not([hidden]) g.node > title",
                                               "els => els.map(e => e.textContent)")
    assert sorted(titles()) == ["m0", "m1", "m2"]  # the three layers, closed
    names = page.eval_on_selector_all(".tg-view:not([hidden]) g.node", "els => els.map(e => e.textContent)")
    layer = next(f"m{k}" for k, text in enumerate(names) if "layers.1" in text)
    visible(page, layer).click()
    assert page.text_content(".tg-where").startswith("showing layers.1 ")
    assert len(titles()) == 18  # its 16 neurons, and the two other layers
    boxes = page.eval_on_selector_all(".tg-view:not([hidden]) g.node",
                                      "els => els.map(e => [e.querySelector('title').textContent, e.textContent])")
    neuron = next(name for name, text in boxes if "neurons." in text)
    visible(page, neuron).dispatch_event("click")  # a neuron (maybe off-screen: 16 in a row)
    shown_nodes = [t for t in titles() if t[0] in "vo"]
    assert len(shown_nodes) > 30
    # Stepping still shows the terminal's frames; a parameter of the open neuron is named.
    page.keyboard.press("End")
    assert shown(page) == "\n".join(frames[-1].lines)
    labels = page.text_content(".tg-view:not([hidden])")
    assert re.search(r"layers\.1\.neurons\.\d+\.w\d+", labels)
    page.click(".tg-up")
    assert page.text_content(".tg-where").startswith("showing layers.1 ")
    assert page.errors == []


def test_a_graph_too_large_for_a_page_says_so_and_how_out():
    x = Value(1.0, label="x")
    y = x
    for _ in range(1600):
        y = y * 1.001
    with pytest.raises(PageTooLarge, match=r"3,201 nodes.*smaller batch.*collapse=True"):
        Stepper(y).to_html()


def test_save_html_is_atomic_and_repr_html_is_the_inline_stepper(tmp_path):
    out, _ = fan_out()
    s = Stepper(out)
    path = s.save_html(tmp_path / "page.html")
    assert os.listdir(tmp_path) == ["page.html"]
    text = open(path, encoding="utf-8").read()
    inline = s._repr_html_()  # the page is the inline stepper, given the window's height
    assert text.startswith("<!DOCTYPE html>") and inline.replace('"tg-stepper"', '"tg-stepper tg-full"', 1) in text
    assert "http://" not in text.replace("http://www.w3.org", "") and "https://" not in text


def test_two_inline_steppers_on_one_page_step_on_their_own(browser):
    """As in a notebook: several outputs, each with its own stepper."""
    first, _ = fan_out()
    a = Value(3.0, label="a"); second = a.tanh(); second.label = "t"
    html = "<html><body>" + Stepper(first)._repr_html_() + Stepper(second)._repr_html_() + "</body></html>"
    page = browser.open(html)
    steppers = page.locator(".tg-stepper")
    steppers.nth(1).locator(".tg-last").click()
    counters = page.eval_on_selector_all(".tg-counter", "els => els.map(e => e.textContent)")
    assert counters[0].startswith("[1/") and counters[1].startswith("[4/4]")
    assert page.errors == []
