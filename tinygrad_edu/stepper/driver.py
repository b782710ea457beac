"""The stepper's driver: keys in a terminal, or a plain play-through when piped.

In a terminal: Enter or n next, b back (rewind), a auto-play (any key stops it),
q quit. Without one (piped, CI) every frame is printed in order as plain text (no boxes).
Prediction mode asks for the gradient flowing into each parent before revealing it.
"""
from __future__ import annotations

import math
import os
import select
import sys
from dataclasses import dataclass

from ..core.text import format_number
from .frames import build_frames
from .render import plain_frame, render_frame

HELP = "[Enter/n] next   [b] back   [a] auto-play   [q] quit"
ANSWER_REL_TOL, ANSWER_ABS_TOL = 1e-2, 1e-3  # a prediction this close is right (page too)


TRIES = 2  # a wrong answer gets one more try before the answer is shown
HINT_KEYS = ("h", "?", "hint")


def check_answer(text: str, expected: float) -> tuple:
    """(right?, message) for a typed prediction, the answer written as the stepper writes
    numbers (never ``0.4999999999999998``); non-numbers are refused kindly.

    >>> check_answer("0.5", 0.4999999999999998)
    (True, 'right: 0.5')
    >>> check_answer(" 1 ", 0.4999999999999998)
    (False, 'not quite: you said 1, the answer is 0.5')
    """
    try:
        guess = float(text.strip())
    except ValueError:
        return False, f"'{text.strip()}' is not a number; the answer was {format_number(expected)}"
    if math.isclose(guess, expected, rel_tol=ANSWER_REL_TOL, abs_tol=ANSWER_ABS_TOL):
        return True, f"right: {format_number(expected)}"
    return False, f"not quite: you said {text.strip()}, the answer is {format_number(expected)}"


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (where printing every frame would flood the cell)."""
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def _is_number(text: str) -> bool:
    try:
        float(text.strip())
    except ValueError:
        return False
    return True


@dataclass
class Result:
    shown: int = 0
    right: int = 0
    asked: int = 0
    quit_early: bool = False


class Stepper:
    """Step through the forward and backward pass of ``root`` (a Value or Tensor).

    >>> from tinygrad_edu.scalar import Value
    >>> import io
    >>> from rich.console import Console
    >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
    >>> out = io.StringIO()
    >>> result = Stepper(y, console=Console(file=out, width=80)).run()
    >>> result.shown, "x.grad += 1 x d(y)/d(x)" in out.getvalue()
    (4, True)
    """

    def __init__(self, root, predict: bool = False, console=None, delay: float = 0.8,
                 interactive: bool | None = None, answers=None, frames=None, header: str = ""):
        from rich.console import Console
        self.root = root
        self.frames = frames if frames is not None else build_frames(root)
        self.predict = predict
        self.console = console or Console()
        self.delay = delay
        if interactive is None:
            interactive = sys.stdin.isatty() and self.console.is_terminal
        self.interactive = interactive
        self.answers = answers  # iterator of typed answers (tests, piped input)
        self.header = header    # shown above every frame in a terminal (the screen is cleared)

    # -- the page (browser, notebook) ------------------------------------------------
    def to_html(self, title: str = "Backprop, step by step") -> str:
        """This stepper as one self-contained HTML page (same frames as the terminal)."""
        from .page import build_page
        return build_page(self.root, self.predict, title, frames=self.frames)

    def save_html(self, path, title: str = "Backprop, step by step") -> str:
        """Write ``to_html()`` to ``path`` atomically; returns the path."""
        from .page import save_page
        return save_page(self.to_html(title), path)

    def _repr_html_(self) -> str:
        """Jupyter shows the stepper inline, interactive."""
        from .page import build_fragment
        return build_fragment(self.root, self.predict, frames=self.frames)

    # -- shared -------------------------------------------------------------------
    def _ask(self, frame, result: Result) -> None:
        """Each question: two tries (a typo or a request for the hint costs none), then
        the answer with the line that works it out."""
        say = lambda text: self.console.print(text, markup=False)  # noqa: E731
        for q in frame.questions:
            say(f"Predict: {q.prompt}   (h: a hint)")
            tries, right = 0, False
            while tries < TRIES and not right:
                text = self._read_line("your answer> ")
                if text is None:
                    break
                if text.strip().lower() in HINT_KEYS:
                    say(f"hint: {q.hint}")
                    continue
                if not _is_number(text):  # a typo keeps the question
                    say(f"'{text.strip()}' is not a number; try again")
                    continue
                tries += 1
                right, message = check_answer(text, q.answer)
                if right:
                    say(f"✔ right: {q.parent}.grad gets {format_number(q.answer)}")
                elif tries < TRIES:
                    say(f"✘ not quite: you said {text.strip()}. One more try (h: a hint)")
                else:
                    say(f"✘ {message}: {q.working.strip()}")
            if tries == 0:
                say(f"(no answer) it is {format_number(q.answer)}: {q.working.strip()}")
                continue
            result.asked += 1
            result.right += right

    def _read_line(self, prompt: str):
        if self.answers is not None:
            return next(self.answers, None)
        try:
            return self.console.input(prompt)
        except EOFError:
            return None

    def run(self) -> Result:
        """Step in the terminal (keys), print every frame when piped, or, in a notebook,
        show the interactive page (the keys live there)."""
        if self.interactive:
            return self._run_interactive()
        if _in_notebook() and self.answers is None:
            from IPython.display import display
            display(self)
            return Result()
        return self._play_through()

    # -- no terminal: print everything ---------------------------------------------
    def _play_through(self) -> Result:
        result = Result()
        if self.header:
            self.console.print(self.header)
        plain = not self.console.is_terminal  # a pipe or a log: text, no boxes
        for frame in self.frames:
            if plain:
                self.console.print()
            else:
                self.console.rule()
            if self.predict and frame.questions:
                self._show(frame, plain, hide_answers=True)
                self._ask(frame, result)
            self._show(frame, plain)
            result.shown += 1
        if self.predict and result.asked:
            self.console.print(f"Predictions: {result.right} of {result.asked} right")
        return result

    def _show(self, frame, plain: bool, hide_answers: bool = False) -> None:
        if plain:
            self.console.print(plain_frame(frame, hide_answers), markup=False, highlight=False,
                               soft_wrap=True)
        else:
            self.console.print(render_frame(frame, hide_answers=hide_answers))

    # -- terminal: keys ------------------------------------------------------------
    def _run_interactive(self) -> Result:
        import termios
        import tty
        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
        result = Result()
        answered = set()
        i, auto = 0, False
        try:
            tty.setcbreak(fd)
            while True:
                frame = self.frames[i]
                self.console.clear()
                if self.header:
                    self.console.print(self.header)
                rows = self._rows_that_fit(frame)
                if self.predict and frame.questions and i not in answered:
                    self.console.print(render_frame(frame, hide_answers=True, max_rows=rows))
                    termios.tcsetattr(fd, termios.TCSADRAIN, saved)
                    self._ask(frame, result)
                    tty.setcbreak(fd)
                    answered.add(i)
                self.console.print(render_frame(frame, max_rows=rows))
                result.shown = max(result.shown, i + 1)
                self.console.print(HELP + ("   (auto-playing)" if auto else ""), style="dim",
                                   markup=False)
                key = self._key(fd, self.delay if auto else None)
                if auto:
                    if key is not None:      # any key stops auto-play; q still quits
                        auto = False
                        if key != "q":
                            continue
                    else:
                        key = "n"            # the auto-play tick
                if key in ("n", "\n", "\r", " "):
                    if i == len(self.frames) - 1:
                        if auto:             # auto-play stops at the end and waits
                            auto = False
                            continue
                        break
                    i += 1
                elif key == "b":
                    i = max(0, i - 1)
                elif key == "a":
                    auto = True
                elif key == "q":
                    result.quit_early = i < len(self.frames) - 1
                    break
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        if self.predict and result.asked:
            self.console.print(f"Predictions: {result.right} of {result.asked} right")
        return result

    def _rows_that_fit(self, frame) -> int:
        """How many table rows fit the terminal beside the header, the explanation panel,
        the table's own lines and the help line."""
        chrome = 8 + len(frame.lines) + (self.header.count("\n") + 2 if self.header else 0)
        return max(3, self.console.size.height - chrome)

    @staticmethod
    def _key(fd, timeout):
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return None
        return os.read(fd, 1).decode(errors="replace")
