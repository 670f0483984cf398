"""FIFO cost basis and profit by hand and against an independent replay; price changes from
a recorded price history (the SQLite store); the portfolio totals."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rexos.lense.model import Asset, CheckedPrice, Position, PriceQuote
from rexos.lense.perf_fifo import Movement, fifo
from rexos.lense.performance import performance, portfolio, price_change
from rexos.lense.price_history import LatestOf, PricePoint, PricePoints, PriceStore

WETH = Asset(1, "0x" + "11" * 20, "WETH", "Wrapped Ether", 18)
LINK = Asset(1, "0x" + "44" * 20, "LINK", "Chainlink", 18)
E18 = 10**18
NOW = 1_800_000_000
DAY = 86_400


def move(direction: str, amount: int, usd: str | None, block: int) -> Movement:
    value = None if usd is None else Decimal(usd)
    return Movement(WETH.key, direction, amount, block, block * 12, value, f"m{block}")  # type: ignore[arg-type]


def checked(key: str, usd: str, flag: str = "ok") -> CheckedPrice:
    quote = PriceQuote("fixed", Decimal(usd), "now")
    return CheckedPrice(key, (quote,), Decimal(usd), None, flag, False)  # type: ignore[arg-type]


def test_fifo_by_hand() -> None:
    # buy 2 at $1,000 each, buy 1 at $1,600; sell 2.5 for $5,000; transfer 0.25 in, unpriced
    moves = [move("in", 2 * E18, "2000", 1), move("in", E18, "1600", 2),
             move("out", 5 * E18 // 2, "5000", 3)]  # fmt: skip
    replay = fifo(moves)
    # the sale consumes both $1,000 units and half the $1,600 one: cost 2,000 + 800
    assert replay.realised == Fraction(5000 - 2800)
    assert replay.held == E18 // 2 and replay.cost_basis == 800
    later = fifo([*moves, move("in", E18 // 4, None, 4)])
    assert later.cost_basis is None and later.realised == 2200
    assert later.unknowns == ("no price for what came in: m4",)
    sold_blind = fifo([*moves, move("out", E18 // 4, None, 5)])
    assert sold_blind.realised is None and sold_blind.cost_basis == 400
    oversold = fifo([*moves, move("out", E18, "1000", 6)])
    assert oversold.unmatched == E18 // 2 and oversold.realised is None and oversold.held == 0


def reference(moves: list[tuple[bool, int, int]]) -> tuple[list[list[Fraction]], Fraction]:
    """An independent FIFO: a list of [units, unit cost] lots; sells pop from the front."""
    lots: list[list[Fraction]] = []
    realised = Fraction(0)
    for is_buy, amount, usd in moves:
        if is_buy:
            lots.append([Fraction(amount), Fraction(usd, amount)])
            continue
        left = Fraction(amount)
        realised += usd
        while left:
            units, unit_cost = lots[0]
            used = min(units, left)
            realised -= used * unit_cost
            left -= used
            if used == units:
                lots.pop(0)
            else:
                lots[0][0] = units - used
    return lots, realised


trades = st.lists(
    st.tuples(st.booleans(), st.integers(1, 10**24), st.integers(0, 10**9)), max_size=30
)


@given(trades)
def test_fifo_matches_a_list_of_lots(raw: list[tuple[bool, int, int]]) -> None:
    held, moves, plain = 0, [], []
    for block, (is_buy, amount, usd) in enumerate(raw):
        if not is_buy:
            amount = min(amount, held)
            if amount == 0:
                continue
        held += amount if is_buy else -amount
        plain.append((is_buy, amount, usd))
        moves.append(move("in" if is_buy else "out", amount, str(usd), block))
    lots, realised = reference(plain)
    replay = fifo(reversed(moves))  # order comes from the blocks, not the list
    assert replay.realised == realised and replay.held == held == sum(u for u, _ in lots)
    assert replay.cost_basis == sum((u * c for u, c in lots), Fraction(0))
    assert replay.unmatched == 0


def test_changes_come_from_the_price_store(tmp_path: Path) -> None:
    with PriceStore(tmp_path / "prices.sqlite") as store:
        assert store.record({WETH.key: checked(WETH.key, "2000")}, NOW - DAY) == 1
        store.record({WETH.key: checked(WETH.key, "1600")}, NOW - 7 * DAY - 3600)
        assert store.record({WETH.key: checked(WETH.key, "9", "disputed")}, NOW - DAY + 1) == 0
        got = price_change(store, WETH.key, Decimal(2400), NOW)
        assert got == {"24h": Decimal("20.00"), "7d": Decimal("50.00"), "30d": None}
        point = store.price_at(WETH.key, NOW - DAY, max_age_s=0)
        assert point is not None and "1 sources, ok" in point.source
        assert store.price_at(WETH.key, NOW - DAY - 1, max_age_s=3600) is None  # too old
    with PriceStore(tmp_path / "prices.sqlite") as again:  # it persists
        assert again.price_at(WETH.key, NOW, max_age_s=DAY) is not None


def test_performance_and_portfolio_by_hand() -> None:
    held = [Position(WETH, E18 // 2, "balance", "test"), Position(LINK, 10 * E18, "balance", "t"),
            Position(LINK, E18, "stake", "t")]  # fmt: skip
    history = {WETH.key: [move("in", 2 * E18, "2000", 1), move("in", E18, "1600", 2),
                          move("out", 5 * E18 // 2, "5000", 3)],
               "1:gone": [replace(move("in", 7, "100", 1), asset_key="1:gone"),
                          replace(move("out", 7, "150", 2), asset_key="1:gone")]}  # fmt: skip
    prices = {WETH.key: checked(WETH.key, "2400"), LINK.key: checked(LINK.key, "15", "disputed")}
    past = PricePoints([PricePoint(WETH.key, NOW - DAY, Decimal(2000), "p"),
                        PricePoint(LINK.key, NOW - DAY, Decimal(10), "p")])  # fmt: skip
    got = performance("0xowner", held, history, prices, past, now=NOW)
    weth, link = got[WETH.key], got[LINK.key]
    assert weth.cost_basis_usd == 800 and weth.realised_usd == 2200
    assert weth.unrealised_usd == Decimal(1200 - 800)  # half a WETH at $2,400
    assert weth.change_pct == {"24h": Decimal("20.00"), "7d": None, "30d": None}
    assert link.cost_basis_usd is None and link.unrealised_usd is None
    assert "accounts for 0 of the 10000000000000000000" in link.source
    assert "disputed" in link.source
    gone = got["1:gone"]  # sold out: only its realised profit is left to tell
    assert gone.realised_usd == 50 and gone.cost_basis_usd == 0 and gone.unrealised_usd == 0
    assert "nothing held now" in gone.source
    total = portfolio(held, got, prices, past, now=NOW)
    assert total.value_usd == 1200  # LINK is disputed: left out
    assert total.cost_basis_usd == 800 and total.unrealised_usd == 400
    assert total.realised_usd == 2200 + 50
    assert total.change_pct["24h"] == Decimal("20.00") and total.change_pct["7d"] is None
    assert "1 disputed or unpriced left out" in total.source


def test_a_movement_moves_something() -> None:
    with pytest.raises(ValueError, match="positive amount"):
        move("in", 0, "1", 1)


def test_latest_of_two_histories_takes_the_most_recent(tmp_path: Path) -> None:
    swaps = PricePoints([PricePoint(WETH.key, NOW - 600, Decimal(2000), "swap")])
    with PriceStore(tmp_path / "p.sqlite") as store:
        store.record({WETH.key: checked(WETH.key, "2100")}, NOW - 1200)
        both = LatestOf(store, swaps)
        point = both.price_at(WETH.key, NOW, max_age_s=3600)
        assert point is not None and point.usd == 2000 and point.source == "swap"
        older = both.price_at(WETH.key, NOW - 900, max_age_s=3600)
        assert older is not None and older.usd == 2100
        assert both.price_at(LINK.key, NOW, max_age_s=3600) is None


def test_a_source_names_three_unknowns_and_counts_the_rest() -> None:
    moves = [move("in", E18, None, block) for block in range(5)]
    got = performance("0xowner", [Position(WETH, 5 * E18, "balance", "t")], {WETH.key: moves},
                      {WETH.key: checked(WETH.key, "2000")}, PricePoints([]), now=NOW)  # fmt: skip
    source = got[WETH.key].source
    assert source.count("no price for what came in") == 3 and "and 2 more unknowns" in source
    assert got[WETH.key].cost_basis_usd is None and got[WETH.key].realised_usd == 0
