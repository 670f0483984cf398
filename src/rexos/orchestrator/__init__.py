"""The orchestrator: turns a request into a plan of agent and plug-in calls.

So far it reads requests: :mod:`rexos.orchestrator.intent` parses structured
commands and multi-step requests deterministically, with no language model, and
asks a question instead of guessing. Running a plan is not here yet.
"""

from rexos.orchestrator.intent import (
    INTENT_NAMES,
    Amount,
    AmountKind,
    Clarification,
    Intent,
    IntentName,
    JsonValue,
    parse,
    parse_amount,
    parse_steps,
    split_steps,
)

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
