"""The embedded chain keeps mined receipts (eth_getLogs reads every receipt of its range)
and an index of where each transaction was mined; a revert or a fork never lets either
describe a block the chain no longer has: logs and receipts always describe the chain as
it is now."""

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


def test_a_receipt_kept_before_a_snapshot_survives_a_revert_to_it() -> None:
    evm = create_embedded_evm()
    first = _send(evm, dev_account(1).address, 1)
    mined = evm.web3.eth.get_transaction_receipt(first)
    snapshot = evm.snapshot()
    later = _send(evm, dev_account(2).address, 2)
    evm.web3.eth.get_transaction_receipt(later)
    evm.revert(snapshot)
    assert evm.web3.eth.get_transaction_receipt(first) == mined
    assert evm.web3.eth.get_transaction(first)["blockHash"] == mined["blockHash"]
    with pytest.raises(TransactionNotFound):
        evm.web3.eth.get_transaction(later)


def test_the_index_never_names_a_block_a_revert_replaced() -> None:
    """The index says where a transaction was mined; after a revert another transaction
    sits at that height, and the old one is not found there (nor anywhere)."""
    evm = create_embedded_evm()
    snapshot = evm.snapshot()
    first = _send(evm, dev_account(1).address, 1)
    for _ in range(3):
        evm.mine()
    evm.web3.eth.get_transaction_receipt(first)  # indexed at height 1
    evm.revert(snapshot)
    other = _send(evm, dev_account(3).address, 3)
    for _ in range(3):
        evm.mine()
    with pytest.raises(TransactionNotFound):
        evm.web3.eth.get_transaction_receipt(first)
    assert evm.web3.eth.get_transaction_receipt(other)["blockNumber"] == 1


def test_a_fork_keeps_its_receipts_and_the_original_keeps_its_own() -> None:
    evm = create_embedded_evm()
    first = _send(evm, dev_account(1).address, 1)
    mined = evm.web3.eth.get_transaction_receipt(first)
    fork = evm.fork()
    on_fork = _send(fork, dev_account(2).address, 2)
    on_original = _send(evm, dev_account(3).address, 3)
    assert fork.web3.eth.get_transaction_receipt(first) == mined
    assert fork.web3.eth.get_transaction_receipt(on_fork)["blockNumber"] == 2
    assert evm.web3.eth.get_transaction_receipt(on_original)["blockNumber"] == 2
    with pytest.raises(TransactionNotFound):
        fork.web3.eth.get_transaction_receipt(on_original)
    with pytest.raises(TransactionNotFound):
        evm.web3.eth.get_transaction_receipt(on_fork)


def test_a_log_query_over_the_whole_chain_decodes_each_block_a_bounded_number_of_times() -> None:
    """eth-tester walks back from the head for every receipt (quadratic in the chain's
    length); with the index a query over n blocks decodes about 3n of them, whatever n."""
    evm = create_embedded_evm()
    sent = [_send(evm, dev_account(1 + i % 5).address, i + 1) for i in range(60)]
    chain = evm.tester.backend.chain
    decode = chain.get_canonical_block_by_number
    decoded = 0

    def counting(number: int) -> object:
        nonlocal decoded
        decoded += 1
        return decode(number)

    chain.get_canonical_block_by_number = counting
    try:
        evm.tester._receipts.clear()  # every receipt rebuilt: the index alone finds them
        receipts = [evm.web3.eth.get_transaction_receipt(h) for h in sent]
    finally:
        chain.get_canonical_block_by_number = decode
    assert [r["blockNumber"] for r in receipts] == list(range(1, 61))
    assert decoded <= 3 * len(sent), decoded
