"""Provenance by meaning: properties of the checker over generated messages and proposals.

A message is built from filler words, amount phrases (with their kind), token symbols and
recipients; a proposal is a parsed :class:`Intent`. What the message holds justifies the
proposal; anything absent, of another kind, or only a substring of what was written does not.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from eth_utils.address import to_checksum_address
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rexos.orchestrator.intent import Amount, Intent
from rexos.orchestrator.provenance import UserWords, provenance_problem, value_of

PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FILLERS = ["please", "could", "you", "my", "the", "from", "wallet", "small", "overall",
           "install", "allow", "fallback", "behalf", "halfway", "maximal", "quarterly",
           "thirdweb", "tenths", "everythings", "today", "then", "and", "with", "for"]  # fmt: skip
SYMBOLS = ["WETH", "USDC", "REX", "DAI", "WBTC", "LINK", "ARB", "PEPE"]
NAMES = ["bob", "alice", "savings", "cold-1"]
SHARE_WORDS = {"all": Fraction(1), "max": Fraction(1), "everything": Fraction(1),
               "half": Fraction(1, 2), "a third": Fraction(1, 3), "a quarter": Fraction(1, 4),
               "two thirds": Fraction(2, 3), "three quarters": Fraction(3, 4),
               "a tenth": Fraction(1, 10)}  # fmt: skip

values = st.builds(
    lambda n, places: Decimal(n).scaleb(-places),
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=0, max_value=6),
)
addresses = st.binary(min_size=20, max_size=20).map(lambda b: to_checksum_address(b))


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


@st.composite
def amount_phrases(draw: st.DrawFn, kinds: tuple[str, ...] = ("exact", "usd", "fraction")):
    """An amount as a user writes it, and the :class:`Amount` it means."""
    kind = draw(st.sampled_from(kinds))
    if kind == "fraction":
        if draw(st.booleans()):
            word = draw(st.sampled_from(sorted(SHARE_WORDS)))
            share = SHARE_WORDS[word]
            return word, Amount("fraction", Decimal(share.numerator), share.denominator)
        pct = draw(st.integers(min_value=1, max_value=100))
        text = draw(st.sampled_from([f"{pct}%", f"{pct} %", f"{pct} percent", f"{pct} pct"]))
        return text, Amount("fraction", Decimal(pct) / 100)
    value = draw(values)
    plain = _plain(value)
    forms = [plain, format(value.normalize(), ",f")]
    if value >= 1000 and value % 1000 == 0:
        forms.append(f"{_plain(value / 1000)}k")
    number = draw(st.sampled_from(forms))
    if kind == "usd":
        forms = [f"${number}", f"$ {number}", f"{number} usd", f"{number} dollars", f"{number}$"]
        text = draw(st.sampled_from([*forms, f"US${number}", f"usd {number}"]))
        return text, Amount("usd", value)
    return number, Amount("exact", value)


@st.composite
def messages(draw: st.DrawFn, pieces: list[str]) -> str:
    words = draw(st.lists(st.sampled_from(FILLERS), max_size=8))
    order = draw(st.permutations([*pieces, *words]))
    return " ".join(order)


def send(amount: Amount, token: str, to: str) -> Intent:
    kind = "address" if to.startswith("0x") else "wallet"
    return Intent("send", {"amount": dict(amount.to_json()), "token": token, "to": to,
                           "to_kind": kind})  # fmt: skip


@PROFILE
@given(data=st.data(), phrase=amount_phrases(), token=st.sampled_from(SYMBOLS),
       to=st.one_of(addresses, st.sampled_from(NAMES)), cashtag=st.booleans(),
       lower=st.booleans())  # fmt: skip
def test_a_proposal_made_of_what_the_user_wrote_is_accepted(
    data: st.DataObject, phrase: tuple[str, Amount], token: str, to: str, cashtag: bool,
    lower: bool,
) -> None:  # fmt: skip
    text, amount = phrase
    written_to = to.lower() if lower else to
    written_token = ("$" if cashtag else "") + (token.lower() if lower else token)
    said = data.draw(messages([text, written_token, written_to]))
    assert provenance_problem(send(amount, token, to), said) is None, said


@PROFILE
@given(data=st.data(), phrases=st.lists(amount_phrases(), min_size=1, max_size=3),
       other=amount_phrases(), token=st.sampled_from(SYMBOLS))  # fmt: skip
def test_an_amount_the_user_did_not_write_is_refused(
    data: st.DataObject, phrases: list[tuple[str, Amount]], other: tuple[str, Amount], token: str
) -> None:
    assume(value_of(other[1]) not in {value_of(a) for _, a in phrases})
    said = data.draw(messages([t for t, _ in phrases] + [token, "bob"]))
    problem = provenance_problem(send(other[1], token, "bob"), said)
    assert problem is not None and "amount" in problem, said


@PROFILE
@given(data=st.data(), phrase=amount_phrases(), kind=st.sampled_from(["exact", "usd", "fraction"]),
       token=st.sampled_from(SYMBOLS))  # fmt: skip
def test_the_same_number_of_another_kind_is_refused(
    data: st.DataObject, phrase: tuple[str, Amount], kind: str, token: str
) -> None:
    text, written = phrase
    assume(kind != written.kind)
    share = Fraction(written.value) / written.denominator
    candidates = {share, Fraction(written.value)}
    if written.kind == "fraction":
        candidates.add(share * 100)  # "5%" is not 5 tokens, nor $5
    said = data.draw(messages([text, token, "bob"]))
    for number in candidates:
        if kind == "fraction" and number > 1:
            continue
        value = Decimal(number.numerator) / Decimal(number.denominator)
        if value != number:
            continue  # no finite decimal (a third): the grammar cannot write it this way
        proposal = send(Amount(kind, value), token, "bob")  # type: ignore[arg-type]
        assert provenance_problem(proposal, said) is not None, (said, kind, number)


@PROFILE
@given(data=st.data(), to=addresses, start=st.integers(0, 39), length=st.integers(1, 12),
       kind=st.sampled_from(["exact", "usd"]), token=st.sampled_from(SYMBOLS))  # fmt: skip
def test_digits_inside_an_address_never_justify_an_amount(
    data: st.DataObject, to: str, start: int, length: int, kind: str, token: str
) -> None:
    digits = "".join(c for c in to[2:][start : start + length] if c.isdigit()).lstrip("0")
    assume(digits)
    said = data.draw(messages([to, token, "send"]))
    assert not UserWords.read(said).amounts
    proposal = send(Amount(kind, Decimal(digits)), token, to)  # type: ignore[arg-type]
    assert "amount" in (provenance_problem(proposal, said) or ""), said


@PROFILE
@given(data=st.data(), share=st.sampled_from(sorted(SHARE_WORDS)), token=st.sampled_from(SYMBOLS))
def test_share_words_inside_other_words_never_justify_a_share(
    data: st.DataObject, share: str, token: str
) -> None:
    said = data.draw(messages([token, "bob"]))  # fillers: wallet, small, behalf, maximal, ...
    fraction = SHARE_WORDS[share]
    amount = Amount("fraction", Decimal(fraction.numerator), fraction.denominator)
    assert "amount" in (provenance_problem(send(amount, token, "bob"), said) or ""), said


@PROFILE
@given(data=st.data(), written=values, start=st.integers(0, 15), length=st.integers(1, 15),
       token=st.sampled_from(SYMBOLS))  # fmt: skip
def test_a_number_inside_a_longer_number_is_not_written(
    data: st.DataObject, written: Decimal, start: int, length: int, token: str
) -> None:
    text = _plain(written)
    part = text[start : start + length].strip(".")
    assume(part and part.replace(".", "").strip("0") and Decimal(part) != written)
    said = data.draw(messages([text, token, "bob"]))
    proposal = send(Amount("exact", Decimal(part)), token, "bob")
    assert "amount" in (provenance_problem(proposal, said) or ""), (said, part)


@PROFILE
@given(value=values, token=st.sampled_from(SYMBOLS), other=st.sampled_from(SYMBOLS))
def test_dollars_of_a_token_are_not_that_many_tokens(
    value: Decimal, token: str, other: str
) -> None:
    assume(token != other)
    said = f"swap ${_plain(value)} of {token} to {other}"
    args = {"side": "sell", "sell": token, "buy": other}
    as_tokens = Intent("swap", {"amount": dict(Amount("exact", value).to_json()), **args})
    as_dollars = Intent("swap", {"amount": dict(Amount("usd", value).to_json()), **args})
    assert "amount" in (provenance_problem(as_tokens, said) or "")
    assert provenance_problem(as_dollars, said) is None


@PROFILE
@given(data=st.data(), written=addresses, proposed=addresses, extra=st.text("0123456789abcdef",
       min_size=1, max_size=4))  # fmt: skip
def test_a_recipient_must_be_a_whole_address_the_user_wrote(
    data: st.DataObject, written: str, proposed: str, extra: str
) -> None:
    assume(written.lower() != proposed.lower())
    amount = Amount("exact", Decimal(5))
    said = data.draw(messages(["5", "USDC", written, proposed + extra]))  # a longer 0x token
    assert "recipient" in (provenance_problem(send(amount, "USDC", proposed), said) or "")
    assert provenance_problem(send(amount, "USDC", written), said) is None


@pytest.mark.parametrize(
    ("said", "token", "to"),
    [("send 5 weth to bob", "ETH", "bob"), ("send 5 usdc to bob", "USD", "bob"),
     ("send 5 USDC to bobby", "USDC", "bob"), ("send 5 USDC to Bob", "USDC", "bob")],
)  # fmt: skip
def test_tokens_and_names_are_whole_words(said: str, token: str, to: str) -> None:
    assert provenance_problem(send(Amount("exact", Decimal(5)), token, to), said) is not None


def test_a_mixed_case_address_with_a_bad_checksum_is_not_a_recipient() -> None:
    good = "0x000000000000000000000000000000000000dEaD"
    typo = "0x000000000000000000000000000000000000DeaD"
    amount = Amount("exact", Decimal(5))
    assert provenance_problem(send(amount, "USDC", good), f"send 5 USDC to {good}") is None
    assert "recipient" in (provenance_problem(send(amount, "USDC", good.lower()),
                                              f"send 5 USDC to {typo}") or "")  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("send 1,500 usdc", {("exact", Fraction(1500))}),
        ("1.5k and 2 million", {("exact", Fraction(1500)), ("exact", Fraction(2_000_000))}),
        ("$5, 6 usd, 7 dollars, 8 bucks", {("usd", Fraction(n)) for n in (5, 6, 7, 8)}),
        ("25% then 10 percent", {("fraction", Fraction(1, 4)), ("fraction", Fraction(1, 10))}),
        (
            "half, a third and all",
            {("fraction", Fraction(n, d)) for n, d in ((1, 2), (1, 3), (1, 1))},
        ),
        ("€5, 5 eur, 1,5, 2-3, 10:30, -4, ~6, 10x, 1st, v2", set()),
        ("5 $ 6, 7$ 8, 9 usd 10: whose dollars?", set()),
        ("small wallet overall, behalf, maximal, quarterly", set()),
        ("to 0x000000000000000000000000000000000000dEaD 0x1234", set()),
    ],
)
def test_what_a_message_offers(text: str, expected: set[tuple[str, Fraction]]) -> None:
    assert UserWords.read(text).amounts == expected


def test_chains_are_read_through_their_aliases() -> None:
    said = "bridge 100 USDC from arb to the op network"
    ok = Intent("bridge", {"amount": {"kind": "exact", "value": "100"}, "token": "USDC",
                           "from_chain": "arbitrum", "to_chain": "optimism"})  # fmt: skip
    assert provenance_problem(ok, said) is None
    moved = Intent("bridge", {**ok.args, "to_chain": "base"})
    assert "chain base" in (provenance_problem(moved, said) or "")
