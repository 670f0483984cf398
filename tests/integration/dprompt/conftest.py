"""Fixtures: one DPrompt deployment per test module, reverted after every test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.dprompt.harness import DPrompt


@pytest.fixture(scope="module")
def deployment() -> DPrompt:
    """Genesis, the registries, the book and six staked providers on a fresh embedded chain."""
    return DPrompt.create()


@pytest.fixture
def dp(deployment: DPrompt) -> Iterator[DPrompt]:
    """The module's deployment, put back to its state before the test afterwards."""
    with deployment.rollback():
        yield deployment


@pytest.fixture
def net(network: Any) -> Iterator[Any]:
    """The module's ``network`` fixture (a deployed chain), rolled back after each test."""
    snapshot = network.chain.snapshot()
    try:
        yield network
    finally:
        network.chain.revert(snapshot)
