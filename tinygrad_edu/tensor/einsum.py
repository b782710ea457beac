"""``einsum`` for one or two operands, built from ops that already have derivatives:
each operand's axes are permuted into one shared letter order (missing letters as size
1), the two are multiplied with broadcasting, the letters absent from the output are
summed away, and the rest permuted into the output's order. So its gradient (and second
derivative) comes from mul, sum, reshape and permute. The broadcast product holds every
combination of letters at once: clear to read, but 'ij,jk->ik' takes i·j·k memory where
``@`` takes i·k (use ``@`` for large products).

>>> import numpy as np
>>> from tinygrad_edu import Tensor
>>> a, b = Tensor(np.ones((2, 3))), Tensor(np.arange(12.0).reshape(3, 4))
>>> einsum("ij,jk->ik", a, b).tolist() == (a @ b).tolist(), einsum("ij->", a).item()
(True, 6.0)
"""
from __future__ import annotations

import string

from .tensor import Tensor


def _refuse(equation, why):
    return ValueError(f"einsum: {equation!r} is not supported: {why}. Supported: one or two "
                      "operands, each letter at most once per operand, an explicit '->' "
                      "output (e.g. 'ij,jk->ik', 'bij,bjk->bik', 'i,i->', 'ij,j->i')")


def _parse(equation: str, operands):
    eq = equation.replace(" ", "")
    if "->" not in eq:
        raise _refuse(equation, "no '->' output (the implicit form)")
    inputs, output = eq.split("->")
    terms = inputs.split(",")
    if "." in eq:
        raise _refuse(equation, "ellipsis ('...')")
    if len(terms) != len(operands) or len(terms) not in (1, 2):
        raise _refuse(equation, f"{len(terms)} terms for {len(operands)} operands")
    for term in terms + [output]:
        if any(c not in string.ascii_letters for c in term):
            raise _refuse(equation, f"{term!r} holds characters other than letters")
        if len(set(term)) != len(term):
            raise _refuse(equation, f"a letter repeats in {term!r} (a trace or diagonal)")
    known = set("".join(terms))
    if not set(output) <= known:
        raise _refuse(equation, f"output letters {sorted(set(output) - known)} appear in no input")
    return terms, output


def einsum(equation: str, *operands) -> Tensor:
    """Sum of products over the letters missing from the output (see the module doc)."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    terms, output = _parse(equation, operands)
    sizes: dict[str, int] = {}
    for term, t in zip(terms, operands):
        if not isinstance(t, Tensor):
            raise TypeError(f"einsum: operands must be Tensors, got {type(t).__name__}")
        if len(term) != t.ndim:
            raise ValueError(f"einsum: term {term!r} has {len(term)} letters but its operand "
                             f"has shape {t.shape}")
        for letter, n in zip(term, t.shape):
            if sizes.setdefault(letter, n) != n and 1 not in (n, sizes[letter]):
                raise ValueError(f"einsum: letter {letter!r} has size {sizes[letter]} and {n} "
                                 f"in {equation!r}")
            sizes[letter] = max(sizes[letter], n)
    order = list(output) + sorted(set("".join(terms)) - set(output))
    aligned = []
    for term, t in zip(terms, operands):
        moved = t.permute(sorted(range(len(term)), key=lambda i: order.index(term[i])))
        placed = sorted(term, key=order.index)
        aligned.append(moved.reshape(tuple(sizes[c] if c in placed and t.shape[term.index(c)] != 1
                                           else 1 for c in order)))
    product = aligned[0]
    for other in aligned[1:]:
        product = product * other
    summed = tuple(range(len(output), len(order)))
    return product.sum(summed) if summed else product
