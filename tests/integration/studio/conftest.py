"""A fresh dev deployment for each test, Alice's workspace on it, and what to read back."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from rexos.chain import EmbeddedChain, dev_account, load_artifact
from rexos.chain.manifest import Manifest
from rexos.config import Settings
from rexos.errors import UsageError
from rexos.orchestrator.workspace import LocalWorkspace
from rexos.studio import AgentSpec, installed_tools, parse_spec
from rexos.types import Address, parse_address
from tests.devchain import dev_chain
from tests.unit.studio.specs import DCA, DIGEST, doc

ALICE, BOB = dev_account(1), dev_account(2)
STRANGER = parse_address("0x000000000000000000000000000000000000dEaD")


@dataclass
class Net:
    chain: EmbeddedChain
    manifest: Manifest
    home: Path

    def workspace(self, settings: Settings | None = None) -> LocalWorkspace:
        def names(name: str) -> Address:
            if name != "bob":
                raise UsageError(f"no wallet named {name!r}")
            return Address(BOB.address)

        return LocalWorkspace(
            settings or Settings(home=self.home), self.chain, self.manifest,
            Address(ALICE.address), lambda: ALICE, names, lambda: {"bob": Address(BOB.address)},
        )  # fmt: skip

    def balance(self, symbol: str, who: str = ALICE.address) -> int:
        token = self.chain.web3.eth.contract(
            address=self.manifest.address(f"DevToken:{symbol}"), abi=load_artifact("DevToken").abi
        )
        return int(token.functions.balanceOf(who).call())

    def nonce(self) -> int:
        return int(self.chain.web3.eth.get_transaction_count(ALICE.address))

    def state(self) -> tuple[int, int, int, int]:
        """Alice's nonce, USDC, WETH and the stranger's USDC: what a signature would change."""
        return (self.nonce(), self.balance("USDC"), self.balance("WETH"),
                self.balance("USDC", STRANGER))  # fmt: skip


@pytest.fixture
def net(tmp_path: Path) -> Net:
    chain, manifest = dev_chain([Address(ALICE.address)])
    return Net(chain, manifest, tmp_path / "home")


def spec_doc(path: Path = DCA) -> dict[str, Any]:
    return doc(path)


def pin(document: dict[str, Any], *names: str) -> dict[str, Any]:
    """``document`` with the installed tools ``names`` pinned too."""
    installed = installed_tools()
    out = copy.deepcopy(document)
    for name in names:
        t = installed[name]
        out["tools"].append({"name": t.name, "plugin": t.plugin,
                             "plugin_version": t.plugin_version, "hash": t.hash})  # fmt: skip
    return out


def spec(document: dict[str, Any]) -> AgentSpec:
    return parse_spec(document)


__all__ = ["ALICE", "BOB", "DCA", "DIGEST", "STRANGER", "Net", "pin", "spec", "spec_doc"]
