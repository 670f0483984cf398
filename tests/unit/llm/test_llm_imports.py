"""The LLM layer imports one way: the spec is a leaf, only the factory builds backends, and
no module needs a deferred import to break a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import rexos.llm

PACKAGE = Path(rexos.llm.__file__).resolve().parent
BACKENDS = {"gguf", "openai_http"}


def _imports(name: str) -> dict[str, bool]:
    """The ``rexos.llm`` modules ``name`` imports, each with whether the import is deferred
    (inside a function or class)."""
    tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found: dict[str, bool] = {}
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        for target in targets:
            if target.startswith("rexos.llm."):
                module = target.removeprefix("rexos.llm.").split(".")[0]
                if (PACKAGE / f"{module}.py").exists():
                    found[module] = found.get(module, False) or id(node) not in top
    return found


MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
GRAPH = {name: _imports(name) for name in MODULES}


def test_no_deferred_imports_inside_the_package() -> None:
    deferred = {(m, t) for m, targets in GRAPH.items() for t, late in targets.items() if late}
    assert deferred == set()


def _cycle(graph: dict[str, dict[str, bool]]) -> list[str] | None:
    """One import loop of ``graph`` (its modules in order), or ``None``."""
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> list[str] | None:
        if name in path:
            return [*path[path.index(name) :], name]
        if name in done:
            return None
        for target in graph.get(name, {}):
            if (loop := visit(target, [*path, name])) is not None:
                return loop
        done.add(name)
        return None

    return next((loop for name in graph if (loop := visit(name, [])) is not None), None)


def test_no_import_cycle() -> None:
    assert _cycle(GRAPH) is None


def test_the_cycle_check_sees_a_loop() -> None:
    loop = {"tools": {"factory": False}, "factory": {"openai_http": False}}
    loop["openai_http"] = {"tools": False}
    assert _cycle(loop) == ["tools", "factory", "openai_http", "tools"]
    assert _cycle({"a": {"b": False}, "b": {}}) is None


def test_the_spec_is_a_leaf_and_only_the_factory_imports_backends() -> None:
    assert GRAPH["spec"] == {}
    assert {m for m, targets in GRAPH.items() if BACKENDS & targets.keys()} == {"factory"}
