"""The example specs as plain data, for tests to change one field at a time."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from rexos.studio.safeyaml import load_document

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "agents"
DCA = EXAMPLES / "weekly-dca.yaml"
DIGEST = EXAMPLES / "portfolio-digest.yaml"


def doc(path: Path = DCA) -> dict[str, Any]:
    """A fresh copy of the document in ``path``."""
    loaded: dict[str, Any] = load_document(path.read_text(encoding="utf-8"))
    return copy.deepcopy(loaded)
