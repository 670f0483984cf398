"""ChartSpec → Vega-Lite v5, and the checks every Vega-Lite document passes before rendering.

:func:`to_vega_lite` writes inline data only: each point becomes ``{x_field: x, y_field: y}``
with ``y`` a JSON number (the one place a Decimal becomes a float: the chart is display, the
ChartSpec keeps the exact value). :func:`check_vega_lite` validates a document against
:data:`~rexos.agents.chart.vl_schema.VEGA_LITE_SUBSET`, checks that the encodings read fields
the data holds, and has the bundled Vega-Lite compile it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from jsonschema import Draft202012Validator

from rexos.agents.chart.errors import ChartError
from rexos.agents.chart.render import to_vega
from rexos.agents.chart.spec import ChartSpec, Point
from rexos.agents.chart.vl_schema import VEGA_LITE_SCHEMA_URL, VEGA_LITE_SUBSET

__all__ = ["HEIGHT", "WIDTH", "check_vega_lite", "to_vega_lite"]

WIDTH = 640
HEIGHT = 320
_USD_FORMAT = "$,.6~r"
"""d3-format: dollars, thousands separated, up to 6 significant digits, no trailing zeros."""
_DENSE = 60
"""Above this many points a line is drawn without a dot per point."""

_VALIDATOR = Draft202012Validator(VEGA_LITE_SUBSET)


def to_vega_lite(spec: ChartSpec) -> dict[str, Any]:
    """The Vega-Lite v5 document drawing ``spec``, checked by :func:`check_vega_lite`."""
    x: dict[str, Any] = {"field": spec.x.field, "type": spec.x.type, "title": spec.x.title}
    y: dict[str, Any] = {"field": spec.y.field, "type": spec.y.type, "title": spec.y.title}
    if spec.x.type == "temporal":
        x["scale"] = {"type": "utc"}
    if spec.kind == "bar":
        x["sort"] = "-y"
        x["axis"] = {"labelAngle": 0}
    else:
        y["scale"] = {"zero": False}
    if spec.y.unit == "USD":
        y["axis"] = {"format": _USD_FORMAT}
    mark: dict[str, Any] = {"type": spec.kind, "tooltip": True}
    if spec.kind == "line":
        mark["point"] = len(spec.points) <= _DENSE
    elif spec.kind == "area":
        mark.update(line=True, opacity=0.35)
    title: dict[str, Any] = {"text": spec.title}
    if spec.subtitle:
        title["subtitle"] = list(spec.subtitle)
    doc: dict[str, Any] = {
        "$schema": VEGA_LITE_SCHEMA_URL,
        "title": title,
        "width": WIDTH,
        "height": HEIGHT,
        "data": {"values": [_row(spec, p) for p in spec.points]},
        "mark": mark,
        "encoding": {"x": x, "y": y},
    }
    check_vega_lite(doc)
    return doc


def _row(spec: ChartSpec, point: Point) -> dict[str, str | float]:
    x: str | float = float(Decimal(point.x)) if spec.x.type == "quantitative" else point.x
    return {spec.x.field: x, spec.y.field: float(point.y)}


def check_vega_lite(doc: Mapping[str, Any]) -> None:
    """Raise :class:`ChartError` unless ``doc`` is a Vega-Lite document this agent may render.

    Three checks: the subset JSON Schema (closed: no URLs, transforms or expressions), every
    encoded field present in every data row with the right JSON type, and a compile to Vega.
    """
    errors = sorted(_VALIDATOR.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(document)"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ChartError(f"invalid Vega-Lite at {where}: {first.message}{more}")
    encoding = doc["encoding"]
    for row in doc["data"]["values"]:
        for channel in ("x", "y"):
            field, kind = encoding[channel]["field"], encoding[channel]["type"]
            if field not in row:
                raise ChartError(f"invalid Vega-Lite: a data row lacks the {channel} field {field}")
            value = row[field]
            numeric = (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and math.isfinite(value)
            )
            if kind == "quantitative" and not numeric:
                raise ChartError(f"invalid Vega-Lite: {field} must be a finite number: {value!r}")
            if kind != "quantitative" and not isinstance(value, str):
                raise ChartError(f"invalid Vega-Lite: {field} must be text, got {value!r}")
    to_vega(doc)
