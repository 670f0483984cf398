"""Lower layers never import higher ones, and no two packages import each other.

The import graph is read from the source of ``src/rexos`` with ``ast``: every ``import`` and
``from ... import`` anywhere in a module (deferred ones inside functions and
``TYPE_CHECKING`` blocks included), relative ones resolved. The layers are written once, in
:mod:`rexos.layers`.
"""

from __future__ import annotations

import ast
import functools
import graphlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import rexos
from rexos.layers import LAYERS, layer_of

SRC = Path(rexos.__file__).parent
ROOT = "rexos"


@dataclass(frozen=True)
class Import:
    """Module ``source`` imports module (or package) ``target`` at ``where``."""

    source: str
    target: str
    where: str


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _imports_of(module: str, is_package: bool, source: str, where: str) -> Iterator[Import]:
    """Every import of ``rexos`` modules in ``source`` (the text of ``module``)."""
    known = _modules()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            submodules = [f"{origin}.{a.name}" for a in node.names if f"{origin}.{a.name}" in known]
            names = [origin] if len(submodules) < len(node.names) else []
            targets = submodules + names
        else:
            continue
        for target in targets:
            if target == ROOT or target.startswith(ROOT + "."):
                yield Import(module, target, f"{where}:{node.lineno}")


def _graph() -> list[Import]:
    found: list[Import] = []
    for module, path in _modules().items():
        where = str(path.relative_to(SRC.parent.parent))
        found += _imports_of(module, path.name == "__init__.py", path.read_text(), where)
    return found


def _unit(module: str) -> str:
    """``rexos.dex.v3.pool`` → ``dex``; ``rexos`` → ``rexos``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ROOT


def _package(module: str, packages: set[str]) -> str:
    """The package a module belongs to; a top-level module counts as its own package."""
    parts = module.split(".")
    if len(parts) == 2 and module not in packages:
        return module
    while ".".join(parts) not in packages:
        parts.pop()
    return ".".join(parts)


def test_every_unit_has_exactly_one_layer() -> None:
    units = {_unit(m) for m in _modules()}
    placed = [u for _, layer in LAYERS for u in layer]
    assert len(placed) == len(set(placed)), "a unit is in two layers"
    assert sorted(units - set(placed)) == [], "place these in rexos.layers.LAYERS"
    assert sorted(set(placed) - units) == [], "rexos.layers names units that do not exist"


def test_no_import_reaches_a_higher_layer() -> None:
    upward = [
        f"{i.where}: {i.source} ({LAYERS[layer_of(_unit(i.source))][0]}) imports "
        f"{i.target} ({LAYERS[layer_of(_unit(i.target))][0]})"
        for i in _graph()
        if layer_of(_unit(i.target)) > layer_of(_unit(i.source))
    ]
    assert upward == []


def _cycle(imports: list[Import], packages: set[str]) -> tuple[str, ...] | None:
    """One loop of package imports, or ``None``. A package and its own subpackages are one
    thing (``dex`` re-exports ``dex.v3``, whose modules use ``dex``'s); ``rexos`` itself is
    not the parent of everything here but the package's ``__init__``."""
    edges: dict[str, set[str]] = {}
    for i in imports:
        a, b = _package(i.source, packages), _package(i.target, packages)
        nested = a.startswith(b + ".") or b.startswith(a + ".")
        if a != b and not (nested and ROOT not in (a, b)):
            edges.setdefault(a, set()).add(b)
    try:
        graphlib.TopologicalSorter(edges).prepare()
    except graphlib.CycleError as exc:
        return tuple(exc.args[1])
    return None


def test_no_cycle_between_packages() -> None:
    packages = {_module_name(p) for p in SRC.rglob("__init__.py")}
    assert _cycle(_graph(), packages) is None, "packages import each other"


def test_a_cycle_would_be_caught() -> None:
    packages = {"rexos", "rexos.dex", "rexos.dex.v3", "rexos.agents", "rexos.agents.chart"}
    nested = [
        Import("rexos.dex.v3.pool", "rexos.dex.curves", ""),
        Import("rexos.dex", "rexos.dex.v3", ""),
    ]
    assert _cycle(nested, packages) is None
    loop = [
        Import("rexos.agents.chart.spec", "rexos.dex.v3.pool", ""),
        Import("rexos.dex.v3.pool", "rexos.errors", ""),
        Import("rexos.errors", "rexos.agents.chart", ""),
    ]
    found = _cycle(loop, packages)
    assert found is not None and {"rexos.agents.chart", "rexos.dex.v3", "rexos.errors"} <= set(
        found
    )


def test_deferred_and_relative_imports_are_read() -> None:
    source = (
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from rexos.chain import ChainClient\n"
        "def f() -> None:\n"
        "    import rexos.cli.main\n"
        "    from ..dex import pool\n"
        "    from . import scheduler\n"
    )
    source += "from rexos import errors, __version__\n"
    found = {i.target for i in _imports_of("rexos.bot.venue", False, source, "x.py")}
    assert found == {
        "rexos",
        "rexos.errors",
        "rexos.chain",
        "rexos.cli.main",
        "rexos.dex.pool",
        "rexos.bot.scheduler",
    }


def test_an_upward_import_would_be_caught() -> None:
    [found] = _imports_of("rexos.errors", False, "def f():\n    import rexos.cli\n", "e.py")
    assert layer_of(_unit(found.target)) > layer_of(_unit(found.source))


def test_the_architecture_page_draws_the_same_layers() -> None:
    page = SRC.parents[1] / "docs" / "explanation" / "architecture.md"
    drawn: dict[str, set[str]] = {}
    for line in page.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] in {name for name, _ in LAYERS}:
            drawn[cells[0]] = {u.strip().strip("`") for u in cells[1].split(",")}
    assert drawn == {name: set(units) - {ROOT, "layers"} for name, units in LAYERS}
