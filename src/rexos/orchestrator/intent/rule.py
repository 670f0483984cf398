"""A grammar rule: a trigger that claims a command and a reader that fills its slots."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rexos.orchestrator.intent.result import IntentName, JsonValue
from rexos.orchestrator.intent.slots import Context

__all__ = ["Reader", "Rule", "trigger"]

Reader = Callable[[re.Match[str], Context], dict[str, JsonValue]]


def trigger(pattern: str) -> re.Pattern[str]:
    """A case-insensitive pattern matched at the start of the command."""
    return re.compile(pattern, re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class Rule:
    """``trigger`` claims the command; ``read`` fills the args or raises ``Unclear``.

    A free-text rule (ask, query) keeps the user's punctuation and owns the rest of
    its sentence: the step splitter never cuts inside it.
    """

    intent: IntentName
    trigger: re.Pattern[str]
    read: Reader
    free_text: bool = False

    def claim(self, text: str) -> re.Match[str] | None:
        """The trigger's match on ``text`` (trailing ``.!?`` dropped unless free text)."""
        return self.trigger.match(text if self.free_text else text.rstrip(".!? "))
