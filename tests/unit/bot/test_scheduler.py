"""The scheduler on a fake venue: due trades, one price read per tick, pauses, restarts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from rexos.bot import BotStore, FakeVenue, Scheduler, intent_key, parse_strategy

ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
CHAIN = 31337
T0, HOUR = 1_700_000_000, 3600


@pytest.fixture
def store(tmp_path: Path) -> BotStore:
    return BotStore(tmp_path / "bot.sqlite")


def dca(count: int = 3) -> dict[str, object]:
    return {"kind": "dca", "sell": "USDC", "buy": "WETH", "amount": "30", "interval": "1h",
            "count": count}  # fmt: skip


def test_dca_trades_count_times_as_time_passes(store: BotStore) -> None:
    venue = FakeVenue(T0, {("WETH", "USDC"): Decimal(3000)})
    s = store.add(CHAIN, ALICE, parse_strategy(dca()), T0)
    bot = Scheduler(store, venue, ALICE, CHAIN)
    fired = []
    for step in range(10):
        venue.time = T0 + step * HOUR // 2  # every half hour
        fired += bot.tick()
    assert [e.kind for e in fired] == ["fired"] * 3 and fired[-1].done
    assert fired[0].message.startswith("DCA trade 1: sold 30 USDC for 0.01 WETH")
    assert len(venue.trades) == 3 and store.require(s.id).status == "done"
    assert store.require(s.id).progress.spent == Decimal(90)
    assert [f.at for f in store.fires(s.id)] == [T0, T0 + HOUR, T0 + 2 * HOUR]
    assert venue.price_reads == 5  # one read per tick until the third trade (at 2 h)
    assert bot.tick() == [] and venue.price_reads == 5  # nothing active: nothing read


def test_prices_are_read_once_per_tick_for_all_strategies(store: BotStore) -> None:
    venue = FakeVenue(T0, {("WETH", "USDC"): Decimal(3000)})
    sell = {"kind": "limit", "side": "sell", "token": "WETH", "quote": "USDC", "amount": "1",
            "price": "3500"}  # fmt: skip
    tp = {"kind": "tpsl", "token": "WETH", "quote": "USDC", "amount": "2", "stop_loss": "2500"}
    ids = [store.add(CHAIN, ALICE, parse_strategy(x), T0).id for x in (sell, tp, sell)]
    bot = Scheduler(store, venue, ALICE, CHAIN)
    assert bot.tick() == [] and venue.price_reads == 1
    venue.quotes[("WETH", "USDC")] = Decimal(3600)
    events = bot.tick()
    assert venue.price_reads == 2
    assert [e.strategy_id for e in events] == [ids[0], ids[2]] and all(e.done for e in events)
    venue.quotes[("WETH", "USDC")] = Decimal(2400)
    (stop,) = bot.tick()
    assert stop.strategy_id == ids[1] and "stop-loss" in stop.message
    assert bot.tick() == [] and len(venue.trades) == 3


def test_a_blocked_trade_pauses_with_its_reason_and_resumes_under_a_new_key(
    store: BotStore,
) -> None:
    venue = FakeVenue(T0)
    s = store.add(CHAIN, ALICE, parse_strategy(dca()), T0)
    bot = Scheduler(store, venue, ALICE, CHAIN)
    first_key = intent_key(s)
    venue.block = "the swap needs a confirmation"
    (event,) = bot.tick()
    assert event.kind == "paused" and event.message == "the swap needs a confirmation"
    paused = store.require(s.id)
    assert paused.status == "paused" and paused.reason == "the swap needs a confirmation"
    assert venue.trades == {} and bot.tick() == []  # a paused strategy is left alone
    venue.block = None
    store.resume(s.id)
    (event,) = bot.tick()
    assert event.kind == "fired"
    assert list(venue.trades) == [f"bot:{s.id}:0:1"] and first_key == f"bot:{s.id}:0:0"


def test_a_crash_after_trading_and_before_recording_does_not_trade_twice(
    store: BotStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    venue = FakeVenue(T0)
    s = store.add(CHAIN, ALICE, parse_strategy(dca()), T0)
    bot = Scheduler(store, venue, ALICE, CHAIN)

    def crash(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "record_fire", crash)
    with pytest.raises(KeyboardInterrupt):
        bot.tick()
    monkeypatch.undo()
    assert len(venue.trades) == 1 and store.require(s.id).progress.fires == 0
    venue.time += 60  # the restarted bot ticks a minute later
    (event,) = Scheduler(store, venue, ALICE, CHAIN).tick()
    assert event.trade is not None and event.trade.replayed
    assert "already sent before a restart" in event.message
    assert len(venue.trades) == 1 and store.require(s.id).progress.fires == 1


def test_only_the_wallets_strategies_on_this_chain_run(store: BotStore) -> None:
    venue = FakeVenue(T0)
    mine = store.add(CHAIN, ALICE, parse_strategy(dca()), T0)
    store.add(CHAIN, "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", parse_strategy(dca()), T0)
    store.add(1, ALICE, parse_strategy(dca()), T0)
    removed = store.add(CHAIN, ALICE, parse_strategy(dca()), T0)
    store.remove(removed.id)
    events = Scheduler(store, venue, ALICE, CHAIN).tick()
    assert [e.strategy_id for e in events] == [mine.id]


def test_the_tick_time_defaults_to_the_venues_clock(store: BotStore) -> None:
    venue = FakeVenue(T0 - 1)
    store.add(CHAIN, ALICE, parse_strategy(dca()), T0)
    bot = Scheduler(store, venue, ALICE, CHAIN)
    assert bot.tick() == []  # the chain is still before the start
    assert len(bot.tick(now=T0)) == 1
