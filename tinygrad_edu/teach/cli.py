"""The ``tinygrad-edu`` command: tour (default), step, graph, demo, gradcheck, exercise."""
from __future__ import annotations

import argparse
import os
import sys

from .demo_models import DEMO_MODELS, demo_model, spelling


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line on stderr and exit status 2."""

    def error(self, message):
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def _console():
    from rich.console import Console
    return Console()


def _cmd_tour(args) -> int:
    if args.html:
        from .tour import write_tour_pages
        for path in write_tour_pages(args.html):
            print(f"wrote {path}")
        print("open them in a browser (no server needed)")
        return 0
    from .tour import run_tour
    run_tour(_console(), out_dir=args.out, auto=args.auto, epochs=args.epochs)
    return 0


def _summary(root, order) -> int:
    """Too big to step in a terminal: say so, show every variable's gradient, and offer
    the page (which steps any size, module by module)."""
    root.backward()
    print(f"This expression has {len(order):,} nodes: stepping {2 * len(order):,} frames in a "
          f"terminal is not readable (the limit is {STEP_LIMIT}). Its result and gradients:")
    print(f"  {root.label} = {root.data:.6g}")
    for node in order:
        if not node.parents and node.label:
            print(f"  d{root.label}/d{node.label} = {node.grad:.6g}")
    print("To step through it, write the page: add --html step.html and open it in a browser.")
    return 0


def _write_page(root, path, predict=False) -> int:
    from ..stepper import Stepper
    Stepper(root, predict=predict).save_html(path)
    print(f"wrote {path}: open it in a browser (no server needed)")
    return 0


def _expression(args):
    from .expression import parse_assignments, parse_expression
    root = parse_expression(args.expression, parse_assignments(args.set))
    return root if not args.derivative else _derivative_graph(root, args.derivative)


def _derivative_graph(root, name: str):
    """The graph that backward builds for d(root)/d(name): the chain rule as nodes."""
    from ..core.graph import topological_order
    from ..scalar import grad
    leaves = {n.label: n for n in topological_order(root) if not n.parents and n.label}
    if name not in leaves:
        raise ValueError(f"--derivative {name}: not a variable of the expression; it has: "
                         f"{', '.join(sorted(leaves)) or 'no variables'}")
    root.label = "f"  # the header and ∂f/∂x call it f
    derivative, = grad(root, leaves[name], create_graph=True)
    derivative.label = f"∂f/∂{name}"
    if not derivative.parents:
        raise ValueError(f"--derivative {name}: d{root.label}/d{name} = {derivative.data:g} is a "
                         "constant, so there is no graph to show")
    return derivative


def _cmd_step(args) -> int:
    from ..stepper import Stepper
    root = _expression(args)
    if args.html:
        return _write_page(root, args.html, args.predict)
    var = args.derivative
    header = "" if not var else (f"∂f/∂{var} was built as a graph by a first backward; stepping "
                                 f"its backward gives second derivatives: L is ∂f/∂{var} here, "
                                 f"so dL/d{var} = d²f/d{var}²")
    from ..core.graph import topological_order
    order = topological_order(root)
    if len(order) > STEP_LIMIT:
        return _summary(root, order)
    console = _console()
    Stepper(root, predict=args.predict, console=console, header=header,
            interactive=False if args.auto else None).run()
    return 0


STEP_LIMIT = 60  # nodes: past this, stepping in a terminal is no longer readable


def _cmd_graph(args) -> int:
    from ..viz import draw_graph, render
    from ..viz.renderer import RenderFailed, RendererNotFound
    if (args.expression is None) == (args.model is None):
        raise ValueError("graph: give an EXPRESSION or --model NAME (one of them)")
    if args.derivative and args.model:
        raise ValueError("graph: --derivative works with an EXPRESSION, not --model")
    root = _expression(args) if args.expression is not None else demo_model(args.model)
    if args.html:
        return _write_page(root, args.html)
    if not args.no_backward:
        root.backward()
    collapse = {"auto": None, "yes": True, "no": False}[args.collapse]
    dot = draw_graph(root, rankdir=args.rankdir, collapse=collapse, expand=args.expand or ())
    try:
        path = render(dot, args.output)
    except (RendererNotFound, RenderFailed) as e:
        print(str(e), file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


def demo_dirs() -> list:
    """Where demos live: the checkout's demos/ folder, or the copy inside the package."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return [d for d in (os.path.join(os.path.dirname(package), "demos"),
                        os.path.join(package, "_demos")) if os.path.isdir(d)]


def list_demos() -> dict:
    demos = {}
    for folder in demo_dirs():
        for name in sorted(os.listdir(folder)):
            if name.endswith(".py") and not name.startswith("_"):
                demos.setdefault(name[:-3], os.path.join(folder, name))
    return demos


def _cmd_demo(args) -> int:
    import runpy
    demos = list_demos()
    if args.list or not args.name:
        if not demos:
            print("no demos found")
        for name, path in demos.items():
            print(f"{name:22s} {_first_doc_line(path)}")
        return 0
    args.name = spelling(args.name)
    if args.name not in demos:
        raise ValueError(f"demo: no demo named {args.name!r}; known: {', '.join(demos) or 'none'}")
    sys.argv = [demos[args.name], *args.demo_args]
    sys.path.insert(0, os.path.dirname(demos[args.name]))  # as `python demos/NAME.py`: _kit imports
    runpy.run_path(demos[args.name], run_name="__main__")
    return 0


