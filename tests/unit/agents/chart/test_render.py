"""Rendering through vl-convert: SVG with the title and marks, PNG bytes, no fetching."""

from __future__ import annotations

from typing import Any

import pytest

from rexos.agents.chart import ChartError, PriceHistory, price_chart, to_png, to_svg, to_vega_lite
from rexos.agents.chart.render import PNG_MAGIC, vega_lite_version
from tests.unit.agents.chart._support import NOW, REX_POINTS


def doc() -> dict[str, Any]:
    return to_vega_lite(price_chart(PriceHistory("REX", 30, 0, NOW, REX_POINTS)))


def test_the_newest_bundled_vega_lite_5_is_used() -> None:
    major, minor = vega_lite_version().split(".")
    assert major == "5" and int(minor) >= 8


def test_svg_holds_the_title_axis_titles_and_the_line() -> None:
    svg = to_svg(doc())
    assert svg.startswith("<svg")
    assert "REX price, last 30 days" in svg
    assert "REX price (USD)" in svg and "Time (UTC)" in svg
    assert 'class="mark-line' in svg and 'class="mark-symbol' in svg  # a dot per point
    assert "$0.1" in svg  # dollar axis labels


def test_png_is_a_png_and_scales() -> None:
    small, large = to_png(doc()), to_png(doc(), 2)
    assert small.startswith(PNG_MAGIC) and large.startswith(PNG_MAGIC)
    width = int.from_bytes(small[16:20], "big")  # IHDR width
    assert int.from_bytes(large[16:20], "big") == 2 * width


def test_the_renderer_fetches_nothing() -> None:
    remote = doc() | {"data": {"url": "http://127.0.0.1:9/prices.json"}}
    with pytest.raises(ChartError, match="not allowed"):
        to_svg(remote)


def test_a_silly_scale_is_refused() -> None:
    with pytest.raises(ChartError, match="scale"):
        to_png(doc(), 0)
