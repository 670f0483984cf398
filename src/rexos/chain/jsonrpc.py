"""The JSON-RPC 2.0 wire format as Ethereum nodes speak it.

Integers travel as ``0x`` hex quantities, byte strings as ``0x`` hex data;
errors are ``{"code", "message", "data"?}`` objects. Nothing here knows about
a particular chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "EXECUTION_REVERTED",
    "INVALID_PARAMS",
    "INVALID_REQUEST",
    "PARSE_ERROR",
    "SERVER_ERROR",
    "RpcError",
    "error_response",
    "param",
    "quantity",
    "to_json",
]

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
SERVER_ERROR = -32000
EXECUTION_REVERTED = 3
"""What geth and anvil answer for a reverted ``eth_call`` or ``eth_estimateGas``."""


class RpcError(Exception):
    """A JSON-RPC error object to send back to the client."""

    def __init__(self, code: int, message: str, data: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def as_json(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error


def error_response(request_id: Any, error: RpcError) -> dict[str, Any]:
    """A complete error response for the request ``request_id``."""
    return {"jsonrpc": "2.0", "id": request_id, "error": error.as_json()}


def to_json(value: Any, key: str = "") -> Any:
    """Standard JSON-RPC form: ints → hex quantities, bytes → hex data, tuples → lists.

    ``key`` is the field name the value sits under: an integer ``logsBloom``
    is data (256 bytes), not a quantity.
    """
    if value is None or isinstance(value, bool | str | float):
        return value
    if isinstance(value, int):
        return "0x" + format(value, "0512x") if key == "logsBloom" else hex(value)
    if isinstance(value, bytes | bytearray):
        return "0x" + bytes(value).hex()
    if isinstance(value, Mapping):
        return {str(k): to_json(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    raise TypeError(f"cannot encode {type(value).__name__} as JSON-RPC")


def param(params: list[Any], index: int, name: str) -> Any:
    """Positional parameter ``index``, or an invalid-params error naming it."""
    if len(params) <= index:
        raise RpcError(INVALID_PARAMS, f"missing parameter {index}: {name}")
    return params[index]


def quantity(value: Any, name: str) -> int:
    """A non-negative integer given as a JSON number, ``0x`` hex or decimal string."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = value.strip().lower()
        try:
            number = int(text, 16) if text.startswith("0x") else int(text, 10)
        except ValueError:
            number = None
    if number is None or number < 0:
        raise RpcError(INVALID_PARAMS, f"invalid {name}: {value!r}")
    return number
