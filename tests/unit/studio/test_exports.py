"""The A2A card, MCP ``server.json`` and ERC-8004 file hold each format's required fields.

The schemas below are written from the formats' documents (see :mod:`rexos.studio.exports`)
and list only what those documents require, so a missing or mistyped field fails here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from rexos.studio import (
    Registration,
    SpecError,
    export_a2a,
    export_erc8004,
    export_mcp,
    load_spec,
    parse_spec,
    spec_hash,
)
from tests.unit.studio.specs import DCA, DIGEST, doc

_STRINGS = {"type": "array", "items": {"type": "string"}}
A2A_CARD = {
    "type": "object",
    "required": ["protocolVersion", "name", "description", "url", "version", "capabilities",
                 "defaultInputModes", "defaultOutputModes", "skills"],
    "properties": {
        "protocolVersion": {"type": "string", "pattern": r"^\d+\.\d+\.\d+$"},
        "url": {"type": "string", "pattern": "^https?://"},
        "preferredTransport": {"enum": ["JSONRPC", "GRPC", "HTTP+JSON"]},
        "capabilities": {"type": "object", "properties": {
            "streaming": {"type": "boolean"}, "pushNotifications": {"type": "boolean"},
            "extensions": {"type": "array", "items": {"type": "object", "required": ["uri"]}}}},
        "defaultInputModes": _STRINGS,
        "defaultOutputModes": _STRINGS,
        "skills": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["id", "name", "description", "tags"],
            "properties": {"tags": _STRINGS, "examples": _STRINGS}}},
    },
}  # fmt: skip
MCP_SERVER = {
    "type": "object",
    "required": ["$schema", "name", "description", "version"],
    "properties": {
        "name": {"type": "string", "pattern": r"^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$",
                 "maxLength": 200},
        "description": {"type": "string", "minLength": 1, "maxLength": 100},
        "version": {"type": "string", "maxLength": 255},
        "remotes": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["type", "url"],
            "properties": {"type": {"enum": ["streamable-http", "sse"]}}}},
        "_meta": {"type": "object", "propertyNames": {"pattern": r"^[a-z0-9.-]+/[a-z0-9.-]+$"}},
    },
}  # fmt: skip
_ENDPOINTS = {"type": "array", "items": {"type": "object", "required": ["name", "endpoint"]}}
ERC8004 = {
    "type": "object",
    "required": ["type", "name", "description", "image", "services", "active"],
    "properties": {
        "type": {"const": "https://eips.ethereum.org/EIPS/eip-8004#registration-v1"},
        "services": _ENDPOINTS,
        "endpoints": _ENDPOINTS,
        "registrations": {"type": "array", "items": {
            "type": "object", "required": ["agentId", "agentRegistry"],
            "properties": {"agentId": {"type": "integer"},
                           "agentRegistry": {"pattern": r"^eip155:\d+:0x[0-9a-fA-F]{40}$"}}}},
        "supportedTrust": {"type": "array", "items": {
            "enum": ["reputation", "crypto-economic", "tee-attestation"]}},
        "active": {"type": "boolean"},
    },
}  # fmt: skip

URL = "https://agents.example.org/a2a/weekly-dca"
REGISTRY = "0x8004A169FB4a3325136EB29fA0ceB6D2e539a432"


def _errors(schema: dict[str, Any], doc_: dict[str, Any]) -> list[str]:
    return [e.message for e in Draft202012Validator(schema).iter_errors(doc_)]


@pytest.mark.parametrize("path", [DCA, DIGEST], ids=lambda p: p.stem)
def test_each_export_holds_its_formats_required_fields(path: Any) -> None:
    spec = load_spec(path)
    card = export_a2a(spec, url=URL, organization="Example")
    server = export_mcp(spec, namespace="org.example", url="https://agents.example.org/mcp")
    erc = export_erc8004(
        spec, a2a_url=URL + "/.well-known/agent-card.json", mcp_url="https://agents.example.org/mcp",
        registrations=[Registration(7, 31337, REGISTRY)],
    )  # fmt: skip
    assert _errors(A2A_CARD, card) == []
    assert _errors(MCP_SERVER, server) == []
    assert _errors(ERC8004, erc) == []
    for exported in (card, server, erc):
        json.dumps(exported)  # JSON-ready
        assert spec_hash(spec) in json.dumps(exported)
    assert (card["name"], card["version"], card["url"]) == (spec.name, spec.version, URL)
    assert card["skills"][0]["examples"][0] == spec.evals[0].request
    assert server["name"] == f"org.example/{spec.name}"
    assert erc["registrations"] == [{"agentId": 7, "agentRegistry": f"eip155:31337:{REGISTRY}"}]
    assert erc["services"] == erc["endpoints"]
    assert [s["name"] for s in erc["services"]] == ["A2A", "MCP"]


def test_a_long_description_is_cut_to_the_registrys_limit() -> None:
    d = doc()
    d["description"] = "Buys WETH weekly. " * 20
    server = export_mcp(parse_spec(d), namespace="org.example", url=URL)
    assert len(server["description"]) <= 100
    assert _errors(MCP_SERVER, server) == []


@pytest.mark.parametrize(
    "call",
    [
        lambda s: export_a2a(s, url="javascript:alert(1)"),
        lambda s: export_a2a(s, url="https://x.org/a b"),
        lambda s: export_mcp(s, namespace="../etc", url=URL),
        lambda s: export_mcp(s, namespace="org.example", url="file:///etc/passwd"),
        lambda s: export_erc8004(s, a2a_url=URL, registrations=[Registration(1, 1, "0x12")]),
        lambda s: export_erc8004(s, a2a_url=URL, image="data:text/html,<script>"),
    ],
)
def test_bad_urls_and_names_are_refused(call: Any) -> None:
    with pytest.raises(SpecError):
        call(load_spec(DCA))
