"""Every file the tool writes (checkpoints, stepper pages, pictures) goes through
``atomic_write``: nothing the user saved is lost or replaced by surprise.

- The content goes to a temporary file beside the target, is synced, then renamed over
  it: a crash leaves the previous file whole, and a reader never sees half a file.
- Only a regular file (or a new name) is written. A device (``/dev/null``), FIFO or
  socket is refused untouched, since renaming over it would replace it with a file.
- A symlink is followed: the file it points to gets the content, the link stays a link.
- A new file gets the permissions the umask allows (0644 under umask 022); an
  overwritten file keeps its mode.
- Temporary names are unique per process (``.NAME.tmp-PID-RANDOM``), so two processes
  saving to one path never fail; a later save removes only temporaries whose process
  has died (left by a crash).

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "notes.txt")
>>> atomic_write(path, "hello") == path
True
>>> open(path).read()
'hello'
>>> try:
...     atomic_write("/dev/null", "x")
... except NotARegularFile as e:
...     print(e.strerror)
is a character device, not a regular file; refused (writing would replace it)
"""
from __future__ import annotations

import errno
import glob
import os
import secrets
import stat

KINDS = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
         (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"))


class NotARegularFile(FileExistsError):
    """The target exists and is a device, FIFO or socket: it is left as it is."""


def writable_target(path) -> str:
    """The file a write to ``path`` lands in (a symlink followed to its target), after
    checking it is a regular file or a new name; raises before anything is written."""
    path = os.fspath(path)
    target = os.path.realpath(path)
    try:
        mode = os.stat(target).st_mode
    except (FileNotFoundError, NotADirectoryError):  # a new name (makedirs names a file in the way)
        return target
    if stat.S_ISDIR(mode):  # else the rename fails, naming a temporary file
        raise IsADirectoryError(errno.EISDIR, "is a folder; expected a file name in it", path)
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in KINDS if test(mode)), "not a regular file")
        raise NotARegularFile(errno.EEXIST, f"is {kind}, not a regular file; refused (writing "
                                            "would replace it)", path)
    return target


def atomic_write(path, content) -> str:
    """Write ``content`` (bytes, text, or a function given the open binary file) to
    ``path`` through a synced temporary file and a rename. Returns ``path``."""
    target = writable_target(path)
    folder, name = os.path.split(target)
    os.makedirs(folder, exist_ok=True)
    prefix = f".{name}.tmp-"
    _remove_orphans(folder, prefix)
    fd, tmp = _create_temporary(folder, prefix)
    try:
        with os.fdopen(fd, "wb") as f:
            if callable(content):
                content(f)
            else:
                f.write(content.encode("utf-8") if isinstance(content, str) else content)
            f.flush()
            _keep_mode(f.fileno(), target)
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.remove(tmp)
        except FileNotFoundError:
            pass
        raise
    return os.fspath(path)


def _create_temporary(folder: str, prefix: str):
    # os.open with mode 0o666 lets the kernel apply the umask (mkstemp would give 0600).
    while True:
        tmp = os.path.join(folder, f"{prefix}{os.getpid()}-{secrets.token_hex(6)}")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
        except PermissionError as e:  # name the folder, not our temporary's name
            raise PermissionError(e.errno, "cannot create a file in this folder", folder) from None


def _keep_mode(fd: int, target: str) -> None:
    """An overwritten file keeps its permissions (and, when we may, its owner)."""
    try:
        old = os.stat(target)
    except FileNotFoundError:
        return
    os.fchmod(fd, stat.S_IMODE(old.st_mode))
    if hasattr(os, "fchown") and (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
        try:
            os.fchown(fd, old.st_uid, old.st_gid)
        except PermissionError:
            pass


def _remove_orphans(folder: str, prefix: str) -> None:
    """Remove temporaries of ours whose process is gone (a killed save); never one a
    running process (another save to the same path) is still writing."""
    for stale in glob.glob(os.path.join(glob.escape(folder), glob.escape(prefix) + "*")):
        pid = os.path.basename(stale)[len(prefix):].split("-", 1)[0]
        if pid.isdigit() and _alive(int(pid)):
            continue
        try:
            os.remove(stale)
        except FileNotFoundError:  # renamed or removed meanwhile by its own process
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


class Discard:
    """A writable file that keeps nothing: a recording rich console prints into it and
    its text is taken from the recording (``export_text``), never from a stream.

    >>> Discard().write("gone")
    4
    """

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass
