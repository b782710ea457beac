"""Turn a stepper Frame into rich renderables (a node table with a cursor, and the
chain-rule explanation). Pure: the same frame always renders the same text."""
from __future__ import annotations

STATE_STYLE = {"todo": "dim", "done": "", "pending": "dim", "partial": "yellow", "final": "green"}


def render_frame(frame, hide_answers: bool = False):
    """A rich Group: the overview table, then the explanation panel."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    table = Table(show_edge=False, pad_edge=False, expand=False)
    for column in ("", "id", "node", "computed as", "value", "grad", "state"):
        table.add_column(column)
    # While a prediction is pending, the parents' new gradients are the answers.
    hidden = {q.parent for q in frame.questions} if hide_answers else set()
    for row in frame.rows:
        here = row.node_id == frame.cursor
        table.add_row("▶" if here else "", str(row.node_id), row.name, row.formula, row.value,
                      "?" if row.name in hidden else row.grad, row.state,
                      style="bold" if here else STATE_STYLE.get(row.state, ""))
    lines = frame.lines if not hide_answers else tuple(q.prompt for q in frame.questions)
    body = Text("\n".join(lines))
    return Group(table, Panel(body, title=f"[{frame.index + 1}/{frame.total}] {frame.title}",
                              title_align="left"))


def frame_text(frame, width: int = 100, hide_answers: bool = False) -> str:
    """The frame as plain text (no escape codes), as a recording console prints it."""
    from rich.console import Console
    console = Console(record=True, width=width, color_system=None, force_terminal=False,
                      file=_Null())
    console.print(render_frame(frame, hide_answers))
    return console.export_text()


class _Null:
    def write(self, text):
        return len(text)

    def flush(self):
        pass
