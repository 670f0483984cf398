"""Train Lense's question reader and write ``src/rexos/lense/data/qa_model.npz``.

Run: ``python scripts/train_lense_qa.py`` (seconds on 2 cores); deterministic, and
``tests/unit/lense/test_qa_model.py`` re-trains and checks the shipped model is what this
writes. ``--cv`` prints the cross-validation grid the L2 strength and the policy threshold
were chosen from (training data only). ``--held-out`` prints the shipped reader's, the
rules' and the policy's accuracy on the questions of ``data/qa_train_voices.yaml`` held out
of training. ``--label-dev`` rewrites
``src/rexos/lense/data/qa_dev_kinds.yaml``: the dev halves of the blind sets and
``qa_dev.yaml``, each labelled with the kind of the word rules' answer where that answer is
graded correct; every ``split: test`` item is dropped as the files are read, before anything
else looks at them.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import yaml

from rexos.lense.facts import FactSet
from rexos.lense.qa import answer, rule_reading
from rexos.lense.qa_model import MODEL_PATH, THRESHOLD, decide, load_model, prepare
from rexos.lense.qa_model_train import (
    DEV_PATH,
    cross_validate,
    held_out,
    load_examples,
    same_answer,
    train,
)
from rexos.lense.qa_score import grade

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "lense"
DEV_SETS = (
    "qa_blind.yaml", "qa_blind2.yaml", "qa_blind3.yaml", "qa_blind4.yaml", "qa_blind5.yaml",
    "qa_dev.yaml",
)  # fmt: skip


def wallets() -> dict[str, FactSet]:
    return {
        w: FactSet.from_json(json.loads((FIXTURES / f"wallet_{w}.facts.json").read_text()))
        for w in ("a", "b")
    }


def _dev_items(name: str) -> list[dict[str, object]]:
    items = yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))
    return [item for item in items if item.get("split", "dev") == "dev"]


def label_dev() -> int:
    facts = wallets()
    rows = []
    for name in DEV_SETS:
        for n, item in enumerate(_dev_items(name)):
            got = answer(facts[str(item["wallet"])], str(item["q"]), reader=False)
            if got.kind in ("fact", "out_of_scope"):
                continue  # read by exact readers before any kind: nothing for the model
            if not grade(item, got, facts[str(item["wallet"])]).correct:
                continue
            origin = name.removesuffix(".yaml")
            rows.append({"set": f"{origin}#{item.get('id', n)}", "wallet": item["wallet"],
                         "q": item["q"], "kind": got.kind})  # fmt: skip
    header = (
        "# Dev questions with the kind of their correct answer (written by\n"
        "# `python scripts/train_lense_qa.py --label-dev`: the dev halves of the blind sets and\n"
        "# qa_dev.yaml; test halves dropped on reading; labels are the word rules' kinds where\n"
        "# their answer is graded correct).\n"
    )
    DEV_PATH.write_text(header + yaml.safe_dump(rows, sort_keys=False, allow_unicode=True))
    print(f"wrote {len(rows)} labelled dev questions to {DEV_PATH}")
    return 0


def report_held_out() -> int:
    """The shipped reader, the rules and the policy between them on the voices set's held-out
    questions (never trained on); kinds that all answer "I don't know" count as one."""
    facts, model = wallets(), load_model()
    rows = held_out()
    hits = {"model": 0, "rules": 0, "policy": 0}
    for e in rows:
        guess = model.best(prepare(facts[e.wallet], e.q))
        kind, reading = rule_reading(facts[e.wallet], e.q)
        hits["model"] += same_answer(guess[0], e.kind)
        hits["rules"] += same_answer(kind, e.kind)
        hits["policy"] += same_answer(decide(kind, reading, *guess, THRESHOLD), e.kind)
    print(f"held-out voices and kinds ({len(rows)}): " + ", ".join(
        f"{k} {100 * v / len(rows):.1f} %" for k, v in hits.items()))  # fmt: skip
    return 0


def main(argv: list[str]) -> int:
    if "--label-dev" in argv:
        return label_dev()
    if "--held-out" in argv:
        return report_held_out()
    examples = load_examples()
    if "--cv" in argv:
        for l2, row in cross_validate(examples, wallets(), rule_reading).items():
            print(f"l2={l2}: " + ", ".join(f"{k} {100 * v:.1f} %" for k, v in row.items()))
        return 0
    started = time.perf_counter()
    model = train(examples, wallets())
    took = time.perf_counter() - started
    model.save(MODEL_PATH)
    print(f"trained on {len(examples)} examples in {took:.1f} s: {len(model.labels)} kinds")
    print(f"wrote {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
