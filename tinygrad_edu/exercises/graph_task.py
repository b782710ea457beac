"""An exercise whose answer is a filled-in graph: the learner sets every node's ``.grad``.

The check walks backward's order and stops at the first node whose gradient departs
from backward's own, then quotes the chain-rule line that should have produced it,
exactly as the stepper writes it, with the learner's value beside it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..core.backward import trace_backward
from ..core.text import format_number
from ..stepper.explain import describe_step
from .diagnosis import INPUT_FOR_OUTPUT, OVERWRITE, SIGN, UPSTREAM, close, explanation, match
from .learner import LearnerRaised, LearnerTimedOut, NotStarted, call, function, status
from .outcome import Outcome
from .search import EXAMPLES, find_failure


NOT_SET = "gradient not set"
EXPLAIN = {NOT_SET: "this node's .grad is still 0.0, as it started: set it (every node of the "
                    "graph gets its gradient, the output first with dL/dL = 1)"}


@dataclass
class GraphTask:
    """``build(case)`` makes the graph: (root, {label: node}) with every node labelled."""

    name: str
    function: str
    cases: object
    build: Callable
    examples: int = EXAMPLES

    def learner_grads(self, fn, case) -> dict:
        """Run the learner's backward on a fresh graph; their gradients by label."""
        _, nodes = self.build(case)
        call(fn, nodes, fresh=False)
        return {label: getattr(node, "grad", None) for label, node in nodes.items()}

    def check(self, namespace, shrink: bool = True) -> Outcome:
        try:
            fn = function(namespace, self.function)
        except NotStarted as e:
            return Outcome(self.name, "not started", f"{self.name}: not started: {e}.")
        failing, stuck = [], []

        def fails(case):
            if stuck:  # it ran out of time once: every input fails, shrinking ends fast
                return True
            try:
                grads = self.learner_grads(fn, case)
            except (NotStarted, LearnerRaised) as e:
                stuck.extend([e] if isinstance(e, LearnerTimedOut) else [])
                return True
            wrong = first_wrong_node(trace_backward(self.build(case)[0]), grads) is not None
            if wrong and len(failing) < 24:
                failing.append((case, grads))
            return wrong

        case = find_failure(self.cases, fails, self.examples, shrink)
        if case is None:
            return Outcome(self.name, "pass", f"{self.name}: every gradient right on "
                           f"{self.examples} graphs drawn by hypothesis, compared with backward.")
        return self.report(fn, case, failing)

    def report(self, fn, case, failing) -> Outcome:
        inputs = ", ".join(f"{k} = {format_number(v)}" for k, v in case.items())
        data = {"inputs": dict(case)}
        try:
            grads = self.learner_grads(fn, case)
        except NotStarted as e:
            return Outcome(self.name, "not started", f"{self.name}: not started: {e}.")
        except LearnerRaised as e:
            return Outcome(self.name, status(e), f"{self.name}: your code failed on "
                           f"{inputs}:\n  {e.report}", case=data)
        root, nodes = self.build(case)
        steps = trace_backward(root)
        node = first_wrong_node(steps, grads)
        if node is None:
            return Outcome(self.name, "wrong", f"{self.name}: your gradients changed between two "
                           f"runs on {inputs} (does your code keep state between calls?)", case=data)
        label, expected = node.label, _final(steps, node)
        order = [s.node.label for s in steps]
        lines = [f"{self.name}: wrong.", f"  simplest input that shows it: {inputs}",
                 f"  first wrong gradient in backward order: {label}.grad (backward reaches "
                 f"{', '.join(order[:order.index(label) + 1])})",
                 "  the chain rule's line that should have produced it (as the stepper writes it):"]
        lines += ["    " + t for t in chain_lines(steps, node)] or [
            f"    {label} is the output: backward starts from d{label}/d{label} = 1"]
        lines[-1] += f"; yours gave {_text(grads[label])}"
        lines.append(f"  expected {label}.grad = {format_number(expected)}, yours gave "
                     f"{_text(grads[label])}")
        seen = []
        for c, g in failing + [(case, grads)]:
            s = trace_backward(self.build(c)[0])
            n = first_wrong_node(s, g)
            if n is not None and n.label == label:
                seen.append(((g[label],), (_final(s, n),), candidates(s, n)))
        mistake = match(seen, 0)
        if mistake:
            lines.append(f"  looks like: {mistake}: {explanation(mistake, EXPLAIN)}")
        data.update(given=grads, expected={s.node.label: s.upstream for s in steps},
                    first_wrong=label)
        return Outcome(self.name, "wrong", "\n".join(lines), mistake, data)


def _text(value) -> str:
    try:
        return format_number(float(value))
    except (TypeError, ValueError):
        return repr(value)[:80]


def first_wrong_node(steps, grads: dict):
    """The first node, in backward's order, whose learner gradient is not backward's."""
    for step in steps:
        if not close(grads.get(step.node.label), step.upstream):
            return step.node
    return None


def _final(steps, node):
    return next(s.upstream for s in steps if s.node is node)


def _feeding(steps, node) -> list:
    """(step, parent-step) for each contribution ``node`` received, in backward's order."""
    return [(s, p) for s in steps for p in s.parents if p.parent is node]


def chain_lines(steps, node) -> list:
    """The stepper's lines for the steps that send ``node`` its gradient: each step's
    head line and its lines about ``node``."""
    lines = []
    for step in {id(s): s for s, _ in _feeding(steps, node)}.values():
        text = describe_step(step)
        lines.append(text[0])
        lines += [t for t in text[1:] if t.lstrip().startswith(f"{node.label}.grad +=")]
    return lines


def candidates(steps, node) -> dict:
    """What the usual mistakes would have put in ``node.grad``."""
    feeding = _feeding(steps, node)
    total = _final(steps, node)
    out = {SIGN: (-total,)}
    if not feeding:  # the root: nothing flows into it
        return {**out, NOT_SET: (0.0,)}
    out[UPSTREAM] = (sum(p.local for _, p in feeding),)
    if len(feeding) > 1:
        out[OVERWRITE] = (feeding[-1][1].contribution,)
    tanh = [(s, p) for s, p in feeding if s.node.op == "tanh"]
    if tanh:
        out[INPUT_FOR_OUTPUT] = (tanh[0][0].upstream * (1 - node.data ** 2),)
    out[NOT_SET] = (0.0,)
    return out
