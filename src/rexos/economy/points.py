"""AI points: earned in sREX (time-weighted stake), spent on AI services in the FeeRouter.

``available = earned - spent``; the FeeRouter records every spend on chain and refuses one
above what is available, so points can never go negative or be spent twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from web3 import Web3

from rexos.chain.artifacts import load_artifact
from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as
from rexos.types import Address

__all__ = ["PointsView", "read_points"]


@dataclass(frozen=True, slots=True)
class PointsView:
    """An account's points, 18 decimals each: earned in sREX, spent, available now."""

    account: Address
    earned: int
    spent: int
    available: int


def read_points(web3: Web3, manifest: Manifest, account: Address) -> PointsView:
    """``account``'s points at the latest block (earned and spent read in one block)."""
    staked = web3.eth.contract(
        address=manifest.address("StakedRex"), abi=load_artifact("StakedRex").abi
    )
    router = web3.eth.contract(
        address=manifest.address("FeeRouter"), abi=load_artifact("FeeRouter").abi
    )
    with reverts_as("read points"):
        block = int(web3.eth.block_number)
        earned = int(staked.functions.points(account).call(block_identifier=block))
        spent = int(router.functions.pointsSpent(account).call(block_identifier=block))
        available = int(router.functions.pointsAvailable(account).call(block_identifier=block))
    return PointsView(account, earned, spent, available)
