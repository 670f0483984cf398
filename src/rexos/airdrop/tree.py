"""The published airdrop: the final allocations as a Merkle tree, in one JSON file.

The file is OpenZeppelin's ``StandardMerkleTree`` dump (``format: standard-v1``, leaves
``(uint256 index, address account, uint256 amount)``, so anyone can load and check it with
the npm package) plus what a claimant needs beside it: the chain, the distributor's address
once deployed, its deadline and the total. Loading rehashes every leaf and node, and a file
whose root differs from the one it states is refused. Indices are the positions of the
allocations sorted by address, so a tree is rebuilt identically from the same list.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rexos.airdrop.distributor import LEAF_TYPES
from rexos.airdrop.merkle import StandardMerkleTree
from rexos.errors import ConfigError, UsageError
from rexos.private_files import write_private_file
from rexos.types import Address, parse_address

__all__ = ["FORMAT", "AirdropTree", "Allocation", "tree_path"]

FORMAT = "rexos-airdrop-v1"


def tree_path(home: Path, chain_id: int) -> Path:
    """Where a data directory keeps the airdrop of chain ``chain_id``."""
    return home / "airdrop" / f"{chain_id}.json"


@dataclass(frozen=True, slots=True)
class Allocation:
    """One leaf: what ``account`` may claim, and how to prove it."""

    index: int
    account: Address
    amount: int
    """REX wei."""
    proof: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AirdropTree:
    """The final list as a tree, and where it is paid from."""

    chain_id: int
    tree: StandardMerkleTree
    total: int
    deadline: int
    """Unix seconds: the last second of the claim window."""
    distributor: Address | None = None

    @classmethod
    def build(
        cls, chain_id: int, allocations: Iterable[tuple[Address, int]], deadline: int
    ) -> AirdropTree:
        """The tree of ``allocations`` (each address once, amounts > 0), indexed by address."""
        seen: dict[str, Address] = {}
        rows: list[tuple[Address, int]] = []
        for address, amount in allocations:
            checked = parse_address(address)
            if checked.lower() in seen:
                raise UsageError(f"{checked} is allocated twice")
            if amount <= 0:
                raise UsageError(f"{checked}: an allocation must be positive, got {amount}")
            seen[checked.lower()] = checked
            rows.append((checked, int(amount)))
        if not rows:
            raise UsageError("no allocation to distribute")
        rows.sort(key=lambda row: row[0].lower())
        leaves = [(i, address, amount) for i, (address, amount) in enumerate(rows)]
        tree = StandardMerkleTree.of(leaves, LEAF_TYPES)
        return cls(chain_id, tree, sum(amount for _, amount in rows), deadline)

    @property
    def root(self) -> str:
        return self.tree.root

    def deployed(self, distributor: Address) -> AirdropTree:
        return replace(self, distributor=distributor)

    def allocation(self, address: str) -> Allocation | None:
        """``address``'s allocation, or ``None`` when it has none."""
        wanted = parse_address(address).lower()
        for position, value in self.tree.entries():
            if str(value[1]).lower() == wanted:
                index, account, amount = value
                return Allocation(int(str(index)), parse_address(str(account)),
                                  int(str(amount)), tuple(self.tree.proof(position)))  # fmt: skip
        return None

    def __len__(self) -> int:
        return len(self.tree)

    # ------------------------------------------------------------ the file

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "chain_id": self.chain_id,
            "root": self.root,
            "total": str(self.total),
            "deadline": self.deadline,
            "distributor": self.distributor,
            "tree": self.tree.dump(),
        }

    def save(self, path: Path) -> Path:
        write_private_file(path, (json.dumps(self.to_json(), indent=1) + "\n").encode())
        return path

    @classmethod
    def load(cls, path: Path) -> AirdropTree:
        """The airdrop in ``path``, every hash checked; one clear error otherwise."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(
                f"no airdrop file at {path} (`rexos airdrop build` writes it)"
            ) from None
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: not an airdrop file: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ConfigError(f"{path}: not an airdrop file (format {FORMAT} expected)")
        try:
            tree = StandardMerkleTree.load(data["tree"])
            distributor = data.get("distributor")
            made = cls(int(data["chain_id"]), tree, int(data["total"]), int(data["deadline"]),
                       parse_address(distributor) if distributor else None)  # fmt: skip
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"{path}: a field is missing or malformed: {exc}") from exc
        if made.root != data.get("root"):
            raise ConfigError(f"{path}: its tree's root is not the root it states")
        if sum(int(str(v[2])) for _, v in tree.entries()) != made.total:
            raise ConfigError(f"{path}: its leaves do not add up to the total it states")
        if tuple(tree.types) != LEAF_TYPES:
            raise ConfigError(f"{path}: leaves are not (index, account, amount)")
        return made
