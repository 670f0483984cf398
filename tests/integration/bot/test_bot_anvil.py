"""The trading bot on an anvil devnet: real swaps through the Wallet agent, time from the chain."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from rexos.bot import Event, Scheduler, StoredStrategy, parse_strategy, schedule
from rexos.chain import AnvilChain, Transactor, dev_account, load_artifact
from rexos.chain.manifest import Manifest
from rexos.deployment import deploy_dev
from rexos.dex import PoolWatcher, SwapExecutor, TokenRegistry, find_route, quote_swap
from rexos.plugins.bot_venue import WalletVenue, open_scheduler
from rexos.types import Address

pytestmark = [pytest.mark.anvil, pytest.mark.xdist_group("anvil")]

DEPLOYER, ALICE, BOB = dev_account(0), dev_account(1), dev_account(2)
ALLOW_SMALL = "confirm_above_usd: '1000'\n"  # up to $1,000 a transaction without a human


@pytest.fixture(scope="module")
def manifest(anvil: AnvilChain) -> Manifest:
    return deploy_dev(anvil, funded=[Address(ALICE.address)])


@pytest.fixture(autouse=True)
def fresh_chain(anvil: AnvilChain, manifest: Manifest) -> Iterator[None]:
    snapshot = anvil.snapshot()
    yield
    anvil.revert(snapshot)


def open_bot(anvil: AnvilChain, manifest: Manifest, home: Path, policy: str) -> Scheduler:
    home.mkdir(parents=True, exist_ok=True)
    (home / "policy.yaml").write_text(policy)
    scheduler, _ = open_scheduler(home, anvil.web3, manifest, ALICE)
    return scheduler


def add(bot: Scheduler, anvil: AnvilChain, manifest: Manifest, **spec: object) -> StoredStrategy:
    return schedule(bot.store, anvil.web3, manifest, ALICE.address, parse_strategy(spec))


def balance(anvil: AnvilChain, manifest: Manifest, symbol: str, who: str = ALICE.address) -> int:
    token = anvil.web3.eth.contract(
        address=manifest.address(f"DevToken:{symbol}"), abi=load_artifact("DevToken").abi
    )
    return int(token.functions.balanceOf(who).call())


def nonce(anvil: AnvilChain) -> int:
    return int(anvil.web3.eth.get_transaction_count(ALICE.address))


def weth_price(bot: Scheduler) -> Decimal:
    price = bot.venue.prices([("WETH", "USDC")])[("WETH", "USDC")]
    assert price is not None
    return price


def whale_swap(anvil: AnvilChain, manifest: Manifest, sell: str, buy: str, units: int) -> None:
    """Another account moves the price: the deployer mints it ``units`` of ``sell`` to swap."""
    tokens = TokenRegistry.from_manifest(manifest)
    tin, tout = tokens.symbol(sell), tokens.symbol(buy)
    minter = anvil.web3.eth.contract(address=tin.address, abi=load_artifact("DevToken").abi)
    Transactor(anvil.web3, DEPLOYER).send(minter.functions.mint(BOB.address, units), action="mint")
    watcher = PoolWatcher(anvil.web3, manifest)
    route = find_route(watcher.pools, tin.address, tout.address, units)
    quote = quote_swap(route, watcher.pools, slippage_bps=100, block=watcher.block)
    SwapExecutor(Transactor(anvil.web3, BOB), manifest.address("RexRouter")).execute(quote)


def fired(events: list[Event]) -> list[Event]:
    return [e for e in events if e.kind == "fired"]


def test_dca_trades_exactly_count_times_as_chain_time_passes(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bot = open_bot(anvil, manifest, tmp_path, ALLOW_SMALL)
    usdc, weth = balance(anvil, manifest, "USDC"), balance(anvil, manifest, "WETH")
    s = add(bot, anvil, manifest, kind="dca", sell="USDC", buy="WETH", amount="25.5",
            interval="1h", count=3)  # fmt: skip
    events: list[Event] = []
    for _ in range(7):  # every half hour of chain time, for three and a half hours
        events += bot.tick()
        anvil.time_travel(1800)
    assert [e.kind for e in events] == ["fired"] * 3 and events[-1].done
    assert balance(anvil, manifest, "USDC") == usdc - 3 * 25_500_000  # exactly what was sold
    trades = bot.store.fires(s.id)
    assert [f.n for f in trades] == [0, 1, 2]
    assert trades[1].at - trades[0].at >= 3600 and trades[2].at - trades[1].at >= 3600
    bought = sum((f.bought or Decimal(0) for f in trades), Decimal(0))
    assert balance(anvil, manifest, "WETH") - weth == int(bought.scaleb(18))
    assert Decimal("0.02") < bought < Decimal("0.03")  # $76.5 of WETH at about $3,000
    assert bot.store.require(s.id).status == "done"
    assert bot.tick() == []


def test_limit_order_waits_for_the_price_to_cross(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bot = open_bot(anvil, manifest, tmp_path, ALLOW_SMALL)
    level = (weth_price(bot) * Decimal("1.03")).quantize(Decimal(1))
    s = add(bot, anvil, manifest, kind="limit", side="sell", token="WETH", quote="USDC",
            amount="0.1", price=str(level))  # fmt: skip
    weth, before = balance(anvil, manifest, "WETH"), nonce(anvil)
    for _ in range(3):
        assert bot.tick() == []
        anvil.time_travel(600)
    assert (balance(anvil, manifest, "WETH"), nonce(anvil)) == (weth, before)
    whale_swap(anvil, manifest, "USDC", "WETH", 6_000_000 * 10**6)  # someone buys $6M of WETH
    assert weth_price(bot) > level
    (event,) = bot.tick()
    assert event.kind == "fired" and event.done and "limit" in event.message
    assert balance(anvil, manifest, "WETH") == weth - 10**17
    assert bot.store.require(s.id).status == "done" and bot.tick() == []


def test_take_profit_stop_loss_sells_once(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bot = open_bot(anvil, manifest, tmp_path, ALLOW_SMALL)
    price = weth_price(bot)
    s = add(bot, anvil, manifest, kind="tpsl", token="WETH", quote="USDC", amount="0.2",
            take_profit=str((price * Decimal("1.03")).quantize(Decimal(1))),
            stop_loss=str((price * Decimal("0.97")).quantize(Decimal(1))))  # fmt: skip
    weth = balance(anvil, manifest, "WETH")
    assert bot.tick() == []
    whale_swap(anvil, manifest, "WETH", "USDC", 2_000 * 10**18)  # someone dumps $6M of WETH
    (event,) = bot.tick()
    assert "stop-loss" in event.message and event.done
    whale_swap(anvil, manifest, "USDC", "WETH", 12_000_000 * 10**6)  # then above take-profit
    assert bot.tick() == []  # one-shot: it already sold
    assert balance(anvil, manifest, "WETH") == weth - 2 * 10**17
    assert len(bot.store.fires(s.id)) == 1


def test_a_trade_above_the_confirmation_threshold_pauses_and_sends_nothing(  # type: ignore[no-untyped-def]
    anvil, manifest, tmp_path
) -> None:
    bot = open_bot(anvil, manifest, tmp_path, "confirm_above_usd: '20'\n")
    s = add(bot, anvil, manifest, kind="dca", sell="USDC", buy="WETH", amount="25",
            interval="1d", count=2)  # fmt: skip
    usdc, before = balance(anvil, manifest, "USDC"), nonce(anvil)
    (event,) = bot.tick()
    assert event.kind == "paused" and "needs a confirmation" in event.message
    paused = bot.store.require(s.id)
    assert paused.status == "paused" and paused.reason is not None
    assert "confirm_above_usd" in paused.reason and "$25.00" in paused.reason
    assert (balance(anvil, manifest, "USDC"), nonce(anvil)) == (usdc, before)
    anvil.time_travel(86_400)
    assert bot.tick() == []  # paused strategies are not retried on their own
    # the user raises the threshold and resumes: the trade goes out under a fresh key
    relaxed = open_bot(anvil, manifest, tmp_path, ALLOW_SMALL)
    relaxed.store.resume(s.id)
    (event,) = relaxed.tick()
    assert event.kind == "fired"
    assert balance(anvil, manifest, "USDC") == usdc - 25 * 10**6


def test_a_denied_trade_pauses_with_the_policy_reason(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bot = open_bot(anvil, manifest, tmp_path, ALLOW_SMALL + "per_tx_usd_cap: '10'\n")
    s = add(bot, anvil, manifest, kind="dca", sell="USDC", buy="WETH", amount="25",
            interval="1d", count=1)  # fmt: skip
    (event,) = bot.tick()
    assert event.kind == "paused" and "per-transaction cap" in event.message
    assert bot.store.require(s.id).status == "paused"


def test_a_rerun_after_a_crash_mid_trade_does_not_trade_twice(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bot = open_bot(anvil, manifest, tmp_path, ALLOW_SMALL)
    s = add(bot, anvil, manifest, kind="dca", sell="USDC", buy="WETH", amount="40",
            interval="1h", count=2)  # fmt: skip
    usdc = balance(anvil, manifest, "USDC")
    venue = bot.venue
    assert isinstance(venue, WalletVenue)
    ledger = venue.agent.engine.ledger
    original = ledger.sending

    def crash(key: str, tx_hash: str, raw: bytes) -> None:
        original(key, tx_hash, raw)
        if key.endswith(":swap"):
            raise KeyboardInterrupt  # dies with the swap signed and recorded, not broadcast

    ledger.sending = crash  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        bot.tick()
    assert balance(anvil, manifest, "USDC") == usdc  # the approval went out, the swap did not
    restarted = open_bot(anvil, manifest, tmp_path, ALLOW_SMALL)
    (event,) = restarted.tick()
    assert event.trade is not None and event.trade.replayed
    assert balance(anvil, manifest, "USDC") == usdc - 40 * 10**6
    assert restarted.tick() == []  # the trade is recorded: the next is due in an hour
    assert balance(anvil, manifest, "USDC") == usdc - 40 * 10**6
    assert [f.n for f in restarted.store.fires(s.id)] == [0]


def test_a_crash_after_the_trade_before_it_is_recorded_replays_it(  # type: ignore[no-untyped-def]
    anvil, manifest, tmp_path, monkeypatch
) -> None:
    bot = open_bot(anvil, manifest, tmp_path, ALLOW_SMALL)
    s = add(bot, anvil, manifest, kind="dca", sell="USDC", buy="WETH", amount="40",
            interval="1h", count=2)  # fmt: skip
    usdc = balance(anvil, manifest, "USDC")

    def crash(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(bot.store, "record_fire", crash)
    with pytest.raises(KeyboardInterrupt):
        bot.tick()
    assert balance(anvil, manifest, "USDC") == usdc - 40 * 10**6
    before = nonce(anvil)
    restarted = open_bot(anvil, manifest, tmp_path, ALLOW_SMALL)
    (event,) = restarted.tick()
    assert event.trade is not None and event.trade.replayed and event.trade.bought is not None
    assert nonce(anvil) == before and balance(anvil, manifest, "USDC") == usdc - 40 * 10**6
    assert restarted.store.require(s.id).progress.fires == 1


def test_a_running_bot_obeys_the_policy_as_edited_between_ticks(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bot = open_bot(anvil, manifest, tmp_path, ALLOW_SMALL)
    s = add(bot, anvil, manifest, kind="dca", sell="USDC", buy="WETH", amount="10",
            interval="1h", count=3)  # fmt: skip
    assert [e.kind for e in bot.tick()] == ["fired"]
    (tmp_path / "policy.yaml").write_text(ALLOW_SMALL + "allow: {tokens: [WETH, REX]}\n")
    anvil.time_travel(3600)
    usdc, before = balance(anvil, manifest, "USDC"), nonce(anvil)
    events = bot.tick()  # the same scheduler, still running: USDC was just removed
    assert [e.kind for e in events] != ["fired"]
    assert "token USDC is not in the policy's allow-list" in " ".join(e.message for e in events)
    assert (balance(anvil, manifest, "USDC"), nonce(anvil)) == (usdc, before)
    assert bot.store.require(s.id).status == "paused"
