"""Errors of the explorer package."""

from __future__ import annotations

from rexos.errors import RexosError

__all__ = ["ExplorerError", "ExplorerRateLimited"]


class ExplorerError(RexosError):
    """An explorer API could not be reached, refused the request or answered garbage."""


class ExplorerRateLimited(ExplorerError):
    """The explorer API kept answering "rate limit reached" (or HTTP 429) through every retry."""
