from __future__ import annotations

import rexos.perps as perps
from rexos.errors import PerpsError, RexosError


def test_the_built_in_venues() -> None:
    assert set(perps.VENUES) == {"binance", "bybit", "okx", "hyperliquid", "dydx"}


def test_perps_error_is_the_shared_one() -> None:
    assert perps.PerpsError is PerpsError
    assert issubclass(perps.MarketNotListed, PerpsError)
    assert issubclass(PerpsError, RexosError)


def test_live_sources_by_name() -> None:
    names = [s.name for s in perps.live_sources(["okx", "dydx", "okx"])]
    assert names == ["okx", "dydx"]
