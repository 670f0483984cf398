"""Identity: a spec's canonical form and hash, and the content hash that pins a tool.

The canonical form is JSON with sorted keys, no whitespace between tokens, UTF-8 text, and
every number written as a decimal string (an integer ``10`` is ``"10"``; amounts are already
normalised strings such as ``"0.5"``). It is computed from the checked spec with every default
written, so key order, spacing, comments, quoting and YAML-versus-JSON change nothing, and
any change of meaning changes the bytes. Its sha256, as ``0x`` and 64 hex digits, is the
spec hash the Agent Market lists on chain (a ``bytes32``).

A tool is pinned by ``sha256:`` and the hex sha256 of the canonical JSON of
``{"name", "description", "parameters", "plugin_version"}``: its name, its description, its
parameters, and its plug-in's version. A change to any of them (a new parameter, a reworded
description a model reads, a new release) is a different tool. The parameters are described
from their declaration (each field's name, type, default, description and constraints, nested
models field by field), not by the JSON Schema pydantic generates from it: that output changes
between pydantic releases (2.14 dropped the pattern it wrote for ``Decimal``), and a pin must
not move when the tool has not.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from rexos.agents.tool import Tool
from rexos.studio.spec import AgentSpec

__all__ = ["canonical_json", "parameters_of", "spec_canonical", "spec_hash", "tool_hash"]


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
        "parameters": parameters_of(tool.params),
        "plugin_version": plugin_version,
    }
    return "sha256:" + hashlib.sha256(canonical_json(body)).hexdigest()


def parameters_of(model: type[BaseModel]) -> list[dict[str, Any]]:
    """``model``'s fields as declared, in name order: what a tool's pin covers."""
    found = []
    for name, field in sorted(model.model_fields.items()):
        required = field.is_required()
        found.append(
            {
                "name": name,
                "alias": field.alias,
                "type": _type(field.annotation),
                "required": required,
                "default": None if required else _plain(field.get_default()),
                "description": field.description or "",
                "constraints": _constraints(field.metadata),
            }
        )
    return found


def _type(annotation: Any) -> Any:
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *meta = get_args(annotation)
        return {"type": _type(base), "meta": _constraints(meta)}
    if origin is Union or origin is types.UnionType:
        return {"union": [_type(a) for a in get_args(annotation)]}
    if origin is not None:
        return {"of": _type(origin), "args": [_type(a) for a in get_args(annotation)]}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {"model": annotation.__qualname__, "fields": parameters_of(annotation)}
    if isinstance(annotation, type):
        return annotation.__qualname__
    return _plain(annotation)


def _meta(item: Any) -> Any:
    """A field constraint (``annotated_types.Gt(0)``, a pattern, ...) as plain data."""
    if isinstance(item, FieldInfo):  # Annotated[X, Field(...)] inside a type
        return {
            "kind": "Field",
            "default": None if item.is_required() else _plain(item.get_default()),
            "description": item.description or "",
            "constraints": _constraints(item.metadata),
        }
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        values = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
        values.pop("json_schema_input_type", None)  # a pydantic 2.9+ detail of validators
    elif hasattr(item, "__dict__"):
        values = {k: v for k, v in vars(item).items() if not k.startswith("_")}
    else:
        slots = [n for c in type(item).__mro__ for n in getattr(c, "__slots__", ())]
        values = {n: getattr(item, n) for n in slots if not n.startswith("_") and hasattr(item, n)}
    return {"kind": type(item).__name__.lstrip("_"), **{k: _plain(v) for k, v in values.items()}}


def _constraints(items: Any) -> dict[str, Any]:
    """Constraints as one mapping (pydantic releases group the same limits into different
    metadata objects) and validators by the name of their function."""
    limits: dict[str, Any] = {}
    validators: list[str] = []
    for item in items:
        found = _meta(item)
        kind = found.pop("kind")
        if "func" in found:
            validators.append(f"{kind}:{found['func']}")
        elif kind == "Field":
            validators.append(json.dumps(found, sort_keys=True))
        else:
            limits.update(found)
    return {"limits": dict(sorted(limits.items())), "validators": sorted(validators)}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)
