"""Gas of FeeRouter payments, from real anvil (prague) receipts.

Run: ``python benchmarks/fees.py`` (needs anvil: ``npm install --prefix contracts --no-save``).
Deploys the whole devnet (:func:`rexos.deployment.deploy_dev`: genesis, DEX, FeeRouter and
the desks) on anvil, lets the TWAP window pass, and pays one use of ``studio.agent_run`` (a
developer named at payment; 10 % to the sREX pool, 5 % to the treasury) in USDC, in REX and
with AI points, each twice: the first payment of its kind (zero balances and slots become
non-zero) and a later one. Then the desks: a DPrompt request bought with ``payAndCall`` by
each method (the payment and the request in one transaction), next to the same request paid
from credit, and an Agent Market job bought by the cent in USDC next to one opened from
credit. Prints a table and writes the ``fees`` part of ``benchmarks/economy.json``, keeping
the other parts (the airdrop's) as they are.
"""

from __future__ import annotations

from typing import Any

import economy_json  # benchmarks/economy_json.py, beside this script
from rexos.chain import AnvilChain, Transactor, dev_account, load_artifact
from rexos.deployment import deploy_dev, dev_provider, register_dev_provider
from rexos.dprompt import Client
from rexos.dprompt.desk import Desk
from rexos.economy.fee_deploy import service_id
from rexos.economy.fees import FeeClient
from rexos.market import MarketClient
from rexos.market.desk import MarketDesk
from rexos.types import Address

WAD = 10**18
SERVICE = "studio.agent_run"
MODEL = "gemma-3-270m"
PROMPT = "What is the capital of France?"
SPEC = b"\x5a" * 32


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
    gas |= _desks(chain, manifest, client, me)
    return gas


def _desks(chain: AnvilChain, manifest: Any, fees: FeeClient, me: Transactor) -> dict[str, int]:
    """Gas of a DPrompt request and an Agent Market job bought at their desks, beside the
    same bought from credit (each after one of its kind, so no slot starts at zero)."""
    web3 = chain.web3
    register_dev_provider(chain, manifest, dev_account(0), dev_provider(), MODEL, 1_000 * WAD)
    dprompt, market = Client(web3, manifest), MarketClient(web3, manifest)
    desk, market_desk = Desk(dprompt, fees), MarketDesk(market, fees)
    developer = Transactor(web3, dev_account(2))
    market.list_agent(developer, SPEC, developer.address, WAD)
    dprompt.deposit(me, 10 * WAD)
    market.deposit(me, 10 * WAD)
    gas: dict[str, int] = {}
    for label in ("first", "later"):
        bought = {
            "desk_request_stable": lambda: desk.ask(me, MODEL, PROMPT, "stable").served.receipt,
            "desk_request_rex": lambda: desk.ask(me, MODEL, PROMPT, "rex").served.receipt,
            "desk_request_points": lambda: desk.ask(me, MODEL, PROMPT, "points").served.receipt,
        }
        for name, run in bought.items():
            used = run().gas_used
            if label == "later":
                gas[name] = used
        view = dprompt.ask(me, MODEL, PROMPT, 10 * WAD)
        expiry = market.now() + 3_600
        job = market_desk.buy(me, SPEC, 2 * WAD, expiry, "stable")
        if label == "later":
            gas["request_from_credit"] = _gas(web3, view.id, dprompt)
            gas["desk_job_stable"] = job.served.receipt.gas_used
            opened = me.send(market.market.functions.openJob(SPEC, 2 * WAD, expiry), action="job")
            gas["job_from_credit"] = opened.gas_used
    return gas


def _gas(web3: Any, request_id: int, dprompt: Client) -> int:
    """Receipt gas of the transaction that posted request ``request_id``."""
    (log,) = dprompt.book.events.Requested().get_logs(
        from_block=0, argument_filters={"id": request_id}
    )
    return int(web3.eth.get_transaction_receipt(log["transactionHash"])["gasUsed"])


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
            "included) of one use of studio.agent_run ($0.20; a developer named at payment; "
            "10 % to the sREX reward pool, 5 % to the treasury, the rest to the developer): "
            "'pay_stable' in USDC (three transfers: pool keeper, treasury, provider), 'pay_rex' "
            "in REX at the 20 % discount (two Uniswap V3 observe calls for the TWAP, the pool "
            "share through StakedRex.fund, two transfers), 'pay_points' with AI points (one "
            "sREX points read, one slot written); '_first' is the payer's first payment of that "
            "kind (recipients and the spent slot go from zero to non-zero), the others a later "
            "one. 'desk_request_*': one DPrompt request ($0.15) bought through payAndCall by each "
            "method, the payment and the posted request in one transaction; "
            "'request_from_credit': the same request paid from RequestBook credit. "
            "'desk_job_stable': an Agent Market job holding 2 REX bought by the cent in USDC "
            "through the market desk; 'job_from_credit': the same job opened from market credit",
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
