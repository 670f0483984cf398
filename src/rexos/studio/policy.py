"""A spec's permissions and limits as the Wallet agent gateway's policy, never looser.

:func:`agent_policy` turns a spec into an :class:`AgentPolicy`:

- ``policy``, a :class:`~rexos.agents.wallet.Policy` for the gateway's
  :class:`~rexos.agents.wallet.PolicyEngine`, made from the user's own policy and narrowed to
  the spec: its allow-lists of actions, tokens, contracts, recipients and chains are the
  spec's, kept only where the user's policy allows them too, and its per-transaction and daily
  USD caps are the lesser of the user's and the spec's ``limits.max_spend_usd``. The gateway
  reads an empty allow-list as "anything", so a narrowing that leaves one empty is an error,
  never a silent widening. A read-only agent gets zero caps;
- ``caps``, the spec's per-token caps in base units (with the token's on-chain decimals), that
  :meth:`AgentPolicy.check` applies to each planned transaction: an amount above the
  per-action cap, or one that would bring the run's total above ``max_total``, is denied.
  Approvals count against the per-action cap only (they move nothing themselves).

A read-only agent's :meth:`~AgentPolicy.check` denies every transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from rexos.agents.wallet import Decision, PlannedTx, Policy
from rexos.agents.wallet.policy import AllowLists
from rexos.errors import InvalidAmount
from rexos.studio.errors import SpecError
from rexos.studio.spec import AgentSpec
from rexos.types import format_units, parse_units

__all__ = ["AgentPolicy", "SpendCap", "agent_policy"]

T = TypeVar("T", int, str)


@dataclass(frozen=True, slots=True)
class SpendCap:
    """What one token may move, in its base units."""

    symbol: str
    decimals: int
    per_action: int
    total: int


@dataclass(frozen=True, slots=True)
class AgentPolicy:
    """The gateway policy for one agent, and the token caps checked on each transaction."""

    agent: str
    policy: Policy
    caps: Mapping[str, SpendCap]
    """By upper-case symbol; empty for a read-only agent."""
    max_calls: int
    max_seconds: int
    max_spend_usd: Decimal
    """US dollars one run may move at most (zero for a read-only agent)."""

    def check(self, tx: PlannedTx, spent: Mapping[str, int]) -> Decision:
        """The verdict of the agent's own caps on ``tx``, given the base units of each token
        (upper-case symbol) its earlier transactions in this run moved."""
        if not self.caps:
            return Decision("deny", f"agent {self.agent} is read-only: it signs nothing")
        if not self.policy.allows_action(tx.kind):
            return Decision("deny", f"agent {self.agent} may not {tx.kind}")
        cap = self.caps.get(tx.token_symbol.upper())
        if cap is None:
            return Decision("deny", f"agent {self.agent} may not move {tx.token_symbol}")
        if tx.amount > cap.per_action:
            return Decision(
                "deny",
                f"{_show(tx.amount, cap)} is above agent {self.agent}'s per-action cap of "
                f"{_show(cap.per_action, cap)}",
            )
        if tx.kind != "approve":
            after = spent.get(cap.symbol, 0) + tx.amount
            if after > cap.total:
                return Decision(
                    "deny",
                    f"{_show(tx.amount, cap)} would bring agent {self.agent}'s total to "
                    f"{_show(after, cap)}, above its cap of {_show(cap.total, cap)}",
                )
        return Decision("allow", f"within agent {self.agent}'s permissions")


def _show(units: int, cap: SpendCap) -> str:
    return f"{format_units(units, cap.decimals)} {cap.symbol}"


def agent_policy(
    spec: AgentSpec,
    base: Policy,
    *,
    decimals: Mapping[str, int],
    contracts: Mapping[str, str],
) -> AgentPolicy:
    """``spec``'s permissions within the user's ``base`` policy.

    ``decimals``: each token's decimals by symbol (from the deployment); ``contracts``: the
    deployment manifest's addresses by name, for contracts the spec names. A token or contract
    that cannot be resolved is an error: nothing is guessed.
    """
    p, limits = spec.permissions, spec.limits
    if not p.moves_funds:
        closed = base.model_copy(update={"per_tx_usd_cap": Decimal(0), "daily_usd_cap": Decimal(0)})
        return AgentPolicy(spec.name, closed, {}, limits.max_calls, limits.max_seconds, Decimal(0))
    assert limits.max_spend_usd is not None  # a funds-moving spec has one (parse_spec)
    caps: dict[str, SpendCap] = {}
    for t in p.tokens:
        if not base.allows_token(t.symbol, ""):
            continue
        places = _decimals(decimals, t.symbol)
        try:
            per_action = parse_units(t.max_per_action, places)
            total = parse_units(t.max_total, places)
        except InvalidAmount as exc:
            raise SpecError(f"permissions.tokens {t.symbol}: {exc}") from None
        caps[t.symbol.upper()] = SpendCap(t.symbol.upper(), places, per_action, total)
    addresses = [_address(contracts, c) for c in p.contracts]
    allow = AllowLists(
        chains=_narrow("chains", p.chains, base.allow.chains, spec.name, may_widen=True),
        tokens=_nonempty("tokens", tuple(caps), spec.name),
        contracts=_narrow("contracts", tuple(addresses), base.allow.contracts, spec.name),
        recipients=_narrow("recipients", p.recipients, base.allow.recipients, spec.name,
                           may_widen=not set(p.actions) & {"transfer", "bridge"}),
        actions=_narrow("actions", p.actions, base.allow.actions, spec.name),
    )  # fmt: skip
    policy = base.model_copy(
        update={
            "per_tx_usd_cap": min(base.per_tx_usd_cap, limits.max_spend_usd),
            "daily_usd_cap": min(base.daily_usd_cap, limits.max_spend_usd),
            "allow": allow,
        }
    )
    return AgentPolicy(
        spec.name, policy, caps, limits.max_calls, limits.max_seconds, limits.max_spend_usd
    )


def _decimals(decimals: Mapping[str, int], symbol: str) -> int:
    for known, places in decimals.items():
        if known.upper() == symbol.upper():
            return places
    raise SpecError(f"permissions.tokens: {symbol} is not a token of this deployment")


def _address(contracts: Mapping[str, str], name: str) -> str:
    if name.startswith("0x"):
        return name
    if name not in contracts:
        raise SpecError(f"permissions.contracts: {name} is not in this deployment's manifest")
    return contracts[name]


def _narrow(
    kind: str,
    wanted: tuple[T, ...],
    allowed: tuple[T, ...],
    agent: str,
    *,
    may_widen: bool = False,
) -> tuple[T, ...]:
    """``wanted`` ∩ ``allowed`` (an empty ``allowed`` allows anything)."""
    if not wanted and may_widen:
        return allowed
    if allowed:
        keep = {str(a).lower() for a in allowed}
        wanted = tuple(w for w in wanted if str(w).lower() in keep)
    return _nonempty(kind, wanted, agent)


def _nonempty(kind: str, values: tuple[T, ...], agent: str) -> tuple[T, ...]:
    if not values:
        raise SpecError(
            f"agent {agent}: the wallet policy allows none of the {kind} it needs, so it "
            "cannot run (an empty allow-list would allow anything)"
        )
    return values
