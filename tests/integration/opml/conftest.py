"""Fixtures: one opML deployment per test module, reverted after every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.opml.harness import Opml


@pytest.fixture(scope="module")
def deployment() -> Opml:
    """DPrompt, the MLP program registered as an OPML model, its provider."""
    return Opml.create()


@pytest.fixture
def op(deployment: Opml) -> Iterator[Opml]:
    """The module's deployment, put back to its state before the test afterwards."""
    with deployment.dp.rollback():
        yield deployment
