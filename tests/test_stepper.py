"""The stepper: frames as text, the key-driven driver in a pseudo-terminal, predictions."""
import io
import os
import pty
import re
import select
import subprocess
import sys
import time

import numpy as np
import pytest
from rich.console import Console

from tinygrad_edu import Tensor
from tinygrad_edu.scalar import Value
from tinygrad_edu.stepper import Stepper, build_frames, check_answer, frame_text

ESC = "\x1b"


def small_graph():
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    e = a * b
    e.label = "e"
    d = e + a
    d.label = "d"
    return d, (a, b)


def test_backward_frame_text_of_a_known_graph():
    d, _ = small_graph()
    frames = build_frames(d)
    assert [f.title for f in frames] == [
        "Forward 1/4: a", "Forward 2/4: b", "Forward 3/4: e", "Forward 4/4: d",
        "Backward 1/4: d", "Backward 2/4: e", "Backward 3/4: b", "Backward 4/4: a"]
    text = frame_text(frames[5], width=90)
    expected_rows = [
        "  │ 0  │ a    │ leaf        │ 2     │ -2   │ partial",  # 1 from d, then -3 from e
        "  │ 1  │ b    │ leaf        │ -3    │ 2    │ partial",
        "▶ │ 2  │ e    │ a * b       │ -6    │ 1    │ final",
        "  │ 3  │ d    │ e + a       │ -4    │ 1    │ final",
    ]
    lines = [line.rstrip() for line in text.splitlines()]
    for row in expected_rows:
        assert row in lines, f"{row!r} not in:\n{text}"
    assert "[6/8] Backward 2/4: e" in text
    assert "e = a * b = -6, upstream dL/de = 1" in text and "#2" not in text
    assert "a.grad += 1 x d(e)/d(a) [= b = -3] = -3  (feeds 2 consumers so far: running sum -2)" in text
    assert "b.grad += 1 x d(e)/d(b) [= a = 2] = 2" in text


def test_forward_frame_shows_the_computation():
    d, _ = small_graph()
    text = frame_text(build_frames(d)[2])
    assert "e = a * b" in text and "with a = 2, b = -3" in text and "gives e = -6" in text


def test_dying_gradient_is_noted():
    x = Value(-1.0, label="x")
    y = x.relu()
    y.label = "y"
    text = frame_text(build_frames(y)[2])
    assert "gradient dies here" in text and "relu off" in text


def test_tensor_graph_frames_show_shapes_and_small_values():
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, label="x")
    y = (x * 2.0).sum()
    y.label = "y"
    texts = [frame_text(f, width=120) for f in build_frames(y)]
    assert any("(2, 3) [[0, 1, 2], [3, 4, 5]]" in t for t in texts)
    assert any("x.grad += [[1, 1, 1], [1, 1, 1]] x d(#2)/d(x) [= #1 = 2] = [[2, 2, 2], [2, 2, 2]]"
               in t for t in texts)


@pytest.mark.parametrize("root", [3, None, [1.0, 2.0]])
def test_the_stepper_names_what_it_was_given_instead_of_a_node(root):
    with pytest.raises(TypeError, match=r"stepper: expected a Value or a Tensor .*, got "):
        Stepper(root)


def test_frames_have_no_side_effects():
    d, (a, b) = small_graph()
    build_frames(d)
    assert a.grad == 0.0 and b.grad == 0.0


def test_non_terminal_play_through_prints_every_frame_without_escape_codes():
    d, _ = small_graph()
    out = io.StringIO()
    result = Stepper(d, console=Console(file=out, width=90)).run()
    text = out.getvalue()
    assert result.shown == 8 and ESC not in text
    assert text.index("Forward 1/4") < text.index("Backward 4/4")


@pytest.mark.parametrize("typed, right", [("-2", True), ("-2.001", True), ("5", False), ("abc", False)])
def test_prediction_mode_says_right_or_wrong(typed, right):
    d, _ = small_graph()
    out = io.StringIO()
    answers = iter([typed] + ["0"] * 10)
    result = Stepper(d, predict=True, console=Console(file=out, width=90), answers=answers).run()
    text = out.getvalue()
    # The first question: what flows from d = e + a into e (upstream 1 x local 1 = 1)?
    # The local derivative is not in the question: it is the hint.
    assert "Predict: e.grad += 1 x d(d)/d(e) = ?   (h: a hint)" in text and "[= 1]" not in text.split("\n")[
        next(i for i, line in enumerate(text.split("\n")) if line.startswith("Predict:"))]
    assert result.asked >= 1
    ok, message = check_answer(typed, -2.0)
    assert ok is right
    if typed == "abc":
        assert "'abc' is not a number" in message


