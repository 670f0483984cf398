"""The one runtime error of the social package."""

from __future__ import annotations

from rexos.errors import RexosError

__all__ = ["SocialError"]


class SocialError(RexosError):
    """A social network's API could not be reached, refused the request or answered garbage."""
