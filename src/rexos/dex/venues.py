"""DEX venues a chain's pools are discovered from: the checked-in registry and the devnet's.

A :class:`Venue` is one factory (Uniswap V2 or V3 interface, PancakeSwap's forks included)
or a list of StableSwap pools. :func:`registry_venues` reads ``venues.toml`` (shipped in the
package: the real factory addresses on Ethereum, BNB Chain and opBNB, each with where it
came from); :func:`manifest_venues` lists a deployment's own (the devnet's RexV2 factories,
its Uniswap V3 factory and its StableSwap pools). :func:`multicall_address` says which
Multicall3-compatible contract to batch reads through.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from eth_abi.abi import encode
from eth_utils.crypto import keccak
from web3 import Web3

from rexos._toml import Table, TomlReader, parse_toml
from rexos.chain.artifacts import load_artifact
from rexos.chain.manifest import Manifest
from rexos.dex.multicall import MULTICALL3_ADDRESS
from rexos.errors import ConfigError, DexError

__all__ = [
    "V2_FACTORY_PREFIX",
    "V3_FACTORY_PREFIX",
    "ChainVenues",
    "Venue",
    "VenueKind",
    "manifest_venues",
    "multicall_address",
    "registry_venues",
]

VenueKind = Literal["v2", "v3", "stable"]

V2_FACTORY_PREFIX = "RexV2Factory:"
"""Manifest key prefix of the devnet's V2 factories (``RexV2Factory:<venue>``)."""
V3_FACTORY_PREFIX = "UniswapV3Factory:"
"""Manifest key prefix of the devnet's Uniswap V3 factories."""
_STABLE_PREFIX = "StableSwapPool:"
_MULTICALL_KEY = "RexMulticall"
_KINDS: tuple[VenueKind, ...] = ("v2", "v3", "stable")


@dataclass(frozen=True, slots=True)
class Venue:
    """One venue: a factory (``v2``/``v3``) or a list of StableSwap pools (``stable``).

    ``fee_bps``: a V2 fork's swap fee (Uniswap 30, PancakeSwap 25); ``None`` reads each
    pair's own ``feeBps()`` (RexV2Pair). ``start_block``: where a V3 factory's
    ``PoolCreated`` logs are read from (its deployment block; ``None``: no logs are read, the
    venue's ``pools`` are all it has). ``pools``: a stable venue's pools, or V3 pools known
    without logs. ``init_code_hash``: the pair/pool creation code hash the factory's CREATE2
    addresses use (provenance; discovery reads addresses).
    """

    name: str
    kind: VenueKind
    factory: str | None = None
    fee_bps: int | None = None
    start_block: int | None = 0
    pools: tuple[str, ...] = ()
    init_code_hash: str | None = None
    source: str = ""

    def __post_init__(self) -> None:
        if self.kind == "v2" and self.pools:
            raise ConfigError(f"venue {self.name}: a V2 venue's pairs come from its factory")
        if self.kind == "stable" and (self.factory is not None or not self.pools):
            raise ConfigError(f"venue {self.name}: a stable venue lists pools, not a factory")
        if self.kind != "stable" and self.factory is None:
            raise ConfigError(f"venue {self.name}: a {self.kind} venue needs its factory")


@dataclass(frozen=True, slots=True)
class ChainVenues:
    """A chain's venues and its Multicall3 address, as the registry lists them."""

    chain_id: int
    name: str
    multicall: str
    venues: tuple[Venue, ...]


def _checksum(reader: TomlReader, table: Table, key: str) -> str:
    text = reader.string(table, key)
    try:
        address = Web3.to_checksum_address(text)
    except ValueError:
        reader.fail(key, f"not an address: {text!r}")
    if text != address and text.lower() != text:
        reader.fail(key, f"checksum does not match: {text} (expected {address})")
    return address


def _venue(reader: TomlReader, table: Table, where: str) -> Venue:
    reader.keys(
        table,
        where,
        {"name", "kind", "factory", "fee_bps", "start_block", "init_code_hash", "source"},
    )
    kind = reader.choice(table, f"{where}.kind", _KINDS)
    return Venue(
        name=reader.string(table, f"{where}.name"),
        kind=kind,
        factory=_checksum(reader, table, f"{where}.factory"),
        fee_bps=reader.integer(table, f"{where}.fee_bps", 0, 9999) if "fee_bps" in table else None,
        start_block=reader.integer(table, f"{where}.start_block", 0)
        if "start_block" in table
        else 0,
        init_code_hash=reader.string(table, f"{where}.init_code_hash")
        if "init_code_hash" in table
        else None,
        source=reader.string(table, f"{where}.source"),
    )


