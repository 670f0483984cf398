"""Fixtures for the chain layer: a py-evm JSON-RPC server on loopback and its client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from web3 import HTTPProvider, Web3
from web3.middleware import SignAndSendRawMiddlewareBuilder

from rexos.chain.devaccounts import dev_account
from rexos.chain.evm_server import EvmServer, serve


@pytest.fixture
def server() -> Iterator[EvmServer]:
    """A py-evm JSON-RPC server on a free 127.0.0.1 port, stopped afterwards."""
    with serve() as running:
        yield running


@pytest.fixture
def w3(server: EvmServer) -> Web3:
    """A plain HTTP client of ``server`` that signs as dev account 0."""
    client = Web3(HTTPProvider(server.url, request_kwargs={"timeout": 30}))
    client.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(dev_account(0)), layer=0)
    return client
