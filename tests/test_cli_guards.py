"""What a careless or hostile user types on the command line: one clear line and exit 2,
never a traceback, a hang, or a flood; Ctrl-C ends with one line and status 130."""
import os
import signal
import subprocess
import sys
import time

import pytest

from tinygrad_edu.teach.expression import ExpressionError, parse_assignments, parse_expression


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "tinygrad_edu", *args], capture_output=True,
                          text=True, timeout=300, cwd=cwd)


def refused(result, *words):
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr) < 600
    for word in words:
        assert word in result.stderr, result.stderr


def test_a_variable_the_expression_does_not_use_is_refused():
    refused(run("step", "x * 2", "--set", "x=1", "extra=3"), "extra", "not used")


@pytest.mark.parametrize("expression, words", [
    ("(" * 200 + "x" + ")" * 200, ["deeper than 100"]),
    ("x * " + "-" * 1000 + "x", ["signs in a row"]),
    ("x" + "+x" * 50_000, ["100,001 characters", "limit is 2,000"]),  # (argv holds <128 KB)
    ("x + \u0661", ["not allowed"]),             # an Arabic-Indic digit one
    ("x * 1e400", ["1e400 is too large"]),
])
def test_hostile_expressions_get_one_short_line(expression, words):
    refused(run("step", expression, "--set", "x=1"), *words)


def test_set_refuses_non_finite_and_non_ascii_numbers():
    with pytest.raises(ExpressionError, match="not a finite number"):
        parse_assignments(["x=1e400"])
    with pytest.raises(ExpressionError, match="NAME=NUMBER"):
        parse_assignments(["x=\u0661"])
    assert parse_expression("--x", {"x": 2.0}).data == 2.0  # signs still work
    assert parse_expression("-x ** 2", {"x": 3.0}).data == -9.0


def test_a_large_expression_gets_a_summary_not_thousands_of_frames():
    expression = " + ".join(["x"] * 200)
    result = run("step", expression, "--set", "x=0.5")
    assert result.returncode == 0, result.stderr
    assert "not readable" in result.stdout and "dL/dx = 200" in result.stdout
    assert "--html" in result.stdout and len(result.stdout) < 2000


def test_names_take_hyphens_or_underscores(tmp_path):
    for name in ("digits-mlp", "digits_mlp"):
        result = run("graph", "--model", name, "-o", str(tmp_path / f"{name}.dot"))
        assert result.returncode == 0, result.stderr
    result = run("demo", "no-such-demo")
    refused(result, "no_such_demo", "digits_mlp", "mlp_scalar")
    listing = run("demo", "--list").stdout
    assert "mlp_scalar" in listing and "mlp-scalar" not in listing


def test_ctrl_c_ends_with_one_line_and_status_130(tmp_path):
    # 100,000 epochs: still training when the signal comes (the whole 25-epoch tour takes
    # 0.5 s, and once finished before the signal, exiting 0)
    proc = subprocess.Popen([sys.executable, "-m", "tinygrad_edu", "tour", "--auto", "--out",
                             str(tmp_path), "--epochs", "100000"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    deadline = time.time() + 60
    while time.time() < deadline and not os.path.exists(tmp_path / "neuron.svg"):
        time.sleep(0.05)  # interrupt it mid-way, once it is into the tour
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and err.strip() == "tinygrad-edu: interrupted"


def test_pages_from_the_command_line(tmp_path):
    result = run("step", "tanh(x*w + b)", "--set", "x=2", "w=-3", "b=6.88", "--predict",
                 "--html", str(tmp_path / "step.html"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "step.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and '"predict":true' in page
    assert run("graph", "--model", "digits-mlp", "--html", str(tmp_path / "d.html")).returncode == 0
    assert '"name":"0.weight"' in (tmp_path / "d.html").read_text()
    result = run("tour", "--html", str(tmp_path / "tour"))
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(tmp_path / "tour")) == ["digits_mlp.html", "neuron.html",
                                                      "neuron_quiz.html"]


@pytest.mark.parametrize("args", [["tour", "--html", "{file}"],
                                  ["graph", "--model", "neuron", "--out", "{file}/graph.svg"]])
def test_a_folder_that_is_a_file_is_one_line_and_the_file_is_kept(args, tmp_path):
    mine = tmp_path / "notes.txt"
    mine.write_text("my notes")
    result = run(*[a.format(file=mine) for a in args])
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.stderr.strip().splitlines() == [
        f"tinygrad-edu {args[0]}: error: [Errno 17] File exists: {str(mine)!r}"]
    assert mine.read_text() == "my notes"
