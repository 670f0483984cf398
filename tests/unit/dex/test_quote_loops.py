"""quote_swap's price impact on routes with arbitrage loops: the same steps at spot prices."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

from rexos.dex import V2Pool, find_route
from rexos.dex.execute import quote_swap, spot_output
from rexos.dex.router import Route
from rexos.errors import NoRoute

A, B, C, D = ("0x" + c * 40 for c in "abcd")


def _graph(rng: random.Random) -> list[V2Pool]:
    """Eight V2 pools over four tokens whose prices disagree by up to ±10 %."""
    pools = []
    for k in range(8):
        x, y = sorted(rng.sample([A, B, C, D], 2))
        reserve = 10 ** rng.randint(20, 23)
        pools.append(
            V2Pool(f"0x{k + 1:040x}", x, y, reserve, reserve * rng.randint(90, 110) // 100, 30)
        )
    return pools


def _loops(route: Route) -> bool:
    """A token is sold again after the route bought some of it."""
    bought: set[str] = set()
    for fill in route.fills:
        if fill.token_in in bought:
            return True
        bought.add(fill.token_out)
    return False


def test_the_size_effect_of_a_route_with_loops_is_never_negative() -> None:
    rng = random.Random(5)
    looped = 0
    for _ in range(40):
        pools = _graph(rng)
        try:
            route = find_route(pools, A, D, 10 ** rng.randint(18, 22))
        except NoRoute:
            continue
        quote = quote_swap(route, pools)
        # every step pays at most its spot rate, so the same steps at spot pay at least this
        assert quote.spot_out >= route.amount_out, route
        assert 0 <= quote.price_impact_bps < 10_000
        looped += _loops(route)
    assert looped >= 20, looped


def test_a_route_without_loops_is_the_same_split_at_spot_prices() -> None:
    one = V2Pool("0x" + "1" * 40, A, B, 10**21, 3 * 10**21, 30)
    two = V2Pool("0x" + "2" * 40, B, D, 5 * 10**21, 10**21, 25)
    route = find_route([one, two], A, D, 10**19)
    assert [f.pool for f in route.fills] == [one.id, two.id]
    spot = Fraction(10**19) * 3 * 9970 / 10000 * Fraction(1, 5) * 9975 / 10000
    assert spot_output(route, [one, two]) == int(spot)
    quote = quote_swap(route, [one, two])
    impact = (int(spot) - route.amount_out) * 10_000 / Fraction(int(spot))
    expected = Decimal(impact.numerator) / Decimal(impact.denominator)
    assert quote.price_impact_bps == expected.quantize(Decimal("0.01")) > 0
