"""Scoring one understanding function on the blind evaluation sets.

An answer is the JSON form of what the pipeline returns: ``{"intent": ..., "args": ...}``
for an intent, ``{"clarify": ..., "intent": ..., "missing": [...]}`` for a question, or
``{"reply": ..., "kind": "smalltalk" | "unsupported"}`` for a reply that acts on nothing.

Per expected label:
* an intent: right when the answer is that intent; exact when its compared arguments are
  equal too; wrong when the answer is another intent (acting on a misreading); otherwise
  an abstention (a question or a refusal instead of acting).
* ``clarify``: right when the answer is a question about that intent; exact when it asks
  for exactly the missing slots; wrong when it acts (any intent), or asks about another one.
* ``unsupported``: right when nothing is acted on (a refusal or a question with no intent);
  wrong when the answer is an intent.
* ``smalltalk``: right when the answer is a small-talk reply; wrong when it is an intent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["Outcome", "Tally", "judge", "score"]

COMPARED = {
    "swap": ("amount", "sell", "buy", "side"),
    "send": ("amount", "token", "to", "to_kind"),
    "stake": ("amount", "token"),
    "unstake": ("amount", "token"),
    "claim": ("what",),
    "price": ("token", "quote", "amount"),
    "balance": ("token",),
    "portfolio": (),
    "points": (),
    "performance": ("days",),
    "chart": ("subject", "days"),
    "query": (),
    "bridge": ("amount", "token", "from_chain", "to_chain"),
    "perp": ("market", "side"),
    "ask": ("prompt",),
    "smalltalk": (),
}


def _share(got: dict[str, Any]) -> Decimal | None:
    """A fraction answer's share of the balance: ``value / denominator`` ("a third" is
    ``{"value": "1", "denominator": 3}``)."""
    try:
        return Decimal(str(got["value"])) / Decimal(str(got.get("denominator") or 1))
    except (InvalidOperation, KeyError, ZeroDivisionError):
        return None


def _same_share(expected: dict[str, Any], got: dict[str, Any]) -> bool:
    """A labelled share written to a few places ("0.3333") equals an exact one rounded
    to as many places."""
    share = _share(got)
    try:
        written = Decimal(str(expected["value"]))
    except InvalidOperation:
        return False
    places = Decimal(1).scaleb(written.as_tuple().exponent)  # type: ignore[arg-type]
    return share is not None and share.quantize(places) == written.quantize(places)


def _same(expected: Any, got: Any) -> bool:
    if isinstance(expected, dict) and isinstance(got, dict):
        if set(expected) != set(got) - {"denominator"} and set(expected) != set(got):
            return False
        if "denominator" in got and expected.get("kind") == got.get("kind") == "fraction":
            return _same_share(expected, got)
        return all(_same(expected[k], got.get(k)) for k in expected)
    if isinstance(expected, str) and isinstance(got, str):
        try:
            return Decimal(expected) == Decimal(got)
        except InvalidOperation:
            return expected.strip().casefold() == got.strip().casefold()
    return bool(expected == got)


@dataclass(frozen=True)
class Outcome:
    label: str
    right: bool
    exact: bool
    wrong: bool
    abstained: bool


def judge(item: dict[str, Any], answer: dict[str, Any]) -> Outcome:
    """How ``answer`` fares against one evaluation ``item``."""
    label = str(item["expect"])
    acted = "args" in answer and answer.get("intent") is not None
    if label == "unsupported":
        return Outcome(label, not acted, not acted, acted, False)
    if label == "smalltalk":
        right = answer.get("kind") == "smalltalk"
        return Outcome(label, right, right, acted, not right and not acted)
    if label == "clarify":
        asks = "clarify" in answer and answer.get("intent") == item["intent"]
        exact = asks and sorted(answer.get("missing", [])) == sorted(item["missing"])
        other = answer.get("intent") not in (None, item["intent"])
        wrong = acted or ("clarify" in answer and other)
        return Outcome(label, asks, exact, wrong, not asks and not wrong)
    if acted and answer["intent"] == label:
        args = answer.get("args", {})
        exact = all(_same(item["args"].get(k), args.get(k)) for k in COMPARED[label])
        return Outcome(label, True, exact, False, False)
    return Outcome(label, False, False, acted, not acted)


@dataclass
class Tally:
    per_label: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    exact: Counter[str] = field(default_factory=Counter)
    wrong: Counter[str] = field(default_factory=Counter)
    abstained: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    def add(self, item: dict[str, Any], answer: dict[str, Any]) -> None:
        o = judge(item, answer)
        self.per_label[o.label] += 1
        self.right[o.label] += o.right
        self.exact[o.label] += o.exact
        self.wrong[o.label] += o.wrong
        self.abstained[o.label] += o.abstained
        if not o.exact:
            self.misses.append((o.label, str(item["text"]), answer))

    def summary(self) -> dict[str, Any]:
        n = sum(self.per_label.values())
        return {
            "requests": n,
            "intent_accuracy": round(sum(self.right.values()) / n, 4),
            "exact_arguments": round(sum(self.exact.values()) / n, 4),
            "wrong_intent_share": round(sum(self.wrong.values()) / n, 4),
            "abstain_rate": round(sum(self.abstained.values()) / n, 4),
            "per_label": {
                label: {
                    "requests": count,
                    "intent_accuracy": round(self.right[label] / count, 4),
                    "exact_arguments": round(self.exact[label] / count, 4),
                    "wrong": self.wrong[label],
                }
                for label, count in sorted(self.per_label.items())
            },
        }


def score(items: Iterable[dict[str, Any]], understand: Callable[[str], dict[str, Any]]) -> Tally:
    tally = Tally()
    for item in items:
        tally.add(item, understand(str(item["text"])))
    return tally
