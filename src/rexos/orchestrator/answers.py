"""Reads for the intents added with the understanding pipeline: points, performance and
perp-venue recommendations. Each answer says where its numbers come from.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from web3 import Web3

from rexos.agents.chart.history import read_price_history
from rexos.agents.wallet import Holding, dex_prices, holdings
from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as
from rexos.chainindex import run_query
from rexos.economy.onchain import Economy
from rexos.errors import RexosError, UsageError
from rexos.types import Address, display_units

__all__ = ["REFERENCE_NOTIONAL_USD", "performance", "perp_venues", "points"]

REFERENCE_NOTIONAL_USD = Decimal(10_000)
"""The size a perp comparison uses when the request names none (said in the answer)."""
_DAY = 86_400


def points(web3: Web3, manifest: Manifest, owner: Address) -> dict[str, Any]:
    """The owner's staking position: sREX, claimable rewards, AI points, the deduction now."""
    p = Economy(web3, manifest).position(owner)
    return {
        "owner": owner,
        "staked_srex": display_units(p.staked),
        "rewards_rex": display_units(p.earned),
        "ai_points": display_units(p.points),
        "holding_days": f"{p.holding_age / _DAY:.2f}",
        "unstake_deduction_pct": f"{p.deduction_bps / 100:g}",
        "units": {"staked": str(p.staked), "rewards": str(p.earned), "points": str(p.points)},
        "source": "the StakedRex contract (accountOf, earned, points, deductionRate)",
    }


def _block_at(web3: Web3, when: int, head: int) -> int:
    """The first block at or after Unix time ``when`` (the head if none)."""
    low, high = 0, head
    with reverts_as("find the block at the period's start"):
        while low < high:
            mid = (low + high) // 2
            if int(web3.eth.get_block(mid)["timestamp"]) < when:
                low = mid + 1
            else:
                high = mid
    return low


def _usd_then(index: Path, symbol: str, when: int) -> Decimal | None:
    """The last executed USD price of ``symbol`` at or before ``when``, from the index."""
    try:
        history = read_price_history(index, symbol, 3650, when)
    except RexosError:
        return None
    return history.points[-1].usd if history.points else None


def _flows(index: Path, owner: Address, since_block: int) -> dict[str, int]:
    """Net units of each token moved into the owner's wallet since ``since_block``."""
    if not index.is_file():
        return {}
    who = owner.lower()
    sql = (
        "SELECT token_symbol, SUM(CASE WHEN lower(to_address) = '" + who + "' THEN amount "
        "ELSE -amount END) FROM transfers WHERE block >= " + str(int(since_block)) + " AND "
        "(lower(to_address) = '" + who + "' OR lower(from_address) = '" + who + "') "
        "GROUP BY token_symbol"
    )
    return {str(row[0]): int(str(row[1])) for row in run_query(index, sql).rows}


def performance(
    web3: Web3, manifest: Manifest, owner: Address, index: Path, days: int | None
) -> dict[str, Any]:
    """How the owner's holdings did over ``days`` (None: since the first indexed block).

    Balances are read from the chain at both ends; today's prices come from the
    deployment's pools, the period start's from the index's executed swaps (a token with
    no swap by then is valued at today's price, and the answer says so). Transfers in and
    out during the period are reported, so a deposit is not mistaken for a gain.
    """
    head = int(web3.eth.block_number)
    now = int(web3.eth.get_block(head)["timestamp"])
    if days is None:
        first = (
            run_query(index, "SELECT min(timestamp) FROM blocks").rows if index.is_file() else []
        )
        if not first or first[0][0] is None:
            raise UsageError("nothing is indexed yet: ask for a period ('this week')")
        since = int(str(first[0][0]))
    else:
        since = now - days * _DAY
    start = _block_at(web3, since, head)
    clipped = start < manifest.block  # the period began before the deployment existed
    if clipped:
        start = manifest.block
        since = int(web3.eth.get_block(start)["timestamp"])
    now_rows = holdings(web3, manifest, owner, dex_prices(web3, manifest), block=head)
    today = {r.token.symbol: r.usd_price for r in now_rows}
    assumed: list[str] = []

    def price_then(info: Any) -> Decimal | None:
        found = _usd_then(index, info.symbol, since) if index.is_file() else None
        if found is None and today.get(info.symbol) is not None:
            assumed.append(info.symbol)
            return today[info.symbol]
        return found

    then_rows = holdings(web3, manifest, owner, price_then, block=start)
    value_now = _total(now_rows)
    value_then = _total(then_rows)
    flows = _flows(index, owner, start)
    by_symbol = {r.token.symbol: r for r in now_rows}
    flows_usd = sum(
        (
            Decimal(units).scaleb(-by_symbol[s].token.decimals) * (by_symbol[s].usd_price or 0)
            for s, units in flows.items()
            if s in by_symbol
        ),
        Decimal(0),
    )
    # shown to the cent, and the shown figures add up: each is rounded once, the changes are
    # worked from the rounded ones (rounding the change itself could differ by a cent)
    cent = Decimal("0.01")
    value_then, value_now = value_then.quantize(cent), value_now.quantize(cent)
    flows_usd = flows_usd.quantize(cent)
    change = value_now - value_then
    when = dt.datetime.fromtimestamp(since, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return {
        "owner": owner,
        "days": days,
        "since": when,
        "blocks": [start, head],
        "value_then_usd": f"{value_then:.2f}",
        "value_now_usd": f"{value_now:.2f}",
        "change_usd": f"{change:.2f}",
        "change_pct": f"{(change / value_then * 100):.2f}" if value_then else None,
        "net_transfers_in_usd": f"{flows_usd:.2f}",
        "change_excluding_transfers_usd": f"{change - flows_usd:.2f}",
        "valued_at_todays_price": sorted(set(assumed)),
        "clipped_to_deployment": clipped,
        "source": "balances read from the chain at both blocks; prices now from the "
        "deployment's pools, then from the index's executed swaps",
    }


def _total(rows: list[Holding]) -> Decimal:
    return sum((r.usd for r in rows if r.usd is not None), Decimal(0))


def perp_venues(args: dict[str, Any]) -> dict[str, Any]:
    """A venue comparison for the market (both sides when none was named), at the size the
    request gave or at :data:`REFERENCE_NOTIONAL_USD` (said in the answer)."""
    from rexos.perps import PerpRequest, compare, live_sources

    market, side, size = str(args.get("market")), args.get("side"), args.get("size")
    sides = [side] if side in ("long", "short") else ["long", "short"]
    notional: Decimal | None = REFERENCE_NOTIONAL_USD
    base: Decimal | None = None
    if isinstance(size, dict):
        value = Decimal(str(size.get("value")))
        notional, base = (value, None) if size.get("kind") == "usd" else (None, value)
    results = []
    for s in sides:
        request = PerpRequest(market, s, size=base, notional_usd=notional)  # type: ignore[arg-type]
        results.append({"side": s, "comparison": compare(request, live_sources()).to_json()})
    return {
        "market": market,
        "sides": results,
        "size": "as asked" if isinstance(size, dict) else f"reference ${REFERENCE_NOTIONAL_USD:,}",
        "source": "the venues' public market data (order books, fees, funding)",
    }
