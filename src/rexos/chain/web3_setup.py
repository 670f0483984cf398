"""How RexOS sets up a ``Web3`` object, whichever chain it talks to (kept apart from the
embedded chain so that talking to an RPC node never imports py-evm)."""

from __future__ import annotations

from web3 import Web3

__all__ = ["without_validation"]


def without_validation(web3: Web3) -> Web3:
    """``web3`` without its validation middleware, which before every ``eth_call`` and gas
    estimate checks a ``chainId`` field our calls never carry (transactions are signed here
    with the node's own chain id and sent raw): a quarter of a simple call's time, for
    nothing."""
    web3.middleware_onion.remove("validation")
    return web3
