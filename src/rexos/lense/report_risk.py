"""Risk facts: concentration, disputed prices and unlimited approvals to unknown spenders.

Read from the facts already collected (holdings and prices) and from the allowances read on
chain. ``risk.level`` is ``high`` when one holding is over 50 % of net worth or an unlimited
approval to an unknown spender is open, ``medium`` when one is over 25 % or a price is
disputed, ``low`` otherwise; its source names the rule that decided it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rexos.lense.facts import UNLIMITED, Fact, FactSet

__all__ = ["HIGH_SHARE_PCT", "MEDIUM_SHARE_PCT", "Approval", "add_risk_facts"]

HIGH_SHARE_PCT = Decimal(50)
MEDIUM_SHARE_PCT = Decimal(25)


@dataclass(frozen=True, slots=True)
class Approval:
    """An allowance the wallet gave ``spender`` over a token (read at ``source``).

    ``known_spender``: the spender is one of the deployment's own contracts (router, venues).
    """

    asset_key: str
    symbol: str
    decimals: int
    spender: str
    allowance: int
    source: str
    known_spender: bool = False

    @property
    def unlimited(self) -> bool:
        """At or above ``2**255`` (the usual unlimited is ``2**256 - 1``)."""
        return self.allowance >= UNLIMITED


def _top_share(facts: FactSet) -> tuple[str | None, Decimal | None]:
    """The symbol fact and share of the largest holding: the largest share, and of holdings
    whose shares round alike, the one with the most exact USD value (as answers pick the
    biggest position), then the first by fact id."""
    best: tuple[str | None, Decimal | None] = (None, None)
    best_usd: Decimal | None = None
    for fact_id in facts.ids("holding."):
        share = facts.value(fact_id) if fact_id.endswith(".share_pct") else None
        if not isinstance(share, Decimal):
            continue
        usd = facts.value(fact_id.removesuffix(".share_pct") + ".usd")
        exact = (
            Decimal(usd) if isinstance(usd, Decimal | int) and not isinstance(usd, bool) else None
        )
        if best[1] is None or (share, exact or Decimal(0)) > (best[1], best_usd or Decimal(0)):
            best = (fact_id.removesuffix(".share_pct") + ".symbol", share)
            best_usd = exact
    return best


def _level(top: Decimal | None, disputed: int, risky_approvals: int) -> tuple[str, str]:
    if risky_approvals:
        return "high", "an unlimited approval to an unknown spender is open"
    if top is not None and top > HIGH_SHARE_PCT:
        return "high", "one holding is over half of net worth"
    if top is not None and top > MEDIUM_SHARE_PCT:
        return "medium", "one holding is over a quarter of net worth"
    if disputed:
        return "medium", "a price is disputed"
    return "low", "no concentration, disputed price or open unlimited approval"


def add_risk_facts(facts: FactSet, as_of: str, approvals: Sequence[Approval]) -> None:
    """Add the ``risk.*`` facts to ``facts`` (holdings and prices must already be there)."""
    symbol_id, top = _top_share(facts)
    facts.add(Fact("risk.concentration.top_share_pct", top, "largest holding.*.share_pct",
                   as_of, unit="pct", label="Largest holding's share"))  # fmt: skip
    symbol = facts.value(symbol_id) if symbol_id else None
    facts.add(Fact("risk.concentration.top_symbol", symbol, symbol_id or "no counted holding",
                   as_of, label="Largest holding"))  # fmt: skip
    disputed = sum(
        1 for i in facts.ids("holding.") if i.endswith(".counted") and facts.value(i) == "disputed"
    )
    facts.add(Fact("risk.disputed.count", disputed, "holding.*.counted", as_of,
                   label="Holdings with a disputed price"))  # fmt: skip
    risky = [a for a in approvals if a.unlimited and not a.known_spender]
    facts.add(Fact("risk.approvals.count", len(risky), "allowance reads", as_of,
                   label="Unlimited approvals to unknown spenders"))  # fmt: skip
    for approval in risky:
        base = f"risk.approvals.{approval.asset_key}.{approval.spender}"
        facts.add(Fact(
            base, approval.allowance, approval.source, as_of, unit=approval.symbol,
            decimals=approval.decimals, label=f"{approval.symbol} allowance to {approval.spender}",
        ))  # fmt: skip
        facts.add(Fact(f"{base}.symbol", approval.symbol, approval.source, as_of, label="Token"))
        facts.add(Fact(f"{base}.spender", approval.spender, approval.source, as_of,
                       label="Spender"))  # fmt: skip
    level, why = _level(top, disputed, len(risky))
    facts.add(Fact("risk.level", level, f"rule: {why}", as_of, label="Risk level"))
