"""The real Uniswap V3 contracts (npm artifacts) on anvil, and reading a pool into a V3Pool."""

from __future__ import annotations

import random
from dataclasses import dataclass

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_account.signers.local import LocalAccount
from eth_typing import HexStr
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import ContractLogicError

from rexos.chain import Transactor, dev_account
from rexos.dex.v3 import (
    MAX_SQRT_RATIO,
    MAX_TICK,
    MIN_SQRT_RATIO,
    MIN_TICK,
    Tick,
    V3Pool,
    sqrt_ratio_at_tick,
)
from rexos.dex.v3.sqrt_price_math import amount0_delta, amount1_delta
from tests.integration.dex.npm_artifacts import bind_npm, deploy_npm

V3_CORE = "@uniswap/v3-core/artifacts/contracts"
V3_PERIPHERY = "@uniswap/v3-periphery/artifacts/contracts"
MAX_UINT256 = 2**256 - 1
DEADLINE = 2**40


@dataclass(frozen=True)
class V3Contracts:
    factory: Contract
    positions: Contract
    router: Contract
    quoter: Contract
    multicall: Contract


def deploy_v3(web3: Web3, deployer: LocalAccount) -> V3Contracts:
    """WETH9, UniswapV3Factory, NonfungiblePositionManager, SwapRouter and QuoterV2."""
    weth = deploy_npm(web3, deployer, "@uniswap/v2-periphery/build/WETH9.json")
    factory = deploy_npm(web3, deployer, f"{V3_CORE}/UniswapV3Factory.sol/UniswapV3Factory.json")
    positions = deploy_npm(
        web3,
        deployer,
        f"{V3_PERIPHERY}/NonfungiblePositionManager.sol/NonfungiblePositionManager.json",
        factory.address,
        weth.address,
        deployer.address,  # token descriptor: only tokenURI uses it
    )
    router = deploy_npm(
        web3,
        deployer,
        f"{V3_PERIPHERY}/SwapRouter.sol/SwapRouter.json",
        factory.address,
        weth.address,
    )
    quoter = deploy_npm(
        web3,
        deployer,
        f"{V3_PERIPHERY}/lens/QuoterV2.sol/QuoterV2.json",
        factory.address,
        weth.address,
    )
    multicall = deploy_npm(
        web3,
        deployer,
        f"{V3_PERIPHERY}/lens/UniswapInterfaceMulticall.sol/UniswapInterfaceMulticall.json",
    )
    return V3Contracts(factory, positions, router, quoter, multicall)


def enable_fee(v3: V3Contracts, owner: Transactor, fee: int, tick_spacing: int) -> None:
    """Let the factory create pools with ``fee`` and ``tick_spacing`` (owner only)."""
    if int(v3.factory.functions.feeAmountTickSpacing(fee).call()) == 0:
        owner.send(
            v3.factory.functions.enableFeeAmount(fee, tick_spacing), action="enable fee tier"
        )


def pool_contract(web3: Web3, address: str) -> Contract:
    return bind_npm(web3, f"{V3_CORE}/UniswapV3Pool.sol/UniswapV3Pool.json", address)


def create_pool(
    v3: V3Contracts, signer: Transactor, token0: str, token1: str, fee: int, sqrt_price_x96: int
) -> Contract:
    """Create and initialise the pool ``(token0, token1, fee)`` (token0 < token1)."""
    signer.send(
        v3.positions.functions.createAndInitializePoolIfNecessary(
            token0, token1, fee, sqrt_price_x96
        ),
        action="create pool",
    )
    address = v3.factory.functions.getPool(token0, token1, fee).call()
    return pool_contract(signer.web3, address)


def mint_position(
    v3: V3Contracts,
    signer: Transactor,
    pool: Contract,
    tick_lower: int,
    tick_upper: int,
    amount0: int,
    amount1: int,
) -> None:
    """Add liquidity through the position manager (the signer has approved it)."""
    f = pool.functions
    params = (
        f.token0().call(),
        f.token1().call(),
        f.fee().call(),
        tick_lower,
        tick_upper,
        amount0,
        amount1,
        0,
        0,
        signer.address,
        DEADLINE,
    )
    signer.send(v3.positions.functions.mint(params), action="mint position")


_MULTICALL_CHUNK = 1000
_CALL_GAS = 40_000
_MULTICALL_SELECTOR = Web3.keccak(text="multicall((address,uint256,bytes)[])")[:4]


def _word(value: int) -> bytes:
    return (value % 2**256).to_bytes(32, "big")


