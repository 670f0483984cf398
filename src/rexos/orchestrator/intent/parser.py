"""The two entry points: :func:`parse` for one command, :func:`parse_steps` for a plan."""

from __future__ import annotations

from dataclasses import replace

from rexos.orchestrator.intent.grammar import parse_command
from rexos.orchestrator.intent.result import Clarification, Intent
from rexos.orchestrator.intent.slots import Context
from rexos.orchestrator.intent.steps import split_steps

__all__ = ["parse", "parse_steps"]


def parse(text: str, known_symbols: set[str] | None = None) -> Intent | Clarification:
    """Read one command. Unclear input, or several commands at once, is a question.

    ``known_symbols``, when given, are the token symbols the caller can resolve; any
    other symbol is a question rather than an intent.
    """
    steps = split_steps(text)
    if len(steps) > 1:
        listed = "; ".join(f"'{s}'" for s in steps)
        return Clarification(
            f"That is {len(steps)} requests ({listed}): one at a time, or as a plan of steps?",
            ["steps"],
        )
    return parse_command(steps[0] if steps else "", Context.of(known_symbols))


def parse_steps(text: str, known_symbols: set[str] | None = None) -> list[Intent] | Clarification:
    """Read a multi-step request into its intents, in order.

    If any step is unclear the whole request is: the answer is that step's question
    (``step`` says which, 1-based), never a partial plan.
    """
    ctx = Context.of(known_symbols)
    steps = split_steps(text) or [""]
    intents: list[Intent] = []
    for n, step in enumerate(steps, 1):
        result = parse_command(step, ctx)
        if isinstance(result, Clarification):
            question = result.question if len(steps) == 1 else f"Step {n}: {result.question}"
            return replace(result, question=question, step=n)
        intents.append(result)
    return intents
