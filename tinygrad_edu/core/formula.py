"""Derivative formulas that evaluate on numbers, numpy arrays, engine nodes and words.

An op states its local derivative once, as ordinary arithmetic on its operands
(``1 - out ** 2`` for tanh). Evaluated on floats or arrays it trains; on ``Symbol``s it
writes itself out for the stepper and the pictures, so words and numbers cannot
disagree. The few functions a formula may call (``log``, ``sign``, ``where``, ``exp``,
``sin``, ``cos``) live here
and dispatch on what they are given.

>>> a, out = Symbol("{a}"), Symbol("{out}")
>>> str(1 - out ** 2), str(a * (1 - a)), str(-a / a ** 2), str(2 * a ** 3)
('1 - {out}²', '{a}·(1 - {a})', '-{a}/{a}²', '2·{a}³')
>>> str(where(a > 0, 1, 0.01)), str(log(a) * out)
('1 if {a} > 0 else 0.01', 'ln({a})·{out}')
>>> str(a > 0)
'1 if {a} > 0 else 0'
"""
from __future__ import annotations

import math

import numpy as np

# Binding strength, loosest first: a condition, a sum, a product, a sign, a power, an atom.
CONDITION, SUM, PRODUCT, SIGN, POWER, ATOM = range(6)
SUPERSCRIPTS = {2: "²", 3: "³"}


def number_text(x) -> str:
    """How a constant reads inside a formula: at most 4 significant digits."""
    return f"{float(x):.4g}"


class Symbol:
    """A formula's text, with its binding strength (to place parentheses) and whether it
    is a condition (true/false) rather than a number."""

    __slots__ = ("text", "strength", "is_condition")
    __array_ufunc__ = None  # numpy defers to our reflected operators
    __hash__ = object.__hash__

    def __init__(self, text: str, strength: int = ATOM, is_condition: bool = False):
        self.text, self.strength, self.is_condition = text, strength, is_condition

    def __str__(self) -> str:
        return _as_number(self).text

    __repr__ = __str__

    def __bool__(self):
        raise TypeError("a derivative formula cannot branch on an operand; use where()")

    # -- arithmetic ---------------------------------------------------------------
    def __add__(self, other):
        return _binary(self, other, " + ", SUM)

    def __radd__(self, other):
        return _binary(other, self, " + ", SUM)

    def __sub__(self, other):
        return _binary(self, other, " - ", SUM, right_strict=True)

    def __rsub__(self, other):
        return _binary(other, self, " - ", SUM, right_strict=True)

    def __mul__(self, other):
        return _binary(self, other, "·", PRODUCT)

    def __rmul__(self, other):
        return _binary(other, self, "·", PRODUCT)

    def __truediv__(self, other):
        return _binary(self, other, "/", PRODUCT, right_strict=True)

    def __rtruediv__(self, other):
        return _binary(other, self, "/", PRODUCT, right_strict=True)

    def __neg__(self):
        return Symbol("-" + _wrap(self, SIGN), SIGN)

    def __pow__(self, exponent):
        base = _wrap(self, POWER, strict=True)
        if not isinstance(exponent, Symbol) and exponent == 1:
            return self
        if not isinstance(exponent, Symbol) and exponent in SUPERSCRIPTS:
            return Symbol(base + SUPERSCRIPTS[exponent], POWER)
        power = _operand(exponent)
        return Symbol(f"{base}^{_wrap(power, ATOM, strict=True) if power.strength < ATOM else power.text}",
                      POWER)

    # -- conditions -----------------------------------------------------------------
    def __gt__(self, other):
        return _compare(self, other, " > ")

    def __ge__(self, other):
        return _compare(self, other, " ≥ ")

    def __lt__(self, other):
        return _compare(self, other, " < ")

    def __le__(self, other):
        return _compare(self, other, " ≤ ")

    def __eq__(self, other):
        return _compare(self, other, " == ")

    def __and__(self, other):
        return Symbol(f"{self.text} and {_operand(other).text}", CONDITION, True)

    # -- the functions a formula may call ------------------------------------------
    def log(self):
        return Symbol(f"ln({self})")

    def sign(self):
        return Symbol(f"sign({self})")

    def exp(self):
        return Symbol(f"exp({self})")

    def sin(self):
        return Symbol(f"sin({self})")

    def cos(self):
        return Symbol(f"cos({self})")


def _operand(x) -> Symbol:
    return x if isinstance(x, Symbol) else Symbol(number_text(x), SIGN if float(x) < 0 else ATOM)


def _as_number(s: Symbol) -> Symbol:
    """A condition used as a number is 1 where it holds, else 0."""
    return Symbol(f"1 if {s.text} else 0", CONDITION) if s.is_condition else s


def _wrap(s: Symbol, strength: int, strict: bool = False) -> str:
    s = _as_number(s)
    weaker = s.strength <= strength if strict else s.strength < strength
    return f"({s.text})" if weaker else s.text


def _binary(left, right, sign: str, strength: int, right_strict: bool = False) -> Symbol:
    left, right = _operand(left), _operand(right)
    return Symbol(_wrap(left, strength) + sign + _wrap(right, strength, right_strict), strength)


def _compare(left, right, sign: str) -> Symbol:
    return Symbol(_operand(left).text + sign + _operand(right).text, CONDITION, True)


def where(condition, if_true, if_false):
    """``if_true`` where ``condition`` holds, else ``if_false`` (elementwise)."""
    if isinstance(condition, Symbol) or isinstance(if_true, Symbol) or isinstance(if_false, Symbol):
        return Symbol(f"{_operand(if_true).text} if {_operand(condition).text} else "
                      f"{_operand(if_false).text}", CONDITION)
    if isinstance(condition, (bool, np.bool_)):
        return if_true if condition else if_false
    return np.where(condition, if_true, if_false)


def log(x):
    """Natural logarithm of a float, an array, a Symbol or an engine node."""
    if isinstance(x, float):
        return math.log(x)
    if isinstance(x, (np.ndarray, np.generic, int)):
        return np.log(x)
    return x.log()


def _elementwise(x, numpy_fn, math_fn, method: str):
    """``numpy_fn`` on arrays, ``math_fn`` on floats, else the node's (or Symbol's) method."""
    if isinstance(x, (float, int)):
        return math_fn(x)
    if isinstance(x, (np.ndarray, np.generic)):
        return numpy_fn(x)
    return getattr(x, method)()


def exp(x):
    """e to the power of each element."""
    return _elementwise(x, np.exp, math.exp, "exp")


def sin(x):
    """Sine of each element (radians)."""
    return _elementwise(x, np.sin, math.sin, "sin")


def cos(x):
    """Cosine of each element (radians)."""
    return _elementwise(x, np.cos, math.cos, "cos")


def sign(x):
    """-1, 0 or 1 by the sign of each element."""
    if isinstance(x, (float, int, np.ndarray, np.generic)):
        return np.sign(x) if isinstance(x, np.ndarray) else float(np.sign(x))
    return x.sign()
