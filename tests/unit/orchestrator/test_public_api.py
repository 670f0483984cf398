"""The orchestrator's public surface, and the chain names kept in step with bridges."""

from __future__ import annotations

import rexos.orchestrator as orchestrator
import rexos.orchestrator.intent as intent
from rexos.bridges.chains import CHAINS
from rexos.chain.devnet import DEVNET_NAMES
from rexos.orchestrator.intent.slots import CHAIN_ALIASES


def test_the_orchestrator_re_exports_the_intent_parser() -> None:
    assert {"parse", "parse_steps", "Intent", "Clarification", "Amount"} <= set(
        orchestrator.__all__
    )
    assert orchestrator.parse is intent.parse


def test_chain_aliases_name_chains_the_bridges_know() -> None:
    assert set(CHAIN_ALIASES.values()) == set(CHAINS) | set(DEVNET_NAMES)
    for name in [*CHAINS, *DEVNET_NAMES]:
        assert CHAIN_ALIASES[name] == name
