"""Fixtures: one market deployment per test module, reverted after every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.market.harness import Market


@pytest.fixture(scope="module")
def deployment() -> Market:
    """Genesis and the market on a fresh embedded chain: one listing, two funded buyers."""
    return Market.create()


@pytest.fixture
def mk(deployment: Market) -> Iterator[Market]:
    """The module's deployment, put back to its state before the test afterwards."""
    with deployment.rollback():
        yield deployment
