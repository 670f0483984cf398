"""The community airdrop: eligibility rules over snapshots, sybil filtering with published
evidence and an appeal window, and a Merkle distributor (claim, claim-and-stake, delivery to
a bound address, deadline, sweep). Import the submodules directly."""

from __future__ import annotations

__all__: list[str] = []
