"""Shared Rich consoles and the one-line error printer."""

from __future__ import annotations

from rich.console import Console

from rexos.types import format_units

__all__ = ["err", "out", "print_error", "rex"]

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def print_error(message: str) -> None:
    """Print ``message`` as one line on stderr."""
    line = " ".join(message.split())
    err.print(f"[bold red]error:[/] {line}", markup=True, soft_wrap=True)


def rex(wei: int, places: int = 4) -> str:
    """``wei`` of REX for display, rounded down to ``places`` decimals."""
    return f"{format_units(wei, 18, places)} REX"
