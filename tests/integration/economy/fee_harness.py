"""The whole devnet deployment (genesis, DEX, FeeRouter) on an in-process py-evm chain, with
the tools the FeeRouter tests share.

It is :func:`rexos.deployment.deploy_dev`'s chain, so the tests check the deployment the
devnet runs: the FeeRouter over the real Uniswap V3 REX/WETH (1 %) and WETH/USDC (0.05 %)
pools. Three funded users approve the router for REX and the stablecoins, the sREX contract
and RexRouter; the chain then moves past the TWAP window so the oracles cover it.
The economy harness's ``Deployment`` supplies ``send``, ``execute``, ``mine_together``,
``travel`` and ``rollback``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from web3.contract import Contract
from web3.contract.contract import ContractFunction

from rexos.chain import EmbeddedChain, dev_account, load_artifact
from rexos.chain.embedded import create_embedded_evm
from rexos.chain.tx import reverts_as
from rexos.deployment import deploy_dev
from rexos.dex.deploy_v3 import V3_VENUE, v3_pool_address
from rexos.economy import load_genesis
from rexos.economy.fee_deploy import service_id
from rexos.economy.fees import FeeClient
from rexos.economy.onchain import Economy
from rexos.errors import TransactionReverted
from tests.integration.economy.harness import Deployment

UNLIMITED = 2**256 - 1
WAD = 10**18
USERS = (1, 2, 3)
PROVIDER = 7
STABLES = ("USDC", "USDT", "DAI")
_STEP_V3 = 2


def sid(name: str) -> bytes:
    return service_id(name)


@dataclass(repr=False)
class Fees:
    """The devnet deployment and its FeeRouter."""

    d: Deployment
    client: FeeClient
    router: Contract
    tokens: dict[str, Contract]
    rex_pool: Contract
    usd_pool: Contract
    swap_router: Contract
    factory: str

    @classmethod
    def create(cls) -> Fees:
        evm = create_embedded_evm()
        chain = EmbeddedChain(evm)
        users = tuple(dev_account(i) for i in USERS)
        manifest = deploy_dev(chain, funded=[u.address for u in users])
        deployer = dev_account(0)
        d = Deployment(
            evm, chain, load_genesis(None), manifest, Economy(chain.web3, manifest), deployer, users
        )
        client = FeeClient(chain.web3, manifest)
        web3 = chain.web3

        def bind(name: str, address: str) -> Contract:
            return web3.eth.contract(address=address, abi=load_artifact(name).abi)

        tokens = {s: bind("DevToken", manifest.address(f"DevToken:{s}")) for s in STABLES}
        tokens["WETH"] = bind("DevToken", manifest.address("DevToken:WETH"))
        tokens["REX"] = d.rex
        factory = manifest.address(f"UniswapV3Factory:{V3_VENUE}")
        rex_pool = bind(
            "UniswapV3Pool", v3_pool_address(factory, d.rex.address, tokens["WETH"].address, 10_000)
        )
        usd_pool = bind(
            "UniswapV3Pool",
            v3_pool_address(factory, tokens["WETH"].address, tokens["USDC"].address, 500),
        )
        swap_router = bind("RexRouter", manifest.address("RexRouter"))
        fees = cls(d, client, client.router, tokens, rex_pool, usd_pool, swap_router, factory)
        for account in (deployer, *users):
            for token in tokens.values():
                for spender in (client.router.address, swap_router.address, d.staked.address):
                    d.execute(account, token.functions.approve(spender, UNLIMITED))
        d.travel(int(client.router.functions.twapWindow().call()) + 60)
        return fees

    # ------------------------------------------------------------ plumbing

    @property
    def fn(self) -> Any:
        return self.router.functions

    @property
    def users(self) -> tuple[LocalAccount, ...]:
        return self.d.users

    @property
    def deployer(self) -> LocalAccount:
        return self.d.deployer

    @property
    def treasury(self) -> str:
        return str(self.d.manifest.accounts["treasury"])

    def provider(self) -> str:
        return dev_account(PROVIDER).address

    def reason(self, account: LocalAccount, call: ContractFunction) -> str | None:
        """What ``call`` from ``account`` reverts with at the latest block (``None``: passes)."""
        try:
            with reverts_as("probe"):
                call.call({"from": account.address})
        except TransactionReverted as exc:
            return exc.reason
        return None

    def reverts(self, account: LocalAccount, call: ContractFunction, reason: str) -> None:
        with pytest.raises(TransactionReverted) as info:
            self.d.send(account, call)
        assert info.value.reason == reason, info.value.reason

    def balance(self, symbol: str, address: str) -> int:
        return int(self.tokens[symbol].functions.balanceOf(address).call())

    def reward_pool(self) -> int:
        """REX the sREX contract holds: only ``fund``, stakes and payouts move it."""
        return self.balance("REX", self.d.staked.address)

    def paid_events(self, raw_receipt: Any) -> list[dict[str, Any]]:
        from tests.integration.economy.harness import events

        return events(self.router, "Paid", raw_receipt)

    # ------------------------------------------------------------ the pools

    def swap_call(self, symbol_in: str, symbol_out: str, amount: int) -> ContractFunction:
        """A RexRouter exact-input swap on the REX/WETH V3 pool."""
        step = (
            _STEP_V3,
            self.rex_pool.address,
            self.tokens[symbol_in].address,
            self.tokens[symbol_out].address,
            10_000,
            0,
            0,
            self.factory,
            amount,
        )
        return self.swap_router.functions.swap(
            [step],
            self.tokens[symbol_in].address,
            amount,
            self.tokens[symbol_out].address,
            0,
            self.deployer.address,
            2**63,
        )

    def spot_ticks(self) -> tuple[int, int]:
        """The pools' current (spot) ticks: REX/WETH, WETH/USDC."""
        return (
            int(self.rex_pool.functions.slot0().call()[1]),
            int(self.usd_pool.functions.slot0().call()[1]),
        )
