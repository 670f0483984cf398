"""The one runtime error of the news package."""

from __future__ import annotations

from rexos.errors import RexosError

__all__ = ["NewsError"]


class NewsError(RexosError):
    """A feed could not be fetched, or what came back is not an RSS or Atom feed."""
