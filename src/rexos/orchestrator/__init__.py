"""The orchestrator: turns a request into a plan of agent and plug-in calls.

:mod:`rexos.orchestrator.intent` parses structured commands and multi-step requests
deterministically, with no language model, and asks a question instead of guessing.
:mod:`~rexos.orchestrator.plan` turns the steps into a DAG with explicit states,
:mod:`~rexos.orchestrator.runner` runs it through the Wallet agent (persisted, resumable),
:mod:`~rexos.orchestrator.chat` is the conversation the terminal and the HTTP API share, and
:mod:`~rexos.orchestrator.agentic` lets a tool-calling model handle open-ended requests
without ever reaching the signer.
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
