"""The embedded chain keeps mined receipts (eth_getLogs reads every receipt of its range),
and a revert forgets them: logs and receipts always describe the chain as it is now."""

from __future__ import annotations

import pytest
from hexbytes import HexBytes
from web3.exceptions import TransactionNotFound

from rexos.chain.devaccounts import dev_account
from rexos.chain.embedded import create_embedded_evm


def _send(evm, to: str, value: int) -> HexBytes:  # type: ignore[no-untyped-def]
    sender = dev_account(0)
    nonce = evm.web3.eth.get_transaction_count(sender.address)
    tx = {"to": to, "value": value, "gas": 21_000, "nonce": nonce, "chainId": evm.web3.eth.chain_id,
          "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 1}  # fmt: skip
    raw = sender.sign_transaction(tx).raw_transaction
    sent: HexBytes = evm.web3.eth.send_raw_transaction(raw)
    return sent


def test_a_revert_forgets_the_receipts_of_the_blocks_it_undoes() -> None:
    evm = create_embedded_evm()
    snapshot = evm.snapshot()
    first = _send(evm, dev_account(1).address, 1)
    mined = evm.web3.eth.get_transaction_receipt(first)  # read, and kept
    assert evm.web3.eth.get_transaction_receipt(first) == mined
    evm.revert(snapshot)
    with pytest.raises(TransactionNotFound):
        evm.web3.eth.get_transaction_receipt(first)
    second = _send(evm, dev_account(2).address, 2)
    assert second != first
    again = evm.web3.eth.get_transaction_receipt(second)
    assert again["blockNumber"] == mined["blockNumber"]  # the same height, another block
    assert again["blockHash"] != mined["blockHash"]


def test_a_receipt_read_while_the_chain_is_reverted_is_not_kept() -> None:
    """Another thread reverts while a receipt is being rebuilt: the stale receipt is returned
    to its reader but never cached for the chain after the revert."""
    evm = create_embedded_evm()
    snapshot = evm.snapshot()
    sent = _send(evm, dev_account(1).address, 1)
    backend = evm.tester.backend
    rebuild = backend.get_transaction_receipt

    def racing(raw_hash: object) -> object:
        receipt = rebuild(raw_hash)
        evm.revert(snapshot)  # lands between the rebuild and the caching
        return receipt

    backend.get_transaction_receipt = racing
    evm.web3.eth.get_transaction_receipt(sent)
    backend.get_transaction_receipt = rebuild
    with pytest.raises(TransactionNotFound):
        evm.web3.eth.get_transaction_receipt(sent)
