"""The frozen evaluation sets, split into the half we may study and the half we only score.

The split is fixed by the text (sha256, even → dev, odd → test), so nobody chooses it. The
sets were written blind (see README.md) and frozen in commit 6224e7c before any tuning; the
test half's digests below make any later edit of it fail ``test_frozen.py``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Literal

import yaml

__all__ = ["HERE", "Half", "digest", "half", "half_of", "load"]

HERE = Path(__file__).parent
Half = Literal["dev", "test"]


def _half_of(text: str) -> Half:
    return "dev" if int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "test"


def half_of(text: str) -> Half:
    """Which half an item with ``text`` falls in (the rule every blind set is split by)."""
    return _half_of(text)


def load(name: Literal["requests", "tokens"]) -> list[dict[str, Any]]:
    """Every item of ``<name>.yaml``."""
    items = yaml.safe_load((HERE / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(items, list)
    return items


def half(name: Literal["requests", "tokens"], which: Half) -> list[dict[str, Any]]:
    """The ``which`` half of ``<name>.yaml``, in file order."""
    return [item for item in load(name) if _half_of(str(item["text"])) == which]


def digest(items: list[dict[str, Any]]) -> str:
    """A sha256 over the items' canonical YAML: it changes when any item changes."""
    text = yaml.safe_dump(items, sort_keys=True, allow_unicode=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
