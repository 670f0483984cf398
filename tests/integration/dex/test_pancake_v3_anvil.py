"""RexRouter against real PancakeSwap V3 pools on anvil.

The factory and pool are PancakeSwap's own bytecode from npm ``@pancakeswap/v3-core``. That
package publishes no PancakeV3PoolDeployer (neither bytecode nor source, and the deployer's
source embeds the pool's source, which is not published either), so the factory is given
``DevPancakeV3PoolDeployer``: it runs the package's pool creation code with the salt
PancakeSwap uses, so pool addresses follow PancakeSwap's own formula (CREATE2 from the
deployer, ``POOL_INIT_CODE_HASH``). The periphery package ships no QuoterV2 bytecode: the
pool's own quote is an ``eth_call`` of the router's one-step swap on it, and our V3 maths must
match it to the wei.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import pytest
from eth_abi.abi import encode
from eth_utils.crypto import keccak
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import ContractLogicError

from rexos.chain import AnvilChain, Transactor, dev_account
from rexos.dex import V3Pool, find_route
from rexos.dex.discovery import Discoverer
from rexos.dex.execute import KIND_V3, SwapExecutor, quote_swap
from rexos.dex.v3 import sqrt_ratio_at_tick
from rexos.dex.venues import Venue, registry_venues
from rexos.errors import InsufficientLiquidity, TransactionReverted
from tests.integration.dex.npm_artifacts import deploy_npm, npm_artifact

pytestmark = pytest.mark.anvil

DEPLOYER, TRADER, MALLORY = dev_account(0), dev_account(1), dev_account(4)
CORE = "@pancakeswap/v3-core/artifacts/contracts"
PANCAKE_FACTORY = f"{CORE}/PancakeV3Factory.sol/PancakeV3Factory.json"
PANCAKE_POOL = f"{CORE}/PancakeV3Pool.sol/PancakeV3Pool.json"
SPACING = {100: 1, 500: 10, 2500: 50, 10000: 200}
"""PancakeV3Factory's fee tiers, all enabled at deployment."""
POOLS = (("A", "B", 2500), ("B", "C", 500), ("A", "C", 10000))
MAX = 2**256 - 1
DEADLINE = 2**40


@dataclass
class Net:
    chain: AnvilChain
    owner: Transactor
    tokens: dict[str, Contract]
    factory: Contract
    deployer: Contract
    pools: dict[tuple[str, str, int], str]
    router: Contract
    multicall: str
    other_factory: Contract
    other_pool: str

    @property
    def web3(self) -> Web3:
        return self.chain.web3

    def discover(self) -> dict[str, V3Pool]:
        venue = Venue("pancakeswap-v3", "v3", factory=self.factory.address, start_block=0)
        found = Discoverer(self.web3, [venue], multicall=self.multicall, tick_words=None)
        pools = found.discover().pools
        assert all(isinstance(p, V3Pool) for p in pools.values())
        return pools  # type: ignore[return-value]

    def balance(self, symbol: str, who: str) -> int:
        return int(self.tokens[symbol].functions.balanceOf(who).call())


def _pancake(owner: Transactor, account: Any) -> tuple[Contract, Contract]:
    init_code = bytes.fromhex(npm_artifact(PANCAKE_POOL).bytecode[2:])
    deployer = owner.deploy("DevPancakeV3PoolDeployer", init_code)
    factory = deploy_npm(owner.web3, account, PANCAKE_FACTORY, deployer.address)
    owner.send(deployer.functions.setFactoryAddress(factory.address), action="set factory")
    return factory, deployer


def _create(net_owner: Transactor, factory: Contract, a: Contract, b: Contract, fee: int) -> str:
    net_owner.send(factory.functions.createPool(a.address, b.address, fee), action="create pool")
    return str(factory.functions.getPool(a.address, b.address, fee).call())


