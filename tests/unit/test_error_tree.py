"""The exception tree drawn in ``rexos.errors``' docstring is the tree the code has.

Every module of ``rexos`` is imported, every public subclass of ``RexosError`` found, and the
drawing read: each class must be drawn under its real parent, with its module in parentheses
when it is declared outside ``rexos.errors``; a drawn class that does not exist fails too.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import rexos
import rexos.errors
from rexos.errors import RexosError

_LINE = re.compile(
    r"^    (?P<tree>(?:│   |    )*)(?:[├└]── )?(?P<name>\w+)(?: \((?P<module>[\w.]+)\))?"
)


def _drawn() -> dict[str, tuple[str | None, str]]:
    """``{class: (parent, module)}`` as the docstring draws them."""
    doc = rexos.errors.__doc__ or ""
    lines = doc.split("::\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    drawn: dict[str, tuple[str | None, str]] = {}
    stack: list[str] = []
    for line in lines:
        match = _LINE.match(line)
        if match is None or ("──" not in line and line.strip() != "RexosError"):
            continue  # a description's second line
        depth = len(match["tree"]) // 4 + (1 if "──" in line else 0)
        name = match["name"]
        assert name not in drawn, f"{name} is drawn twice"
        del stack[depth:]
        drawn[name] = (stack[-1] if stack else None, f"rexos.{match['module'] or 'errors'}")
        stack.append(name)
    return drawn


def _real() -> dict[str, tuple[str | None, str]]:
    """``{class: (parent, module)}`` of every public RexosError subclass in the code."""
    for info in pkgutil.walk_packages(rexos.__path__, "rexos."):
        importlib.import_module(info.name)
    found: dict[str, tuple[str | None, str]] = {"RexosError": (None, "rexos.errors")}
    todo = [RexosError]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if not sub.__module__.startswith("rexos."):
                continue  # a test's own fake error (tests define some), not part of RexOS
            if sub.__name__.startswith("_"):
                continue
            assert sub.__name__ not in found, f"two error classes named {sub.__name__}"
            found[sub.__name__] = (cls.__name__, sub.__module__)
            todo.append(sub)
    return found


def test_every_error_class_is_drawn_under_its_parent() -> None:
    drawn, real = _drawn(), _real()
    assert sorted(real.keys() - drawn.keys()) == [], "draw these in rexos.errors' docstring"
    assert sorted(drawn.keys() - real.keys()) == [], "the drawing names classes that do not exist"
    wrong = {n: (drawn[n], real[n]) for n in real if drawn[n] != real[n]}
    assert wrong == {}, "(drawn parent, module) vs the code's"


def test_the_drawing_is_read() -> None:
    drawn = _drawn()
    assert drawn["RexosError"] == (None, "rexos.errors")
    assert drawn["UnsafeQuery"] == ("UsageError", "rexos.errors")
    assert drawn["PluginLoadError"] == ("ConfigError", "rexos.plugins.registry")
    assert drawn["ExplorerRateLimited"] == ("ExplorerError", "rexos.explorer.errors")
    assert "Locked" in drawn and "wallet" not in drawn


@pytest.mark.parametrize("name", sorted(rexos.errors.__all__))
def test_errors_module_exports_its_classes(name: str) -> None:
    assert issubclass(getattr(rexos.errors, name), RexosError)
