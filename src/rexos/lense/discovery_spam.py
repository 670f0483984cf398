"""The facts the spam rules read, gathered from one chain's discovery.

:func:`liquid_tokens` says which tokens a pool pairs with a priced token (the deployment's
own), :func:`unsolicited` which held tokens only ever arrived (never sent, approved or
bought from a pool), and :func:`judge` turns those, the metadata and the senders' reach
into one :class:`~rexos.lense.model.SpamVerdict` per token (:func:`rexos.lense.spam.score_token`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from rexos.dex.pool import Pool
from rexos.dex.stable import StablePool
from rexos.dex.v2 import V2Pool
from rexos.dex.v3 import V3Pool
from rexos.lense.discovery_history import History
from rexos.lense.discovery_reads import TokenMeta
from rexos.lense.discovery_source import native_symbol
from rexos.lense.model import NATIVE, Asset, SpamVerdict
from rexos.lense.spam import AIRDROP_FANOUT, KnownTokens, TokenFacts, score_token

__all__ = ["judge", "liquid_tokens", "unsolicited"]


def liquid_tokens(pools: Collection[Pool], priced: Collection[str]) -> frozenset[str]:
    """Tokens that some pool pairs with a priced token holding a non-zero reserve."""
    found: set[str] = set()
    for pool in pools:
        depth = _depths(pool)
        deep = {token for token, amount in depth.items() if token in priced and amount > 0}
        found |= {token for token in depth if deep - {token}}
    return frozenset(found)


def _depths(pool: Pool) -> dict[str, int]:
    """Each token of ``pool`` and how much of it the pool holds (V3: its liquidity)."""
    if isinstance(pool, V2Pool):
        return {pool.token0: pool.reserve0, pool.token1: pool.reserve1}
    if isinstance(pool, StablePool):
        return dict(zip(pool.tokens, pool.balances, strict=True))
    if isinstance(pool, V3Pool):
        return {pool.token0: pool.liquidity, pool.token1: pool.liquidity}
    return {}


def unsolicited(
    tokens: Collection[str], trail: History, pools: Collection[str]
) -> dict[str, set[tuple[str, int]]]:
    """The receipts of each of ``tokens`` the wallet received but never sent, approved or
    bought (received from a pool)."""
    found: dict[str, set[tuple[str, int]]] = {}
    for token in tokens:
        steps = trail.trails.get(token)
        if steps is None or not steps.received or steps.sent or steps.approved:
            continue
        if any(sender in pools for sender, _ in steps.received):
            continue
        found[token] = steps.received
    return found


def judge(
    chain_id: int,
    strangers: Mapping[str, TokenMeta],
    known: Mapping[str, Asset],
    pools: Collection[Pool] | None,
    trail: History,
    reach: Mapping[str, int],
) -> dict[str, SpamVerdict]:
    """A verdict for each token of ``strangers`` (held, not the deployment's), against the
    ``known`` real tokens; ``pools``: the chain's venues' pools (``None``: none known);
    ``reach``: per :func:`unsolicited` token, the most recipients one of its senders reached
    in a block it arrived in (missing: not read)."""
    native = (NATIVE, native_symbol(chain_id), native_symbol(chain_id))
    real = KnownTokens.of([native, *((a.token, a.symbol, a.name) for a in known.values())])
    pool_ids = {p.id for p in pools or ()}
    solicited = set(strangers) - set(unsolicited(strangers, trail, pool_ids))
    liquid = None if pools is None else liquid_tokens(pools, set(known))
    verdicts: dict[str, SpamVerdict] = {}
    for token, meta in strangers.items():
        facts = TokenFacts(
            token=token,
            symbol=meta.symbol,
            name=meta.name,
            liquid=None if liquid is None else token in liquid,
            airdropped=_airdropped(token, trail, solicited, reach),
            problems=meta.problems,
        )
        verdicts[token] = score_token(facts, real)
    return verdicts


def _airdropped(
    token: str, trail: History, solicited: Collection[str], reach: Mapping[str, int]
) -> bool | None:
    steps = trail.trails.get(token)
    if steps is None or not steps.received:
        return None
    if token in solicited:
        return False
    return reach[token] >= AIRDROP_FANOUT if token in reach else None
