"""Every tool call passes the compliance gate (:meth:`rexos.agents.tool.Tool.call`), whoever
calls it: a tool of a service the user's jurisdiction bars is refused before it runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from rexos.compliance import declare
from rexos.compliance import load_policy as load_compliance
from rexos.config import Settings
from rexos.errors import ComplianceRefused
from rexos.plugins import discover


@dataclass
class NoChain:
    """A context whose chain must not be touched: the gate decides first."""

    settings: Settings

    def chain(self) -> object:
        raise AssertionError("a refused tool must not read the chain")

    def manifest(self) -> object:
        raise AssertionError("a refused tool must not read the deployment")


def _tool(name: str):  # type: ignore[no-untyped-def]
    return next(t for p in discover().values() for t in p.tools if t.name == name)


def test_a_barred_tool_is_refused_before_it_runs_and_an_allowed_one_is_not(
    tmp_path: Path,
) -> None:
    declare(load_compliance(tmp_path), tmp_path, "CN")
    context = NoChain(Settings(home=tmp_path))
    with pytest.raises(ComplianceRefused, match=r"jurisdiction\.CN"):
        _tool("dex.quote").call(context, {"sell": "WETH", "buy": "USDC", "amount": "1"})
    with pytest.raises(AssertionError, match="must not read"):  # allowed: it runs (and reads)
        _tool("chain.balance").call(context, {"address": "0x" + "11" * 20})
