"""Compiled contract artifacts (ABI + bytecode) shipped inside the package."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from rexos.errors import ConfigError

__all__ = ["Artifact", "artifact_names", "load_artifact"]

_PACKAGE = "rexos.contracts.artifacts"


@dataclass(frozen=True, slots=True)
class Artifact:
    """One compiled contract."""

    name: str
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: str


def artifact_names() -> list[str]:
    """Names of every contract artifact in the package, sorted."""
    folder = resources.files(_PACKAGE)
    return sorted(p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json"))


@cache
def load_artifact(name: str) -> Artifact:
    """Load the artifact of contract ``name`` (``"StakedRex"``)."""
    path = resources.files(_PACKAGE) / f"{name}.json"
    if not path.is_file():
        known = ", ".join(artifact_names())
        raise ConfigError(f"no compiled contract named {name!r} (known: {known})")
    data = json.loads(path.read_text(encoding="utf-8"))
    return Artifact(
        name=data["contractName"],
        abi=data["abi"],
        bytecode=data["bytecode"],
        deployed_bytecode=data["deployedBytecode"],
    )
