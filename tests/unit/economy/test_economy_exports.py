"""The public surface of rexos.economy."""

from __future__ import annotations

import rexos.economy as economy


def test_public_names_are_exported() -> None:
    public = {n for n in vars(economy) if not n.startswith("_")}
    modules = {"genesis", "staking", "supply", "vesting", "annotations"}
    chain_modules = {
        "onchain",
        "preview",
        "deploy",
        "desk",
        "fees",
        "fee_deploy",
        "points",
        "tick_math",
    }
    assert public - modules - set(economy.__all__) <= chain_modules
    assert {"StakingModel", "load_genesis", "simulate_supply", "schedule_for"} <= set(
        economy.__all__
    )
