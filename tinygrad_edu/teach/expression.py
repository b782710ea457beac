"""Parse arithmetic typed on the command line into a scalar graph, by whitelist.

Allowed: numbers, the variables you define, + - * / ** ( ), unary minus, and the
functions relu, tanh, sigmoid, exp, log. Nothing is ever evaluated as Python: anything
else is refused with a message that points at the offending token.

>>> out = parse_expression("tanh(x * w + b)", {"x": 2.0, "w": -3.0, "b": 6.5})
>>> round(out.data, 4)
0.4621
>>> parse_expression("x.__class__", {"x": 1.0})
Traceback (most recent call last):
  ...
tinygrad_edu.teach.expression.ExpressionError: attribute access is not allowed: '.' at column 2
  x.__class__
   ^
"""
from __future__ import annotations

import re

from ..scalar import Value

FUNCTIONS = ("relu", "tanh", "sigmoid", "exp", "log")
_TOKEN = re.compile(r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|"
                    r"(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<op>\*\*|[-+*/(),]))")


class ExpressionError(ValueError):
    """The expression uses something outside the whitelist, or is malformed."""


def _error(message, text, position):
    return ExpressionError(f"{message} at column {position + 1}\n  {text}\n  {' ' * position}^")


def tokenize(text: str) -> list:
    """(kind, token, position) triples. A character outside the whitelist becomes an
    'error' token, so the parser reports the first problem from the left."""
    tokens, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            bad = pos + len(text[pos:]) - len(text[pos:].lstrip())
            tokens.append(("error", text[bad], bad))
            pos = bad + 1
            continue
        kind = m.lastgroup
        tokens.append((kind, m.group(kind), m.start(kind)))
        pos = m.end()
    tokens.append(("end", "", len(text)))
    return tokens


def _refuse(token, text):
    kind, value, pos = token
    if kind == "error":
        what = "attribute access is not allowed: '.'" if value == "." else \
            f"character {value!r} is not allowed"
        return _error(what, text, pos)
    return _error(f"unexpected {kind} '{value}'", text, pos)


class _Parser:
    def __init__(self, text, variables):
        self.text, self.variables = text, variables
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self):
        return self.tokens[self.i]

    def take(self, token=None):
        kind, value, pos = self.tokens[self.i]
        if kind == "error":
            raise _refuse(self.tokens[self.i], self.text)
        if token is not None and value != token:
            found = f"'{value}'" if value else "the end"
            raise _error(f"expected '{token}' but found {found}", self.text, pos)
        self.i += 1
        return kind, value, pos

    def parse(self):
        if self.peek()[0] == "end":
            raise ExpressionError("the expression is empty")
        node = self.sum()
        if self.peek()[0] != "end":
            raise _refuse(self.peek(), self.text)
        return node

    def sum(self):
        node = self.product()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            right = self.product()
            node = node + right if op == "+" else node - right
        return node

    def product(self):
        node = self.unary()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            right = self.unary()
            node = node * right if op == "*" else node / right
        return node

    def unary(self):
        if self.peek()[1] == "-":
            self.take()
            return -self.unary()
        if self.peek()[1] == "+":
            self.take()
            return self.unary()
        return self.power()

    def power(self):
        base = self.atom()
        if self.peek()[1] == "**":
            self.take()
            exponent = self.unary()  # right-associative, as in Python
            if _is_constant(exponent):
                return base ** exponent.data  # a plain number exponent: x ** -2 is fine
            return base ** exponent
        return base

    def atom(self):
        kind, value, pos = self.take()
        if kind == "number":
            return Value(float(value))
        if kind == "name":
            if self.peek()[1] == "(" and self.peek()[0] == "op":
                if value not in FUNCTIONS:
                    raise _error(f"'{value}' is not a known function (known: {', '.join(FUNCTIONS)})",
                                 self.text, pos)
                self.take("(")
                arg = self.sum()
                self.take(")")
                return getattr(arg, value)()
            if value in FUNCTIONS:
                raise _error(f"function '{value}' needs parentheses: {value}(...)", self.text, pos)
            if value not in self.variables:
                known = ", ".join(sorted(self.variables)) or "none; define them with --set x=1.0"
                raise _error(f"unknown name '{value}' (variables: {known})", self.text, pos)
            return self.variables[value]
        if value == "(":
            node = self.sum()
            self.take(")")
            return node
        found = f"'{value}'" if value else "the end"
        raise _error(f"expected a number, a name or '(' but found {found}", self.text, pos)


def _is_constant(node) -> bool:
    """True when no variable (labelled leaf) feeds ``node``."""
    from ..core.graph import topological_order
    return not any(n.label and not n.parents for n in topological_order(node))


def parse_expression(text: str, values: dict):
    """Build the graph of ``text``; ``values`` maps variable names to numbers.

    Each variable becomes one labelled leaf Value, shared wherever it appears.
    """
    for name in values:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z_0-9]*", name) or name in FUNCTIONS:
            raise ExpressionError(f"'{name}' cannot be a variable name")
    variables = {name: Value(float(v), label=name) for name, v in values.items()}
    out = _Parser(text, variables).parse()
    if not out.label:
        out.label = "L"
    return out


def parse_assignments(items) -> dict:
    """``["x=2.0", "w=-3"]`` -> ``{"x": 2.0, "w": -3.0}``; refuses anything else."""
    values = {}
    for item in items or ():
        m = re.fullmatch(r"\s*([A-Za-z_][A-Za-z_0-9]*)\s*=\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*", item)
        if not m:
            raise ExpressionError(f"--set expects NAME=NUMBER (like x=2.0), got {item!r}")
        values[m.group(1)] = float(m.group(2))
    return values
