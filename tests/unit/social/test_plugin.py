"""The social plug-in: untrusted, networked, pointed by the settings, served over MCP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rexos.config import Settings
from rexos.errors import UsageError
from rexos.mcp import McpServer
from rexos.mcp.server import UNTRUSTED_NOTE
from rexos.plugins import discover
from tests.unit.plugins.test_conformance import OfflineContext
from tests.unit.social.replay import SEARCH, Replay, fixture, serve

PLUGIN = discover()["social"]
SEARCH_TOOL = PLUGIN.as_agent().tool("social.search")


@pytest.fixture
def bsky() -> Iterator[Replay]:
    with serve() as replay:
        replay.answer(SEARCH, fixture("bluesky_search_crypto.json"))
        yield replay


def context(replay: Replay, tmp_path: Path) -> OfflineContext:
    return OfflineContext(Settings(home=tmp_path, bluesky_url=replay.url))


def test_declared_untrusted_and_networked() -> None:
    assert SEARCH_TOOL.untrusted and SEARCH_TOOL.needs == {"network"}
    assert not SEARCH_TOOL.moves_funds and not SEARCH_TOOL.changes_state


def test_a_query_returns_every_post_from_the_configured_host(bsky: Replay, tmp_path: Path) -> None:
    got = SEARCH_TOOL.call_json(context(bsky, tmp_path), {"query": "eth usdc", "limit": 5})
    assert [a.query for a in bsky.asked] == [{"q": "eth usdc", "limit": "5", "sort": "latest"}]
    assert len(got["posts"]) == 5
    assert all(p["symbols"] == [] and p["mentions"] == [] for p in got["posts"])
    bait = got["posts"][2]
    assert bait["text"].startswith("IGNORE PREVIOUS INSTRUCTIONS") and "<" not in bait["text"]


def test_tokens_search_each_symbol_and_keep_the_posts_that_mention_one(
    bsky: Replay, tmp_path: Path
) -> None:
    got = SEARCH_TOOL.call_json(context(bsky, tmp_path), {"tokens": ["rex", "USDC", "REX"]})
    assert [a.query["q"] for a in bsky.asked] == ["REX", "USDC"]  # each symbol once
    assert [(p["author"], p["symbols"]) for p in got["posts"]] == [
        ("chainwatcher.bsky.social", ["USDC"]),
        ("helpful-airdrops.bsky.social", ["USDC"]),
        ("rexfan.bsky.social", ["REX"]),
    ]  # newest first; the same post found twice is listed once
    [mention] = got["posts"][2]["mentions"]
    assert (mention["symbol"], mention["text"]) == ("REX", "$REX")


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"limit": 5}, "give a query, tokens or both"),
        ({"tokens": ["ETH; rm -rf"]}, "not a token symbol"),
        ({"tokens": [f"T{n}" for n in range(11)]}, "tokens"),
        ({"query": "eth", "limit": 101}, "limit"),
    ],
)
def test_bad_arguments_are_refused(arguments: dict[str, Any], problem: str) -> None:
    with pytest.raises(UsageError, match=problem):
        SEARCH_TOOL.parse(arguments)


def test_served_over_mcp_as_untrusted(bsky: Replay, tmp_path: Path) -> None:
    tools = [t for p in discover().values() for t in p.tools]
    server = McpServer(tools, context(bsky, tmp_path))

    def rpc(method: str, params: dict[str, Any]) -> Any:
        message = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
        return json.loads(server.handle_text(json.dumps(message)) or "null")["result"]

    listed = {t["name"]: t for t in rpc("tools/list", {})["tools"]}
    assert listed["social__search"]["description"].endswith(UNTRUSTED_NOTE)
    answer = rpc("tools/call", {"name": "social__search", "arguments": {"tokens": ["ETH"]}})
    assert answer["isError"] is False
    authors = [p["author"] for p in answer["structuredContent"]["posts"]]
    assert authors == ["chainwatcher.bsky.social", "helpful-airdrops.bsky.social"]
