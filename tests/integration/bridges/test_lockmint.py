"""The lock-and-mint bridge end to end on two anvil chains: lock, relay, mint, burn, release."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from eth_account import Account
from web3 import Web3

from rexos.bridges.lockmint import BridgeTransfer, RexBridge, sign_transfer, sign_transfer_by
from rexos.bridges.relayer import Relayer, RelayerStore
from rexos.chain import AnvilChain, Transactor, dev_account, load_artifact
from rexos.chain.devaccounts import dev_relayer
from rexos.chain.devnet import PEER_CHAIN_ID
from rexos.deployment import deploy_bridges, deploy_dev
from rexos.errors import TransactionReverted
from rexos.types import Address

pytestmark = pytest.mark.anvil

USER = dev_account(1)
FRIEND = dev_account(2)
HOME = 31337  # anvil's default chain id


@pytest.fixture(scope="module")
def peer() -> Iterator[AnvilChain]:
    chain = AnvilChain(chain_id=PEER_CHAIN_ID)
    yield chain
    chain.close()


@pytest.fixture(scope="module")
def bridged(anvil: AnvilChain, peer: AnvilChain) -> dict[str, object]:
    home = deploy_dev(anvil, funded=[Address(USER.address)])
    home, remote = deploy_bridges(anvil, home, peer, dev_account(0), Address(dev_relayer().address))
    return {"home": home, "remote": remote}


def _erc20(web3: Web3, address: str):  # type: ignore[no-untyped-def]
    return web3.eth.contract(address=address, abi=load_artifact("DevToken").abi)


def _relayer(anvil: AnvilChain, peer: AnvilChain, bridged: dict, tmp_path: Path) -> Relayer:  # type: ignore[type-arg]
    home = RexBridge(anvil.web3, bridged["home"].address("RexBridge"))
    remote = RexBridge(peer.web3, bridged["remote"].address("RexBridge"))
    return Relayer([home, remote], [dev_relayer()], dev_relayer(), RelayerStore(tmp_path / "r.db"))


def test_round_trip_locks_mints_burns_and_releases(anvil, peer, bridged, tmp_path) -> None:
    home_m, remote_m = bridged["home"], bridged["remote"]
    usdc = home_m.address("DevToken:USDC")
    busdc = remote_m.address("BridgedToken:USDC")
    home = RexBridge(anvil.web3, home_m.address("RexBridge"))
    remote = RexBridge(peer.web3, remote_m.address("RexBridge"))
    relayer = _relayer(anvil, peer, bridged, tmp_path)
    amount = 1_234_567_890  # 1,234.56789 USDC
    before = _erc20(anvil.web3, usdc).functions.balanceOf(USER.address).call()

    transfer, _ = home.send(
        Transactor(anvil.web3, USER), usdc, amount, PEER_CHAIN_ID, FRIEND.address
    )
    assert transfer.home_token == usdc and transfer.amount == amount
    assert _erc20(anvil.web3, usdc).functions.balanceOf(USER.address).call() == before - amount
    assert home.contract.functions.locked(usdc).call() == amount
    assert not remote.is_delivered(HOME, transfer.nonce)

    deliveries = relayer.step()
    assert [d.transfer for d in deliveries] == [transfer]
    assert remote.is_delivered(HOME, transfer.nonce)
    wrapped = _erc20(peer.web3, busdc)
    assert wrapped.functions.balanceOf(FRIEND.address).call() == amount
    assert wrapped.functions.decimals().call() == 6
    assert relayer.step() == []  # nothing twice

    back, _ = remote.send(Transactor(peer.web3, FRIEND), busdc, amount, HOME, USER.address)
    assert back.home_chain_id == HOME and back.home_token == usdc
    assert wrapped.functions.totalSupply().call() == 0  # burned on send
    assert [d.transfer for d in relayer.step()] == [back]
    assert _erc20(anvil.web3, usdc).functions.balanceOf(USER.address).call() == before
    assert home.contract.functions.locked(usdc).call() == 0
    assert relayer.store.counts() == {"delivered": 2}


def test_relayer_restart_resumes_from_its_cursor(anvil, peer, bridged, tmp_path) -> None:
    home = RexBridge(anvil.web3, bridged["home"].address("RexBridge"))
    weth = bridged["home"].address("DevToken:WETH")
    first = _relayer(anvil, peer, bridged, tmp_path)
    first.scan()  # catches up with earlier tests' transfers
    first.deliver_pending()
    t, _ = home.send(Transactor(anvil.web3, USER), weth, 10**18, PEER_CHAIN_ID, USER.address)
    assert first.scan() == 1  # seen, then the process "dies" before delivering
    first.store.close()
    again = _relayer(anvil, peer, bridged, tmp_path)
    assert again.scan() == 0
    assert [d.transfer for d in again.deliver_pending()] == [t]


def test_bridge_rejects_forged_replayed_and_misrouted_deliveries(anvil, peer, bridged) -> None:
    remote = RexBridge(peer.web3, bridged["remote"].address("RexBridge"))
    submitter = Transactor(peer.web3, dev_account(3))
    usdc = bridged["home"].address("DevToken:USDC")
    forged = BridgeTransfer(
        HOME,
        PEER_CHAIN_ID,
        10_000,
        HOME,
        usdc,
        Address(USER.address),
        Address(USER.address),
        10**12,
    )
    stranger = Account.create()
    with pytest.raises(TransactionReverted, match="BAD_SIGNER"):
        remote.deliver(submitter, forged, [sign_transfer(stranger, forged, remote.address)])
    with pytest.raises(TransactionReverted, match="FEW_SIGNATURES"):
        remote.deliver(submitter, forged, [])
    # A relayer signature for the other chain's bridge does not verify here.
    other = bridged["home"].address("RexBridge")
    with pytest.raises(TransactionReverted, match="BAD_SIGNER"):
        remote.deliver(submitter, forged, [sign_transfer(dev_relayer(), forged, other)])
    misrouted = BridgeTransfer(
        HOME,
        1,
        10_001,
        HOME,
        usdc,
        Address(USER.address),
        Address(USER.address),
        1,
    )
    with pytest.raises(TransactionReverted, match="WRONG_CHAIN"):
        remote.deliver(
            submitter, misrouted, sign_transfer_by([dev_relayer()], misrouted, remote.address)
        )
    good = sign_transfer_by([dev_relayer()], forged, remote.address)
    remote.deliver(submitter, forged, good)
    with pytest.raises(TransactionReverted, match="DELIVERED"):
        remote.deliver(submitter, forged, good)


def test_release_never_exceeds_what_is_locked(anvil, peer, bridged) -> None:
    home = RexBridge(anvil.web3, bridged["home"].address("RexBridge"))
    dai = bridged["home"].address("DevToken:DAI")
    t = BridgeTransfer(
        PEER_CHAIN_ID,
        HOME,
        10_000,
        HOME,
        dai,
        Address(USER.address),
        Address(USER.address),
        1,
    )
    with pytest.raises(TransactionReverted, match="NOT_LOCKED"):
        home.deliver(
            Transactor(anvil.web3, dev_account(3)),
            t,
            sign_transfer_by([dev_relayer()], t, home.address),
        )


def test_two_of_three_committee_needs_two_ordered_signatures(peer, bridged) -> None:
    owner = Transactor(peer.web3, dev_account(0))
    remote = RexBridge(peer.web3, bridged["remote"].address("RexBridge"))
    committee = [Account.create() for _ in range(3)]
    previous = [dev_relayer().address]
    owner.send(
        remote.contract.functions.setRelayers([a.address for a in committee], 2, previous),
        action="set relayers",
    )
    try:
        t = BridgeTransfer(
            31337,
            PEER_CHAIN_ID,
            20_000,
            31337,
            bridged["home"].address("DevToken:UNI"),
            Address(USER.address),
            Address(FRIEND.address),
            5,
        )
        submitter = Transactor(peer.web3, dev_account(3))
        one = sign_transfer_by(committee[:1], t, remote.address)
        with pytest.raises(TransactionReverted, match="FEW_SIGNATURES"):
            remote.deliver(submitter, t, one)
        two = sign_transfer_by(committee[:2], t, remote.address)
        with pytest.raises(TransactionReverted, match="BAD_SIGNER"):
            remote.deliver(submitter, t, list(reversed(two)))  # order matters: no duplicates
        with pytest.raises(TransactionReverted, match="BAD_SIGNER"):
            remote.deliver(submitter, t, [two[0], two[0]])
        remote.deliver(submitter, t, two)
        token = remote.bridged_token(HOME, bridged["home"].address("DevToken:UNI"))
        assert token is not None
        assert _erc20(peer.web3, token).functions.balanceOf(FRIEND.address).call() == 5
    finally:
        owner.send(
            remote.contract.functions.setRelayers(previous, 1, [a.address for a in committee]),
            action="restore relayers",
        )
