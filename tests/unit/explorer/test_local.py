"""History from the local index: the right rows, newest first, amounts exact, read-only."""

from __future__ import annotations

from pathlib import Path

import pytest

from rexos.agents.database import run_query
from rexos.errors import InvalidAddress, UsageError
from rexos.explorer import IndexedChain, local_history
from tests.unit.explorer.seed import ALICE, BOB, CAROL, REX, T0, USDC, ZERO, seed

BIG = 3_000_000_000 * 10**18  # more than 2**64: needs the HUGEINT column


@pytest.fixture
def home(tmp_path: Path) -> Path:
    seed(
        tmp_path,
        31337,
        [
            (1, 0, REX, ZERO, ALICE, BIG),  # mint
            (2, 0, REX, ALICE, BOB, 5 * 10**18),
            (2, 1, USDC, BOB, ALICE, 1_500_000),
            (3, 0, REX, BOB, CAROL, 10**18),  # not Alice's
            (4, 3, USDC, ALICE, ALICE, 7),
        ],
    )
    seed(tmp_path, 31338, [(2, 0, REX, CAROL, ALICE, 42)])
    return tmp_path


def test_one_chain_newest_first_with_directions_and_exact_amounts(home: Path) -> None:
    history = local_history(home, ALICE.lower(), chain_id=31337)
    assert history.address == ALICE
    assert history.chains == (IndexedChain(31337, 9),)
    rows = [
        (t.block, t.log_index, t.token_symbol, t.direction, t.amount) for t in history.transfers
    ]
    assert rows == [
        (4, 3, "USDC", "self", 7),
        (2, 1, "USDC", "in", 1_500_000),
        (2, 0, "REX", "out", 5 * 10**18),
        (1, 0, "REX", "in", BIG),
    ]
    first = history.transfers[0]
    assert first.timestamp == T0 + 36 and first.decimals == 6 and first.token == USDC
    assert history.to_json()["transfers"][-1]["amount"] == str(BIG)  # type: ignore[index]


def test_every_index_when_no_chain_is_named(home: Path) -> None:
    history = local_history(home, ALICE, limit=3)
    assert [c.chain_id for c in history.chains] == [31337, 31338]
    assert [(t.chain_id, t.block, t.amount) for t in history.transfers] == [
        (31337, 4, 7),
        (31338, 2, 42),  # same time as chain 31337's block 2: the higher chain id first
        (31337, 2, 1_500_000),
    ]


def test_limit_and_an_address_with_no_transfers(home: Path) -> None:
    assert len(local_history(home, ALICE, chain_id=31337, limit=1).transfers) == 1
    nobody = local_history(home, "0x" + "11" * 20, chain_id=31337)
    assert nobody.transfers == () and nobody.chains == (IndexedChain(31337, 9),)


def test_no_index_yet(tmp_path: Path) -> None:
    history = local_history(tmp_path, ALICE)
    assert history.chains == () and history.transfers == ()
    with pytest.raises(UsageError, match=r"no index for chain 1 .*rexos index"):
        local_history(tmp_path, ALICE, chain_id=1)


@pytest.mark.parametrize("address", ["0x1234", "0x' OR 1=1 --", "alice"])
def test_anything_but_an_address_is_refused_before_sql(home: Path, address: str) -> None:
    with pytest.raises(InvalidAddress):
        local_history(home, address)


@pytest.mark.parametrize("limit", [0, 1001])
def test_limit_bounds(home: Path, limit: int) -> None:
    with pytest.raises(UsageError, match="limit"):
        local_history(home, ALICE, limit=limit)


def test_reading_leaves_the_index_unchanged(home: Path) -> None:
    path = home / "index" / "31337.duckdb"
    before = path.read_bytes()
    local_history(home, ALICE)
    assert path.read_bytes() == before
    assert run_query(path, "SELECT count(*) FROM transfers").rows == ((5,),)
