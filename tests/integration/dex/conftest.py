"""An anvil node per DEX test module, and the helpers the pool-maths comparisons share."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import pytest
from eth_abi import encode as abi_encode
from eth_utils import keccak
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction

from rexos.chain import AnvilChain, Transactor, decode_revert, dev_account
from rexos.dex.v2 import MAX_RESERVE, V2Pool
from rexos.errors import InsufficientLiquidity

MAX_UINT256 = 2**256 - 1
ERC20_BALANCES_SLOT = 0
"""OpenZeppelin 5's ERC20 (and so DevToken) keeps ``_balances`` in storage slot 0."""


@dataclass(frozen=True, slots=True)
class CallResult:
    """What an ``eth_call`` gave: the return data, or the decoded revert reason."""

    ok: bool
    data: bytes
    reason: str


@dataclass(frozen=True)
class DexChain:
    """An anvil node, the deployer's transactor and small helpers."""

    chain: AnvilChain
    deployer: Transactor

    @property
    def web3(self) -> Web3:
        return self.chain.web3

    def token(self, symbol: str, decimals: int) -> Contract:
        """A fresh DevToken owned by the deployer."""
        return self.deployer.deploy(
            "DevToken", f"Dev {symbol}", symbol, decimals, self.deployer.address
        )

    def mint(self, token: Contract, to: str, amount: int) -> None:
        self.deployer.send(token.functions.mint(to, amount), action="mint")

    def call(
        self, call: ContractFunction, *, overrides: dict[str, Any] | None = None
    ) -> CallResult:
        """``eth_call`` from the deployer at the latest block, with optional state overrides."""
        tx = {
            "from": self.deployer.address,
            "to": call.address,
            "data": call._encode_transaction_data(),
        }
        params: list[Any] = [tx, "latest"]
        if overrides is not None:
            params.append(overrides)
        response = self.web3.provider.make_request("eth_call", params)  # type: ignore[arg-type]
        if "error" in response:
            error = response["error"]
            data = error.get("data")
            reason = decode_revert(data if isinstance(data, str) else None)
            return CallResult(ok=False, data=b"", reason=reason or str(error.get("message", "")))
        return CallResult(ok=True, data=bytes.fromhex(response["result"][2:]), reason="")


def balance_override(token: str, holder: str, balance: int) -> dict[str, Any]:
    """An ``eth_call`` state override that gives ``holder`` a DevToken ``balance``."""
    slot = keccak(abi_encode(["address", "uint256"], [holder, ERC20_BALANCES_SLOT]))
    return {
        Web3.to_checksum_address(token): {
            "stateDiff": {"0x" + slot.hex(): "0x" + balance.to_bytes(32, "big").hex()}
        }
    }


def random_reserves(rng: random.Random, kind: str) -> tuple[int, int]:
    """Reserves a V2 pair accepts as a first deposit: √(r0·r1) > 1000 (MINIMUM_LIQUIDITY)."""
    while True:
        if kind == "tiny":
            r0, r1 = rng.randint(1, 5000), rng.randint(1, 5000)
        elif kind == "huge":
            r0, r1 = rng.randint(2**100, 2**111), rng.randint(2**90, 2**111)
        elif kind == "lopsided":
            r0, r1 = rng.randint(10**3, 10**5), rng.randint(10**24, 10**30)
        else:
            r0, r1 = rng.randint(10**4, 10 ** rng.randint(5, 30)), rng.randint(10**4, 10**30)
        if r0 * r1 > 1000**2:
            return (r0, r1) if rng.random() < 0.5 else (r1, r0)


