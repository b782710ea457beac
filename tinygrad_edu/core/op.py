"""``Op``: what every op of both engines tells the backward driver, the stepper and the
pictures. An op states its derivative ONCE:

- an elementwise op (``ElementwiseOp``) writes ``derivative(*operands, out)``, the local
  derivative d(out)/d(operand) per operand, as plain arithmetic. Backward multiplies it
  by the upstream gradient; the stepper shows its numbers; evaluated on ``Symbol``s it
  writes its own words (see ``core.formula``);
- any other op (matmul, sum, conv, ...) writes ``backward(node, upstream)``, the
  contribution to each parent's gradient (a vector-Jacobian product), and says in
  ``rules`` what that computes.

>>> from tinygrad_edu.scalar import Value
>>> x = Value(0.5, label="x"); y = x.tanh()
>>> y._op.words(y)
('1 - {out}²',)
>>> y._op.explain(y, 2.0)     # (contributions, local derivatives), from one evaluation
((1.5728954659318548,), (0.7864477329659274,))
"""
from __future__ import annotations

import copy

import numpy as np

from .errors import GraphError
from .formula import Symbol, number_text

OPERAND_NAMES = ("{a}", "{b}", "{c}", "{d}")
SATURATED = 1e-3  # |local derivative| below this: a saturated tanh or sigmoid


class Op:
    """Base of every op. ``name`` is the key in the engine's op table, ``symbol`` what
    pictures show, ``rules`` (ops without a ``derivative``) the words per parent, and
    ``vanishes`` = (kind, reason) when the op itself can kill a gradient: kind "zero"
    (local derivative exactly 0) or "flat" (|local| < SATURATED)."""

    name = "op"
    symbol = "op"
    rules: tuple = ()
    vanishes: tuple[str, str] | None = None
    # True when the derivative is constant between kinks (relu, abs, max, masks): a
    # gradient graph then takes it as a number, its own derivative being 0 there.
    piecewise_constant = False

    def backward(self, node, upstream) -> tuple:
        """Contribution to each parent's gradient (``None`` for parents that need none)."""
        raise NotImplementedError

    def graph_backward(self, node, upstream) -> tuple:
        """``backward`` built from engine ops on the forward nodes, so the gradient is a
        graph that can be differentiated again (``create_graph=True``)."""
        raise GraphError(f"{self.name}: this op has no second derivative (no graph_backward); "
                         "differentiate it once, without create_graph")

    def explain(self, node, upstream) -> tuple:
        """(contributions, local derivatives or None): what an observed backward reports."""
        return self.backward(node, upstream), None

    def words(self, node) -> tuple:
        """Per parent, the local derivative (or the contribution) as a template over the
        operand names ``{a}``, ``{b}`` and the output ``{out}``. Ops taking any number of
        inputs (concat, stack) state one rule that holds for each."""
        missing = len(node.parents) - len(self.rules)
        return self.rules + self.rules[-1:] * missing if missing > 0 else self.rules

    def vanishing_note(self, local) -> str | None:
        """Why this op passes (almost) no gradient to a parent, when it is the cause."""
        if self.vanishes is None or local is None:
            return None
        kind, reason = self.vanishes
        size = np.abs(np.asarray(local, dtype=np.float64))
        if np.all(size == 0) if kind == "zero" else np.all(size < SATURATED):
            return reason
        return None

    def __repr__(self) -> str:
        return f"<op {self.name}>"


class ElementwiseOp(Op):
    """An op whose output element depends on the same element of each operand, so its
    derivative is a number per element: ``derivative(*operands, out)`` returns one local
    derivative per operand. Engines derive ``backward`` from it."""

    def derivative(self, *operands_and_out) -> tuple:
        raise NotImplementedError

    def graph_locals(self, node) -> tuple:
        """The local derivatives for a gradient graph: the formula evaluated on the
        forward nodes themselves (``1 - out ** 2`` becomes nodes over tanh's output)."""
        parents = node._parents
        if self.piecewise_constant:
            return self.derivative(*[p.data for p in parents], node.data)
        try:
            return self.derivative(*parents, node)
        except TypeError as e:  # e.g. np.cos(tensor): numpy functions do not take nodes
            raise GraphError(f"{self.name}: its derivative cannot be evaluated on graph nodes "
                             f"({e}), so it has no second derivative; write it with the nodes' "
                             "own methods (x.exp(), x.tanh(), ...) or core.formula's log/sign/"
                             "where") from None

    def words(self, node) -> tuple:
        """The derivative evaluated on names instead of numbers: '{b}' for a * b."""
        operands = [Symbol(name) for name in OPERAND_NAMES[:len(node.parents)]]
        local = type(self).derivative(self._symbolic(), *operands, Symbol("{out}"))
        return tuple(str(d) if isinstance(d, Symbol) else number_text(d) for d in local)

    def _symbolic(self):
        """This op with its saved arrays (masks, conditions) standing as their names."""
        arrays = {k: v for k, v in getattr(self, "__dict__", {}).items() if isinstance(v, np.ndarray)}
        if not arrays:
            return self
        twin = copy.copy(self)
        for key in arrays:
            setattr(twin, key, Symbol(key, is_condition=arrays[key].dtype == bool))
        return twin


def times_upstream(local, upstream):
    """``local * upstream`` for a gradient graph, without nodes that multiply by 1 or -1
    (add and sub would otherwise draw a "×1" for every contribution)."""
    if isinstance(local, (bool, np.bool_)):
        local = float(local)
    if isinstance(local, (int, float)):
        if local == 1:
            return upstream
        if local == -1:
            return -upstream
    return upstream * local
