"""Rendering through vl-convert: the only module that imports ``vl_convert``.

vl-convert runs the bundled Vega-Lite and Vega libraries in an embedded JavaScript
engine: no browser and no code from the spec is executed beyond Vega's own. Every call
pins the newest bundled Vega-Lite 5 and allows no base URL, so a document can never make
the renderer fetch anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import vl_convert

from rexos.agents.chart.errors import ChartError

__all__ = ["to_png", "to_svg", "to_vega", "vega_lite_version"]

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@cache
def vega_lite_version() -> str:
    """The newest Vega-Lite 5.x bundled with vl-convert (e.g. ``"5.21"``)."""
    fives = [v for v in vl_convert.get_vegalite_versions() if v.split(".")[0] == "5"]
    if not fives:
        raise ChartError("this vl-convert bundles no Vega-Lite 5: install vl-convert-python>=1.6")
    return max(fives, key=lambda v: tuple(int(part) for part in v.split(".")))


def to_vega(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Compile a Vega-Lite document to Vega; :class:`ChartError` if Vega-Lite rejects it."""
    try:
        return vl_convert.vegalite_to_vega(dict(doc), vl_version=vega_lite_version())
    except ValueError as exc:
        raise ChartError(f"Vega-Lite rejected the chart: {_first_line(exc)}") from exc


def to_svg(doc: Mapping[str, Any]) -> str:
    """The chart as an SVG document."""
    try:
        return vl_convert.vegalite_to_svg(
            dict(doc), vl_version=vega_lite_version(), allowed_base_urls=[]
        )
    except ValueError as exc:
        raise ChartError(f"rendering the chart to SVG failed: {_first_line(exc)}") from exc


def to_png(doc: Mapping[str, Any], scale: float = 1.0) -> bytes:
    """The chart as PNG image bytes, ``scale`` times its size in pixels."""
    if not 0.1 <= scale <= 10:
        raise ChartError(f"PNG scale must be between 0.1 and 10, got {scale}")
    try:
        png = vl_convert.vegalite_to_png(
            dict(doc), vl_version=vega_lite_version(), scale=scale, allowed_base_urls=[]
        )
    except ValueError as exc:
        raise ChartError(f"rendering the chart to PNG failed: {_first_line(exc)}") from exc
    if not png.startswith(PNG_MAGIC):
        raise ChartError("vl-convert returned something that is not a PNG image")
    return png


def _first_line(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    detail = [line for line in lines if not line.lower().endswith("failed:")]
    return (detail or lines or ["unknown error"])[0]
