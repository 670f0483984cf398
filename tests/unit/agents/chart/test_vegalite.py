"""ChartSpec → Vega-Lite v5, and the checks that reject any other document."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from rexos.agents.chart import (
    VEGA_LITE_SCHEMA_URL,
    ChartError,
    PriceHistory,
    check_vega_lite,
    portfolio_chart,
    price_chart,
    to_vega_lite,
)
from rexos.agents.chart.render import to_vega
from tests.unit.agents.chart._support import NOW, PORTFOLIO, REX_POINTS


def line() -> dict[str, Any]:
    return to_vega_lite(price_chart(PriceHistory("REX", 30, 0, NOW, REX_POINTS)))


def test_a_price_line_compiles_to_inline_vega_lite() -> None:
    doc = line()
    assert doc["$schema"] == VEGA_LITE_SCHEMA_URL
    assert doc["mark"] == {"type": "line", "tooltip": True, "point": True}
    assert doc["encoding"]["x"] == {
        "field": "time",
        "type": "temporal",
        "title": "Time (UTC)",
        "scale": {"type": "utc"},
    }
    assert doc["encoding"]["y"]["axis"] == {"format": "$,.6~r"}
    assert doc["data"]["values"][0] == {"time": "2024-12-23T00:00:00Z", "price_usd": 0.1}
    assert doc["title"]["text"] == "REX price, last 30 days"
    json.dumps(doc)


def test_a_portfolio_compiles_to_bars_sorted_by_value() -> None:
    doc = to_vega_lite(portfolio_chart(PORTFOLIO))
    assert doc["mark"]["type"] == "bar"
    assert doc["encoding"]["x"]["sort"] == "-y"
    assert [row["token"] for row in doc["data"]["values"]] == ["ETH", "USDC", "REX"]
    assert [row["value_usd"] for row in doc["data"]["values"]] == [6000.0, 250.0, 100.0]


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node: Any = doc
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[last] = value

    return change


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (_set("data", {"url": "http://127.0.0.1:1/x.json"}), "'url' was unexpected"),
        (_set("data/values/0/extra", "x"), "data/values/0"),
        (_set("mark/type", "point"), "mark/type"),
        (_set("transform", [{"calculate": "datum.x", "as": "y"}]), "'transform' was unexpected"),
        (_set("encoding/color", {"field": "time", "type": "nominal"}), "'color' was unexpected"),
        (_set("encoding/y/type", "nominal"), "encoding/y/type"),
        (_set("$schema", "https://vega.github.io/schema/vega-lite/v4.json"), r"\$schema"),
        (_set("encoding/y/field", "missing"), "lacks the y field missing"),
        (_set("data/values/0/price_usd", "0.1"), "must be a finite number"),
        (_set("data/values/0/price_usd", float("nan")), "must be a finite number"),
        (_set("data/values/0/time", 5), "must be text"),
    ],
)
def test_documents_outside_the_subset_are_rejected(
    change: Callable[[dict[str, Any]], None], needle: str
) -> None:
    doc = copy.deepcopy(line())
    change(doc)
    with pytest.raises(ChartError, match=needle):
        check_vega_lite(doc)


def test_vega_lite_itself_compiles_the_document() -> None:
    vega = to_vega(line())
    assert vega["$schema"].startswith("https://vega.github.io/schema/vega/")
    assert any(m.get("type") == "line" for m in json.loads(json.dumps(vega))["marks"])


def test_vega_lite_rejects_what_it_cannot_compile() -> None:
    broken = line() | {"mark": {"type": "no-such-mark"}}
    with pytest.raises(ChartError, match="Vega-Lite rejected the chart"):
        to_vega(broken)
