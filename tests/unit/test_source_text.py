"""Source files hold no control characters. A ``"\\b"`` written where ``r"\\b"`` was meant
puts a backspace into a pattern, which then silently never matches (the chart-period
pattern did, until this test)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def test_no_source_file_holds_a_control_character() -> None:
    found = []
    for folder in ("src", "tests", "benchmarks", "scripts", "contracts/src"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in {".py", ".sol", ".toml", ".yaml", ".md", ".js", ".sql"}:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if _CONTROL.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}")
    assert found == []