def random_v2_amounts(rng: random.Random, reserve_in: int) -> list[int]:
    """Ten sale sizes: 1 wei, tiny, ordinary, far beyond the reserve, at and past uint112."""
    headroom = MAX_RESERVE - reserve_in
    return [
        1,
        rng.randint(2, 1000),
        rng.randint(1, max(1, reserve_in // 1000)),
        rng.randint(1, 10 * reserve_in),
        rng.randint(1, 10 ** rng.randint(1, 36)),
        rng.randint(1, reserve_in),
        min(headroom, rng.randint(reserve_in, 100 * reserve_in)),
        headroom if rng.random() < 0.5 else rng.randint(1, headroom),
        headroom + 1,
        rng.randint(headroom + 1, MAX_UINT256 // 10**5),
    ]


def seed_v2_pair(dex_chain: DexChain, pair: Contract, deposits: dict[Contract, int]) -> None:
    """Send the deposits to ``pair`` and mint its first liquidity to the deployer."""
    for token, amount in deposits.items():
        dex_chain.deployer.send(token.functions.transfer(pair.address, amount), action="seed")
    dex_chain.deployer.send(pair.functions.mint(dex_chain.deployer.address), action="mint")


def read_v2_pool(pair: Contract, fee_bps: int) -> V2Pool:
    reserve0, reserve1, _ = pair.functions.getReserves().call()
    token0, token1 = pair.functions.token0().call(), pair.functions.token1().call()
    return V2Pool(pair.address, token0, token1, reserve0, reserve1, fee_bps)


def v2_pair_call(
    dex_chain: DexChain, pair: Contract, pool: V2Pool, token_in: str, amount: int, out: int
) -> CallResult:
    """``pair.swap`` for ``out`` of the other token, ``amount`` of ``token_in`` already paid in.

    The pair must hold exactly its reserves; the input is credited by a state override.
    """
    reserve_in, _ = pool.reserves(token_in)
    outs = (0, out) if token_in == pool.token0 else (out, 0)
    swap = pair.functions.swap(outs[0], outs[1], dex_chain.deployer.address, b"")
    overrides = balance_override(token_in, pair.address, reserve_in + amount)
    return dex_chain.call(swap, overrides=overrides)


def check_v2_pair_exactness(
    dex_chain: DexChain, pair: Contract, pool: V2Pool, token_in: str, amount: int, prefix: str
) -> str:
    """The pair accepts ``swap(out)`` and rejects ``swap(out + 1)``, or reverts where V2Pool
    refuses; returns "filled", "buys nothing" or "overflow". ``prefix``: the revert prefix."""
    _, reserve_out = pool.reserves(token_in)
    try:
        ours = pool.amount_out(token_in, amount)
    except InsufficientLiquidity as exc:
        if "overflow" in str(exc):
            overflowing = v2_pair_call(dex_chain, pair, pool, token_in, amount, 1)
            expected = {f"{prefix}: OVERFLOW"}
            reserve_in, _ = pool.reserves(token_in)
            if prefix == "UniswapV2" and reserve_in + amount > MAX_RESERVE + 1:
                expected.add("ds-math-mul-overflow")  # its K check can overflow before _update
            assert (overflowing.ok, overflowing.reason in expected) == (False, True), amount
            return "overflow"
        assert "buys nothing" in str(exc), exc
        nothing = v2_pair_call(dex_chain, pair, pool, token_in, amount, 0)
        one = v2_pair_call(dex_chain, pair, pool, token_in, amount, 1)
        assert (nothing.ok, nothing.reason) == (False, f"{prefix}: INSUFFICIENT_OUTPUT_AMOUNT")
        assert (one.ok, one.reason) == (False, f"{prefix}: K"), (pool, token_in, amount)
        return "buys nothing"
    accepted = v2_pair_call(dex_chain, pair, pool, token_in, amount, ours)
    assert accepted.ok, (pool, token_in, amount, accepted.reason)
    greedy = v2_pair_call(dex_chain, pair, pool, token_in, amount, ours + 1)
    expected_reason = "INSUFFICIENT_LIQUIDITY" if ours + 1 >= reserve_out else "K"
    assert (greedy.ok, greedy.reason) == (False, f"{prefix}: {expected_reason}"), (pool, amount)
    return "filled"


@pytest.fixture(scope="module")
def dex_chain(anvil: AnvilChain) -> DexChain:
    return DexChain(anvil, Transactor(anvil.web3, dev_account(0)))
