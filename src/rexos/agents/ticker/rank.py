"""Ranking the tokens a mention may mean, with a reason a person can read.

Order: the preferred chain first (a devnet token before a listed one), then how strongly the
text matched (address > cashtag > exact symbol > name or alias > lower-case symbol >
misspelling), then how widely the token is listed, then Ethereum before other chains. A
mention resolves to the first candidate only when that choice is not a tie: on the preferred
chain nothing else ranks equal, or there is one candidate in all. Otherwise it stays a
question, with the candidates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rexos.agents.ticker.database import TickerDB
from rexos.agents.ticker.tokenlist import TokenInfo

__all__ = ["STRENGTH", "Candidate", "MatchKind", "rank", "resolve"]

MatchKind = Literal["address", "cashtag", "symbol", "name", "alias", "lowercase", "typo"]

STRENGTH: dict[MatchKind, float] = {
    "address": 1.0,
    "cashtag": 0.95,
    "symbol": 0.9,
    "name": 0.85,
    "alias": 0.85,
    "lowercase": 0.75,
    "typo": 0.6,
}
"""How strongly each kind of match says "this token"; the base of a mention's confidence."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A token a mention may mean, how it matched and why it ranks where it does."""

    token: TokenInfo
    kind: MatchKind
    reason: str
    key: tuple[int, int, float, int, int]

    def to_json(self) -> dict[str, object]:
        t = self.token
        return {
            "symbol": t.symbol,
            "name": t.name,
            "chain_id": t.chain_id,
            "address": t.address,
            "decimals": t.decimals,
            "reason": self.reason,
        }


def _reason(token: TokenInfo, kind: MatchKind, preferred: int, listed: int, note: str) -> str:
    parts = []
    if token.devnet:
        parts.append("devnet token")
    parts.append("same chain" if token.chain_id == preferred else f"chain {token.chain_id}")
    if listed > 1:
        parts.append(f"listed on {listed} chains")
    if kind in ("alias", "typo", "lowercase", "name") and note:
        parts.append(note)
    return "; ".join(parts)


def rank(
    db: TickerDB,
    matches: Iterable[tuple[TokenInfo, MatchKind, str]],
    preferred_chain: int,
) -> list[Candidate]:
    """Rank ``(token, kind, note)`` matches (one per token: its strongest) best first."""
    best: dict[tuple[int, str], tuple[TokenInfo, MatchKind, str]] = {}
    for token, kind, note in matches:
        slot = (token.chain_id, token.address)
        if slot not in best or STRENGTH[kind] > STRENGTH[best[slot][1]]:
            best[slot] = (token, kind, note)
    ranked = []
    for token, kind, note in best.values():
        listed = db.chains_listed(token)
        key = (
            int(token.chain_id == preferred_chain),
            int(token.devnet),
            STRENGTH[kind],
            listed,
            int(token.chain_id == 1),
        )
        reason = _reason(token, kind, preferred_chain, listed, note)
        ranked.append(Candidate(token, kind, reason, key))
    ranked.sort(key=lambda c: (c.key, -c.token.chain_id, c.token.address), reverse=True)
    return ranked


def resolve(candidates: list[Candidate], preferred_chain: int) -> Candidate | None:
    """The candidate a mention resolves to, or ``None`` when choosing would be a guess."""
    if not candidates:
        return None
    top = candidates[0]
    if top.token.chain_id == preferred_chain:
        tied = [c for c in candidates[1:] if c.key[:4] == top.key[:4]]
        return None if tied else top
    return top if len(candidates) == 1 else None