def _view_many(v3: V3Contracts, target: str, signature: str, args: list[int]) -> list[bytes]:
    """``target.signature(arg)`` for every arg, through UniswapInterfaceMulticall."""
    selector = Web3.keccak(text=signature)[:4]
    results: list[bytes] = []
    for start in range(0, len(args), _MULTICALL_CHUNK):
        calls = [
            (target, _CALL_GAS, selector + _word(a)) for a in args[start : start + _MULTICALL_CHUNK]
        ]
        data = _MULTICALL_SELECTOR + abi_encode(["(address,uint256,bytes)[]"], [calls])
        raw = v3.multicall.w3.eth.call(
            {"to": v3.multicall.address, "data": HexStr(data.hex()), "gas": 55_000_000}
        )
        _, answers = abi_decode(["uint256", "(bool,uint256,bytes)[]"], raw)
        for success, _, data in answers:
            assert success, f"{signature} failed in multicall"
            results.append(bytes(data))
    return results


def read_pool(v3: V3Contracts, pool: Contract) -> V3Pool:
    """The pool's swap state: slot0, liquidity and every initialised tick from the bitmap."""
    f = pool.functions
    spacing = int(f.tickSpacing().call())
    slot0 = f.slot0().call()
    first, last = (MIN_TICK // spacing) >> 8, (MAX_TICK // spacing) >> 8
    words = _view_many(v3, pool.address, "tickBitmap(int16)", list(range(first, last + 1)))
    indices = [
        ((first + n) * 256 + bit) * spacing
        for n, data in enumerate(words)
        if (bits := int.from_bytes(data, "big"))
        for bit in range(256)
        if bits >> bit & 1
    ]
    infos = _view_many(v3, pool.address, "ticks(int24)", indices)
    return V3Pool(
        id=pool.address,
        token0=f.token0().call(),
        token1=f.token1().call(),
        fee=int(f.fee().call()),
        tick_spacing=spacing,
        sqrt_price_x96=int(slot0[0]),
        liquidity=int(f.liquidity().call()),
        tick=int(slot0[1]),
        ticks=tuple(
            Tick(i, int.from_bytes(info[32:64], "big", signed=True))
            for i, info in zip(indices, infos, strict=True)
        ),
    )


FEE_TIERS: tuple[tuple[int, int], ...] = ((100, 1), (500, 10), (2500, 50), (3000, 60), (10000, 200))
"""(fee, tick spacing): the factory's three defaults plus two the owner enables."""
WORD = 256


@dataclass
class Market:
    """Pools of every fee tier with random prices and positions, and a funded trader."""

    v3: V3Contracts
    pools: list[Contract]
    tokens: dict[str, Contract]
    trader: Transactor


def _usable(tick: int, spacing: int) -> int:
    low = -(-MIN_TICK // spacing) * spacing
    return min(max(tick, low), -low)


def build_market(web3: Web3, rng: random.Random) -> Market:
    """Deploy v3, three DevTokens, one pool per fee tier (plus a second 3000 pool)."""
    owner = Transactor(web3, dev_account(0))
    trader = Transactor(web3, dev_account(1))
    v3 = deploy_v3(web3, dev_account(0))
    tokens = [
        owner.deploy("DevToken", f"Token {i}", f"TK{i}", decimals, owner.address)
        for i, decimals in enumerate((18, 6, 8))
    ]
    for token in tokens:
        for who, spender in ((owner, v3.positions.address), (trader, v3.router.address)):
            owner.send(token.functions.mint(who.address, 10**60), action="mint")
            who.send(token.functions.approve(spender, MAX_UINT256), action="approve")
    pairs = [
        tuple(sorted((a, b), key=lambda t: int(t.address, 16)))
        for a, b in ((tokens[0], tokens[1]), (tokens[1], tokens[2]), (tokens[0], tokens[2]))
    ]
    pools: list[Contract] = []
    for n, (fee, spacing) in enumerate((*FEE_TIERS, (3000, 60))):
        enable_fee(v3, owner, fee, spacing)
        token0, token1 = pairs[n % len(pairs)] if n < len(FEE_TIERS) else pairs[1]
        tick = rng.randint(-50_000, 50_000)
        low, high = sqrt_ratio_at_tick(tick), sqrt_ratio_at_tick(tick + 1)
        pool = create_pool(v3, owner, token0.address, token1.address, fee, rng.randrange(low, high))
        for _ in range(rng.randint(4, 8)):
            width = rng.randint(1, 3 * WORD)  # in spacings: up to three bitmap words
            lower = tick // spacing + rng.randint(-2 * WORD, 2 * WORD) - rng.randint(0, width)
            amounts = 10 ** rng.randint(12, 24), 10 ** rng.randint(12, 24)
            mint_position(
                v3,
                owner,
                pool,
                _usable(lower * spacing, spacing),
                _usable((lower + width) * spacing, spacing),
                *amounts,
            )
        if n == len(FEE_TIERS):  # the second 3000 pool also has full-range liquidity
            mint_position(
                v3,
                owner,
                pool,
                _usable(MIN_TICK, spacing),
                _usable(MAX_TICK, spacing),
                10**20,
                10**20,
            )
        pools.append(pool)
    return Market(v3, pools, {t.address: t for t in tokens}, trader)


def depth(pool: V3Pool, zero_for_one: bool) -> int:
    """Input (before fee) that takes every range in this direction to its end."""
    delta = amount0_delta if zero_for_one else amount1_delta
    return sum(
        delta(s.sqrt_price_start_x96, s.sqrt_price_end_x96, s.liquidity, True)
        for s in pool.segments(zero_for_one)
    )


def random_amount(rng: random.Random, full: int) -> int:
    """1 wei, tiny, log-uniform up to the depth, or more than the pool holds."""
    kind = rng.randrange(10)
    if kind == 0:
        return 1
    if kind == 1:
        return rng.randint(2, 1000)
    if kind == 2:
        return full * rng.randint(2, 50) // 10 + rng.randint(1, 10**6)
    return rng.randint(1, 10 ** rng.randint(1, max(1, len(str(full)))))


def random_limit(rng: random.Random, pool: V3Pool, zero_for_one: bool) -> int | None:
    """No limit, a limit on an initialised tick, or a limit anywhere on the way."""
    kind = rng.randrange(5)
    price = pool.sqrt_price_x96
    if kind == 0:
        side = [
            t for t in pool.ticks if (t.index <= pool.tick if zero_for_one else t.index > pool.tick)
        ]
        ends = [sqrt_ratio_at_tick(t.index) for t in side]
        ends = [p for p in ends if (p < price if zero_for_one else p > price)]
        return rng.choice(ends) if ends else None
    if kind == 1:
        if zero_for_one:
            return (
                rng.randint(max(MIN_SQRT_RATIO + 1, price // 2), price - 1)
                if price > MIN_SQRT_RATIO + 1
                else None
            )
        return (
            rng.randint(price + 1, min(MAX_SQRT_RATIO - 1, price * 2))
            if price < MAX_SQRT_RATIO - 1
            else None
        )
    return None


def quote(
    market: Market, pool: Contract, zero_for_one: bool, amount: int, limit: int | None
) -> tuple[int, int] | None:
    """QuoterV2's (amountOut, sqrtPriceX96After), or None where it reverts."""
    params = (*pair(pool, zero_for_one), amount, pool.functions.fee().call(), limit or 0)
    try:
        out, price_after, _, _ = market.v3.quoter.functions.quoteExactInputSingle(params).call()
    except ContractLogicError:
        return None
    return int(out), int(price_after)


def pair(pool: Contract, zero_for_one: bool) -> tuple[str, str]:
    """(token in, token out) of a swap in this direction."""
    token0, token1 = pool.functions.token0().call(), pool.functions.token1().call()
    return (token0, token1) if zero_for_one else (token1, token0)


def swap_on_chain(
    market: Market, pool: Contract, zero_for_one: bool, amount: int, limit: int | None
) -> tuple[int, int]:
    """Sell ``amount`` through SwapRouter.exactInputSingle; (paid, received) from balances."""
    token_in, token_out = (market.tokens[t].functions for t in pair(pool, zero_for_one))
    me = market.trader.address
    in_before, out_before = token_in.balanceOf(me).call(), token_out.balanceOf(me).call()
    params = (
        *pair(pool, zero_for_one),
        pool.functions.fee().call(),
        me,
        DEADLINE,
        amount,
        0,
        limit or 0,
    )
    market.trader.send(market.v3.router.functions.exactInputSingle(params), action="swap")
    paid = in_before - token_in.balanceOf(me).call()
    return paid, token_out.balanceOf(me).call() - out_before


def chain_state(pool: Contract) -> tuple[int, int, int]:
    """(sqrtPriceX96, tick, liquidity) as the pool holds them now."""
    slot0 = pool.functions.slot0().call()
    return int(slot0[0]), int(slot0[1]), int(pool.functions.liquidity().call())
