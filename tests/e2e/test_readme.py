"""The README's CLI tutorial, run exactly as written."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
MARKER = "<!-- docs-test: the block below is run by tests/e2e/test_readme.py -->"
BLOCK = re.compile(r"(?:<!-- docs-test: (?P<marker>[^\n]*?) -->\n)?^```(?P<lang>[a-z]*)\n", re.M)

pytestmark = pytest.mark.xdist_group("anvil")


def _tutorial() -> str:
    text = README.read_text(encoding="utf-8")
    after = text[text.index(MARKER) :]
    match = re.search(r"```bash\n(.*?)```", after, re.S)
    assert match, "the README lost its tested bash block"
    return match.group(1)


def test_readme_tutorial_runs(tmp_path: Path) -> None:
    assert shutil.which("rexos"), "the rexos command must be installed (pip install -e .)"
    script = "set -euo pipefail\ntrap 'rexos devnet down >/dev/null 2>&1 || true' EXIT\n"
    script += _tutorial()
    script += 'echo "HOME_USED=$REXOS_HOME"\n'
    env = {**os.environ, "TMPDIR": str(tmp_path), "COLUMNS": "160"}
    env.pop("REXOS_RPC_URL", None)
    done = subprocess.run(
        ["bash", "-c", script], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "Created wallet alice" in out
    assert "Deployment manifest:" in out
    assert "Staked 2,500.0000 REX" in out
    assert "Unstaking now costs 100.0000 REX (20 %" in out
    assert "received 400.0000 REX" in out
    assert "Delivered on devnet-b" in out and "received 100 REX" in out
    assert "team_advisors" in out
    assert "Stopped the" in out
    home = Path(out.split("HOME_USED=")[1].strip())
    assert (home / "supply.svg").stat().st_size > 1000
    assert (home / "supply.csv").read_text().startswith("month,")
    assert not (home / "devnet.json").exists()


def test_readme_python_snippets_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REXOS_HOME", str(tmp_path))
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "the README has no python example"
    results: dict[str, object] = {}
    for block in blocks:
        namespace: dict[str, object] = {}
        exec(compile(block, str(README), "exec"), namespace)
        results.update(namespace)
    answer = results["answer"]
    assert getattr(answer, "text", "").strip()
    assert str(getattr(answer, "output_hash", "")).startswith("0x")
    route = results["route"]
    assert getattr(route, "amount_out", 0) > getattr(route, "best_single_out", 0) > 0


def test_every_readme_example_is_run_or_says_why_not() -> None:
    """The tutorial and the python snippets run above; any other shell block says why not."""
    blocks = [(m["lang"], m["marker"]) for m in BLOCK.finditer(README.read_text(encoding="utf-8"))]
    shell = [marker for lang, marker in blocks if lang in ("bash", "sh")]
    assert shell.count("the block below is run by tests/e2e/test_readme.py") == 1
    others = [m for m in shell if m != "the block below is run by tests/e2e/test_readme.py"]
    for marker in others:
        assert marker and re.fullmatch(r"skip \(.{12,}\)", marker), marker
    assert len(others) <= 2
