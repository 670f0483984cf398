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
    # the release reports the same figure as the table, and says what vested since (issue 12)
    table_block = re.search(r"as of block ([\d,]+)", out)
    release = re.search(
        r"team_advisors releases ([\d,]+) REX .* in block ([\d,]+) .*: the table's ([\d,]+) REX "
        r"plus ([\d,\.]+) REX that vested after the table's block",
        out,
    )
    assert table_block and release, out
    assert int(release.group(2).replace(",", "")) > int(table_block.group(1).replace(",", ""))
    # chapter 6 says where the whole epoch stream comes from, and the parts add up
    stream = re.search(
        r"Epoch stream: ([\d,\.]+) REX over 7 days, the whole reward pool: ([\d,\.]+) REX of "
        r"alice's deduction and ([\d,\.]+) REX of the foundation stream that accrued before "
        r"anyone staked",
        out,
    )
    assert stream, out
    total, deduction, recycled = (float(g.replace(",", "")) for g in stream.groups())
    assert deduction == 500.0 and abs(total - deduction - recycled) < 0.02
    # the route table labels each fill's place on its path
    assert "hop" in out and ("direct" in out or "1st hop" in out)
    assert "7. DPrompt" in out and "is final; the provider is paid" in out
    assert "Committee verdict: overturned; the liar is slashed 500.00 REX" in out
    flat = " ".join(out.split())
    bought = re.search(
        r"carol buys the next answer in USD instead: ([\d\.]+) USDC \((\d+) cents", flat
    )
    assert bought and float(bought.group(1)) * 100 == int(bought.group(2)), flat
    assert "the DPrompt desk posts request" in flat and "pays the provider's 2.00 REX" in flat
    assert "8. SmartWallet" in out and "exactly as" in out and "quoted" in out
    gain = re.search(r"the split: [\d,\.]+ USDC\s+\(\+([\d\.]+) bps\)", out)
    assert gain and float(gain.group(1)) > 0, out
    # chapter 9: both example agents listed; a use bought, run, settled, rated; carol paid
    assert "9. Studio and the Agent Market" in out
    assert re.search(r"1 │ weekly-dca 1\.0\.0 │ funds, capped │ 1\.0000 REX", out), out
    assert re.search(r"2 │ portfolio-digest 1\.0\.0 │ read-only │ 0\.1000 REX", out), out
    bought = re.search(r"buys a use of weekly-dca \(job (\d+)\)", out)
    assert bought and int(bought.group(1)) >> 64 == 1, out  # a job of listing 1
    assert '"swap 50 USDC for WETH" → done, 1 call, $50.00 spent' in out
    assert "Asked for 80 USDC, the agent is refused before anything is signed" in out
    assert "above the per-transaction cap of $60" in out
    assert "settles the job for 1.0000 REX with the run's hash" in out
    assert "bob rates it 5/5" in out and "carol claims her developer share, 0.8500 REX" in out
    # chapter 10: the farm caught with its evidence; a claim, a claim-and-stake, a relayed one
    assert "10. The community airdrop" in out
    assert "11. opML" in out and "mallory is slashed 500.00 REX" in " ".join(out.split())
    assert "3 eligible: alice basic, bob enhanced, carol kyc" in out
    assert "finds a farm: 24 wallets" in out and "24 claimants, over the cut of 20" in out
    assert "3 allocations, 1,000,000.0000 REX" in out
    assert (
        "alice claims 166,666.6666 REX" in out and "bob claims 500,000.0000 REX and stakes" in out
    )
    assert "333,333.3333 REX lands at 0x000000000000000000000000000000000000De90" in out
    manifests = list((tmp_path / "deployments").glob("*.json"))
    assert len(manifests) == 1
    assert f"Deployment manifest: {manifests[0]}" in out
    manifest = json.loads(manifests[0].read_text())
    assert manifest["backend"] == "embedded"
    assert {"RexToken", "StakedRex", "RexVesting:team_advisors"} <= set(manifest["contracts"])


def test_the_demo_leaves_no_manifest_in_the_default_home(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --home or REXOS_HOME the in-process chain's manifest goes to a temporary
    folder, removed at the end, not into ~/.rexos (issue 12). The story itself is the one
    the test above runs whole; here it only writes its manifest where it is told to."""
    import rexos.cli.demo as demo_cli

    told: list[tuple[Path, bool]] = []

    def story(c: object, deployments: Path, *, kept: bool) -> None:
        deployments.mkdir(parents=True)
        (deployments / "31337.json").write_text("{}")
        told.append((deployments, kept))
        demo_cli._say_manifest(deployments / "31337.json", kept=kept)

    monkeypatch.setattr(demo_cli, "_story", story)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("REXOS_HOME", raising=False)
    run(["demo"])
    out = " ".join(capsys.readouterr().out.split())
    [(deployments, kept)] = told
    assert not kept and not deployments.exists()  # written, then removed with its folder
    assert tmp_path not in deployments.parents
    assert "written to a temporary folder and removed" in out
    assert not list(tmp_path.glob(".rexos/deployments/*.json"))

    run(["--home", str(tmp_path / "mine"), "demo"])  # a data directory given: kept there
    assert told[1] == (tmp_path / "mine" / "deployments", True)
    assert (tmp_path / "mine" / "deployments" / "31337.json").is_file()
