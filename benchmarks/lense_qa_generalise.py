"""How Lense's question answerer would score on questions it was not written from.

Every dev half (``split: dev`` of the blind sets, filtered as each file is read: no test-half
item is kept, printed or scored) and ``qa_dev.yaml`` were studied when the word rules and the
reader were made, so their own scores overstate. This benchmark estimates, per studied
source, what the answerer would score had that source not been studied:

1. **Per rule.** Each question of the hand-written training wordings (``qa_train.yaml``,
   ``qa_train_voices.yaml`` and ``qa_train_kinds.yaml``, their held-out fifths included) is
   read by the rules alone; each rule (:data:`rexos.lense.qa_intent.RULES` entry, as refined)
   is counted where it decides and where its kind is not the question's. The reader's kind
   for the same questions comes from 5-fold cross-validation (the held-out fifths from the
   full reader, never trained on them), so both are measured on wordings they did not see
   in training.
2. **Leave one source out.** For each source, the reader is retrained without that source's
   rows of ``qa_dev_kinds.yaml``, and the source is graded (:func:`rexos.lense.qa_score.grade`)
   three ways: the rules alone, the shipped policy (rules first, the reader where none matched
   or where :data:`rexos.lense.qa_model.OVERRULE` lets it overrule), and the reader first
   (it overrules every matched rule but a declining one). The rules were written from every
   source, so their grade on a source is fitted; the **transfer** estimate replaces each
   question that a matched rule decided by that rule kind's precision on the training
   wordings under the same policy, and grades the rest (reader's and fixed kinds) for real.

3. **Probes.** ``benchmarks/lense_qa_probe.yaml`` and ``lense_qa_probe2.yaml``: questions
   written once, never trained on, scored by the kind of the answer, with the rules alone and
   as shipped. The first was written after the rules were narrowed from the training
   wordings, and was studied after its first score (its header says how); the second was
   written before that study and is unseen.

Run: ``python benchmarks/lense_qa_generalise.py`` (a few minutes on 2 cores); writes
``benchmarks/lense_qa_generalise.json``.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from rexos.lense.facts import FactSet
from rexos.lense.qa import answer, rule_reading
from rexos.lense.qa_intent import RULES, read_intents
from rexos.lense.qa_model import OVERRULE, QaModel, decide, prepare
from rexos.lense.qa_model_train import Example, fit, held_out, load_examples, same_answer
from rexos.lense.qa_score import grade, invented_numbers

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "lense"
OUT = Path(__file__).with_suffix(".json")
SOURCES = ("qa_blind", "qa_blind2", "qa_blind3", "qa_blind4", "qa_blind5", "qa_dev")
_FOLDS = 5
Policy = Mapping[str, float] | float
POLICIES: dict[str, Policy] = {
    "shipped": OVERRULE,
    "rules_first": {},
    **{f"overrule_{t}": t for t in (0.5, 0.6, 0.7, 0.8, 0.9)},
    "reader_first": 0.0,
}
"""``shipped``: :data:`OVERRULE`; ``rules_first``: a matched rule always stands (the policy
before); ``overrule_t``: the reader overrules any matched rule but a declining one from
probability ``t``; ``reader_first``: at any probability."""


def wallets() -> dict[str, FactSet]:
    return {
        w: FactSet.from_json(json.loads((FIXTURES / f"wallet_{w}.facts.json").read_text()))
        for w in ("a", "b")
    }


def dev_half(source: str) -> list[dict[str, Any]]:
    """The source's dev items; test-half items are dropped before anything reads them."""
    items = yaml.safe_load((FIXTURES / f"{source}.yaml").read_text(encoding="utf-8"))
    return [item for item in items if item.get("split", "dev") == "dev"]


def rule_of(facts: FactSet, question: str) -> str:
    """Which rule decided ``question``'s kind: ``index:kind`` of the first entry of
    :data:`RULES` of that kind matching the part read (``-`` when none did)."""
    intent = read_intents(facts, question[:500])[0]
    for text in (intent.text, intent.whole):
        for n, (kind, pattern) in enumerate(RULES):
            if kind == intent.kind and re.search(pattern, text):
                return f"{n}:{kind}"
    return f"-:{intent.kind}"


def _wordings(facts: Mapping[str, FactSet]) -> list[dict[str, Any]]:
    """The training wordings with the rules' reading and a held-out reader's guess."""
    examples = load_examples()
    kept = [n for n, e in enumerate(examples) if e.origin in ("paraphrase", "voices", "kinds")]
    texts = [prepare(facts[e.wallet], e.q) for e in examples]
    guesses: dict[int, tuple[str, float]] = {}
    for fold in range(_FOLDS):
        train_on = [n for n in range(len(examples)) if n % _FOLDS != fold]
        model = fit([texts[n] for n in train_on], [examples[n].kind for n in train_on])
        guesses.update({n: model.best(texts[n]) for n in kept if n % _FOLDS == fold})
    full = fit(texts, [e.kind for e in examples])
    rows = []
    pairs: list[tuple[Example, tuple[str, float]]] = [(examples[n], guesses[n]) for n in kept]
    pairs += [(e, full.best(prepare(facts[e.wallet], e.q))) for e in held_out()]
    for e, guess in pairs:
        kind, reading = rule_reading(facts[e.wallet], e.q)
        rule = rule_of(facts[e.wallet], e.q) if reading == "read" else reading
        rows.append({"label": e.kind, "rules": kind, "reading": reading, "rule": rule,
                     "guess": guess})  # fmt: skip
    return rows


