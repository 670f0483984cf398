"""Lense over HTTP: a wallet's report and answers to questions about it.

* ``GET /v1/lense/{address}`` → the report's JSON (its facts: ``{id, value, source,
  as_of, ...}`` each);
* ``POST /v1/lense/{address}/ask`` ``{"question": "..."}`` → ``{"question", "text",
  "known", "kind", "value", "narrative", "cited": [{"id", "shown", "source", "as_of"}]}``
  (``shown``: the cited fact's value as a person reads it).

Both take the bearer token like every API route. The page (``/lense/{address}``,
:mod:`rexos.api.pages`) shows the same report and answers through a browser session.

:class:`LenseSource` is what the routes need; :class:`ReportLense` is the real one, over
:func:`rexos.lense.build.build_report` on the server's workspace (:func:`workspace_lense`),
a report reused for :attr:`ReportLense.max_age` seconds so that questions and reloads do
not re-read the chains each time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from rexos.errors import RexosError, UsageError
from rexos.types import Address, parse_address
from rexos.web.lense_page import AnswerView, Cited

if TYPE_CHECKING:
    from rexos.chain import ChainClient, Manifest
    from rexos.config import Settings
    from rexos.lense.discovery_source import Chains
    from rexos.lense.report import LenseReport

__all__ = [
    "MAX_QUESTION",
    "AskIn",
    "LenseSource",
    "ReportLense",
    "ReportView",
    "answer_json",
    "lense_routes",
    "workspace_lense",
]

MAX_QUESTION = 500


@dataclass(frozen=True, slots=True)
class ReportView:
    """A built report: its HTML (third-party text escaped by the report) and its JSON."""

    address: str
    html: str
    data: dict[str, Any]


class LenseSource(Protocol):
    """Reports and answers for the routes (the real one: :class:`ReportLense`)."""

    def report(self, address: Address) -> ReportView: ...

    def ask(self, address: Address, question: str) -> AnswerView: ...


class AskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=MAX_QUESTION)


def answer_json(answer: AnswerView) -> dict[str, Any]:
    """The answer as :meth:`rexos.lense.qa.Answer.to_json` writes it, with the question."""
    return {
        "question": answer.question,
        "text": answer.text,
        "known": answer.known,
        "kind": answer.kind,
        "value": answer.value,
        "narrative": answer.narrative,
        "cited": [
            {"id": c.id, "shown": c.value, "source": c.source, "as_of": c.as_of}
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


class ReportLense:
    """Reports made by ``build(address, previous)`` (``previous``: the last report of that
    address, for what changed), each kept for ``max_age`` seconds so that questions and
    reloads do not re-read the chains; questions answered by :func:`rexos.lense.qa.answer`
    from the kept report's facts."""

    def __init__(
        self,
        build: Callable[[Address, LenseReport | None], LenseReport],
        *,
        max_age: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._build = build
        self.max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        self._kept: dict[str, tuple[float, LenseReport]] = {}
        self._building: dict[str, threading.Lock] = {}

    def _report(self, address: Address) -> LenseReport:
        with self._lock:
            one = self._building.setdefault(address, threading.Lock())
        with one:  # one build per address at a time; the others wait and reuse it
            kept = self._kept.get(address)
            if kept is not None and self._clock() - kept[0] < self.max_age:
                return kept[1]
            built = self._build(address, kept[1] if kept is not None else None)
            self._kept[address] = (self._clock(), built)
            return built

    def report(self, address: Address) -> ReportView:
        built = self._report(address)
        return ReportView(address, built.html(), built.to_json())

    def ask(self, address: Address, question: str) -> AnswerView:
        from rexos.lense.qa import answer

        facts = self._report(address).facts
        got = answer(facts, question)
        cited = tuple(Cited(i, facts.render(i), facts[i].source, facts[i].as_of)
                      for i in got.cited if i in facts)  # fmt: skip
        value = None if got.value is None else str(got.value)
        return AnswerView(question, got.text, got.known, cited, value, got.kind, got.narrative)


class _Chains:
    """The workspace as the chains a report reads: a missing or unreachable second chain
    (a devnet without ``devnet-b``, or ``--rpc`` alone) leaves it out rather than failing."""

    def __init__(self, workspace: Chains) -> None:
        self._ws = workspace

    @property
    def settings(self) -> Settings:
        return self._ws.settings

    def chain(self) -> ChainClient:
        return self._ws.chain()

    def manifest(self) -> Manifest:
        return self._ws.manifest()

    def peer(self) -> tuple[ChainClient, Manifest]:
        try:
            chain, manifest = self._ws.peer()
            chain.web3.eth.chain_id  # noqa: B018 - reachable?
        except (RexosError, OSError) as exc:
            raise UsageError(f"no second chain: {exc}") from exc
        return chain, manifest


def workspace_lense(workspace: Chains, *, max_age: float = 60.0) -> ReportLense:
    """Reports of :func:`rexos.lense.build.build_report` on ``workspace`` (the server's),
    compared with the last report of the address and kept as the last one, as
    ``rexos lense`` does (``$REXOS_HOME/lense/<address>.facts.json``)."""
    home = workspace.settings.home
    chains = _Chains(workspace)

    def build(address: Address, previous: LenseReport | None) -> LenseReport:
        from rexos.lense.build import build_report
        from rexos.lense.history import load_previous, save_facts

        before = previous.facts if previous is not None else load_previous(home, address)
        report = build_report(chains, address, previous=before)
        save_facts(home, address, report.facts)
        return report

    return ReportLense(build, max_age=max_age)
