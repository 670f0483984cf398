"""`rexos sql` as a newcomer meets it (issue 12): amounts in tokens, wallet names in the
question, and an answer that includes blocks mined since the last `rexos index`."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from eth_account import Account

from rexos.agents.database import ask
from rexos.agents.database.agent import amount_units, display_rows
from rexos.chain import dev_account
from rexos.chain.keystore import Keystore
from rexos.cli.main import run
from tests.integration.agents.db_seed import ALICE, BOB, REX, Seeded, seeded_chain


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    with seeded_chain(tmp_path_factory.mktemp("rexos-sql-people")) as seeded:
        keystore = Keystore(seeded.home / "keystore", kdf="pbkdf2", work_factor=2)
        keystore.import_key("alice", dev_account(ALICE).key.hex(), "pw")
        keystore.import_key("zed", Account.create().key.hex(), "pw")
        yield seeded


def _sql(net: Seeded, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    run(["--home", str(net.home), "--rpc", net.url, "sql", *args])
    return capsys.readouterr().out


def test_the_total_staked_reads_in_rex(net: Seeded, capsys: pytest.CaptureFixture[str]) -> None:
    shown = _sql(net, capsys, "what is the total amount of REX staked")
    assert "60.0000 REX" in shown
    assert str(60 * REX) not in shown
    assert "--json gives exact base units" in shown
    doc = json.loads(_sql(net, capsys, "what is the total amount of REX staked", "--json"))
    assert doc["rows"] == [[str(60 * REX)]]  # exact, in base units


def test_amounts_take_the_symbol_beside_them(
    net: Seeded, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = _sql(net, capsys, "top 2 holders of sREX")
    assert "40.0000 sREX" in shown and "20.0000 sREX" in shown
    assert "50.0000 REX" in _sql(net, capsys, "who staked the most")
    result = ask(net.path, "largest swaps")
    cells = {c for row in display_rows(result, amount_units(net.path, result)) for c in row}
    assert {"0.5000 WETH", "1,000.0000 USDC"} <= cells


def test_a_wallet_name_in_the_question_is_its_address(
    net: Seeded, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "│ 2 " in _sql(net, capsys, "how many swaps")
    shown = _sql(net, capsys, "how many swaps did alice make")
    assert net.address(ALICE) in shown and "│ 1 " in shown
    assert "│ 0 " in _sql(net, capsys, "how many swaps did zed make")


def test_the_answer_includes_blocks_mined_since_the_last_index(
    net: Seeded, capsys: pytest.CaptureFixture[str]
) -> None:
    before = json.loads(_sql(net, capsys, "how many stakes", "--json"))["rows"][0][0]
    rex, staked = net.token("REX").functions, net.contract("StakedRex", "StakedRex")
    net.tx(BOB).send(rex.approve(staked.address, REX), action="approve")
    net.tx(BOB).send(staked.functions.stake(REX), action="stake")
    after = json.loads(_sql(net, capsys, "how many stakes", "--json"))["rows"][0][0]
    assert after == before + 1
