"""Parse arithmetic typed on the command line into a scalar graph, by whitelist.

Allowed: numbers, the variables you define, + - * / ** ( ), unary minus, and the
functions relu, tanh, sigmoid, exp, log. Each node the expression makes is named by its
part of the text as typed (``x * w``), the whole by the whole, when short. Nothing is ever evaluated as Python: anything
else is refused with a message that points at the offending token.

>>> out = parse_expression("tanh(x * w + b)", {"x": 2.0, "w": -3.0, "b": 6.5})
>>> round(out.data, 4), out.label, [p.label for p in out.parents[0].parents]
(0.4621, 'tanh(x * w + b)', ['x * w', 'b'])
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
MAX_LENGTH = 2000   # characters: a readable expression is far shorter
MAX_DEPTH = 100     # nested parentheses, functions, signs and powers
NAME_LIMIT = 40     # characters: a sub-expression shorter than this names its node
NUMBER = r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"  # ASCII digits only
_TOKEN = re.compile(rf"\s*(?:(?P<number>{NUMBER})|"
                    r"(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<op>\*\*|[-+*/(),]))")


class ExpressionError(ValueError):
    """The expression uses something outside the whitelist, or is malformed."""


def _error(message, text, position):
    """The message, and the text around ``position`` (at most 60 characters of it) with a
    caret under the bad spot."""
    start = max(0, position - 30)
    shown = text[start:start + 60]
    return ExpressionError(f"{message} at column {position + 1}\n  {shown}\n  {' ' * (position - start)}^")


def finite_number(text: str, what: str) -> float:
    """``text`` as a float, refusing numbers too large to be finite (1e400)."""
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ExpressionError(f"{what}{text} is too large: it is not a finite number")
    return value


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
        self.depth = 0

    def deeper(self, pos):
        """Count one level of nesting; refuse past MAX_DEPTH (before Python's own limit)."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _error(f"the expression nests deeper than {MAX_DEPTH} levels", self.text, pos)

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

    def named(self, node, start):
        """Label a node this parse made by its text as typed (``x*w + b``), when short."""
        kind, value, pos = self.tokens[self.i - 1]
        text = self.text[start:pos + len(value)].strip()
        if node.parents and not node.label and len(text) <= NAME_LIMIT:
            node.label = text
        return node

    def sum(self):
        start = self.peek()[2]
        node = self.product()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            right = self.product()
            node = self.named(node + right if op == "+" else node - right, start)
        return node

    def product(self):
        start = self.peek()[2]
        node = self.unary()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            right = self.unary()
            node = self.named(node * right if op == "*" else node / right, start)
        return node

    def unary(self):
        signs, start = [], self.peek()[2]
        while self.peek()[1] in ("-", "+"):  # a loop, not recursion: "- - - x" is flat
            signs.append(self.take()[1])
            if len(signs) > MAX_DEPTH:
                raise _error(f"more than {MAX_DEPTH} signs in a row", self.text, self.peek()[2])
        node = self.power()
        return self.named(-node, start) if signs.count("-") % 2 else node

    def power(self):
        start = self.peek()[2]
        base = self.atom()
        if self.peek()[1] == "**":
            self.deeper(self.take()[2])
            exponent = self.unary()  # right-associative, as in Python
            self.depth -= 1
            if _is_constant(exponent):  # a plain number exponent: x ** -2 is fine
                return self.named(base ** exponent.data, start)
            return self.named(base ** exponent, start)
        return base

    def atom(self):
        kind, value, pos = self.take()
        if kind == "number":
            return Value(finite_number(value, "the number "))
        if kind == "name":
            if self.peek()[1] == "(" and self.peek()[0] == "op":
                if value not in FUNCTIONS:
                    raise _error(f"'{value}' is not a known function (known: {', '.join(FUNCTIONS)})",
                                 self.text, pos)
                self.deeper(self.take("(")[2])
                arg = self.sum()
                self.take(")")
                self.depth -= 1
                return self.named(getattr(arg, value)(), pos)
            if value in FUNCTIONS:
                raise _error(f"function '{value}' needs parentheses: {value}(...)", self.text, pos)
            if value not in self.variables:
                known = ", ".join(sorted(self.variables)) or "none; define them with --set x=1.0"
                raise _error(f"unknown name '{value}' (variables: {known})", self.text, pos)
            return self.variables[value]
        if value == "(":
            self.deeper(pos)
            node = self.sum()
            self.take(")")
            self.depth -= 1
            return node
        found = f"'{value}'" if value else "the end"
        raise _error(f"expected a number, a name or '(' but found {found}", self.text, pos)


def _is_constant(node) -> bool:
    """True when no variable (labelled leaf) feeds ``node``."""
    from ..core.graph import topological_order
    return not any(n.label and not n.parents for n in topological_order(node))


def parse_expression(text: str, values: dict):
    """Build the graph of ``text``; ``values`` maps variable names to numbers.

    Each variable becomes one labelled leaf Value, shared wherever it appears; a value
    the expression does not use is refused (usually a typo).
    """
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression has {len(text):,} characters; the limit is "
                              f"{MAX_LENGTH:,} (step something smaller)")
    for name in values:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z_0-9]*", name) or name in FUNCTIONS:
            raise ExpressionError(f"'{name}' cannot be a variable name")
    variables = {name: Value(float(v), label=name) for name, v in values.items()}
    out = _Parser(text, variables).parse()
    from ..core.graph import topological_order
    used = {n.label for n in topological_order(out) if not n.parents}
    unused = sorted(set(values) - used)
    if unused:
        raise ExpressionError(f"--set {', '.join(unused)}: not used by the expression (a typo?); "
                              f"it uses: {', '.join(sorted(set(values) & used)) or 'no variables'}")
    if not out.label:
        out.label = "L"
    return out


def parse_assignments(items) -> dict:
    """``["x=2.0", "w=-3"]`` -> ``{"x": 2.0, "w": -3.0}``; refuses anything else."""
    values = {}
    for item in items or ():
        m = re.fullmatch(rf"\s*([A-Za-z_][A-Za-z_0-9]*)\s*=\s*([-+]?{NUMBER})\s*", item)
        if not m:
            raise ExpressionError(f"--set expects NAME=NUMBER (like x=2.0), got {item[:60]!r}")
        values[m.group(1)] = finite_number(m.group(2), f"--set {m.group(1)}=")
    return values
