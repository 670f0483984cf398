"""The airdrop page: the airdrop's facts, one address's allocation (or why the draft list
excluded it), and for the server's own wallet a claim shown as its exact transaction first.

Every figure comes from the airdrop file (every hash checked) and the distributor on chain,
through :class:`rexos.orchestrator.airdrop_desk.AirdropDesk`; amounts are REX rounded down
for people.
"""

from __future__ import annotations

from datetime import UTC, datetime

from rexos.orchestrator.airdrop_desk import AirdropStatus, ClaimPending
from rexos.types import format_units
from rexos.web.html import Html, join, render, row_table, tag
from rexos.web.layout import hidden_csrf, page

__all__ = ["airdrop_page", "rex", "when"]


def rex(wei: int) -> str:
    return f"{format_units(wei, 18, 4)} REX"


def when(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _facts(status: AirdropStatus | None) -> Html:
    if status is None:
        return Html("")
    f = status.facts
    rows = [
        ("Allocations", f"{status.claims:,}, {rex(status.total)} in all"),
        ("Left to claim", rex(f.balance)),
        ("Claims open until", when(f.deadline) + ("" if status.open else " (closed)")),
        ("Merkle root", tag("code", f.root, class_="hash")),
        ("Distributor", tag("code", f.address, class_="hash")),
    ]
    return tag("section", join([tag("h2", "This airdrop"), row_table(rows)]),
               id="facts", aria_label="This airdrop", data_testid="facts")  # fmt: skip


def _status(status: AirdropStatus, csrf: str) -> Html:
    a = status.allocation
    if a is None:
        parts = [tag("h3", "No allocation"),
                 tag("p", f"{status.address} has no allocation in this airdrop.")]  # fmt: skip
        x = status.excluded
        if x is not None:
            why = (f"The draft list excluded it: it lost {', '.join(x.lost)} as one of a "
                   f"cluster of {x.size} addresses ({x.cluster}); the evidence is published "
                   f"with the draft, and appeals closed at {when(x.appeal_deadline)}.")  # fmt: skip
            parts.append(tag("p", why, data_testid="excluded"))
        return tag("article", join(parts), class_="check invalid", data_testid="status")
    state = "claimed" if status.claimed else ("open" if status.open else "closed")
    strong = tag("strong", state, data_testid="state")
    parts = [
        tag("h3", rex(a.amount), data_testid="amount"),
        tag("p", join([status.address, f" · allocation {a.index} · ", strong])),
    ]
    if status.delivery != status.address:
        parts.append(tag("p", f"Claims others send for it pay {status.delivery} (bound).",
                         class_="hint"))  # fmt: skip
    if status.claimable:
        parts.append(_claim_form(csrf))
    return tag("article", join(parts), class_="check valid", data_testid="status")


def _claim_form(csrf: str) -> Html:
    claim = Html('<button type="submit" name="stake" value="0">Claim</button>')
    stake = Html('<button type="submit" name="stake" value="1" class="secondary">'
                 "Claim and stake into sREX</button>")  # fmt: skip
    form = tag("form", join([hidden_csrf(csrf), tag("div", join([claim, stake]),
                                                    class_="actions")]),
               method="post", action="/airdrop/claim#result")  # fmt: skip
    note = tag("small", "Next you see the exact transaction; nothing is signed until you "
                        "confirm it.")  # fmt: skip
    return join([form, note])


def _pending(p: ClaimPending, csrf: str) -> Html:
    rows = [
        ("Claim", rex(p.amount) + (", staked into sREX" if p.stake else "")),
        ("From", tag("code", p.sender, class_="hash")),
        ("To", join([tag("code", p.distributor, class_="hash"), " (RexAirdrop)"])),
        ("Transaction", p.summary),
        ("Gas (simulated)", "-" if p.gas is None else f"{p.gas:,}"),
        ("Wallet policy", f"{p.verdict}: {p.reason}"),
        ("Fingerprint", tag("code", p.fingerprint, class_="hash", data_testid="fingerprint")),
    ]
    sign = join([hidden_csrf(csrf), tag("button", "Sign and claim", type="submit")])
    confirm = tag("form", sign, method="post",
                  action=f"/airdrop/claim/{p.fingerprint}/confirm#result")  # fmt: skip
    cancel = tag("a", "Cancel", href="/airdrop", role="button", class_="secondary outline")
    parts = [tag("h3", "Confirm this transaction"), row_table(rows),
             tag("div", join([confirm, cancel]), class_="actions")]  # fmt: skip
    return tag("article", join(parts), class_="check pending", data_testid="confirm-claim")


def airdrop_page(
    csrf: str,
    status: AirdropStatus | None,
    *,
    address: str = "",
    error: str | None = None,
    pending: ClaimPending | None = None,
    claimed_tx: str | None = None,
) -> str:
    """The page: the airdrop's facts, the lookup form, and what it found (or ``error``)."""
    shown: list[Html] = []
    if error is not None:
        shown.append(tag("article", join([tag("h3", "Cannot do that"),
                                          tag("p", error, class_="error",
                                              data_testid="airdrop-error")]),
                         class_="check invalid", role="alert"))  # fmt: skip
    if claimed_tx is not None:
        shown.append(tag("article", join([tag("h3", "Claimed", data_testid="claimed"),
                                          tag("p", join(["Transaction ",
                                                         tag("code", claimed_tx,
                                                             class_="hash")]))]),
                         class_="check valid"))  # fmt: skip
    if pending is not None:
        shown.append(_pending(pending, csrf))
    elif status is not None:
        shown.append(_status(status, csrf))
    main = render("airdrop.html", facts=_facts(status), address=address, result=join(shown))
    return page("Airdrop", main, current="airdrop", csrf=csrf)
