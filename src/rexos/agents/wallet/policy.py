"""The wallet policy: limits every transaction the Wallet agent signs must pass.

It lives in ``$REXOS_HOME/policy.yaml``, a file the user edits (``rexos policy init`` writes
the defaults with comments; ``rexos policy show`` prints what is in force). Absent keys take
the defaults below; unknown keys are an error, so a typo never silently loosens a limit.
Simulation before signing is not a setting: it is always on.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rexos.agents.wallet.classify import ACTION_KINDS
from rexos.errors import ConfigError

__all__ = ["DEFAULT_POLICY_YAML", "AllowLists", "Breaker", "Policy", "load_policy"]


class AllowLists(BaseModel):
    """Empty list: anything of that kind is allowed. Tokens by symbol or address."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    chains: tuple[int, ...] = ()
    tokens: tuple[str, ...] = ()
    contracts: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    """Action kinds the wallet may sign (``transfer``, ``swap``, ``stake``, ...)."""

    @field_validator("actions")
    @classmethod
    def _known_actions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - set(ACTION_KINDS))
        if unknown:
            raise ValueError(f"unknown action kinds {unknown}; known: {', '.join(ACTION_KINDS)}")
        return value


class Breaker(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    failures: int = Field(default=3, ge=1, description="Failures in a row that open it.")
    cooldown_minutes: int = Field(default=30, ge=1, description="How long it stays open.")


class Policy(BaseModel):
    """Limits in US dollars (Decimal), allow-lists, confirmation threshold, circuit breaker."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    per_tx_usd_cap: Decimal = Field(default=Decimal(1000), ge=0)
    daily_usd_cap: Decimal = Field(default=Decimal(5000), ge=0)
    confirm_above_usd: Decimal = Field(default=Decimal(0), ge=0)
    confirmation_ttl_s: int = Field(default=300, ge=10)
    allow: AllowLists = AllowLists()
    circuit_breaker: Breaker = Breaker()

    def allows_token(self, symbol: str, address: str) -> bool:
        wanted = {t.lower() for t in self.allow.tokens}
        return not wanted or symbol.lower() in wanted or address.lower() in wanted

    def allows_address(self, kind: str, address: str) -> bool:
        listed = self.allow.recipients if kind == "recipients" else self.allow.contracts
        return not listed or address.lower() in {a.lower() for a in listed}

    def allows_chain(self, chain_id: int) -> bool:
        return not self.allow.chains or chain_id in self.allow.chains

    def allows_action(self, kind: str) -> bool:
        return not self.allow.actions or kind in self.allow.actions

    def lists_contract(self, address: str) -> bool:
        """Whether ``address`` is named in ``allow.contracts`` (an empty list names nothing)."""
        return address.lower() in {a.lower() for a in self.allow.contracts}


DEFAULT_POLICY_YAML = """\
# RexOS wallet policy. Every transaction the Wallet agent signs is checked against it,
# after a mandatory simulation. Amounts are US dollars (DEX-implied prices on the devnet).
per_tx_usd_cap: "1000"        # one transaction may move at most this much
daily_usd_cap: "5000"         # rolling 24 hours, all transactions together
confirm_above_usd: "0"        # ask a human above this value (0: always ask)
confirmation_ttl_s: 300       # a confirmation expires after this many seconds
allow:                        # an empty list allows anything of that kind
  chains: []                  # e.g. [31337, 31338]
  tokens: []                  # symbols or addresses, e.g. [REX, USDC]
  contracts: []               # contracts a generic call may target
  recipients: []              # addresses transfers may go to
  actions: []                 # action kinds allowed, e.g. [transfer, swap, stake]
circuit_breaker:
  failures: 3                 # failed transactions in a row that stop all signing
  cooldown_minutes: 30        # for this long (or until `rexos policy reset-breaker`)
"""


class _StrictLoader(yaml.SafeLoader):  # type: ignore[misc]
    """YAML that refuses a key given twice (the last one would silently win)."""


def _no_duplicates(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            line = key_node.start_mark.line + 1
            raise ConfigError(f"key {key!r} appears twice (line {line}): keep one")
        seen.add(key)
    return dict(loader.construct_mapping(node, deep=True))


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def load_policy(path: Path) -> Policy:
    """The policy in ``path``, or the defaults when the file does not exist.

    :class:`ConfigError` (one line naming the file) when it cannot be read, is not valid YAML,
    repeats a key, or breaks a rule; the gateway then denies every transaction.
    """
    if not path.exists():
        return Policy()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the policy ({exc})") from None
    try:
        data: Any = yaml.load(text, Loader=_StrictLoader) or {}  # a SafeLoader subclass
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({_one_line(exc)})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the policy must be a mapping of settings")
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"{path}: {problems}") from None


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
