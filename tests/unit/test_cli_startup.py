"""`rexos --help` starts at once (issue 12): importing the CLI's entry module, and asking
``rexos`` or any of its commands for help, loads none of the heavy SDKs. Each check runs in
a fresh interpreter, so what this test process has imported does not count."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import typer
from typer.core import TyperGroup

from rexos.cli import main
from rexos.cli.group import Group

HEAVY = (
    "web3", "eth_account", "eth_abi", "py_ecc", "duckdb", "matplotlib", "vl_convert", "ccxt",
    "llama_cpp", "fastapi", "uvicorn", "httpx", "sqlglot", "feedparser", "pandas", "numpy",
    "pydantic",
)  # fmt: skip

_PROBE = """
import json, sys
from rexos.cli import main
from rexos.cli.group import Group
for args in json.loads(sys.argv[1]):
    try:
        main.run([*args, "--help"])
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
print("LOADED " + json.dumps([m for m in json.loads(sys.argv[2]) if m in sys.modules]))
"""


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
        if isinstance(command, TyperGroup):
            yield from _commands(command, (*path, name))


ROOT = typer.main.get_group(main.app)
EVERY = list(_commands(ROOT))


def test_importing_the_cli_loads_no_heavy_sdk() -> None:
    assert _loaded() == []


def test_help_of_rexos_and_of_every_command_loads_no_heavy_sdk() -> None:
    assert len(EVERY) > 50  # the walk found the commands, groups and subcommands
    assert {"sql", "index", "chart", "history", "news", "search", "perps"} <= {p[0] for p in EVERY}
    assert _loaded((), *EVERY) == []


def test_the_listing_shows_each_summary_on_one_line() -> None:
    for name, command in ROOT.commands.items():
        assert command.short_help, name
        assert "\n" not in command.short_help, name


def test_every_group_coerces_its_own_options_without_pydantic() -> None:
    """A group made with typer's own class would import pydantic for every ``--help``
    below it (see :mod:`rexos.cli.group`)."""
    groups = [ROOT, *(_group(path) for path in EVERY if isinstance(_group(path), TyperGroup))]
    assert len(groups) > 10
    assert all(isinstance(g, Group) for g in groups), [g.name for g in groups]


def _group(path: tuple[str, ...]) -> object:
    command: object = ROOT
    for name in path:
        assert isinstance(command, TyperGroup)
        command = command.commands[name]
    return command


def test_talking_to_an_rpc_node_loads_no_in_process_evm() -> None:
    """Commands that read a chain over JSON-RPC import ``rexos.chain``; py-evm and
    eth-tester (a quarter of a second) load only where an in-process chain is made."""
    probe = (
        "import sys; import rexos.chain, rexos.chain.backends, rexos.deployment, rexos.market; "
        "print([m for m in ('eth', 'eth_tester') if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
