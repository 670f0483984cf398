"""The devnet's lock-and-mint bridge (``RexBridge``): deploy, link, send, sign, deliver.

A token sent from its home chain is locked in that chain's vault and minted as a
``BridgedToken`` on the destination; a bridged token sent anywhere is burned and
released from the home vault (or minted again on a third chain). Deliveries carry
EIP-712 signatures from ``threshold`` relayers, domain ``RexBridge``/``1`` of the
destination bridge, so a signature is good for one chain and one contract only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eth_abi.abi import encode
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak
from web3 import Web3
from web3.contract import Contract

from rexos.bridges.errors import BridgeError
from rexos.chain.artifacts import load_artifact
from rexos.chain.manifest import Manifest
from rexos.chain.tx import Receipt, Transactor, reverts_as
from rexos.errors import UsageError
from rexos.types import Address

__all__ = [
    "BridgeTransfer",
    "RexBridge",
    "deploy_bridge",
    "devnet_token",
    "link_bridges",
    "sign_transfer",
    "sign_transfer_by",
    "transfer_id",
]

_TRANSFER_FIELDS = [
    {"name": "srcChainId", "type": "uint256"},
    {"name": "dstChainId", "type": "uint256"},
    {"name": "nonce", "type": "uint64"},
    {"name": "homeChainId", "type": "uint256"},
    {"name": "homeToken", "type": "address"},
    {"name": "sender", "type": "address"},
    {"name": "recipient", "type": "address"},
    {"name": "amount", "type": "uint256"},
]


@dataclass(frozen=True, slots=True)
class BridgeTransfer:
    """One transfer, as the source chain's ``Sent`` event describes it."""

    src_chain_id: int
    dst_chain_id: int
    nonce: int
    home_chain_id: int
    home_token: Address
    sender: Address
    recipient: Address
    amount: int

    @property
    def id(self) -> bytes:
        """The destination's ``delivered`` key."""
        return transfer_id(self.src_chain_id, self.nonce)

    def as_tuple(self) -> tuple[Any, ...]:
        """The ``Transfer`` struct argument of ``deliver``."""
        return (
            self.src_chain_id,
            self.dst_chain_id,
            self.nonce,
            self.home_chain_id,
            self.home_token,
            self.sender,
            self.recipient,
            self.amount,
        )


def transfer_id(src_chain_id: int, nonce: int) -> bytes:
    """``keccak256(abi.encode(srcChainId, nonce))``."""
    return keccak(encode(["uint256", "uint64"], [src_chain_id, nonce]))


def sign_transfer(account: LocalAccount, transfer: BridgeTransfer, dst_bridge: Address) -> bytes:
    """A relayer's EIP-712 signature of ``transfer`` for the bridge at ``dst_bridge``."""
    message = {
        "srcChainId": transfer.src_chain_id,
        "dstChainId": transfer.dst_chain_id,
        "nonce": transfer.nonce,
        "homeChainId": transfer.home_chain_id,
        "homeToken": transfer.home_token,
        "sender": transfer.sender,
        "recipient": transfer.recipient,
        "amount": transfer.amount,
    }
    typed = encode_typed_data(
        domain_data={
            "name": "RexBridge",
            "version": "1",
            "chainId": transfer.dst_chain_id,
            "verifyingContract": dst_bridge,
        },
        message_types={"Transfer": _TRANSFER_FIELDS},
        message_data=message,
    )
    return bytes(account.sign_message(typed).signature)


def sign_transfer_by(
    accounts: Sequence[LocalAccount], transfer: BridgeTransfer, dst_bridge: Address
) -> list[bytes]:
    """Every account's signature, in the ascending signer order ``deliver`` checks."""
    ordered = sorted(accounts, key=lambda a: int(a.address, 16))
    return [sign_transfer(a, transfer, dst_bridge) for a in ordered]


