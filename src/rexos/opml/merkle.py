"""Binary keccak Merkle trees over 32-byte leaves, the commitment the opML game checks.

A tree of depth ``d`` has ``2**d`` leaves; an inner node is
``keccak256(left ‖ right)``; a memory word or an instruction word is its own leaf
(32 bytes, big-endian). A path lists the siblings from the leaf level up, and
:func:`climb` is the contract's ``OneStep.climb``.
"""

from __future__ import annotations

from collections.abc import Sequence

from eth_utils.crypto import keccak

__all__ = ["MerkleTree", "climb", "leaf"]

_WORD = 2**256


def leaf(value: int) -> bytes:
    """The 32-byte leaf of a word (taken modulo 2**256, so negative ints are two's complement)."""
    return (value % _WORD).to_bytes(32, "big")


def climb(node: bytes, index: int, path: Sequence[bytes]) -> bytes:
    """The root reached from ``node`` at ``index`` through the siblings ``path``."""
    for level, sibling in enumerate(path):
        node = keccak(sibling + node) if index >> level & 1 else keccak(node + sibling)
    return node


class MerkleTree:
    """A complete tree of depth ``depth`` whose leaves can be rewritten one at a time."""

    def __init__(self, leaves: Sequence[bytes], depth: int) -> None:
        if depth < 0 or len(leaves) > 1 << depth:
            raise ValueError(f"{len(leaves)} leaves do not fit a tree of depth {depth}")
        level = list(leaves) + [bytes(32)] * ((1 << depth) - len(leaves))
        self.depth = depth
        self._levels = [level]
        for _ in range(depth):
            level = [keccak(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
            self._levels.append(level)

    @property
    def root(self) -> bytes:
        """The root."""
        return self._levels[-1][0]

    def path(self, index: int) -> list[bytes]:
        """The siblings of leaf ``index``, leaf level first."""
        self._check(index)
        return [self._levels[level][(index >> level) ^ 1] for level in range(self.depth)]

    def set(self, index: int, value: bytes) -> None:
        """Rewrite leaf ``index`` and the nodes above it."""
        self._check(index)
        self._levels[0][index] = value
        for level in range(1, self.depth + 1):
            index >>= 1
            below = self._levels[level - 1]
            self._levels[level][index] = keccak(below[2 * index] + below[2 * index + 1])

    def _check(self, index: int) -> None:
        if not 0 <= index < 1 << self.depth:
            raise IndexError(f"leaf {index} outside a tree of depth {self.depth}")
