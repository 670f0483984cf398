"""Batched token reads for discovery: balances and metadata, tolerant of hostile tokens.

Every read goes through a :class:`~rexos.dex.multicall.Multicall` at one block. A batch the
chain refuses as a whole (a token that burns the gas, returns megabytes) is split in halves
until the culprit stands alone and reads as failed. Return data is decoded defensively:
short or garbage bytes read as failed, ``symbol()``/``name()`` may be a ``string`` or a
``bytes32``, text is cut to length and control characters dropped, decimals above 77 are
kept as a problem, not as a number to divide by.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from eth_abi.abi import encode

from rexos.dex.multicall import Call, Multicall, selector
from rexos.errors import ChainError, RpcUnavailable

__all__ = [
    "MAX_DECIMALS",
    "MAX_NAME",
    "MAX_SYMBOL",
    "UNREADABLE",
    "TokenMeta",
    "decode_text",
    "decode_uint",
    "read_all",
    "read_balances",
    "read_metadata",
]

MAX_DECIMALS = 77
"""The most decimals an amount can have: 10**78 does not fit a uint256."""

MAX_NAME = 256
"""Characters of a token name kept (the rest is cut, and that is a metadata problem)."""

MAX_SYMBOL = 32
"""Characters of a token symbol kept."""

UNREADABLE = "?"
"""The symbol or name of a token whose ``symbol()``/``name()`` cannot be read."""

_BALANCE_OF = selector("balanceOf(address)")
_SYMBOL, _NAME, _DECIMALS = selector("symbol()"), selector("name()"), selector("decimals()")


def read_all(multicall: Multicall, calls: Sequence[Call], block: int) -> list[bytes | None]:
    """Each call's return data at ``block`` (``None``: it reverted or could not be read);
    a batch the chain refuses as a whole is split until each failing call stands alone (an
    unreachable node is raised, not split)."""
    if not calls:
        return []
    try:
        return multicall.try_many(calls, block)
    except RpcUnavailable:
        raise
    except ChainError:
        if len(calls) == 1:
            return [None]
    if len(calls) > multicall.batch:
        step = multicall.batch
        parts = [calls[k : k + step] for k in range(0, len(calls), step)]
    else:
        half = len(calls) // 2
        parts = [calls[:half], calls[half:]]
    return [out for part in parts for out in read_all(multicall, part, block)]


def decode_uint(raw: bytes | None) -> int | None:
    """The first 32-byte word as an unsigned integer; ``None`` for shorter return data."""
    if raw is None or len(raw) < 32:
        return None
    return int.from_bytes(raw[:32], "big")


def decode_text(raw: bytes | None, limit: int) -> tuple[str | None, bool]:
    """A ``string`` (or ``bytes32``) return value as text of at most ``limit`` characters
    without control characters, and whether it was cut; ``(None, False)`` when unreadable."""
    if raw is None:
        return None, False
    data = _abi_string(raw) if len(raw) > 32 else _bytes32(raw)
    if data is None:
        return None, False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, False
    clean = "".join(c for c in text if unicodedata.category(c) != "Cc").strip()
    if not clean:
        return None, False
    return clean[:limit], len(clean) > limit


def _abi_string(raw: bytes) -> bytes | None:
    offset = int.from_bytes(raw[:32], "big")
    if offset > len(raw) - 32:
        return None
    length = int.from_bytes(raw[offset : offset + 32], "big")
    start = offset + 32
    if length > len(raw) - start:
        return None
    return raw[start : start + length]


def _bytes32(raw: bytes) -> bytes | None:
    if len(raw) != 32:
        return None
    return raw.rstrip(b"\x00")


def read_balances(
    multicall: Multicall, tokens: Sequence[str], owner: str, block: int
) -> list[int | None]:
    """``balanceOf(owner)`` of each token at ``block`` (``None``: unreadable)."""
    data = _BALANCE_OF + encode(["address"], [owner])
    return [decode_uint(r) for r in read_all(multicall, [Call(t, data) for t in tokens], block)]


@dataclass(frozen=True, slots=True)
class TokenMeta:
    """A token's symbol, name and decimals as read, with what was wrong with them."""

    symbol: str
    name: str
    decimals: int
    problems: tuple[str, ...] = ()


def read_metadata(multicall: Multicall, tokens: Sequence[str], block: int) -> list[TokenMeta]:
    """Symbol, name and decimals of each token at ``block``, in one batched round."""
    calls = [Call(t, s) for t in tokens for s in (_SYMBOL, _NAME, _DECIMALS)]
    raw = read_all(multicall, calls, block)
    return [_meta(*raw[3 * k : 3 * k + 3]) for k in range(len(tokens))]


def _meta(symbol_raw: bytes | None, name_raw: bytes | None, dec_raw: bytes | None) -> TokenMeta:
    problems: list[str] = []
    symbol, symbol_cut = decode_text(symbol_raw, MAX_SYMBOL)
    name, name_cut = decode_text(name_raw, MAX_NAME)
    if symbol is None:
        problems.append("symbol() unreadable")
    if name is None:
        problems.append("name() unreadable")
    if symbol_cut or name_cut:
        problems.append("symbol() or name() too long")
    decimals = decode_uint(dec_raw)
    if decimals is None:
        problems.append("decimals() unreadable")
    elif decimals > MAX_DECIMALS:
        problems.append(f"decimals() is {decimals}, above {MAX_DECIMALS}")
    kept = decimals if decimals is not None and decimals <= MAX_DECIMALS else 0
    return TokenMeta(symbol or UNREADABLE, name or UNREADABLE, kept, tuple(problems))
