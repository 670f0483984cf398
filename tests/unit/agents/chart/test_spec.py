"""The ChartSpec refuses charts that make no sense before anything is compiled."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from rexos.agents.chart import ChartSpec

TIME = {"field": "time", "title": "Time", "type": "temporal", "unit": "UTC"}
USD = {"field": "usd", "title": "USD", "type": "quantitative", "unit": "USD"}
TOKEN = {"field": "token", "title": "Token", "type": "nominal"}


def spec(**changes: Any) -> ChartSpec:
    doc: dict[str, Any] = {
        "kind": "line",
        "title": "REX price",
        "x": TIME,
        "y": USD,
        "points": [{"x": "2025-01-01T00:00:00Z", "y": "0.1"}, {"x": "2025-01-02T00:00Z", "y": 2}],
    }
    doc.update(changes)
    return ChartSpec.model_validate(doc)


def test_a_valid_line_keeps_exact_values() -> None:
    chart = spec()
    assert chart.points[0].y == Decimal("0.1") and isinstance(chart.points[0].y, Decimal)
    assert chart.model_dump(mode="json")["points"][0]["y"] == "0.1"


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"kind": "bar"}, "bar chart needs a nominal"),
        (
            {"kind": "area", "x": TOKEN, "points": [{"x": "REX", "y": 1}]},
            "temporal or quantitative",
        ),
        ({"y": TOKEN | {"field": "t2"}}, "y axis must be quantitative"),
        ({"y": USD | {"field": "time"}}, "different fields"),
        (
            {
                "points": [
                    {"x": "2025-01-02T00:00:00Z", "y": 1},
                    {"x": "2025-01-01T00:00:00Z", "y": 1},
                ]
            },
            "increasing time",
        ),
        ({"points": [{"x": "2025-01-01T00:00:00", "y": 1}]}, "timezone"),
        ({"points": [{"x": "yesterday", "y": 1}]}, "ISO 8601"),
        ({"points": [{"x": "2025-01-01T00:00:00Z", "y": "NaN"}]}, "finite"),
        ({"points": []}, "at least 1"),
        ({"title": ""}, "at least 1"),
        ({"x": TIME | {"field": "Bad Field"}}, "pattern"),
        ({"colour": "red"}, "Extra inputs"),
        ({"kind": "bar", "x": TOKEN, "points": [{"x": "A", "y": 1}, {"x": "A", "y": 2}]}, "once"),
        ({"x": TIME | {"type": "quantitative"}, "points": [{"x": "ten", "y": 1}]}, "not a number"),
    ],
)
def test_nonsense_is_rejected(changes: dict[str, Any], needle: str) -> None:
    with pytest.raises(ValidationError, match=needle):
        spec(**changes)


def test_a_quantitative_x_axis_is_accepted() -> None:
    chart = spec(x=TIME | {"type": "quantitative", "field": "n"}, points=[{"x": "1.5", "y": 1}])
    assert chart.x.type == "quantitative"
