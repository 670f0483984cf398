"""The airdrop engine on the blind evaluation set (``tests/eval/airdrop/``), scored.

Run: ``python benchmarks/airdrop_eval.py``. Prints the scorer's figures for the dev and the
test half and writes ``benchmarks/airdrop_eval.json``.

The set was written by a session that never saw the engine; it is frozen. This adapter only
moves its data into the engine's own inputs, as an operator would, so that the engine does
every judgement itself:

* the KYC records and the points become CSV files signed by an attester (a key made here),
  read by :func:`rexos.airdrop.inputs.read_inputs`, records with an empty UID or deposit
  address included as they are;
* each Catto holding becomes one minted token whose tier (its stars) comes from a signed
  ``token_tiers`` input; the engine replays the mints (the replay reads the chain's logs, so
  here it is handed the mints instead) and counts the tiers its rules name;
* every transfer is passed, with the set's known services in the rules;
* the default rules otherwise, with their cut (more than 20 claimants) and, as a second run,
  the set's own default cut (more than 4).

The scorer counts an address as eligible by the rules when the engine lists it, allocated or
excluded by the sybil filter.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from eth_account import Account
from eth_account.messages import encode_defunct
from eth_hash.auto import keccak
from web3 import Web3

import rexos.airdrop.snapshot as snapshot_module
from rexos.airdrop.eligibility import draft
from rexos.airdrop.inputs import read_inputs, signature_path
from rexos.airdrop.rules import Rules, load_rules
from rexos.airdrop.snapshot import Snapshot, onchain_facts
from rexos.airdrop.transfers import ETH, Transfer
from rexos.types import Address, parse_address

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "eval" / "airdrop"
OUT = Path(__file__).with_suffix(".json")
DEFAULT_RULES = ROOT / "src" / "rexos" / "airdrop" / "default_rules.toml"
ATTESTER = Account.from_key(keccak(b"rexos airdrop eval attester"))
CATTO = parse_address("0x00000000000000000000000000000000000ca770")
ZERO = "0x0000000000000000000000000000000000000000"
POINTS = ("loyalty_points", "dao_points", "sbt_level", "product_points", "premium_points",
          "ai_points")  # fmt: skip

sys.path.insert(0, str(ROOT))
from tests.eval.airdrop import score as scorer  # noqa: E402


def _sign(path: Path) -> None:
    digest = hashlib.sha256(path.read_bytes()).digest()
    signed = ATTESTER.sign_message(encode_defunct(primitive=digest))
    signature_path(path).write_text("0x" + signed.signature.hex().removeprefix("0x") + "\n")


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    _sign(path)
    return path


def _rules(folder: Path, snapshot: dict[str, Any], cut: int) -> Rules:
    text = DEFAULT_RULES.read_text(encoding="utf-8").replace(ZERO, ATTESTER.address)
    text = text.replace(f'contract = "{ATTESTER.address}"', f'contract = "{CATTO}"')
    services = ", ".join(f'"{s["address"]}"' for s in snapshot["known_services"])
    text = text.replace("known_services = []", f"known_services = [{services}]")
    text = text.replace("max_cluster_size = 20", f"max_cluster_size = {cut}")
    path = folder / f"rules-{cut}.toml"
    path.write_text(text, encoding="utf-8")
    return load_rules(path)


def _inputs(folder: Path, snapshot: dict[str, Any]) -> tuple[dict[str, Path], list[Transfer]]:
    kyc, points, tiers, mints = [], [], [], []
    for n, rec in enumerate(snapshot["addresses"]):
        if rec["kyc"] is not None:
            kyc.append(
                [rec["address"], rec["kyc"]["uid"] or "", rec["kyc"]["deposit_address"] or ""]
            )
        points.append([rec["address"], *(rec[p] for p in POINTS)])
        if rec["catto_nft_stars"]:
            tiers.append([n + 1, rec["catto_nft_stars"]])
            mints.append(Transfer(CATTO, parse_address(ZERO), parse_address(rec["address"]), 1,
                                  1, f"mint-{n}", n, n + 1))  # fmt: skip
    paths = {
        "kyc": _write_csv(folder / "kyc.csv", ["address", "uid", "deposit_address"], kyc),
        "points": _write_csv(folder / "points.csv", ["address", *POINTS], points),
        "catto_tiers": _write_csv(folder / "catto_tiers.csv", ["token_id", "tier"], tiers),
    }
    return paths, mints


def _transfers(raw: list[dict[str, Any]], snapshot: dict[str, Any]) -> list[Transfer]:
    return [
        Transfer(ETH if t["token"] == "ETH" else t["token"], parse_address(t["from"]),
                 parse_address(t["to"]), int(t["amount"]), int(t["block"]), f"tx-{n}", n)
        for n, t in enumerate(raw)
    ]  # fmt: skip


def run(cut: int | None) -> dict[str, Any]:
    snapshot = json.loads((EVAL / "snapshot.json").read_text(encoding="ascii"))
    answers = json.loads((EVAL / "answers.json").read_text(encoding="ascii"))
    raw = json.loads((EVAL / "transfers.json").read_text(encoding="ascii"))
    with tempfile.TemporaryDirectory(prefix="rexos-airdrop-eval-") as tmp:
        folder = Path(tmp)
        rules = _rules(folder, snapshot, cut if cut is not None else 20)
        paths, mints = _inputs(folder, snapshot)
        started = time.perf_counter()
        try:
            data = read_inputs(paths, rules)
        except Exception as exc:  # the engine refuses its inputs: that is the finding
            return {"cut": rules.sybil.max_cluster_size, "refused": f"{type(exc).__name__}: {exc}"}
        facts: dict[Address, dict[str, int]] = {}
        for part in data.values():
            for address, values in part.facts.items():
                facts.setdefault(address, {}).update(values)
        real = snapshot_module.token_transfers
        snapshot_module.token_transfers = lambda *_a, **_k: mints  # type: ignore[assignment]
        try:
            for spec in rules.onchain:
                tiers = data[spec.tier_input].tiers if spec.tier_input is not None else None
                part = onchain_facts(Web3(), spec, snapshot["snapshot_block"], "replay",
                                     tiers=tiers)  # fmt: skip
                for address, values in part.items():
                    facts.setdefault(address, {}).update(values)
        finally:
            snapshot_module.token_transfers = real
        snap = Snapshot(0, snapshot["snapshot_block"], 0, rules.sha256, "replay", facts,
                        tuple(d.record for d in data.values()))  # fmt: skip
        made = draft(snap, rules, _transfers(raw, snapshot), now=0)
        seconds = time.perf_counter() - started
    # Eligible by the rules: allocated, or excluded by the sybil filter; the engine lists no
    # one else. A KYC holder in a flagged cluster is allocated (its KYC tier): not excluded.
    listed = {e.address for e in made.entries} | {x.address for x in made.excluded}
    eligible = {rec["address"]: rec["address"] in listed for rec in snapshot["addresses"]}
    excluded = {x.address: f"cluster {x.evidence.cluster_id}" for x in made.excluded}
    result = {"eligible": eligible, "excluded": excluded}
    cut_used = rules.sybil.max_cluster_size
    halves = {
        half: scorer.score(result, answers, snapshot, cut=cut_used, half=half, show=0)
        for half in ("dev", "test")
    }
    return {"cut": cut_used, "draft_seconds": round(seconds, 2), **halves}


def _line(report: dict[str, Any]) -> str:
    e, s = report["eligibility"], report["sybil"]["decided_population"]
    return (f"eligibility {e['accuracy']:.4f} ({e['false_positive']} false +, "
            f"{e['false_negative']} false -); sybil precision {s['precision']}, recall "
            f"{s['recall']}; KYC wrongly excluded {report['kyc_wrongly_excluded']}")  # fmt: skip


def main() -> int:
    results = {}
    for cut in (None, 4):
        found = run(cut)
        results[f"cut_{found['cut']}"] = found
        if "refused" in found:
            print(f"cut {found['cut']}: the engine refused the inputs: {found['refused']}")
            continue
        for half in ("dev", "test"):
            print(f"cut {found['cut']:>2} {half:<4} {_line(found[half])}")
    OUT.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
