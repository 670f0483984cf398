"""Resource limits on a real DuckDB index (issue 11), each test written as the attack.

Observed before: ``LIMIT n PERCENT`` returned 50x the row cap, a recursive CTE never ended,
``SELECT unnest(generate_series(1, 2000000000))`` took 21 GB in 25 s; there was no memory,
thread or time limit. The attacks that could hurt this machine if a limit regressed run in
a child process with an address-space limit, so a regression fails the test instead.
No test asserts on wall-clock time.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from rexos.agents.database import QueryLimits, ask, run_query
from rexos.chainindex.store import IndexStore, Value
from rexos.errors import ConfigError, UnsafeQuery, UsageError

ROWS = 40
ADDRESS_SPACE = 3 * 2**30
"""The child's address-space limit: far below the gigabytes the attacks would take."""
TIMEOUT_LINE = "stopped SQL: it ran longer than"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("limits") / "index.duckdb"
    rows: list[dict[str, Value]] = [
        {
            "block": k,
            "tx_hash": "0x" + f"{k:064x}",
            "log_index": k % 3,
            "token": "0x" + "11" * 20,
            "token_symbol": "REX",
            "from_address": "0x" + "aa" * 20,
            "to_address": "0x" + "bb" * 20,
            "amount": k * 10**18,
        }
        for k in range(ROWS)
    ]
    with IndexStore(path) as store, store.write() as w:
        w.insert("tokens", [{"address": "0x" + "11" * 20, "symbol": "REX", "decimals": 18}])
        w.insert("transfers", rows)
    return path


_PROBE = """
import json, resource, sys
from pathlib import Path
from rexos.agents.database import QueryLimits, ask, run_query
from rexos.errors import RexosError
path = Path(sys.argv[1])
out = {}
for name, call in [
    ("bomb", lambda: ask(
        path, "SELECT unnest(generate_series(1, 2000000000))", limits=QueryLimits(memory_mb=64)
    )),
    ("unbounded", lambda: run_query(
        path, "SELECT * FROM range(1000000000)", limits=QueryLimits(max_rows=5, timeout_s=60)
    )),
]:
    try:
        call()
        out[name] = None
    except RexosError as exc:
        out[name] = str(exc)
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def attacked(index: Path) -> dict[str, object]:
    """The two attacks that would take gigabytes, run in one address-space-limited child."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(index)],
        capture_output=True,
        text=True,
        preexec_fn=limit,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_limit_percent_is_refused_not_fifty_times_the_cap(index: Path) -> None:
    with pytest.raises(UnsafeQuery, match=r"LIMIT \.\.\. PERCENT is not allowed"):
        ask(index, "SELECT * FROM transfers LIMIT 50 PERCENT", max_rows=2)


def test_a_recursive_cte_is_refused_before_it_runs(index: Path) -> None:
    sql = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r"
    with pytest.raises(UnsafeQuery, match="WITH RECURSIVE is not allowed"):
        ask(index, sql)


def test_the_generate_series_bomb_fails_fast_under_64_mb(attacked: dict[str, object]) -> None:
    error = attacked["bomb"]
    assert isinstance(error, str)
    assert error.startswith("refused SQL: range()/generate_series() needs whole-number")
    assert "\n" not in error
    assert isinstance(attacked["peak_mb"], int) and attacked["peak_mb"] < 1024


def test_a_query_over_the_memory_limit_is_stopped_with_one_line(index: Path) -> None:
    sql = (
        "SELECT length(string_agg(t.tx_hash, ',')) FROM transfers AS t, "
        "range(1000) AS a(i), range(1000) AS b(j)"
    )
    with pytest.raises(UnsafeQuery) as info:
        ask(index, sql, limits=QueryLimits(memory_mb=64, threads=1))
    assert str(info.value) == "stopped SQL: it needs more than the 64 MB memory limit"


