"""The shared types of Lense: what discovery finds, what prices say, how a holding performed.

Discovery (:mod:`rexos.lense.discovery`) produces a :class:`Discovery`; pricing
(:mod:`rexos.lense.prices`) turns each asset into a :class:`CheckedPrice`; performance
(:mod:`rexos.lense.performance`) into an :class:`AssetPerformance`; the report
(:mod:`rexos.lense.facts`) turns all of them into facts. Amounts are integers in base units,
prices and values :class:`~decimal.Decimal` USD; nothing here is a float.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

__all__ = [
    "NATIVE",
    "Asset",
    "AssetPerformance",
    "CheckedPrice",
    "Discovery",
    "Position",
    "PositionKind",
    "PriceFlag",
    "PriceQuote",
    "SpamVerdict",
]

NATIVE = "native"
"""The ``Asset.token`` of a chain's native coin (ETH, BNB)."""

PositionKind = Literal["balance", "lp", "stake", "rewards", "vesting", "points"]
"""Where a position sits: a plain balance, a liquidity position, staked sREX, unclaimed
rewards, unvested tokens, or points (which have no price)."""

PriceFlag = Literal["ok", "diverging", "disputed", "unpriced"]
"""``diverging``: the sources differ by more than 2 % (0.5 % for stablecoins); ``disputed``:
by more than 10 %, so the asset is left out of the headline net worth; ``unpriced``: no
source prices it."""


@dataclass(frozen=True, slots=True)
class Asset:
    """One token on one chain: ``token`` is its checksummed address or :data:`NATIVE`."""

    chain_id: int
    token: str
    symbol: str
    name: str
    decimals: int

    @property
    def key(self) -> str:
        """``"<chain_id>:<token>"``, unique per asset and stable across reports."""
        return f"{self.chain_id}:{self.token}"


@dataclass(frozen=True, slots=True)
class SpamVerdict:
    """The stated rules that fired for a token (empty: none). ``spam`` hides the asset from
    totals; it is still listed, with these rules shown."""

    spam: bool
    rules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Position:
    """``amount`` base units of ``asset`` held as ``kind``.

    ``venue`` names where a non-balance position sits (a pool address, ``"StakedRex"``,
    ``"RexVesting"``); ``underlying`` holds what an LP position or a stake is worth in its
    parts, in base units, when it can be read; ``source`` says where the number was read
    (``"multicall balanceOf at block 123 on chain 31337"``).
    """

    asset: Asset
    amount: int
    kind: PositionKind
    source: str
    venue: str | None = None
    underlying: tuple[tuple[Asset, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Discovery:
    """What an address holds on each chain it was looked up on, at one block per chain."""

    address: str
    positions: tuple[Position, ...]
    spam: dict[str, SpamVerdict]
    """Keyed by :attr:`Asset.key`; an asset missing here fired no rule."""
    blocks: dict[int, int]
    """Chain id → the block every read on that chain was made at."""
    rpc_requests: int
    found_in_history: frozenset[str] = field(default_factory=frozenset)
    """Keys of assets found only because the wallet's transfer history names them."""


@dataclass(frozen=True, slots=True)
class PriceQuote:
    """One source's USD price per whole token, and where and when it was read."""

    source: str
    usd: Decimal
    as_of: str
    """ISO 8601 UTC, or ``"block 123 on chain 31337"`` for a chain read."""


@dataclass(frozen=True, slots=True)
class CheckedPrice:
    """Every source's quote for one asset, their median and how far they disagree."""

    asset_key: str
    quotes: tuple[PriceQuote, ...]
    median: Decimal | None
    divergence_bps: Decimal | None
    """(max − min) / median in basis points; ``None`` with fewer than two quotes."""
    flag: PriceFlag
    stable: bool


@dataclass(frozen=True, slots=True)
class AssetPerformance:
    """FIFO cost basis and profit of one asset, and its price change over three windows."""

    asset_key: str
    cost_basis_usd: Decimal | None
    """What the units still held cost (FIFO); ``None`` when a lot's cost is unknown."""
    realised_usd: Decimal | None
    unrealised_usd: Decimal | None
    change_pct: dict[str, Decimal | None]
    """``"24h"``, ``"7d"``, ``"30d"`` → percentage change of the price; ``None`` when no
    price that old is recorded."""
    source: str
