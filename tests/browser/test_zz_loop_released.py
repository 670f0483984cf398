"""After a browser module, the worker's main thread has no running event loop: tests that
follow in the same worker may call ``asyncio.run`` (the provider node does)."""

from __future__ import annotations

import asyncio

import pytest

pytestmark = pytest.mark.xdist_group("browser")


async def _one() -> int:
    return 1


def test_asyncio_runs_after_the_browser_tests() -> None:
    assert asyncio.run(_one()) == 1
