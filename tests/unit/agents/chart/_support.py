"""Fixed data shared by the Chart agent's unit tests."""

from __future__ import annotations

from decimal import Decimal

from rexos.agents.chart import DOLLAR, Holding, Portfolio, PricePoint
from rexos.agents.chart.history import DAY_S

ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
NOW = 1_735_689_600  # 2025-01-01T00:00:00Z
REX_POINTS = tuple(
    PricePoint(
        block=100 + n, timestamp=NOW - (9 - n) * DAY_S, usd=Decimal("0.10") + n * Decimal("0.001")
    )
    for n in range(10)
)
"""Ten daily REX prices ending at NOW: 0.100, 0.101, ..., 0.109."""

PORTFOLIO = Portfolio(
    ALICE,
    (
        Holding("ETH", 2 * 10**18, 18, Decimal(3000)),
        Holding("REX", 1_000 * 10**18, 18, Decimal("0.1")),
        Holding(DOLLAR, 250 * 10**6, 6, Decimal(1)),
        Holding("WBTC", 0, 8, Decimal(60000)),
        Holding("ODD", 5, 0, None),
    ),
)
"""$6000 of ETH, $100 of REX, $250 of USDC; no WBTC; some ODD without a price."""
