"""Lense over HTTP: a wallet's report and answers to questions about it.

* ``GET /v1/lense/{address}`` → the report's JSON (its facts: ``{id, value, source,
  as_of, ...}`` each);
* ``POST /v1/lense/{address}/ask`` ``{"question": "..."}`` → ``{"question", "text",
  "known", "value", "cited": [{"id", "value", "source", "as_of"}]}``.

Both take the bearer token like every API route. The page (``/lense/{address}``,
:mod:`rexos.api.pages`) shows the same report and answers through a browser session.

:class:`LenseSource` is what the routes need; :class:`WorkspaceLense` is the real one
(:func:`rexos.lense.build.build_report` on the server's workspace, a report reused for
:attr:`WorkspaceLense.max_age` seconds so that questions and reloads do not re-read the
chains each time).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from rexos.types import Address, parse_address
from rexos.web.lense_page import AnswerView, Cited

if TYPE_CHECKING:
    from rexos.lense.facts import FactSet

__all__ = [
    "MAX_QUESTION",
    "AskIn",
    "LenseSource",
    "ReportView",
    "WorkspaceLense",
    "answer_json",
    "lense_routes",
]

MAX_QUESTION = 500


@dataclass(frozen=True, slots=True)
class ReportView:
    """A built report: its HTML (third-party text escaped by the report) and its JSON."""

    address: str
    html: str
    data: dict[str, Any]


class LenseSource(Protocol):
    """Reports and answers for the routes (the real one: :class:`WorkspaceLense`)."""

    def report(self, address: Address) -> ReportView: ...

    def ask(self, address: Address, question: str) -> AnswerView: ...


class AskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=MAX_QUESTION)


def answer_json(answer: AnswerView) -> dict[str, Any]:
    return {
        "question": answer.question,
        "text": answer.text,
        "known": answer.known,
        "value": answer.value,
        "cited": [
            {"id": c.id, "value": c.value, "source": c.source, "as_of": c.as_of}
            for c in answer.cited
        ],
    }


def lense_routes(lense: LenseSource) -> APIRouter:
    """The JSON routes over ``lense`` (an address that is not one is 400, as a refusal)."""
    router = APIRouter()

    @router.get("/v1/lense/{address}")
    def report(address: str) -> dict[str, Any]:
        return lense.report(parse_address(address)).data

    @router.post("/v1/lense/{address}/ask")
    def ask(address: str, body: AskIn) -> dict[str, Any]:
        return answer_json(lense.ask(parse_address(address), body.question.strip()))

    return router


class _Report(Protocol):
    @property
    def facts(self) -> FactSet: ...

    def html(self) -> str: ...

    def to_json(self) -> dict[str, Any]: ...


class WorkspaceLense:
    """Reports built on ``workspace`` by :func:`rexos.lense.build.build_report`, each kept
    for ``max_age`` seconds; questions answered by :func:`rexos.lense.qa.answer` from the
    kept report's facts."""

    def __init__(
        self,
        workspace: object,
        *,
        max_age: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.workspace = workspace
        self.max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        self._kept: dict[str, tuple[float, _Report]] = {}
        self._building: dict[str, threading.Lock] = {}

    def _report(self, address: Address) -> _Report:
        from rexos.lense.build import build_report

        with self._lock:
            one = self._building.setdefault(address, threading.Lock())
        with one:  # one build per address at a time; the others wait and reuse it
            kept = self._kept.get(address)
            if kept is not None and self._clock() - kept[0] < self.max_age:
                return kept[1]
            previous = kept[1] if kept is not None else None
            built: _Report = build_report(self.workspace, address, previous=previous)
            self._kept[address] = (self._clock(), built)
            return built

    def report(self, address: Address) -> ReportView:
        built = self._report(address)
        return ReportView(address, built.html(), built.to_json())

    def ask(self, address: Address, question: str) -> AnswerView:
        from rexos.lense.qa import answer

        built = self._report(address)
        got = answer(built.facts, question)
        value = None if got.value is None else str(got.value)
        cited = tuple(_cited(built.facts, got.cited))
        return AnswerView(question, got.text, bool(got.known), cited, value)


def _cited(facts: FactSet, cited: Iterable[object]) -> Iterable[Cited]:
    """The facts an answer cites (by id or as facts), as a person reads them."""
    for item in cited:
        fact_id = item if isinstance(item, str) else str(getattr(item, "id", item))
        fact = facts.get(fact_id)
        if fact is not None:
            yield Cited(fact.id, facts.render(fact.id), fact.source, fact.as_of)
