"""Identity: a spec's canonical form and hash, and the content hash that pins a tool.

The canonical form is JSON with sorted keys, no whitespace between tokens, UTF-8 text, and
every number written as a decimal string (an integer ``10`` is ``"10"``; amounts are already
normalised strings such as ``"0.5"``). It is computed from the checked spec with every default
written, so key order, spacing, comments, quoting and YAML-versus-JSON change nothing, and
any change of meaning changes the bytes. Its sha256, as ``0x`` and 64 hex digits, is the
spec hash the Agent Market lists on chain (a ``bytes32``).

A tool is pinned by ``sha256:`` and the hex sha256 of the canonical JSON of
``{"name", "description", "parameters", "plugin_version"}``: its name, its description, the
JSON Schema of its parameters, and its plug-in's version. A change to any of them (a new
parameter, a reworded description a model reads, a new release) is a different tool.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from rexos.agents.tool import Tool
from rexos.studio.spec import AgentSpec

__all__ = ["canonical_json", "spec_canonical", "spec_hash", "tool_hash"]


def _numbers_as_text(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _numbers_as_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_numbers_as_text(v) for v in value]
    raise TypeError(f"not JSON data: {type(value).__name__}")


def canonical_json(value: Any) -> bytes:
    """``value`` as canonical JSON bytes (sorted keys, compact, numbers as strings)."""
    text = json.dumps(
        _numbers_as_text(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return text.encode("utf-8")


def spec_canonical(spec: AgentSpec) -> bytes:
    """The canonical form of ``spec``."""
    return canonical_json(spec.to_document())


def spec_hash(spec: AgentSpec) -> str:
    """sha256 of the canonical form, as ``0x`` + 64 hex digits (the market's spec hash)."""
    return "0x" + hashlib.sha256(spec_canonical(spec)).hexdigest()


def tool_hash(tool: Tool[Any, Any], plugin_version: str) -> str:
    """The content hash pinning ``tool`` as its plug-in ``plugin_version`` declares it."""
    body = {
        "name": tool.name,
        "description": tool.description,
        "parameters": tool.input_schema(),
        "plugin_version": plugin_version,
    }
    return "sha256:" + hashlib.sha256(canonical_json(body)).hexdigest()
