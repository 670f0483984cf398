"""The compliance gate: one verdict per service entry, before any work is done.

Every entry — the Wallet agent's gateway for each transaction it plans, the CLI for each
command, the API and web pages for each request, MCP for each tool call — asks
:meth:`Gate.check` (or :meth:`Gate.require`, which raises) with the service it provides and
the addresses it involves. The gate screens the addresses against the sanctions lists, then
applies the jurisdiction policy to the user's established jurisdiction, and logs the decision.
The policy, declaration and lists are read afresh at every decision (lists are cached while
their file is unchanged), so an operator's edit applies at once; a policy or list that cannot
be used refuses everything checked, naming why (fails closed).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rexos.compliance.jurisdiction import Established, established
from rexos.compliance.log import LOG_FILE, DecisionLog, short_address
from rexos.compliance.policy import CompliancePolicy, JurisdictionRule, load_policy
from rexos.compliance.sanctions import (
    DEFAULT_LIST,
    SanctionsList,
    address_bytes,
    default_list_path,
    load_list,
)
from rexos.compliance.services import EntryKind, Service, service_of
from rexos.errors import ComplianceRefused, ConfigError

__all__ = ["Decision", "Gate", "Verdict"]

Verdict = Literal["allow", "refuse"]


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    rule: str
    """What decided: ``jurisdiction.CN``, ``jurisdiction.unknown``, ``sanctions.ofac-sdn``,
    ``policy`` (unusable), or ``none`` when no rule applies."""
    message: str
    """One line; for a refusal it names the rule."""
    service: Service | None

    @property
    def allowed(self) -> bool:
        return self.verdict == "allow"


class Gate:
    """The compliance gate of data directory ``home``."""

    def __init__(self, home: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.home = Path(home)
        self._clock = clock
        self.log = DecisionLog(self.home / LOG_FILE)
        self._lists: dict[tuple[str, int, int], SanctionsList] = {}

    def policy(self) -> CompliancePolicy:
        """The policy in force now (:class:`ConfigError` when the operator's file is bad)."""
        return load_policy(self.home)

    def jurisdiction(self) -> Established:
        """The user's jurisdiction as the policy establishes it now."""
        return established(self.policy(), self.home, int(self._clock()))

    def lists(self) -> list[SanctionsList]:
        """The sanctions lists the policy names, loaded (cached while unchanged)."""
        return [self._list(name) for name in self.policy().sanctions_lists]

    def screen(self, address: str) -> SanctionsList | None:
        """The first list naming ``address`` (any case), or ``None``."""
        key = address_bytes(address)
        return next((found for found in self.lists() if key in found), None)

    def check_entry(self, kind: EntryKind, name: str) -> Decision:
        """:meth:`check` for an entry of the table in :mod:`rexos.compliance.services`."""
        return self.check(service_of(kind, name), entry=f"{kind}:{name}")

    def require_entry(self, kind: EntryKind, name: str) -> Decision:
        """:meth:`check_entry`, raising :class:`ComplianceRefused` on a refusal."""
        return _raise_unless_allowed(self.check_entry(kind, name))

    def require(
        self,
        service: Service | None,
        *,
        addresses: Mapping[str, str] | None = None,
        entry: str = "",
    ) -> Decision:
        """:meth:`check`, raising :class:`ComplianceRefused` on a refusal."""
        return _raise_unless_allowed(self.check(service, addresses=addresses, entry=entry))

    def check(
        self,
        service: Service | None,
        *,
        addresses: Mapping[str, str] | None = None,
        entry: str = "",
    ) -> Decision:
        """The verdict on providing ``service`` with ``addresses`` (role → address, e.g.
        ``{"sender": …, "recipient": …}``), logged. ``service`` ``None``: an entry that does
        no regulated work; only its addresses (if any) are screened, and nothing is logged
        unless they are."""
        if service is None and not addresses:
            return Decision("allow", "none", "not a regulated service", None)
        now = self._clock()
        where = {"entry": entry, "service": service or "-"}
        try:
            decision, extra = self._decide(service, dict(addresses or {}), now)
        except ConfigError as exc:
            refusal = _refusal("policy", str(exc))
            decision, extra = Decision("refuse", "policy", refusal, service), {}
        self.log.append(now, **where, verdict=decision.verdict, rule=decision.rule, **extra)
        return decision

    def _decide(
        self, service: Service | None, addresses: dict[str, str], now: float
    ) -> tuple[Decision, dict[str, str]]:
        policy = self.policy()
        for role, address in addresses.items():
            key = address_bytes(address)
            for found in (self._list(name) for name in policy.sanctions_lists):
                if key in found:
                    rule = f"sanctions.{found.name}"
                    why = f"the {role} {address} is on the {found.label} sanctions list"
                    extra = {"role": role, "address": short_address(address), "list": found.label}
                    return Decision("refuse", rule, _refusal(rule, why), service), extra
        if service is None:
            return Decision("allow", "none", "no address is on a sanctions list", None), {}
        user = established(policy, self.home, int(now))
        if user.code is None:
            return _unknown(policy, service, user)
        for barring in policy.rules_for(user.code):
            if service in barring.barred:
                why = (
                    f"the {service} service is barred for users in {barring.code} "
                    f"({barring.name}) under {barring.basis}"
                )
                rule_id = barring.rule_id
                refusal = Decision("refuse", rule_id, _refusal(rule_id, why), service)
                return refusal, {"jurisdiction": user.code}
        return Decision("allow", "none", f"{service} is allowed in {user.code}", service), {}

    def _list(self, name: str) -> SanctionsList:
        path = default_list_path() if name == DEFAULT_LIST else self.home / Path(name).expanduser()
        try:
            info = path.stat()
        except OSError:
            return load_list(name, self.home)  # raises the one clear error
        key = (str(path), info.st_size, info.st_mtime_ns)
        if key not in self._lists:
            self._lists = {key: load_list(name, self.home)} | {
                k: v for k, v in self._lists.items() if k[0] != str(path)
            }
        return self._lists[key]


def _unknown(
    policy: CompliancePolicy, service: Service, user: Established
) -> tuple[Decision, dict[str, str]]:
    barring: list[JurisdictionRule] = policy.barring(service)
    if policy.unknown == "allow" or not barring:
        allowed = f"{service} is allowed (jurisdiction unknown)"
        return Decision("allow", "none", allowed, service), {}
    where = ", ".join(f"{r.code} ({r.name}) under {r.basis}" for r in barring)
    why = (
        f"the {service} service is barred in {where}, and your jurisdiction is not established "
        f"({user.how}); the operator's policy refuses such services until it is"
    )
    rule = "jurisdiction.unknown"
    return Decision("refuse", rule, _refusal(rule, why), service), {}


def _refusal(rule: str, why: str) -> str:
    return f"refused by compliance rule {rule}: {why}"


def _raise_unless_allowed(decision: Decision) -> Decision:
    if not decision.allowed:
        raise ComplianceRefused(decision.message, rule=decision.rule)
    return decision
