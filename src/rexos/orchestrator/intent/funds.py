"""Rules for the commands that move funds: swap, send, stake, unstake, bridge.

Claims have their own module (:mod:`.claims`).

Every slot must be read exactly; a missing or unreadable one is a question, never a
default that moves funds. The only default is the token of stake and unstake (REX,
the token the economy stakes), which moves nothing the user did not name an amount of.
"""

from __future__ import annotations

import re

from rexos.orchestrator.intent.amounts import Amount
from rexos.orchestrator.intent.result import JsonValue
from rexos.orchestrator.intent.rule import Rule, trigger
from rexos.orchestrator.intent.slots import (
    Context,
    Unclear,
    amount_json,
    names_an_account,
    parse_chain,
    parse_recipient,
    parse_symbol,
    read_amount,
    reads_as_amount,
    split_object,
)

__all__ = ["BRIDGE", "BUY", "SELL", "SEND", "STAKE", "SWAP", "UNSTAKE"]

Args = dict[str, JsonValue]
STAKE_TOKEN = "REX"


def _cut(words: list[str], connectors: set[str]) -> tuple[list[str], list[str] | None]:
    """Split at the first connector word: ``(before, after)``; ``after`` is None if absent."""
    for i, word in enumerate(words):
        if word.lower() in connectors:
            return words[:i], words[i + 1 :]
    return words, None


def _token(words: list[str] | None, slot: str, ctx: Context) -> str | None:
    if not words:
        return None
    if len(words) > 1:
        raise Unclear(f"'{' '.join(words)}' is not one token: which token do you mean?", slot)
    return parse_symbol(words[0], slot, ctx)


def _object(words: list[str], slot: str, ctx: Context) -> tuple[Amount | None, str | None]:
    amount_text, symbol = split_object(words)
    token = parse_symbol(symbol, slot, ctx) if symbol else None
    if amount_text and token is None and not reads_as_amount(amount_text):
        raise Unclear(
            f"I couldn't read '{amount_text}' as an amount and a token: how much of which token?",
            "amount",
            slot,
        )
    return (read_amount(amount_text) if amount_text else None), token


def _swap(verb: str, rest: str, ctx: Context) -> Args:
    left, right = _cut(rest.split(), {"to", "for", "into", "->", "→"})
    if len(left) == 3 and left[1].lower() == "and" and right is None:
        a, b = (parse_symbol(w, "sell", ctx) for w in (left[0], left[2]))
        raise Unclear(
            f"Which way, and how much: {a} for {b}, or {b} for {a}?", "amount", "sell", "buy"
        )
    amount, sell = _object(left, "sell", ctx)
    buy = _token(right, "buy", ctx)
    if sell is None:
        how = ", and how much" if amount is None else ""
        raise Unclear(
            f"Which token do you want to {verb}{f' for {buy}' if buy else ''}{how}?",
            *(["amount"] if amount is None else []),
            "sell",
            *([] if buy else ["buy"]),
        )
    if amount is None and buy is None:
        raise Unclear(
            f"How much {sell} do you want to {verb}, and for which token?", "amount", "buy"
        )
    if amount is None:
        raise Unclear(f"How much {sell} do you want to {verb} for {buy}?", "amount")
    if buy is None:
        raise Unclear(f"Which token do you want to {verb} {amount.of(sell)} for?", "buy")
    return _swap_args(amount, "sell", sell, buy)


def _swap_args(amount: Amount, side: str, sell: str, buy: str) -> Args:
    if sell == buy:
        raise Unclear(f"You asked to swap {sell} for {sell}: which token do you want?", "buy")
    return {"amount": amount_json(amount), "side": side, "sell": sell, "buy": buy}


def _buy(match: re.Match[str], ctx: Context) -> Args:
    left, right = _cut(match["rest"].split(), {"with", "using", "for"})
    got, buy = _object(left, "buy", ctx)
    paid, sell = _object(right or [], "sell", ctx)
    if got is not None and paid is not None:
        raise Unclear(
            "Give the amount on one side only: how much to spend, or how much to get?", "amount"
        )
    if buy is None:
        raise Unclear("Which token do you want to buy?", "buy")
    if got is not None and got.kind == "fraction":
        raise Unclear(
            f"A share of a balance can be spent, not bought: how much {buy} do you want?",
            "amount",
        )
    amount = got or paid
    if amount is None:
        with_ = f" with {sell}" if sell else ", and with which token"
        raise Unclear(
            f"How much {buy} do you want to buy{with_}?", "amount", *([] if sell else ["sell"])
        )
    if sell is None:
        raise Unclear(f"Which token do you want to pay with for {amount.of(buy)}?", "sell")
    return _swap_args(amount, "buy" if got is not None else "sell", sell, buy)


SWAP = Rule(
    "swap",
    trigger(r"(?P<verb>swap|trade|convert|exchange)\b\s*(?P<rest>.*)"),
    lambda m, ctx: _swap(m["verb"].lower(), m["rest"], ctx),
)
SELL = Rule("swap", trigger(r"sell\b\s*(?P<rest>.*)"), lambda m, ctx: _swap("sell", m["rest"], ctx))
BUY = Rule("swap", trigger(r"buy\b\s*(?P<rest>.*)"), _buy)


