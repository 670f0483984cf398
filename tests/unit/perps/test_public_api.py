from __future__ import annotations

import rexos.perps as perps
from rexos.errors import PerpsError, RexosError


def test_every_exported_name_exists_and_is_listed_once() -> None:
    assert len(perps.__all__) == len(set(perps.__all__))
    for name in perps.__all__:
        assert hasattr(perps, name), name
    assert set(perps.VENUES) == {"binance", "bybit", "okx", "hyperliquid", "dydx"}


def test_perps_error_is_the_shared_one() -> None:
    assert perps.PerpsError is PerpsError
    assert issubclass(perps.MarketNotListed, PerpsError)
    assert issubclass(PerpsError, RexosError)


def test_live_sources_by_name() -> None:
    names = [s.name for s in perps.live_sources(["okx", "dydx", "okx"])]
    assert names == ["okx", "dydx"]
