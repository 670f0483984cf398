"""The explorer's records, declared once: typed here, read by the CLI, and the plug-in's
results as they are (their JSON schema comes from these declarations).

An Etherscan-compatible ``account`` API's ``txlist`` rows become :class:`ExplorerTx`,
``tokentx`` rows :class:`TokenTransfer`; the local index's transfers are
:class:`IndexedTransfer` in a :class:`LocalHistory`. Amounts are ``int`` (base units, wei) and
written to JSON as decimal strings; addresses are checksummed. Every number from the API
arrives as a decimal string and is read exactly; a row missing a field or holding a
non-number fails with the field named. Token names and symbols and method names are chosen
by whoever deployed the contract: they are made plain and capped, never trusted.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, TypeAdapter

from rexos.errors import InvalidAddress
from rexos.explorer.errors import ExplorerError
from rexos.jsonread import JsonReader
from rexos.types import parse_address

__all__ = [
    "Direction",
    "ExplorerTx",
    "IndexedChain",
    "IndexedTransfer",
    "LocalHistory",
    "TokenTransfer",
    "read_token_transfer",
    "read_tx",
]

_AS_STRING = PlainSerializer(str, return_type=str, when_used="json")
Wei = Annotated[int, _AS_STRING, Field(description="Wei (an integer).")]
BaseUnits = Annotated[int, _AS_STRING, Field(description="Base units of the token (an integer).")]
BigInt = Annotated[int, _AS_STRING, Field(description="An integer, as a decimal string.")]
Direction = Literal["in", "out", "self"]
"""How a transfer touches the address: received, sent, or sent to itself."""


_ADAPTERS: dict[str, TypeAdapter[Any]] = {}


def _json(record: Any) -> dict[str, object]:
    name = type(record).__name__
    adapter = _ADAPTERS.get(name) or _ADAPTERS.setdefault(name, TypeAdapter(type(record)))
    data: dict[str, object] = adapter.dump_python(record, mode="json")
    return data


@dataclass(frozen=True, slots=True)
class ExplorerTx:
    """A normal transaction of an account (``action=txlist``); ``value`` in wei."""

    block: int
    timestamp: int
    hash: str
    """The transaction hash; ``GENESIS_<address>`` for a genesis allocation (no transaction)."""
    from_address: str
    """A checksummed address; the literal ``GENESIS`` for a genesis allocation."""
    to_address: str | None
    """``None`` for a contract creation (see ``contract_address``)."""
    value: Wei
    gas_used: BigInt
    gas_price: BigInt
    failed: bool
    method: Annotated[
        str, Field(description="Method signature the explorer shows (third-party text).")
    ]
    contract_address: str | None

    @property
    def is_genesis(self) -> bool:
        """Whether this row is the chain's genesis allocation to the account, not a
        transaction (Etherscan marks it with ``from: GENESIS``)."""
        return self.from_address == "GENESIS"

    def to_json(self) -> dict[str, object]:
        """The row as JSON-ready data (integers as decimal strings)."""
        return _json(self)


@dataclass(frozen=True, slots=True)
class TokenTransfer:
    """An ERC-20 transfer to or from an account (``action=tokentx``); ``value`` in base units."""

    block: int
    timestamp: int
    hash: str
    token: str
    token_symbol: Annotated[
        str, Field(description="Chosen by the token's deployer (third-party text).")
    ]
    token_name: Annotated[
        str, Field(description="Chosen by the token's deployer (third-party text).")
    ]
    decimals: int | None
    from_address: str
    to_address: str
    value: BaseUnits

    def to_json(self) -> dict[str, object]:
        """The row as JSON-ready data (integers as decimal strings)."""
        return _json(self)


@dataclass(frozen=True, slots=True)
class IndexedTransfer:
    """One ERC-20 transfer of the local index involving the address; ``amount`` in the
    token's base units."""

    chain_id: int
    block: int
    timestamp: int | None
    tx_hash: str
    log_index: int
    token: str
    token_symbol: str
    decimals: int | None
    from_address: str
    to_address: str
    amount: BaseUnits
    direction: Direction

    def to_json(self) -> dict[str, object]:
        """The transfer as JSON-ready data (the amount as a decimal string)."""
        return _json(self)


@dataclass(frozen=True, slots=True)
class IndexedChain:
    """A chain with a local index, and the last block read into it (``None``: none yet)."""

    chain_id: int
    indexed_to_block: int | None


class LocalHistory(BaseModel):
    """The transfers of ``address`` in the local indexes, newest first."""

    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    address: str
    source: Literal["index"] = "index"
    chains: tuple[IndexedChain, ...]
    transfers: tuple[IndexedTransfer, ...]

    def to_json(self) -> dict[str, object]:
        """The history as JSON-ready data (amounts as decimal strings)."""
        return self.model_dump(mode="json")


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
