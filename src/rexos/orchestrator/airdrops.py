"""The chat's "claim my airdrop": the wallet's allocation in the deployment's airdrop, claimed
through the Wallet agent.

The deployment names its distributor and the airdrop file (``rexos airdrop build`` records
both in the manifest); the file's tree gives the wallet's leaf and proof. The claim is
planned as an exact transaction to the distributor and judged by the policy like any other;
a wallet with no allocation, a claimed one and a closed airdrop are one clear answer each.
"""

from __future__ import annotations

from typing import Any

from rexos.agents.wallet import Move, WalletAgent
from rexos.chain.tx import calldata
from rexos.errors import UsageError
from rexos.orchestrator.intent.claims import NO_AIRDROP
from rexos.orchestrator.workspace import Workspace

__all__ = ["airdrop_moves"]


def airdrop_moves(ws: Workspace, agent: WalletAgent, resolved: dict[str, Any]) -> list[Move]:
    """The claim of ``agent``'s wallet; ``resolved`` keeps the amount for the step's answer."""
    from rexos.airdrop.distributor import Distributor
    from rexos.airdrop.tree import AirdropTree

    manifest = ws.manifest()
    facts = (getattr(manifest, "genesis", None) or {}).get("airdrop")
    if not facts or "RexAirdrop" not in manifest.contracts:
        raise UsageError(NO_AIRDROP)
    tree = AirdropTree.load(ws.settings.home / "airdrop" / str(facts["file"]))
    found = tree.allocation(agent.address)
    if found is None:
        raise UsageError(f"{agent.address} has no allocation in this airdrop")
    dist = Distributor(ws.chain().web3, manifest.address("RexAirdrop"))
    call = dist.claim_call(found.index, agent.address, found.amount, list(found.proof))
    data = calldata(call)
    resolved.setdefault("units", str(found.amount))
    return [Move("claim", lambda: agent.plan_call(dist.address, 0, data))]
