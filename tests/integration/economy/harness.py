"""The economy deployed on an in-process py-evm chain, with the tools the tests share.

Everything goes through the real contracts: ``send`` uses the ``Transactor``
(simulation, gas estimate, decoded reverts); ``execute`` sends a raw signed
transaction without them, for the many-step state machine (eth-tester's gas
estimate is the dearest part of a send); ``mine_together`` puts several
transactions in one block.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.logs import DISCARD

from rexos.chain import EmbeddedChain, Manifest, Receipt, Transactor, dev_account
from rexos.chain.embedded import EmbeddedEvm, create_embedded_evm
from rexos.economy import Genesis, load_genesis
from rexos.economy.deploy import deploy_genesis, dev_roles
from rexos.economy.onchain import Economy

USERS = (1, 2, 3)
"""Development accounts funded as demo users (100,000 REX each)."""
UNLIMITED = 2**256 - 1
_MANUAL_GAS = 1_000_000
_PRIORITY_FEE_WEI = 1_000_000_000


@dataclass(repr=False)
class Deployment:
    """One genesis deployment on one embedded chain."""

    evm: EmbeddedEvm
    chain: EmbeddedChain
    genesis: Genesis
    manifest: Manifest
    client: Economy
    deployer: LocalAccount
    users: tuple[LocalAccount, ...]
    _signers: dict[str, Transactor] = field(default_factory=dict)

    @classmethod
    def create(cls) -> Deployment:
        """Deploy the default genesis, fund the demo users and approve sREX for everyone."""
        evm = create_embedded_evm()
        chain = EmbeddedChain(evm)
        genesis = load_genesis(None)
        users = tuple(dev_account(i) for i in USERS)
        manifest = deploy_genesis(
            chain, genesis, dev_account(0), dev_roles(), funded=[u.address for u in users]
        )
        deployment = cls(
            evm, chain, genesis, manifest, Economy(chain.web3, manifest), dev_account(0), users
        )
        for account in (deployment.deployer, *users):
            deployment.send(
                account,
                deployment.rex.functions.approve(deployment.staked.address, UNLIMITED),
            )
        return deployment

    def __repr__(self) -> str:  # short, for hypothesis's falsifying examples
        return f"Deployment(tge={self.manifest.tge})"

    @property
    def web3(self) -> Web3:
        return self.chain.web3

    @property
    def rex(self) -> Contract:
        return self.client.rex

    @property
    def staked(self) -> Contract:
        return self.client.staked

    def signer(self, account: LocalAccount) -> Transactor:
        """The ``Transactor`` of ``account`` (one per account)."""
        if account.address not in self._signers:
            self._signers[account.address] = Transactor(self.web3, account)
        return self._signers[account.address]

    def send(self, account: LocalAccount, call: ContractFunction, action: str = "test") -> Receipt:
        """Simulate, send and mine ``call`` from ``account``; return the ``Receipt``."""
        return self.signer(account).send(call, action=action)

    def now(self) -> int:
        """Timestamp of the latest block: the ``block.timestamp`` that ``eth_call`` sees."""
        return int(self.web3.eth.get_block("latest")["timestamp"])

    def travel(self, seconds: int) -> int:
        """Mine an empty block at least ``seconds`` after the latest; return its timestamp."""
        return self.chain.time_travel(seconds)

    def travel_to(self, timestamp: int) -> int:
        """Mine an empty block at ``timestamp``, or as soon after it as the chain allows."""
        return self.travel(timestamp - self.now())

    def rex_balance(self, address: str) -> int:
        return int(self.rex.functions.balanceOf(address).call())

    @contextmanager
    def rollback(self) -> Iterator[None]:
        """Run the block, then put the chain back as it was."""
        snapshot = self.chain.snapshot()
        try:
            yield
        finally:
            self.chain.revert(snapshot)

    def _signed(
        self, account: LocalAccount, call: ContractFunction, nonce: int, base_fee: int
    ) -> bytes:
        tx = {
            "to": call.address,
            "data": call._encode_transaction_data(),
            "value": 0,
            "gas": _MANUAL_GAS,
            "chainId": self.web3.eth.chain_id,
            "nonce": nonce,
            "maxPriorityFeePerGas": _PRIORITY_FEE_WEI,
            "maxFeePerGas": 2 * base_fee + _PRIORITY_FEE_WEI,
        }
        return bytes(account.sign_transaction(tx).raw_transaction)

    def _base_fee(self) -> int:
        return int(self.web3.eth.get_block("latest").get("baseFeePerGas", 0) or 0)

    def execute(self, account: LocalAccount, call: ContractFunction) -> Receipt:
        """Send ``call`` as a raw transaction, mined at once, without the ``Transactor``'s
        simulation and gas estimate (eth-tester's estimate re-runs the call ~25 times).
        The transaction must succeed."""
        web3 = self.web3
        nonce = web3.eth.get_transaction_count(account.address)
        signed = self._signed(account, call, nonce, self._base_fee())
        tx_hash = web3.eth.send_raw_transaction(signed)
        raw = web3.eth.get_transaction_receipt(tx_hash)
        assert raw["status"] == 1, f"{call.fn_name} from {account.address} reverted"
        return Receipt(
            tx_hash=tx_hash.to_0x_hex(),
            block_number=int(raw["blockNumber"]),
            timestamp=self.now(),
            gas_used=int(raw["gasUsed"]),
            contract_address=None,
            raw=raw,
        )

    def mine_together(
        self, calls: Sequence[tuple[LocalAccount, ContractFunction]]
    ) -> list[dict[str, Any]]:
        """Apply ``calls`` to the pending block in order, then mine them all in one block.

        Raw signed transactions go straight to the tester's py-evm backend: the
        tester's own manual mining checks every queued transaction against the
        last mined state, so it refuses a second nonce from the same sender.
        No simulation (a call may depend on an earlier one in the same block);
        returns the raw receipts, in order. A reverted call has status 0.
        """
        web3 = self.web3
        base_fee = self._base_fee()
        nonces: dict[str, int] = {}
        hashes = []
        for account, call in calls:
            if account.address not in nonces:
                nonces[account.address] = web3.eth.get_transaction_count(account.address)
            signed = self._signed(account, call, nonces[account.address], base_fee)
            nonces[account.address] += 1
            hashes.append(self.evm.tester.backend.send_raw_transaction(signed))
        self.evm.tester.mine_blocks(1)
        return [dict(web3.eth.get_transaction_receipt(h)) for h in hashes]


def events(contract: Contract, name: str, raw_receipt: Any) -> list[dict[str, Any]]:
    """Decoded ``name`` events that ``contract`` emitted in a raw receipt."""
    logs = contract.events[name]().process_receipt(raw_receipt, errors=DISCARD)
    return [dict(entry["args"]) for entry in logs if entry["address"] == contract.address]
