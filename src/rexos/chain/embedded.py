"""The in-process py-evm chain (web3's ``EthereumTesterProvider``).

The only module that imports ``eth_tester``. Both the embedded backend and the
py-evm devnet server build their chain here, so they behave the same.

eth-tester fixes the chain id in the class of the chain it builds
(131277322940537); :func:`create_embedded_evm` can serve the same genesis from a
subclass with another id, so two py-evm chains (the devnet and its peer) have
distinct ids for ``CHAINID``, EIP-155 signatures and ``eth_chainId``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, cast

from eth.db.atomic import AtomicDB
from eth.db.backends.memory import MemoryDB
from eth.exceptions import HeaderNotFound
from eth_abi.abi import encode
from eth_tester import EthereumTester, PyEVMBackend
from eth_tester.backends.pyevm.serializers import (
    serialize_transaction,
    serialize_transaction_receipt,
)
from eth_tester.exceptions import TransactionFailed, TransactionNotFound
from web3 import Web3
from web3.exceptions import ContractLogicError
from web3.providers.eth_tester import EthereumTesterProvider

from rexos.chain.devaccounts import DEV_ACCOUNT_COUNT, DEV_HD_PATH, DEV_MNEMONIC, dev_account
from rexos.chain.gas_estimate import estimate_gas
from rexos.chain.web3_setup import without_validation
from rexos.errors import UsageError

__all__ = ["EmbeddedEvm", "create_embedded_evm"]

_GAS_LIMIT = 60_000_000


_REVERTED = "execution reverted: "
_ERROR_STRING = bytes.fromhex("08c379a0")


def _revert_data(exc: TransactionFailed) -> bytes:
    """Rebuild the raw revert bytes that eth-tester folded into its message."""
    text = str(exc.args[0]) if exc.args else ""
    reason = text.removeprefix(_REVERTED)
    if reason.startswith(("b'", 'b"')):
        raw = ast.literal_eval(reason)
        if isinstance(raw, bytes):
            return raw
    return _ERROR_STRING + encode(["string"], [reason]) if reason else b""


class _Provider(EthereumTesterProvider):
    """Reports reverts as web3 does for a JSON-RPC node: ``ContractLogicError`` with data;
    answers ``eth_chainId`` from the chain (web3's tester provider returns a constant)."""

    def make_request(self, method: Any, params: Any) -> Any:
        if method == "eth_chainId":
            tester = cast(EthereumTester, self.ethereum_tester)
            chain_id = int(tester.backend.chain.chain_id)
            return {"id": "0", "jsonrpc": "2.0", "result": chain_id}
        try:
            return super().make_request(method, params)
        except TransactionFailed as exc:
            data = _revert_data(exc)
            raise ContractLogicError(str(exc), data="0x" + data.hex()) from exc


class _Backend(PyEVMBackend):  # type: ignore[misc]
    """py-evm's eth-tester backend that finds a transaction by hash through an index.

    eth-tester looks a transaction up by walking back from the head, decoding every block
    on the way; ``eth_getLogs`` reads the receipt of every transaction in its range that
    way, so a log query over a devnet of a few hundred blocks cost a quadratic number of
    block decodes. Here a lookup checks the block the index names (a revert may have
    replaced it) and otherwise walks back once, indexing every block it decodes.
    """

    _where: dict[bytes, int]

    def get_transaction_by_hash(self, transaction_hash: bytes) -> Any:
        block, transaction, index = self._find(transaction_hash)
        is_pending = block.number == self.chain.get_block().number
        return serialize_transaction(block, transaction, index, is_pending)

    def get_transaction_receipt(self, transaction_hash: bytes) -> Any:
        block, transaction, index = self._find(transaction_hash)
        is_pending = block.number == self.chain.get_block().number
        receipts = block.get_receipts(self.chain.chaindb)
        return serialize_transaction_receipt(
            block, receipts, transaction, index, is_pending, self.chain.get_vm()
        )

    def _find(self, transaction_hash: bytes) -> tuple[Any, Any, int]:
        chain = self.chain
        pending = chain.get_block()
        found = _in_block(pending, transaction_hash)
        if found is not None:
            return pending, pending.transactions[found], found
        number = self._where.get(transaction_hash)
        if number is not None and number < pending.number:
            block = chain.get_canonical_block_by_number(number)
            found = _in_block(block, transaction_hash)
            if found is not None:
                return block, block.transactions[found], found
        for number in range(pending.number - 1, -1, -1):
            block = chain.get_canonical_block_by_number(number)
            for transaction in block.transactions:
                self._where[transaction.hash] = number
            found = _in_block(block, transaction_hash)
            if found is not None:
                return block, block.transactions[found], found
        raise TransactionNotFound(f"no transaction with hash 0x{transaction_hash.hex()}")


def _in_block(block: Any, transaction_hash: bytes) -> int | None:
    for index, transaction in enumerate(block.transactions):
        if transaction.hash == transaction_hash:
            return index
    return None


class _Tester(EthereumTester):  # type: ignore[misc]
    """eth-tester with the receipts of mined transactions kept.

    eth-tester answers ``eth_getLogs`` by reading the receipt of every transaction of every
    block in the range, and py-evm rebuilds a receipt on each read. A mined receipt never
    changes while its block is on the chain: a kept one is used as long as the chain's
    block at its height still has its hash (a revert or a reset may have replaced it).
    """

    def __init__(self, backend: PyEVMBackend, receipts: dict[str, Any] | None = None) -> None:
        super().__init__(backend)
        self._receipts: dict[str, Any] = dict(receipts or {})

    def get_transaction_receipt(self, transaction_hash: Any) -> Any:
        key = str(transaction_hash).lower()
        found = self._receipts.get(key)
        if found is not None and self._canonical(found):
            return found
        found = super().get_transaction_receipt(transaction_hash)
        if found is not None and found.get("block_number") is not None:
            self._receipts[key] = found
        return found

    def _canonical(self, receipt: Any) -> bool:
        chain = self.backend.chain
        number = int(receipt["block_number"])
        if number >= chain.get_block().number:  # not below the pending block: not mined
            return False
        try:
            canonical = chain.chaindb.get_canonical_block_hash(number)
        except HeaderNotFound:
            return False
        return bool("0x" + bytes(canonical).hex() == str(receipt["block_hash"]).lower())


@dataclass(slots=True)
class EmbeddedEvm:
    """A py-evm chain with its tester (for time travel and snapshots) and a Web3."""

    tester: EthereumTester
    provider: EthereumTesterProvider
    web3: Web3

    def time_travel(self, seconds: int) -> int:
        """Mine one block ``seconds`` after the latest block; return its timestamp.

        The block is never earlier than the pending block's clock (after a revert the wall
        clock may have moved past the target), so the result can be a little later.
        """
        eth = self.web3.eth
        target = int(eth.get_block("latest")["timestamp"]) + max(int(seconds), 1)
        target = max(target, int(eth.get_block("pending")["timestamp"]))
        # eth-tester stamps the block it mines one second before the time asked for.
        self.tester.time_travel(target + 1)
        return int(eth.get_block("latest")["timestamp"])

    def mine(self) -> None:
        self.tester.mine_blocks(1)

    def snapshot(self) -> str:
        return str(self.tester.take_snapshot())

    def revert(self, snapshot_id: str) -> None:
        self.tester.revert_to_snapshot(int(snapshot_id))

    def fork(self) -> EmbeddedEvm:
        """An independent copy of this chain at its head: the same blocks, state, chain id
        and dev accounts; what either does next leaves the other as it was (snapshots and
        filters are not copied). A deployment made once can so serve many fresh chains."""
        old = self.tester.backend
        store = old.chain.chaindb.db.wrapped_db.kv_store
        backend = _Backend.__new__(_Backend)
        backend.account_keys = old.account_keys
        backend.chain = type(old.chain)(AtomicDB(MemoryDB(dict(store))))
        backend._where = dict(old._where)
        tester = cast(_Tester, self.tester)
        return _wrap(backend, tester._receipts)


def _rebuild_chain(backend: PyEVMBackend, chain_id: int | None) -> None:
    """Replace the backend's fresh chain by the same genesis under a subclass that
    estimates gas with :func:`~rexos.chain.gas_estimate.estimate_gas` and, given one, has
    ``chain_id``.

    Snapshots and forks keep both: they rebuild the chain from ``type(chain)``."""
    chain = backend.chain
    attributes: dict[str, Any] = {"gas_estimator": staticmethod(estimate_gas)}
    if chain_id is not None:
        attributes["chain_id"] = chain_id
    cls: Any = type(f"RexosChain{chain_id or ''}", (type(chain),), attributes)
    genesis = chain.get_canonical_block_header_by_number(0)
    backend.chain = cls.from_genesis_header(chain.chaindb.db, genesis)


def create_embedded_evm(chain_id: int | None = None) -> EmbeddedEvm:
    """A fresh chain whose funded accounts are the development accounts.

    ``chain_id`` defaults to eth-tester's own (131277322940537)."""
    if chain_id is not None and not 0 < chain_id < 2**63:
        raise UsageError(f"not a chain id: {chain_id}")
    state = PyEVMBackend.generate_genesis_state(
        num_accounts=DEV_ACCOUNT_COUNT, mnemonic=DEV_MNEMONIC, hd_path=DEV_HD_PATH
    )
    params = PyEVMBackend.generate_genesis_params(overrides={"gas_limit": _GAS_LIMIT})
    backend = _Backend(
        genesis_parameters=params, genesis_state=state, mnemonic=DEV_MNEMONIC, hd_path=DEV_HD_PATH
    )
    backend._where = {}
    _rebuild_chain(backend, chain_id)
    return _wrap(backend)


def _wrap(backend: PyEVMBackend, receipts: dict[str, Any] | None = None) -> EmbeddedEvm:
    tester = _Tester(backend, receipts)
    provider = _Provider(tester)
    web3 = without_validation(Web3(provider))
    # eth-tester fills a missing ``from`` with its own (unfunded) key-1 account;
    # reads must come from a funded account to pay for the simulated gas.
    web3.eth.default_account = dev_account(0).address
    return EmbeddedEvm(tester=tester, provider=provider, web3=web3)
