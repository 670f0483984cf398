"""The airdrop's distributor on chain: deploy ``RexAirdrop`` for one fixed root, fund it,
and read and build its calls.

A distributor is deployed once the list is final (after the appeal window): its root,
deadline and treasury are immutable. :func:`deploy_distributor` deploys it and allows it as
sREX's depositor (so that claim-and-stake can stake for the claimant); the airdrop wallet
then funds it with the allocations' sum (:meth:`Distributor.fund_call`). Every call a user
signs (claim, claim-and-stake, bind, sweep) is built here and sent by the caller through the
Wallet agent's gateway; nothing here holds a key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from web3 import Web3
from web3.contract import Contract

from rexos.chain.artifacts import load_artifact
from rexos.chain.tx import Transactor, reverts_as
from rexos.errors import UsageError
from rexos.types import Address, parse_address

__all__ = [
    "BIND_TYPES",
    "LEAF_TYPES",
    "Distributor",
    "DistributorFacts",
    "deploy_distributor",
]

LEAF_TYPES = ("uint256", "address", "uint256")
"""A leaf: ``(index, account, amount)``, hashed as OpenZeppelin's StandardMerkleTree does."""

BIND_TYPES: dict[str, list[dict[str, str]]] = {
    "Bind": [
        {"name": "account", "type": "address"},
        {"name": "to", "type": "address"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}
"""The EIP-712 type an account signs to have its allocation delivered elsewhere."""


@dataclass(frozen=True, slots=True)
class DistributorFacts:
    """What a distributor is fixed to."""

    address: Address
    root: str
    deadline: int
    treasury: Address
    balance: int
    """REX wei it holds now: the allocations not yet claimed (or swept)."""


def deploy_distributor(
    deployer: Transactor,
    staking_owner: Transactor,
    rex: Address,
    staked: Address,
    root: str,
    deadline: int,
    treasury: Address,
) -> Address:
    """Deploy a distributor for ``root`` open until ``deadline`` (unix seconds), and have
    ``staking_owner`` (sREX's owner) allow it to stake for claimants."""
    raw_root = bytes.fromhex(root.removeprefix("0x"))
    if len(raw_root) != 32 or raw_root == bytes(32):
        raise UsageError(f"not a Merkle root: {root!r}")
    contract = deployer.deploy("RexAirdrop", rex, staked, raw_root, deadline, treasury)
    address = Address(contract.address)
    staking = deployer.web3.eth.contract(address=staked, abi=load_artifact("StakedRex").abi)
    staking_owner.send(staking.functions.setDepositor(address, True), action="allow depositor")
    return address


class Distributor:
    """One deployed ``RexAirdrop``."""

    def __init__(self, web3: Web3, address: str) -> None:
        self.web3 = web3
        self.address = parse_address(address)
        self.contract: Contract = web3.eth.contract(
            address=self.address, abi=load_artifact("RexAirdrop").abi
        )
        self._rex: Contract | None = None

    @property
    def rex(self) -> Contract:
        if self._rex is None:
            with reverts_as("read the airdrop's token"):
                token = self.contract.functions.rex().call()
            self._rex = self.web3.eth.contract(address=token, abi=load_artifact("RexToken").abi)
        return self._rex

    # ------------------------------------------------------------ reads

    def facts(self) -> DistributorFacts:
        f = self.contract.functions
        with reverts_as("read the airdrop distributor"):
            root = "0x" + bytes(f.merkleRoot().call()).hex()
            deadline = int(f.deadline().call())
            treasury = parse_address(f.treasury().call())
            balance = int(self.rex.functions.balanceOf(self.address).call())
        return DistributorFacts(self.address, root, deadline, treasury, balance)

    def is_claimed(self, index: int) -> bool:
        with reverts_as("read a claim"):
            return bool(self.contract.functions.isClaimed(index).call())

    def delivery_of(self, account: Address) -> Address:
        """Where ``account``'s allocation goes (the account itself unless it bound another)."""
        with reverts_as("read a binding"):
            to = self.contract.functions.deliveryOf(account).call()
        return account if int(to, 16) == 0 else parse_address(to)

    def bind_nonce(self, account: Address) -> int:
        with reverts_as("read a binding nonce"):
            return int(self.contract.functions.bindNonce(account).call())

    def now(self) -> int:
        with reverts_as("read the latest block"):
            return int(self.web3.eth.get_block("latest")["timestamp"])

    # ------------------------------------------------------------ calls (not sent)

    def claim_call(self, index: int, account: Address, amount: int, proof: list[str]) -> Any:
        """The checked ``claim`` call: open, not claimed yet."""
        self._claimable(index)
        return self.contract.functions.claim(index, account, amount, _proof(proof))

    def claim_and_stake_call(self, index: int, amount: int, proof: list[str]) -> Any:
        """The checked ``claimAndStake`` call (the claimant sends it)."""
        self._claimable(index)
        if amount <= 0:
            raise UsageError("an allocation of 0 REX cannot be staked")
        return self.contract.functions.claimAndStake(index, amount, _proof(proof))

    def bind_call(self, to: Address) -> Any:
        return self.contract.functions.bind(to)

    def bind_by_sig_call(self, account: Address, to: Address, deadline: int, sig: bytes) -> Any:
        return self.contract.functions.bindBySig(account, to, deadline, sig)

    def bind_typed_data(self, account: Address, to: Address, deadline: int) -> dict[str, Any]:
        """The EIP-712 message ``account`` signs to deliver its allocation to ``to``."""
        with reverts_as("read the chain id"):
            chain_id = int(self.web3.eth.chain_id)
        return {
            "domain": {
                "name": "RexAirdrop",
                "version": "1",
                "chainId": chain_id,
                "verifyingContract": self.address,
            },
            "types": BIND_TYPES,
            "primaryType": "Bind",
            "message": {
                "account": account,
                "to": to,
                "nonce": self.bind_nonce(account),
                "deadline": deadline,
            },
        }

    def sweep_call(self) -> Any:
        facts = self.facts()
        if self.now() <= facts.deadline:
            raise UsageError(
                f"the airdrop is open until {facts.deadline} (unix time): nothing can be swept "
                "before its deadline"
            )
        return self.contract.functions.sweep()

    def fund_call(self, amount: int) -> Any:
        """The REX transfer that funds this distributor with ``amount`` (from the airdrop
        wallet)."""
        return self.rex.functions.transfer(self.address, amount)

    def _claimable(self, index: int) -> None:
        facts = self.facts()
        if self.now() > facts.deadline:
            raise UsageError(f"the airdrop closed at {facts.deadline} (unix time)")
        if self.is_claimed(index):
            raise UsageError(f"allocation {index} was already claimed")


def _proof(proof: list[str]) -> list[bytes]:
    out = []
    for node in proof:
        raw = bytes.fromhex(node.removeprefix("0x"))
        if len(raw) != 32:
            raise UsageError(f"not a proof node: {node!r}")
        out.append(raw)
    return out
