"""The learner's folder: starting an exercise file without ever overwriting their work,
and the small state file that remembers which hints were shown.

>>> import tempfile, os
>>> folder = tempfile.mkdtemp()
>>> path = start("tanh", folder)
>>> os.path.basename(path), start("tanh", folder) == path   # unchanged: left alone
('tanh.py', True)
"""
from __future__ import annotations

import json
import os

from .catalogue import ExerciseError, task

HINT_STATE = ".hints.json"


class WouldOverwrite(Exception):
    """The learner's file exists and differs from the template: it is theirs now."""


def folder_ready(folder: str, create: bool) -> str:
    """``folder``, checked (and made when ``create``): a usage error names what is wrong."""
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise ExerciseError(f"--dir {folder}: is a file, not a folder")
    if not os.path.isdir(folder):
        if not create:
            raise ExerciseError(f"--dir {folder}: no such folder (start an exercise first: "
                                f"tinygrad-edu exercise start mul --dir {folder})")
        try:
            os.makedirs(folder)
        except OSError as e:
            raise ExerciseError(f"--dir {folder}: cannot make the folder ({e.strerror})") from None
    return folder


def exercise_path(name: str, folder: str) -> str:
    return os.path.join(folder, f"{name}.py")


def start(name: str, folder: str = "exercises") -> str:
    """Write ``folder/name.py`` from the exercise's template; a file already there is
    left as it is (unchanged: nothing to do; edited: WouldOverwrite)."""
    template = task(name).TEMPLATE
    path = exercise_path(name, folder_ready(folder, create=True))
    if os.path.lexists(path):
        try:
            with open(path, encoding="utf-8") as f:
                same = f.read() == template
        except (OSError, UnicodeDecodeError):
            same = False
        if same:
            return path
        raise WouldOverwrite(f"{path} already exists and has your changes: not overwritten. "
                             "To start again, rename or delete it first.")
    with open(path, "x", encoding="utf-8") as f:  # "x": never replaces a file made meanwhile
        f.write(template)
    return path


def next_hint(name: str, folder: str = "exercises") -> tuple:
    """(number, total, text) of the next hint for ``name``; remembers it in
    ``folder/.hints.json``. After the last one, the last one again."""
    hints = task(name).HINTS
    state_path = os.path.join(folder_ready(folder, create=True), HINT_STATE)
    state = {}
    if os.path.isfile(state_path):
        try:
            with open(state_path, encoding="utf-8") as f:
                state = json.load(f)
        except (OSError, ValueError):
            state = {}  # a damaged state file only loses which hints were shown
    shown = state.get(name, 0) if isinstance(state, dict) else 0
    shown = shown if isinstance(shown, int) and shown >= 0 else 0
    number = min(shown + 1, len(hints))
    state = state if isinstance(state, dict) else {}
    state[name] = number
    if not os.path.lexists(state_path) or os.path.isfile(state_path):
        with open(state_path, "w", encoding="utf-8") as f:
            json.dump(state, f)
    return number, len(hints), hints[number - 1]
