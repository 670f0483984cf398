"""The scorer's judgement of arguments: a share written to a few places against an exact
fraction, and nothing looser."""

from __future__ import annotations

from tests.eval.understanding.score import judge

SEND_A_THIRD = {
    "text": "send a third of my dai to bob",
    "expect": "send",
    "args": {"amount": {"kind": "fraction", "value": "0.3333"}, "token": "DAI", "to": "bob",
             "to_kind": "wallet"},
}  # fmt: skip


def _answer(value: str, denominator: int | None) -> dict[str, object]:
    amount: dict[str, object] = {"kind": "fraction", "value": value}
    if denominator is not None:
        amount["denominator"] = denominator
    args = {"amount": amount, "token": "DAI", "to": "bob", "to_kind": "wallet"}
    return {"intent": "send", "args": args}


def test_a_third_matches_its_share_written_to_four_places() -> None:
    assert judge(SEND_A_THIRD, _answer("1", 3)).exact
    assert judge(SEND_A_THIRD, _answer("0.3333", None)).exact


def test_a_denominator_is_never_ignored() -> None:
    """``{"value": "1", "denominator": 3}`` is a third, not all of it."""
    args = {**SEND_A_THIRD["args"], "amount": {"kind": "fraction", "value": "1"}}  # type: ignore[dict-item]
    everything = {**SEND_A_THIRD, "args": args}
    assert not judge(everything, _answer("1", 3)).exact
    assert judge(everything, _answer("1", None)).exact
    assert not judge(SEND_A_THIRD, _answer("2", 3)).exact
    assert not judge(SEND_A_THIRD, _answer("0.33", None)).exact
