"""The report's sections, written from a FactSet alone.

Every number is a :class:`~rexos.lense.report_blocks.FactRef`; the literal words hold no
digit (checked by the blocks). Sections: summary, holdings, prices, performance, sentiment
and news, risks, what changed.
"""

from __future__ import annotations

from rexos.lense.facts import FactSet
from rexos.lense.report_blocks import Block, Cell, ChartRef, FactRef, Paragraph, Section, Table
from rexos.lense.report_index import Holding, chain_ids, holdings, news_ids, price_keys

__all__ = ["NOT_ADVICE", "TOTAL_NAMES", "sections", "symbol_of"]

NOT_ADVICE = (
    "Information, not advice: this report describes what the chain, the price sources and "
    "the news said; it does not recommend buying, selling or holding anything."
)

F = FactRef
_NONE: Cell = ("none",)


def _cell(facts: FactSet, fact_id: str) -> Cell:
    """The fact's value, or ``none`` when the report has no such fact."""
    return (F(fact_id),) if fact_id in facts else _NONE


def symbol_of(facts: FactSet, asset: str) -> str | None:
    """The id of the symbol fact naming asset ``asset`` (its balance first)."""
    if f"holding.{asset}.symbol" in facts:
        return f"holding.{asset}.symbol"
    for fact_id in facts.ids(f"holding.{asset}:"):
        if fact_id.endswith(".symbol"):
            return fact_id
    return None


def _asset_cell(facts: FactSet, asset: str) -> Cell:
    symbol = symbol_of(facts, asset)
    if symbol is None:
        return ("an asset no longer held",)
    return (F(symbol), " on ", F(symbol.removesuffix(".symbol") + ".chain"))


def _summary(facts: FactSet) -> Section:
    blocks: list[Block] = [
        Paragraph(("Wallet ", F("wallet.address"), ", report of ", F("report.as_of"), ".")),
    ]
    for chain in chain_ids(facts):
        blocks.append(Paragraph(
            ("Read on ", F(f"chain.{chain}.name"), " at block ", F(f"chain.{chain}.block"), ".")
        ))  # fmt: skip
    blocks.append(Paragraph((
        "Net worth ", F("net_worth.usd"), " over ", F("holdings.count"), " holdings found; ",
        F("holdings.spam_count"), " marked spam and ", F("net_worth.excluded_count"),
        " with a disputed price are left out of it.",
    )))  # fmt: skip
    blocks.append(Paragraph((NOT_ADVICE,), "note"))
    blocks.append(Paragraph(
        ("Every figure is a fact in facts.json, with where and when it was read.",), "note"
    ))  # fmt: skip
    return Section("summary", "Summary", tuple(blocks))


def _holding_row(facts: FactSet, h: Holding) -> tuple[Cell, ...]:
    kind: Cell = () if h.kind == "balance" else (" ", F(h.id("kind")))
    return (
        (F(h.id("symbol")), *kind),
        (F(h.id("chain")),),
        (F(h.id("amount")),),
        _cell(facts, f"price.{h.asset}.median"),
        (F(h.id("usd")),),
        (F(h.id("share_pct")),),
        (F(h.id("counted")),),
    )


def _holdings(facts: FactSet) -> Section:
    shown = [h for h in holdings(facts) if h.counted != "spam"]
    spam = [h for h in holdings(facts) if h.counted == "spam"]
    header = ("Holding", "Chain", "Amount", "Price", "Value", "Share", "Counted")
    rows = tuple(_holding_row(facts, h) for h in shown)
    blocks: list[Block] = [Table(header, rows, (3, 2, 4, 2, 2, 2, 2))]
    for h in shown:
        if h.counted == "disputed":
            blocks.append(Paragraph((
                "Left out of net worth: the price sources of ", F(h.id("symbol")),
                " disagree by ", F(f"price.{h.asset}.divergence_bps"), ".",
            ), "warning"))  # fmt: skip
        elif h.counted == "unpriced":
            blocks.append(Paragraph(
                ("No source prices ", F(h.id("symbol")), "; it is not counted."), "warning"
            ))  # fmt: skip
    if spam:
        spam_rows = tuple(
            ((F(h.id("symbol")),), (F(h.id("amount")),), _cell(facts, h.id("spam_rules")))
            for h in spam
        )
        blocks.append(Paragraph(("Spam: listed, but not counted in any total.",), "note"))
        blocks.append(Table(("Token", "Amount", "Rules that fired"), spam_rows, (2, 3, 6)))
    blocks += [ChartRef("allocation"), ChartRef("chains")]
    return Section("holdings", "Holdings", tuple(blocks))


