"""Turn a stepper Frame into rich renderables (a node table with a cursor, and the
chain-rule explanation). Pure: the same frame always renders the same text."""
from __future__ import annotations

from ..core.files import Discard

STATE_STYLE = {"todo": "dim", "done": "", "pending": "dim", "partial": "yellow", "final": "green"}


def visible_rows(rows, cursor: int, max_rows: int | None):
    """The rows to show: all of them, or ``max_rows`` around the cursor, with how many
    were left out above and below."""
    if max_rows is None or len(rows) <= max_rows:
        return rows, 0, 0
    keep = max(1, max_rows - 2)  # two lines for the "... more" markers
    start = min(max(0, cursor - keep // 2), len(rows) - keep)
    return rows[start:start + keep], start, len(rows) - start - keep


def render_frame(frame, hide_answers: bool = False, max_rows: int | None = None):
    """A rich Group: the overview table (at most ``max_rows`` rows, scrolled to the
    cursor), then the explanation panel."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    table = Table(show_edge=False, pad_edge=False, expand=False)
    for column in ("", "id", "node", "computed as", "value", "grad", "state"):
        table.add_column(column)
    # While a prediction is pending, the parents' new gradients are the answers.
    hidden = {q.parent for q in frame.questions} if hide_answers else set()
    rows, above, below = visible_rows(frame.rows, frame.cursor, max_rows)
    if above:
        table.add_row("", "", f"... {above} more above", "", "", "", "", style="dim")
    for row in rows:
        here = row.node_id == frame.cursor
        table.add_row("▶" if here else "", str(row.node_id), row.name, row.formula, row.value,
                      "?" if row.name in hidden else row.grad, row.state,
                      style="bold" if here else STATE_STYLE.get(row.state, ""))
    if below:
        table.add_row("", "", f"... {below} more below", "", "", "", "", style="dim")
    lines = frame.lines if not hide_answers else tuple(q.prompt for q in frame.questions)
    body = Text("\n".join(lines))
    return Group(table, Panel(body, title=f"[{frame.index + 1}/{frame.total}] {frame.title}",
                              title_align="left"))


def plain_frame(frame, hide_answers: bool = False) -> str:
    """The frame as plain text for a pipe or a log: a heading, the node table in spaced
    columns (the current row marked >), then the explanation; no box drawing.

    >>> from tinygrad_edu.scalar import Value
    >>> from tinygrad_edu.stepper import build_frames
    >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
    >>> print(plain_frame(build_frames(y)[2]))
    [3/4] Backward 1/2: y
       id  node  computed as  value  grad  state
       0   x     leaf         3      6     partial
    >  1   y     x * x        9      1     final
    y = x * x = 9, upstream dL/dy = 1
      x.grad += 1 x d(y)/d(x) [= x = 3] = 3
      x.grad += 1 x d(y)/d(x) [= x = 3] = 3  (feeds 2 consumers so far: running sum 6)
    """
    hidden = {q.parent for q in frame.questions} if hide_answers else set()
    rows = [("", "id", "node", "computed as", "value", "grad", "state")]
    rows += [(">" if r.node_id == frame.cursor else "", str(r.node_id), r.name, r.formula, r.value,
              "?" if r.name in hidden else r.grad, r.state) for r in frame.rows]
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    table = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines = frame.lines if not hide_answers else tuple(q.prompt for q in frame.questions)
    return "\n".join([f"[{frame.index + 1}/{frame.total}] {frame.title}", *table, *lines])


def frame_text(frame, width: int = 100, hide_answers: bool = False, max_rows=None) -> str:
    """The frame as plain text (no escape codes), as a recording console prints it."""
    from rich.console import Console
    console = Console(record=True, width=width, color_system=None, force_terminal=False,
                      file=Discard())
    console.print(render_frame(frame, hide_answers, max_rows))
    return console.export_text()