def _seed(owner: Transactor, liquidity: Contract, pool: str, fee: int) -> None:
    """Initialise at 1:1 and add three ranges (narrow, medium, wide) through the helper."""
    contract = owner.web3.eth.contract(address=pool, abi=npm_artifact(PANCAKE_POOL).abi)
    owner.send(contract.functions.initialize(sqrt_ratio_at_tick(0)), action="initialise")
    spacing = SPACING[fee]
    for ticks, amount in ((300, 10**24), (3000, 3 * 10**23), (30000, 10**23)):
        width = max(1, ticks // spacing) * spacing
        owner.send(liquidity.functions.mint(pool, -width, width, amount), action="add liquidity")


@pytest.fixture(scope="module")
def net(anvil: AnvilChain) -> Net:
    web3 = anvil.web3
    owner = Transactor(web3, DEPLOYER)
    tokens = {s: owner.deploy("DevToken", f"Dev {s}", s, 18, DEPLOYER.address) for s in "ABC"}
    factory, deployer = _pancake(owner, DEPLOYER)
    liquidity = owner.deploy("DevV3Liquidity", DEPLOYER.address)
    for token in tokens.values():
        owner.send(token.functions.mint(liquidity.address, 10**30), action="fund liquidity")
        for who in (TRADER, MALLORY):
            owner.send(token.functions.mint(who.address, 10**27), action="fund")
    pools = {}
    for a, b, fee in POOLS:
        pools[(a, b, fee)] = _create(owner, factory, tokens[a], tokens[b], fee)
        _seed(owner, liquidity, pools[(a, b, fee)], fee)
    other_factory, _ = _pancake(owner, DEPLOYER)
    other_pool = _create(owner, other_factory, tokens["A"], tokens["B"], 2500)
    _seed(owner, liquidity, other_pool, 2500)
    router = owner.deploy("RexRouter", [factory.address])
    trader = Transactor(web3, TRADER)
    for token in tokens.values():
        trader.send(token.functions.approve(router.address, MAX), action="approve")
    multicall = owner.deploy("RexMulticall").address
    return Net(
        anvil, owner, tokens, factory, deployer, pools, router, multicall, other_factory, other_pool
    )


@pytest.fixture
def chain(net: Net) -> Any:
    snapshot = net.chain.snapshot()
    yield net
    net.chain.revert(snapshot)


def _pool_address(deployer: str, token_a: str, token_b: str, fee: int, init_hash: str) -> str:
    low, high = sorted((token_a, token_b), key=lambda t: int(t, 16))
    salt = keccak(encode(["address", "address", "uint24"], [low, high, fee]))
    raw = keccak(b"\xff" + bytes.fromhex(deployer[2:]) + salt + bytes.fromhex(init_hash[2:]))
    return Web3.to_checksum_address(raw[12:])


def test_pools_sit_where_pancakeswap_computes_them_and_discovery_finds_them(net: Net) -> None:
    registry = next(v for v in registry_venues(56).venues if v.name == "pancakeswap-v3")
    init_hash = str(registry.init_code_hash)
    assert init_hash == "0x" + keccak(hexstr=npm_artifact(PANCAKE_POOL).bytecode).hex()
    for (a, b, fee), address in net.pools.items():
        ta, tb = net.tokens[a].address, net.tokens[b].address
        assert address == _pool_address(net.deployer.address, ta, tb, fee, init_hash)
    assert net.deployer.functions.parameters().call()[0] == "0x" + "00" * 20  # emptied
    found = net.discover()
    assert set(found) == set(net.pools.values())  # the other factory's pool is not its venue
    for (_, _, fee), address in net.pools.items():
        pool = found[address]
        assert (pool.fee, pool.tick_spacing, pool.factory) == (
            fee,
            SPACING[fee],
            net.factory.address,
        )
        assert len(pool.ticks) == 6 and pool.block is not None


def _other(pool: V3Pool, token: str) -> str:
    return pool.token1 if token == pool.token0 else pool.token0


def _step(pool: V3Pool, token_in: str, amount: int) -> tuple[Any, ...]:
    token_out = _other(pool, token_in)
    return (KIND_V3, pool.id, token_in, token_out, pool.fee, 0, 0, pool.factory, amount)


def _pool_quote(net: Net, pool: V3Pool, token_in: str, amount: int) -> int | None:
    """What the pool pays for ``amount`` sold in one router step (0: it pays nothing, which
    the router refuses; ``None``: it cannot take all of ``amount``)."""
    step = _step(pool, token_in, amount)
    call = net.router.functions.swap([step], token_in, amount, step[3], 0, TRADER.address, DEADLINE)
    try:
        return int(call.call({"from": TRADER.address}))
    except ContractLogicError as exc:
        if "RexRouter: NO_OUTPUT" in str(exc):
            return 0
        assert "RexRouter: V3_PARTIAL" in str(exc), exc
        return None


def test_our_v3_maths_quotes_a_pancake_pool_to_the_wei(net: Net) -> None:
    rng = random.Random(2500)
    pools = list(net.discover().values())
    cases = {"filled": 0, "refused": 0, "nothing": 0}
    for n in range(120):
        pool = pools[n % len(pools)]
        token_in = rng.choice(pool.tokens)
        kind = rng.randrange(6)
        amount = 1 if kind == 0 else rng.randint(2, 10 ** rng.randint(1, 26))
        if kind == 5:
            amount = rng.randint(10**24, 10**26)  # past the narrow range, maybe past all
        try:
            ours: int | None = pool.swap(token_in, _other(pool, token_in), amount)[0]
        except InsufficientLiquidity:
            ours = None
        theirs = _pool_quote(net, pool, token_in, amount)
        assert ours == theirs, (pool.id, token_in, amount)
        cases["nothing" if ours == 0 else "filled" if ours else "refused"] += 1
    assert cases["filled"] >= 70 and cases["refused"] >= 1 and cases["nothing"] >= 1, cases


def test_a_route_over_pancake_pools_pays_its_quote_to_the_wei(chain: Net) -> None:
    executor = SwapExecutor(Transactor(chain.web3, TRADER), chain.router.address)
    a, c = chain.tokens["A"].address, chain.tokens["C"].address
    for amount in (10**18, 7 * 10**23):
        pools = list(chain.discover().values())
        route = find_route(pools, a, c, amount)
        quote = quote_swap(route, pools)
        assert {s[0] for s in quote.steps} == {KIND_V3}
        before = chain.balance("C", TRADER.address)
        result = executor.execute(quote, max_age_blocks=3)
        assert result.amount_out == result.simulated_out == quote.expected_out
        assert chain.balance("C", TRADER.address) - before == quote.expected_out
        assert all(chain.balance(s, chain.router.address) == 0 for s in "ABC")
        print(f"\nRexRouter on Pancake V3, {len(quote.steps)} steps: gas {result.gas_used}")
    assert len(quote.steps) >= 2  # the large sale splits over A→C and A→B→C


def _fake_pool_code(callback: bytes, times: int) -> bytes:
    """Runtime code that answers ``getPool`` (100 bytes of calldata) with its own address,
    and on any other call (``swap``) calls the caller's ``callback(amountSpecified, 0, "")``
    ``times`` times, reverting with the callback's reason when one fails, then returns
    amounts that pay nothing out."""
    code = bytearray.fromhex("3660641461000057")  # CALLDATASIZE == 100 → JUMP getPool
    code += b"\x63" + callback + bytes.fromhex("60e01b5f52")  # mem[0] = selector
    code += bytes.fromhex("604435600452")  # mem[4] = amountSpecified (calldata 0x44)
    code += bytes.fromhex("5f60245260606044525f606452")  # 0, bytes at 0x60, length 0
    for _ in range(times):
        ok = len(code) + 20
        code += bytes.fromhex("5f5f60845f5f335af1") + b"\x61" + ok.to_bytes(2, "big") + b"\x57"
        code += bytes.fromhex("3d5f5f3e3d5ffd") + b"\x5b"  # revert(returndata); JUMPDEST
    code += bytes.fromhex("6040610100f3")  # return (0, 0) from unused memory: pays nothing
    code[5:7] = len(code).to_bytes(2, "big")
    code += bytes.fromhex("5b305f5260205ff3")  # getPool: return address(this)
    return bytes(code)


def test_nothing_but_the_pancake_pool_being_swapped_with_can_make_the_router_pay(
    chain: Net,
) -> None:
    web3, router = chain.web3, chain.router
    pools = chain.discover()
    pool = pools[chain.pools[("A", "B", 2500)]]
    mallory = Transactor(web3, MALLORY)
    a = chain.tokens["A"]
    # Trader left an unlimited approval, and someone sent the router tokens
    mallory.send(a.functions.transfer(router.address, 10**18), action="gift")
    held = {w: chain.balance("A", w) for w in (TRADER.address, router.address, MALLORY.address)}
    callback = router.functions.pancakeV3SwapCallback
    # a non-pool, the real pool outside a swap, and a real pool of an untrusted factory
    for caller in (MALLORY.address, pool.id, chain.other_pool):
        with pytest.raises(ContractLogicError, match="RexRouter: CALLBACK"):
            callback(10**18, 0, b"").call({"from": caller})
    with pytest.raises(TransactionReverted, match="RexRouter: CALLBACK"):
        mallory.send(callback(10**18, 0, b""), action="steal")
    # steps naming the untrusted factory's pool: through that factory, or the trusted one
    trader = Transactor(web3, TRADER)
    sell = a.address
    for factory, reason in (
        (chain.other_factory.address, "RexRouter: FACTORY"),
        (chain.factory.address, "RexRouter: POOL"),
    ):
        step = (KIND_V3, chain.other_pool, sell, _other(pool, sell), 2500, 0, 0, factory, 10**18)
        call = router.functions.swap([step], sell, 10**18, step[3], 0, TRADER.address, DEADLINE)
        with pytest.raises(TransactionReverted, match=reason):
            trader.send(call, action="bad step")
    # a pool (of a factory the router trusts) that calls back twice in one swap is refused;
    # called back once, the same code passes the callback and fails later (it pays nothing)
    selector = keccak(text="pancakeV3SwapCallback(int256,int256,bytes)")[:4]
    for times, reason in ((2, "RexRouter: CALLBACK"), (1, "RexRouter: NO_OUTPUT")):
        fake = Web3.to_checksum_address("0x" + f"{times:02x}" * 20)
        code = "0x" + _fake_pool_code(selector, times).hex()
        web3.provider.make_request("anvil_setCode", [fake, code])  # type: ignore[arg-type]
        trusting = chain.owner.deploy("RexRouter", [fake])
        for symbol in "AB":
            trader.send(chain.tokens[symbol].functions.approve(trusting.address, MAX), action="ok")
        low, high = sorted((a.address, chain.tokens["B"].address), key=lambda t: int(t, 16))
        step = (KIND_V3, fake, low, high, 2500, 0, 0, fake, 10**18)
        call = trusting.functions.swap([step], low, 10**18, high, 0, TRADER.address, DEADLINE)
        with pytest.raises(TransactionReverted, match=reason):
            trader.send(call, action="fake pool")
    assert held == {w: chain.balance("A", w) for w in held}
