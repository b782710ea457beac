"""The explanation's numbers: rounded to the digits shown, exact on hover. The frames
carry each number's span and exact value; the page shows the rounded number in a span
whose tooltip is the exact value."""
import os

import pytest
from hypothesis import given, strategies as st

from tinygrad_edu.core.text import format_number
from tinygrad_edu.scalar import Value
from tinygrad_edu.stepper import Stepper, build_frames
from tinygrad_edu.stepper.explain import marked, unmark

from browser import chromium_path, shared_browser


def neuron():
    """``tanh(x*w + b)`` with x=2, w=-3, b=6.88: numbers with more digits than are shown."""
    x, w, b = Value(2.0, label="x"), Value(-3.0, label="w"), Value(6.88, label="b")
    xw = x * w; xw.label = "x*w"
    z = xw + b; z.label = "x*w + b"
    out = z.tanh(); out.label = "tanh(x*w + b)"
    return out


@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_a_marked_number_reads_as_shown_and_keeps_its_exact_value(x):
    text, spans = unmark(f"d = {marked(x)}!")
    assert text == f"d = {format_number(x)}!"
    (start, end, exact), = spans
    assert text[start:end] == format_number(x) and float(exact) == x


def test_every_number_in_every_frame_is_a_span_of_its_exact_value():
    out = neuron()
    frames = build_frames(out)
    seen = set()
    for frame in frames:
        assert len(frame.numbers) == len(frame.lines)
        for line, spans in zip(frame.lines, frame.numbers):
            for start, end, value in spans:
                assert line[start:end] == format_number(float(value)), (line, value)
                seen.add(value)
    assert repr(out.data) in seen and format_number(out.data) == "0.706419"
    assert {repr(v) for v in (2.0, -3.0, 6.88, -6.0, 2.0 * -3.0 + 6.88, 1.0)} <= seen


def test_a_label_cannot_forge_a_number_span():
    x = Value(1.5, label="a\ufdd0 9\ufdd1 8\ufdd2 b")
    out = x * x; out.label = "out"
    for frame in build_frames(out):
        assert all("\ufdd0" not in line for line in frame.lines)
        assert {float(v) for spans in frame.numbers for _, _, v in spans} <= {1.5, 2.25, 1.0, 3.0}


@pytest.fixture(scope="session")
def browser():
    if not chromium_path():
        if os.environ.get("CI"):
            raise RuntimeError("the page tests need Chromium: apt-get install chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return shared_browser()


def test_hovering_a_number_in_the_panel_shows_its_exact_value(browser):
    out = neuron()
    frames = build_frames(out)
    page = browser.open(Stepper(out).to_html(), width=1024, height=768)
    k = next(k for k, f in enumerate(frames) if f.phase == "backward" and f.title.endswith(": tanh(x*w + b)"))
    page.fill(".tg-slider", str(k))
    number = page.locator(".tg-line .tg-num", has_text="0.706419").first
    number.hover()
    hovered = page.evaluate("[...document.querySelectorAll(':hover')].pop().title")
    assert hovered == repr(out.data) and len(hovered) > len("0.706419")
    # every number on the panel: shown rounded, its tooltip the exact value
    pairs = page.eval_on_selector_all(".tg-line .tg-num", "els => els.map(e => [e.textContent, e.title])")
    assert pairs and all(text == format_number(float(title)) for text, title in pairs)
    assert any(len(title) > len(text) for text, title in pairs)
    # and the line still reads as mathematics, the terminal's words on its tooltip
    lines = page.eval_on_selector_all(".tg-line", "els => els.map(e => [e.textContent, e.title])")
    assert [title for _, title in lines] == list(frames[k].lines)
    assert any("∂L/∂" in text for text, _ in lines)
    # at 1024 px the lines wrap, but never inside a fraction
    fractions = page.eval_on_selector_all(".tg-line .tg-frac", "els => els.map(e => [e.textContent, e.getClientRects().length])")
    assert "∂(tanh(x*w + b))/∂(x*w + b)" in [text for text, _ in fractions]
    assert all(pieces == 1 for _, pieces in fractions), fractions
    assert page.errors == [] and page.dialogs == []
