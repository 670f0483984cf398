"""Fixtures shared by the integration tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rexos.chain import AnvilChain
from rexos.config import find_anvil


@pytest.fixture(scope="module")
def anvil() -> Iterator[AnvilChain]:
    """A real anvil node for the module (installed from npm by `make test`), stopped after."""
    if find_anvil() is None:
        pytest.fail("anvil is not installed: `make test` installs it from npm")
    chain = AnvilChain()
    yield chain
    chain.close()
    assert chain._process.poll() is not None, "anvil must be stopped by close()"
