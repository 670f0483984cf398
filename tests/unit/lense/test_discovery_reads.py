"""Decoding what tokens answer: strings, bytes32, garbage, cut text, a batch split in halves."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from eth_abi.abi import encode
from web3 import Web3

from rexos.dex.multicall import Call, Multicall
from rexos.errors import RpcUnavailable, TransactionReverted, UsageError
from rexos.lense.discovery_reads import (
    MAX_NAME,
    UNREADABLE,
    decode_text,
    decode_uint,
    read_all,
    read_metadata,
)


def string(text: str | bytes) -> bytes:
    return encode(["string" if isinstance(text, str) else "bytes"], [text])


def test_strings_and_bytes32_decode() -> None:
    assert decode_text(string("USD Coin"), 10) == ("USD Coin", False)
    assert decode_text(b"MKR".ljust(32, b"\x00"), 10) == ("MKR", False)
    assert decode_text(string("x" * 300), MAX_NAME) == ("x" * MAX_NAME, True)
    assert decode_text(string("US\x00D\x07C\n"), 10) == ("USDC", False)


@pytest.mark.parametrize(
    "raw",
    [
        None,
        b"",
        b"\x01\x02",
        b"\xff".ljust(32, b"\x00"),  # bytes32 that is not UTF-8
        bytes(32),  # bytes32 of nothing
        string(b"\xc3\x28"),  # invalid UTF-8 inside a string
        (2**255).to_bytes(32, "big") + bytes(32),  # offset past the end
        (32).to_bytes(32, "big") + (10**9).to_bytes(32, "big") + b"abc",  # length past the end
        string(""),
    ],
)
def test_unreadable_text_is_none(raw: bytes | None) -> None:
    assert decode_text(raw, 10) == (None, False)


def test_uints_need_a_whole_word() -> None:
    assert decode_uint((7).to_bytes(32, "big") + b"extra") == 7
    assert decode_uint(b"\x07" * 31) is None and decode_uint(None) is None


class FakeMulticall(Multicall):
    """Answers from a table; refuses any batch holding a call to ``poison`` with more than
    ``limit`` calls, like a chain running out of gas."""

    def __init__(self, answers: dict[tuple[str, bytes], bytes], poison: str = "", limit: int = 1):
        super().__init__(Web3(), batch=500)
        self.answers, self.poison, self.limit = answers, poison, limit
        self.batches: list[int] = []

    def try_many(self, calls: Sequence[Call], block: int) -> list[bytes | None]:
        self.requests += 1
        self.batches.append(len(calls))
        if any(c.target == self.poison for c in calls) and len(calls) > self.limit:
            raise TransactionReverted("out of gas", action="read a batch")
        return [self.answers.get((c.target, c.data)) for c in calls]


TOKEN = [Web3.to_checksum_address(f"0x{k:040x}") for k in range(1, 6)]


def test_a_refused_batch_is_split_until_the_culprit_is_alone() -> None:
    answers = {(t, b"n"): t.encode() for t in TOKEN}
    multicall = FakeMulticall(answers, poison=TOKEN[2], limit=0)
    out = read_all(multicall, [Call(t, b"n") for t in TOKEN], 0)
    assert out == [TOKEN[0].encode(), TOKEN[1].encode(), None, TOKEN[3].encode(), TOKEN[4].encode()]
    assert multicall.batches[0] == 5 and 1 in multicall.batches


def test_an_unreachable_node_is_not_split() -> None:
    class Down(FakeMulticall):
        def try_many(self, calls: Sequence[Call], block: int) -> list[bytes | None]:
            self.requests += 1
            raise RpcUnavailable("cannot reach the chain")

    down = Down({})
    with pytest.raises(RpcUnavailable):
        read_all(down, [Call(t, b"n") for t in TOKEN], 0)
    assert down.requests == 1


def test_metadata_problems_are_named() -> None:
    symbol, name, decimals = (
        bytes.fromhex("95d89b41"),
        bytes.fromhex("06fdde03"),
        bytes.fromhex("313ce567"),
    )
    good, odd = TOKEN[0], TOKEN[1]
    answers = {
        (good, symbol): string("GOOD"),
        (good, name): string("Good Token"),
        (good, decimals): (6).to_bytes(32, "big"),
        (odd, name): string("y" * 1000),
        (odd, decimals): (78).to_bytes(32, "big"),
    }
    ok, bad = read_metadata(FakeMulticall(answers), [good, odd], 0)
    assert (ok.symbol, ok.name, ok.decimals, ok.problems) == ("GOOD", "Good Token", 6, ())
    assert bad.symbol == UNREADABLE and bad.name == "y" * MAX_NAME and bad.decimals == 0
    assert bad.problems == (
        "symbol() unreadable",
        "symbol() or name() too long",
        "decimals() is 78, above 77",
    )


def test_the_index_query_takes_only_a_checksummed_owner(tmp_path: Path) -> None:
    from rexos.lense.discovery_history import _indexed

    for bad in ("0x' OR 1=1 --", "x' UNION SELECT token FROM tokens --", "0xabc"):
        with pytest.raises(UsageError, match="not a checksummed address"):
            _indexed(tmp_path / "none.duckdb", bad)
