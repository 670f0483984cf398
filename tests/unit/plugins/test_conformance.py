"""Every installed plug-in passes the same checks, offline: names, schemas, examples, calls."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel

from rexos.agents.tool import Tool, ToolInputError
from rexos.chain.client import ChainClient
from rexos.chain.manifest import Manifest
from rexos.config import Settings
from rexos.plugins import Plugin, discover

PLUGINS = discover()
TOOLS = [(p, t) for p in PLUGINS.values() for t in p.tools]


class OfflineContext:
    """A tool context with no chain: an offline tool that reaches for one fails the test."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    @property
    def settings(self) -> Settings:
        return self._settings

    def chain(self) -> ChainClient:
        raise AssertionError("an offline tool asked for the chain")

    def manifest(self) -> Manifest:
        raise AssertionError("an offline tool asked for a deployment")


def test_the_builtin_plugins_are_registered_through_entry_points() -> None:
    assert {"chain", "dex"} <= set(PLUGINS)


@pytest.mark.parametrize("plugin", PLUGINS.values(), ids=list(PLUGINS))
def test_plugin_metadata(plugin: Plugin) -> None:
    assert plugin.version and plugin.description.strip()
    assert plugin.tools, f"{plugin.name} declares no tools"
    assert plugin.as_agent().name == plugin.name


@pytest.mark.parametrize(("plugin", "tool"), TOOLS, ids=[t.name for _, t in TOOLS])
def test_tool_schemas_and_examples(plugin: Plugin, tool: Tool[Any, Any]) -> None:
    schema = tool.input_schema()
    assert schema["type"] == "object"
    json.dumps(schema)
    json.dumps(tool.output_schema())
    assert tool.examples, f"{tool.name} has no example"
    for example in tool.examples:
        parsed = tool.parse(example)
        assert isinstance(parsed, BaseModel)
    with pytest.raises(ToolInputError, match=tool.name):
        tool.parse({"__not_a_field__": object(), **dict.fromkeys(schema.get("required", []))})


@pytest.mark.parametrize(
    ("plugin", "tool"),
    [(p, t) for p, t in TOOLS if t.offline],
    ids=[t.name for _, t in TOOLS if t.offline],
)
def test_offline_tools_run_on_their_examples(
    plugin: Plugin, tool: Tool[Any, Any], tmp_path: Any
) -> None:
    context = OfflineContext(Settings(home=tmp_path))
    for example in tool.examples:
        result = tool.call_json(context, example)
        assert tool.result.model_validate(result)  # the JSON form round-trips
        json.dumps(result)


def test_dex_route_tool_agrees_with_the_router() -> None:
    from rexos.dex import find_route
    from rexos.dex.pools_file import parse_pools

    route = PLUGINS["dex"].as_agent().tool("dex.route")
    example = route.examples[0]
    got = route.call_json(OfflineContext(Settings()), example)
    want = find_route(parse_pools({"pools": example["pools"]}), "WETH", "USDC", 10**19)
    assert got["amount_out"] == str(want.amount_out)
    assert len(got["fills"]) == 2  # two parallel pools share the trade
    assert int(got["upper_bound_out"]) >= int(got["amount_out"])


def test_bad_arguments_name_the_field() -> None:
    route = PLUGINS["dex"].as_agent().tool("dex.route")
    with pytest.raises(ToolInputError, match="amount_in"):
        route.parse({"pools": [], "sell": "A", "buy": "B", "amount_in": "-5"})


def test_perps_tool_ranks_the_recorded_venues(monkeypatch: pytest.MonkeyPatch) -> None:
    import rexos.plugins.builtin.perps as perps_plugin
    from tests.unit.perps._support import recorded_sources

    monkeypatch.setattr(perps_plugin, "live_sources", recorded_sources)
    compare = PLUGINS["perps"].as_agent().tool("perps.compare")
    assert compare.needs == {"network"}
    got = compare.call_json(OfflineContext(Settings()), {"market": "BTC-PERP", "size": "2"})
    ranked = got["comparison"]["ranked"]
    assert ranked[0]["venue"] == got["comparison"]["recommendation"]
    totals = [Decimal(r["total_usd"]) for r in ranked]
    assert totals == sorted(totals)
