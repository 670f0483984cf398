"""The lean aggregate3 codec is the ABI's, byte for byte."""

from __future__ import annotations

import pytest
from eth_abi.abi import decode, encode
from hypothesis import given
from hypothesis import strategies as st
from web3 import Web3

from rexos.dex.multicall import Call
from rexos.errors import ChainError
from rexos.lense.discovery_batch import AGGREGATE3, pack_aggregate3, unpack_results

addresses = st.binary(min_size=20, max_size=20).map(Web3.to_checksum_address)
calls = st.lists(st.builds(Call, addresses, st.binary(max_size=100)), max_size=12)
results = st.lists(st.tuples(st.booleans(), st.binary(max_size=100)), max_size=12)


@given(calls)
def test_packing_matches_eth_abi(batch: list[Call]) -> None:
    packed = [(c.target, True, c.data) for c in batch]
    assert pack_aggregate3(batch) == AGGREGATE3 + encode(["(address,bool,bytes)[]"], [packed])


@given(results)
def test_unpacking_matches_eth_abi(answers: list[tuple[bool, bytes]]) -> None:
    raw = encode(["(bool,bytes)[]"], [answers])
    (expected,) = decode(["(bool,bytes)[]"], raw)
    assert unpack_results(raw, len(answers)) == [bytes(d) if ok else None for ok, d in expected]


@pytest.mark.parametrize(
    "raw",
    [b"", b"\x00" * 31, encode(["(bool,bytes)[]"], [[(True, b"abc")]])[:-40]],
)
def test_short_or_cut_answers_are_chain_errors(raw: bytes) -> None:
    with pytest.raises(ChainError):
        unpack_results(raw, 1)


def test_a_different_count_is_a_chain_error() -> None:
    with pytest.raises(ChainError, match="different number"):
        unpack_results(encode(["(bool,bytes)[]"], [[(True, b"")]]), 2)