def _prices(facts: FactSet) -> Section:
    rows: list[tuple[Cell, ...]] = []
    for key in price_keys(facts):
        sources: list[str | FactRef] = []
        n = 1
        while f"price.{key}.source.{n}.usd" in facts:
            if sources:
                sources.append("; ")
            sources += [F(f"price.{key}.source.{n}.name"), " ", F(f"price.{key}.source.{n}.usd")]
            n += 1
        rows.append((
            _asset_cell(facts, key), _cell(facts, f"price.{key}.median"),
            tuple(sources) or _NONE, _cell(facts, f"price.{key}.divergence_bps"),
            (F(f"price.{key}.flag"),),
        ))  # fmt: skip
    header = ("Asset", "Median", "Sources", "Divergence", "Check")
    blocks: list[Block] = [
        Paragraph(("The price shown is the median of the sources; a spread over the limit is "
                   "flagged, a wide one disputed and left out of net worth.",), "note"),
        Table(header, tuple(rows), (3, 2, 6, 2, 2)),
        ChartRef("price_sources"),
    ]  # fmt: skip
    return Section("prices", "Prices and their sources", tuple(blocks))


def _performance(facts: FactSet) -> Section:
    blocks: list[Block] = [Paragraph((
        "Unrealised profit ", F("perf.total.unrealised_usd"), ", realised ",
        F("perf.total.realised_usd"), ", on a cost basis of ", F("perf.total.cost_basis_usd"),
        ". Over the week the counted holdings moved ", F("perf.total.change_7d_usd"),
        *((" (", F("perf.total.change_7d_pct"), ")") if "perf.total.change_7d_pct" in facts
          else ()),
        ".",
    ))]  # fmt: skip
    rows = []
    for key in (i.split(".")[1] for i in facts.ids("perf.") if i.endswith(".change_7d_pct")):
        if key == "total":
            continue
        p = f"perf.{key}"
        rows.append((
            _asset_cell(facts, key), _cell(facts, f"{p}.change_24h_pct"),
            _cell(facts, f"{p}.change_7d_pct"), _cell(facts, f"{p}.change_30d_pct"),
            _cell(facts, f"{p}.change_7d_usd"), _cell(facts, f"{p}.unrealised_usd"),
            _cell(facts, f"{p}.realised_usd"),
        ))  # fmt: skip
    header = ("Asset", "Day", "Week", "Month", "Week value", "Unrealised", "Realised")
    blocks += [Table(header, tuple(rows), (4, 2, 2, 2, 3, 3, 3)), ChartRef("pnl")]
    return Section("performance", "Performance", tuple(blocks))


def _news(facts: FactSet) -> Section:
    rows = tuple(
        (_asset_cell(facts, key), (F(f"sentiment.{key}.label"),), (F(f"sentiment.{key}.score"),),
         (F(f"sentiment.{key}.count"),))
        for key in (i.split(".")[1] for i in facts.ids("sentiment.") if i.endswith(".score"))
    )  # fmt: skip
    blocks: list[Block] = []
    if rows:
        blocks.append(Table(("Asset", "Sentiment", "Score", "Items"), rows, (3, 2, 2, 2)))
    items = news_ids(facts)
    blocks.append(Paragraph((
        "Found ", F("news.count"), " news items and posts about your holdings. Their words are "
        "third-party text, shown as written and never acted on.",
    ), "note"))  # fmt: skip
    for n in items:
        blocks.append(Paragraph((
            F(f"{n}.title", untrusted=True), " — ", F(f"{n}.source"), ", ", F(f"{n}.published"),
            "; mentions ", F(f"{n}.symbols"), "; ", F(f"{n}.sentiment"), ".",
        ), "untrusted"))  # fmt: skip
    blocks.append(ChartRef("sentiment"))
    return Section("news", "Sentiment and news", tuple(blocks))


