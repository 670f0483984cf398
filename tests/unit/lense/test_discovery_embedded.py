"""Discovery on the embedded py-evm chain (no HTTP: web3's own log queries), with no
deployment at all: a look-alike token minted to six wallets."""

from __future__ import annotations

import pytest

from rexos.chain import EmbeddedChain, Transactor, dev_account
from rexos.lense.discovery import discover
from rexos.lense.discovery_source import ChainSource
from rexos.lense.model import NATIVE, Discovery

HOLDERS = range(1, 7)


@pytest.fixture(scope="module")
def chain() -> tuple[EmbeddedChain, str, str]:
    """The chain, the look-alike token (minted to six wallets, one block each: eth-tester
    mines a sender's transactions one at a time), a RexMulticall."""
    chain = EmbeddedChain()
    deployer = Transactor(chain.web3, dev_account(0))
    token = deployer.deploy("DevToken", "Ｗrapped Ether", "WЕTH", 18, dev_account(0).address)
    multicall = deployer.deploy("RexMulticall").address
    for who in HOLDERS:
        mint = token.functions.mint(dev_account(who).address, who * 10**18)
        deployer.send(mint, action="mint")
    return chain, token.address, multicall


def _discover(chain: tuple[EmbeddedChain, str, str], multicall: str | None) -> Discovery:
    evm, _, _ = chain
    source = ChainSource(int(evm.web3.eth.chain_id), evm.web3, multicall=multicall)
    return discover([source], dev_account(3).address)


def test_a_lookalike_airdrop_without_a_deployment(chain: tuple[EmbeddedChain, str, str]) -> None:
    evm, token, multicall = chain
    found = _discover(chain, multicall)
    chain_id = int(evm.web3.eth.chain_id)
    assert [(p.asset.token, p.amount) for p in found.positions] == [
        (NATIVE, int(evm.web3.eth.get_balance(dev_account(3).address))),
        (token, 3 * 10**18),
    ]
    verdict = found.spam[f"{chain_id}:{token}"]
    assert verdict.spam and verdict.rules == ("homoglyph",)  # one recipient per block: no airdrop
    assert found.found_in_history == {f"{chain_id}:{token}"}


def test_without_a_multicall_the_reads_go_one_by_one(chain: tuple[EmbeddedChain, str, str]) -> None:
    _, _, multicall = chain
    batched, plain = _discover(chain, multicall), _discover(chain, None)
    assert plain.positions[1:] != () and [p.amount for p in plain.positions] == [
        p.amount for p in batched.positions
    ]
    assert plain.spam == batched.spam and plain.rpc_requests > batched.rpc_requests
    assert "by eth_call" in plain.positions[1].source
