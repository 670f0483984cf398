"""What the airdrop page reads and signs: an address's allocation and the server wallet's claim.

:class:`AirdropDesk` reads the data directory's airdrop file (``rexos airdrop build`` writes
it; every hash is checked on load) and the distributor on chain, and for the server's own
wallet plans a claim (or a claim-and-stake) as an exact transaction the page shows with its
fingerprint; only a second post naming that fingerprint sends it, through the Wallet agent's
gateway (:class:`~rexos.agents.wallet.waiting.Waiting`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from web3 import Web3

from rexos.agents.wallet import WalletAgent
from rexos.agents.wallet.waiting import Waiting
from rexos.airdrop.distributor import Distributor, DistributorFacts
from rexos.airdrop.tree import AirdropTree, Allocation, tree_path
from rexos.chain.tx import calldata
from rexos.errors import UsageError
from rexos.types import Address, parse_address

__all__ = ["AirdropDesk", "AirdropStatus", "ClaimPending", "Exclusion"]


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Why the draft list excluded an address: what it lost and its cluster."""

    lost: tuple[str, ...]
    cluster: str
    size: int
    appeal_deadline: int


@dataclass(frozen=True, slots=True)
class AirdropStatus:
    """One address in the airdrop, and the airdrop's own facts."""

    address: Address
    facts: DistributorFacts
    claims: int
    total: int
    allocation: Allocation | None
    claimed: bool
    delivery: Address
    now: int
    excluded: Exclusion | None
    mine: bool
    """The address is the server's wallet (the page may claim for it)."""

    @property
    def open(self) -> bool:
        return self.now <= self.facts.deadline

    @property
    def claimable(self) -> bool:
        return self.mine and self.open and self.allocation is not None and not self.claimed


@dataclass(frozen=True, slots=True)
class ClaimPending:
    """A claim planned and shown, waiting for a yes to its fingerprint."""

    fingerprint: str
    amount: int
    stake: bool
    sender: Address
    distributor: Address
    summary: str
    verdict: str
    reason: str
    gas: int | None


class AirdropDesk:
    """The airdrop of ``home``'s chain ``chain_id``, and the server's wallet (if any)."""

    def __init__(
        self,
        web3: Web3,
        home: Path,
        chain_id: int,
        wallet: Callable[[], WalletAgent] | None = None,
    ) -> None:
        self.web3 = web3
        self.home = home
        self.chain_id = chain_id
        self._wallet = wallet
        self._waiting: Waiting[ClaimPending] = Waiting("claim")

    @property
    def wallet(self) -> Address | None:
        return None if self._wallet is None else self._wallet().address

    def _tree(self) -> tuple[AirdropTree, Distributor]:
        tree = AirdropTree.load(tree_path(self.home, self.chain_id))
        if tree.distributor is None:
            raise UsageError("the airdrop is built but has no distributor yet")
        return tree, Distributor(self.web3, tree.distributor)

    def status(self, address: str) -> AirdropStatus:
        who = parse_address(address)
        tree, dist = self._tree()
        found = tree.allocation(who)
        return AirdropStatus(
            address=who, facts=dist.facts(), claims=len(tree), total=tree.total,
            allocation=found, claimed=found is not None and dist.is_claimed(found.index),
            delivery=dist.delivery_of(who), now=dist.now(),
            excluded=None if found is not None else self._excluded(who),
            mine=self.wallet is not None and who == self.wallet,
        )  # fmt: skip

    def _excluded(self, who: Address) -> Exclusion | None:
        path = self.home / "airdrop" / f"draft-{self.chain_id}.json"
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        for item in data.get("excluded", []) if isinstance(data, dict) else []:
            if str(item.get("address", "")).lower() == who.lower():
                ev = item.get("evidence") or {}
                return Exclusion(tuple(str(x) for x in item.get("lost", [])),
                                 str(ev.get("cluster_id", "")), int(ev.get("size", 0)),
                                 int(data.get("appeal_deadline", 0)))  # fmt: skip
        return None

    def prepare(self, session: str, stake: bool) -> ClaimPending:
        """Plan the server wallet's claim for ``session``; nothing is signed."""
        if self._wallet is None:
            raise UsageError("this server has no wallet to claim with")
        agent = self._wallet()
        tree, dist = self._tree()
        found = tree.allocation(agent.address)
        if found is None:
            raise UsageError(f"{agent.address} has no allocation in this airdrop")
        proof = list(found.proof)
        call = (dist.claim_and_stake_call(found.index, found.amount, proof) if stake
                else dist.claim_call(found.index, agent.address, found.amount, proof))  # fmt: skip
        data = calldata(call)
        prepared = agent.plan_call(dist.address, 0, data)
        tx, decision = prepared.tx, prepared.decision
        pending = ClaimPending(tx.fingerprint, found.amount, stake, tx.sender, tx.to, tx.summary,
                               decision.verdict, decision.reason, tx.simulated_gas)  # fmt: skip
        self._waiting.hold(session, prepared, pending)
        return pending

    def confirm(self, session: str, fingerprint: str) -> tuple[ClaimPending, str]:
        """``session``'s yes to the claim it was shown: sent once; the claim and its tx."""
        if self._wallet is None:
            raise UsageError("this server has no wallet to claim with")
        held = self._waiting.take(session, fingerprint)
        receipt = self._waiting.send(self._wallet(), held, "airdrop-claim")
        return held.about, receipt.tx_hash
