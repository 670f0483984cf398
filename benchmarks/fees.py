"""Gas of FeeRouter payments, from real anvil (prague) receipts.

Run: ``python benchmarks/fees.py`` (needs anvil: ``npm install --prefix contracts --no-save``).
Deploys the whole devnet (:func:`rexos.deployment.deploy_dev`: genesis, DEX, FeeRouter) on
anvil, lets the TWAP window pass, and pays one use of ``dprompt.request`` (a provider named
at payment; 10 % to the sREX pool, 5 % to the treasury) in USDC, in REX and with AI points,
each twice: the first payment of its kind (zero balances and slots become non-zero) and a
later one. Prints a table and writes the ``fees`` part of ``benchmarks/economy.json``,
keeping the other parts (the airdrop's) as they are.
"""

from __future__ import annotations

from typing import Any

import economy_json  # benchmarks/economy_json.py, beside this script
from rexos.chain import AnvilChain, Transactor, dev_account, load_artifact
from rexos.deployment import deploy_dev
from rexos.economy.fee_deploy import service_id
from rexos.economy.fees import FeeClient
from rexos.types import Address

WAD = 10**18
SERVICE = "dprompt.request"


def measure(chain: AnvilChain) -> dict[str, int]:
    """Pay ``SERVICE`` by each method twice from a funded user; return receipt gas."""
    payer, provider = dev_account(1), dev_account(7)
    manifest = deploy_dev(chain, funded=[Address(payer.address)])
    client = FeeClient(chain.web3, manifest)
    me = Transactor(chain.web3, payer)
    staked = chain.web3.eth.contract(
        address=manifest.address("StakedRex"), abi=load_artifact("StakedRex").abi
    )
    me.send(client.rex.functions.approve(staked.address, 10**30), action="approve sREX")
    me.send(staked.functions.stake(1_000 * WAD), action="stake")
    chain.time_travel(86_400)  # a day: points to spend, and the TWAP window covered
    usdc = client.stablecoin("USDC")[0]
    token: Any = chain.web3.eth.contract(address=usdc, abi=client.rex.abi)
    for contract in (client.rex, token):
        me.send(contract.functions.approve(client.router.address, 10**30), action="approve")
    fn, sid, ref = client.router.functions, service_id(SERVICE), b"\x01" * 32
    gas: dict[str, int] = {}
    for label in ("first", "later"):
        calls = {
            "pay_stable": fn.payStable(sid, usdc, 10**30, provider.address, ref),
            "pay_rex": fn.payRex(sid, 10**30, provider.address, ref),
            "pay_points": fn.payPoints(sid, 10**30, provider.address, ref),
        }
        for name, call in calls.items():
            key = name if label == "later" else f"{name}_first"
            gas[key] = me.send(call, action=name).gas_used
    return gas


def main() -> int:
    node = economy_json.anvil()
    if node is None:
        return 2
    binary, version = node
    chain = AnvilChain(binary)
    try:
        gas = measure(chain)
    finally:
        chain.close()
    print(f"{'fee payment':<24}{'gas':>10}")
    for name, used in gas.items():
        print(f"{name:<24}{used:>10,}")
    economy_json.write_part(
        "fees",
        version,
        {
            "service": SERVICE,
            **gas,
            "note": "whole-transaction gas from anvil receipts (21,000 base and calldata "
            "included) of one use of dprompt.request ($0.10; a provider named at payment; 10 % "
            "to the sREX reward pool, 5 % to the treasury, the rest to the provider): "
            "'pay_stable' in USDC (three transfers: pool keeper, treasury, provider), 'pay_rex' "
            "in REX at the 20 % discount (two Uniswap V3 observe calls for the TWAP, the pool "
            "share through StakedRex.fund, two transfers), 'pay_points' with AI points (one "
            "sREX points read, one slot written); '_first' is the payer's first payment of that "
            "kind (recipients and the spent slot go from zero to non-zero), the others a later one",
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
