"""Typed rows of an Etherscan-compatible ``account`` API: amounts ``int``, addresses checksummed.

``txlist`` rows become :class:`ExplorerTx`, ``tokentx`` rows :class:`TokenTransfer`. Every
number arrives as a decimal string and is read exactly; a row missing a field or holding a
non-number fails with the field named. Token names and symbols and method names are chosen
by whoever deployed the contract: they are made plain and capped, never trusted.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from rexos.errors import InvalidAddress
from rexos.explorer.errors import ExplorerError
from rexos.jsonread import JsonReader
from rexos.types import parse_address

__all__ = ["ExplorerTx", "TokenTransfer", "read_token_transfer", "read_tx"]


@dataclass(frozen=True, slots=True)
class ExplorerTx:
    """A normal transaction of an account (``action=txlist``); ``value`` in wei."""

    block: int
    timestamp: int
    hash: str
    from_address: str
    to_address: str | None
    """``None`` for a contract creation (see ``contract_address``)."""
    value: int
    gas_used: int
    gas_price: int
    failed: bool
    method: str
    contract_address: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "block": self.block,
            "timestamp": self.timestamp,
            "hash": self.hash,
            "from_address": self.from_address,
            "to_address": self.to_address,
            "value": str(self.value),
            "gas_used": str(self.gas_used),
            "gas_price": str(self.gas_price),
            "failed": self.failed,
            "method": self.method,
            "contract_address": self.contract_address,
        }


@dataclass(frozen=True, slots=True)
class TokenTransfer:
    """An ERC-20 transfer to or from an account (``action=tokentx``); ``value`` in base units."""

    block: int
    timestamp: int
    hash: str
    token: str
    token_symbol: str
    token_name: str
    decimals: int | None
    from_address: str
    to_address: str
    value: int

    def to_json(self) -> dict[str, object]:
        return {
            "block": self.block,
            "timestamp": self.timestamp,
            "hash": self.hash,
            "token": self.token,
            "token_symbol": self.token_symbol,
            "token_name": self.token_name,
            "decimals": self.decimals,
            "from_address": self.from_address,
            "to_address": self.to_address,
            "value": str(self.value),
        }


def _plain(value: Any, limit: int) -> str:
    text = value if isinstance(value, str) else ""
    text = "".join(c for c in text if c.isspace() or unicodedata.category(c) not in ("Cc", "Cf"))
    return " ".join(text.split())[:limit]


class _Row:
    """Reads one result row, naming ``what.n.field`` in every error."""

    def __init__(self, source: str, row: Any, where: str) -> None:
        self.read = JsonReader(source, ExplorerError)
        self.row = row
        self.where = where

    def raw(self, name: str) -> Any:
        return self.read.field(self.row, name)

    def integer(self, name: str) -> int:
        return self.read.integer(self.raw(name), f"{self.where}.{name}")

    def hash(self, name: str) -> str:
        value = self.raw(name)
        if not isinstance(value, str) or not value.startswith("0x"):
            raise self.read.fail(f"{self.where}.{name} is not a 0x hash: {value!r}")
        return value.lower()

    def address(self, name: str) -> str:
        value = self.raw(name)
        try:
            return str(parse_address(value if isinstance(value, str) else ""))
        except InvalidAddress:
            raise self.read.fail(f"{self.where}.{name} is not an address: {value!r}") from None

    def optional_address(self, name: str) -> str | None:
        """An address, or ``None`` when the field is absent, null or empty."""
        if not isinstance(self.row, dict) or self.row.get(name) in ("", None):
            return None
        return self.address(name)

    def text(self, name: str, limit: int) -> str:
        return _plain(self.row.get(name) if isinstance(self.row, dict) else None, limit)


def read_tx(source: str, row: Any, n: int) -> ExplorerTx:
    """Row ``n`` of a ``txlist`` answer."""
    r = _Row(source, row, f"result.{n}")
    return ExplorerTx(
        block=r.integer("blockNumber"),
        timestamp=r.integer("timeStamp"),
        hash=r.hash("hash"),
        from_address=r.address("from"),
        to_address=r.optional_address("to"),
        value=r.integer("value"),
        gas_used=r.integer("gasUsed"),
        gas_price=r.integer("gasPrice"),
        failed=str(r.raw("isError")) == "1",
        method=r.text("functionName", 200),
        contract_address=r.optional_address("contractAddress"),
    )


def read_token_transfer(source: str, row: Any, n: int) -> TokenTransfer:
    """Row ``n`` of a ``tokentx`` answer."""
    r = _Row(source, row, f"result.{n}")
    decimals = r.raw("tokenDecimal")
    return TokenTransfer(
        block=r.integer("blockNumber"),
        timestamp=r.integer("timeStamp"),
        hash=r.hash("hash"),
        token=r.address("contractAddress"),
        token_symbol=r.text("tokenSymbol", 32),
        token_name=r.text("tokenName", 100),
        decimals=None if decimals in ("", None) else r.integer("tokenDecimal"),
        from_address=r.address("from"),
        to_address=r.address("to"),
        value=r.integer("value"),
    )
