"""Where discovery looks: one :class:`ChainSource` per chain, and those of a workspace.

A source is a chain's RPC, its deployment (if any), extra token addresses (a token list),
its DuckDB index (if any) and the Multicall3-compatible contract reads are batched through.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from web3 import Web3

from rexos.chain.client import ChainClient
from rexos.chain.manifest import Manifest
from rexos.chainindex.store import index_path
from rexos.config import Settings
from rexos.dex.multicall import MULTICALL3_ADDRESS
from rexos.errors import RexosError, UsageError

__all__ = [
    "DEFAULT_BATCH",
    "DEFAULT_LOG_SPAN",
    "ChainSource",
    "Chains",
    "chain_sources",
    "native_symbol",
]

log = logging.getLogger(__name__)

DEFAULT_BATCH = 500
"""Reads per ``aggregate3`` request."""

DEFAULT_LOG_SPAN = 10_000
"""Blocks per ``eth_getLogs`` request when the wallet's transfer history is scanned."""

_MULTICALL_KEY = "RexMulticall"
_BNB_CHAINS = frozenset({56, 97, 204, 5611})


def native_symbol(chain_id: int) -> str:
    """The native coin's symbol on ``chain_id`` (BNB on BNB Chain and opBNB, else ETH)."""
    return "BNB" if chain_id in _BNB_CHAINS else "ETH"


@dataclass(frozen=True, slots=True)
class ChainSource:
    """One chain to look on.

    ``tokens``: token addresses to check besides the deployment's (a token list);
    ``index``: the chain's DuckDB index file (:func:`rexos.chainindex.store.index_path`);
    ``multicall``: the Multicall3-compatible contract (``None``: the deployment's
    ``RexMulticall``, else Multicall3's usual address; where that holds no code the reads go
    one by one). ``history_from``: the first block whose ``Transfer`` logs are scanned for
    the wallet's history; ``batch`` and ``log_span`` size the requests.
    """

    chain_id: int
    web3: Web3
    manifest: Manifest | None = None
    tokens: tuple[str, ...] = ()
    index: Path | None = None
    multicall: str | None = None
    history_from: int = 0
    batch: int = DEFAULT_BATCH
    log_span: int = DEFAULT_LOG_SPAN

    def __post_init__(self) -> None:
        if self.batch < 1 or self.log_span < 1 or self.history_from < 0:
            raise UsageError(
                f"chain {self.chain_id}: batch and log_span must be at least 1 and "
                f"history_from not negative (got {self.batch}, {self.log_span}, "
                f"{self.history_from})"
            )

    def multicall_address(self) -> str:
        """The contract reads are batched through (see the class docstring)."""
        if self.multicall is not None:
            return Web3.to_checksum_address(self.multicall)
        if self.manifest is not None and _MULTICALL_KEY in self.manifest.contracts:
            return self.manifest.contracts[_MULTICALL_KEY]
        return MULTICALL3_ADDRESS


class Chains(Protocol):
    """What :func:`chain_sources` needs of a workspace
    (:class:`rexos.orchestrator.workspace.Workspace` has it all)."""

    @property
    def settings(self) -> Settings: ...

    def chain(self) -> ChainClient: ...

    def manifest(self) -> Manifest: ...

    def peer(self) -> tuple[ChainClient, Manifest]:
        """The devnet's second chain; a :class:`~rexos.errors.RexosError` where there is none
        or it cannot be reached."""
        ...


def chain_sources(workspace: Chains, tokens: tuple[str, ...] = ()) -> list[ChainSource]:
    """The workspace's chain, and the devnet's second chain where it has one, each with its
    deployment, its index file if one exists, and ``tokens``. No second chain, or one that
    cannot be reached, is no error: it is logged and left out."""
    home = workspace.settings.home
    sources = [_source(workspace.chain().web3, workspace.manifest(), home, tokens)]
    try:
        peer_chain, peer_manifest = workspace.peer()
    except (RexosError, OSError) as exc:
        log.info("no second chain read: %s", exc)
        return sources
    sources.append(_source(peer_chain.web3, peer_manifest, home, tokens))
    return sources


def _source(web3: Web3, manifest: Manifest, home: Path, tokens: tuple[str, ...]) -> ChainSource:
    path = index_path(home, int(manifest.chain_id))
    return ChainSource(
        chain_id=int(manifest.chain_id),
        web3=web3,
        manifest=manifest,
        tokens=tokens,
        index=path if path.is_file() else None,
    )
