"""The py-evm JSON-RPC server: transport, batches, dev methods, lifecycle, ``main``."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
from typing import Any

import pytest
import requests
from web3 import Web3

from rexos import __version__
from rexos.chain.devaccounts import dev_account
from rexos.chain.evm_server import EvmServer, main, serve
from rexos.errors import UsageError

BEEF = "0x000000000000000000000000000000000000bEEF"


def _rpc(server: EvmServer, method: str, *params: Any) -> dict[str, Any]:
    payload = {"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}
    answer: dict[str, Any] = requests.post(server.url, json=payload, timeout=30).json()
    return answer


def _result(server: EvmServer, method: str, *params: Any) -> Any:
    answer = _rpc(server, method, *params)
    assert "error" not in answer, answer
    return answer["result"]


def test_client_version_names_rexos(w3: Web3) -> None:
    assert w3.client_version == f"rexos-pyevm/{__version__}"


def test_unknown_method_is_32601(server: EvmServer) -> None:
    assert _rpc(server, "eth_doesNotExist")["error"]["code"] == -32601


def test_batch_answers_each_request_in_order(server: EvmServer) -> None:
    batch = [
        {"jsonrpc": "2.0", "id": "a", "method": "eth_blockNumber", "params": []},
        {"jsonrpc": "2.0", "id": "b", "method": "nope_nope", "params": []},
        {"jsonrpc": "2.0", "method": "eth_chainId", "params": []},
    ]
    answers = requests.post(server.url, json=batch, timeout=30).json()
    assert [answer["id"] for answer in answers] == ["a", "b"]
    assert answers[0]["result"] == "0x0"
    assert answers[1]["error"]["code"] == -32601


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", -32700),
        (b"[]", -32600),
        (b'{"id": 1, "method": "eth_chainId"}', -32600),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": {}}', -32602),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "eth_getBalance", "params": []}', -32602),
    ],
)
def test_malformed_requests_get_json_rpc_errors(server: EvmServer, body: bytes, code: int) -> None:
    response = requests.post(server.url, data=body, timeout=30)
    assert response.status_code == 200
    assert response.json()["error"]["code"] == code


def test_notification_gets_no_body_and_get_is_refused(server: EvmServer) -> None:
    note = {"jsonrpc": "2.0", "method": "evm_mine", "params": []}
    response = requests.post(server.url, json=note, timeout=30)
    assert response.status_code == 204
    assert response.content == b""
    assert _result(server, "eth_blockNumber") == "0x1"
    assert requests.get(server.url, timeout=30).status_code == 405


def test_increase_time_applies_at_the_next_mine(server: EvmServer, w3: Web3) -> None:
    start = w3.eth.get_block("latest")
    assert int(_result(server, "evm_increaseTime", 3600), 16) == 3600
    assert w3.eth.block_number == start["number"]
    assert _result(server, "evm_mine") == "0x0"
    mined = w3.eth.get_block("latest")
    assert mined["number"] > start["number"]
    assert mined["timestamp"] == start["timestamp"] + 3600
    _result(server, "evm_mine")
    assert w3.eth.get_block("latest")["timestamp"] == mined["timestamp"] + 1


@pytest.mark.parametrize(("seconds", "step"), [(0, 1), (1, 1), ("0x2", 2), ("90", 90)])
def test_small_time_steps(server: EvmServer, w3: Web3, seconds: int | str, step: int) -> None:
    before = w3.eth.get_block("latest")
    _result(server, "evm_increaseTime", seconds)
    _result(server, "evm_mine")
    after = w3.eth.get_block("latest")
    assert after["number"] > before["number"]
    assert after["timestamp"] == before["timestamp"] + step


def test_negative_time_is_refused(server: EvmServer) -> None:
    assert _rpc(server, "evm_increaseTime", -5)["error"]["code"] == -32602


def test_snapshot_and_revert(server: EvmServer, w3: Web3) -> None:
    snapshot = _result(server, "evm_snapshot")
    assert re.fullmatch(r"0x[0-9a-f]+", snapshot)
    tx = {"from": dev_account(0).address, "to": BEEF, "value": 5}
    w3.eth.wait_for_transaction_receipt(w3.eth.send_transaction(tx), timeout=30)
    assert w3.eth.get_balance(BEEF) == 5
    assert _result(server, "evm_revert", snapshot) is True
    assert w3.eth.get_balance(BEEF) == 0
    assert w3.eth.block_number == 0
    assert _result(server, "evm_revert", snapshot) is False
    assert _result(server, "evm_revert", "0x99") is False


def test_set_balance_raises_a_balance_exactly(server: EvmServer, w3: Web3) -> None:
    assert _result(server, "anvil_setBalance", BEEF.lower(), hex(7 * 10**18)) is None
    assert w3.eth.get_balance(BEEF) == 7 * 10**18
    assert _result(server, "hardhat_setBalance", BEEF, hex(7 * 10**18)) is None
    assert w3.eth.get_balance(BEEF) == 7 * 10**18
    assert _rpc(server, "anvil_setBalance", BEEF, "0x1")["error"]["code"] == -32602
    assert _rpc(server, "anvil_setBalance", "0x12", "0x1")["error"]["code"] == -32602


def test_chain_errors_come_back_as_server_errors(server: EvmServer, w3: Web3) -> None:
    sender = dev_account(0)
    signed = sender.sign_transaction(
        {
            "to": BEEF,
            "value": 1,
            "gas": 21000,
            "maxFeePerGas": 10**10,
            "maxPriorityFeePerGas": 10**9,
            "nonce": 5,  # the account has sent nothing yet
            "chainId": w3.eth.chain_id,
        }
    )
    answer = _rpc(server, "eth_sendRawTransaction", signed.raw_transaction.to_0x_hex())
    assert answer["error"]["code"] == -32000
    assert answer["error"]["message"]


def test_concurrent_clients_are_serialised(server: EvmServer, w3: Web3) -> None:
    errors: list[str] = []

    def client(index: int) -> None:
        for _ in range(5):
            answer = _rpc(server, "anvil_setBalance", f"0x{index + 1:040x}", hex(index + 1))
            if "error" in answer:
                errors.append(str(answer["error"]))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [w3.eth.get_balance(f"0x{i + 1:040x}") for i in range(6)] == [1, 2, 3, 4, 5, 6]
    assert w3.eth.block_number == 6


@pytest.mark.parametrize("host", ["0.0.0.0", "localhost", "::1", "192.168.1.10"])
def test_only_loopback_is_allowed(host: str) -> None:
    with pytest.raises(UsageError, match=r"127\.0\.0\.1 only"):
        serve(host)


def test_stop_releases_the_port() -> None:
    server = serve()
    assert server.url == f"http://127.0.0.1:{server.port}"
    assert _result(server, "eth_blockNumber") == "0x0"
    server.stop()
    server.stop()
    with pytest.raises(requests.ConnectionError):
        requests.post(server.url, json={}, timeout=5)


def test_main_refuses_other_hosts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--host", "0.0.0.0", "--port", "0"]) == 2
    assert "127.0.0.1 only" in capsys.readouterr().err


def test_module_runs_until_sigterm() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "rexos.chain.evm_server", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        found = re.fullmatch(r"rexos py-evm devnet listening on (http://127\.0\.0\.1:\d+)", line)
        assert found, line
        payload = {"jsonrpc": "2.0", "id": 1, "method": "web3_clientVersion", "params": []}
        answer = requests.post(found.group(1), json=payload, timeout=30).json()
        assert answer["result"].startswith("rexos-pyevm/")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
