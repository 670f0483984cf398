"""Executed prices from swaps: direct dollar pairs, one bridge token, one point per block,
and the index read with fixed rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from rexos.agents.chart import NoChartData, Swap, executed_prices, read_price_history
from rexos.agents.chart.history import DAY_S
from rexos.chainindex.store import IndexStore
from rexos.errors import UsageError

REX = "0x" + "11" * 20
USDC = "0x" + "22" * 20
WETH = "0x" + "33" * 20
ODD = "0x" + "44" * 20
DECIMALS = {REX: 18, USDC: 6, WETH: 18, ODD: 18}
E18, E6 = 10**18, 10**6
T0 = 1_735_689_600


def swap(block: int, sell: str, buy: str, amount_in: int, amount_out: int, log: int = 0) -> Swap:
    return Swap(block, log, T0 + block * 12, sell, buy, amount_in, amount_out)


def test_direct_dollar_swaps_in_both_directions() -> None:
    points = executed_prices(
        [
            swap(1, REX, USDC, 1_000 * E18, 99 * E6),  # sold REX at 0.099
            swap(2, USDC, REX, 101 * E6, 1_000 * E18),  # bought REX at 0.101
        ],
        REX,
        USDC,
        DECIMALS,
    )
    assert [(p.block, p.usd) for p in points] == [(1, Decimal("0.099")), (2, Decimal("0.101"))]
    assert points[0].timestamp == T0 + 12 and points[0].time == "2025-01-01T00:00:12Z"


def test_swaps_in_one_block_merge_into_their_volume_weighted_average() -> None:
    points = executed_prices(
        [
            swap(5, REX, USDC, 1_000 * E18, 100 * E6, log=0),  # 0.10
            swap(5, REX, USDC, 3_000 * E18, 360 * E6, log=1),  # 0.12
        ],
        REX,
        USDC,
        DECIMALS,
    )
    assert len(points) == 1
    assert points[0].usd == Decimal(460) / Decimal(4_000) and points[0].swaps == 2


def test_a_bridge_token_is_priced_by_its_last_dollar_swap() -> None:
    points = executed_prices(
        [
            swap(1, REX, WETH, 30_000 * E18, 1 * E18),  # WETH not priced yet: skipped
            swap(2, WETH, USDC, 1 * E18, 3_000 * E6),  # WETH = 3000
            swap(3, REX, WETH, 30_000 * E18, 1 * E18),  # REX = 3000 / 30000 = 0.1
            swap(4, USDC, WETH, 3_300 * E6, 1 * E18),  # WETH = 3300
            swap(5, WETH, REX, 1 * E18, 30_000 * E18),  # REX = 0.11
        ],
        REX,
        USDC,
        DECIMALS,
    )
    assert [(p.block, p.usd) for p in points] == [(3, Decimal("0.1")), (5, Decimal("0.11"))]


def test_unknown_tokens_empty_amounts_and_unpriced_quotes_are_skipped() -> None:
    points = executed_prices(
        [
            swap(1, REX, ODD, E18, E18),  # ODD never trades against the dollar
            swap(2, REX, "0x" + "99" * 20, E18, E18),  # no decimals known
            swap(3, REX, USDC, 0, 5),
            swap(4, WETH, USDC, E18, 3_000 * E6),  # not REX
        ],
        REX,
        USDC,
        DECIMALS,
    )
    assert points == ()


def test_addresses_match_in_any_case() -> None:
    mixed = swap(1, REX.upper().replace("0X", "0x"), USDC, E18, E6 // 10)
    assert executed_prices([mixed], REX, USDC, DECIMALS)[0].usd == Decimal("0.1")


@pytest.fixture
def index(tmp_path: Path) -> Path:
    """A hand-written index: REX/USDC swaps 40, 20 and 1 day before NOW, one WETH swap."""
    path = tmp_path / "index.duckdb"
    now = T0
    history = [  # (block, days ago, sell, buy, in, out)
        (10, 40, REX, USDC, 1_000 * E18, 80 * E6),
        (20, 20, REX, USDC, 1_000 * E18, 90 * E6),
        (30, 1, USDC, REX, 110 * E6, 1_000 * E18),
        (31, 1, WETH, USDC, E18, 3_000 * E6),
    ]
    with IndexStore(path) as store, store.write() as w:
        for address, symbol in ((REX, "REX"), (USDC, "USDC"), (WETH, "WETH")):
            w.insert(
                "tokens", [{"address": address, "symbol": symbol, "decimals": DECIMALS[address]}]
            )
        for block, ago, sell, buy, amount_in, amount_out in history:
            stamp = now - ago * DAY_S
            time = dt.datetime.fromtimestamp(stamp, dt.UTC).replace(tzinfo=None)
            w.insert("blocks", [{"number": block, "timestamp": stamp, "time": time}])
            w.insert(
                "swaps",
                [
                    {
                        "block": block, "tx_hash": f"0x{block:064x}", "log_index": 0,
                        "pool": "0x" + "55" * 20, "venue": "unidev", "kind": "v2",
                        "sender": sell, "recipient": buy, "token_in": sell,
                        "token_in_symbol": "?", "token_out": buy, "token_out_symbol": "?",
                        "amount_in": amount_in, "amount_out": amount_out,
                    }
                ],
            )  # fmt: skip
    return path


def test_the_index_window_holds_only_the_last_days(index: Path) -> None:
    month = read_price_history(index, "rex", 30, T0)
    assert month.symbol == "REX" and month.days == 30 and month.until == T0
    assert [p.usd for p in month.points] == [Decimal("0.09"), Decimal("0.11")]
    year = read_price_history(index, "$REX", 365, T0)
    assert [p.usd for p in year.points] == [Decimal("0.08"), Decimal("0.09"), Decimal("0.11")]
    eth = read_price_history(index, "ETH", 7, T0)
    assert eth.symbol == "WETH" and [p.usd for p in eth.points] == [Decimal(3000)]


def test_no_history_is_said_not_invented(index: Path) -> None:
    with pytest.raises(NoChartData, match=r"no REX swaps priced in USDC .* last 2 days"):
        read_price_history(index, "REX", 2, T0 + 3 * DAY_S)


@pytest.mark.parametrize(
    ("symbol", "needle"), [("DOGE", "no token 'DOGE'.*known: REX, USDC, WETH"), ("USDC", "1")]
)
def test_unknown_tokens_and_the_dollar_itself_are_usage_errors(
    index: Path, symbol: str, needle: str
) -> None:
    with pytest.raises(UsageError, match=needle):
        read_price_history(index, symbol, 30, T0)


def test_a_missing_index_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="rexos index"):
        read_price_history(tmp_path / "none.duckdb", "REX", 30, T0)
