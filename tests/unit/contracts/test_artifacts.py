"""The committed artifacts are exactly what the pinned compiler builds from the sources."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from rexos.chain import artifact_names, load_artifact
from rexos.errors import ConfigError

ROOT = Path(__file__).resolve().parents[3]


def test_artifacts_match_sources() -> None:
    node = shutil.which("node")
    assert node, "node is required to rebuild the contracts (make test installs the rest)"
    assert (ROOT / "contracts/node_modules/solc").is_dir(), (
        "run `npm install --prefix contracts --no-save`"
    )
    done = subprocess.run(
        [node, "contracts/build.js", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"artifact drift:\n{done.stdout}\n{done.stderr}"


def test_every_artifact_loads_with_code() -> None:
    names = artifact_names()
    assert {"RexToken", "RexVesting", "StakedRex"} <= set(names)
    for name in names:
        artifact = load_artifact(name)
        assert artifact.name == name
        assert artifact.bytecode.startswith("0x") and len(artifact.bytecode) > 100
        assert any(entry.get("type") == "function" for entry in artifact.abi)


def test_unknown_artifact_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="no compiled contract named 'Nope'"):
        load_artifact("Nope")
