"""Tool trust: untrusted unless declared trusted with a reason; the table of installed tools.

Run with ``-s`` to see the table (name, trust, whether it changes state, the reason). A tool
that relays third-party text must stay untrusted: the orchestrator hands its results to a
model only as quoted data, and after reading them refuses a funds-moving proposal and any
call to a tool that changes state.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from rexos.agents.tool import Tool, ToolParams, tool
from rexos.plugins import discover

TOOLS = sorted((t for p in discover().values() for t in p.tools), key=lambda t: t.name)

THIRD_PARTY_TEXT = {
    "bridge.compare": "route and bridge names from LI.FI, Across and Bungee",
    "perps.compare": "venue and market names from exchanges",
    "news.latest": "headlines and summaries from feeds",
    "search.web": "titles and snippets from web pages",
    "social.search": "posts, handles and display names from Bluesky",
    "explorer.transactions": "method names from an explorer",
    "explorer.token_transfers": "token names and symbols from an explorer",
    "explorer.balance": "an explorer API's answer",
    "prices.usd": "a price feed's answer and its errors",
}

CHANGES_STATE = {
    "bot.add": "schedules a strategy that trades (moves funds)",
    "bot.remove": "stops a strategy the user made",
    "market.buy": "opens a job that holds the user's market credit (moves funds)",
    "market.rate": "records the user's rating of a job on chain",
}
"""Every installed tool that alters something the user owns; all others only read (chart.make
brings the local index, a cache of the chain, up to date: nothing the user made changes)."""


def trust_table(tools: list[Tool[Any, Any]]) -> list[tuple[str, str, str, str]]:
    return [
        (t.name, "untrusted" if t.untrusted else "trusted",
         "changes state" if t.changes_state else "reads only", t.trusted or "")
        for t in tools
    ]  # fmt: skip


def test_every_installed_tool_has_a_trust_status_and_trusted_ones_a_reason() -> None:
    table = trust_table(TOOLS)
    width = max(len(name) for name, *_ in table)
    print("\n" + "\n".join(f"{n:<{width}}  {s:<9}  {c:<13}  {r}" for n, s, c, r in table))
    assert {name for name, *_ in table} >= set(THIRD_PARTY_TEXT)
    for name, status, _, reason in table:
        assert status == "untrusted" or len(reason.split()) >= 3, f"{name}: trusted, no reason"


def test_exactly_the_tools_that_alter_what_the_user_owns_declare_changes_state() -> None:
    assert {t.name for t in TOOLS if t.changes_state} == set(CHANGES_STATE)
    assert all(t.changes_state for t in TOOLS if t.moves_funds)


@pytest.mark.parametrize("name", sorted(THIRD_PARTY_TEXT))
def test_tools_carrying_third_party_text_are_untrusted(name: str) -> None:
    found = next(t for t in TOOLS if t.name == name)
    assert found.untrusted and found.trusted is None, THIRD_PARTY_TEXT[name]


@pytest.mark.parametrize("found", [t for t in TOOLS if not t.untrusted], ids=lambda t: t.name)
def test_a_trusted_tool_reaches_no_network(found: Tool[Any, Any]) -> None:
    assert "network" not in found.needs, f"{found.name} reads the internet yet is trusted"


class _P(ToolParams):
    pass


class _R(BaseModel):
    pass


def test_tools_are_untrusted_by_default_and_trust_needs_a_reason() -> None:
    def fn(ctx: Any, p: _P) -> _R:
        return _R()

    assert tool("x.plain", "Plain.", _P, _R)(fn).untrusted
    declared = tool("x.sure", "Sure.", _P, _R, trusted="pure maths on its arguments")(fn)
    assert not declared.untrusted and declared.trusted == "pure maths on its arguments"
    with pytest.raises(ValueError, match="trusted without a reason"):
        tool("x.blank", "Blank.", _P, _R, trusted="  ")(fn)


def test_tools_read_only_by_default_and_moving_funds_changes_state() -> None:
    def fn(ctx: Any, p: _P) -> _R:
        return _R()

    assert not tool("x.read", "Read.", _P, _R)(fn).changes_state
    assert tool("x.edit", "Edit.", _P, _R, changes_state=True)(fn).changes_state
    assert tool("x.pay", "Pay.", _P, _R, moves_funds=True)(fn).changes_state
