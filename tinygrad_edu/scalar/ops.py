"""The scalar op table: each op's forward and local derivatives side by side.

``forward`` computes the output from the parents' data (and raises ``DomainError``
outside the op's domain); ``local`` gives d(out)/d(parent) for each parent. The
driver multiplies those by the upstream gradient (``backward``).

>>> sorted(SCALAR_OPS)[:4]
['add', 'div', 'exp', 'log']
"""
from __future__ import annotations

import math

from ..core.backward import Op
from ..core.errors import DomainError


class ScalarOp(Op):
    """An op on Python floats. Subclasses define ``forward`` and ``local``."""

    def backward(self, node, upstream):
        return tuple(d * upstream for d in self.local(node))


class Add(ScalarOp):
    name, symbol, rules = "add", "+", ("1", "1")

    def forward(self, a, b):
        return a + b

    def local(self, node):
        return (1.0, 1.0)

    def backward(self, node, upstream):
        return (upstream, upstream)


class Sub(ScalarOp):
    name, symbol, rules = "sub", "-", ("1", "-1")

    def forward(self, a, b):
        return a - b

    def local(self, node):
        return (1.0, -1.0)

    def backward(self, node, upstream):
        return (upstream, -upstream)


class Mul(ScalarOp):
    name, symbol, rules = "mul", "*", ("{b}", "{a}")

    def forward(self, a, b):
        return a * b

    def local(self, node):
        a, b = node._parents
        return (b.data, a.data)

    def backward(self, node, upstream):
        a, b = node._parents
        return (b.data * upstream, a.data * upstream)


class Div(ScalarOp):
    name, symbol, rules = "div", "/", ("1/{b}", "-{a}/{b}²")

    def forward(self, a, b):
        if b == 0.0:
            raise DomainError(f"div: division by zero ({a!r} / 0.0); expected a non-zero divisor")
        return a / b

    def local(self, node):
        a, b = node._parents
        return (1.0 / b.data, -a.data / (b.data * b.data))


class Neg(ScalarOp):
    name, symbol, rules = "neg", "neg", ("-1",)

    def forward(self, a):
        return -a

    def local(self, node):
        return (-1.0,)

    def backward(self, node, upstream):
        return (-upstream,)


class PowConst(ScalarOp):
    """``a ** k`` with a plain-number exponent k (stored on the node)."""

    name, symbol, rules = "pow_const", "**", ("{k}·{a}^({k}-1)",)

    def forward(self, a, k):
        if a == 0.0 and k < 0:
            raise DomainError(f"pow: 0.0 ** {k!r} is undefined; expected a non-zero base "
                              "for a negative exponent")
        if a < 0.0 and k != int(k):
            raise DomainError(f"pow: {a!r} ** {k!r} is not a real number; expected a "
                              "non-negative base for a fractional exponent")
        return a ** k

    def local(self, node):
        k = node._arg
        a = node._parents[0].data
        return (0.0 if k == 0 else k * a ** (k - 1),)


class Pow(ScalarOp):
    """``a ** b`` where the exponent b is itself a Value (needs a > 0 for d/db)."""

    name, symbol, rules = "pow", "**", ("{b}·{a}^({b}-1)", "{out}·ln({a})")

    def forward(self, a, b):
        if a <= 0.0:
            raise DomainError(f"pow: base {a!r} ** a Value exponent ({b!r}); expected a base > 0, "
                              "since d/d(exponent) needs ln(base)")
        return a ** b

    def local(self, node):
        a, b = node._parents
        return (b.data * a.data ** (b.data - 1.0), node.data * math.log(a.data))


class ReLU(ScalarOp):
    name, symbol, rules = "relu", "relu", ("1 if {a} > 0 else 0",)

    def forward(self, a):
        return a if a > 0.0 else 0.0

    def local(self, node):
        return (1.0 if node.data > 0.0 else 0.0,)

    def backward(self, node, upstream):
        return (upstream if node.data > 0.0 else 0.0,)


class Tanh(ScalarOp):
    name, symbol, rules = "tanh", "tanh", ("1 - {out}²",)

    def forward(self, a):
        return math.tanh(a)

    def local(self, node):
        return (1.0 - node.data * node.data,)

    def backward(self, node, upstream):
        return ((1.0 - node.data * node.data) * upstream,)


class Sigmoid(ScalarOp):
    name, symbol, rules = "sigmoid", "sigmoid", ("{out}·(1 - {out})",)

    def forward(self, a):
        # Two branches so exp never overflows.
        if a >= 0.0:
            return 1.0 / (1.0 + math.exp(-a))
        e = math.exp(a)
        return e / (1.0 + e)

    def local(self, node):
        return (node.data * (1.0 - node.data),)


class Exp(ScalarOp):
    name, symbol, rules = "exp", "exp", ("{out}",)

    def forward(self, a):
        try:
            return math.exp(a)
        except OverflowError:
            raise DomainError(f"exp: exp({a!r}) overflows a float; expected an input <= 709") from None

    def local(self, node):
        return (node.data,)


class Log(ScalarOp):
    name, symbol, rules = "log", "log", ("1/{a}",)

    def forward(self, a):
        if a <= 0.0:
            raise DomainError(f"log: log({a!r}) is undefined; expected an input > 0")
        return math.log(a)

    def local(self, node):
        return (1.0 / node._parents[0].data,)


ADD, SUB, MUL, DIV, NEG = Add(), Sub(), Mul(), Div(), Neg()
POW_CONST, POW = PowConst(), Pow()
RELU, TANH, SIGMOID, EXP, LOG = ReLU(), Tanh(), Sigmoid(), Exp(), Log()

SCALAR_OPS = {op.name: op for op in (ADD, SUB, MUL, DIV, NEG, POW_CONST, POW,
                                     RELU, TANH, SIGMOID, EXP, LOG)}
