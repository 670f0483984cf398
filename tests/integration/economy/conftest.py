"""Fixtures: one deployed economy per test module, reverted after every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.economy.harness import Deployment


@pytest.fixture(scope="module")
def deployment() -> Deployment:
    """Genesis on a fresh embedded chain: REX, the vesting buckets, sREX, 3 funded users."""
    return Deployment.create()


@pytest.fixture
def economy(deployment: Deployment) -> Iterator[Deployment]:
    """The module's deployment, put back to its state before the test afterwards."""
    with deployment.rollback():
        yield deployment
