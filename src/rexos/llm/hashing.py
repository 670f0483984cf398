"""Canonical hashes for inference receipts.

Every hash here is **keccak256** (the EVM's hash, via ``eth_utils``), returned
as a ``0x``-prefixed 64-digit lowercase hex string, because DPrompt stores these
values on chain as ``bytes32`` and a contract can recompute them with
``keccak256``. Text is encoded as UTF-8 exactly as given: no normalisation,
no stripping, so a receipt binds the bytes the model saw and produced.
"""

from __future__ import annotations

from eth_utils.crypto import keccak

__all__ = ["keccak_hex", "output_hash", "prompt_hash"]


def keccak_hex(data: bytes) -> str:
    """Return keccak256 of ``data`` as ``0x`` + 64 lowercase hex digits."""
    return "0x" + keccak(data).hex()


def prompt_hash(text: str) -> str:
    """Hash of a prompt (the exact UTF-8 bytes sent to the model)."""
    return keccak_hex(text.encode("utf-8"))


def output_hash(text: str) -> str:
    """Hash of a completion's text (the exact UTF-8 bytes the model produced)."""
    return keccak_hex(text.encode("utf-8"))