def test_a_typo_in_prediction_mode_asks_again_instead_of_costing_the_question():
    d, _ = small_graph()
    out = io.StringIO()
    result = Stepper(d, predict=True, console=Console(file=out, width=90),
                     answers=iter(["abc", "1", "1", "-3", "2"])).run()
    assert "'abc' is not a number; try again" in out.getvalue()
    assert (result.right, result.asked) == (4, 4)


def test_the_local_derivative_is_a_hint_given_when_asked_and_a_wrong_answer_gets_a_second_try():
    d, _ = small_graph()
    out = io.StringIO()
    # d->e: hint, then right; d->a: wrong, then right; e->a: wrong twice; e->b: right.
    result = Stepper(d, predict=True, console=Console(file=out, width=90),
                     answers=iter(["h", "1", "5", "1", "0", "9", "2"])).run()
    text = out.getvalue()
    assert "hint: d(d)/d(e) = 1" in text
    assert "✘ not quite: you said 5. One more try" in text
    assert "✘ not quite: you said 9, the answer is -3: a.grad += 1 x d(e)/d(a) [= b = -3] = -3" in text
    assert (result.right, result.asked) == (3, 4)


def test_answers_are_compared_and_shown_at_the_digits_the_stepper_writes():
    x = Value(0.1, label="x"); y = Value(0.2, label="y")
    s = x + y; s.label = "s"
    out = s * Value(3.0, label="k"); out.label = "out"  # d(out)/d(s) = 3; s = 0.30000000000000004
    frames = build_frames(out)
    question = next(q for f in frames for q in f.questions if q.parent == "k")
    assert question.answer == pytest.approx(0.3) and repr(question.answer) == "0.30000000000000004"
    assert check_answer("0.3", question.answer) == (True, "right: 0.3")
    assert check_answer("1", question.answer) == (False, "not quite: you said 1, the answer is 0.3")


def test_prediction_tally():
    d, _ = small_graph()
    out = io.StringIO()
    # questions in order: d->e (1), d->a (1), e->a (-3), e->b (2)
    result = Stepper(d, predict=True, console=Console(file=out, width=90),
                     answers=iter(["1", "1", "-3", "7", "8"])).run()
    assert (result.right, result.asked) == (3, 4)
    assert "Predictions: 3 of 4 right" in out.getvalue()
    assert "not quite: you said 8, the answer is 2" in out.getvalue()


def read_until(fd, pattern, timeout=20.0):
    """Read from the pty until ``pattern`` shows up in the output gathered so far."""
    buf = b""
    end = time.time() + timeout
    while time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            if re.search(pattern, buf.decode(errors="replace")):
                return buf.decode(errors="replace")
    raise AssertionError(f"timed out waiting for {pattern!r}; got:\n{buf.decode(errors='replace')[-2000:]}")


def test_interactive_driver_in_a_pseudo_terminal():
    master, slave = pty.openpty()
    env = dict(os.environ, COLUMNS="100", LINES="40", TERM="xterm")
    proc = subprocess.Popen([sys.executable, "-m", "tinygrad_edu", "step", "x * y + x",
                             "--set", "x=2", "y=3"], stdin=slave, stdout=slave, stderr=slave,
                            env=env, close_fds=True)
    os.close(slave)
    try:
        assert "[1/8] Forward 1/4: x" in read_until(master, r"\[1/8\]")
        os.write(master, b"n")
        assert "Forward 2/4" in read_until(master, r"\[2/8\]")
        os.write(master, b"\r")
        read_until(master, r"\[3/8\]")
        os.write(master, b"b")
        assert "Forward 2/4" in read_until(master, r"\[2/8\]")
        for k in (3, 4, 5):  # to backward's first frame: auto-play's 0.8 s ticks from there
            os.write(master, b"n")                   # are 3 (2.4 s), not 6 (4.8 s)
            read_until(master, rf"\[{k}/8\]")
        os.write(master, b"a")                       # auto-play runs to the end by itself
        out = read_until(master, r"\[8/8\]", timeout=30)
        assert "Backward 2/4" in out and "Backward 4/4" in out
        os.write(master, b"q")
        assert proc.wait(timeout=20) == 0
    finally:
        proc.kill()
        os.close(master)


