"""The stepper page for a failing case: the learner's gradients beside backward's.

Built with the stepper's public API (``build_frames``, ``Stepper(frames=...)``): each
backward frame of a node the learner computed gets one more line with their value, and
the first wrong node's frame says so in its title.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from ..core.graph import topological_order
from ..core.text import format_number
from ..stepper import Stepper, build_frames
from .catalogue import ExerciseError, task
from .diagnosis import close
from .outcome import Outcome

MARK = "✗ first wrong gradient: "


def failing_frames(name: str, outcome: Outcome):
    """(root, frames) of the failing case, the learner's values written in."""
    module = task(name)
    if not hasattr(module, "page_root"):
        raise ExerciseError(f"--html: {name} has no stepper page (its answer is not a set of "
                            "gradients on one small graph); the message above says what is wrong")
    case = outcome.case
    if "given" not in case:
        raise ExerciseError(f"--html: {name} has no failing gradients to show ({outcome.status})")
    root, nodes = module.page_root(case["inputs"])
    given, expected = case["given"], case["expected"]
    first = case.get("first_wrong") or next(
        (k for k in nodes if not close(given.get(k), expected.get(k))), None)
    index = {id(n): i for i, n in enumerate(topological_order(root))}
    notes = {index[id(node)]: (key, given.get(key)) for key, node in nodes.items()
             if id(node) in index}
    frames = []
    for frame in build_frames(root):
        if frame.phase == "backward" and frame.cursor in notes:
            key, value = notes[frame.cursor]
            right = close(value, expected.get(key))
            line = f"  yours: {key} = {_text(value)} ({'right' if right else 'WRONG'})"
            title = (MARK if key == first else "") + frame.title
            frame = dataclasses.replace(frame, lines=frame.lines + (line,), title=title)
        frames.append(frame)
    where = next((f.index for f in frames if f.title.startswith(MARK)), None)
    if where is not None:  # the page opens on frame 1: say where to go
        intro = (f"Exercise {name}: your gradients are shown beside backward's on each backward "
                 f"frame; the first wrong one, {first}, is at frame {where + 1} of {len(frames)}.")
        frames[0] = dataclasses.replace(frames[0], lines=(intro,) + frames[0].lines)
    return root, frames


def _text(value) -> str:
    try:
        return format_number(np.asarray(value, dtype=np.float64))
    except (TypeError, ValueError):
        return str(value)


def write_page(name: str, outcome: Outcome, path: str) -> str:
    """Write the failing case's stepper page to ``path``."""
    root, frames = failing_frames(name, outcome)
    return Stepper(root, frames=frames).save_html(path, title=f"Exercise {name}: where it "
                                                              "went wrong")
