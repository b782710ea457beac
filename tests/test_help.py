"""help(Value) and help() of the scalar ops read well: the constructor's arguments are
documented, every public method has its own words, and no code comment stands in for a
method's documentation (pydoc shows the comment above an undocumented def)."""
import inspect
import pydoc

import pytest

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
