"""The golden SQL suite: every question in sql_cases.yaml answered on the seeded devnet.

Accuracy (correct answers / cases) is printed; the threshold is 100 %: the templates are
deterministic and the cases are the shapes they are meant to read, so a miss is a
regression. Answers are compared as JSON (amounts as strings); ``compare`` limits the
comparison to some columns (for block numbers or hashes that depend on the run).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from rexos.agents.database import ask, run_query
from rexos.errors import RexosError
from tests.integration.agents.db_seed import ALICE, BOB, CAROL, Seeded, seeded_chain

CASES_FILE = Path(__file__).with_name("sql_cases.yaml")
THRESHOLD = 1.0
MIN_CASES = 20


def _cases() -> list[dict[str, Any]]:
    cases = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    assert isinstance(cases, list)
    return cases


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    with seeded_chain(tmp_path_factory.mktemp("rexos-golden")) as seeded:
        yield seeded


def _fill(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    return value


def _project(rows: list[list[Any]], columns: list[int] | None) -> list[list[Any]]:
    return rows if columns is None else [[row[k] for k in columns] for row in rows]


def _verdict(net: Seeded, case: dict[str, Any], names: dict[str, str]) -> tuple[bool, str]:
    question = _fill(case["question"], names)
    try:
        got = ask(net.path, question, names=names).json_rows()
    except RexosError as exc:
        return False, f"{question!r}: {exc}"
    if "oracle" in case:
        expected = run_query(net.path, _fill(case["oracle"], names)).json_rows()
    else:
        expected = _fill(case["rows"], names)
    columns = case.get("compare")
    ok = _project(got, columns) == _project(expected, columns)
    return ok, f"{question!r}: got {got}, expected {expected}"


def test_golden_sql_accuracy(net: Seeded) -> None:
    cases = _cases()
    assert len(cases) >= MIN_CASES
    names = {"alice": net.address(ALICE), "bob": net.address(BOB), "carol": net.address(CAROL)}
    misses = []
    for case in cases:
        ok, detail = _verdict(net, case, names)
        if not ok:
            misses.append(detail)
    accuracy = 1 - len(misses) / len(cases)
    print(f"\ngolden SQL accuracy: {accuracy:.1%} ({len(cases) - len(misses)}/{len(cases)})")
    assert accuracy >= THRESHOLD, "\n".join(misses)


def test_the_suite_can_fail(net: Seeded) -> None:
    names = {"alice": net.address(ALICE), "bob": net.address(BOB), "carol": net.address(CAROL)}
    ok, _ = _verdict(net, {"question": "how many swaps", "rows": [[3]]}, names)
    assert not ok
