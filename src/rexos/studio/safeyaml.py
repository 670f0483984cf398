"""Read a spec document (YAML or JSON) as plain data, safely and within fixed bounds.

A spec is data, so nothing in its text may do anything but describe data:

- the text is at most :data:`MAX_BYTES` bytes of UTF-8, nested at most :data:`MAX_DEPTH` deep;
- YAML tags (``!!python/object/apply:…``, ``!!binary``, ``!custom``), anchors and aliases are
  refused outright, so neither object construction nor an alias bomb can happen;
- scalars resolve to five kinds only: null, ``true``/``false``, decimal integers, strings, and
  nothing else (no YAML 1.1 ``yes``/``on`` booleans, no timestamps, no octal or sexagesimal
  numbers); a float is an error, since amounts are written as quoted decimal strings;
- a key given twice is an error (the last one would silently win).

JSON is read with the same rules (no floats, no duplicate keys, the same size and depth).
Every problem is one :class:`~rexos.studio.errors.SpecError`.
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, NodeEvent
from yaml.nodes import MappingNode, Node

from rexos.studio.errors import SpecError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "load_document"]

MAX_BYTES = 64 * 1024
MAX_DEPTH = 12
_MAX_INT_DIGITS = 30

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(
    r"^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+"
    r"|\.(?:inf|Inf|INF|nan|NaN|NAN))$"
)
_FLOAT_TAG = "tag:yaml.org,2002:float"


class _Resolver(yaml.resolver.BaseResolver):  # type: ignore[misc]
    """Only null, true/false, decimal integers and (to refuse them) floats; the rest is text."""

    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {}


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)
_Resolver.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_Resolver.add_implicit_resolver(_FLOAT_TAG, _FLOAT, list("-+0123456789."))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|)$"), ["~", "n", ""]
)


class _Loader(
    yaml.reader.Reader,  # type: ignore[misc]
    yaml.scanner.Scanner,  # type: ignore[misc]
    yaml.parser.Parser,  # type: ignore[misc]
    yaml.composer.Composer,  # type: ignore[misc]
    yaml.constructor.SafeConstructor,  # type: ignore[misc]
    _Resolver,
):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        _Resolver.__init__(self)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, AliasEvent):
            raise SpecError(f"line {line}: YAML aliases (*{event.anchor}) are not allowed")
        if isinstance(event, NodeEvent) and event.anchor is not None:
            raise SpecError(f"line {line}: YAML anchors (&{event.anchor}) are not allowed")
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise SpecError(f"line {line}: YAML tags ({tag}) are not allowed")
        deeper = isinstance(event, CollectionStartEvent)
        if deeper:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise SpecError(f"line {line}: nested more than {MAX_DEPTH} levels deep")
        node: Node = super().compose_node(parent, index)
        if deeper:
            self._depth -= 1
        return node

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise SpecError(f"line {key_node.start_mark.line + 1}: keys must be text")
            if key in seen:
                raise SpecError(f"line {key_node.start_mark.line + 1}: key {key!r} appears twice")
            seen.add(key)
        return dict(super().construct_mapping(node, deep=deep))


def _no_float(loader: _Loader, node: Node) -> Any:
    raise SpecError(
        f"line {node.start_mark.line + 1}: {node.value!r} is a float; write amounts as quoted "
        'decimal strings (e.g. "0.5") and counts as whole numbers'
    )


def _int(loader: _Loader, node: Node) -> int:
    text = str(node.value).lstrip("+-")
    if len(text) > _MAX_INT_DIGITS:
        raise SpecError(f"line {node.start_mark.line + 1}: a number of {len(text)} digits")
    return int(node.value)


_Loader.add_constructor(_FLOAT_TAG, _no_float)
_Loader.add_constructor("tag:yaml.org,2002:int", _int)


def load_document(text: str | bytes, *, kind: str = "yaml") -> Any:
    """Parse ``text`` (``kind``: ``"yaml"`` or ``"json"``) into plain data (no floats)."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if len(raw) > MAX_BYTES:
        raise SpecError(f"the spec is {len(raw)} bytes; at most {MAX_BYTES} are read")
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SpecError("the spec is not UTF-8 text") from None
    if "\x00" in decoded:
        raise SpecError("the spec contains a NUL character")
    if kind == "json":
        return _load_json(decoded)
    if kind != "yaml":
        raise SpecError(f"unknown spec format {kind!r} (yaml or json)")
    loader: _Loader | None = None
    try:
        loader = _Loader(decoded)  # the reader refuses non-printable characters here
        return loader.get_single_data()
    except SpecError:
        raise
    except yaml.YAMLError as exc:
        raise SpecError(f"not valid YAML: {' '.join(str(exc).split())}") from None
    except (ValueError, RecursionError) as exc:  # a pathological scalar or nesting
        raise SpecError(f"not a readable spec: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()


def _load_json(text: str) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key, value in items:
            if key in found:
                raise SpecError(f"key {key!r} appears twice")
            found[key] = value
        return found

    def no_float(token: str) -> Any:
        raise SpecError(f"{token} is a float; write amounts as quoted decimal strings")

    def no_constant(token: str) -> Any:
        raise SpecError(f"{token} is not a JSON value a spec may hold")

    def bounded_int(token: str) -> int:
        if len(token.lstrip("-")) > _MAX_INT_DIGITS:
            raise SpecError(f"a number of {len(token)} digits")
        return int(token)

    try:
        doc = json.loads(
            text,
            object_pairs_hook=pairs,
            parse_float=no_float,
            parse_constant=no_constant,
            parse_int=bounded_int,
        )
    except json.JSONDecodeError as exc:
        raise SpecError(f"not valid JSON: {exc}") from None
    except RecursionError:
        raise SpecError(f"nested more than {MAX_DEPTH} levels deep") from None
    _check_depth(doc, 0)
    return doc


def _check_depth(value: Any, depth: int) -> None:
    if isinstance(value, dict | list):
        if depth >= MAX_DEPTH:
            raise SpecError(f"nested more than {MAX_DEPTH} levels deep")
        for child in value.values() if isinstance(value, dict) else value:
            _check_depth(child, depth + 1)
