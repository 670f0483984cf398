"""Score an airdrop engine's output against the blind evaluation set; it reports, it does not judge.

Input (what the engine under test writes, addresses in any letter case)::

    {"eligible": {"0xAbc…": true, …}, "excluded": {"0xDef…": "reason / evidence", …}}

Reported:

(a) eligibility by the rules alone against ``answers.json``. An address the engine marks not
    eligible *and* lists in ``excluded`` is taken as rule-eligible and filtered (the other
    reading of ``eligible``), and is counted apart as ``post_filter``; a missing address is
    wrong. Accuracy per trap tag (threshold cases) and per single criterion, and up to 20
    mismatches from the dev half (``--show-test`` lists test-half ones too).
(b) sybil precision and recall. Truth at cut N: members of planted clusters of more than N
    snapshot addresses that are not KYC-eligible. Primary figures are over the addresses the
    filter decides on (rule-eligible, not KYC-eligible); secondary over every address.
(c) KYC-eligible addresses listed in ``excluded`` (must be 0).

Run ``python tests/eval/airdrop/score.py RESULT.json [--cut N] [--half dev|test|all]``; exit 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_CUT", "load_answers", "main", "must_exclude", "score"]

HERE = Path(__file__).parent
DEFAULT_CUT = 4


def load_answers() -> tuple[dict[str, Any], dict[str, Any]]:
    """``answers.json`` and ``snapshot.json`` from this folder."""
    answers = json.loads((HERE / "answers.json").read_text(encoding="ascii"))
    snapshot = json.loads((HERE / "snapshot.json").read_text(encoding="ascii"))
    return answers, snapshot


def must_exclude(answers: Mapping[str, Any], cut: int) -> set[str]:
    """Lowercased addresses a correct filter excludes at ``cut``, whether eligible or not."""
    groups = answers["groups"]
    return {
        a.lower()
        for a, info in answers["addresses"].items()
        if info["role"] == "sybil"
        and groups[info["group"]]["size"] > cut
        and "kyc" not in info["met"]
    }


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _prf(predicted: set[str], truth: set[str]) -> dict[str, Any]:
    tp = len(predicted & truth)
    return {
        "truth": len(truth),
        "predicted": len(predicted),
        "true_positive": tp,
        "precision": _ratio(tp, len(predicted)),
        "recall": _ratio(tp, len(truth)),
    }


def _eligibility(
    expected: dict[str, dict[str, Any]],
    got: dict[str, Any],
    excluded: set[str],
    shown: set[str],
    attrs: dict[str, dict[str, Any]],
    limit: int,
) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    per_tag: dict[str, Counter[str]] = {}
    per_single: dict[str, Counter[str]] = {}
    mismatches: list[dict[str, Any]] = []
    for address, info in expected.items():
        value = got.get(address)
        if value is None:
            outcome = "missing"
        elif bool(value) == info["eligible"]:
            outcome = "correct"
        elif info["eligible"] and address in excluded:
            outcome = "post_filter"
        else:
            outcome = "false_negative" if info["eligible"] else "false_positive"
        counts[outcome] += 1
        right = "right" if outcome in ("correct", "post_filter") else "wrong"
        for tag in info["traps"]:
            per_tag.setdefault(tag, Counter())[right] += 1
        if len(info["met"]) == 1:
            per_single.setdefault(info["met"][0], Counter())[right] += 1
        if right == "wrong" and address in shown and len(mismatches) < limit:
            mismatches.append(
                {
                    "address": address,
                    "expected": info["eligible"],
                    "got": value,
                    "met": info["met"],
                    "traps": info["traps"],
                    "attributes": attrs.get(address),
                }
            )
    n = len(expected)
    return {
        "addresses": n,
        "accuracy": _ratio(counts["correct"] + counts["post_filter"], n),
        **{k: counts[k] for k in ("correct", "post_filter", "false_positive", "false_negative")},
        "missing": counts["missing"],
        "by_trap": {
            tag: f"{c['right']}/{c['right'] + c['wrong']}" for tag, c in sorted(per_tag.items())
        },
        "by_single_criterion": {
            k: f"{c['right']}/{c['right'] + c['wrong']}" for k, c in sorted(per_single.items())
        },
        "mismatches": mismatches,
    }


def score(
    result: Mapping[str, Any],
    answers: Mapping[str, Any],
    snapshot: Mapping[str, Any] | None = None,
    *,
    cut: int = DEFAULT_CUT,
    half: str = "all",
    show: int = 20,
    show_test: bool = False,
) -> dict[str, Any]:
    """The figures for ``result`` on ``half`` of the set, with sybil truth taken at ``cut``."""
    infos = {a.lower(): info for a, info in answers["addresses"].items()}
    scope = {a: i for a, i in infos.items() if half == "all" or i["half"] == half}
    got = {str(a).lower(): v for a, v in dict(result.get("eligible") or {}).items()}
    raw = result.get("excluded") or {}
    raw = raw if isinstance(raw, dict) else dict.fromkeys(raw, "")
    reasons = {str(a).lower(): r for a, r in raw.items()}
    excluded = set(reasons) & set(scope)
    shown = {a for a, i in scope.items() if show_test or i["half"] == "dev"}
    attrs: dict[str, dict[str, Any]] = {}
    for rec in (snapshot or {}).get("addresses", []):
        attrs[rec["address"].lower()] = {k: v for k, v in rec.items() if k != "address"}

    truth = must_exclude(answers, cut) & set(scope)
    kyc = {a for a, i in scope.items() if "kyc" in i["met"]}
    decided = {a for a, i in scope.items() if i["eligible"] and "kyc" not in i["met"]}
    groups = answers["groups"]
    by_pattern: dict[str, dict[str, Any]] = {}
    for pattern in sorted({g["pattern"] for g in groups.values() if g["kind"] == "sybil"}):
        members = {a for a in truth & decided if groups[scope[a]["group"]]["pattern"] == pattern}
        by_pattern[pattern] = _prf(excluded & members, members)
    false_pos = Counter(
        "sybil (cluster at or below cut)" if scope[a]["role"] == "sybil" else scope[a]["role"]
        for a in excluded - truth - kyc
    )
    wrongly = sorted(excluded & kyc)
    return {
        "half": half,
        "cut": cut,
        "unknown_addresses": len((set(got) | set(reasons)) - set(infos)),
        "eligibility": _eligibility(scope, got, excluded, shown, attrs, show),
        "sybil": {
            "decided_population": _prf(excluded & decided, truth & decided),
            "all_addresses": _prf(excluded, truth),
            "by_pattern": by_pattern,
            "false_positives_by_role": dict(sorted(false_pos.items())),
            "empty_reasons": sum(1 for a in excluded if not str(reasons[a]).strip()),
        },
        "kyc_wrongly_excluded": len(wrongly),
        "kyc_wrongly_excluded_shown": [a for a in wrongly if a in shown][:show],
    }


def _print(report: dict[str, Any]) -> None:
    e, s = report["eligibility"], report["sybil"]
    print(f"half={report['half']} cut={report['cut']} unknown={report['unknown_addresses']}")
    print(
        f"(a) eligibility accuracy {e['accuracy']} over {e['addresses']}: "
        f"fp {e['false_positive']}, fn {e['false_negative']}, missing {e['missing']}, "
        f"post_filter {e['post_filter']}"
    )
    print(
        "    by single criterion: "
        + ", ".join(f"{k} {v}" for k, v in e["by_single_criterion"].items())
    )
    print("    by trap: " + ", ".join(f"{k} {v}" for k, v in e["by_trap"].items()))
    for m in e["mismatches"]:
        print(
            f"    {m['address']} expected {m['expected']} got {m['got']} met {m['met']} "
            f"traps {m['traps']} {json.dumps(m['attributes'], separators=(',', ':'))}"
        )
    for name in ("decided_population", "all_addresses"):
        p = s[name]
        print(
            f"(b) sybil [{name}] precision {p['precision']} recall {p['recall']} "
            f"(tp {p['true_positive']}, predicted {p['predicted']}, truth {p['truth']})"
        )
    print(
        "    recall by pattern: "
        + ", ".join(f"{k} {v['true_positive']}/{v['truth']}" for k, v in s["by_pattern"].items())
    )
    print(
        f"    false positives by role: {s['false_positives_by_role']}; "
        f"empty reasons {s['empty_reasons']}"
    )
    print(f"(c) KYC-eligible addresses excluded: {report['kyc_wrongly_excluded']} (must be 0)")
    for a in report["kyc_wrongly_excluded_shown"]:
        print(f"    {a}")


def main(argv: list[str] | None = None) -> int:
    """Print the report for a result file; always exit 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("result", type=Path)
    parser.add_argument("--cut", type=int, default=DEFAULT_CUT, help="exclude clusters > CUT")
    parser.add_argument("--half", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--show-test", action="store_true", help="list test-half mismatches")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    try:
        result = json.loads(args.result.read_text(encoding="utf-8"))
        if not isinstance(result, dict) or not isinstance(result.get("eligible"), dict):
            raise ValueError('expected {"eligible": {...}, "excluded": {...}}')
    except (OSError, ValueError) as exc:
        print(f"cannot read {args.result}: {exc}")
        return 0
    answers, snapshot = load_answers()
    report = score(
        result, answers, snapshot, cut=args.cut, half=args.half, show_test=args.show_test
    )
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        _print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
