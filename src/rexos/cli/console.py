"""Shared Rich consoles and the one-line error printer."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from rexos.errors import UsageError
from rexos.types import format_units

if TYPE_CHECKING:
    from rexos.agents.wallet import Approver, Prepared

__all__ = ["api_token", "approver", "ask", "confirm", "err", "out", "print_error", "rex"]

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def print_error(message: str) -> None:
    """Print ``message`` as one line on stderr, as written: it often quotes what a user, a
    file or a chain wrote, so brackets in it are text, never console markup."""
    from rich.markup import escape

    line = " ".join(message.split())
    err.print(f"[bold red]error:[/] {escape(line)}", markup=True, soft_wrap=True)


def rex(wei: int, places: int = 4) -> str:
    """``wei`` of REX for display, rounded down to ``places`` decimals."""
    return f"{format_units(wei, 18, places)} REX"


def ask(question: str, yes: bool, without_tty: str) -> bool:
    """``True`` if ``yes``, else the user's answer to ``question``; with no terminal to ask
    on, fail with ``without_tty`` (which should say to rerun with ``--yes``)."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError(without_tty)
    return typer.confirm(question, default=False)


def confirm(question: str, yes: bool, without_tty: str) -> None:
    """:func:`ask`, where a "no" aborts the command."""
    if not ask(question, yes, without_tty):
        raise typer.Abort()


def approver(yes: bool) -> Approver:
    """The terminal's yes to a transaction the policy wants confirmed: it is shown with its
    fingerprint first; ``yes`` (``--yes``) answers for the user."""

    def approve(prepared: Prepared) -> bool:
        tx = prepared.tx
        out.print(f"Transaction: {tx.summary}", soft_wrap=True)
        out.print(f"  fingerprint {tx.fingerprint}; {prepared.decision.reason}", soft_wrap=True)
        return ask("Sign it?", yes, f"{prepared.decision.reason}: rerun with --yes to confirm")

    return approve


def api_token(home: Path, console: Console) -> str:
    """The data directory's API token for a local server: printed once, when it is made;
    after that only where it is kept."""
    from rexos.api.token import load_or_create_token

    token = load_or_create_token(home)
    if token.created:
        console.print(f"New API token (shown once; kept in {token.path}):", soft_wrap=True)
        console.print(token.value, soft_wrap=True, highlight=False)
    else:
        console.print(f"API token: in {token.path}", soft_wrap=True)
    console.print("Send it with every request: Authorization: Bearer <token>", soft_wrap=True)
    return token.value