def registry_venues(chain_id: int, path: Path | None = None) -> ChainVenues:
    """The registry's venues on ``chain_id`` (``path``: another registry file in the same
    layout); ``DexError`` naming the chains it knows when it has none for that chain."""
    if path is None:
        text = resources.files("rexos.dex").joinpath("venues.toml").read_text("utf-8")
        source = "default"
    else:
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise ConfigError(f"venue registry {path}: cannot read: {exc.strerror}") from exc
        source = str(path)
    reader = TomlReader(source, "venue registry")
    data = parse_toml(text, source, "venue registry")
    chains = reader.table(data, "chains")
    key = str(chain_id)
    if key not in chains:
        raise DexError(f"the venue registry knows no venues on chain {chain_id} "
                       f"(known: {', '.join(sorted(chains, key=int))})")  # fmt: skip
    chain = reader.table(chains, f"chains.{key}")
    where = f"chains.{key}"
    reader.keys(chain, where, {"name", "multicall3", "multicall3_source", "venues"})
    venues = tuple(
        _venue(reader, t, f"{where}.venues[{n}]")
        for n, t in enumerate(reader.tables(chain, f"{where}.venues"))
    )
    return ChainVenues(
        chain_id,
        reader.string(chain, f"{where}.name"),
        _checksum(reader, chain, f"{where}.multicall3"),
        venues,
    )


def manifest_venues(manifest: Manifest) -> tuple[Venue, ...]:
    """A deployment's venues: each ``RexV2Factory:<venue>`` (fees read per pair), each
    ``UniswapV3Factory:<venue>`` and each ``StableSwapPool:<venue>``; ``DexError`` if none.

    A V3 venue's pools are those ``genesis["dex"]["venues"][<venue>]["pools"]`` names
    (``[symbol, symbol, fee]``, addresses computed): no logs are scanned (an embedded py-evm
    chain answers ``eth_getLogs`` over its whole history slowly); pools created later reach
    a running :class:`~rexos.dex.onchain.PoolWatcher` through its ``PoolCreated`` logs.
    """
    found: list[Venue] = []
    facts = manifest.genesis.get("dex", {}).get("venues", {})
    for key, address in manifest.contracts.items():
        name = key.partition(":")[2]
        if key.startswith(V2_FACTORY_PREFIX):
            found.append(Venue(name, "v2", factory=address))
        elif key.startswith(V3_FACTORY_PREFIX):
            listed = facts.get(name, {}).get("pools", [])
            pools = tuple(_v3_pool(manifest, address, a, b, int(fee)) for a, b, fee in listed)
            found.append(Venue(name, "v3", factory=address, start_block=None, pools=pools))
        elif key.startswith(_STABLE_PREFIX):
            found.append(Venue(name, "stable", pools=(address,)))
    if not found:
        raise DexError(f"the deployment on chain {manifest.chain_id} has no DEX venues")
    return tuple(found)


def _token(manifest: Manifest, symbol: str) -> str:
    return manifest.address("RexToken" if symbol == "REX" else f"DevToken:{symbol}")


def _v3_pool(manifest: Manifest, factory: str, a: str, b: str, fee: int) -> str:
    """The address of the V3 pool ``factory`` created for two of the deployment's tokens."""
    low, high = sorted((_token(manifest, a), _token(manifest, b)), key=lambda t: int(t, 16))
    salt = keccak(encode(["address", "address", "uint24"], [low, high, fee]))
    init_hash = keccak(hexstr=load_artifact("UniswapV3Pool").bytecode)
    raw = keccak(b"\xff" + bytes.fromhex(factory[2:]) + salt + init_hash)[12:]
    return Web3.to_checksum_address(raw)


def multicall_address(manifest: Manifest | None) -> str:
    """The deployment's ``RexMulticall`` if it has one, else Multicall3's usual address."""
    if manifest is not None and _MULTICALL_KEY in manifest.contracts:
        return manifest.contracts[_MULTICALL_KEY]
    return MULTICALL3_ADDRESS
