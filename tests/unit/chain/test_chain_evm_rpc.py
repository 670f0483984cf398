"""Ethereum methods of the py-evm JSON-RPC server, through a plain web3 HTTP client."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import requests
from eth_abi.abi import encode
from hypothesis import given
from hypothesis import strategies as st
from web3 import Web3
from web3.exceptions import ContractCustomError, ContractLogicError

from rexos.chain.devaccounts import dev_account
from rexos.chain.evm_server import EvmServer
from rexos.chain.jsonrpc import to_json

LOG_TOPIC = b"\xaa" * 32
REASON = "Demo: NOPE"
ERROR_STRING = bytes.fromhex("08c379a0") + encode(["string"], [REASON])
CUSTOM_ERROR = bytes.fromhex("deadbeef") + encode(["uint256"], [7])


def demo_bytecode(revert_data: bytes) -> bytes:
    """Creation code of a contract written directly in EVM opcodes.

    Empty calldata: emits one log with topic ``LOG_TOPIC``. Calldata whose
    first byte is 0x01: returns the word 42. Anything else: reverts with
    ``revert_data``.
    """
    size = len(revert_data)

    def dispatch(log_at: int, ret_at: int, data_at: int) -> bytes:
        return bytes(
            [
                *(0x36, 0x15, 0x60, log_at, 0x57),  # CALLDATASIZE ISZERO PUSH1 log JUMPI
                *(0x60, 0, 0x35, 0x60, 0xF8, 0x1C),  # first calldata byte
                *(0x60, 1, 0x14, 0x60, ret_at, 0x57),  # == 1 → JUMP ret
                *(0x60, size, 0x60, data_at, 0x60, 0, 0x39),  # CODECOPY the revert data
                *(0x60, size, 0x60, 0, 0xFD),  # REVERT
            ]
        )

    log = bytes([0x5B, 0x7F, *LOG_TOPIC, 0x60, 0, 0x60, 0, 0xA1, 0x00])
    ret = bytes([0x5B, 0x60, 42, 0x60, 0, 0x52, 0x60, 32, 0x60, 0, 0xF3])
    log_at = len(dispatch(0, 0, 0))
    ret_at = log_at + len(log)
    runtime = dispatch(log_at, ret_at, ret_at + len(ret)) + log + ret + revert_data
    return bytes([0x60, len(runtime), 0x80, 0x60, 11, 0x60, 0, 0x39, 0x60, 0, 0xF3]) + runtime


@pytest.fixture
def deploy(w3: Web3) -> Callable[[bytes], Any]:
    """Deploy ``demo_bytecode(revert_data)`` from dev account 0; return its address."""

    def _deploy(revert_data: bytes) -> Any:
        sender = dev_account(0).address
        tx_hash = w3.eth.send_transaction({"from": sender, "data": demo_bytecode(revert_data)})
        receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=30)
        assert receipt["status"] == 1
        return receipt["contractAddress"]

    return _deploy


def _post(server: EvmServer, payload: object) -> Any:
    return requests.post(server.url, json=payload, timeout=30).json()


def test_basic_reads_are_standard_hex(server: EvmServer, w3: Web3) -> None:
    raw = _post(server, {"jsonrpc": "2.0", "id": 7, "method": "eth_blockNumber", "params": []})
    assert raw == {"jsonrpc": "2.0", "id": 7, "result": "0x0"}
    chain_id = _post(server, {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"})["result"]
    assert chain_id.startswith("0x") and int(chain_id, 16) == w3.eth.chain_id
    assert w3.eth.get_balance(dev_account(3).address) == 10**24
    assert w3.eth.gas_price > 0
    assert w3.eth.max_priority_fee > 0


def test_signed_raw_transaction_and_receipt(w3: Web3) -> None:
    sender, recipient = dev_account(0), dev_account(1).address
    before = w3.eth.get_balance(recipient)
    base_fee = w3.eth.get_block("latest")["baseFeePerGas"]
    signed = sender.sign_transaction(
        {
            "to": recipient,
            "value": 12345,
            "gas": 21000,
            "maxFeePerGas": 2 * base_fee + 10**9,
            "maxPriorityFeePerGas": 10**9,
            "nonce": w3.eth.get_transaction_count(sender.address),
            "chainId": w3.eth.chain_id,
        }
    )
    tx_hash = w3.eth.send_raw_transaction(signed.raw_transaction)
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=30)
    assert receipt["status"] == 1
    assert receipt["gasUsed"] == 21000
    assert receipt["transactionHash"] == tx_hash
    assert w3.eth.get_balance(recipient) == before + 12345
    assert w3.eth.block_number == 1
    assert w3.eth.get_transaction(tx_hash)["from"] == sender.address


def test_web3_fills_eip1559_fees_itself(w3: Web3) -> None:
    """web3 asks for eth_maxPriorityFeePerGas, the base fee and eth_estimateGas."""
    tx_hash = w3.eth.send_transaction(
        {"from": dev_account(0).address, "to": dev_account(2).address, "value": 1}
    )
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=30)
    sent = w3.eth.get_transaction(tx_hash)
    assert receipt["status"] == 1
    assert sent["type"] == 2
    assert sent["maxPriorityFeePerGas"] == w3.eth.max_priority_fee
    history = w3.eth.fee_history(1, "latest", [])
    assert history["oldestBlock"] == 1
    assert len(history["baseFeePerGas"]) >= 1


def test_call_estimate_logs_and_full_blocks(w3: Web3, deploy: Callable[[bytes], Any]) -> None:
    address = deploy(ERROR_STRING)
    assert int.from_bytes(w3.eth.call({"to": address, "data": "0x01"}), "big") == 42
    assert w3.eth.estimate_gas({"to": address, "data": "0x01"}) > 21000
    tx_hash = w3.eth.send_transaction({"from": dev_account(0).address, "to": address})
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=30)
    assert [log["topics"] for log in receipt["logs"]] == [[LOG_TOPIC]]
    logs = w3.eth.get_logs({"fromBlock": 0, "toBlock": "latest", "address": address})
    assert len(logs) == 1
    assert logs[0]["transactionHash"] == tx_hash
    assert logs[0]["blockNumber"] == receipt["blockNumber"]
    block = w3.eth.get_block(receipt["blockNumber"], full_transactions=True)
    assert len(block["logsBloom"]) == 256
    assert block["transactions"][0]["hash"] == tx_hash
    assert block["transactions"][0]["blockNumber"] == receipt["blockNumber"]


def test_missing_block_and_receipt_are_null(server: EvmServer) -> None:
    missing_block = {"jsonrpc": "2.0", "id": 1, "method": "eth_getBlockByNumber"}
    assert _post(server, {**missing_block, "params": ["0x99", False]})["result"] is None
    receipt = {"jsonrpc": "2.0", "id": 2, "method": "eth_getTransactionReceipt"}
    assert _post(server, {**receipt, "params": ["0x" + "11" * 32]})["result"] is None


def test_revert_reason_reaches_web3(w3: Web3, deploy: Callable[[bytes], Any]) -> None:
    address = deploy(ERROR_STRING)
    with pytest.raises(ContractLogicError) as called:
        w3.eth.call({"to": address, "data": "0x02"})
    assert called.value.message == f"execution reverted: {REASON}"
    assert called.value.data == "0x" + ERROR_STRING.hex()
    with pytest.raises(ContractLogicError) as estimated:
        w3.eth.estimate_gas({"to": address, "data": "0x02"})
    assert estimated.value.data == "0x" + ERROR_STRING.hex()


def test_revert_error_object_on_the_wire(server: EvmServer, deploy: Callable[[bytes], Any]) -> None:
    address = deploy(ERROR_STRING)
    call = {"to": address, "data": "0x02", "from": dev_account(1).address}
    answer = _post(server, {"jsonrpc": "2.0", "id": 3, "method": "eth_call", "params": [call]})
    assert answer["error"] == {
        "code": 3,
        "message": f"execution reverted: {REASON}",
        "data": "0x" + ERROR_STRING.hex(),
    }


def test_custom_error_data_reaches_web3(w3: Web3, deploy: Callable[[bytes], Any]) -> None:
    address = deploy(CUSTOM_ERROR)
    with pytest.raises(ContractCustomError) as raised:
        w3.eth.call({"to": address, "data": "0x02"})
    assert raised.value.data == "0x" + CUSTOM_ERROR.hex()


def test_bare_revert_has_empty_data(w3: Web3, deploy: Callable[[bytes], Any]) -> None:
    address = deploy(b"")
    with pytest.raises(ContractLogicError) as raised:
        w3.eth.call({"to": address, "data": "0x02"})
    assert raised.value.message == "execution reverted"
    assert raised.value.data == "0x"


def test_reverting_transaction_is_mined_with_status_zero(
    w3: Web3, deploy: Callable[[bytes], Any]
) -> None:
    address = deploy(ERROR_STRING)
    tx = {"from": dev_account(0).address, "to": address, "data": "0x02", "gas": 100_000}
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_transaction(tx), timeout=30)
    assert receipt["status"] == 0


_JSONABLE = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=0) | st.binary() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(_JSONABLE)
def test_to_json_always_encodes(value: object) -> None:
    encoded = to_json(value)
    assert json.loads(json.dumps(encoded)) == encoded


@given(st.integers(min_value=0), st.binary())
def test_to_json_quantities_and_data_round_trip(number: int, data: bytes) -> None:
    assert int(to_json(number), 16) == number
    assert bytes.fromhex(to_json(data)[2:]) == data
    assert to_json(True) is True