def _decided(row: Mapping[str, Any], policy: Policy) -> str | None:
    return decide(row["rules"], row["reading"], *row["guess"], overrule=policy)


def rule_table(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per rule (``index:kind`` → refined kind): questions it decided, how many of them it
    read wrong, and how many the held-out reader read right."""
    table: dict[str, Counter[str]] = {}
    for row in rows:
        if row["reading"] != "read":
            continue
        key = f"{row['rule']}->{row['rules']}"
        count = table.setdefault(key, Counter())
        count["fires"] += 1
        count["rule_wrong"] += not same_answer(row["rules"], row["label"])
        count["reader_right"] += same_answer(row["guess"][0], row["label"])
    return {k: dict(v) for k, v in sorted(table.items(), key=lambda kv: -kv[1]["rule_wrong"])}


def precision(rows: list[dict[str, Any]], policy: Policy) -> dict[str, float]:
    """Per refined rule kind: how often its kind was right where it stood under ``policy``."""
    hits: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for row in rows:
        if row["reading"] == "read" and _decided(row, policy) == row["rules"]:
            seen[row["rules"]] += 1
            hits[row["rules"]] += same_answer(row["rules"], row["label"])
    return {k: hits[k] / seen[k] for k in seen}


def wordings_score(rows: list[dict[str, Any]], policy: Policy) -> float:
    return sum(same_answer(_decided(r, policy), r["label"]) for r in rows) / len(rows)


def leave_one_out(
    source: str, facts: Mapping[str, FactSet], precisions: Mapping[str, Mapping[str, float]]
) -> dict[str, Any]:
    """``source`` graded with a reader trained without its rows (see the module docstring)."""
    examples = [e for e in load_examples() if e.origin.split("#")[0] != source]
    model: QaModel = fit([prepare(facts[e.wallet], e.q) for e in examples],
                         [e.kind for e in examples])  # fmt: skip
    items = dev_half(source)
    right: Counter[str] = Counter()
    transfer: Counter[str] = Counter()
    for item in items:
        wallet = facts[str(item["wallet"])]
        question = str(item["q"])
        right["rules"] += grade(item, answer(wallet, question, reader=False), wallet).correct
        kind, reading = rule_reading(wallet, question)
        guess = model.best(prepare(wallet, question))
        for name, policy in POLICIES.items():
            got = answer(wallet, question, model=model, overrule=policy)
            correct = grade(item, got, wallet).correct
            right[name] += correct
            stands = reading == "read" and decide(kind, reading, *guess, overrule=policy) == kind
            rule_precision = precisions[name].get(str(kind), 1.0)
            transfer[name] += rule_precision if stands else float(correct)
    n = len(items)
    return {
        "questions": n,
        "graded": {k: round(100 * right[k] / n, 2) for k in ("rules", *POLICIES)},
        "transfer": {k: round(100 * transfer[k] / n, 2) for k in POLICIES},
    }


PROBES = {"probe_studied": "lense_qa_probe.yaml", "probe_unseen": "lense_qa_probe2.yaml"}


def probe(facts: Mapping[str, FactSet], name: str) -> dict[str, float]:
    """The probe's kind accuracy with the rules alone and as shipped; every "I don't know"
    answer counts as one outcome; numbers not from a cited fact are counted apart."""
    items = yaml.safe_load(Path(__file__).with_name(name).read_text(encoding="utf-8"))
    right: Counter[str] = Counter()
    for item in items:
        wallet = facts[str(item["wallet"])]
        for name, reader in (("rules_alone", False), ("shipped", True)):
            got = answer(wallet, str(item["q"]), reader=reader)
            kind = got.kind if got.known else "unknown"
            right[name] += same_answer(kind, str(item["kind"]))
            right[f"{name}_invented"] += bool(invented_numbers(got, wallet))
    return {"questions": len(items), **{
        k: round(100 * v / len(items), 2) if "invented" not in k else v for k, v in right.items()
    }}  # fmt: skip


def main() -> int:
    started = time.perf_counter()
    facts = wallets()
    rows = _wordings(facts)
    precisions = {name: precision(rows, policy) for name, policy in POLICIES.items()}
    sources = {s: leave_one_out(s, facts, precisions) for s in SOURCES}
    result = {
        "training_wordings": len(rows),
        "wordings_accuracy": {
            "rules_alone": round(100 * sum(same_answer(r["rules"], r["label"]) for r in rows)
                                 / len(rows), 2),
            **{k: round(100 * wordings_score(rows, p), 2) for k, p in POLICIES.items()},
        },
        "overrule": dict(OVERRULE),
        "rules": rule_table(rows),
        "leave_one_source_out": sources,
        **{key: probe(facts, name) for key, name in PROBES.items()},
        "seconds": round(time.perf_counter() - started, 1),
    }  # fmt: skip
    for name, row in sources.items():
        print(f"{name:10} n={row['questions']:3}  graded " + ", ".join(
            f"{k} {v:.2f} %" for k, v in row["graded"].items()) + "  | transfer " + ", ".join(
            f"{k} {v:.2f} %" for k, v in row["transfer"].items()))  # fmt: skip
    print("training wordings (held-out reader): " + ", ".join(
        f"{k} {v:.2f} %" for k, v in result["wordings_accuracy"].items()))  # fmt: skip
    for key in PROBES:
        print(f"{key}: " + ", ".join(f"{k} {v}" for k, v in result[key].items()))
    print("rules most often wrong on the training wordings:")
    for key, count in list(result["rules"].items())[:12]:
        print(f"  {key:32} {count}")
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)} in {result['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
