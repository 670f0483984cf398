"""The JSON Schema of the Vega-Lite v5 documents this agent writes.

It is a strict subset of Vega-Lite v5 (written from the Vega-Lite documentation of
top-level specs, inline data, mark definitions and field encodings), closed everywhere:
a document with a property the agent does not write, an external data URL, a transform or
an expression is rejected before anything renders it. The official Vega-Lite schema is
not shipped offline, so the compiled document is also compiled to Vega by the bundled
Vega-Lite library (:func:`~rexos.agents.chart.render.to_vega`) as a second check.
"""

from __future__ import annotations

from typing import Any

__all__ = ["VEGA_LITE_SCHEMA_URL", "VEGA_LITE_SUBSET"]

VEGA_LITE_SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v5.json"

_TEXT = {"type": "string", "minLength": 1, "maxLength": 200}
_FIELD = {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,39}$"}

_AXIS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "format": {"type": "string", "maxLength": 40},
        "labelAngle": {"type": "number", "minimum": -90, "maximum": 90},
        "tickCount": {"type": "integer", "minimum": 1, "maximum": 50},
    },
}


def _channel(types: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["field", "type", "title"],
        "properties": {
            "field": _FIELD,
            "type": {"enum": types},
            "title": _TEXT,
            "axis": _AXIS,
            "scale": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"type": {"enum": ["utc", "linear"]}, "zero": {"type": "boolean"}},
            },
            "sort": {"enum": ["-y", "y", "ascending", "descending"]},
        },
    }


VEGA_LITE_SUBSET: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "RexOS chart: a subset of Vega-Lite v5",
    "type": "object",
    "additionalProperties": False,
    "required": ["$schema", "title", "data", "mark", "encoding"],
    "properties": {
        "$schema": {"const": VEGA_LITE_SCHEMA_URL},
        "title": {
            "type": "object",
            "additionalProperties": False,
            "required": ["text"],
            "properties": {
                "text": _TEXT,
                "subtitle": {"type": "array", "maxItems": 4, "items": _TEXT},
            },
        },
        "width": {"type": "integer", "minimum": 50, "maximum": 4000},
        "height": {"type": "integer", "minimum": 50, "maximum": 4000},
        "data": {
            "type": "object",
            "additionalProperties": False,
            "required": ["values"],
            "properties": {
                "values": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 5000,
                    "items": {
                        "type": "object",
                        "minProperties": 2,
                        "maxProperties": 2,
                        "propertyNames": _FIELD,
                        "additionalProperties": {"type": ["string", "number"]},
                    },
                }
            },
        },
        "mark": {
            "type": "object",
            "additionalProperties": False,
            "required": ["type"],
            "properties": {
                "type": {"enum": ["line", "bar", "area"]},
                "tooltip": {"type": "boolean"},
                "point": {"type": "boolean"},
                "line": {"type": "boolean"},
                "opacity": {"type": "number", "minimum": 0, "maximum": 1},
            },
        },
        "encoding": {
            "type": "object",
            "additionalProperties": False,
            "required": ["x", "y"],
            "properties": {
                "x": _channel(["temporal", "quantitative", "nominal"]),
                "y": _channel(["quantitative"]),
            },
        },
    },
}
"""Draft 2020-12 JSON Schema of every document :func:`~rexos.agents.chart.to_vega_lite` writes."""
