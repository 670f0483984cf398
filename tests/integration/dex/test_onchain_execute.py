"""Routes found over the chain's pools execute through RexRouter to the wei.

``find_route`` runs over the pools the watcher read; ``SwapExecutor`` approves, simulates
and sends; the recipient must receive exactly the route's ``amount_out`` and the router must
hold nothing afterwards. Gas figures come from the receipts (``pytest -s`` prints them).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import replace

import pytest

from rexos.chain import dev_account
from rexos.dex import Pool, V2Pool, V3Pool, find_route
from rexos.dex.execute import SwapQuote, quote_swap
from rexos.dex.onchain import PoolWatcher
from rexos.errors import DexError, TransactionReverted, UsageError
from tests.integration.dex.test_onchain_deploy import OTHER, USER, DexNet, dex_net

WETH = 10**18
ZERO = "0x" + "00" * 20


@pytest.fixture
def net() -> Iterator[DexNet]:
    with dex_net().rollback() as built:
        yield built


def _quote(
    net: DexNet, pools: Sequence[Pool], sell: str, buy: str, amount: int, slippage_bps: int = 50
) -> SwapQuote:
    route = find_route(
        pools, net.tokens.symbol(sell).address, net.tokens.symbol(buy).address, amount
    )
    return quote_swap(route, pools, slippage_bps=slippage_bps)


def _assert_router_empty(net: DexNet) -> None:
    for info in net.tokens:
        assert net.balance(info.symbol, net.router) == 0, info.symbol


def _swap_exactly(net: DexNet, quote: SwapQuote, sell: str, buy: str) -> int:
    """Execute; check the delivered amount against the route and both balances; the gas."""
    net.mint(sell, USER, quote.route.amount_in)
    user = net.address(USER)
    sold_before, bought_before = net.balance(sell, user), net.balance(buy, user)
    result = net.executor().execute(quote)
    assert result.simulated_out == quote.expected_out
    assert result.amount_out == quote.expected_out
    assert net.balance(buy, user) - bought_before == quote.expected_out
    assert sold_before - net.balance(sell, user) == quote.route.amount_in
    _assert_router_empty(net)
    return result.gas_used


def _pools_of(watcher: PoolWatcher, net: DexNet, a: str, b: str, venues: set[str]) -> list[Pool]:
    pair = {net.tokens.symbol(a).address, net.tokens.symbol(b).address}
    return [p for p in watcher.pools if set(p.tokens) >= pair and watcher.venue[p.id] in venues]


def test_gas_of_one_two_and_three_fill_routes(net: DexNet) -> None:
    watcher = net.watcher()
    gas = {}
    for venues in ({"unidev"}, {"unidev", "cakedev"}, {"unidev", "cakedev", "lowdev"}):
        watcher.sync()
        pools = _pools_of(watcher, net, "WETH", "USDC", venues)
        quote = _quote(net, pools, "WETH", "USDC", 300 * WETH)
        assert len(quote.route.fills) == len(venues)
        gas[len(venues)] = _swap_exactly(net, quote, "WETH", "USDC")
    print(f"\nRexRouter gas, WETH→USDC split over 1/2/3 V2 pairs: {gas}")
    assert gas[1] < 110_000 and gas[2] < 170_000 and gas[3] < 230_000
    assert gas[1] < gas[2] < gas[3]


def test_gas_of_two_and_three_hop_paths(net: DexNet) -> None:
    watcher = net.watcher()
    hops = [("REX", "WETH", "unidev"), ("WETH", "USDC", "unidev"), ("USDC", "DAI", "curvedev")]
    gas = {}
    for n in (2, 3):
        watcher.sync()
        pools = [_pools_of(watcher, net, a, b, {venue})[0] for a, b, venue in hops[:n]]
        quote = _quote(net, pools, "REX", hops[n - 1][1], 100_000 * 10**18)
        assert len(quote.route.fills) == n
        assert [s[-1] for s in quote.steps][1:] == [0] * (n - 1), "hops spend all held"
        gas[n] = _swap_exactly(net, quote, "REX", hops[n - 1][1])
    print(f"\nRexRouter gas, REX→WETH→USDC(→DAI on the StableSwap pool), 2/3 hops: {gas}")
    assert gas[2] < 165_000 and gas[3] < 290_000


def test_random_trades_execute_to_the_wei(net: DexNet) -> None:
    rng = random.Random(20261121)
    watcher = net.watcher()
    symbols = [info.symbol for info in net.tokens]
    for _ in range(6):
        sell, buy = rng.sample(symbols, 2)
        decimals = net.tokens.symbol(sell).decimals
        usd = {"WETH": 3000, "WBTC": 60000, "LINK": 15, "UNI": 8}.get(sell, 1)
        amount = rng.randint(10, 400_000) * 10**decimals // usd
        if sell == "REX":
            amount *= 10
        watcher.sync()
        _swap_exactly(net, _quote(net, watcher.pools, sell, buy, amount), sell, buy)
    watcher.sync()
    assert {p.id: _state(p) for p in watcher.pools} == {
        p.id: _state(p) for p in net.watcher().pools
    }


def _state(pool: Pool) -> object:
    """A pool's state; a V3 pool's without the tick window (a fresh read centres it anew)."""
    if isinstance(pool, V3Pool):
        return (pool.tokens, pool.fee, pool.sqrt_price_x96, pool.liquidity, pool.tick)
    return pool


def test_a_split_route_across_venues_delivers_the_route_amount_to_the_wei(net: DexNet) -> None:
    watcher = net.watcher()
    quote = _quote(net, watcher.pools, "WETH", "USDC", 400 * WETH)
    venues = {watcher.venue[f.pool] for f in quote.route.fills}
    assert len(venues) >= 3, venues
    assert quote.route.amount_out > quote.route.best_single_out
    assert quote.min_out == quote.expected_out * 9950 // 10_000
    assert quote.spot_out > quote.expected_out and quote.price_impact_bps > 0
    gas = _swap_exactly(net, quote, "WETH", "USDC")
    print(f"\nRexRouter gas, {len(quote.route.fills)} fills over {sorted(venues)}: {gas}")


def test_a_multi_hop_multi_venue_route_delivers_the_route_amount(net: DexNet) -> None:
    watcher = net.watcher()
    quote = _quote(net, watcher.pools, "LINK", "DAI", 20_000 * 10**18)
    route = quote.route
    link, dai = net.tokens.symbol("LINK").address, net.tokens.symbol("DAI").address
    assert any(f.token_in not in (link,) for f in route.fills), "an intermediate token is sold"
    assert not any({f.token_in, f.token_out} == {link, dai} for f in route.fills)
    assert len({watcher.venue[f.pool] for f in route.fills}) >= 3
    assert "curvedev" in {watcher.venue[f.pool] for f in route.fills}
    zero_steps = [s for s in quote.steps if s[-1] == 0]
    sellers = {s[2] for s in zero_steps}
    assert sellers >= {f.token_in for f in route.fills} - {link}, "intermediates spend all held"
    gas = _swap_exactly(net, quote, "LINK", "DAI")
    print(f"\nRexRouter gas, LINK→DAI, {len(route.fills)} fills, multi-hop: {gas}")


def test_a_stable_single_fill_route_and_a_third_party_recipient(net: DexNet) -> None:
    watcher = net.watcher()
    pools = _pools_of(watcher, net, "USDC", "DAI", {"curvedev"})
    quote = _quote(net, pools, "USDC", "DAI", 250_000 * 10**6)
    assert len(quote.route.fills) == 1 and quote.fills[0].fee_bps == 4
    net.mint("USDC", USER, quote.route.amount_in)
    friend = dev_account(5).address
    before = net.balance("DAI", friend)
    result = net.executor().execute(quote, recipient=friend)
    assert result.amount_out == quote.expected_out
    assert net.balance("DAI", friend) - before == quote.expected_out
    _assert_router_empty(net)


def test_a_price_move_after_the_quote_reverts_with_slippage(net: DexNet) -> None:
    watcher = net.watcher()
    pools = _pools_of(watcher, net, "WETH", "USDC", {"unidev", "cakedev"})
    quote = _quote(net, pools, "WETH", "USDC", 50 * WETH, slippage_bps=30)
    front = _quote(net, pools, "WETH", "USDC", 500 * WETH)
    net.mint("WETH", OTHER, 500 * WETH)
    net.mint("WETH", USER, 100 * WETH)
    net.executor(OTHER).execute(front)  # the pools move against the user
    user = net.address(USER)
    nonce, weth = net.web3.eth.get_transaction_count(user), net.balance("WETH", user)
    with pytest.raises(TransactionReverted, match="RexRouter: SLIPPAGE") as caught:
        net.executor().execute(quote)
    assert caught.value.reason == "RexRouter: SLIPPAGE"
    assert net.web3.eth.get_transaction_count(user) == nonce + 1, "only the approval was sent"
    assert net.balance("WETH", user) == weth
    watcher.sync()
    moved = [watcher.pool(p.id) for p in pools]
    route = find_route(moved, quote.route.sell, quote.route.buy, quote.route.amount_in)
    requote = quote_swap(route, moved)
    assert requote.expected_out < quote.min_out
    assert net.executor().execute(requote).amount_out == requote.expected_out


def test_an_expired_deadline_reverts_and_sends_nothing(net: DexNet) -> None:
    watcher = net.watcher()
    quote = _quote(net, watcher.pools, "USDT", "WBTC", 10_000 * 10**6)
    executor = net.executor()
    past = executor.deadline(0) - 1
    with pytest.raises(TransactionReverted, match="RexRouter: EXPIRED"):
        executor.execute(quote, deadline=past)
    with pytest.raises(TransactionReverted, match="RexRouter: EXPIRED"):
        executor.simulate(quote, deadline=past)


def test_a_stale_quote_is_refused_before_anything_is_sent(net: DexNet) -> None:
    usdt, wbtc = net.tokens.symbol("USDT").address, net.tokens.symbol("WBTC").address
    executor = net.executor()
    executor.approve_if_needed(usdt, 1_000 * 10**6)
    watcher = net.watcher()
    route = find_route(watcher.pools, usdt, wbtc, 1_000 * 10**6)
    quote = quote_swap(route, watcher.pools, block=watcher.block)
    net.chain.time_travel(12)
    net.chain.time_travel(12)
    user = net.address(USER)
    nonce = net.web3.eth.get_transaction_count(user)
    with pytest.raises(DexError, match="the quote is 2 blocks old"):
        executor.execute(quote, max_age_blocks=1)
    assert net.web3.eth.get_transaction_count(user) == nonce
    assert quote_swap(route, watcher.pools).block == watcher.block, "pools carry their block"
    unread = [replace(p, block=None) for p in watcher.pools]  # type: ignore[type-var]
    with pytest.raises(UsageError, match="which block"):
        executor.execute(quote_swap(route, unread), max_age_blocks=1)
    assert executor.execute(quote, max_age_blocks=2).amount_out == route.amount_out


def test_the_router_rejects_malformed_calls(net: DexNet) -> None:
    usdc, usdt = net.tokens.symbol("USDC").address, net.tokens.symbol("USDT").address
    router = net.executor().router
    user = net.address(USER)
    far = net.executor().deadline(3600)
    pool = _pools_of(net.watcher(), net, "USDC", "USDT", {"lowdev"})[0]
    assert isinstance(pool, V2Pool)
    sell = [(0, pool.id, usdc, usdt, pool.fee_bps, 0, 0, ZERO, 0)]
    stray = [(0, pool.id, usdt, usdc, pool.fee_bps, 0, 0, ZERO, 0)]  # nothing held to sell
    net.mint("USDC", USER, 10**9)
    net.tx(USER).send(net.token("USDC").functions.approve(router.address, 10**6), action="approve")
    cases = {
        "RexRouter: NO_STEPS": router.functions.swap([], usdc, 10**6, usdt, 0, user, far),
        "RexRouter: ZERO_AMOUNT": router.functions.swap(stray, usdc, 10**6, usdt, 0, user, far),
        "RexRouter: RECIPIENT": router.functions.swap(
            sell, usdc, 10**6, usdt, 0, router.address, far
        ),
        "RexRouter: TOKENS": router.functions.swap(sell, usdc, 10**6, usdc, 0, user, far),
        "RexRouter: EXPIRED": router.functions.swap(sell, usdc, 10**6, usdt, 0, user, 1),
    }
    cases["RexRouter: ZERO_AMOUNT "] = router.functions.swap(sell, usdc, 0, usdt, 0, user, far)
    # a step naming more than the sender approved (and the router pulled): the router has
    # only the pulled amount to spend, so the transfer to the pair fails
    greedy = [(0, pool.id, usdc, usdt, pool.fee_bps, 0, 0, ZERO, 10**8)]
    cases["exceeds balance|ERC20InsufficientBalance|revert"] = router.functions.swap(
        greedy, usdc, 10**6, usdt, 0, user, far
    )
    # more than approved: the one pull fails
    cases["allowance|ERC20InsufficientAllowance|revert"] = router.functions.swap(
        sell, usdc, 10**7, usdt, 0, user, far
    )
    for reason, call in cases.items():
        with pytest.raises(TransactionReverted, match=reason.strip()):
            net.tx(USER).send(call, action="bad swap")
    _assert_router_empty(net)


def test_what_the_steps_leave_goes_back_to_the_sender_not_the_recipient(net: DexNet) -> None:
    """The router pulls ``amountIn`` once; a step selling only half of it leaves the rest,
    which goes back to the sender (never to the recipient named by the call), and the
    router ends holding nothing."""
    usdc, usdt = net.tokens.symbol("USDC").address, net.tokens.symbol("USDT").address
    executor = net.executor()
    pool = _pools_of(net.watcher(), net, "USDC", "USDT", {"lowdev"})[0]
    assert isinstance(pool, V2Pool)
    amount = 10**9
    half = [(0, pool.id, usdc, usdt, pool.fee_bps, 0, 0, ZERO, amount // 2)]
    net.mint("USDC", USER, amount)
    user, other = net.address(USER), net.address(OTHER)
    net.tx(USER).send(net.token("USDC").functions.approve(net.router, amount), action="approve")
    before = {who: (net.balance("USDC", who), net.balance("USDT", who)) for who in (user, other)}
    expected = pool.swap(usdc, usdt, amount // 2)[0]
    call = executor.router.functions.swap(
        half, usdc, amount, usdt, expected, other, executor.deadline(600)
    )
    net.tx(USER).send(call, action="half swap")
    assert net.balance("USDC", user) == before[user][0] - amount // 2  # the rest came back
    assert net.balance("USDT", other) == before[other][1] + expected
    assert net.balance("USDC", other) == before[other][0]
    _assert_router_empty(net)


def test_an_arbitrage_loop_through_the_traded_tokens_executes_to_the_wei(net: DexNet) -> None:
    """Someone dumps WETH on one WETH/USDC pair, so the pairs disagree by far more than their
    fees: the best route loops through the sold or the bought token (buy WETH where it is
    cheap, sell some back where it is dear). RexRouter runs it from the one pulled amount,
    to the wei, and ends holding nothing."""
    net.mint("WETH", OTHER, 400 * WETH)
    watcher = net.watcher()
    dump = _quote(net, _pools_of(watcher, net, "WETH", "USDC", {"unidev"}), "WETH", "USDC",
                  400 * WETH)  # fmt: skip
    net.executor(OTHER).execute(dump)
    watcher.sync()
    pools = _pools_of(watcher, net, "WETH", "USDC", {"unidev", "cakedev", "lowdev"})
    quote = _quote(net, pools, "USDC", "WETH", 20_000 * 10**6)
    route = quote.route
    looped = [f for f in route.fills if f.token_out == route.sell or f.token_in == route.buy]
    assert looped, "the route loops through a traded token"
    gas = _swap_exactly(net, quote, "USDC", "WETH")
    print(f"\nRexRouter gas, a USDC→WETH route with a loop, {len(route.fills)} steps: {gas}")


def test_quotes_validate_their_inputs(net: DexNet) -> None:
    watcher = net.watcher()
    route = find_route(
        watcher.pools, net.tokens.symbol("UNI").address, net.tokens.symbol("USDC").address, 10**20
    )
    with pytest.raises(UsageError, match="slippage"):
        quote_swap(route, watcher.pools, slippage_bps=10_000)
    with pytest.raises(DexError, match="cannot trade on pool"):
        quote_swap(route, [])
    small = quote_swap(find_route(watcher.pools, route.sell, route.buy, 10**18), watcher.pools)
    large = quote_swap(route, watcher.pools)
    assert 0 <= small.price_impact_bps < large.price_impact_bps
