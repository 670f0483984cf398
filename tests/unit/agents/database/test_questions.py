"""Question templates on a small hand-written index: each shape answers what it should."""

from __future__ import annotations

from pathlib import Path

import pytest
from eth_utils.address import to_checksum_address

from rexos.agents.database import EXAMPLES, Vocabulary, ask, to_sql
from rexos.chainindex.store import IndexStore
from rexos.errors import UnsafeQuery, UsageError

ZERO = "0x0000000000000000000000000000000000000000"
A = to_checksum_address("0x" + "aa" * 20)
B = to_checksum_address("0x" + "bb" * 20)
VOCAB = Vocabulary(symbols=("REX", "sREX", "WETH"), venues=("unidev", "curvedev"))


def _tx(n: int) -> str:
    return "0x" + f"{n:064x}"


@pytest.fixture
def index(tmp_path: Path) -> Path:
    path = tmp_path / "index.duckdb"
    transfers = [
        (1, ZERO, A, 1_000 * 10**18, "REX"),
        (2, A, B, 300 * 10**18, "REX"),
        (3, ZERO, B, 5 * 10**18, "WETH"),
        (3, B, ZERO, 10**18, "WETH"),
    ]
    with IndexStore(path) as store, store.write() as w:
        w.insert("tokens", [{"address": "0x" + "11" * 20, "symbol": "REX", "decimals": 18}])
        w.insert("tokens", [{"address": "0x" + "22" * 20, "symbol": "WETH", "decimals": 18}])
        w.insert(
            "transfers",
            [
                {
                    "block": blk,
                    "tx_hash": _tx(k),
                    "log_index": 0,
                    "token": "0x" + ("11" if sym == "REX" else "22") * 20,
                    "token_symbol": sym,
                    "from_address": src,
                    "to_address": dst,
                    "amount": amount,
                }
                for k, (blk, src, dst, amount, sym) in enumerate(transfers)
            ],
        )
        w.insert(
            "stakes",
            [
                {
                    "block": 4,
                    "tx_hash": _tx(10),
                    "log_index": 1,
                    "account": A,
                    "action": "stake",
                    "amount": 100 * 10**18,
                    "entry_time": 1,
                },
                {
                    "block": 4,
                    "tx_hash": _tx(11),
                    "log_index": 1,
                    "account": B,
                    "action": "stake",
                    "amount": 7 * 10**18,
                    "entry_time": 1,
                },
                {
                    "block": 5,
                    "tx_hash": _tx(12),
                    "log_index": 1,
                    "account": A,
                    "action": "unstake",
                    "amount": 40 * 10**18,
                    "received": 36 * 10**18,
                    "deduction": 4 * 10**18,
                    "burned": 2 * 10**18,
                },
            ],
        )
        w.set_cursor(1, 5)
    return path


@pytest.mark.parametrize(
    ("question", "rows"),
    [
        ("how many transfers", [(4,)]),
        ("How many REX transfers?", [(2,)]),
        ("how many transfers of $weth", [(2,)]),
        ("how many transfers in the last 3 blocks", [(2,)]),
        ("top 5 holders of REX", [(A, 700 * 10**18), (B, 300 * 10**18)]),
        ("top 1 holders of REX", [(A, 700 * 10**18)]),
        ("how many holders of WETH", [(1,)]),
        (f"balance of {B} in WETH", [(4 * 10**18,)]),
        (f"what is the REX balance of {A.lower()}", [(700 * 10**18,)]),
        ("total supply of WETH", [(4 * 10**18,)]),
        ("who staked the most", [(A, 100 * 10**18), (B, 7 * 10**18)]),
        ("how much is staked in total", [(67 * 10**18,)]),
        ("how many unstakes", [(1,)]),
        ("how many stakes", [(2,)]),
        ("how many swaps", [(0,)]),
        ("bridge transfers by direction", []),
        ("SELECT count(*) AS n FROM stakes", [(3,)]),
    ],
)
def test_templates_answer_on_a_known_index(
    index: Path, question: str, rows: list[tuple[object, ...]]
) -> None:
    assert list(ask(index, question).rows) == rows


def test_my_transfers_use_the_given_address(index: Path) -> None:
    result = ask(index, "show my transfers from me", me=B)
    assert [r[3:] for r in result.rows] == [(B, ZERO, 10**18)]
    assert list(ask(index, "my transfers", me=B).columns)[:2] == ["block", "tx_hash"]
    with pytest.raises(UsageError, match="'my'"):
        ask(index, "my transfers")


def test_amounts_come_back_as_strings_in_json(index: Path) -> None:
    doc = ask(index, "top 5 holders of REX").to_json()
    assert set(doc) == {"sql", "columns", "rows"}
    assert doc["rows"] == [[A, str(700 * 10**18)], [B, str(300 * 10**18)]]


def test_template_sql_is_guarded_and_limited() -> None:
    t = to_sql("largest swaps of WETH", vocabulary=VOCAB)
    assert t.source == "template" and t.sql.endswith("LIMIT 10")
    assert "upper(token_in_symbol) = 'WETH'".upper() in t.sql.upper()
    assert to_sql("how many swaps on curvedev", vocabulary=VOCAB).sql.count("'curvedev'") == 1
    assert "GROUP BY pool" in to_sql("total volume by pool", vocabulary=VOCAB).sql
    assert "dprompt_answers" in to_sql("answers by provider", vocabulary=VOCAB).sql
    assert "dprompt_requests" in to_sql("how many DPrompt requests", vocabulary=VOCAB).sql
    assert to_sql("top 5000 holders of REX", max_rows=50).sql.endswith("LIMIT 50")


def test_unknown_words_never_reach_the_sql() -> None:
    sql = to_sql("how many transfers of NOTATOKEN'; DROP TABLE x; --", vocabulary=VOCAB).sql
    assert "NOTATOKEN" not in sql and "DROP" not in sql


def test_an_unmatched_question_without_llm_lists_examples() -> None:
    with pytest.raises(UsageError, match="without a language model") as info:
        to_sql("what is the meaning of life", vocabulary=VOCAB)
    assert EXAMPLES[2] in str(info.value)


def test_the_llm_hook_gets_the_schema_and_its_sql_is_guarded() -> None:
    prompts: list[str] = []

    def llm(prompt: str) -> str:
        prompts.append(prompt)
        return "Sure:\n```sql\nSELECT count(DISTINCT account) FROM stakes\n```"

    t = to_sql("how many people ever staked", vocabulary=VOCAB, llm=lambda p: llm(p))
    assert t.source == "llm" and t.sql.startswith("SELECT COUNT(DISTINCT account) FROM stakes")
    assert "dprompt_answers" in prompts[0] and "how many people ever staked" in prompts[0]
    with pytest.raises(UnsafeQuery):
        to_sql("delete it all", llm=lambda _: "DROP TABLE transfers")
