"""Deterministic intent parsing: structured commands read with no language model.

:func:`parse` reads one command into an :class:`Intent` (13 intents: swap, send,
stake, unstake, claim, price, balance, chart, query, bridge, perp, ask, portfolio)
or a :class:`Clarification` (the question to ask instead of guessing);
:func:`parse_steps` reads a multi-step request into ordered intents. Amounts are
exact :class:`Amount` values; shares of a balance stay symbolic. The grammar and
its precedence are described in :mod:`rexos.orchestrator.intent.grammar`.
"""

from rexos.orchestrator.intent.amounts import Amount, AmountKind, parse_amount
from rexos.orchestrator.intent.parser import parse, parse_steps
from rexos.orchestrator.intent.result import (
    INTENT_NAMES,
    Clarification,
    Intent,
    IntentName,
    JsonValue,
)
from rexos.orchestrator.intent.steps import split_steps

__all__ = [
    "INTENT_NAMES",
    "Amount",
    "AmountKind",
    "Clarification",
    "Intent",
    "IntentName",
    "JsonValue",
    "parse",
    "parse_amount",
    "parse_steps",
    "split_steps",
]
