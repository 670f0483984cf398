"""`rexos --help` starts at once (issue 12): importing the CLI's entry module, and asking
``rexos`` or any of its commands for help, loads none of the heavy SDKs. Each check runs in
a fresh interpreter, so what this test process has imported does not count."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import pytest
import typer
from typer.core import TyperGroup

from rexos.cli import main

HEAVY = (
    "web3", "eth_account", "eth_abi", "py_ecc", "duckdb", "matplotlib", "vl_convert", "ccxt",
    "llama_cpp", "fastapi", "uvicorn", "httpx", "sqlglot", "feedparser", "pandas", "numpy",
)  # fmt: skip

_PROBE = """
import json, sys
from rexos.cli import main
for args in json.loads(sys.argv[1]):
    try:
        main.run([*args, "--help"])
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
print("LOADED " + json.dumps([m for m in json.loads(sys.argv[2]) if m in sys.modules]))
"""

BLOCKED = {
    "sql": "rexos.agents.database.DEFAULT_MAX_ROWS (sqlglot, duckdb, web3)",
    "index": "rexos.agents.database.DEFAULT_MAX_ROWS (sqlglot, duckdb, web3)",
    "chart": "rexos.agents.chart.MAX_DAYS (vl_convert, duckdb, web3)",
    "history": "rexos.explorer.MAX_HISTORY (httpx, duckdb, web3)",
    "news": "rexos.search.MAX_QUERY_CHARS, imported by the module (httpx, feedparser)",
    "search": "rexos.search.MAX_QUERY_CHARS (httpx, feedparser)",
    "perps": "rexos.perps.VENUES (httpx)",
}
"""Lazy commands whose own ``--help`` still loads a heavy SDK: their option declarations name
a constant of a package that imports one. Strict: a fix makes the test fail until the entry
goes (and the command can be registered eagerly again)."""


def _loaded(*commands: tuple[str, ...]) -> list[str]:
    """The heavy modules loaded by a fresh interpreter that imports ``rexos.cli.main`` and
    runs ``rexos <command> --help`` for each of ``commands``."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(commands), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    last = done.stdout.splitlines()[-1]
    assert last.startswith("LOADED "), done.stdout
    loaded: list[str] = json.loads(last.removeprefix("LOADED "))
    return loaded


def _commands(group: TyperGroup, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in group.commands.items():
        yield (*path, name)
        if isinstance(command, main.LazyCommand):
            command = command.resolve()
        if isinstance(command, TyperGroup):
            yield from _commands(command, (*path, name))


ROOT = typer.main.get_group(main.app)
EVERY = list(_commands(ROOT))
LAZY = [name for name, c in ROOT.commands.items() if isinstance(c, main.LazyCommand)]


def test_importing_the_cli_loads_no_heavy_sdk() -> None:
    assert _loaded() == []


def test_help_of_rexos_and_of_every_eager_command_loads_no_heavy_sdk() -> None:
    eager = [path for path in EVERY if path[0] not in LAZY]
    assert len(eager) > 40  # the walk found the commands, groups and subcommands
    assert _loaded((), *eager) == []


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(path, marks=pytest.mark.xfail(reason=BLOCKED[path[0]], strict=True))
        if path[0] in BLOCKED
        else path
        for path in EVERY
        if path[0] in LAZY
    ],
    ids=" ".join,
)
def test_help_of_a_lazy_command_loads_no_heavy_sdk(path: tuple[str, ...]) -> None:
    assert _loaded(path) == []


def test_a_lazy_command_is_listed_with_its_own_summary() -> None:
    assert set(LAZY) == set(BLOCKED)
    for name in LAZY:
        command = ROOT.commands[name]
        assert isinstance(command, main.LazyCommand)
        real = command.resolve()
        assert real.name == name
        first = " ".join((real.help or "").split("\n\n")[0].split())
        assert command.help == first, name
