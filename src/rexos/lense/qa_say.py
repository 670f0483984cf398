"""An answer being written: literal words (never a digit) and facts, each fact cited.

:class:`Reply` is what every kind of answer builds; its text can hold a number only through
:meth:`Reply.fact`, which cites the fact it renders.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rexos.lense.facts import FactSet, FactValue
from rexos.lense.report_blocks import FactRef, Run, check_literal

__all__ = ["Reply", "untrusted_id"]


def untrusted_id(fact_id: str) -> bool:
    """Whether the fact holds third-party words (news titles, token names)."""
    news_title = fact_id.startswith("news.") and fact_id.endswith(".title")
    return news_title or (fact_id.startswith("holding.") and fact_id.endswith(".name"))


@dataclass
class Reply:
    """Runs of an answer, the facts cited, the headline value and whether it is known."""

    facts: FactSet
    runs: list[Run] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)
    value: FactValue = None
    known: bool = True
    headline_id: str | None = None

    def say(self, *parts: str | FactRef) -> Reply:
        """Append words (checked: no digit) and facts (cited)."""
        for part in parts:
            if isinstance(part, str):
                self.runs.append(check_literal(part))
            else:
                self.fact(part.id, untrusted=part.untrusted)
        return self

    def fact(self, fact_id: str, *, untrusted: bool = False) -> Reply:
        """Append the rendered value of ``fact_id`` and cite it (``unknown`` if no such fact)."""
        if fact_id not in self.facts:
            self.runs.append("unknown")
            return self
        self.runs.append(FactRef(fact_id, untrusted or untrusted_id(fact_id)))
        if fact_id not in self.cited:
            self.cited.append(fact_id)
        return self

    def cite(self, fact_id: str) -> Reply:
        """Cite ``fact_id`` without stating it (it backs what the text says)."""
        if fact_id in self.facts and fact_id not in self.cited:
            self.cited.append(fact_id)
        return self

    def headline(self, fact_id: str) -> Reply:
        """Make ``fact_id``'s value the answer's value (and cite it)."""
        self.value = self.facts.value(fact_id)
        self.headline_id = fact_id
        if fact_id not in self.cited:
            self.cited.append(fact_id)
        return self

    def also(self, other: Reply) -> Reply:
        """Append ``other``'s words and citations (an answer to a further part of the
        question); the headline stays this reply's."""
        self.say(" ")
        self.runs.extend(other.runs)
        self.cited.extend(i for i in other.cited if i not in self.cited)
        return self

    def unknown(self, *parts: str | FactRef) -> Reply:
        """An "I don't know" answer with the reason given."""
        self.known = False
        self.value = None
        self.runs.clear()
        self.cited.clear()
        self.headline_id = None
        return self.say("I don't know: ", *parts)

    def text(self) -> str:
        """The answer as plain text; third-party words in quotes."""
        out: list[str] = []
        for run in self.runs:
            if isinstance(run, str):
                out.append(run)
            elif run.untrusted:
                out.append(f"\u201c{self.facts.render(run.id)}\u201d")
            else:
                out.append(self.facts.render(run.id))
        return "".join(out)
