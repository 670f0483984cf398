"""The labelled sentiment set (``data/sentiment/items.yaml``) and its fixed split.

The set was written blind (see ``data/sentiment/README.md``). The split is a pure function of
the text: the sha256 of its UTF-8 bytes read as an integer, even → train, odd → test. Only
the train half is studied; the test half is only scored (``benchmarks/lense.py``), and
``tests/unit/lense/test_sentiment_frozen.py`` fails if it is edited.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

__all__ = ["LABELS", "SET_PATH", "Label", "Labelled", "Split", "digest", "load_set", "split_of"]

SET_PATH = Path(__file__).with_name("data") / "sentiment" / "items.yaml"
Label = Literal["neutral", "positive", "negative"]
Split = Literal["train", "test"]
LABELS: tuple[Label, ...] = ("neutral", "positive", "negative")
"""The classes in their fixed order: the columns of the model, and the tie-break (first wins)."""


@dataclass(frozen=True)
class Labelled:
    text: str
    kind: Literal["headline", "post"]
    label: Label


def split_of(text: str) -> Split:
    """Which half an item with ``text`` falls in."""
    return "train" if int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "test"


def load_set(split: Split | None = None, path: Path = SET_PATH) -> list[Labelled]:
    """The items of ``split`` (every item when ``None``), in file order."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, list):
        raise ValueError(f"{path}: not a list of items")
    items = []
    for entry in raw:
        text, kind, label = str(entry["text"]), str(entry["kind"]), str(entry["label"])
        if kind not in ("headline", "post") or label not in LABELS:
            raise ValueError(f"{path}: bad item {entry!r}")
        if split is None or split_of(text) == split:
            items.append(Labelled(text, kind, label))  # type: ignore[arg-type]
    return items


def digest(items: list[Labelled]) -> str:
    """A sha256 over the items (text, kind, label, in order): it changes when any item does."""
    canon = yaml.safe_dump(
        [{"text": i.text, "kind": i.kind, "label": i.label} for i in items],
        sort_keys=True,
        allow_unicode=True,
    )
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()
