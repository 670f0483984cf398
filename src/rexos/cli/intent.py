"""``rexos intent``: read a request into intents, as chat does (no LLM).

The understanding pipeline reads it (normalisation, the grammar, the trained recogniser,
exact values); ``--grammar`` uses the deterministic grammar alone. A clarifying question is
a normal answer (exit 0): ``{"clarify", "missing", "intent"}`` with ``--json``; a reply
(small talk, a refusal) is ``{"reply", "kind"}``. Only empty text is a usage error.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from rexos.errors import UsageError

if TYPE_CHECKING:
    from rexos.orchestrator.intent import Clarification, Intent, JsonValue
    from rexos.orchestrator.understand import Reply

__all__ = ["intent", "register"]


def _show_value(value: JsonValue) -> str:
    from rexos.orchestrator.intent import Amount

    if isinstance(value, dict) and "kind" in value:
        return str(Amount.from_json(value))
    return "-" if value is None else str(value)


def _line(found: Intent) -> str:
    args = " ".join(f"{key}={_show_value(value)}" for key, value in found.args.items())
    return f"{found.intent} {args}".rstrip()


def _show(result: Intent | Clarification | Reply | list[Intent], steps: bool) -> None:
    from rexos.orchestrator.intent import Clarification, Intent
    from rexos.orchestrator.understand import Reply

    if isinstance(result, Reply):
        typer.echo(f"> {result.text}")
    elif isinstance(result, Clarification):
        typer.echo(f"? {result.question}")
        if "steps" in result.missing and not steps:
            typer.echo("  (rerun with --steps to read it as a plan)")
    elif isinstance(result, Intent):
        typer.echo(_line(result))
    else:
        for n, found in enumerate(result, 1):
            typer.echo(f"{n}. {_line(found)}")


def intent(
    text: Annotated[str, typer.Argument(help='The request, e.g. "swap half my ETH to USDC".')],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    steps: Annotated[
        bool, typer.Option("--steps", help="Read a multi-step request into ordered intents.")
    ] = False,
    grammar: Annotated[
        bool, typer.Option("--grammar", help="Use the deterministic grammar alone.")
    ] = False,
) -> None:
    """Parse a request into an intent and its arguments, or the question to ask back.

    Amounts come out exact (strings in JSON); "half" or "all" stay shares of a
    balance. Nothing is resolved, signed or sent.
    """
    from rexos.orchestrator.intent import parse, parse_steps
    from rexos.orchestrator.understand import understand, understand_steps

    if not text.strip():
        raise UsageError("intent: the text is empty: say what you want to do")
    result: Intent | Clarification | Reply | list[Intent]
    if grammar:
        result = parse_steps(text) if steps else parse(text)
    else:
        result = understand_steps(text) if steps else understand(text)
    if not as_json:
        _show(result, steps)
        return
    doc: JsonValue
    if isinstance(result, list):
        doc = {"steps": [found.to_json() for found in result]}
    else:
        doc = result.to_json()
    typer.echo(json.dumps(doc, indent=1, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    app.command("intent")(intent)
