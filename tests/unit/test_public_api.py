"""Each package's public surface is its explicit ``__all__``: complete, existing and sorted.

Every package under ``src/rexos`` is found with :mod:`pkgutil`, so a new one is covered
without being listed here. For each, the names its ``__init__`` binds are read with ``ast``:
every public one (no leading ``_``, not a submodule, not a ``from __future__`` import) must be
in ``__all__``, every name in ``__all__`` must exist, and ``__all__`` is sorted the way ruff
sorts it (constants, then classes, then the rest) with no duplicates. ``rexos.errors``,
``rexos.layers`` and ``rexos.types`` are checked the same way (their own definitions).
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import pytest

import rexos

MODULES = ["rexos.errors", "rexos.layers", "rexos.types"]
"""Modules (not packages) whose export list is checked the same way."""


def _packages() -> list[str]:
    found = ["rexos"]
    for info in pkgutil.walk_packages(rexos.__path__, "rexos."):
        if info.ispkg:
            found.append(info.name)
    return sorted(found)


def _bound_names(module: ModuleType) -> set[str]:
    """Names the module's own source binds at its top level; a package's imports count (they
    are its re-exports), a plain module's do not (they are its own tools)."""
    assert module.__file__ is not None
    is_package = Path(module.__file__).name == "__init__.py"
    tree = ast.parse(Path(module.__file__).read_text())
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        if isinstance(node, ast.Import | ast.ImportFrom) and not is_package:
            continue
        if isinstance(node, ast.ImportFrom) and node.names[0].name == "*":
            origin = importlib.import_module(
                "." * node.level + (node.module or ""), module.__name__
            )
            names |= set(origin.__all__)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


def _ruff_order(name: str) -> tuple[int, list[str | int]]:
    """ruff's isort-style order: SCREAMING_CASE, then CamelCase, then anything else; digits
    compared as numbers."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def _is_submodule(module: ModuleType, name: str) -> bool:
    value = getattr(module, name, None)
    return isinstance(value, ModuleType) and value.__name__ == f"{module.__name__}.{name}"


@pytest.mark.parametrize("name", _packages() + MODULES)
def test_all_is_the_public_surface(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert isinstance(exported, list), f"{name} has no __all__ list"
    assert len(exported) == len(set(exported)), f"{name}.__all__ has duplicates"
    assert exported == sorted(exported, key=_ruff_order), f"{name}.__all__ is not sorted"
    missing = [s for s in exported if not hasattr(module, s)]
    assert missing == [], f"{name}.__all__ names what it does not define"
    public = {
        n
        for n in _bound_names(module)
        if not n.startswith("_") and n != "annotations" and not _is_submodule(module, n)
    }
    assert sorted(public - set(exported)) == [], f"public in {name} but not in its __all__"


def test_packages_are_discovered() -> None:
    found = _packages()
    assert {"rexos", "rexos.agents.wallet", "rexos.dex.v3", "rexos.plugins.builtin"} <= set(found)
    assert len(found) > 20


def test_every_error_derives_from_rexos_error() -> None:
    errors = importlib.import_module("rexos.errors")
    for symbol in errors.__all__:
        assert issubclass(getattr(errors, symbol), errors.RexosError)
