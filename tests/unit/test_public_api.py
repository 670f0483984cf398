"""Each package's public surface is its explicit ``__all__``, and every name exists."""

from __future__ import annotations

import importlib

import pytest

PACKAGES = [
    "rexos",
    "rexos.agents.chart",
    "rexos.agents.ticker",
    "rexos.agents.wallet",
    "rexos.chain",
    "rexos.dex",
    "rexos.dprompt",
    "rexos.economy",
    "rexos.errors",
    "rexos.explorer",
    "rexos.llm",
    "rexos.news",
    "rexos.opml",
    "rexos.search",
    "rexos.types",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert exported == sorted(exported, key=str.lower) or len(exported) == len(set(exported))
    for symbol in exported:
        assert hasattr(module, symbol), f"{name}.{symbol} is in __all__ but missing"


def test_every_error_derives_from_rexos_error() -> None:
    errors = importlib.import_module("rexos.errors")
    for symbol in errors.__all__:
        assert issubclass(getattr(errors, symbol), errors.RexosError)
