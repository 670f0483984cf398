"""The transaction lifecycle and the chain backends on the embedded py-evm chain."""

from __future__ import annotations

import pytest
from eth_abi.abi import encode

from rexos.chain import (
    ChainClient,
    DevChain,
    EmbeddedChain,
    Transactor,
    connect,
    decode_revert,
    dev_account,
)
from rexos.errors import ConfigError, RpcUnavailable, TransactionReverted

WAD = 10**18


@pytest.fixture(scope="module")
def chain() -> EmbeddedChain:
    return EmbeddedChain()


def test_decode_error_string_panic_and_custom_errors() -> None:
    error = bytes.fromhex("08c379a0") + encode(["string"], ["StakedRex: ZERO_AMOUNT"])
    assert decode_revert(error) == "StakedRex: ZERO_AMOUNT"
    assert decode_revert("0x" + error.hex()) == "StakedRex: ZERO_AMOUNT"
    panic = bytes.fromhex("4e487b71") + encode(["uint256"], [0x11])
    assert decode_revert(panic) == "panic 0x11: arithmetic overflow or underflow"
    # OpenZeppelin's ERC20InsufficientBalance(address,uint256,uint256) = 0xe450d38c
    custom = bytes.fromhex("e450d38c") + encode(
        ["address", "uint256", "uint256"], [dev_account(1).address, 5, 7]
    )
    assert decode_revert(custom) == (
        f"ERC20InsufficientBalance(sender={dev_account(1).address}, balance=5, needed=7)"
    )
    assert decode_revert("0xdeadbeef") == "unknown error 0xdeadbeef"
    assert decode_revert(None) == ""
    assert decode_revert(b"\x01") == ""


def test_send_deploy_and_events(chain: EmbeddedChain) -> None:
    deployer = Transactor(chain.web3, dev_account(0))
    rex = deployer.deploy("RexToken", deployer.address)
    receipt = deployer.send(rex.functions.transfer(dev_account(1).address, WAD), action="transfer")
    assert receipt.gas_used > 21_000
    assert receipt.timestamp == chain.web3.eth.get_block(receipt.block_number)["timestamp"]
    (event,) = receipt.events(rex, "Transfer")
    assert event["to"] == dev_account(1).address
    assert event["value"] == WAD


def test_revert_is_caught_before_sending(chain: EmbeddedChain) -> None:
    deployer = Transactor(chain.web3, dev_account(0))
    rex = deployer.deploy("RexToken", deployer.address)
    poor = Transactor(chain.web3, dev_account(2))
    nonce = chain.web3.eth.get_transaction_count(poor.address)
    with pytest.raises(TransactionReverted) as caught:
        poor.send(rex.functions.transfer(dev_account(3).address, WAD), action="transfer REX")
    assert caught.value.reason.startswith("ERC20InsufficientBalance(")
    assert str(caught.value).startswith("transfer REX reverted: ERC20InsufficientBalance")
    assert chain.web3.eth.get_transaction_count(poor.address) == nonce


def test_dev_chain_time_travel_and_snapshot(chain: EmbeddedChain) -> None:
    assert isinstance(chain, DevChain)
    assert isinstance(chain, ChainClient)
    web3 = chain.web3
    before = int(web3.eth.get_block("latest")["timestamp"])
    assert chain.time_travel(3600) == before + 3600
    snapshot = chain.snapshot()
    target = dev_account(4).address
    balance = web3.eth.get_balance(target)
    Transactor(web3, dev_account(0)).send_value(target, WAD)
    assert web3.eth.get_balance(target) == balance + WAD
    chain.revert(snapshot)
    assert web3.eth.get_balance(target) == balance


def test_connect_targets() -> None:
    assert connect("embedded").kind == "embedded"
    with pytest.raises(ConfigError, match="unknown chain"):
        connect("mainnet-please")
    with pytest.raises(RpcUnavailable, match=r"cannot reach the chain at http://127\.0\.0\.1:9"):
        connect("http://127.0.0.1:9")
