"""The ``ChainClient`` protocol and its three backends.

* ``embedded`` — in-process py-evm (default; nothing to install or start);
* ``anvil``    — an anvil subprocess on loopback, ``--hardfork prague``;
* an ``http(s)://`` JSON-RPC URL — any EVM node.

Dev backends (embedded, anvil, the py-evm devnet server) also satisfy
:class:`DevChain`: time travel and snapshot/revert.
"""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable

from web3 import Web3

__all__ = ["ChainClient", "ChainKind", "DevChain"]

ChainKind = Literal["embedded", "anvil", "rpc"]


@runtime_checkable
class ChainClient(Protocol):
    """A connection to one EVM chain."""

    kind: ChainKind

    @property
    def web3(self) -> Web3:
        """The web3 instance every contract call goes through."""
        ...

    def close(self) -> None:
        """Release the connection (and stop a node this client started)."""
        ...


@runtime_checkable
class DevChain(ChainClient, Protocol):
    """A development chain whose clock and state can be moved."""

    def time_travel(self, seconds: int) -> int:
        """Mine a block ``seconds`` later than the latest one; return its timestamp."""
        ...

    def snapshot(self) -> str:
        """Record the current state; return an id for :meth:`revert`."""
        ...

    def revert(self, snapshot_id: str) -> None:
        """Return to a state recorded by :meth:`snapshot`."""
        ...
