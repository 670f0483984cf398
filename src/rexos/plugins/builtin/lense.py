"""The lense plug-in: a wallet's report and questions answered from its facts.

``lense.report`` builds the report on an address (every configured chain, checked prices,
performance, risks, what changed since the last report the CLI kept) and answers its facts,
each with its source and time, and the report's text. ``lense.ask`` answers a question from
those facts, citing them. Both read only: neither keeps the report. Their results carry
third-party text (news titles, token names and symbols), so they are untrusted data.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from rexos import __version__
from rexos.agents.tool import ToolContext, ToolParams, tool
from rexos.chain import ChainClient, Manifest
from rexos.config import Settings
from rexos.errors import RexosError, UsageError
from rexos.lense.qa import MAX_QUESTION_CHARS
from rexos.lense.report import LenseReport
from rexos.plugins.spec import Plugin

__all__ = ["plugin"]

_ADDRESS = r"^0x[0-9a-fA-F]{40}$"
_EXAMPLE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


class _Chains:
    """A tool context as the chains a report reads (its second chain where it has one)."""

    def __init__(self, ctx: ToolContext) -> None:
        self._ctx = ctx

    @property
    def settings(self) -> Settings:
        return self._ctx.settings

    def chain(self) -> ChainClient:
        return self._ctx.chain()

    def manifest(self) -> Manifest:
        return self._ctx.manifest()

    def peer(self) -> tuple[ChainClient, Manifest]:
        peer = getattr(self._ctx, "peer", None)
        if peer is None:
            raise UsageError("this context has no second chain")
        try:
            found: tuple[ChainClient, Manifest] = peer()
            found[0].web3.eth.chain_id  # noqa: B018 - reachable?
        except (RexosError, OSError) as exc:
            raise UsageError(f"no second chain: {exc}") from exc
        return found


def _report(ctx: ToolContext, address: str) -> LenseReport:
    from rexos.lense.build import build_report
    from rexos.lense.history import load_previous

    previous = load_previous(ctx.settings.home, address)
    return build_report(_Chains(ctx), address, previous=previous)


class FactRow(BaseModel):
    id: str
    shown: str = Field(description="The value as a person reads it (token units, USD).")
    value: str | int | None = Field(description="Exact: base units or a decimal, as text.")
    unit: str | None
    source: str
    as_of: str


def _rows(built: LenseReport, ids: list[str]) -> list[FactRow]:
    rows = []
    for fact_id in ids:
        fact = built.facts[fact_id]
        value = fact.value if fact.value is None or isinstance(fact.value, str) else str(fact.value)
        rows.append(FactRow(id=fact.id, shown=built.facts.render(fact.id), value=value,
                            unit=fact.unit, source=fact.source, as_of=fact.as_of))  # fmt: skip
    return rows


class ReportParams(ToolParams):
    address: str = Field(pattern=_ADDRESS, description="The wallet address to report on.")


class ReportResult(BaseModel):
    text: str = Field(description="The report as plain text (amounts in token units).")
    facts: list[FactRow] = Field(description="Every number of the report, with its source.")


@tool(
    "lense.report",
    "A wallet's report: holdings on every configured chain (spam listed apart), prices checked "
    "across sources, performance, news and sentiment, risks (concentration, disputed prices, "
    "unlimited approvals) and what changed; every number a fact with its source and time. "
    "Information, not advice.",
    ReportParams,
    ReportResult,
    needs=["chain"],
    examples=[{"address": _EXAMPLE}],
)
def report(ctx: ToolContext, p: ReportParams) -> ReportResult:
    built = _report(ctx, p.address)
    return ReportResult(text=built.text(), facts=_rows(built, [f.id for f in built.facts]))


class AskParams(ToolParams):
    address: str = Field(pattern=_ADDRESS, description="The wallet the question is about.")
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS,
                          description="e.g. 'what is my biggest position?'")  # fmt: skip


class AskResult(BaseModel):
    text: str = Field(description="The answer; every number in it is a cited fact's.")
    known: bool = Field(description="False: the facts do not hold the answer.")
    cited: list[FactRow]


@tool(
    "lense.ask",
    "Answer a question about a wallet (biggest position, net worth, a holding, a price and "
    "its sources, why it moved this week, news or sentiment on a token, risks, approvals, "
    "spam, what changed) from its report's facts, citing them; 'I don't know' when they lack "
    "it.",
    AskParams,
    AskResult,
    needs=["chain"],
    examples=[{"address": _EXAMPLE, "question": "What is my biggest position?"}],
)
def ask(ctx: ToolContext, p: AskParams) -> AskResult:
    from rexos.lense.qa import answer

    built = _report(ctx, p.address)
    got = answer(built.facts, p.question)
    return AskResult(text=got.text, known=got.known, cited=_rows(built, list(got.cited)))


def plugin() -> Plugin:
    return Plugin.of(
        "lense", __version__, "A wallet's report and questions answered from its facts.",
        [report, ask],
    )  # fmt: skip