def test_the_tour_keeps_its_introduction_on_screen_and_q_quits_it(tmp_path):
    master, slave = pty.openpty()
    env = dict(os.environ, COLUMNS="100", LINES="40", TERM="xterm")
    proc = subprocess.Popen([sys.executable, "-m", "tinygrad_edu", "tour", "--out", str(tmp_path)],
                            stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    try:
        read_until(master, r"\[1/20\]")
        os.write(master, b"n")
        second = read_until(master, r"\[2/20\]")
        frame = second[second.rindex("\x1b[2J") if "\x1b[2J" in second else 0:]  # after the clear
        frame = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", frame)
        assert "1. One neuron" in frame and "one gradient at a time" in frame
        os.write(master, b"q")
        out = read_until(master, r"Tour ended")
        assert proc.wait(timeout=20) == 0
        assert "Training" not in out and "Test accuracy" not in out
    finally:
        proc.kill()
        os.close(master)


def test_a_frame_of_many_rows_fits_a_24_row_console():
    from tinygrad_edu.stepper import frame_text
    x = Value(0.5, label="x")
    y = x
    for _ in range(19):
        y = y * 1.01 + x
    frames = build_frames(y)
    assert len(frames[0].rows) >= 39            # the report's 39-row table, and more
    stepper = Stepper(y, console=Console(file=io.StringIO(), width=100, height=24))
    middle = len(frames[0].rows) // 2           # a backward frame with its cursor mid-table
    k = next(k for k, f in enumerate(frames) if f.phase == "backward" and f.cursor == middle)
    rows = stepper._rows_that_fit(frames[k])
    text = frame_text(frames[k], width=100, max_rows=rows)
    assert len(text.splitlines()) <= 24 - 1     # the help line still fits below
    assert "more above" in text and "more below" in text
    assert f"▶ │ {middle} " in text


def test_the_tour_piped_prints_plain_text_and_its_title_once(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tinygrad_edu", "tour", "--epochs", "1",
                             "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    boxes = [line for line in text.splitlines()  # the progress bar is a bar, not a box
             if re.search("[│┃╭╰┏┗└┌━]", line) and not line.startswith("training ")]
    assert boxes == []
    assert text.count("how a neural network learns") == 1 and text.count("1. One neuron") == 1
    assert "[20/20] Backward 10/10: x1" in text and "x1.grad += 0.5 x d(x1w1)/d(x1) [= w1 = -3] = -1.5" in text
    assert "Confusion matrix" in text and ESC not in text


def test_the_plain_layout_puts_each_term_just_above_the_sum_that_takes_it():
    from tinygrad_edu.stepper.plain_layout import _ranks
    # x -> o1 -> v1 (x*w), v1 -> o2 -> v2 (the sum), x -> o2 as well
    names = ["v0", "o1", "v1", "o2", "v2"]
    edges = [("v0", "o1"), ("o1", "v1"), ("v1", "o2"), ("v0", "o2"), ("o2", "v2")]
    assert _ranks(names, edges) == {"v0": 0, "o1": 1, "v1": 2, "o2": 3, "v2": 4}
    # a leaf read only at the end sits just above its reader, not at the top
    assert _ranks(["a", "b", "c", "d"], [("a", "b"), ("b", "c"), ("d", "c")])["d"] == 1
    # a cycle (a module box feeding and fed by one node) still gets ranks, no hang
    assert set(_ranks(["m0", "v1"], [("m0", "v1"), ("v1", "m0")])) == {"m0", "v1"}


def test_a_450_term_sum_writes_its_page_without_graphviz_and_without_a_traceback(tmp_path):
    expression = "+".join(["x*w"] * 450)
    page = tmp_path / "big.html"
    result = subprocess.run([sys.executable, "-m", "tinygrad_edu", "step", expression, "--set", "x=0.5",
                             "w=2", "--html", str(page)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    text = page.read_text(encoding="utf-8")
    assert text.count('class="node"') == 2 + 2 * (450 + 449)  # x, w; each product and sum with its op
    assert "<title>v0&#45;&gt;o" in text and "Generated by graphviz" not in text
