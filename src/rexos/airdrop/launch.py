"""Put an airdrop on chain: deploy its distributor, let it stake for claimants, fund it.

These are the operator's transactions, not a user's: the deployer sends the deployment, the
owner of sREX allows the distributor as a depositor, and the wallet holding the community
airdrop bucket funds it with the allocations' sum. On a devnet the three are the genesis
roles' well-known development keys (:func:`devnet_roles`); elsewhere the operator's own
signers (a multisig), which RexOS does not hold.
"""

from __future__ import annotations

from dataclasses import replace

from web3 import Web3

from rexos.airdrop.distributor import Distributor, deploy_distributor
from rexos.airdrop.tree import AirdropTree
from rexos.chain import Transactor, dev_account
from rexos.chain.artifacts import load_artifact
from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as
from rexos.errors import InsufficientBalance, UsageError
from rexos.types import format_units

__all__ = ["DEV_AIRDROP_ROLE", "devnet_roles", "launch", "with_airdrop"]

DEV_AIRDROP_ROLE = 9
"""The development account that holds the community airdrop bucket on a devnet."""


def devnet_roles(web3: Web3, manifest: Manifest) -> tuple[Transactor, Transactor]:
    """The devnet's treasury (deployer and sREX's owner) and airdrop-bucket signers; one
    clear error on a deployment whose roles are not the development keys."""
    treasury, bucket = dev_account(0), dev_account(DEV_AIRDROP_ROLE)
    roles = manifest.accounts
    if (
        str(roles.get("treasury", "")).lower() != treasury.address.lower()
        or str(roles.get("airdrop", "")).lower() != bucket.address.lower()
    ):
        raise UsageError(
            "this deployment's treasury and airdrop wallets are not a devnet's development "
            "keys: deploy the distributor with the operator's own signers (the airdrop file "
            "holds its root, total and deadline)"
        )
    return Transactor(web3, treasury), Transactor(web3, bucket)


def launch(
    web3: Web3,
    manifest: Manifest,
    tree: AirdropTree,
    deployer: Transactor,
    holder: Transactor,
    *,
    staking_owner: Transactor | None = None,
) -> AirdropTree:
    """Deploy ``tree``'s distributor, allow it to stake for claimants and fund it from
    ``holder`` (which must hold the total); the tree with its distributor's address."""
    if tree.chain_id != int(web3.eth.chain_id):
        raise UsageError(f"this airdrop is for chain {tree.chain_id}, not {web3.eth.chain_id}")
    rex = web3.eth.contract(address=manifest.address("RexToken"), abi=load_artifact("RexToken").abi)
    with reverts_as("read the airdrop wallet's REX"):
        held = int(rex.functions.balanceOf(holder.address).call())
        now = int(web3.eth.get_block("latest")["timestamp"])
    if held < tree.total:
        raise InsufficientBalance(
            f"the airdrop wallet {holder.address} holds {format_units(held)} REX; the list "
            f"allocates {format_units(tree.total)}"
        )
    if tree.deadline <= now:
        raise UsageError(f"the claim deadline {tree.deadline} has passed (the chain is at {now})")
    treasury = manifest.accounts.get("treasury") or deployer.address
    address = deploy_distributor(deployer, staking_owner or deployer,
                                 manifest.address("RexToken"), manifest.address("StakedRex"),
                                 tree.root, tree.deadline, treasury)  # fmt: skip
    holder.send(Distributor(web3, address).fund_call(tree.total), action="fund the airdrop")
    return tree.deployed(address)


def with_airdrop(manifest: Manifest, tree: AirdropTree, file: str) -> Manifest:
    """``manifest`` naming the deployed distributor (so the Wallet agent reads its calls)
    and the airdrop's facts."""
    if tree.distributor is None:
        raise UsageError("the airdrop has no distributor yet")
    facts = {"root": tree.root, "total": str(tree.total), "deadline": tree.deadline,
             "claims": len(tree), "file": file}  # fmt: skip
    return replace(
        manifest,
        contracts={**manifest.contracts, "RexAirdrop": tree.distributor},
        genesis={**manifest.genesis, "airdrop": facts},
    )
