"""Checked prices: the median, the divergence and the flags, on fixed sources; hostile
feeds refused (a fixed source and the CoinGecko client on a local replay server)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rexos.lense.model import Asset
from rexos.lense.price_history import PricePoint
from rexos.lense.price_index import time_weighted
from rexos.lense.price_sources import CoinGeckoSource, FixedSource, PriceSource
from rexos.lense.price_twap import windows
from rexos.lense.prices import (
    DISPUTED_BPS,
    check_prices,
    divergence_bps,
    headline_price,
    median,
    single_source,
)
from rexos.prices import CoinGeckoClient, PriceError
from tests.unit.social.replay import Replay, Reply, serve

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "prices"
PATH = "/api/v3/simple/price"
WETH = Asset(1, "0x" + "11" * 20, "WETH", "Wrapped Ether", 18)
USDC = Asset(1, "0x" + "22" * 20, "USDC", "USD Coin", 6)
FAKE_USDC = Asset(1, "0x" + "33" * 20, "USDC", "USD Coin", 6)
ETH = Asset(1, "native", "ETH", "Ether", 18)


def two(a: dict[str, Decimal], b: dict[str, Decimal]) -> list[PriceSource]:
    return [FixedSource("a", a), FixedSource("b", b)]


def test_median_and_divergence_by_hand() -> None:
    assert median([Decimal(3), Decimal(1), Decimal(2)]) == 2
    assert median([Decimal(4), Decimal(1), Decimal(2), Decimal(3)]) == Decimal("2.5")
    # (3100 − 3000) / 3050 × 10 000 = 327.868… bps
    assert divergence_bps([Decimal(3000), Decimal(3100)]) == Decimal("327.87")
    assert divergence_bps([Decimal(3000)]) is None
    with pytest.raises(ValueError, match="no values"):
        median([])


@pytest.mark.parametrize(
    ("a", "b", "bps", "flag"),
    [("3000", "3030", "99.50", "ok"), ("3000", "3100", "327.87", "diverging"),
     ("3000", "3400", "1250.00", "disputed")],
)  # fmt: skip
def test_flags_of_a_volatile_asset(a: str, b: str, bps: str, flag: str) -> None:
    got = check_prices([WETH], two({WETH.key: Decimal(a)}, {WETH.key: Decimal(b)}))[WETH.key]
    assert got.divergence_bps == Decimal(bps) and got.flag == flag and not got.stable
    assert got.median == (Decimal(a) + Decimal(b)) / 2
    assert headline_price(got) == (None if flag == "disputed" else got.median)


def test_a_stablecoin_is_held_to_half_a_percent() -> None:
    # 1.000 and 1.006: 0.006 / 1.003 = 59.82 bps, above 50 for USDC, below 200 for WETH
    sources = two(
        {USDC.key: Decimal("1.000"), WETH.key: Decimal("1.000")},
        {USDC.key: Decimal("1.006"), WETH.key: Decimal("1.006")},
    )
    got = check_prices([USDC, WETH], sources)
    assert got[USDC.key].stable and got[USDC.key].flag == "diverging"
    assert got[USDC.key].divergence_bps == Decimal("59.82")
    assert not got[WETH.key].stable and got[WETH.key].flag == "ok"


def test_a_coin_called_usdc_far_from_a_dollar_is_not_a_stablecoin() -> None:
    sources = two({FAKE_USDC.key: Decimal("0.500")}, {FAKE_USDC.key: Decimal("0.503")})
    got = check_prices([FAKE_USDC], sources)[FAKE_USDC.key]
    assert not got.stable and got.flag == "ok"  # 59.82 bps < 200: the ordinary threshold
    tighter = check_prices([FAKE_USDC], sources, stablecoins={"NOPE"})[FAKE_USDC.key]
    assert not tighter.stable


def test_one_source_is_ok_but_known_to_be_one_and_none_is_unpriced() -> None:
    got = check_prices([WETH, USDC], two({WETH.key: Decimal(3000)}, {}))
    assert got[WETH.key].flag == "ok" and got[WETH.key].divergence_bps is None
    assert [q.source for q in got[WETH.key].quotes] == ["a"]
    assert single_source(got) == [WETH.key]
    assert got[USDC.key].flag == "unpriced" and got[USDC.key].median is None
    assert headline_price(got[USDC.key]) is None


def test_three_sources_take_the_middle_one() -> None:
    sources = [FixedSource(n, {WETH.key: Decimal(v)}) for n, v in [("a", 3010), ("b", 2990),
               ("c", 3000)]]  # fmt: skip
    got = check_prices([WETH], sources)[WETH.key]
    assert got.median == 3000 and got.divergence_bps == Decimal("66.67") and got.flag == "ok"


@pytest.mark.parametrize(
    ("value", "message"),
    [(Decimal(-5), "is not positive"), (Decimal(0), "is not positive"),
     (Decimal("1e80"), "outside"), (Decimal("NaN"), "not finite"),
     (Decimal("Infinity"), "not finite")],
)  # fmt: skip
def test_a_hostile_source_is_refused_whole(value: Decimal, message: str) -> None:
    hostile = FixedSource("hostile", {WETH.key: value, USDC.key: Decimal(1)})
    honest = FixedSource("honest", {WETH.key: Decimal(3000)})
    with pytest.raises(PriceError, match=f"hostile: refused the price of {WETH.key}.*{message}"):
        check_prices([WETH, USDC], [honest, hostile])
    failures: dict[str, str] = {}
    got = check_prices([WETH, USDC], [honest, hostile], failures=failures)
    assert list(failures) == ["hostile"] and message in failures["hostile"]
    assert [q.usd for q in got[WETH.key].quotes] == [Decimal(3000)]
    assert got[USDC.key].flag == "unpriced"  # its sane USDC quote is not used either


@pytest.fixture
def feed() -> Iterator[Replay]:
    with serve() as replay:
        yield replay


def coingecko(replay: Replay, body: bytes) -> CoinGeckoSource:
    replay.answer(PATH, Reply(200, body, {"Content-Type": "application/json"}))
    client = CoinGeckoClient(replay.url, sleep=lambda _: None)
    clock = lambda: dt.datetime(2026, 12, 7, 4, 0, tzinfo=dt.UTC)  # noqa: E731
    return CoinGeckoSource(client, {ETH.key: "ETH", WETH.key: "WETH"}, clock=clock)


def test_coingecko_source_reads_the_recorded_answer(feed: Replay) -> None:
    source = coingecko(feed, (FIXTURES / "coingecko_simple_price_recorded.json").read_bytes())
    got = source.quotes([ETH, WETH, USDC])  # weth absent from the answer, USDC not configured
    assert list(got) == [ETH.key] and got[ETH.key].usd == Decimal("376.37")
    assert got[ETH.key].as_of == "2026-12-07T04:00:00+00:00"
    assert feed.asked[0].query == {"ids": "ethereum,weth", "vs_currencies": "usd"}


@pytest.mark.parametrize(
    ("usd", "message"),
    [("-3", "is not positive"), ("0", "is not positive"), ("1e80", "outside"),
     ('"NaN"', "not finite"), ('"Infinity"', "not finite"), ('"cheap"', "not a number")],
)  # fmt: skip
def test_coingecko_hostile_answers_are_refused(feed: Replay, usd: str, message: str) -> None:
    body = json.dumps({"weth": {"usd": "X"}}).replace('"X"', usd).encode()
    source = coingecko(feed, body)
    with pytest.raises(PriceError, match=message):
        source.quotes([WETH])
    failures: dict[str, str] = {}
    got = check_prices([WETH], [source], failures=failures)
    assert got[WETH.key].flag == "unpriced" and message in failures["coingecko"]


prices = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(10**6), places=4)


@given(st.lists(prices, min_size=1, max_size=9), st.randoms())
def test_median_is_order_free_and_inside_the_range(values: list[Decimal], rnd: object) -> None:
    shuffled = list(values)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    middle = median(values)
    assert median(shuffled) == middle and min(values) <= middle <= max(values)
    below = sum(v < middle for v in values)
    above = sum(v > middle for v in values)
    assert below <= len(values) // 2 and above <= len(values) // 2
    bps = divergence_bps(values)
    if len(values) > 1:
        assert bps is not None and bps >= 0
        checked = check_prices([WETH], [FixedSource(str(i), {WETH.key: v})
                                        for i, v in enumerate(values)])[WETH.key]  # fmt: skip
        assert (checked.flag == "disputed") == (bps > DISPUTED_BPS)


def point(unix: int, usd: int) -> PricePoint:
    return PricePoint(WETH.key, unix, Decimal(usd), f"swap at {unix}")


def test_time_weighted_by_hand() -> None:
    steps = [point(100, 10), point(200, 20), point(250, 30)]
    # over [150, 300]: 10 for 50 s, 20 for 50 s, 30 for 50 s
    assert time_weighted(steps, 150, 300) == 20
    # a huge swap in the window's last second weighs nothing
    assert time_weighted([*steps, point(300, 10_000)], 150, 300) == 20
    assert time_weighted(steps[1:], 150, 300) == 25  # from the first swap inside: 200 to 300
    assert time_weighted(steps, 0, 50) is None
    assert time_weighted([point(300, 7)], 150, 300) == 7
    with pytest.raises(PriceError, match="empty window"):
        time_weighted(steps, 300, 300)


def test_twap_windows_halve_down_to_the_minimum() -> None:
    assert windows(1800, 300) == [1800, 900, 450]
    assert windows(300, 300) == [300]
    assert windows(1000, 1) == [1000, 500, 250, 125, 62, 31, 15, 7, 3, 1]
