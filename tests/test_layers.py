"""The package's layers: no two modules import each other, counting the imports inside
functions too (an import hidden in a function is still a cycle), and at most three
loose modules at the package root. Imports are read with ``ast``, not by importing."""
import ast
import pathlib

import tinygrad_edu

PACKAGE = pathlib.Path(tinygrad_edu.__file__).parent
LOOSE = {"__init__", "__main__", "optim", "checkpoint", "gradcheck"}


def _module_name(path: pathlib.Path) -> str:
    parts = ["tinygrad_edu", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _package_of(name: str) -> str:
    return name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]


def imported_modules(name: str) -> set:
    """The package's modules ``name`` imports anywhere in its file (``from .x import y``
    counts ``x.y`` when y is a module, else ``x``)."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package_of(name)
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


# Known and owned elsewhere: the stepper's driver and page (tinygrad_edu/stepper/*).
KNOWN_PAIRS = {frozenset({"tinygrad_edu.stepper.driver", "tinygrad_edu.stepper.page"})}


def test_the_import_reader_sees_imports_inside_functions():
    assert "tinygrad_edu.core.backward" in imported_modules("tinygrad_edu.tensor.tensor")
    assert "tinygrad_edu.interop.safetensors_file" in imported_modules("tinygrad_edu.checkpoint")


def test_no_two_modules_import_each_other():
    graph = {name: imported_modules(name) for name in MODULES}
    pairs = {frozenset({a, b}) for a, targets in graph.items() for b in targets
             if a in graph.get(b, ())}
    assert pairs - KNOWN_PAIRS == set(), sorted(sorted(p) for p in pairs - KNOWN_PAIRS)


def test_at_most_three_loose_modules_at_the_package_root():
    loose = {p.stem for p in PACKAGE.glob("*.py")}
    assert loose <= LOOSE, sorted(loose - LOOSE)
