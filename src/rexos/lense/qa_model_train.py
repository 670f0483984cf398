"""Training the question reader: L2-regularised softmax regression fitted with L-BFGS.

Deterministic: the same examples give the same weights (the start is zero, the examples are
taken in file order, the optimiser draws nothing at random). The examples are the paraphrase
set ``data/qa_train.yaml`` (written by hand from the fact schema), the voices set
``data/qa_train_voices.yaml`` (written by hand in many voices; each fifth question of a group
is held out, see :func:`held_out`), the kinds set ``data/qa_train_kinds.yaml`` (written by
hand for the kinds the word rules confused; held out the same way) and
``data/qa_dev_kinds.yaml``
(the dev halves of the blind sets and the answerer's own development questions, each with the
kind of its correct answer; test halves were dropped before anything was read). The L2
strength and the policy threshold were chosen by :func:`cross_validate` on these examples only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from scipy import optimize, sparse

from rexos.lense.facts import FactSet
from rexos.lense.qa_model import DIMENSIONS, QaModel, Reading, decide, features, prepare

__all__ = ["DEV_PATH", "KINDS_PATH", "L2", "PARAPHRASE_PATH", "VOICES_PATH", "Example",
           "cross_validate", "held_out", "load_examples", "train"]  # fmt: skip

DATA = Path(__file__).with_name("data")
PARAPHRASE_PATH = DATA / "qa_train.yaml"
DEV_PATH = DATA / "qa_dev_kinds.yaml"
VOICES_PATH = DATA / "qa_train_voices.yaml"
KINDS_PATH = DATA / "qa_train_kinds.yaml"
_HOLD_OUT_EVERY = 5
"""In every group of the voices set, each fifth question is held out of training."""
L2 = 1e-3
"""The shipped model's L2 strength (chosen by cross-validation)."""
_MAX_ITERATIONS = 400
_FOLDS = 5
DONT_KNOW = frozenset({"advice", "no_data", "unknown", "out_of_scope"})
"""Kinds whose answer is "I don't know": one outcome when answers are compared."""


@dataclass(frozen=True, slots=True)
class Example:
    q: str
    wallet: str
    kind: str
    origin: str
    """``paraphrase`` (unseen by the rules) or the dev set it came from."""


def _voices(path: Path, *, kept: bool, origin: str = "voices") -> list[Example]:
    """The voices (or kinds) set's questions trained on (``kept``) or held out of training."""
    return [
        Example(str(q), str(group["wallet"]), str(group["kind"]), origin)
        for group in yaml.safe_load(path.read_text(encoding="utf-8"))
        for n, q in enumerate(group["questions"], start=1)
        if (n % _HOLD_OUT_EVERY != 0) == kept
    ]


def held_out(voices: Path = VOICES_PATH, kinds: Path = KINDS_PATH) -> list[Example]:
    """The voices and kinds sets' held-out questions (every fifth of each group): never
    trained on."""
    return _voices(voices, kept=False) + _voices(kinds, kept=False, origin="kinds")


def load_examples(
    paraphrases: Path = PARAPHRASE_PATH,
    dev: Path = DEV_PATH,
    voices: Path = VOICES_PATH,
    kinds: Path = KINDS_PATH,
) -> list[Example]:
    """The training examples, in file order: paraphrases, then the voices and kinds sets less
    their held-out questions, then dev questions."""
    found = [
        Example(str(q), str(group["wallet"]), str(group["kind"]), "paraphrase")
        for group in yaml.safe_load(paraphrases.read_text(encoding="utf-8"))
        for q in group["questions"]
    ]
    found += _voices(voices, kept=True)
    found += _voices(kinds, kept=True, origin="kinds")
    found += [
        Example(str(item["q"]), str(item["wallet"]), str(item["kind"]), str(item["set"]))
        for item in yaml.safe_load(dev.read_text(encoding="utf-8"))
    ]
    return found


