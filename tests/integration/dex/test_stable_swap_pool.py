"""StablePool against our StableSwapPool contract on anvil: zero wei apart.

Eight pools (2, 3 and 4 coins; 6-, 8- and 18-decimal tokens; balanced, imbalanced, tiny and
huge; A from 1 to 10⁶; fees from 0 to the 50 % cap) are seeded through ``add_liquidity``. For
336 random sales (1-wei inputs, amounts beyond the balances, inputs that overflow) ``get_dy``
must equal ``StablePool.amount_out``, and must revert exactly where StablePool refuses. Real
exchanges then move the balances and D exactly as ``StablePool.swap`` says.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

import pytest
from web3.contract import Contract

from rexos.dex.stable import A_PRECISION, MAX_FEE, StablePool
from rexos.errors import InsufficientLiquidity, TransactionReverted
from tests.integration.dex.conftest import MAX_UINT256, DexChain

pytestmark = [pytest.mark.anvil, pytest.mark.xdist_group("anvil")]

DECIMALS = {"DAI": 18, "USDC": 6, "USDT": 6, "FRAX": 18, "WBTC": 8, "PYUSD": 6}
QUOTES_PER_POOL = 42


@dataclass(frozen=True)
class PoolSpec:
    coins: tuple[str, ...]
    units: tuple[int, ...]  # whole tokens deposited, per coin
    a: int
    fee: int
    dust: bool = False  # deposit a few base units only


SPECS = (
    PoolSpec(("DAI", "USDC"), (1_000_000, 1_000_000), 200, 4_000_000),
    PoolSpec(("USDC", "USDT"), (5_000_000, 400_000), 100, 1_000_000),
    PoolSpec(("DAI", "USDC", "USDT"), (30_000_000, 25_000_000, 41_000_000), 2000, 4_000_000),
    PoolSpec(("DAI", "USDC", "WBTC"), (2_000_000, 1_500, 900_000), 10, 30_000_000),
    PoolSpec(("DAI", "USDC", "USDT", "FRAX"), (7_000, 9_000, 11_000, 5_000), 50, 0),
    PoolSpec(("FRAX", "USDT"), (3_000, 5), 1, MAX_FEE, dust=True),
    PoolSpec(("DAI", "FRAX"), (10**12, 3 * 10**11), 1_000_000, 1),
    PoolSpec(("WBTC", "USDT", "FRAX"), (123_456, 654_321, 99_999), 600, 15_000_000),
)


@dataclass(frozen=True)
class Venue:
    contract: Contract
    tokens: dict[str, Contract]


@pytest.fixture(scope="module")
def tokens(dex_chain: DexChain) -> dict[str, Contract]:
    made = {symbol: dex_chain.token(symbol, d) for symbol, d in DECIMALS.items()}
    for token in made.values():
        dex_chain.mint(token, dex_chain.deployer.address, MAX_UINT256 // 2)
    return made


def deploy_pool(dex_chain: DexChain, tokens: dict[str, Contract], spec: PoolSpec) -> Contract:
    coins = [tokens[c].address for c in spec.coins]
    rates = [10 ** (36 - DECIMALS[c]) for c in spec.coins]
    pool = dex_chain.deployer.deploy("StableSwapPool", coins, rates, spec.a * A_PRECISION, spec.fee)
    rng = random.Random(spec.a)
    amounts = []
    for coin, units in zip(spec.coins, spec.units, strict=True):
        scale = 1 if spec.dust else 10 ** DECIMALS[coin]
        amounts.append(units * scale + rng.randint(0, scale - 1))
        token = tokens[coin]
        dex_chain.deployer.send(
            token.functions.approve(pool.address, MAX_UINT256), action="approve"
        )
    dex_chain.deployer.send(pool.functions.add_liquidity(amounts, 0), action="seed")
    return pool


@pytest.fixture(scope="module")
def venues(dex_chain: DexChain, tokens: dict[str, Contract]) -> list[Contract]:
    return [deploy_pool(dex_chain, tokens, spec) for spec in SPECS]


def read_pool(pool: Contract) -> StablePool:
    f = pool.functions
    n = f.nCoins().call()
    return StablePool(
        id=pool.address,
        tokens=tuple(f.coins(k).call() for k in range(n)),
        balances=tuple(f.getBalances().call()),
        rates=tuple(f.rates(k).call() for k in range(n)),
        amp=f.amp().call(),
        fee=f.fee().call(),
    )


def random_amount(rng: random.Random, balance: int, draw: int) -> int:
    if draw == 0:
        return 1
    if draw == 1:
        return rng.randint(2, 100)
    if draw == 2:
        return rng.randint(1, 10**60)
    return rng.randint(1, max(1, balance * rng.choice([1, 10, 1000, 10**6]) // 1000))


def test_random_quotes_match_get_dy_to_the_wei(dex_chain: DexChain, venues: list[Contract]) -> None:
    rng = random.Random(20261121)
    outcomes: Counter[str] = Counter()
    for contract in venues:
        pool = read_pool(contract)
        assert contract.functions.getD().call() == pool.invariant()
        n = len(pool.tokens)
        for q in range(QUOTES_PER_POOL):
            i, j = rng.sample(range(n), 2)
            amount = random_amount(rng, pool.balances[i], q % 6)
            chain = dex_chain.call(contract.functions.get_dy(i, j, amount))
            try:
                ours = pool.amount_out(pool.tokens[i], pool.tokens[j], amount)
            except InsufficientLiquidity as exc:
                assert not chain.ok, (pool, i, j, amount, str(exc))
                assert chain.reason.startswith(("StableSwapPool: ", "panic 0x11", "panic 0x12"))
                outcomes[chain.reason] += 1
                continue
            assert chain.ok, (pool, i, j, amount, chain.reason)
            assert int.from_bytes(chain.data, "big") == ours, (pool, i, j, amount)
            outcomes["filled"] += 1
    assert sum(outcomes.values()) >= 330
    assert outcomes["filled"] >= 200
    assert outcomes["StableSwapPool: ZERO_OUTPUT"] >= 5
    assert outcomes["panic 0x11: arithmetic overflow or underflow"] >= 5


def test_exchanges_move_balances_and_d_as_stable_pool_says(
    dex_chain: DexChain, venues: list[Contract], tokens: dict[str, Contract]
) -> None:
    rng = random.Random(5)
    by_address = {t.address: t for t in tokens.values()}
    me = dex_chain.deployer.address
    for contract in venues:
        pool = read_pool(contract)
        for _ in range(3):
            i, j = rng.sample(range(len(pool.tokens)), 2)
            amount = rng.randint(1, pool.balances[i] // 2 + 1)
            try:
                out, after = pool.swap(pool.tokens[i], pool.tokens[j], amount)
            except InsufficientLiquidity:
                continue
            greedy = dex_chain.call(contract.functions.exchange(i, j, amount, out + 1))
            assert (greedy.ok, greedy.reason) == (False, "StableSwapPool: SLIPPAGE")
            before = by_address[pool.tokens[j]].functions.balanceOf(me).call()
            dex_chain.deployer.send(contract.functions.exchange(i, j, amount, out), action="swap")
            assert by_address[pool.tokens[j]].functions.balanceOf(me).call() == before + out
            pool = read_pool(contract)
            assert pool == after
            assert contract.functions.getD().call() == pool.invariant()


def test_liquidity_in_and_out_keeps_the_quotes_exact(
    dex_chain: DexChain, tokens: dict[str, Contract]
) -> None:
    contract = deploy_pool(dex_chain, tokens, SPECS[2])
    f = contract.functions
    seeded = f.sharesOf(dex_chain.deployer.address).call()
    assert seeded == f.totalSupply().call() == read_pool(contract).invariant()
    dex_chain.deployer.send(f.add_liquidity([10**24, 0, 5 * 10**11], 0), action="imbalanced add")
    assert f.totalSupply().call() > seeded
    balances_before = read_pool(contract).balances
    dex_chain.deployer.send(f.remove_liquidity(seeded // 3, [0, 0, 0]), action="remove")
    supply = seeded // 3 + f.totalSupply().call()
    expected = tuple(b - b * (seeded // 3) // supply for b in balances_before)
    pool = read_pool(contract)
    assert pool.balances == expected
    dy = dex_chain.call(f.get_dy(2, 0, 10**6))
    assert int.from_bytes(dy.data, "big") == pool.amount_out(pool.tokens[2], pool.tokens[0], 10**6)


def test_a_pool_where_newton_would_cycle_still_quotes_exactly(
    dex_chain: DexChain, tokens: dict[str, Contract]
) -> None:
    """With A = 1 and these balances, a |step| ≤ 1 stopping rule cycles between D values 5 wei
    apart for ever; the pool and StablePool both stop at the first rise and agree."""
    coins = [tokens[c].address for c in ("USDC", "USDT", "PYUSD")]
    contract = dex_chain.deployer.deploy("StableSwapPool", coins, [10**30] * 3, A_PRECISION, 1)
    for token in ("USDC", "USDT", "PYUSD"):
        approve = tokens[token].functions.approve(contract.address, MAX_UINT256)
        dex_chain.deployer.send(approve, action="approve")
    seed = contract.functions.add_liquidity([638000001, 101590999922, 1000000], 0)
    dex_chain.deployer.send(seed, action="seed")
    pool = read_pool(contract)
    assert contract.functions.getD().call() == pool.invariant() == 4775292576961650676622
    for amount in (1, 10**6, 10**9, 10**12):
        chain = dex_chain.call(contract.functions.get_dy(2, 1, amount))
        assert chain.ok, chain.reason
        ours = pool.amount_out(pool.tokens[2], pool.tokens[1], amount)
        assert int.from_bytes(chain.data, "big") == ours


@pytest.mark.parametrize(
    ("coins", "amp", "fee", "reason"),
    [
        (("DAI",), 100, 0, "StableSwapPool: COIN_COUNT"),
        (("DAI", "DAI"), 100, 0, "StableSwapPool: DUPLICATE_COIN"),
        (("DAI", "USDC"), A_PRECISION - 1, 0, "StableSwapPool: AMP"),
        (("DAI", "USDC"), 100, MAX_FEE + 1, "StableSwapPool: FEE"),
    ],
)
def test_constructor_rejects_what_stable_pool_rejects(
    dex_chain: DexChain,
    tokens: dict[str, Contract],
    coins: tuple[str, ...],
    amp: int,
    fee: int,
    reason: str,
) -> None:
    addresses = [tokens[c].address for c in coins]
    rates = [10 ** (36 - DECIMALS[c]) for c in coins]
    with pytest.raises(TransactionReverted, match=reason):
        dex_chain.deployer.deploy("StableSwapPool", addresses, rates, amp, fee)
