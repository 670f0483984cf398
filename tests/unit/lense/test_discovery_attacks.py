"""Hostile tokens on a real anvil chain: garbage return data, a 1 MB name, decimals of 255,
reverting and code-less "tokens", lure names. Discovery must finish, read everything else
right, and flag what it cannot trust."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rexos.chain import AnvilChain
from rexos.dex.multicall import Call, Multicall, selector
from rexos.lense.discovery import discover
from rexos.lense.discovery_reads import MAX_NAME, read_all
from rexos.lense.discovery_source import ChainSource
from rexos.lense.model import Discovery
from tests.unit.lense.discovery_chain import (
    FRIEND,
    ONE_MB,
    OWNER,
    Devnet,
    address,
    build,
    returns_garbage,
    returns_huge_string,
    returns_word,
)

pytestmark = pytest.mark.anvil


@pytest.fixture(scope="module")
def net() -> Iterator[Devnet]:
    chain = AnvilChain()
    try:
        devnet = build(chain)
        devnet.extra |= {
            "garbage": devnet.deploy_raw(returns_garbage()),
            "huge": devnet.deploy_raw(returns_huge_string()),
            "w255": devnet.deploy_raw(returns_word(255)),
            "lure": devnet.tx(FRIEND)
            .deploy("DevToken", "Visit rexdrop.xyz to claim", "CLAIM", 18, address(OWNER))
            .address,
        }
        lure = devnet.contract(devnet.extra["lure"], "DevToken")
        devnet.tx(OWNER).send(lure.functions.mint(address(OWNER), 5), action="mint")
        yield devnet
    finally:
        chain.close()


HOSTILE = ("garbage", "huge", "w255", "lure")


@pytest.fixture(scope="module")
def found(net: Devnet) -> Discovery:
    router = net.manifest.contracts["RexRouter"]  # code, but no balanceOf: reverts
    nobody = address(9)  # no code at all
    listed = (*(net.extra[k] for k in HOSTILE), router, nobody)
    source = ChainSource(net.manifest.chain_id, net.web3, net.manifest, tokens=listed)
    return discover([source], address(OWNER))


def key(net: Devnet, name: str) -> str:
    return f"{net.manifest.chain_id}:{net.extra[name]}"


def test_the_hostile_contracts_answer_as_built(net: Devnet) -> None:
    call = {"to": net.extra["garbage"], "data": "0x70a08231"}
    assert bytes(net.web3.eth.call(call)) == bytes.fromhex("deadbeef01")  # type: ignore[arg-type]
    huge = bytes(net.web3.eth.call({"to": net.extra["huge"], "data": "0x06fdde03"}))  # type: ignore[arg-type]
    assert len(huge) == 64 + ONE_MB and huge[64:] == b"A" * ONE_MB


def test_the_honest_positions_are_still_all_there(net: Devnet, found: Discovery) -> None:
    symbols = {(p.kind, p.asset.symbol) for p in found.positions}
    assert {("balance", "WETH"), ("stake", "sREX")} <= symbols
    (lp,) = [p for p in found.positions if p.kind == "lp"]
    assert {a.symbol for a, _ in lp.underlying} == {"WETH", "USDC"}
    assert ("vesting", "REX") in symbols and ("balance", "PLN") in symbols


def test_unreadable_balances_are_not_positions(net: Devnet, found: Discovery) -> None:
    tokens = {p.asset.token for p in found.positions}
    assert net.extra["garbage"] not in tokens
    assert net.manifest.contracts["RexRouter"] not in tokens and address(9) not in tokens
    assert key(net, "garbage") not in found.spam


def test_a_one_megabyte_name_is_cut_and_flagged(net: Devnet, found: Discovery) -> None:
    (huge,) = [p for p in found.positions if p.asset.token == net.extra["huge"]]
    assert huge.amount == 32  # its balanceOf answer starts with the string's offset word
    assert huge.asset.name == "A" * MAX_NAME
    verdict = found.spam[key(net, "huge")]
    assert verdict.spam and "bad-metadata" in verdict.rules


def test_decimals_above_77_are_flagged_not_used(net: Devnet, found: Discovery) -> None:
    (odd,) = [p for p in found.positions if p.asset.token == net.extra["w255"]]
    assert odd.amount == 255 and odd.asset.decimals == 0 and odd.asset.symbol == "?"
    verdict = found.spam[key(net, "w255")]
    assert verdict.spam and verdict.rules == ("no-liquidity", "bad-metadata")


def test_lure_text_is_flagged(net: Devnet, found: Discovery) -> None:
    verdict = found.spam[key(net, "lure")]
    assert verdict.spam and verdict.rules == ("no-liquidity", "lure-text")
    (lure,) = [p for p in found.positions if p.asset.token == net.extra["lure"]]
    assert lure.amount == 5 and lure.asset.name == "Visit rexdrop.xyz to claim"


def test_a_batch_the_chain_refuses_is_split_down_to_the_culprit(net: Devnet) -> None:
    multicall = Multicall(net.web3, net.manifest.contracts["RexMulticall"], batch=500)
    name = selector("name()")
    weth = net.manifest.contracts["DevToken:WETH"]
    calls = [Call(net.extra["huge"], name)] * 8 + [Call(weth, name)]
    block = int(net.web3.eth.block_number)
    with pytest.raises(Exception, match="multicall"):
        multicall.try_many(calls, block)
    out = read_all(multicall, calls, block)
    assert len(out) == 9 and out[-1] is not None and b"Wrapped Ether" in out[-1]
    assert all(o is not None and len(o) == 64 + ONE_MB for o in out[:8])  # each alone fits
    assert multicall.requests > 2
