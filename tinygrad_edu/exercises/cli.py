"""``tinygrad-edu exercise list | start | check | grade | hint``: the subcommand's parser
and actions (teach.cli only hands it the subparsers).

Exit status: 0 right (or done), 1 wrong (or a file not overwritten), 2 usage errors
(ExerciseError is a ValueError, which the main command reports as one line, status 2).
"""
from __future__ import annotations

import json
import os
import sys


def add_parser(subparsers) -> None:
    """Add ``exercise`` and its actions to the main command's ``subparsers``."""
    exercise = subparsers.add_parser(
        "exercise", help="write the derivatives yourself; the tool checks them",
        description="Exercises in course order: start one, fill in the function(s), check "
                    "it. A wrong answer is shown on the simplest input that exposes it, with "
                    "the mistake it looks like.")
    actions = exercise.add_subparsers(dest="action", parser_class=type(exercise), required=True,
                                      metavar="{list,start,check,grade,hint}")
    actions.add_parser("list", help="the exercises, in course order")
    start = actions.add_parser("start", help="write DIR/NAME.py to fill in")
    start.add_argument("name")
    check = actions.add_parser("check", help="check your file(s); 0 right, 1 wrong")
    check.add_argument("name", nargs="?", help="one exercise (default: every file in DIR)")
    check.add_argument("--html", metavar="FILE",
                       help="write the stepper page of the failing case, your gradients beside")
    grade = actions.add_parser("grade", help="score every exercise in DIR")
    grade.add_argument("--json", action="store_true",
                       help="print Gradescope's results.json and write it to DIR/results.json")
    hint = actions.add_parser("hint", help="the next hint for NAME")
    hint.add_argument("name")
    for action, required in ((start, False), (check, False), (grade, True), (hint, False)):
        action.add_argument("--dir", default=None if required else "exercises", required=required,
                            help="the exercises folder" + ("" if required else
                                                           " (default: ./exercises)"))
    exercise.set_defaults(func=run)


def run(args) -> int:
    return {"list": _list, "start": _start, "check": _check, "grade": _grade,
            "hint": _hint}[args.action](args)


def _list(args) -> int:
    from . import summaries
    for name, summary in summaries():
        print(f"{name:22s} {summary}")
    return 0


def _start(args) -> int:
    from . import WouldOverwrite, exercise_path, start
    existed = os.path.exists(exercise_path(args.name, args.dir))
    try:
        path = start(args.name, args.dir)
    except WouldOverwrite as e:
        sys.stderr.write(f"tinygrad-edu exercise start: {e}\n")
        return 1
    print(f"{path} {'was already there, unchanged' if existed else 'is ready'}: fill it in, then  "
          f"tinygrad-edu exercise check {args.name}"
          + ("" if args.dir == "exercises" else f" --dir {args.dir}"))
    return 0


def _check(args) -> int:
    from . import check, folder_ready, names, task
    if args.name:
        task(args.name)  # an unknown name is a usage error before anything runs
        todo = [args.name]
    else:
        folder_ready(args.dir, create=False)
        todo = [n for n in names() if os.path.isfile(os.path.join(args.dir, f"{n}.py"))]
        if not todo:
            raise_usage(f"no exercise files in {args.dir}; start one:  tinygrad-edu exercise "
                        f"start mul --dir {args.dir}")
    outcomes = []
    for name in todo:
        outcome = check(name, args.dir)
        outcomes.append(outcome)
        print(outcome.message)
    failing = [o for o in outcomes if not o.passed]
    if args.html:  # the first failing case with gradients to show
        _page(next((o for o in failing if "given" in o.case), failing[0] if failing else None),
              args.html)
    if len(outcomes) > 1:
        print(f"{sum(o.passed for o in outcomes)} of {len(outcomes)} right")
    return 1 if failing else 0


def _page(outcome, path) -> None:
    if outcome is None:
        print(f"--html: nothing wrong to show; {path} not written")
        return
    from .catalogue import ExerciseError
    from .page import write_page
    try:
        print(f"wrote {write_page(outcome.name, outcome, path)}: the failing case, step by step, "
              "your gradients beside backward's")
    except ExerciseError as e:
        print(str(e))


def _grade(args) -> int:
    from . import grade
    from .gradescope import results, write
    outcomes, seconds = grade(args.dir)
    data = results(outcomes, seconds)
    if args.json:
        print(json.dumps(data, indent=2))
        write(data, args.dir)
        sys.stderr.write(f"wrote {os.path.join(args.dir, 'results.json')}\n")
        return 0
    for o in outcomes:
        print(f"{o.name:22s} {o.score:g}/1  {o.status}")
    print(f"score {data['score']:g} of {len(outcomes)}")
    return 0


def _hint(args) -> int:
    from . import next_hint
    number, total, text = next_hint(args.name, args.dir)
    print(f"hint {number} of {total} for {args.name}: {text}")
    if number == total:
        print("(that is the last hint)")
    return 0


def raise_usage(message: str):
    """A usage error (status 2, one line): ExerciseError is a ValueError."""
    from .catalogue import ExerciseError
    raise ExerciseError(message)

