"""The public surface of rexos.economy."""

from __future__ import annotations

import rexos.economy as economy


def test_all_is_sorted_unique_and_importable() -> None:
    names = economy.__all__
    assert len(names) == len(set(names))
    assert sorted(names, key=lambda n: (not n.isupper(), n)) == names
    for name in names:
        assert getattr(economy, name) is not None


def test_public_names_are_exported() -> None:
    public = {n for n in vars(economy) if not n.startswith("_")}
    modules = {"genesis", "staking", "supply", "vesting", "annotations"}
    assert public - modules - set(economy.__all__) <= {"onchain", "preview", "deploy"}
    assert {"StakingModel", "load_genesis", "simulate_supply", "schedule_for"} <= set(
        economy.__all__
    )
