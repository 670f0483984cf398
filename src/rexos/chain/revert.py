"""Decode EVM revert data into a readable reason.

Handles ``Error(string)``, ``Panic(uint256)`` and every custom error declared
in the packaged ABIs (OpenZeppelin's ``ERC20InsufficientBalance`` and friends).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from eth_abi.abi import decode
from eth_abi.exceptions import DecodingError
from eth_utils.abi import function_signature_to_4byte_selector
from eth_utils.address import to_checksum_address

from rexos.chain.artifacts import artifact_names, load_artifact

__all__ = ["decode_revert"]

_ERROR_STRING = bytes.fromhex("08c379a0")
_PANIC = bytes.fromhex("4e487b71")
_PANIC_CODES = {
    0x01: "assertion failed",
    0x11: "arithmetic overflow or underflow",
    0x12: "division by zero",
    0x21: "invalid enum value",
    0x22: "bad storage byte array",
    0x31: "pop on empty array",
    0x32: "array index out of bounds",
    0x41: "out of memory",
    0x51: "call to an uninitialised function",
}


def _canonical_type(entry: dict[str, Any]) -> str:
    kind = str(entry["type"])
    if kind.startswith("tuple"):
        inner = ",".join(_canonical_type(c) for c in entry["components"])
        return f"({inner}){kind[len('tuple') :]}"
    return kind


@cache
def _custom_errors() -> dict[bytes, tuple[str, list[str], list[str]]]:
    table: dict[bytes, tuple[str, list[str], list[str]]] = {}
    for name in artifact_names():
        for entry in load_artifact(name).abi:
            if entry.get("type") != "error":
                continue
            types = [_canonical_type(i) for i in entry["inputs"]]
            names = [str(i.get("name") or f"arg{n}") for n, i in enumerate(entry["inputs"])]
            signature = f"{entry['name']}({','.join(types)})"
            table[function_signature_to_4byte_selector(signature)] = (entry["name"], types, names)
    return table


def _format_value(kind: str, value: Any) -> str:
    if kind == "address":
        return to_checksum_address(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return str(value)


def decode_revert(data: bytes | str | None) -> str:
    """Return a one-line reason for revert ``data`` (hex string or bytes)."""
    if data is None:
        return ""
    raw = (
        bytes.fromhex(data[2:] if data.startswith("0x") else data)
        if isinstance(data, str)
        else data
    )
    if len(raw) < 4:
        return ""
    selector, body = raw[:4], raw[4:]
    try:
        if selector == _ERROR_STRING:
            return str(decode(["string"], body)[0])
        if selector == _PANIC:
            code = int(decode(["uint256"], body)[0])
            return f"panic 0x{code:02x}: {_PANIC_CODES.get(code, 'unknown panic')}"
        known = _custom_errors().get(selector)
        if known is not None:
            name, types, names = known
            values = decode(types, body)
            args = ", ".join(
                f"{n}={_format_value(t, v)}" for n, t, v in zip(names, types, values, strict=True)
            )
            return f"{name}({args})"
    except DecodingError:
        return f"undecodable revert data 0x{raw.hex()}"
    return f"unknown error 0x{selector.hex()}"