def test_a_slow_cross_join_is_interrupted_by_the_timeout(index: Path) -> None:
    sql = (
        "SELECT count(*) FROM transfers AS t, range(1000) AS a(i), range(1000) AS b(j), "
        "range(1000) AS c(k) WHERE a.i + b.j + c.k = t.block"
    )
    with pytest.raises(UnsafeQuery, match=TIMEOUT_LINE) as info:
        ask(index, sql, limits=QueryLimits(timeout_s=0.2, threads=1))
    assert str(info.value) == "stopped SQL: it ran longer than the 0.2 s limit"


def test_the_connection_is_usable_after_a_timeout(index: Path) -> None:
    slow = "SELECT count(*) FROM range(1000) a(i), range(1000) b(j), range(1000) c(k) WHERE i+j+k=7"
    with pytest.raises(UnsafeQuery, match=TIMEOUT_LINE):
        run_query(index, slow, limits=QueryLimits(timeout_s=0.2, threads=1))
    assert run_query(index, "SELECT count(*) FROM transfers").rows == ((ROWS,),)


def test_the_row_cap_is_enforced_on_fetch(index: Path) -> None:
    with pytest.raises(UnsafeQuery, match=f"it returns more than {ROWS - 1} rows"):
        run_query(index, "SELECT * FROM transfers", limits=QueryLimits(max_rows=ROWS - 1))
    assert (
        len(run_query(index, "SELECT * FROM transfers", limits=QueryLimits(max_rows=ROWS)).rows)
        == ROWS
    )


def test_an_unbounded_result_is_never_fetched_whole(attacked: dict[str, object]) -> None:
    assert attacked["unbounded"] == "stopped SQL: it returns more than 5 rows"
    assert isinstance(attacked["peak_mb"], int) and attacked["peak_mb"] < 1024


def test_ask_caps_the_rows_at_max_rows(index: Path) -> None:
    result = ask(index, "SELECT * FROM transfers ORDER BY block", max_rows=3)
    assert [row[0] for row in result.rows] == [0, 1, 2]
    assert result.sql.endswith("LIMIT 3")


def test_a_table_function_off_the_allow_list_is_refused(index: Path) -> None:
    with pytest.raises(UnsafeQuery, match="table functions are not allowed in FROM"):
        ask(index, "SELECT * FROM transfers, unnest_table(1)")
    with pytest.raises(UnsafeQuery, match=r"repeat_row\(\) is not allowed"):
        ask(index, "SELECT * FROM repeat_row(1, num_rows := 1000000000)")


def test_a_bounded_range_is_allowed_and_runs(index: Path) -> None:
    result = ask(index, "SELECT count(*) AS n, sum(i) AS s FROM range(1000) AS r(i)")
    assert result.rows == ((1000, 499500),)


def test_sample_is_refused(index: Path) -> None:
    for sql in (
        "SELECT * FROM transfers USING SAMPLE 50%",
        "SELECT * FROM transfers TABLESAMPLE 5",
    ):
        with pytest.raises(UnsafeQuery, match="SAMPLE/TABLESAMPLE is not allowed"):
            ask(index, sql)


def test_limits_are_set_then_locked(index: Path) -> None:
    sql = (
        "SELECT current_setting('memory_limit'), current_setting('threads'), "
        "current_setting('enable_external_access'), current_setting('lock_configuration')"
    )
    limits = QueryLimits(memory_mb=64, threads=1)
    assert run_query(index, sql, limits=limits).rows == (("61.0 MiB", 1, False, True),)
    with pytest.raises(UsageError, match="configuration has been locked"):
        run_query(index, "SET memory_limit = '10GB'", limits=limits)


def test_a_failure_is_one_line(index: Path) -> None:
    with pytest.raises(UsageError) as info:
        run_query(index, "SELECT no_such_column FROM transfers")
    assert str(info.value).startswith("the query failed: ")
    assert "\n" not in str(info.value)


def test_nonsense_limits_are_refused() -> None:
    with pytest.raises(ConfigError, match="memory_mb"):
        QueryLimits(memory_mb=8)
    with pytest.raises(ConfigError, match="threads"):
        QueryLimits(threads=0)
    with pytest.raises(ConfigError, match="timeout_s"):
        QueryLimits(timeout_s=0.0)
    with pytest.raises(ConfigError, match="max_rows"):
        QueryLimits(max_rows=0)
