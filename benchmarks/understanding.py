"""Understanding figures on the frozen blind evaluation sets (issue 13).

Run: ``python benchmarks/understanding.py`` (or as part of ``benchmarks/agents.py``, which
writes the figures into ``benchmarks/agents.json`` under ``understanding``).

The sets were written blind (tests/eval/understanding/README.md) and frozen before tuning;
the dev half, a second blind dev set (``dev2/``) and the dev halves of a third to a sixth
(``dev3/`` to ``dev8/``) were studied while building the pipeline; the test half and the
test halves of dev3 to dev8 are only scored here. The test half was
first scored when the pipeline was first built (recorded below, as measured at commit
f948899), and each later set's halves when it arrived; all are scored again on each run,
after changes made from the dev halves and from an attacker session's inputs only (the
test halves are never studied). Every figure is reported, the test halves first; p95
latency is per request on this machine, without an LLM.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the evaluation sets live in tests/
from tests.eval.understanding.score import score  # noqa: E402
from tests.eval.understanding.split import half, half_of  # noqa: E402
from tests.eval.understanding.tokens_score import score_mentions  # noqa: E402

from rexos.agents.ticker import TickerDB, TickerExtractor  # noqa: E402
from rexos.orchestrator.understand import understand  # noqa: E402

LATENCY_REPEAT = 5
FIRST_TEST_SCORE = {
    "commit": "f948899",
    "intent_accuracy": 0.9218,
    "exact_arguments": 0.8601,
    "wrong_intent_share": 0.0329,
    "abstain_rate": 0.0453,
    "token_f1": 0.922,
}
"""The test half's first score, before any change informed by the second dev set."""
DEV3_FIRST_SCORE = {
    "commit": "be5e26a",
    "dev3_test": {"intent_accuracy": 0.9064, "exact_arguments": 0.8818,
                  "wrong_intent_share": 0.0, "abstain_rate": 0.0936, "token_f1": 0.875},
    "dev3_dev": {"intent_accuracy": 0.9078, "exact_arguments": 0.8802,
                 "wrong_intent_share": 0.0092, "abstain_rate": 0.0829, "token_f1": 0.8826},
}  # fmt: skip
"""The third blind set's first score, when it arrived and before any change informed by it:
its dev half was then studied, its test half is only scored (a second unseen measure)."""
DEV4_FIRST_SCORE = {
    "commit": "6f819b6",
    "dev4_test": {"intent_accuracy": 0.8795, "exact_arguments": 0.8514,
                  "wrong_intent_share": 0.008, "abstain_rate": 0.1124, "token_f1": 0.875},
    "dev4_dev": {"intent_accuracy": 0.8845, "exact_arguments": 0.8446,
                 "wrong_intent_share": 0.012, "abstain_rate": 0.1036, "token_f1": 0.8333},
}  # fmt: skip
"""The fourth blind set's first score, on arrival (the third unseen measure is its test
half)."""
DEV5_FIRST_SCORE = {
    "commit": "52a9a03",
    "dev5_test": {"intent_accuracy": 0.8594, "exact_arguments": 0.8281,
                  "wrong_intent_share": 0.0156, "abstain_rate": 0.125, "token_f1": 0.843},
    "dev5_dev": {"intent_accuracy": 0.8689, "exact_arguments": 0.8156,
                 "wrong_intent_share": 0.041, "abstain_rate": 0.0902, "token_f1": 0.8366},
}  # fmt: skip
"""The fifth blind set's first score, on arrival."""
DEV6_FIRST_SCORE = {
    "commit": "1a72af5",
    "dev6_test": {"intent_accuracy": 0.9057, "exact_arguments": 0.8792,
                  "wrong_intent_share": 0.0075, "abstain_rate": 0.0868, "token_f1": 0.9153},
    "dev6_dev": {"intent_accuracy": 0.8851, "exact_arguments": 0.8723,
                 "wrong_intent_share": 0.017, "abstain_rate": 0.0979, "token_f1": 0.8601},
}  # fmt: skip
"""The sixth blind set's first score, on arrival (a balanced set: half everyday requests,
half hard ones)."""
DEV7_FIRST_SCORE = {
    "commit": "eb2b208",
    "dev7_test": {"intent_accuracy": 0.8283, "exact_arguments": 0.798,
                  "wrong_intent_share": 0.0303, "abstain_rate": 0.1414, "token_f1": 0.8966},
    "dev7_dev": {"intent_accuracy": 0.797, "exact_arguments": 0.7871,
                 "wrong_intent_share": 0.0297, "abstain_rate": 0.1733, "token_f1": 0.9048},
}  # fmt: skip
"""The seventh blind set's first score, on arrival (scored with the code of 9c01160): a set
of confusable neighbours (bridge, send or swap; balance, portfolio, points or rewards) and
near-misses that must not be acted on, written to find wrong intents."""
DEV8_FIRST_SCORE = {
    "commit": "3f2ddde",
    "dev8_test": {"intent_accuracy": 0.7734, "exact_arguments": 0.7635,
                  "wrong_intent_share": 0.0099, "abstain_rate": 0.2167, "token_f1": 0.8889},
    "dev8_dev": {"intent_accuracy": 0.7817, "exact_arguments": 0.7716,
                 "wrong_intent_share": 0.0457, "abstain_rate": 0.1726, "token_f1": 0.9231},
}  # fmt: skip
"""The eighth blind set's first score, on arrival (scored with the code of 3f2ddde): ordinary
chat, where wrong actions come from context (background before the request, a capability
mentioned in passing, hypotheticals and past-tense reports, casual chain names)."""
_BAD_CHECKSUM = re.compile(r"0x[0-9a-fA-F]{40}")