def _first_doc_line(path) -> str:
    import ast
    with open(path, encoding="utf-8") as f:
        doc = ast.get_docstring(ast.parse(f.read())) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def _cmd_gradcheck(args) -> int:
    from rich.table import Table

    from ..testing.suite import run_suite
    results = run_suite(only=args.only)
    table = Table(title="Gradient checks: analytic vs central differences (float64), "
                        "largest errors")
    # Names whole (tensor:binary_cross_entropy is 27 characters), so narrow error columns
    table.add_column("check", no_wrap=True, min_width=max(len(r.name) for r in results))
    table.add_column("kind", no_wrap=True)
    for column in ("abs err", "rel err", "result"):
        table.add_column(column, justify="right", no_wrap=True)
    for r in results:
        table.add_row(r.name, r.kind, f"{r.max_abs_error:.2e}", f"{r.max_rel_error:.2e}",
                      "[green]pass[/]" if r.passed else f"[red]FAIL[/] {r.error}")
    console = _console()
    console.print(table)
    failed = [r.name for r in results if not r.passed]
    console.print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def _add_page_and_derivative(command) -> None:
    """The options step and graph share: the page instead, and the derivative's graph."""
    command.add_argument("--html", metavar="FILE", help="write an interactive stepper page instead")
    command.add_argument("--derivative", metavar="VAR", help="use the graph of d(expression)/d(VAR) "
                         "that backward builds (a second backward runs through it)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tinygrad-edu",
                     description="Learn how neural networks are trained: step through "
                                 "backprop, draw graphs, check gradients.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    tour = sub.add_parser("tour", help="the guided tour (the default)",
                          description="One neuron stepped through and drawn, then the digits "
                                      "MLP trained, with its accuracy and confusion matrix.")
    tour.add_argument("--auto", action="store_true", help="never wait for keys")
    tour.add_argument("--out", default="tinygrad_edu_tour", help="folder for pictures")
    tour.add_argument("--epochs", type=int, default=None, help="training epochs (default 25, as digits_mlp)")
    tour.add_argument("--html", metavar="DIR", help="write the tour's stepper pages into DIR")
    tour.set_defaults(func=_cmd_tour)

    step = sub.add_parser("step", help="step through backprop of an expression",
                          description='Step through an expression, e.g. tinygrad-edu step '
                                      '"tanh(x*w + b)" --set x=2.0 w=-3.0 b=6.88. Allowed: numbers, '
                                      "your variables, + - * / **, parentheses, relu tanh sigmoid "
                                      "exp log.")
    step.add_argument("expression")
    step.add_argument("--set", nargs="*", metavar="NAME=NUMBER", help="variable values")
    step.add_argument("--predict", action="store_true", help="guess each gradient first")
    step.add_argument("--auto", action="store_true", help="print every frame, never wait")
    _add_page_and_derivative(step)
    step.set_defaults(func=_cmd_step)

    graph = sub.add_parser("graph", help="draw a computation graph to svg/png/dot",
                           description="Draw an expression's graph, or a demo model's, with "
                                       "its gradient flow.")
    graph.add_argument("expression", nargs="?")
    graph.add_argument("--set", nargs="*", metavar="NAME=NUMBER")
    graph.add_argument("--model", type=spelling, choices=DEMO_MODELS,
                       help="draw a demo model instead")
    graph.add_argument("-o", "--output", default="graph.svg", help=".svg, .png, .pdf or .dot")
    graph.add_argument("--rankdir", choices=("LR", "TB"), default="LR")
    graph.add_argument("--collapse", choices=("auto", "yes", "no"), default="auto")
    graph.add_argument("--expand", nargs="*", metavar="MODULE", help="modules to keep open")
    graph.add_argument("--no-backward", action="store_true", help="draw before backward")
    _add_page_and_derivative(graph)
    graph.set_defaults(func=_cmd_graph)

    demo = sub.add_parser("demo", help="run a course demo (--list shows them)",
                          description="Run one of the demos in demos/.")
    demo.add_argument("name", nargs="?")
    demo.add_argument("demo_args", nargs=argparse.REMAINDER, help="passed to the demo")
    demo.add_argument("--list", action="store_true")
    demo.set_defaults(func=_cmd_demo)

    check = sub.add_parser("gradcheck", help="gradient-check every op and module",
                           description="Run a seeded gradient check of every op and module "
                                       "and print a table.")
    check.add_argument("--only", nargs="*", metavar="CHECK", help="run only these checks")
    check.set_defaults(func=_cmd_gradcheck)
    from ..exercises.cli import add_parser as add_exercise_parser
    add_exercise_parser(sub)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["tour", *argv]
    try:
        args = parser.parse_args(argv)
        return args.func(args)
    except KeyboardInterrupt:
        sys.stderr.write("\ntinygrad-edu: interrupted\n")
        return 130
    except OSError as e:  # a folder or file it cannot write or read (--html, --out): one line
        if isinstance(e, BrokenPipeError):  # output piped into `head`: nothing to say
            raise
        sys.stderr.write(f"tinygrad-edu {args.command}: error: {e}\n")
        return 1
    except ValueError as e:  # ExpressionError and every bad-input error: one clear line
        sys.stderr.write(f"tinygrad-edu {args.command}: error: {str(e).rstrip()}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
