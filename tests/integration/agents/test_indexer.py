"""The indexer on a py-evm devnet: SQL answers match the chain; re-indexing is idempotent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from rexos.agents.database import IndexProgress, ask, index_chain, run_query
from rexos.cli.main import run
from tests.integration.agents.db_seed import ALICE, BOB, CAROL, REX, Seeded, seeded_chain

TABLES = ("transfers", "swaps", "stakes", "dprompt_requests", "dprompt_answers", "blocks")


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    with seeded_chain(tmp_path_factory.mktemp("rexos-index")) as seeded:
        yield seeded


def _counts(path: Path) -> dict[str, int]:
    return {t: int(str(run_query(path, f"SELECT count(*) FROM {t}").rows[0][0])) for t in TABLES}


@pytest.mark.parametrize("symbol", ["REX", "WETH", "USDC", "USDT"])
def test_balances_from_transfers_equal_balance_of(net: Seeded, symbol: str) -> None:
    for who in (ALICE, BOB, CAROL):
        address = net.address(who)
        answer = ask(net.path, f"balance of {address} in {symbol}")
        assert answer.rows == ((net.balance(symbol, address),),)


def test_top_holders_match_the_chain(net: Seeded) -> None:
    rows = ask(net.path, "top 20 holders of WETH").rows
    assert rows and all(int(str(b)) == net.balance("WETH", str(h)) for h, b in rows)


def test_events_are_decoded(net: Seeded) -> None:
    swaps = run_query(net.path, "SELECT venue, token_in_symbol, amount_in FROM swaps").rows
    assert sorted(swaps) == [("curvedev", "USDC", 1_000 * 10**6), ("unidev", "WETH", REX // 2)]
    stakes = run_query(net.path, "SELECT account, action, amount FROM stakes ORDER BY block").rows
    assert stakes == (
        (net.address(ALICE), "stake", 50 * REX),
        (net.address(BOB), "stake", 20 * REX),
        (net.address(ALICE), "unstake", 10 * REX),
    )
    staked = net.contract("StakedRex", "StakedRex").functions
    assert ask(net.path, "how much is staked in total").rows == (
        (int(staked.totalSupply().call()),),
    )
    answers = run_query(net.path, "SELECT request_id, responder, output FROM dprompt_answers")
    assert answers.rows == ((1, net.address(CAROL), "Paris"),)


def test_reindexing_never_duplicates(net: Seeded) -> None:
    before = _counts(net.path)
    seen: list[IndexProgress] = []
    report = index_chain(
        net.web3, net.manifest, net.path, from_block=0, chunk=40, progress=seen.append
    )
    assert _counts(net.path) == before
    assert report.from_block == 0 and report.events["transfers"] == before["transfers"]
    assert [p.from_block for p in seen] == list(range(0, report.to_block + 1, 40))
    assert seen[-1].to_block == report.to_block
    cursor = run_query(net.path, "SELECT block FROM cursor").rows
    assert cursor == ((report.to_block,),)


def test_the_cursor_resumes_with_new_blocks(net: Seeded) -> None:
    before = _counts(net.path)["transfers"]
    net.tx(BOB).send(net.token("REX").functions.transfer(net.address(ALICE), 3 * REX), action="t")
    report = index_chain(net.web3, net.manifest, net.path)
    assert report.events == {"transfers": 1}
    assert _counts(net.path)["transfers"] == before + 1
    assert index_chain(net.web3, net.manifest, net.path).events == {}


def test_rexos_sql_json(net: Seeded, capsys: pytest.CaptureFixture[str]) -> None:
    from rexos.cli import sql as sql_cli
    from rexos.cli.main import app

    if "sql" not in {c.name for c in app.registered_commands}:
        sql_cli.register(app)
    capsys.readouterr()
    run(["--home", str(net.home), "--rpc", net.url, "sql", "top 2 holders of sREX", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"sql", "columns", "rows"}
    assert doc["columns"] == ["holder", "balance"]
    assert doc["rows"] == [[net.address(ALICE), str(40 * REX)], [net.address(BOB), str(20 * REX)]]