class RexBridge:
    """One chain's ``RexBridge`` contract."""

    def __init__(self, web3: Web3, address: Address) -> None:
        self.web3 = web3
        self.address = address
        self.contract: Contract = web3.eth.contract(
            address=Web3.to_checksum_address(address), abi=load_artifact("RexBridge").abi
        )
        with reverts_as("read the bridge's chain id"):
            self.chain_id = int(web3.eth.chain_id)

    def bridged_token(self, home_chain_id: int, home_token: Address) -> Address | None:
        """This chain's ``BridgedToken`` for a foreign token, if the bridge made one."""
        key = keccak(encode(["uint256", "address"], [home_chain_id, home_token]))
        with reverts_as("read the bridged token"):
            found = str(self.contract.functions.bridgedOf(key).call())
        return None if int(found, 16) == 0 else Address(Web3.to_checksum_address(found))

    def is_delivered(self, src_chain_id: int, nonce: int) -> bool:
        with reverts_as("read a delivery"):
            return bool(self.contract.functions.delivered(transfer_id(src_chain_id, nonce)).call())

    def send(
        self, sender: Transactor, token: Address, amount: int, dst_chain_id: int, recipient: Address
    ) -> tuple[BridgeTransfer, Receipt]:
        """Approve (home tokens only), then send; return the transfer and the receipt."""
        bridged = bool(self.contract.functions.isBridged(token).call())
        if not bridged:
            erc20 = self.web3.eth.contract(
                address=Web3.to_checksum_address(token), abi=load_artifact("DevToken").abi
            )
            allowance = int(erc20.functions.allowance(sender.address, self.address).call())
            if allowance < amount:
                sender.send(erc20.functions.approve(self.address, amount), action="approve bridge")
        receipt = sender.send(
            self.contract.functions.send(token, amount, dst_chain_id, recipient),
            action="send over the bridge",
        )
        events = receipt.events(self.contract, "Sent")
        if len(events) != 1:
            raise BridgeError("the bridge emitted no Sent event for this transfer")
        return self.transfer_from_event(events[0]), receipt

    def transfer_from_event(self, args: dict[str, Any]) -> BridgeTransfer:
        """A ``Sent`` event of this bridge as a transfer."""
        return BridgeTransfer(
            src_chain_id=self.chain_id,
            dst_chain_id=int(args["dstChainId"]),
            nonce=int(args["nonce"]),
            home_chain_id=int(args["homeChainId"]),
            home_token=Address(args["homeToken"]),
            sender=Address(args["sender"]),
            recipient=Address(args["recipient"]),
            amount=int(args["amount"]),
        )

    def sent_between(self, start: int, end: int) -> list[BridgeTransfer]:
        """Transfers sent from this chain in blocks ``start..end``."""
        with reverts_as("read Sent events"):
            logs = self.contract.events.Sent().get_logs(from_block=start, to_block=end)
        return [self.transfer_from_event(dict(e["args"])) for e in logs]

    def deliver(
        self, submitter: Transactor, transfer: BridgeTransfer, signatures: Sequence[bytes]
    ) -> Receipt:
        """Submit ``transfer`` with signatures ordered by ascending signer address
        (:func:`sign_transfer_by` orders them)."""
        return submitter.send(
            self.contract.functions.deliver(transfer.as_tuple(), list(signatures)),
            action=f"deliver transfer {transfer.src_chain_id}/{transfer.nonce}",
        )


def deploy_bridge(
    deployer: Transactor, relayers: Sequence[Address], threshold: int = 1
) -> RexBridge:
    """Deploy a ``RexBridge`` owned by ``deployer`` with its relayer committee."""
    contract = deployer.deploy("RexBridge", deployer.address)
    address = Address(contract.address)
    deployer.send(
        contract.functions.setRelayers(list(relayers), threshold, []), action="set relayers"
    )
    return RexBridge(deployer.web3, address)


def link_bridges(
    home: RexBridge,
    home_owner: Transactor,
    remote: RexBridge,
    remote_owner: Transactor,
    tokens: Sequence[tuple[Address, str, str, int]],
) -> dict[str, Address]:
    """Make the two bridges peers and create a ``BridgedToken`` on ``remote`` for each home
    token ``(address, name, symbol, decimals)``; return symbol → bridged token address."""
    home_owner.send(home.contract.functions.setPeer(remote.chain_id, True), action="add peer")
    remote_owner.send(remote.contract.functions.setPeer(home.chain_id, True), action="add peer")
    made: dict[str, Address] = {}
    for address, name, symbol, decimals in tokens:
        existing = remote.bridged_token(home.chain_id, address)
        if existing is None:
            remote_owner.send(
                remote.contract.functions.createBridgedToken(
                    home.chain_id, address, name, symbol, decimals
                ),
                action=f"create bridged {symbol}",
            )
            existing = remote.bridged_token(home.chain_id, address)
        if existing is None:
            raise BridgeError(f"the bridge did not create a bridged {symbol}")
        made[symbol] = existing
    return made


def devnet_token(manifest: Manifest, symbol: str, side: str) -> Address:
    """The bridgeable token ``symbol`` of one devnet chain: REX, a DevToken or a bridged copy."""
    key = symbol.upper()
    for name in ("RexToken" if key == "REX" else "", f"DevToken:{key}", f"BridgedToken:{key}"):
        if name and name in manifest.contracts:
            return manifest.contracts[name]
    known = sorted(
        k.split(":", 1)[1] for k in manifest.contracts if k.startswith(("DevToken:", "Bridged"))
    )
    raise UsageError(
        f"unknown token {symbol!r} on {side}: known are REX, {', '.join(known)}"
        if known
        else f"{side} has no bridgeable tokens"
    )
