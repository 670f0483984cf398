"""MCP tool calls pass the compliance gate: a tool whose service the user's jurisdiction
bars is an error result naming the rule, and the tool does not run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rexos.agents.tool import ToolParams, tool
from rexos.compliance import declare, load_policy
from rexos.config import Settings
from rexos.mcp import McpServer
from rexos.plugins import discover
from tests.unit.plugins.test_conformance import OfflineContext

TOOLS = [t for p in discover().values() for t in p.tools]
RAN: list[str] = []


class NoParams(ToolParams):
    pass


@tool("dex.spy", "A dex tool that records that it ran.", NoParams, NoParams)
def _spy(ctx: Any, p: NoParams) -> NoParams:
    RAN.append("dex.spy")
    return p


def call(home: Path, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    server = McpServer([*TOOLS, _spy], OfflineContext(Settings(home=home)))
    message = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
               "params": {"name": name, "arguments": arguments}}  # fmt: skip
    answer: dict[str, Any] = json.loads(server.handle_text(json.dumps(message)) or "null")
    return answer["result"]


def test_a_barred_tool_is_an_error_result_and_does_not_run(tmp_path: Path) -> None:
    declare(load_policy(tmp_path), tmp_path, "CN")
    RAN.clear()
    result = call(tmp_path, "dex__spy", {})
    assert result["isError"] is True and RAN == []
    assert result["content"][0]["text"] == (
        "refused by compliance rule jurisdiction.CN: the trading-info service is barred for "
        "users in CN (mainland China) under PBoC notice Yinfa [2026] No. 42"
    )
    example = dict(next(t for t in TOOLS if t.name == "dex.route").examples[0])
    assert call(tmp_path, "dex__route", example)["isError"] is True
    # a tool of a service not barred there still runs
    listed = call(tmp_path, "bot__list", {})
    assert listed["isError"] is False, listed


def test_elsewhere_the_tool_runs(tmp_path: Path) -> None:
    declare(load_policy(tmp_path), tmp_path, "DE")
    RAN.clear()
    assert call(tmp_path, "dex__spy", {})["isError"] is False and RAN == ["dex.spy"]
    logged = (tmp_path / "compliance" / "decisions.jsonl").read_text()
    assert '"entry": "tool:dex.spy"' in logged and '"verdict": "allow"' in logged
