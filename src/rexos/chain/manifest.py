"""Deployment manifests: where the contracts of one chain live.

``rexos devnet up`` (or any genesis run) writes
``$REXOS_HOME/deployments/<chain_id>.json``; every other command reads it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rexos.errors import ConfigError, DeploymentNotFound
from rexos.private_files import write_private_file
from rexos.types import Address

__all__ = ["Manifest", "load_manifest", "manifest_path", "save_manifest"]

_VERSION = 1


@dataclass(frozen=True, slots=True)
class Manifest:
    """Addresses and facts of one deployment."""

    chain_id: int
    backend: str
    rpc_url: str | None
    block: int
    tge: int
    contracts: dict[str, Address]
    accounts: dict[str, Address]
    genesis: dict[str, Any] = field(default_factory=dict)
    version: int = _VERSION

    def address(self, contract: str) -> Address:
        """Address of ``contract``, or a clear error if this deployment lacks it."""
        try:
            return self.contracts[contract]
        except KeyError:
            raise DeploymentNotFound(
                f"the deployment on chain {self.chain_id} has no {contract} contract"
            ) from None


def manifest_path(deployments_dir: Path, chain_id: int) -> Path:
    return deployments_dir / f"{chain_id}.json"


def save_manifest(deployments_dir: Path, manifest: Manifest) -> Path:
    """Write ``manifest`` atomically, 0600 in a 0700 folder; return its path."""
    path = manifest_path(deployments_dir, manifest.chain_id)
    text = json.dumps(asdict(manifest), indent=2, sort_keys=True) + "\n"
    write_private_file(path, text.encode("utf-8"))
    return path


def load_manifest(deployments_dir: Path, chain_id: int) -> Manifest:
    """Read the manifest for ``chain_id`` or explain how to create one."""
    path = manifest_path(deployments_dir, chain_id)
    if not path.is_file():
        raise DeploymentNotFound(
            f"no deployment manifest for chain {chain_id} at {path}: run `rexos devnet up` first"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(**data)
    except (json.JSONDecodeError, TypeError) as exc:
        raise ConfigError(f"corrupt deployment manifest {path}: {exc}") from exc
