"""What the intent parser answers: an :class:`Intent` or a :class:`Clarification`.

Both are plain data with a JSON form. Arguments hold only JSON values (amounts as
strings, never floats), so ``Intent.from_json(json.loads(json.dumps(i.to_json())))``
gives back an equal intent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias, get_args

__all__ = ["INTENT_NAMES", "Clarification", "Intent", "IntentName", "JsonValue"]

JsonValue: TypeAlias = "str | int | bool | list[JsonValue] | dict[str, JsonValue] | None"

IntentName = Literal[
    "swap",
    "send",
    "stake",
    "unstake",
    "claim",
    "price",
    "balance",
    "chart",
    "query",
    "bridge",
    "perp",
    "ask",
    "portfolio",
    "points",
    "performance",
]
INTENT_NAMES: tuple[IntentName, ...] = get_args(IntentName)


@dataclass(frozen=True, slots=True)
class Intent:
    """One structured command: its name and its arguments.

    There is no confidence score: the grammar either reads every slot exactly or
    answers a :class:`Clarification`, so a returned intent is always certain.
    """

    intent: IntentName
    args: dict[str, JsonValue] = field(default_factory=dict)

    def to_json(self) -> dict[str, JsonValue]:
        return {"intent": self.intent, "args": dict(self.args)}

    @classmethod
    def from_json(cls, doc: dict[str, JsonValue]) -> Intent:
        name, args = doc.get("intent"), doc.get("args")
        if name not in INTENT_NAMES or not isinstance(args, dict):
            raise ValueError(f"not an intent document: {doc!r}")
        return cls(name, args)


@dataclass(frozen=True, slots=True)
class Clarification:
    """A question to put to the user instead of guessing.

    ``missing`` names the argument slots that are absent or unreadable (``"amount"``,
    ``"buy"``, ``"to"``, ...; ``"intent"`` when nothing was understood). ``step`` is
    the 1-based step of a multi-step request the question is about, if any. ``intent``
    is the command recognised, when one was: the user's answer fills ``missing`` in it
    (``{"intent": "swap", "missing": ["amount"], "clarify": "…"}``).
    """

    question: str
    missing: list[str] = field(default_factory=list)
    step: int | None = None
    intent: IntentName | None = None

    def to_json(self) -> dict[str, JsonValue]:
        doc: dict[str, JsonValue] = {"clarify": self.question, "missing": list(self.missing)}
        if self.step is not None:
            doc["step"] = self.step
        if self.intent is not None:
            doc["intent"] = self.intent
        return doc

    @classmethod
    def from_json(cls, doc: dict[str, JsonValue]) -> Clarification:
        question, missing, step = doc.get("clarify"), doc.get("missing"), doc.get("step")
        if not isinstance(question, str) or not isinstance(missing, list):
            raise ValueError(f"not a clarification document: {doc!r}")
        if step is not None and not isinstance(step, int):
            raise ValueError(f"bad step in clarification: {step!r}")
        intent = doc.get("intent")
        if intent is not None and intent not in INTENT_NAMES:
            raise ValueError(f"bad intent in clarification: {intent!r}")
        return cls(question, [str(m) for m in missing], step, intent)  # type: ignore[arg-type]