def _risks(facts: FactSet) -> Section:
    blocks: list[Block] = [
        Paragraph(("Risk level: ", F("risk.level"), ".")),
        Paragraph((
            "Largest holding: ", F("risk.concentration.top_symbol"), " at ",
            F("risk.concentration.top_share_pct"), " of net worth.",
        )),
        Paragraph(("Holdings with a disputed price: ", F("risk.disputed.count"), ".")),
        Paragraph(("Unlimited approvals to spenders that are not the deployment's contracts: ",
                   F("risk.approvals.count"), ".")),
    ]  # fmt: skip
    approvals = [i for i in facts.ids("risk.approvals.") if len(i.split(".")) == 4]
    if approvals:
        rows = tuple(((F(f"{i}.symbol"),), (F(f"{i}.spender"),), (F(i),)) for i in approvals)
        blocks.append(Table(("Token", "Spender", "Allowance"), rows, (2, 6, 2)))
        warning = ("An unlimited approval lets the spender move all of that token at any "
                   "time; revoke the ones you do not use.")  # fmt: skip
        blocks.append(Paragraph((warning,), "note"))
    return Section("risks", "Risks", tuple(blocks))


TOTAL_NAMES = {  # what a total is called in the text
    "net_worth.usd": "Net worth",
    "perf.total.unrealised_usd": "Unrealised profit",
    "perf.total.realised_usd": "Realised profit",
    "risk.concentration.top_share_pct": "Largest holding's share",
    "risk.approvals.count": "Unlimited approvals",
    "holdings.spam_count": "Spam holdings",
}
_HOLDING_PARTS = {"amount": "amount", "usd": "value", "share_pct": "share"}


def _change_name(facts: FactSet, fact_id: str) -> Cell:
    if fact_id in TOTAL_NAMES:
        return (TOTAL_NAMES[fact_id],)
    hkey, _, part = fact_id.removeprefix("holding.").rpartition(".")
    return (F(f"holding.{hkey}.symbol"), " ", _HOLDING_PARTS.get(part, part))


def _changes(facts: FactSet) -> Section:
    if "change.previous_as_of" not in facts:
        paragraph = Paragraph(("No earlier report of this wallet to compare with.",))
        return Section("changes", "What changed", (paragraph,))
    blocks: list[Block] = [Paragraph(("Since the report of ", F("change.previous_as_of"), ":"))]
    rows: list[tuple[Cell, ...]] = []
    for fact_id in facts.ids("change."):
        if fact_id.startswith(("change.added.", "change.removed.")):
            what = "new holding" if fact_id.startswith("change.added.") else "holding gone"
            rows.append(((F(fact_id),), (what,)))
        elif fact_id != "change.previous_as_of":
            rows.append((_change_name(facts, fact_id.removeprefix("change.")), (F(fact_id),)))
    if rows:
        blocks.append(Table(("What", "Change"), tuple(rows), (4, 3)))
    else:
        blocks.append(Paragraph(("Nothing changed.",)))
    return Section("changes", "What changed", tuple(blocks))


def sections(facts: FactSet) -> tuple[Section, ...]:
    """The report's sections, in order."""
    return (
        _summary(facts),
        _holdings(facts),
        _prices(facts),
        _performance(facts),
        _news(facts),
        _risks(facts),
        _changes(facts),
    )
