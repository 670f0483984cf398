"""The one error an agent spec raises: :class:`SpecError`."""

from __future__ import annotations

from rexos.errors import UsageError

__all__ = ["SpecError"]


class SpecError(UsageError):
    """An agent spec that is unreadable, unsafe, invalid, or does not match the installed tools.

    The message names the field (as a path such as ``tools[1].hash``) and says what is wrong.
    """
