"""help(Value), help(Tensor) and help() of the scalar ops read well: the constructors'
arguments are documented, every public method of Value and the common ones of Tensor have
their own words, and no code comment stands in for a method's documentation (pydoc shows
the comment above an undocumented def)."""
import inspect
import pydoc

import pytest

from tinygrad_edu import Tensor
from tinygrad_edu.scalar import Value, ops


def test_value_documents_its_constructor_arguments():
    doc = inspect.getdoc(Value)
    assert "Value(data, label" in doc and "``data``" in doc and "``label``" in doc


@pytest.mark.parametrize("cls", [Value, *ops.SCALAR_OPS.values(), ops.Unary, ops.Binary])
def test_help_shows_no_code_comment_and_documents_every_public_method(cls):
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)
    assert not [line for line in text.splitlines() if line.lstrip(" |").startswith("#")]
    assert inspect.getdoc(cls)
    if cls is Value:
        for name, member in vars(cls).items():
            if callable(member) and (not name.startswith("_") or name.startswith("__")) \
                    and name not in ("__init_subclass__",):
                assert member.__doc__, f"Value.{name} has no docstring"


def test_tensor_documents_its_constructor_arguments():
    doc = inspect.getdoc(Tensor)
    assert "Tensor(data, requires_grad=False, dtype=None, label=" in doc
    for argument in ("data", "requires_grad", "dtype", "label"):
        assert f"``{argument}``" in doc, argument
    assert "data: 'ArrayLike | Tensor'" in str(inspect.signature(Tensor.__init__))


def test_help_of_tensor_shows_no_code_comment():
    text = pydoc.render_doc(Tensor, renderer=pydoc.plaintext)
    assert not [line for line in text.splitlines() if line.lstrip(" |").startswith("#")]


@pytest.mark.parametrize("name", ["__add__", "__mul__", "__matmul__", "__pow__", "backward",
                                  "sum", "mean", "reshape", "relu", "tanh", "exp", "log",
                                  "softmax", "zero_grad", "item", "numpy", "detach", "shape"])
def test_the_common_tensor_methods_have_their_own_words(name):
    member = inspect.getattr_static(Tensor, name)
    assert (member.fget if isinstance(member, property) else member).__doc__, name
