"""make_chart end to end on fixed sources: request → rule → Vega-Lite → SVG."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from pydantic import ValidationError

from rexos.agents.chart import (
    ChartRequest,
    ChartSources,
    FixedSources,
    NoChartData,
    build_spec,
    make_chart,
    render_chart,
)
from rexos.agents.chart.history import DAY_S
from rexos.agents.chart.render import PNG_MAGIC
from rexos.errors import UsageError
from tests.unit.agents.chart._support import ALICE, NOW, PORTFOLIO, REX_POINTS

SOURCES = FixedSources({"REX": REX_POINTS}, [PORTFOLIO], now=NOW)


def test_the_fake_is_a_chart_source() -> None:
    assert isinstance(SOURCES, ChartSources)


def test_a_token_price_request_draws_a_line() -> None:
    result = make_chart(ChartRequest(subject="$rex", days=30), SOURCES)
    assert result.spec.kind == "line" and len(result.spec.points) == 10
    assert result.vega_lite["mark"]["type"] == "line"
    assert "REX price, last 30 days" in result.svg and 'class="mark-line' in result.svg
    assert result.png().startswith(PNG_MAGIC)


def test_days_default_to_thirty_and_trim_the_window() -> None:
    assert build_spec(ChartRequest(subject="REX"), SOURCES).title.endswith("last 30 days")
    week = build_spec(ChartRequest(subject="REX", days=3), SOURCES)
    assert [p.x for p in week.points] == [
        "2024-12-29T00:00:00Z",
        "2024-12-30T00:00:00Z",
        "2024-12-31T00:00:00Z",
        "2025-01-01T00:00:00Z",
    ]
    assert FixedSources({"REX": REX_POINTS}).price_history("REX", 1).until == NOW


def test_a_portfolio_request_draws_bars() -> None:
    result = make_chart(ChartRequest(subject="portfolio", address=ALICE.lower()), SOURCES)
    assert result.spec.kind == "bar"
    assert [p.x for p in result.spec.points] == ["ETH", "USDC", "REX"]
    assert 'class="mark-rect' in result.svg and "Portfolio by token" in result.svg


def test_the_json_form_holds_vega_lite_the_chart_spec_and_the_file() -> None:
    result = make_chart(ChartRequest(subject="REX", kind="area"), SOURCES)
    doc = json.loads(json.dumps(result.to_json("rex.svg")))
    assert doc["out"] == "rex.svg"
    assert doc["spec"]["mark"]["type"] == "area"
    assert doc["chart"]["kind"] == "area"
    assert Decimal(doc["chart"]["points"][-1]["y"]) == Decimal("0.109")


@pytest.mark.parametrize(
    ("request_", "error", "needle"),
    [
        (ChartRequest(subject="portfolio"), UsageError, "whose portfolio"),
        (ChartRequest(subject="portfolio", kind="line", address=ALICE), UsageError, "bars"),
        (ChartRequest(subject="REX", kind="bar"), UsageError, "line or an area"),
        (ChartRequest(subject="WBTC"), NoChartData, "no WBTC prices"),
        (ChartRequest(subject="portfolio", address="0x" + "00" * 20), NoChartData, "no holdings"),
    ],
)
def test_requests_that_cannot_be_drawn_say_why(
    request_: ChartRequest, error: type[Exception], needle: str
) -> None:
    with pytest.raises(error, match=needle):
        make_chart(request_, SOURCES)


def test_old_points_are_outside_the_window() -> None:
    stale = FixedSources({"REX": REX_POINTS}, now=NOW + 40 * DAY_S)
    with pytest.raises(NoChartData, match="last 30 days"):
        make_chart(ChartRequest(subject="REX"), stale)


@pytest.mark.parametrize(
    "fields",
    [{"subject": "two words"}, {"subject": "REX", "days": 0}, {"subject": "REX", "kind": "pie"},
     {"subject": "portfolio", "address": "alice"}, {"subject": "REX", "colour": "red"}],
)  # fmt: skip
def test_bad_requests_do_not_validate(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        ChartRequest.model_validate(fields)


def test_a_spec_built_elsewhere_renders() -> None:
    spec = build_spec(ChartRequest(subject="portfolio", address=ALICE), SOURCES)
    assert (
        render_chart(spec).vega_lite
        == make_chart(ChartRequest(subject="portfolio", address=ALICE), SOURCES).vega_lite
    )
