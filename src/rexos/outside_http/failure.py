"""What went wrong with an outside request, and how long to wait before the next try."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Literal

from rexos.errors import RexosError

__all__ = ["RETRY_STATUSES", "ErrorMap", "FailureKind", "HttpFailure", "retry_after_s"]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
FailureKind = Literal["status", "refused", "timeout", "unreachable", "too_large", "not_json"]


def retry_after_s(value: str, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (seconds or an HTTP date); ``None`` if
    unreadable."""
    try:
        seconds = float(value.strip())
    except ValueError:
        try:
            when = parsedate_to_datetime(value.strip())
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - now
    return max(0.0, seconds) if math.isfinite(seconds) else None


@dataclass(frozen=True, slots=True)
class HttpFailure:
    """Why a request failed; every text in it is already redacted."""

    source: str
    kind: FailureKind
    attempts: int = 1
    status: int | None = None
    reason: str = ""
    """The exception's type name, the caller's words for a refusal, or the size limit."""
    label: str = ""
    detail: str = ""
    """The start of an error answer's body, on one line."""
    timeout_s: float = 0.0
    hint: str = ""

    @property
    def rate_limited(self) -> bool:
        return self.status == 429 or self.kind == "refused"

    @property
    def retried(self) -> bool:
        """Whether this kind of failure is retried (so the message counts the tries)."""
        return self.kind in ("refused", "timeout", "unreachable") or (
            self.kind == "status" and self.status in RETRY_STATUSES
        )

    @property
    def message(self) -> str:
        """One line: ``source: what happened[ (hint)][ after N tries]``."""
        where = f" from {self.label}" if self.label else ""
        what = {
            "status": f"HTTP {self.status}{where}",
            "refused": self.reason,
            "timeout": f"timed out after {self.timeout_s:g} s",
            "unreachable": f"cannot reach it ({self.reason})",
            "too_large": f"answer{where} larger than {self.reason} bytes",
            "not_json": f"the answer{where} is not JSON",
        }[self.kind]
        hint = f" ({self.hint})" if self.hint else ""
        tries = f"{self.attempts} tries" if self.attempts > 1 else "1 try"
        return f"{self.source}: {what}{hint}" + (f" after {tries}" if self.retried else "")


ErrorMap = type[RexosError] | Callable[[HttpFailure], RexosError]
"""The error class a caller raises (built from :attr:`HttpFailure.message`), or a function
of the failure for callers that pick the class by status."""
