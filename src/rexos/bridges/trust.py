"""Which trust class a bridge belongs to, by the name providers report.

The table is deliberately small and conservative: a name not listed is
``"unknown"`` and ranks with the highest default penalty.
"""

from __future__ import annotations

from rexos.bridges.schema import Trust

__all__ = ["trust_of"]

_TRUST: dict[str, Trust] = {
    # Canonical rollup and chain bridges: security of the chains themselves.
    "arbitrum": "native",
    "arbitrum-bridge": "native",
    "optimism": "native",
    "optimism-bridge": "native",
    "base": "native",
    "base-bridge": "native",
    "polygon": "native",
    "polygon-bridge": "native",
    "zksync": "native",
    "zksync-bridge": "native",
    # Intent/relayer bridges settled through an optimistic oracle.
    "across": "optimistic",
    # Liquidity networks: pools on each side, own messaging or validator set.
    "stargate": "liquidity-network",
    "stargatev2": "liquidity-network",
    "hop": "liquidity-network",
    "cbridge": "liquidity-network",
    "celer": "liquidity-network",
    "hyphen": "liquidity-network",
    "symbiosis": "liquidity-network",
    # Externally verified by a committee or guardian set.
    "multichain": "multisig",
    "wormhole": "multisig",
    "allbridge": "multisig",
    "synapse": "multisig",
}


def trust_of(bridge_name: str) -> Trust:
    """The trust class of a bridge by its provider-reported key, case-insensitively."""
    return _TRUST.get(bridge_name.strip().lower(), "unknown")