def _answer(text: str) -> dict[str, Any]:
    return dict(understand(text).to_json())


def _has_bad_checksum(text: str) -> bool:
    from eth_utils.address import is_checksum_address

    for address in _BAD_CHECKSUM.findall(text):
        digits = address[2:]
        mixed = digits != digits.lower() and digits != digits.upper()
        if mixed and not is_checksum_address(address):
            return True
    return False


def _items(name: str, which: str) -> list[dict[str, Any]]:
    """``which`` set's ``name`` items: a half of the frozen set, dev2, or a half of dev3."""
    if which == "dev2":
        return _dev2(name)
    if which.startswith(("dev3_", "dev4_", "dev5_", "dev6_", "dev7_", "dev8_")):
        kept, _, wanted = which.partition("_")
        return [i for i in _blind(kept, name) if half_of(str(i["text"])) == wanted]
    return half(name, which)  # type: ignore[arg-type]


def requests(which: str) -> dict[str, Any]:
    items = _items("requests", which)
    summary = score(items, _answer).summary()
    clean = [i for i in items if not _has_bad_checksum(str(i["text"]))]
    without = score(clean, _answer).summary()
    summary["without_mistyped_checksums"] = {
        "requests": without["requests"],
        "intent_accuracy": without["intent_accuracy"],
        "exact_arguments": without["exact_arguments"],
        "note": "items whose mixed-case address fails its EIP-55 checksum, which RexOS "
        "must ask about rather than send to, left out",
    }
    return summary


def _dev2(name: str) -> list[dict[str, Any]]:
    import yaml

    path = ROOT / "tests" / "eval" / "understanding" / "dev2" / f"{name}.yaml"
    items: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return items


def _blind(folder: str, name: str) -> list[dict[str, Any]]:
    import yaml

    path = ROOT / "tests" / "eval" / "understanding" / folder / f"{name}.yaml"
    items: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return items


def tokens(which: str) -> dict[str, Any]:
    extractor = TickerExtractor(TickerDB.default())
    items = _items("tokens", which)
    tally = score_mentions(
        items, lambda t: [(m.text, m.symbol) for m in extractor.extract(t).mentions]
    )
    return {"sentences": len(items), **tally.summary()}


def latency_ms() -> dict[str, float]:
    texts = [str(i["text"]) for i in half("requests", "dev") + half("requests", "test")]
    understand("warm up")
    samples = []
    for _ in range(LATENCY_REPEAT):
        for text in texts:
            start = time.perf_counter()
            understand(text)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "median": round(statistics.median(samples), 3),
        "p95": round(samples[int(0.95 * (len(samples) - 1))], 3),
        "max": round(samples[-1], 3),
        "requests": len(texts),
    }


