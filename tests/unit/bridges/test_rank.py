from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from rexos.bridges import (
    DEFAULT_TRUST_PENALTY_BPS,
    BridgeQuote,
    parse_across,
    parse_bungee,
    parse_lifi,
    rank,
)
from rexos.errors import UsageError

from ._support import ACROSS_REQUEST, REQUEST, fixture_json

# A: 1,000.000000 out, $2 + $1 gas, 30 min, native (0 bps).
# B: 1,001.000000 out, $0.50 gas, 6 min, multisig (30 bps by default).
A = BridgeQuote(
    provider="alpha",
    route_name="canonical",
    from_chain=1,
    to_chain=10,
    token_in="0xa",
    amount_in=1_000_000_000,
    amount_out=1_000_000_000,
    out_decimals=6,
    fees_usd=Decimal(0),
    gas_source_usd=Decimal("2"),
    gas_dest_usd=Decimal("1"),
    duration_s=1800,
    trust="native",
)
B = replace(
    A,
    provider="beta",
    route_name="committee",
    amount_out=1_001_000_000,
    gas_source_usd=Decimal("0.5"),
    gas_dest_usd=Decimal(0),
    duration_s=360,
    trust="multisig",
)


def test_hand_computed_utilities_and_breakdown() -> None:
    best, second = rank([A, B], Decimal(1), value_of_time_usd_per_hour=Decimal(10))
    # B: 1001 - 0.5 - 0 - 10 * 0.1 - 1001 * 30 / 10000 = 996.497
    assert best.quote is B
    assert best.received_usd == Decimal("1001")
    assert best.expected_hours == Decimal("0.1")
    assert best.time_cost_usd == Decimal("1")
    assert best.trust_penalty_usd == Decimal("3.003")
    assert best.utility_usd == Decimal("996.497")
    # A: 1000 - 2 - 1 - 10 * 0.5 - 0 = 992
    assert second.quote is A
    assert (second.gas_source_usd, second.gas_dest_usd) == (Decimal(2), Decimal(1))
    assert second.time_cost_usd == Decimal("5")
    assert second.trust_penalty_usd == Decimal(0)
    assert second.utility_usd == Decimal("992")


def test_output_price_scales_received_value() -> None:
    (ranked,) = rank([A], Decimal("2.5"), value_of_time_usd_per_hour=Decimal(0))
    assert ranked.received_usd == Decimal("2500")
    assert ranked.utility_usd == Decimal("2497")


def test_heavier_trust_penalty_flips_the_order() -> None:
    # At 100 bps B pays 10.01: 1001 - 0.5 - 1 - 10.01 = 989.49 < 992.
    penalties = {"multisig": Decimal(100)}
    best, second = rank([A, B], Decimal(1), trust_penalty_bps=penalties)
    assert (best.quote, second.quote) == (A, B)
    assert best.utility_usd == Decimal("992")
    assert second.utility_usd == Decimal("989.49")


def test_trust_alone_decides_between_otherwise_equal_quotes() -> None:
    risky = replace(A, provider="omega", trust="unknown")
    safe = replace(A, provider="zeta", trust="optimistic")
    by_default = rank([risky, safe], Decimal(1))
    assert [r.quote.provider for r in by_default] == ["zeta", "omega"]
    # Without penalties the two tie and the name decides, whatever the input order.
    no_penalty = dict.fromkeys(DEFAULT_TRUST_PENALTY_BPS, Decimal(0))
    for quotes in ([risky, safe], [safe, risky]):
        ranked = rank(quotes, Decimal(1), trust_penalty_bps=no_penalty)
        assert [r.quote.provider for r in ranked] == ["omega", "zeta"]


def test_ties_break_on_duration_then_names_whatever_the_input_order() -> None:
    slow = replace(A, provider="a", duration_s=3600, gas_source_usd=Decimal(0))
    fast = replace(A, provider="b", duration_s=0, gas_source_usd=Decimal(10))
    # Both lose $10 besides gas_dest: equal utility, faster first.
    for quotes in ([slow, fast], [fast, slow]):
        ranked = rank(quotes, Decimal(1), value_of_time_usd_per_hour=Decimal(10))
        assert ranked[0].utility_usd == ranked[1].utility_usd
        assert [r.quote.provider for r in ranked] == ["b", "a"]


def test_ranks_the_lifi_and_bungee_fixtures() -> None:
    # Both hand-written fixtures answer the same transfer (1,000 USDC OP -> Arbitrum).
    quotes = parse_lifi(fixture_json("lifi_quote.json"), REQUEST) + parse_bungee(
        fixture_json("bungee_quote.json"), REQUEST
    )
    ranked = rank(quotes, Decimal(1), value_of_time_usd_per_hour=Decimal(36))
    assert [r.quote.route_name for r in ranked] == ["stargate", "hop", "cbridge"]
    # stargate: 999.4 - 0.57 - 36 * 90 / 3600 - 999.4 * 10 / 10000
    assert ranked[0].utility_usd == Decimal("996.9306")
    # hop: 998.8 - 0.35 - 36 * 600 / 3600 - 998.8 * 10 / 10000
    assert ranked[1].utility_usd == Decimal("991.4512")


def test_ranks_the_recorded_across_answer() -> None:
    # It answers another transfer (100 USDC Ethereum -> Arbitrum), so it is ranked
    # on its own: 99.933648 - 0 - 36 * 2 / 3600 - 99.933648 * 5 / 10000
    (quote,) = parse_across(fixture_json("across_suggested_fees.json"), ACROSS_REQUEST)
    (ranked,) = rank([quote], Decimal(1), value_of_time_usd_per_hour=Decimal(36))
    assert ranked.received_usd == Decimal("99.933648")
    assert ranked.time_cost_usd == Decimal("0.02")
    assert ranked.trust_penalty_usd == Decimal("0.049966824")
    assert ranked.utility_usd == Decimal("99.863681176")


def test_empty_input_ranks_to_nothing() -> None:
    assert rank([], Decimal(1)) == []


@pytest.mark.parametrize("price", [Decimal(0), Decimal(-1)])
def test_non_positive_price_is_a_usage_error(price: Decimal) -> None:
    with pytest.raises(UsageError, match="out_price_usd"):
        rank([A], price)


def test_negative_penalty_or_time_value_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        rank([A], Decimal(1), trust_penalty_bps={"native": Decimal(-1)})
    with pytest.raises(UsageError):
        rank([A], Decimal(1), value_of_time_usd_per_hour=Decimal(-1))
