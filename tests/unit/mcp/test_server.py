"""The MCP server: protocol handling over the real plug-in tools, and the HTTP transport."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
import pytest

from rexos.agents.tool import ToolParams, tool
from rexos.config import Settings
from rexos.mcp import PROTOCOL_VERSION, McpServer
from rexos.mcp.server import UNTRUSTED_NOTE, mcp_name
from rexos.mcp.transports import make_http_server, serve_stdio
from rexos.plugins import discover
from tests.unit.plugins.test_conformance import OfflineContext

TOOLS = [t for p in discover().values() for t in p.tools]


class NoParams(ToolParams):
    pass


@tool("wallet.pay", "Pays someone (moves funds).", NoParams, NoParams, moves_funds=True)
def _pay(ctx: Any, p: NoParams) -> NoParams:
    raise AssertionError("must never run over MCP")


@pytest.fixture
def server(tmp_path: Any) -> McpServer:
    return McpServer([*TOOLS, _pay], OfflineContext(Settings(home=tmp_path)))


def rpc(server: McpServer, method: str, params: dict[str, Any] | None = None, ident: int = 1):  # type: ignore[no-untyped-def]
    message = {"jsonrpc": "2.0", "id": ident, "method": method, "params": params or {}}
    return json.loads(server.handle_text(json.dumps(message)) or "null")


def test_initialize_and_list(server: McpServer) -> None:
    init = rpc(server, "initialize", {"protocolVersion": PROTOCOL_VERSION, "capabilities": {}})
    assert init["result"]["protocolVersion"] == PROTOCOL_VERSION
    assert "tools" in init["result"]["capabilities"]
    names = {t["name"] for t in rpc(server, "tools/list")["result"]["tools"]}
    assert {"dex__route", "dex__quote", "chain__balance"} <= names
    assert "wallet__pay" not in names  # funds-moving tools are not served


def test_call_returns_structured_content(server: McpServer) -> None:
    example = dict(next(t for t in TOOLS if t.name == "dex.route").examples[0])
    answer = rpc(server, "tools/call", {"name": "dex__route", "arguments": example})["result"]
    assert answer["isError"] is False
    assert json.loads(answer["content"][0]["text"]) == answer["structuredContent"]
    assert int(answer["structuredContent"]["amount_out"]) > 0


def test_errors_are_results_or_json_rpc_errors(server: McpServer) -> None:
    bad = rpc(server, "tools/call", {"name": "dex__route", "arguments": {"sell": "X"}})["result"]
    assert bad["isError"] is True and "dex.route" in bad["content"][0]["text"]
    assert rpc(server, "tools/call", {"name": "wallet__pay"})["error"]["code"] == -32602
    assert rpc(server, "nope/nope")["error"]["code"] == -32601
    assert json.loads(server.handle_text("{not json") or "")["error"]["code"] == -32700
    assert (
        server.handle_text(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}))
        is None
    )


def test_stdio_answers_line_by_line(server: McpServer) -> None:
    import io

    lines = [
        json.dumps({"jsonrpc": "2.0", "id": 1, "method": "ping"}),
        json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        "",
        json.dumps({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
    ]
    out = io.StringIO()
    serve_stdio(server, io.StringIO("\n".join(lines) + "\n"), out)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [a["id"] for a in answers] == [1, 2]


TOKEN = "t" * 43
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_http_transport(server: McpServer) -> None:
    http = make_http_server(server, TOKEN)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{http.server_address[1]}/mcp"
        listed = httpx.post(
            url, json={"jsonrpc": "2.0", "id": 7, "method": "tools/list"}, headers=AUTH
        )
        assert listed.status_code == 200 and listed.json()["id"] == 7
        note = httpx.post(
            url, json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=AUTH
        )
        assert note.status_code == 202
        assert httpx.post(url.replace("/mcp", "/other"), json={}, headers=AUTH).status_code == 404
    finally:
        http.shutdown()
        http.server_close()
        thread.join()


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),  # no token
        ({"Authorization": "Bearer wrong"}, 401),
        ({**AUTH, "Host": "attacker.example"}, 421),  # DNS rebinding
        ({**AUTH, "Origin": "https://attacker.example"}, 403),  # a page's fetch
        ({**AUTH, "Sec-Fetch-Site": "cross-site"}, 403),
        ({**AUTH, "Content-Type": "text/plain"}, 415),  # a form post needs no preflight
    ],
)
def test_http_transport_refuses_other_origins(
    server: McpServer, headers: dict[str, str], status: int
) -> None:
    http = make_http_server(server, TOKEN)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{http.server_address[1]}/mcp"
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
        sent = {"Content-Type": "application/json", **headers}
        answer = httpx.post(url, content=body, headers=sent)
        assert answer.status_code == status, answer.text
        assert "tools" not in answer.text  # nothing read, nothing called
    finally:
        http.shutdown()
        http.server_close()
        thread.join()


def test_untrusted_tools_are_marked_in_the_list(server: McpServer) -> None:
    listed = {t["name"]: t for t in rpc(server, "tools/list")["result"]["tools"]}
    news, balance = listed["news__latest"], listed["chain__balance"]
    assert news["description"].endswith(UNTRUSTED_NOTE) and news["annotations"]["openWorldHint"]
    assert UNTRUSTED_NOTE not in balance["description"]
    assert balance["annotations"]["openWorldHint"] is False


def test_state_changing_tools_are_marked_destructive_and_reads_read_only(
    server: McpServer,
) -> None:
    listed = {t["name"]: t["annotations"] for t in rpc(server, "tools/list")["result"]["tools"]}
    assert listed["bot__remove"]["destructiveHint"] is True
    assert listed["bot__remove"]["readOnlyHint"] is False
    assert "bot__add" not in listed  # funds-moving: still not served
    for name in ("bot__list", "chain__balance", "news__latest", "chart__render"):
        assert listed[name]["readOnlyHint"] is True and listed[name]["destructiveHint"] is False
    changing = {mcp_name(t.name) for t in TOOLS if t.changes_state and not t.moves_funds}
    assert {n for n, a in listed.items() if not a["readOnlyHint"]} == changing
