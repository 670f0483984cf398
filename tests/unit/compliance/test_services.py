"""The one table of services: every CLI command, plug-in tool and wallet action is in it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args

import pytest
import typer
from typer.core import TyperGroup

from rexos.agents.wallet.classify import ACTION_KINDS
from rexos.cli import main
from rexos.cli.compliance import command_path
from rexos.compliance import ENTRIES, SERVICES, Service, route_of, service_of
from rexos.plugins import discover

ROOT = typer.main.get_group(main.app)


def _commands(group: TyperGroup, path: tuple[str, ...] = ()) -> Iterator[str]:
    for name, command in group.commands.items():
        if isinstance(command, TyperGroup):
            yield from _commands(command, (*path, name))
        else:
            yield " ".join((*path, name))


def _classified(kind: str, name: str, separator: str) -> bool:
    words = name.split(separator)
    return any(f"{kind}:{separator.join(words[:n])}" in ENTRIES for n in range(len(words), 0, -1))


def test_the_services_are_the_literal_and_the_table_names_only_them() -> None:
    assert set(SERVICES) == set(get_args(Service))
    assert {s for s in ENTRIES.values() if s is not None} <= set(SERVICES)
    assert all(
        key.split(":", 1)[0] in ("cli", "api", "tool", "action", "intent") for key in ENTRIES
    )


def test_every_chat_intent_is_classified() -> None:
    from rexos.orchestrator.intent.result import INTENT_NAMES

    missing = [i for i in INTENT_NAMES if f"intent:{i}" not in ENTRIES]
    assert missing == [], f"add these to rexos.compliance.services.ENTRIES: {missing}"
    assert service_of("intent", "swap") == "exchange"
    assert service_of("intent", "portfolio") == "portfolio"


def test_every_cli_command_is_classified() -> None:
    commands = list(_commands(ROOT))
    assert len(commands) > 60 and "market buy" in commands and "compliance check" in commands
    missing = [c for c in commands if not _classified("cli", c, " ")]
    assert missing == [], f"add these to rexos.compliance.services.ENTRIES: {missing}"


def test_every_plugin_tool_is_classified() -> None:
    tools = [t.name for p in discover().values() for t in p.tools]
    assert "dex.quote" in tools
    missing = [t for t in tools if not _classified("tool", t, ".")]
    assert missing == [], f"add these to rexos.compliance.services.ENTRIES: {missing}"


def test_every_wallet_action_kind_is_classified() -> None:
    missing = [k for k in ACTION_KINDS if f"action:{k}" not in ENTRIES]
    assert missing == [], f"add these to rexos.compliance.services.ENTRIES: {missing}"


@pytest.mark.parametrize(
    ("kind", "name", "service"),
    [
        ("cli", "swap", "exchange"),
        ("cli", "quote", "trading-info"),
        ("cli", "perps compare", "trading-info"),
        ("cli", "bot add dca", "exchange"),
        ("cli", "bot list", "portfolio"),
        ("cli", "market buy", "agent-market"),
        ("cli", "studio validate", None),
        ("cli", "compliance declare", None),
        ("cli", "someday new", "other"),
        ("tool", "dex.route", "trading-info"),
        ("tool", "lense.ask", "ai-answers"),
        ("tool", "thirdparty.thing", "other"),
        ("action", "swap", "exchange"),
        ("action", "transfer", "transfer"),
        ("api", "/v1/chat", "ai-answers"),
        ("api", "/market/7", "agent-market"),
        ("api", "/v1/health", None),
        ("api", "/", None),
        ("api", "/marketplace", "other"),
    ],
)
def test_entries_resolve_to_their_service(kind: Any, name: str, service: str | None) -> None:
    assert service_of(kind, name) == service


def test_a_route_is_logged_by_its_entry_never_its_path() -> None:
    assert route_of("/v1/lense/0x" + "ab" * 20 + "/ask") == ("api:/v1/lense", "portfolio")


@pytest.mark.parametrize(
    ("args", "path"),
    [
        (["swap", "WETH", "USDC", "1"], "swap"),
        (["--home", "/tmp/x", "--rpc", "http://n", "market", "buy", "3"], "market buy"),
        (["--home=/tmp/swap", "bot", "add", "dca", "--every", "1d"], "bot add dca"),
        (["--home", "quote", "news"], "news"),  # an option's value is not the command
        (["compliance", "check", "0x" + "11" * 20], "compliance check"),
        (["wallet", "--", "balance"], "wallet"),
    ],
)
def test_the_command_path_is_read_from_the_whole_command_line(args: list[str], path: str) -> None:
    assert command_path(ROOT, args, args[-1]) == path


def test_without_the_command_line_the_invoked_command_is_named() -> None:
    assert command_path(ROOT, None, "market") == "market"
