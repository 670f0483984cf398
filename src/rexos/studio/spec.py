"""The agent spec ``rexos.agent/v1`` in its typed form: frozen dataclasses, and their data.

:mod:`rexos.studio.reading` builds an :class:`AgentSpec` from a document it has checked;
:meth:`AgentSpec.to_document` gives the data back with every default written and every
amount normalised, which is what the canonical form and the spec hash are computed from.
Amounts are :class:`~decimal.Decimal`, never floats.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

__all__ = [
    "API_VERSION",
    "AgentSpec",
    "Eval",
    "FewShot",
    "Limits",
    "Permissions",
    "TokenCap",
    "ToolPin",
    "Trigger",
]

API_VERSION = "rexos.agent/v1"


@dataclass(frozen=True, slots=True)
class ToolPin:
    name: str
    plugin: str
    plugin_version: str
    hash: str


@dataclass(frozen=True, slots=True)
class TokenCap:
    symbol: str
    max_per_action: Decimal
    max_total: Decimal


@dataclass(frozen=True, slots=True)
class Permissions:
    mode: Literal["read_only", "funds_moving"]
    actions: tuple[str, ...] = ()
    tokens: tuple[TokenCap, ...] = ()
    contracts: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    chains: tuple[int, ...] = ()

    @property
    def moves_funds(self) -> bool:
        return self.mode == "funds_moving"


@dataclass(frozen=True, slots=True)
class FewShot:
    user: str
    assistant: str


@dataclass(frozen=True, slots=True)
class Trigger:
    kind: Literal["chat", "schedule", "event"]
    message: str | None = None
    every: str | None = None
    cron: str | None = None
    contract: str | None = None
    event: str | None = None


@dataclass(frozen=True, slots=True)
class Limits:
    max_calls: int
    max_seconds: int
    max_spend_usd: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Eval:
    request: str
    expect_intent: str | None = None
    expect_output: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AgentSpec:
    """A checked ``rexos.agent/v1`` spec. :meth:`to_document` gives back its data."""

    name: str
    description: str
    version: str
    tools: tuple[ToolPin, ...]
    permissions: Permissions
    system_prompt: str
    examples: tuple[FewShot, ...]
    triggers: tuple[Trigger, ...]
    limits: Limits
    evals: tuple[Eval, ...]
    price_rex: Decimal

    @property
    def price_units(self) -> int:
        """The price per use in REX base units (18 decimals)."""
        _, digits, exponent = self.price_rex.as_tuple()
        assert isinstance(exponent, int)  # a finite amount (the schema's pattern)
        whole = int("".join(map(str, digits)))
        units: int = whole * 10 ** (exponent + 18)  # exact: at most 18 decimals
        return units

    def to_document(self) -> dict[str, Any]:
        """The spec as plain data, every default written and every amount normalised."""
        p = self.permissions
        permissions: dict[str, Any] = {"mode": p.mode}
        if p.moves_funds:
            permissions |= {
                "actions": list(p.actions),
                "tokens": [
                    {"symbol": t.symbol, "max_per_action": _amount(t.max_per_action),
                     "max_total": _amount(t.max_total)}
                    for t in p.tokens
                ],
                "contracts": list(p.contracts),
                "recipients": list(p.recipients),
                "chains": list(p.chains),
            }  # fmt: skip
        limits: dict[str, Any] = {
            "max_calls": self.limits.max_calls,
            "max_seconds": self.limits.max_seconds,
        }
        if self.limits.max_spend_usd is not None:
            limits["max_spend_usd"] = _amount(self.limits.max_spend_usd)
        return {
            "apiVersion": API_VERSION,
            "name": self.name,
            "description": self.description,
            "version": self.version,
            "tools": [
                {
                    "name": t.name,
                    "plugin": t.plugin,
                    "plugin_version": t.plugin_version,
                    "hash": t.hash,
                }
                for t in self.tools
            ],
            "permissions": permissions,
            "prompts": {
                "system": self.system_prompt,
                "examples": [{"user": e.user, "assistant": e.assistant} for e in self.examples],
            },
            "triggers": [
                {k: v for k, v in _trigger_items(t) if v is not None} for t in self.triggers
            ],
            "limits": limits,
            "evals": [_eval_doc(e) for e in self.evals],
            "price": {"rex": _amount(self.price_rex)},
        }


def _trigger_items(t: Trigger) -> list[tuple[str, str | None]]:
    return [("kind", t.kind), ("every", t.every), ("cron", t.cron), ("contract", t.contract),
            ("event", t.event), ("message", t.message)]  # fmt: skip


def _eval_doc(e: Eval) -> dict[str, Any]:
    doc: dict[str, Any] = {"request": e.request}
    if e.expect_intent is not None:
        doc["expect_intent"] = e.expect_intent
    if e.expect_output:
        doc["expect_output"] = list(e.expect_output)
    return doc


def _amount(value: Decimal) -> str:
    """``Decimal("50.0")`` → ``"50"``, ``Decimal("0.50")`` → ``"0.5"``: one text per value.

    Exact for any number of digits (``format`` with ``f`` never rounds; ``normalize`` would,
    to the context's 28 digits)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
