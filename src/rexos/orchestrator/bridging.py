"""A "bridge" step between the devnet's two chains: RexBridge moves through the gateway.

The moves are the Wallet agent's like any other (read from their bytes, simulated, checked
by the policy): approve the bridge for exactly the amount when the token is locked at home
(a bridged token is burned, no approval), then ``send`` to the other chain. The bridge's
trust class (how many relayer signatures a delivery needs) is read from the destination
bridge and shown with the step; once sent, the step waits a bounded time for the relayer's
delivery and says whether it came.

Real chains are not bridged from a plan: there the transfer needs a bridge API's quote and
its own trust class, which ``rexos bridge --from … --to …`` compares before anything is
signed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from web3.logs import DISCARD

from rexos.agents.wallet import Move, WalletAgent
from rexos.bridges.lockmint import RexBridge, devnet_token
from rexos.chain.artifacts import load_artifact
from rexos.chain.client import ChainClient
from rexos.chain.devnet import DEVNET_NAMES, PEER_CHAIN_ID
from rexos.chain.manifest import Manifest
from rexos.chain.tx import calldata
from rexos.errors import UsageError

__all__ = [
    "DELIVERY_TIMEOUT_S",
    "BridgeEnds",
    "bridge_moves",
    "ends_for",
    "trust_class",
    "wait_delivered",
]

DELIVERY_TIMEOUT_S = 60.0
"""How long a bridge step waits for the relayer's delivery before it reports it pending."""


@dataclass(frozen=True, slots=True)
class BridgeEnds:
    """Where a devnet bridge step starts and ends: the plan's chain and the other one."""

    src_name: str
    dst_name: str
    src_manifest: Manifest
    dst_chain: ChainClient
    dst_manifest: Manifest


def ends_for(
    args: dict[str, Any],
    manifest: Manifest,
    peer: Callable[[], tuple[ChainClient, Manifest]],
) -> BridgeEnds:
    """The two ends of the bridge step ``args``, or one clear error why it cannot run here."""
    if "RexBridge" not in manifest.contracts:
        raise UsageError("this chain's deployment has no RexBridge: a plan bridges on the devnet")
    here = "devnet-b" if int(manifest.chain_id) == PEER_CHAIN_ID else "devnet"
    to_chain = str(args.get("to_chain") or "")
    from_chain = str(args.get("from_chain") or here)
    if to_chain not in DEVNET_NAMES:
        raise UsageError(
            f"a plan bridges only between the devnet's chains (devnet, devnet-b); to compare "
            f"the bridges to {to_chain or 'that chain'}, run `rexos bridge TOKEN AMOUNT "
            f"--from ethereum --to {to_chain or 'CHAIN'} --address 0x…` (nothing is signed)"
        )
    if from_chain != here:
        raise UsageError(
            f"this plan runs on {here}: it can bridge from {here} only, not from {from_chain}"
        )
    if to_chain == here:
        raise UsageError(f"the tokens are already on {here}: which chain should they go to?")
    dst_chain, dst_manifest = peer()
    return BridgeEnds(here, to_chain, manifest, dst_chain, dst_manifest)


def trust_class(dst: RexBridge) -> str:
    """The trust a delivery asks of the user, in words, from the destination bridge."""
    threshold = int(dst.contract.functions.threshold().call())
    plural = "s" if threshold != 1 else ""
    return (
        f"RexBridge lock-and-mint; trust: multisig, each delivery needs {threshold} relayer "
        f"signature{plural}"
    )


def bridge_moves(
    agent: WalletAgent, ends: BridgeEnds, symbol: str, units: int, resolved: dict[str, str]
) -> list[Move]:
    """The moves that send ``units`` of ``symbol`` from ``ends.src`` to ``ends.dst``.

    ``resolved`` gains the destination, its chain id, the recipient (the wallet itself) and
    the trust class, so a confirmation and a resumed step show the same.
    """
    src_token = devnet_token(ends.src_manifest, symbol, ends.src_name)
    devnet_token(ends.dst_manifest, symbol, ends.dst_name)  # it must arrive as something
    src = RexBridge(agent.web3, ends.src_manifest.address("RexBridge"))
    dst = RexBridge(ends.dst_chain.web3, ends.dst_manifest.address("RexBridge"))
    resolved.update(
        to_chain=ends.dst_name,
        dst_chain_id=str(dst.chain_id),
        recipient=str(agent.address),
        trust=trust_class(dst),
    )
    erc20 = agent.web3.eth.contract(address=src_token, abi=load_artifact("DevToken").abi)

    def approve() -> Any:
        if bool(src.contract.functions.isBridged(src_token).call()):
            return None  # a bridged token is burned: nothing to approve
        allowance = int(erc20.functions.allowance(agent.address, src.address).call())
        if allowance >= units:
            return None
        return agent.plan_call(src_token, 0, calldata(erc20.functions.approve(src.address, units)))

    def send() -> Any:
        call = src.contract.functions.send(src_token, units, dst.chain_id, agent.address)
        return agent.plan_call(src.address, 0, calldata(call))

    return [Move("approve", approve), Move("bridge", send)]


def wait_delivered(
    agent: WalletAgent,
    ends: BridgeEnds,
    tx_hash: str,
    timeout_s: float = DELIVERY_TIMEOUT_S,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, str]:
    """Whether the transfer sent in ``tx_hash`` was delivered within ``timeout_s``."""
    src = RexBridge(agent.web3, ends.src_manifest.address("RexBridge"))
    dst = RexBridge(ends.dst_chain.web3, ends.dst_manifest.address("RexBridge"))
    receipt = agent.web3.eth.get_transaction_receipt(tx_hash)  # type: ignore[arg-type]
    events = src.contract.events.Sent().process_receipt(receipt, errors=DISCARD)
    if len(events) != 1:
        raise UsageError(f"transaction {tx_hash} sent nothing over the bridge")
    transfer = src.transfer_from_event(events[0]["args"])
    deadline = clock() + timeout_s
    while not dst.is_delivered(transfer.src_chain_id, transfer.nonce):
        if clock() > deadline:
            return {
                "transfer": f"{transfer.src_chain_id}/{transfer.nonce}",
                "delivery": f"pending on {ends.dst_name}: the relayer delivers it when it runs",
            }
        sleep(0.2)
    return {
        "transfer": f"{transfer.src_chain_id}/{transfer.nonce}",
        "delivery": f"delivered on {ends.dst_name}",
    }