def figures() -> dict[str, Any]:
    return {
        "test_half": {"requests": requests("test"), "tokens": tokens("test")},
        "dev_half": {"requests": requests("dev"), "tokens": tokens("dev")},
        "dev2": {"requests": requests("dev2"), "tokens": tokens("dev2")},
        "dev3_test": {"requests": requests("dev3_test"), "tokens": tokens("dev3_test")},
        "dev3_dev": {"requests": requests("dev3_dev"), "tokens": tokens("dev3_dev")},
        "dev4_test": {"requests": requests("dev4_test"), "tokens": tokens("dev4_test")},
        "dev4_dev": {"requests": requests("dev4_dev"), "tokens": tokens("dev4_dev")},
        "dev5_test": {"requests": requests("dev5_test"), "tokens": tokens("dev5_test")},
        "dev5_dev": {"requests": requests("dev5_dev"), "tokens": tokens("dev5_dev")},
        "dev6_test": {"requests": requests("dev6_test"), "tokens": tokens("dev6_test")},
        "dev6_dev": {"requests": requests("dev6_dev"), "tokens": tokens("dev6_dev")},
        "dev7_test": {"requests": requests("dev7_test"), "tokens": tokens("dev7_test")},
        "dev7_dev": {"requests": requests("dev7_dev"), "tokens": tokens("dev7_dev")},
        "dev8_test": {"requests": requests("dev8_test"), "tokens": tokens("dev8_test")},
        "dev8_dev": {"requests": requests("dev8_dev"), "tokens": tokens("dev8_dev")},
        "test_half_first_score": FIRST_TEST_SCORE,
        "dev3_first_score": DEV3_FIRST_SCORE,
        "dev4_first_score": DEV4_FIRST_SCORE,
        "dev5_first_score": DEV5_FIRST_SCORE,
        "dev6_first_score": DEV6_FIRST_SCORE,
        "dev7_first_score": DEV7_FIRST_SCORE,
        "dev8_first_score": DEV8_FIRST_SCORE,
        "latency_ms": latency_ms(),
        "goals": {
            "intent_accuracy": ">= 0.95",
            "exact_arguments": ">= 0.90",
            "wrong_intent_share": "<= 0.01",
            "token_f1": ">= 0.95",
            "p95_ms": "<= 20",
        },
    }


def show(found: dict[str, Any]) -> None:
    blind = ("dev3_test", "dev3_dev", "dev4_test", "dev4_dev", "dev5_test", "dev5_dev",
             "dev6_test", "dev6_dev", "dev7_test", "dev7_dev", "dev8_test", "dev8_dev")  # fmt: skip
    for name in ("test_half", "dev_half", "dev2", *blind):
        r, t = found[name]["requests"], found[name]["tokens"]
        print(
            f"{name}: {r['requests']} requests: intent {r['intent_accuracy']:.2%}, exact "
            f"arguments {r['exact_arguments']:.2%}, wrong intent {r['wrong_intent_share']:.2%}, "
            f"abstain {r['abstain_rate']:.2%}; tokens F1 {t['f1']:.4f} "
            f"(P {t['precision']:.4f}, R {t['recall']:.4f}, {t['sentences']} sentences)"
        )
        for label, row in r["per_label"].items():
            print(f"    {label:<12} {row['requests']:>4}  intent {row['intent_accuracy']:>7.2%}"
                  f"  exact {row['exact_arguments']:>7.2%}  wrong {row['wrong']}")  # fmt: skip
    first = found["test_half_first_score"]
    print(
        f"test half, first score (commit {first['commit']}): intent "
        f"{first['intent_accuracy']:.2%}, exact {first['exact_arguments']:.2%}, wrong "
        f"{first['wrong_intent_share']:.2%}, token F1 {first['token_f1']}"
    )
    for first, names in (("dev3_first_score", ("dev3_test", "dev3_dev")),
                         ("dev4_first_score", ("dev4_test", "dev4_dev")),
                         ("dev5_first_score", ("dev5_test", "dev5_dev")),
                         ("dev6_first_score", ("dev6_test", "dev6_dev")),
                         ("dev7_first_score", ("dev7_test", "dev7_dev")),
                         ("dev8_first_score", ("dev8_test", "dev8_dev"))):  # fmt: skip
        for name in names:
            row = found[first][name]
            print(
                f"{name}, first score (commit {found[first]['commit']}): intent "
                f"{row['intent_accuracy']:.2%}, exact {row['exact_arguments']:.2%}, wrong "
                f"{row['wrong_intent_share']:.2%}, token F1 {row['token_f1']}"
            )
    lat = found["latency_ms"]
    print(
        f"latency per request: median {lat['median']} ms, p95 {lat['p95']} ms, max {lat['max']} ms"
    )


def main() -> int:
    found = figures()
    show(found)
    out = Path(__file__).with_name("agents.json")
    data = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    data["understanding"] = found
    out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out} (understanding)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