def _matrix(texts: Sequence[str]) -> sparse.csr_matrix:
    rows, cols, vals = [], [], []
    for i, text in enumerate(texts):
        for index, value in features(text).items():
            rows.append(i)
            cols.append(index)
            vals.append(value)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), DIMENSIONS))


def fit(texts: Sequence[str], kinds: Sequence[str], l2: float = L2) -> QaModel:
    """Fit the model to prepared ``texts`` labelled ``kinds``."""
    labels = tuple(sorted(set(kinds)))
    x = _matrix(texts)
    onehot = np.zeros((len(texts), len(labels)))
    onehot[np.arange(len(texts)), [labels.index(k) for k in kinds]] = 1.0
    n = float(len(texts))

    def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
        w = flat.reshape(DIMENSIONS, len(labels))
        logits = x @ w
        logits -= logits.max(axis=1, keepdims=True)
        log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        value = -(onehot * log_p).sum() / n + 0.5 * l2 * float((w * w).sum())
        grad = x.T @ (np.exp(log_p) - onehot) / n + l2 * w
        return value, np.asarray(grad).ravel()

    fitted = optimize.minimize(
        loss,
        np.zeros(DIMENSIONS * len(labels)),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": _MAX_ITERATIONS},
    )
    return QaModel(labels, fitted.x.reshape(DIMENSIONS, len(labels)).astype(np.float32))


def train(examples: Sequence[Example], wallets: Mapping[str, FactSet], l2: float = L2) -> QaModel:
    """The model fitted to ``examples`` (each masked against its wallet's facts)."""
    texts = [prepare(wallets[e.wallet], e.q) for e in examples]
    return fit(texts, [e.kind for e in examples], l2)


def same_answer(kind: str | None, label: str) -> bool:
    """Whether answering as ``kind`` answers a question of kind ``label``."""
    return kind == label or (kind in DONT_KNOW and label in DONT_KNOW)


RuleReading = Callable[[FactSet, str], tuple[str, Reading]]
"""The rules' kind of a question and how they read it (``rexos.lense.qa.rule_reading``)."""


def cross_validate(
    examples: Sequence[Example],
    wallets: Mapping[str, FactSet],
    rules: RuleReading,
    l2s: Sequence[float] = (3e-4, 1e-3, 3e-3),
    thresholds: Sequence[float] = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 1.01),
) -> dict[str, dict[str, float]]:
    """Per L2 strength: the model's accuracy on held-out folds (example ``n`` is in fold
    ``n % 5``), over all examples and over the paraphrases alone, and per threshold the
    accuracy of :func:`decide` between the rules and the held-out model on the paraphrases
    (the only examples the rules were not written from; threshold 1.01 is the rules alone).
    Kinds that all answer "I don't know" count as one."""
    texts = [prepare(wallets[e.wallet], e.q) for e in examples]
    readings = [rules(wallets[e.wallet], e.q) for e in examples]
    found: dict[str, dict[str, float]] = {}
    for l2 in l2s:
        guesses: list[tuple[str, float]] = [("", 0.0)] * len(examples)
        for fold in range(_FOLDS):
            train_on = [n for n in range(len(examples)) if n % _FOLDS != fold]
            model = fit([texts[n] for n in train_on], [examples[n].kind for n in train_on], l2)
            for n in range(fold, len(examples), _FOLDS):
                guesses[n] = model.best(texts[n])
        para = [n for n, e in enumerate(examples) if e.origin in ("paraphrase", "voices", "kinds")]
        right = [same_answer(guesses[n][0], e.kind) for n, e in enumerate(examples)]
        row = {
            "model_all": sum(right) / len(examples),
            "model_paraphrases": sum(right[n] for n in para) / len(para),
        }
        for threshold in thresholds:
            hits = 0
            for n in para:
                kind, reading = readings[n]
                hits += same_answer(decide(kind, reading, *guesses[n], threshold), examples[n].kind)
            row[f"policy_{threshold}"] = hits / len(para)
        found[str(l2)] = row
    return found
