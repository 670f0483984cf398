"""The one error the bridge package raises at runtime.

``BridgeError`` subclasses :class:`rexos.errors.RexosError`; misuse (zero
amount, same chain, bad price) raises :class:`rexos.errors.UsageError` or its
subclass :class:`rexos.errors.InvalidAmount` instead.
"""

from __future__ import annotations

from rexos.errors import RexosError

__all__ = ["BridgeError"]


class BridgeError(RexosError):
    """A bridge quote API or the devnet bridge failed, or answered something unusable."""
