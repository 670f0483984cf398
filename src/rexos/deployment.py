"""One deployment of everything: the economy's genesis, DPrompt, the Agent Market, the DEX
fixtures and the FeeRouter.

This module sits above both :mod:`rexos.economy` and :mod:`rexos.dprompt` (neither
imports the other); ``rexos devnet up`` and ``rexos demo`` call :func:`deploy_all`.
``rexos devnet up`` also registers the devnet's own DPrompt provider
(:func:`register_dev_provider`, signed by a dev key that no user or relayer
shares), so a fresh devnet answers ``rexos ask``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount

from rexos.bridges.lockmint import deploy_bridge, link_bridges
from rexos.chain.artifacts import load_artifact
from rexos.chain.client import ChainClient
from rexos.chain.devaccounts import DEV_HD_PATH, DEV_MNEMONIC, dev_account
from rexos.chain.ens_deploy import deploy_ens
from rexos.chain.manifest import Manifest
from rexos.chain.tx import Transactor
from rexos.dex.deploy import deploy_dex, dex_facts, fund_dev_tokens
from rexos.dex.deploy_v3 import V3_VENUE, v3_pool_address
from rexos.dprompt.deploy import deploy_dprompt, model_key
from rexos.dprompt.params import DPromptParams, load_dprompt_params
from rexos.dprompt.provider import ProviderClient
from rexos.economy.deploy import Progress, deploy_genesis, dev_roles, fund_demo
from rexos.economy.fee_deploy import DEFAULT_DESK_FLOAT, deploy_fee_router, fee_facts
from rexos.economy.genesis import Beneficiary, Genesis, load_genesis
from rexos.market.deploy import DEFAULT_POOL_BPS, DEFAULT_TREASURY_BPS, deploy_market
from rexos.opml import PROGRAMS
from rexos.types import Address, parse_address

__all__ = [
    "DEV_ENS_NAMES",
    "DEV_PROVIDER_INDEX",
    "DEV_PROVIDER_PRICE_WEI",
    "PEER_GAS_WEI",
    "RELAYER_FUNDING_WEI",
    "deploy_all",
    "deploy_bridges",
    "deploy_dev",
    "dev_provider",
    "fund",
    "fund_dev",
    "register_dev_provider",
]

RELAYER_FUNDING_WEI = 100 * 10**18
"""ETH the devnet relayer gets on each chain for delivery gas."""

PEER_GAS_WEI = 10**18
"""ETH a funded account gets on the peer chain, for gas."""

DEV_PROVIDER_INDEX = 11
"""Index (in the test mnemonic) of the devnet provider node's key: past the funded dev accounts
(0-9: deployer, demo users, vesting roles) and the relayer (10)."""

DEV_PROVIDER_PRICE_WEI = 10**18
"""What the devnet provider asks for an answer: 1 REX."""

_DEV_PROVIDER_GAS_WEI = 100 * 10**18


DEV_ENS_NAMES: dict[str, Address] = {
    "alice.eth": Address(dev_account(1).address),
    "bob.eth": Address(dev_account(2).address),
    "carol.eth": Address(dev_account(3).address),
    "vitalik.eth": parse_address("0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"),
}
"""The devnet's ENS names: three dev accounts, and vitalik.eth at its mainnet address."""


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
    ens: Mapping[str, Address] | None = None,
) -> Manifest:
    """Deploy the economy (:func:`~rexos.economy.deploy.deploy_genesis`), DPrompt, the Agent
    Market (:func:`~rexos.market.deploy.deploy_market`, default fee shares) and,
    with ``dex``, the DEX fixtures (:func:`~rexos.dex.deploy.deploy_dex`); with ``ens``,
    the real ENS registry and resolver with those names (``{"alice.eth": address}``).

    The manifest lists every contract; ``genesis["dprompt"]`` records the
    registered models (id → on-chain ``bytes32`` key) and the registry stake rules;
    ``genesis["market"]`` the Agent Market's fee shares (basis points);
    ``genesis["dex"]`` the DEX tokens' decimals and the venues' fees; with the DEX, the
    ``FeeRouter`` prices REX from the V3 REX/WETH and WETH/USDC pools and
    ``genesis["fees"]`` records its services, prices and rates. ``funded``
    accounts also receive some of every DEX token.
    """
    manifest = deploy_genesis(chain, genesis, deployer, roles, progress=progress)
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
            progress=progress,
        )
    if ens is not None:
        contracts |= deploy_ens(Transactor(chain.web3, deployer), ens, progress=progress)
    contracts |= deploy_market(
        Transactor(chain.web3, deployer),
        manifest.address("RexToken"),
        manifest.address("StakedRex"),
        roles["treasury"],
        progress=progress,
    )
    if dex:
        contracts |= _deploy_fees(
            Transactor(chain.web3, deployer), manifest, contracts, roles["treasury"], progress
        )
    facts = {
        "models": {m.model_id: "0x" + model_key(m.model_id).hex() for m in dprompt.models},
        "min_stake_wei": str(dprompt.min_stake),
        "unbonding_seconds": dprompt.unbonding_period,
    }
    deployed = replace(
        manifest,
        contracts={**manifest.contracts, **contracts},
        genesis={
            **manifest.genesis,
            "dprompt": facts,
            "market": {"pool_bps": DEFAULT_POOL_BPS, "treasury_bps": DEFAULT_TREASURY_BPS},
            **({"dex": dex_facts(), "fees": fee_facts()} if dex else {}),
        },
    )
    fund(chain, deployed, genesis, deployer, funded, progress=progress)
    return replace(deployed, block=int(chain.web3.eth.block_number))


