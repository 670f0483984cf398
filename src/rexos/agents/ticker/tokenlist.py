"""Token lists in the Token Lists standard (https://tokenlists.org): load, check, compact.

A list comes from a file or an ``http(s)`` URL. The essentials of the schema are checked
(``name``, ``timestamp``, ``version`` and ``tokens`` with ``chainId``, ``address``,
``symbol``, ``name`` and ``decimals`` of the right types); a malformed list is a
:class:`~rexos.errors.ConfigError` that names the file and the first bad entry. Tokens whose
address is not an EVM address (lists such as Uniswap's carry Solana mints) are skipped and
counted, never guessed at.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from eth_utils.address import to_checksum_address

from rexos.errors import ConfigError, UsageError
from rexos.outside_http import OutsideHttp, Transport
from rexos.types import Address

__all__ = [
    "MAX_TOKENS",
    "SNAPSHOT_NAME",
    "TokenInfo",
    "TokenList",
    "is_url",
    "load_snapshot",
    "load_token_list",
    "parse_token_list",
]

SNAPSHOT_NAME = "uniswap-default.tokenlist.json"
"""The token-list snapshot shipped as package data (``scripts/build_tokenlist.py``)."""

MAX_TOKENS = 10_000
"""The schema's upper bound on ``tokens``."""

_MAX_BYTES = 20 * 1024 * 1024
_EVM_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """One token: where it lives, what it is called and its on-chain decimals."""

    chain_id: int
    address: Address
    symbol: str
    name: str
    decimals: int
    devnet: bool = False


@dataclass(frozen=True, slots=True)
class TokenList:
    """A checked token list: its identity and its EVM tokens."""

    name: str
    timestamp: str
    version: tuple[int, int, int]
    tokens: tuple[TokenInfo, ...]
    skipped: int = 0

    @property
    def version_text(self) -> str:
        return ".".join(str(part) for part in self.version)

    def to_json(self) -> dict[str, object]:
        """The list in compact Token Lists form (the fields RexOS reads, nothing else)."""
        major, minor, patch = self.version
        return {
            "name": self.name,
            "timestamp": self.timestamp,
            "version": {"major": major, "minor": minor, "patch": patch},
            "tokens": [
                {
                    "chainId": t.chain_id,
                    "address": t.address,
                    "symbol": t.symbol,
                    "name": t.name,
                    "decimals": t.decimals,
                }
                for t in self.tokens
            ],
        }


def is_url(source: str | Path) -> bool:
    """Whether ``source`` names an ``http(s)`` URL rather than a file."""
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))


def _field(entry: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = entry.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ConfigError(f"{where}: {key!r} must be a {kind.__name__}, got {value!r}")
    return value


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value: str = _field(entry, key, str, where).strip()
    if not value:
        raise ConfigError(f"{where}: {key!r} is empty")
    return value


def _version(data: Mapping[str, Any], where: str) -> tuple[int, int, int]:
    raw = data.get("version")
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: 'version' must be an object with major, minor, patch")
    parts = tuple(_field(raw, k, int, f"{where} version") for k in ("major", "minor", "patch"))
    if min(parts) < 0:
        raise ConfigError(f"{where}: version numbers must not be negative")
    return parts[0], parts[1], parts[2]


def _token(entry: object, where: str) -> TokenInfo | None:
    if not isinstance(entry, Mapping):
        raise ConfigError(f"{where}: a token must be an object, got {entry!r}")
    chain_id: int = _field(entry, "chainId", int, where)
    decimals: int = _field(entry, "decimals", int, where)
    if chain_id < 1:
        raise ConfigError(f"{where}: chainId must be positive, got {chain_id}")
    if not 0 <= decimals <= 255:
        raise ConfigError(f"{where}: decimals must be within 0..255, got {decimals}")
    address, symbol, name = (_text(entry, k, where) for k in ("address", "symbol", "name"))
    if not _EVM_ADDRESS.fullmatch(address):
        return None
    checksummed = Address(to_checksum_address(address))
    return TokenInfo(chain_id, checksummed, symbol, name, decimals)


def parse_token_list(data: object, source: str) -> TokenList:
    """Check decoded JSON against the Token Lists essentials; ``source`` names it in errors."""
    if not isinstance(data, Mapping):
        raise ConfigError(f"{source}: a token list must be a JSON object")
    name = _text(data, "name", source)
    timestamp = _text(data, "timestamp", source)
    version = _version(data, source)
    raw = data.get("tokens")
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{source}: 'tokens' must be a non-empty array")
    if len(raw) > MAX_TOKENS:
        raise ConfigError(f"{source}: {len(raw)} tokens, more than the standard's {MAX_TOKENS}")
    tokens: list[TokenInfo] = []
    seen: set[tuple[int, str]] = set()
    skipped = 0
    for index, entry in enumerate(raw):
        token = _token(entry, f"{source} tokens[{index}]")
        if token is None or (token.chain_id, token.address) in seen:
            skipped += 1
            continue
        seen.add((token.chain_id, token.address))
        tokens.append(token)
    if not tokens:
        raise ConfigError(f"{source}: no token has an EVM address")
    return TokenList(name, timestamp, version, tuple(tokens), skipped)


def _decode(text: str | bytes, source: str) -> TokenList:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{source}: not valid JSON: {exc}") from exc
    return parse_token_list(data, source)


def _fetch(url: str, timeout: float, transport: Transport | None) -> bytes:
    http = OutsideHttp(
        source=url,
        error=UsageError,
        timeout_s=timeout,
        max_bytes=_MAX_BYTES,
        follow_redirects=True,
        transport=transport,
    )
    return http.request("GET", url, label="the token list").body


def load_token_list(
    source: str | Path, *, timeout: float = 10.0, transport: Transport | None = None
) -> TokenList:
    """Read and check a token list from a file path or an ``http(s)`` URL (through the one
    outside-HTTP client: timeout, retries, size cap; ``transport`` replaces the network in
    tests)."""
    if is_url(source):
        return _decode(_fetch(str(source), timeout, transport), str(source))
    path = Path(source).expanduser()
    if not path.is_file():
        raise UsageError(f"no token list file at {path}")
    if path.stat().st_size > _MAX_BYTES:
        raise ConfigError(f"{path}: token list larger than {_MAX_BYTES} bytes")
    return _decode(path.read_bytes(), str(path))


def load_snapshot() -> TokenList:
    """The Uniswap default token list snapshot shipped with RexOS."""
    resource = files("rexos.agents.ticker").joinpath("data", SNAPSHOT_NAME)
    return _decode(resource.read_bytes(), f"package data {SNAPSHOT_NAME}")