def _recipient_first(words: list[str]) -> bool:
    """``pay alice 20 USDC``: a recipient, then an amount and a token."""
    if len(words) < 2 or words[1].lower() == "to":
        return False
    named = names_an_account(words[0])  # "0xd4e5…2e3" is no number
    if not named and split_object(words[:1])[0] is not None:
        return False
    amount_text = split_object(_cut(words[1:], {"for"})[0])[0]
    return amount_text is not None and reads_as_amount(amount_text)


def _someone_of_mine(words: list[str]) -> str | None:
    """``pay my landlord 800 usdc``: a person of the user's ("my landlord"), then an amount
    and a token; the person is no account RexOS knows."""
    if len(words) < 4 or words[0].lower() not in ("my", "our") or names_an_account(words[1]):
        return None
    amount_text = split_object(_cut(words[2:], {"for"})[0])[0]
    if amount_text is None or not reads_as_amount(amount_text):
        return None
    return f"your {words[1]}"


def _send(match: re.Match[str], ctx: Context) -> Args:
    words = match["rest"].split()
    someone = _someone_of_mine(words)
    if someone is not None:
        raise Unclear(
            f"Which account is {someone}? Give its 0x address, ENS name or one of your wallets.",
            "to",
        )
    if _recipient_first(words):  # "pay alice 20 usdc (for dinner)"
        obj, to_words = _cut(words[1:], {"for"})[0], words[:1]
    else:
        obj, after = _cut(words, {"to"})
        to_words = after or []
    amount, token = _object(obj, "token", ctx)
    to = parse_recipient(to_words) if to_words else None
    if token is None:
        raise Unclear(
            f"Which token do you want to send{f' to {to[0]}' if to else ''}?",
            *(["amount"] if amount is None else []),
            "token",
            *([] if to else ["to"]),
        )
    if amount is None:
        whom = f"to {to[0]}" if to else ", and to whom"
        raise Unclear(
            f"How much {token} do you want to send{' ' if to else ''}{whom}?",
            "amount",
            *([] if to else ["to"]),
        )
    if to is None:
        raise Unclear(
            f"Who should receive {amount.of(token)}? Give a 0x address or a wallet name.", "to"
        )
    return {"amount": amount_json(amount), "token": token, "to": to[0], "to_kind": to[1]}


SEND = Rule("send", trigger(r"(?:send|transfer|pay)\b\s*(?P<rest>.*)"), _send)


_STAKE_WORDS = {"stake", "staked", "position", "staking", "rn", "now"}


def _staking(verb: str, rest: str, ctx: Context) -> Args:
    words = rest.split()
    while words and words[-1].lower() in _STAKE_WORDS:  # "unstake 25% of my stake"
        words = words[:-1]
    amount, token = _object(words, "token", ctx)
    token = token or STAKE_TOKEN
    if amount is None:
        raise Unclear(f"How much {token} do you want to {verb}?", "amount")
    return {"amount": amount_json(amount), "token": token}


STAKE = Rule(
    "stake", trigger(r"stake\b\s*(?P<rest>.*)"), lambda m, c: _staking("stake", m["rest"], c)
)
UNSTAKE = Rule(
    "unstake",
    trigger(r"un-?stake\b\s*(?P<rest>.*)"),
    lambda m, c: _staking("unstake", m["rest"], c),
)


def _bridge(match: re.Match[str], ctx: Context) -> Args:
    words = match["rest"].split()
    marks = [i for i, w in enumerate(words) if w.lower() in {"to", "from", "on"}]
    obj = words[: marks[0]] if marks else words
    chains: dict[str, str] = {}
    for n, i in enumerate(marks):
        end = marks[n + 1] if n + 1 < len(marks) else len(words)
        slot = "to_chain" if words[i].lower() == "to" else "from_chain"
        if slot in chains or i + 1 == end:
            raise Unclear("From which chain to which chain do you want to bridge?", slot)
        chains[slot] = parse_chain(" ".join(words[i + 1 : end]), slot)
    amount, token = _object(obj, "token", ctx)
    if token is None:
        raise Unclear("Which token do you want to bridge?", "token")
    if amount is None:
        where = f" to {chains['to_chain']}" if "to_chain" in chains else ""
        raise Unclear(f"How much {token} do you want to bridge{where}?", "amount")
    if "to_chain" not in chains:
        raise Unclear(f"Which chain do you want to bridge {amount.of(token)} to?", "to_chain")
    if chains.get("from_chain") == chains["to_chain"]:
        raise Unclear(
            f"Both ends are {chains['to_chain']}: which chain is the destination?", "to_chain"
        )
    return {
        "amount": amount_json(amount),
        "token": token,
        "from_chain": chains.get("from_chain"),
        "to_chain": chains["to_chain"],
    }


BRIDGE = Rule("bridge", trigger(r"bridge\b\s*(?P<rest>.*)"), _bridge)