def _deploy_fees(
    deployer: Transactor,
    manifest: Manifest,
    contracts: Mapping[str, Address],
    treasury: Address,
    progress: Progress,
) -> dict[str, Address]:
    """The ``FeeRouter`` over the V3 REX/WETH (1 %) and WETH/USDC (0.05 %) pools, accepting
    the dev stablecoins, with the default services; each desk's float gets
    :data:`DEFAULT_DESK_FLOAT` of the deployer's REX (half what it holds, if less)."""
    rex, factory = manifest.address("RexToken"), contracts[f"UniswapV3Factory:{V3_VENUE}"]
    token: Any = deployer.web3.eth.contract(address=rex, abi=load_artifact("RexToken").abi)
    held = int(token.functions.balanceOf(deployer.address).call())
    weth, usdc = contracts["DevToken:WETH"], contracts["DevToken:USDC"]
    return deploy_fee_router(
        deployer,
        rex=rex,
        staked=manifest.address("StakedRex"),
        treasury=treasury,
        rex_pool=v3_pool_address(factory, rex, weth, 10_000),
        usd_pool=v3_pool_address(factory, weth, usdc, 500),
        request_book=contracts["RequestBook"],
        market=contracts["AgentMarket"],
        stablecoins=[contracts[f"DevToken:{s}"] for s in ("USDC", "USDT", "DAI")],
        desk_float=min(held // 2, DEFAULT_DESK_FLOAT),
        progress=progress,
    )


def fund(
    chain: ChainClient,
    manifest: Manifest,
    genesis: Genesis,
    deployer: LocalAccount,
    accounts: Sequence[Address],
    *,
    progress: Progress = _quiet,
) -> None:
    """Give each of ``accounts`` what :func:`deploy_all` gives its ``funded`` accounts: the
    demo's ETH and REX and, where the deployment has the DEX, ``FUNDED_USD`` worth of
    every dev token. ``deployer`` deployed ``manifest`` and pays."""
    rex = manifest.address("RexToken")
    fund_demo(Transactor(chain.web3, deployer), genesis, rex, accounts, progress=progress)
    if any(name.startswith("DevToken:") for name in manifest.contracts):
        fund_dev_tokens(chain, deployer, manifest.contracts, accounts)


def fund_dev(chain: ChainClient, manifest: Manifest, accounts: Sequence[Address]) -> None:
    """:func:`fund` for a :func:`deploy_dev` deployment (dev account 0 pays)."""
    fund(chain, manifest, load_genesis(None), dev_account(0), accounts)


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
        ens=DEV_ENS_NAMES,
    )


