"""Everything the tool writes (checkpoints, stepper pages, pictures, from Python and from
the command line) goes through one atomic writer: a device, FIFO or socket is refused and
left as it was; a symlink writes the file it points to; modes follow the umask and an
overwritten file keeps its own; two processes saving one path never fail. Labels no
renderer can take still draw."""
import contextlib
import io
import os
import socket
import stat
import subprocess
import sys
import time

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import nn
from tinygrad_edu.core.files import NotARegularFile
from tinygrad_edu.scalar import Value
from tinygrad_edu.stepper import Stepper
from tinygrad_edu.teach.cli import main
from tinygrad_edu.viz import draw_graph, render


class CliFailed(Exception):
    """The command line exited non-zero; the message is what it printed on stderr."""


def cli(*args):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    if code:
        raise CliFailed(f"exit {code}: {err.getvalue()}")


def expression():
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    out = x * y + x
    out.label = "out"
    return out


# name -> (suffix, write(path))
WRITERS = {
    "tg.save .npz": (".npz", lambda p: tg.save(nn.BatchNorm1d(3), p)),
    "tg.save .safetensors": (".safetensors", lambda p: tg.save(nn.BatchNorm1d(3), p)),
    "Stepper.save_html": (".html", lambda p: Stepper(expression()).save_html(p)),
    "render .svg": (".svg", lambda p: render(draw_graph(expression()), p)),
    "render .dot": (".dot", lambda p: render(draw_graph(expression()), p)),
    "step --html": (".html", lambda p: cli("step", "x*y+x", "--set", "x=2", "y=3", "--html", p)),
    "graph -o": (".svg", lambda p: cli("graph", "x*y+x", "--set", "x=2", "y=3", "-o", p)),
}


