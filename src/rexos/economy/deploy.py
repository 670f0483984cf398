"""Genesis: deploy REX, the vesting buckets and sREX, start the foundation stream.

Used by ``rexos devnet up`` and ``rexos demo``; works on any backend. The
result is a :class:`~rexos.chain.manifest.Manifest` that later commands read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict

from eth_account.signers.local import LocalAccount

from rexos.chain.artifacts import load_artifact
from rexos.chain.client import ChainClient
from rexos.chain.devaccounts import dev_account
from rexos.chain.manifest import Manifest
from rexos.chain.tx import Transactor
from rexos.economy.genesis import DAY, Beneficiary, Genesis, staking_args, vesting_params
from rexos.economy.onchain import VESTING_PREFIX
from rexos.errors import ConfigError
from rexos.types import Address

__all__ = [
    "DEV_ROLES",
    "REX_SUPPLY_WEI",
    "Progress",
    "deploy_genesis",
    "dev_roles",
    "fund_demo",
]

Progress = Callable[[str], None]

REX_SUPPLY_WEI = 3_000_000_000 * 10**18
"""What ``RexToken`` mints at genesis, fixed in the contract."""

DEV_ROLES: dict[Beneficiary, int] = {
    "treasury": 0,
    "investors": 6,
    "team": 7,
    "incentives": 8,
    "airdrop": 9,
}
"""Which development account holds each beneficiary role on a devnet."""


def dev_roles() -> dict[Beneficiary, Address]:
    """Role → address on a devnet (treasury is the deployer)."""
    return {role: Address(dev_account(i).address) for role, i in DEV_ROLES.items()}


def _quiet(_: str) -> None:
    """Default progress callback: say nothing."""


def deploy_genesis(
    chain: ChainClient,
    genesis: Genesis,
    deployer: LocalAccount,
    roles: Mapping[Beneficiary, Address],
    *,
    funded: Sequence[Address] = (),
    progress: Progress = _quiet,
) -> Manifest:
    """Deploy the economy; fund ``funded`` accounts with the demo ETH and REX."""
    if str(roles.get("treasury")) != str(deployer.address):
        raise ConfigError("genesis: the deployer must hold the treasury role")
    missing = {b.beneficiary for b in genesis.buckets} - set(roles)
    if missing:
        raise ConfigError(f"genesis: no address for roles {sorted(missing)}")
    if genesis.total_supply_wei != REX_SUPPLY_WEI:
        raise ConfigError(
            f"genesis: total_supply_rex must be {REX_SUPPLY_WEI // 10**18:,}: "
            "RexToken mints a fixed supply"
        )
    web3 = chain.web3
    tx = Transactor(web3, deployer)
    progress("deploying RexToken (3,000,000,000 REX)")
    rex = tx.deploy("RexToken", deployer.address)
    tge = int(web3.eth.get_block("latest")["timestamp"])
    contracts: dict[str, Address] = {"RexToken": Address(rex.address)}

    for bucket in genesis.buckets:
        if bucket.tge_unlock and bucket.beneficiary != "treasury":
            progress(f"unlocking {bucket.name} at TGE")
            amount = genesis.allocation(bucket.name)
            tx.send(rex.functions.transfer(roles[bucket.beneficiary], amount), action="transfer")
    for params in vesting_params(genesis, tge):
        progress(f"deploying vesting for {params.bucket}")
        wallet = tx.deploy(
            "RexVesting",
            params.bucket,
            roles[params.beneficiary],
            params.start,
            params.duration,
            params.cliff_seconds,
        )
        tx.send(rex.functions.transfer(wallet.address, params.allocation), action="fund vesting")
        contracts[f"{VESTING_PREFIX}{params.bucket}"] = Address(wallet.address)

    args = staking_args(genesis)
    progress("deploying StakedRex (sREX)")
    staked = tx.deploy(
        "StakedRex",
        rex.address,
        roles["treasury"],
        list(args.thresholds),
        list(args.rates),
        args.epoch_duration,
        args.points_per_day,
    )
    contracts["StakedRex"] = Address(staked.address)
    stream = genesis.staking.foundation_stream_wei
    if stream:
        progress(f"starting the {genesis.staking.foundation_stream_days}-day foundation stream")
        tx.send(rex.functions.approve(staked.address, stream), action="approve stream")
        duration = genesis.staking.foundation_stream_days * DAY
        tx.send(staked.functions.startStream(stream, duration), action="start stream")

    fund_demo(tx, genesis, Address(rex.address), funded, progress=progress)

    latest = web3.eth.get_block("latest")
    return Manifest(
        chain_id=int(web3.eth.chain_id),
        backend=chain.kind,
        rpc_url=getattr(chain, "url", None),
        block=int(latest["number"]),
        tge=tge,
        contracts=contracts,
        accounts={**{str(k): v for k, v in roles.items()}},
        genesis={
            "vesting_reading": genesis.vesting_reading,
            "staking": asdict(args),
            "foundation_stream_wei": str(stream),
        },
    )


def fund_demo(
    tx: Transactor,
    genesis: Genesis,
    rex_address: Address,
    accounts: Sequence[Address],
    *,
    progress: Progress = _quiet,
) -> None:
    """Send each of ``accounts`` the demo's ETH and REX (``genesis.demo``) from ``tx``'s
    account, which must hold them."""
    rex = tx.web3.eth.contract(address=rex_address, abi=load_artifact("RexToken").abi)
    for address in accounts:
        progress(f"funding {address}")
        tx.send_value(address, genesis.demo.eth_per_user_wei, action="fund ETH")
        tx.send(rex.functions.transfer(address, genesis.demo.rex_per_user_wei), action="fund REX")
