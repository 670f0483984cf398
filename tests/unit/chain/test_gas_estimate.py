"""The embedded chain's gas estimate is a limit the transaction succeeds at, close to the
least one, for calls nested deep enough that the first guess is not enough.

The contract below (hand-assembled) calls itself ``n`` levels deep with all its gas and
requires each call to succeed; the innermost writes two storage slots. Every level holds
back 1/64 of its gas, so the least limit grows faster with depth than the gas consumed."""

from __future__ import annotations

from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from rexos.chain import dev_account
from rexos.chain.embedded import create_embedded_evm
from rexos.chain.gas_estimate import HEADROOM_DIVISOR

RUNTIME = bytes.fromhex(
    "".join(
        (
            "600035",  # 0x00 n = calldata[0:32]
            "8015602557",  # 0x03 if n == 0: jump to the leaf (0x25)
            "6001900360005260",  # 0x08 memory[0] = n - 1
            "006000602060006000305af1",  # 0x0f call(gas, this, 0, memory[0:32], no output)
            "602357600080fd",  # 0x1c the call must succeed (jump to 0x23), else revert
            "5b00",  # 0x23 done
            "5b6001600055600160015500",  # 0x25 leaf: two SSTOREs
        )
    )
)
INIT = bytes.fromhex(f"60{len(RUNTIME):02x}80600b6000396000f3") + RUNTIME


def _send(web3: Web3, account: LocalAccount, tx: dict[str, Any]) -> dict[str, Any]:
    tx = {
        "from": account.address,
        "nonce": web3.eth.get_transaction_count(account.address),
        "chainId": web3.eth.chain_id,
        "maxFeePerGas": 10**10,
        "maxPriorityFeePerGas": 1,
        "value": 0,
        **tx,
    }
    signed = account.sign_transaction(tx)
    return dict(
        web3.eth.wait_for_transaction_receipt(web3.eth.send_raw_transaction(signed.raw_transaction))
    )


@pytest.fixture(scope="module")
def deep() -> tuple[Web3, str]:
    evm = create_embedded_evm()
    receipt = _send(evm.web3, dev_account(0), {"data": INIT, "gas": 1_000_000})
    return evm.web3, receipt["contractAddress"]


def _least_limit(web3: Web3, tx: dict[str, Any]) -> int:
    """The least gas limit the transaction succeeds at, found by bisection on eth_call."""

    def ok(gas: int) -> bool:
        try:
            web3.eth.call({**tx, "gas": gas})
        except Exception:
            return False
        return True

    low, high = 21_000, 30_000_000
    assert ok(high)
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (low, mid) if ok(mid) else (mid, high)
    return high


@pytest.mark.parametrize("depth", [0, 1, 3, 12, 40])
def test_the_estimate_suffices_and_is_close_to_the_least_limit(
    deep: tuple[Web3, str], depth: int
) -> None:
    web3, address = deep
    account = dev_account(1)
    tx = {"from": account.address, "to": address, "data": depth.to_bytes(32, "big")}
    estimate = int(web3.eth.estimate_gas(tx))
    least = _least_limit(web3, tx)
    assert least <= estimate <= least + least // HEADROOM_DIVISOR + 2_300 + 21_000
    # sent with a tenth less than the least it fails (and changes nothing); with the
    # estimate it is mined
    assert _send(web3, account, {**tx, "gas": least - least // 10})["status"] == 0
    assert _send(web3, account, {**tx, "gas": estimate})["status"] == 1


def test_a_plain_transfer_is_estimated_at_its_intrinsic_gas() -> None:
    web3 = create_embedded_evm().web3
    tx = {"from": dev_account(1).address, "to": dev_account(2).address, "value": 1}
    assert web3.eth.estimate_gas(tx) == 21_000
