"""The command line, run as a user would: from a subprocess."""
import subprocess
import sys


def run(*args):
    return subprocess.run([sys.executable, "-m", "tinygrad_edu", *args],
                          capture_output=True, text=True, timeout=120)


def test_default_command_is_the_tour_and_walks_the_neuron_backward():
    result = run()
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "out = tanh(n) = 0.707107" in out
    assert "w1.grad += 0.5 x d(x1w1)/d(w1) [= x1 = 2] = 1" in out
    assert "d(out)/dx1 = -1.5" in out


def test_bad_subcommand_exits_2_with_a_message_and_no_traceback():
    result = run("no-such-command")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
    assert "Traceback" not in result.stderr