def deploy_bridges(
    home: ChainClient,
    home_manifest: Manifest,
    peer: ChainClient,
    deployer: LocalAccount,
    relayer: Address,
    *,
    funded: Sequence[Address] = (),
    progress: Progress = _quiet,
) -> tuple[Manifest, Manifest]:
    """Deploy a ``RexBridge`` on both chains (``relayer`` signs alone), peer them, create a
    ``BridgedToken`` on ``peer`` for REX and every dev token of ``home_manifest``, and fund
    the relayer's gas on both and ``funded`` accounts' gas on ``peer``. Return the home
    manifest with ``RexBridge`` added and the peer chain's new manifest (``RexBridge``,
    ``BridgedToken:<SYMBOL>``)."""
    home_tx, peer_tx = Transactor(home.web3, deployer), Transactor(peer.web3, deployer)
    progress("bridge on the home chain")
    home_bridge = deploy_bridge(home_tx, [relayer])
    progress("bridge on the peer chain")
    peer_bridge = deploy_bridge(peer_tx, [relayer])
    abi = load_artifact("DevToken").abi
    tokens = []
    for key, address in sorted(home_manifest.contracts.items()):
        if key == "RexToken" or key.startswith("DevToken:"):
            erc20 = home.web3.eth.contract(address=address, abi=abi)
            name, symbol = erc20.functions.name().call(), erc20.functions.symbol().call()
            decimals = int(erc20.functions.decimals().call())
            tokens.append((address, f"{name} (bridged)", str(symbol), decimals))
    progress("bridged tokens")
    made = link_bridges(home_bridge, home_tx, peer_bridge, peer_tx, tokens)
    for sender in (home_tx, peer_tx):
        sender.send_value(relayer, RELAYER_FUNDING_WEI, action="fund the relayer")
    for account in funded:
        peer_tx.send_value(account, PEER_GAS_WEI, action="fund gas on the peer chain")
    facts = {"peer_chain_id": peer_bridge.chain_id, "home_chain_id": home_bridge.chain_id}
    updated = replace(
        home_manifest,
        contracts={**home_manifest.contracts, "RexBridge": home_bridge.address},
        genesis={**home_manifest.genesis, "bridge": facts},
    )
    peer_manifest = Manifest(
        chain_id=peer_bridge.chain_id,
        backend=peer.kind,
        rpc_url=getattr(peer, "url", None),
        block=int(peer.web3.eth.block_number),
        tge=home_manifest.tge,
        contracts={
            "RexBridge": peer_bridge.address,
            **{f"BridgedToken:{symbol}": address for symbol, address in made.items()},
        },
        accounts={"relayer": relayer},
        genesis={"bridge": facts},
    )
    return updated, peer_manifest


def dev_provider() -> LocalAccount:
    """The devnet provider node's key (:data:`DEV_PROVIDER_INDEX`). Backends do not fund it:
    :func:`register_dev_provider` does, so it never shares a nonce with a user."""
    path = f"{DEV_HD_PATH}/{DEV_PROVIDER_INDEX}"
    account: LocalAccount = Account.from_mnemonic(DEV_MNEMONIC, account_path=path)
    return account


def register_dev_provider(
    chain: ChainClient,
    manifest: Manifest,
    deployer: LocalAccount,
    provider: LocalAccount,
    model_id: str,
    stake: int,
    *,
    price: int = DEV_PROVIDER_PRICE_WEI,
) -> None:
    """Fund ``provider`` from ``deployer`` (gas, and ``stake`` REX) and register it in
    DPrompt as serving ``model_id``, and every opML model of the deployment whose program
    RexOS runs (:data:`rexos.opml.PROGRAMS`), at ``price`` with ``stake`` bonded."""
    web3 = chain.web3
    treasury = Transactor(web3, deployer)
    treasury.send_value(Address(provider.address), _DEV_PROVIDER_GAS_WEI, action="fund provider")
    rex = web3.eth.contract(address=manifest.address("RexToken"), abi=load_artifact("RexToken").abi)
    treasury.send(rex.functions.transfer(provider.address, stake), action="fund provider stake")
    deployed = manifest.genesis.get("dprompt", {}).get("models", {})
    opml = [m for m in deployed if m in PROGRAMS and m != model_id]
    ProviderClient(web3, manifest).register(
        Transactor(web3, provider), [model_id, *opml], price, stake
    )
