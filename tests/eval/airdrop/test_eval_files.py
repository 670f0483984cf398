"""The airdrop evaluation set is frozen: editing or regenerating it differently fails here.

Digests recorded when the set was written, before any engine was scored on it. They are
also listed in README.md, which must agree.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from tests.eval.airdrop.generate import FILES, build

HERE = Path(__file__).parent

FROZEN = {
    "snapshot.json": "2e1ad649f6c875c984e611bc095a19982a87b238ad76f29a1154aed18d2e36ab",
    "transfers.json": "98f23417696b7f8c005425c5fdc88f20767b46386ee8ec975c1ae48e66dd34a1",
    "answers.json": "a61bf8ce193ed9670b781fcd7bebfa091483e33104228133af69620191a24238",
}


def test_the_frozen_files_have_the_recorded_sha256() -> None:
    assert set(FROZEN) == set(FILES)
    for name, sha in FROZEN.items():
        digest = hashlib.sha256((HERE / name).read_bytes()).hexdigest()
        assert digest == sha, f"{name} was edited"


def test_the_generator_reproduces_the_files_byte_for_byte() -> None:
    built = build()
    assert set(built) == set(FILES)
    for name, data in built.items():
        assert data == (HERE / name).read_bytes(), f"generate.py no longer reproduces {name}"


def test_the_readme_lists_the_same_digests() -> None:
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"`(\w+\.json)`[^\n]*?`([0-9a-f]{64})`", readme))
    assert listed == FROZEN
