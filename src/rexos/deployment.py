"""One deployment of everything: the economy's genesis, DPrompt and the DEX fixtures.

This module sits above both :mod:`rexos.economy` and :mod:`rexos.dprompt` (neither
imports the other); ``rexos devnet up`` and ``rexos demo`` call :func:`deploy_all`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from eth_account.signers.local import LocalAccount

from rexos.chain.client import ChainClient
from rexos.chain.devaccounts import dev_account
from rexos.chain.manifest import Manifest
from rexos.dex.deploy import deploy_dex, dex_facts
from rexos.dprompt.deploy import deploy_dprompt, model_key
from rexos.dprompt.params import DPromptParams, load_dprompt_params
from rexos.economy.deploy import Progress, deploy_genesis, dev_roles
from rexos.economy.genesis import Beneficiary, Genesis, load_genesis
from rexos.types import Address

__all__ = ["deploy_all", "deploy_dev"]


def _quiet(_: str) -> None:
    """Default progress callback: say nothing."""


def deploy_all(
    chain: ChainClient,
    genesis: Genesis,
    dprompt: DPromptParams,
    deployer: LocalAccount,
    roles: Mapping[Beneficiary, Address],
    *,
    funded: Sequence[Address] = (),
    progress: Progress = _quiet,
    dex: bool = True,
) -> Manifest:
    """Deploy the economy (:func:`~rexos.economy.deploy.deploy_genesis`), DPrompt and,
    with ``dex``, the DEX fixtures (:func:`~rexos.dex.deploy.deploy_dex`).

    The manifest lists every contract; ``genesis["dprompt"]`` records the
    registered models (id → on-chain ``bytes32`` key) and the registry stake rules;
    ``genesis["dex"]`` the DEX tokens' decimals and the venues' fees. ``funded``
    accounts also receive some of every DEX token.
    """
    manifest = deploy_genesis(chain, genesis, deployer, roles, funded=funded, progress=progress)
    contracts = deploy_dprompt(
        chain,
        deployer,
        manifest.address("RexToken"),
        manifest.address("StakedRex"),
        roles["treasury"],
        dprompt,
        progress=progress,
    )
    if dex:
        contracts |= deploy_dex(
            chain,
            deployer,
            manifest.address("RexToken"),
            funded=funded,
            progress=progress,
        )
    facts = {
        "models": {m.model_id: "0x" + model_key(m.model_id).hex() for m in dprompt.models},
        "min_stake_wei": str(dprompt.min_stake),
        "unbonding_seconds": dprompt.unbonding_period,
    }
    return replace(
        manifest,
        block=int(chain.web3.eth.block_number),
        contracts={**manifest.contracts, **contracts},
        genesis={**manifest.genesis, "dprompt": facts, **({"dex": dex_facts()} if dex else {})},
    )


def deploy_dev(
    chain: ChainClient,
    *,
    funded: Sequence[Address] = (),
    progress: Progress = _quiet,
    dex: bool = True,
) -> Manifest:
    """:func:`deploy_all` with the default genesis and DPrompt parameters, deployed by dev
    account 0 with the dev accounts' roles: the demo's, the tests' and the benchmarks' chain."""
    return deploy_all(
        chain,
        load_genesis(None),
        load_dprompt_params(None),
        dev_account(0),
        dev_roles(),
        funded=funded,
        progress=progress,
        dex=dex,
    )
