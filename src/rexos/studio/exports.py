"""One spec, three ecosystems: an A2A agent card, an MCP registry ``server.json``, an ERC-8004
registration file, each generated from the spec so other tools can find and call the agent.

Where the formats come from (field names as those documents define them):

- A2A: the Agent2Agent protocol specification (a2a-protocol.org, ``AgentCard`` with
  ``AgentCapabilities`` and ``AgentSkill``, protocol version 0.3): ``protocolVersion``,
  ``name``, ``description``, ``url``, ``preferredTransport``, ``version``, ``capabilities``,
  ``defaultInputModes``, ``defaultOutputModes``, ``skills`` (``id``, ``name``,
  ``description``, ``tags``, ``examples``); the spec hash travels in a capability
  ``extensions`` entry (``uri``, ``description``, ``required``, ``params``).
- MCP registry: the ``server.json`` format of github.com/modelcontextprotocol/registry
  (``docs/reference/server-json``, schema 2025-12-11): ``$schema``, ``name`` (reverse-DNS
  namespace, a slash, the server's name), ``title``, ``description`` (at most 100
  characters in the official registry), ``version``, ``remotes`` (``type``
  ``streamable-http``, ``url``) and ``_meta`` under
  ``io.modelcontextprotocol.registry/publisher-provided``.
- ERC-8004 (Trustless Agents, eips.ethereum.org/EIPS/eip-8004) registration file:
  ``type`` ``https://eips.ethereum.org/EIPS/eip-8004#registration-v1``, ``name``,
  ``description``, ``image``, the endpoints (``name``, ``endpoint``, ``version``),
  ``registrations`` (``agentId``, ``agentRegistry`` as ``eip155:<chain>:<address>``),
  ``supportedTrust``, ``active``. The EIP's first draft called the endpoint list
  ``endpoints`` and its revision ``services``; both keys are written, with the same list.

Nothing here fetches or publishes anything: each function returns a JSON-ready dict.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rexos.studio.errors import SpecError
from rexos.studio.identity import spec_hash
from rexos.studio.spec import API_VERSION, AgentSpec

__all__ = [
    "A2A_PROTOCOL_VERSION",
    "ERC8004_TYPE",
    "MCP_SERVER_SCHEMA",
    "Registration",
    "export_a2a",
    "export_erc8004",
    "export_mcp",
]

A2A_PROTOCOL_VERSION = "0.3.0"
MCP_SERVER_SCHEMA = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"
MCP_PROTOCOL_VERSION = "2025-06-18"
ERC8004_TYPE = "https://eips.ethereum.org/EIPS/eip-8004#registration-v1"
SPEC_EXTENSION = "https://rexos.dev/extensions/agent-spec/v1"

_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%/+-]*)?$")
_NAMESPACE = re.compile(r"^[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+$")
_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")


@dataclass(frozen=True, slots=True)
class Registration:
    """An ERC-8004 identity: the agent's token id in an identity registry on a chain."""

    agent_id: int
    chain_id: int
    registry: str

    def to_json(self) -> dict[str, Any]:
        if self.agent_id < 0 or self.chain_id < 1 or not _ADDRESS.match(self.registry):
            raise SpecError(f"not an ERC-8004 registration: {self}")
        return {
            "agentId": self.agent_id,
            "agentRegistry": f"eip155:{self.chain_id}:{self.registry}",
        }


def _url(what: str, url: str) -> str:
    if not _URL.match(url) or len(url) > 500:
        raise SpecError(f"{what}: {url!r} is not an http(s) URL")
    return url


def _summary(spec: AgentSpec) -> dict[str, Any]:
    return {
        "apiVersion": API_VERSION,
        "specHash": spec_hash(spec),
        "priceRex": str(spec.price_units),
        "permissions": spec.permissions.mode,
        "tools": [t.name for t in spec.tools],
    }


def export_a2a(spec: AgentSpec, *, url: str, organization: str | None = None) -> dict[str, Any]:
    """The A2A agent card of ``spec`` served at ``url`` (its A2A JSON-RPC endpoint)."""
    skill = {
        "id": spec.name,
        "name": spec.name,
        "description": spec.description,
        "tags": sorted({t.plugin for t in spec.tools} | {spec.permissions.mode}),
        "examples": [e.request for e in spec.evals] + [s.user for s in spec.examples],
        "inputModes": ["text/plain"],
        "outputModes": ["text/plain"],
    }
    card: dict[str, Any] = {
        "protocolVersion": A2A_PROTOCOL_VERSION,
        "name": spec.name,
        "description": spec.description,
        "url": _url("url", url),
        "preferredTransport": "JSONRPC",
        "version": spec.version,
        "capabilities": {
            "streaming": False,
            "pushNotifications": False,
            "stateTransitionHistory": False,
            "extensions": [
                {
                    "uri": SPEC_EXTENSION,
                    "description": "The rexos.agent/v1 spec this agent runs, by hash.",
                    "required": False,
                    "params": _summary(spec),
                }
            ],
        },
        "defaultInputModes": ["text/plain"],
        "defaultOutputModes": ["text/plain"],
        "skills": [skill],
    }
    if organization is not None:
        card["provider"] = {"organization": organization, "url": url}
    return card


def export_mcp(spec: AgentSpec, *, namespace: str, url: str) -> dict[str, Any]:
    """The MCP registry ``server.json`` of ``spec`` as a remote server at ``url``.

    ``namespace`` is the reverse-DNS prefix the publisher controls (``io.github.alice``).
    """
    if not _NAMESPACE.match(namespace) or len(namespace) > 100:
        raise SpecError(f"namespace: {namespace!r} is not a reverse-DNS name")
    description = spec.description if len(spec.description) <= 100 else spec.description[:99]
    return {
        "$schema": MCP_SERVER_SCHEMA,
        "name": f"{namespace}/{spec.name}",
        "title": spec.name,
        "description": description.strip(),
        "version": spec.version,
        "remotes": [{"type": "streamable-http", "url": _url("url", url)}],
        "_meta": {"io.modelcontextprotocol.registry/publisher-provided": {"rexos": _summary(spec)}},
    }


def export_erc8004(
    spec: AgentSpec,
    *,
    a2a_url: str,
    mcp_url: str | None = None,
    image: str | None = None,
    registrations: Sequence[Registration] = (),
) -> dict[str, Any]:
    """The ERC-8004 registration file of ``spec`` (its agent card and MCP server as endpoints)."""
    endpoints = [{"name": "A2A", "endpoint": _url("a2a_url", a2a_url),
                  "version": A2A_PROTOCOL_VERSION}]  # fmt: skip
    if mcp_url is not None:
        endpoints.append(
            {"name": "MCP", "endpoint": _url("mcp_url", mcp_url), "version": MCP_PROTOCOL_VERSION}
        )
    return {
        "type": ERC8004_TYPE,
        "name": spec.name,
        "description": spec.description,
        "image": "" if image is None else _url("image", image),
        "services": endpoints,
        "endpoints": [dict(e) for e in endpoints],
        "registrations": [r.to_json() for r in registrations],
        "supportedTrust": ["reputation"],
        "active": True,
        "x402Support": False,
        "rexos": _summary(spec),
    }