def make_special(kind, name):
    """A FIFO, character device or socket at ``name`` (in the current folder); returns a
    function telling whether it is still that kind of file."""
    if kind == "fifo":
        os.mkfifo(name)
        return lambda: stat.S_ISFIFO(os.lstat(name).st_mode)
    if kind == "character device":
        try:  # /dev/null's device numbers, made in the test's own folder
            os.mknod(name, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except PermissionError:  # no CAP_MKNOD: a link to /dev/null itself
            os.symlink("/dev/null", name)
        return lambda: stat.S_ISCHR(os.stat(name).st_mode)
    if kind == "symlink to /dev/null":
        os.symlink("/dev/null", name)
        return lambda: os.path.islink(name) and stat.S_ISCHR(os.stat(name).st_mode)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(name)  # relative: AF_UNIX paths are limited to 108 bytes
    return lambda: stat.S_ISSOCK(os.lstat(name).st_mode)


@pytest.mark.parametrize("kind", ["fifo", "character device", "socket", "symlink to /dev/null"])
@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_device_fifo_or_socket_is_refused_and_left_as_it_was(writer, kind, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    suffix, write = WRITERS[writer]
    name = "target" + suffix
    still_there = make_special(kind, name)
    with pytest.raises((NotARegularFile, CliFailed)) as caught:
        write(name)
    assert "not a regular file; refused" in str(caught.value) and name in str(caught.value)
    assert "Traceback" not in str(caught.value)
    assert still_there()
    assert os.listdir(".") == [name]  # nothing else written (no .dot, no temporary)


def test_dev_null_itself_stays_a_device():
    for write in (lambda: tg.save(nn.Linear(2, 2), "/dev/null"),
                  lambda: Stepper(expression()).save_html("/dev/null")):
        with pytest.raises(NotARegularFile, match=r"is a character device, not a regular file"):
            write()
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_tour_pages_onto_a_fifo_are_refused(tmp_path, monkeypatch):
    os.mkfifo(tmp_path / "neuron.html")
    with pytest.raises(CliFailed, match=r"exit 1: tinygrad-edu tour: error: .*is a FIFO"):
        cli("tour", "--html", str(tmp_path))
    assert stat.S_ISFIFO(os.lstat(tmp_path / "neuron.html").st_mode)


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_symlink_writes_the_file_it_points_to_and_stays_a_link(writer, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    suffix, write = WRITERS[writer]
    os.mkdir("real")
    real = os.path.join("real", "file" + suffix)
    with open(real, "wb") as f:
        f.write(b"old")
    os.chmod(real, 0o640)
    os.symlink(real, "link" + suffix)
    write("link" + suffix)
    assert os.path.islink("link" + suffix) and os.readlink("link" + suffix) == real
    with open(real, "rb") as f:
        assert f.read() != b"old"
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640  # an overwritten file keeps its mode
    if writer.startswith("tg.save"):
        tg.load("link" + suffix, into=nn.BatchNorm1d(3))
    assert not [n for n in os.listdir(".") + os.listdir("real") if ".tmp-" in n]


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_new_files_follow_the_umask_and_overwritten_ones_keep_their_mode(writer, mask, tmp_path,
                                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)
    suffix, write = WRITERS[writer]
    old = os.umask(mask)
    try:
        write("new" + suffix)
        assert stat.S_IMODE(os.stat("new" + suffix).st_mode) == 0o666 & ~mask
        write("new" + suffix)  # overwriting a file made under 0o644 ...
        os.chmod("new" + suffix, 0o604)
        write("new" + suffix)  # ... or one the user chmod-ed: its mode stays
        assert stat.S_IMODE(os.stat("new" + suffix).st_mode) == 0o604
    finally:
        os.umask(old)


SAVER = """
import os, sys, time
import tinygrad_edu as tg
from tinygrad_edu import nn
go, seed, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
tg.manual_seed(seed)
model = nn.BatchNorm1d(3)
open(go + str(seed), "w").close()
deadline = time.monotonic() + 60
while not os.path.exists(go) and time.monotonic() < deadline:  # both start together
    time.sleep(0.001)
for i in range(25):
    for path in paths:
        tg.save(model, path)
"""


def test_two_processes_saving_one_path_never_fail_and_the_file_always_loads(tmp_path):
    paths = [str(tmp_path / "m.npz"), str(tmp_path / "m.safetensors")]
    go = tmp_path.parent / f"{tmp_path.name}-go"
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    savers = [subprocess.Popen([sys.executable, "-c", SAVER, str(go), str(seed), *paths], env=env,
                               stderr=subprocess.PIPE, text=True) for seed in (0, 1)]
    deadline = time.monotonic() + 60
    while not all(os.path.exists(f"{go}{seed}") for seed in (0, 1)) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    loads, deadline = 0, time.monotonic() + 120
    while any(p.poll() is None for p in savers) and time.monotonic() < deadline:
        for path in paths:
            if os.path.exists(path):
                tg.load(path, into=nn.BatchNorm1d(3))  # never a half-written file
                loads += 1
    errors = [p.communicate(timeout=60)[1] for p in savers]
    assert [p.returncode for p in savers] == [0, 0], errors
    for path in paths:
        tg.load(path, into=nn.BatchNorm1d(3))
    assert sorted(os.listdir(tmp_path)) == ["m.npz", "m.safetensors"]  # no temporary left
    assert loads > 0


def test_only_a_dead_process_temporary_is_cleared(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    orphan = tmp_path / f".m.npz.tmp-{dead}-abc"
    busy = tmp_path / f".m.npz.tmp-{os.getpid()}-def"  # a save still writing (this process)
    orphan.write_bytes(b"half")
    busy.write_bytes(b"half")
    tg.save(nn.Linear(2, 2), tmp_path / "m.npz")
    assert sorted(os.listdir(tmp_path)) == sorted(["m.npz", busy.name])


@pytest.mark.parametrize("label, shown", [("a\x00b", "a\u2400b"), ("\ud800", "\ufffd")])
def test_labels_no_renderer_takes_are_drawn_with_stand_ins(label, shown, tmp_path):
    x = Value(1.5, label=label)
    y = x * x
    y.label = "y"
    dot = draw_graph(y)
    assert shown in dot.source.encode("utf-8").decode("utf-8")
    svg = tmp_path / "g.svg"
    render(dot, svg)
    assert shown in svg.read_text(encoding="utf-8")
    page = tmp_path / "p.html"
    Stepper(y).save_html(page)
    text = page.read_text(encoding="utf-8")
    assert shown in text[text.index("<svg"):]  # the node's box in the page's picture


def test_hessian_and_hvp_of_nothing_say_so():
    f = lambda *xs: sum(xs, tg.Tensor(0.0))  # noqa: E731
    with pytest.raises(ValueError, match=r"hessian: x is an empty list; expected a Tensor"):
        tg.hessian(f, [])
    with pytest.raises(ValueError, match=r"hvp: params is an empty tuple"):
        tg.hvp(f, (), ())
    assert np.array_equal(tg.hessian(lambda v: (v * v).sum(), tg.Tensor([1.0, 2.0], requires_grad=True)).numpy(),
                          2 * np.eye(2))


def test_a_folder_it_may_not_write_in_is_named(tmp_path, monkeypatch):
    real_open = os.open

    def refuse_temporaries(path, *args, **kwargs):  # as a non-root user's read-only folder
        if ".tmp-" in os.fspath(path):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, *args, **kwargs)
    monkeypatch.setattr(os, "open", refuse_temporaries)
    with pytest.raises(PermissionError, match=rf"cannot create a file in this folder: '{tmp_path}'"):
        tg.save(nn.Linear(2, 2), tmp_path / "m.npz")
    assert os.listdir(tmp_path) == []


def test_loading_a_fifo_or_device_says_so_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "m.npz")
    for path, what in ((tmp_path / "m.npz", "is not a regular file"), ("/dev/zero", "is not a regular file"),
                       (tmp_path / "gone.npz", "no such file")):
        with pytest.raises(tg.CheckpointError, match=f"{what}; expected a checkpoint file"):
            tg.load(path)
