"""Every demo runs in --quick mode as a user would, and its headline figure is one
only a working model reaches."""
import os
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.trained

DEMOS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "demos")

# demo -> (check on the headline value, what it means). The margins hold for the --quick
# runs of seeds 0-9 on five OpenBLAS kernels (python scripts/measure_spread.py --quick --seeds 0-9).
THRESHOLDS = {
    "neuron": (lambda v: v < 1e-6, "gradcheck error tiny"),
    "activations": (lambda v: abs(v - 0.25) < 1e-3, "sigmoid' peaks at 0.25"),
    "mlp_scalar": (lambda v: v >= 0.88, "moons separated (a straight line gets ~0.85; --quick "
                                        "gave 0.896-1.00 over seeds 0-9, Python floats)"),
    "digits_mlp": (lambda v: v >= 0.90, "digits read (chance 0.1)"),
    "cnn_digits": (lambda v: v >= 0.75, "digits read by the CNN after 3 epochs (chance 0.1; "
                                        "0.82-0.97 over seeds 0-9)"),
    "overfitting": (lambda v: v > 0.004, "regularisation lowers validation loss (0.008-0.12 "
                                         "over seeds 0-9)"),
    "rnn_shapes": (lambda v: v >= 0.90, "all three shapes learned"),
    "vanishing_gradients": (lambda v: v > 1e4, "untrained, the LSTM carries far more gradient back"),
    "lstm_gates": (lambda v: v >= 0.90, "the LSTM remembers (chance 0.25)"),
    "autoencoder": (lambda v: v < 0.6, "the code beats the average digit"),
    "gan": (lambda v: v < 0.5, "the generator moved most of the way to the real distribution "
                               "(distance over untrained distance, both measured in the run)"),
    "attention": (lambda v: v >= 0.90, "sequences reversed (chance 0.1)"),
    "graduate": (lambda v: v < 1e-4, "PyTorch reads the saved weights to the same logits"),
    "second_order": (lambda v: abs(v - 1) < 0.1, "the gradient penalty holds the critic's slope at 1"),
}


def headline_of(output: str) -> float:
    match = re.search(r"^HEADLINE [^:]+: (\S+) \(", output, re.MULTILINE)
    assert match, f"no HEADLINE line in:\n{output[-2000:]}"
    return float(match.group(1))


def test_every_demo_has_a_threshold():
    names = {f[:-3] for f in os.listdir(DEMOS) if f.endswith(".py") and not f.startswith("_")}
    assert names == set(THRESHOLDS)


@pytest.mark.parametrize("name", sorted(THRESHOLDS))
def test_demo_quick_run_reaches_its_headline(name, tmp_path):
    if name == "graduate":
        pytest.importorskip("torch", reason="graduate loads the model into PyTorch: pip install -e '.[torch]'")
    result = subprocess.run([sys.executable, os.path.join(DEMOS, f"{name}.py"), "--quick",
                             "--out", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    value = headline_of(result.stdout)
    check, meaning = THRESHOLDS[name]
    assert check(value), f"{name}: headline {value} fails '{meaning}'"
    assert "\x1b[" not in result.stdout   # piped: plain text
    # It draws what it shows (an SVG picture, in --out) and says where it wrote it.
    pictures = sorted(p.name for p in tmp_path.glob("*.svg"))
    assert pictures, f"{name} wrote no picture into --out"
    assert all(f"wrote {tmp_path / p}" in result.stdout for p in pictures), result.stdout[-1500:]
    for picture in pictures:
        assert (tmp_path / picture).read_text().lstrip().startswith(("<svg", "<?xml"))


def test_demo_subcommand_lists_and_runs_demos(tmp_path):
    listing = subprocess.run([sys.executable, "-m", "tinygrad_edu", "demo", "--list"],
                             capture_output=True, text=True, timeout=60)
    assert listing.returncode == 0
    for name in THRESHOLDS:
        assert name in listing.stdout
    run = subprocess.run([sys.executable, "-m", "tinygrad_edu", "demo", "activations", "--quick",
                          "--out", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert headline_of(run.stdout) == pytest.approx(0.25, abs=1e-3)


@pytest.mark.parametrize("seed", ["-1", "x", str(2 ** 32)])
def test_a_seed_the_demos_cannot_take_is_a_usage_error(seed, tmp_path):
    for command in ([os.path.join(DEMOS, "vanishing_gradients.py")],
                    ["-m", "tinygrad_edu", "demo", "vanishing_gradients"]):
        run = subprocess.run([sys.executable, *command, "--quick", "--seed", seed, "--out",
                              str(tmp_path)], capture_output=True, text=True, timeout=60)
        assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr[-2000:]
        assert f"argument --seed: expected a whole number in [0, 2**32), got '{seed}'" in run.stderr


def test_an_out_folder_that_is_a_file_or_missing_mnist_files_get_one_line(tmp_path):
    (tmp_path / "a_file").write_text("mine")
    run = subprocess.run([sys.executable, os.path.join(DEMOS, "activations.py"), "--quick",
                          "--out", str(tmp_path / "a_file")], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr[-2000:]
    assert "argument --out: cannot use" in run.stderr and (tmp_path / "a_file").read_text() == "mine"
    run = subprocess.run([sys.executable, os.path.join(DEMOS, "digits_mlp.py"), "--quick", "--mnist",
                          str(tmp_path / "nowhere"), "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and run.stderr.strip().splitlines() == [
        f"digits_mlp: load_mnist: no train-images-idx3-ubyte[.gz] in {str(tmp_path / 'nowhere')!r}"]


def test_digits_demo_runs_the_784_16_16_10_net_on_mnist_files(tmp_path):
    import gzip

    import numpy as np

    def write_idx(name, array):
        header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
        with gzip.open(tmp_path / f"{name}.gz", "wb") as f:
            f.write(header + array.astype(np.uint8).tobytes())

    rng = np.random.default_rng(0)
    labels = np.arange(200) % 10
    images = np.zeros((200, 28, 28))
    for i, label in enumerate(labels):   # an easy synthetic "digit": a bright bar per class
        images[i, 2 * label:2 * label + 3, 4:24] = 255
    images += rng.integers(0, 40, images.shape)
    write_idx("train-images-idx3-ubyte", np.clip(images, 0, 255))
    write_idx("train-labels-idx1-ubyte", labels)
    write_idx("t10k-images-idx3-ubyte", np.clip(images[:50], 0, 255))
    write_idx("t10k-labels-idx1-ubyte", labels[:50])
    result = subprocess.run([sys.executable, os.path.join(DEMOS, "digits_mlp.py"), "--quick",
                             "--mnist", str(tmp_path), "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "MLP 784-16-16-10" in result.stdout and "28x28 pixels" in result.stdout
    assert headline_of(result.stdout) >= 0.9
