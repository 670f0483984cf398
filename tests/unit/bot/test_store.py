"""The bot's SQLite store: strategies, their status and trades, kept across restarts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from rexos.bot import BotStore, Fire, parse_strategy
from rexos.errors import UsageError

ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
T0 = 1_700_000_000
DCA = parse_strategy({"kind": "dca", "sell": "USDC", "buy": "WETH", "amount": "10",
                      "interval": "1h", "count": 2})  # fmt: skip


def fire(n: int, at: int = T0) -> Fire:
    return Fire(n, at, f"DCA trade {n + 1}", Decimal(10), Decimal("0.003"), f"0x{n:064x}", 7 + n)


def test_added_strategies_survive_a_restart(tmp_path: Path) -> None:
    path = BotStore.path_in(tmp_path)
    store = BotStore(path)
    a = store.add(31337, ALICE, DCA, T0)
    b = store.add(31337, BOB, DCA, T0)
    c = store.add(1, ALICE, DCA, T0)
    assert len({a.id, b.id, c.id}) == 3 and all(len(s.id) == 8 for s in (a, b, c))
    assert a.status == "active" and a.progress.started_at == T0 and a.attempt == 0
    store.close()
    again = BotStore(path)
    assert again.require(a.id) == a
    assert [s.id for s in again.active(ALICE.lower(), 31337)] == [a.id]
    assert [s.id for s in again.strategies(ALICE)] == [a.id, c.id]
    assert len(again.strategies()) == 3
    with pytest.raises(UsageError, match="no bot strategy 'nope'"):
        again.require("nope")


def test_trades_advance_progress_once_each_and_finish_the_strategy(tmp_path: Path) -> None:
    store = BotStore(tmp_path / "s.db")
    s = store.add(31337, ALICE, DCA, T0)
    after = store.record_fire(s.id, fire(0, T0 + 1))
    assert (after.progress.fires, after.progress.spent, after.progress.last_fire_at) == (
        1, Decimal(10), T0 + 1,
    )  # fmt: skip
    assert store.record_fire(s.id, fire(0, T0 + 1)) == after  # recorded twice: no change
    done = store.record_fire(s.id, fire(1, T0 + 3600))
    assert done.status == "done" and done.progress.spent == Decimal(20)
    assert [f.n for f in store.fires(s.id)] == [0, 1]
    assert store.fires(s.id)[1].bought == Decimal("0.003")
    assert done.to_json()["next_at"] is None and done.to_json()["spent"] == "20"


def test_pause_resume_remove(tmp_path: Path) -> None:
    store = BotStore(tmp_path / "s.db")
    s = store.add(31337, ALICE, DCA, T0)
    assert s.to_json()["next_at"] == T0
    paused = store.pause(s.id, "needs a confirmation")
    assert (paused.status, paused.reason, paused.attempt) == ("paused", "needs a confirmation", 1)
    assert store.active(ALICE, 31337) == []
    resumed = store.resume(s.id)
    assert (resumed.status, resumed.reason, resumed.attempt) == ("active", None, 1)
    with pytest.raises(UsageError, match="is active, not paused"):
        store.resume(s.id)
    removed = store.remove(s.id)
    assert removed is not None and removed.status == "removed"
    assert store.strategies() == [] and [x.id for x in store.strategies(removed=True)] == [s.id]
    assert store.pause(s.id, "late").status == "removed"  # a removed strategy stays removed
    assert store.remove("deadbeef") is None
