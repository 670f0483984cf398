"""`rexos demo` tells the whole story and leaves a manifest behind."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rexos.cli.main import run


def test_demo_runs_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["--home", str(tmp_path), "demo"])
    out = " ".join(capsys.readouterr().out.split())  # independent of the console width
    for chapter in (
        "1. Genesis",
        "Forty days later",
        "Alice unstakes early",
        "Month 6",
        "Month 12",
    ):
        assert chapter in out
    assert "alice receives 9,000.00 REX; deduction 1,000.00 REX: 500.00 REX burned" in out
    assert "Total burned 0.00 REX → 500.00 REX" in out
    assert "team_advisors releases" in out
    assert "7. DPrompt" in out and "is final; the provider is paid" in out
    assert "Committee verdict: overturned; the liar is slashed 500.00 REX" in out
    assert "8. SmartWallet" in out and "exactly as" in out and "quoted" in out
    gain = re.search(r"the split: [\d,\.]+ USDC\s+\(\+([\d\.]+) bps\)", out)
    assert gain and float(gain.group(1)) > 0, out
    manifests = list((tmp_path / "deployments").glob("*.json"))
    assert len(manifests) == 1
    assert f"Deployment manifest: {manifests[0]}" in out
    manifest = json.loads(manifests[0].read_text())
    assert manifest["backend"] == "embedded"
    assert {"RexToken", "StakedRex", "RexVesting:team_advisors"} <= set(manifest["contracts"])
