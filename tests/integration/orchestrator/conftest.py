"""A devnet with the full deployment and a workspace for Alice, for plan tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from rexos.chain import AnvilChain, dev_account, load_artifact
from rexos.chain.manifest import Manifest
from rexos.config import Settings
from rexos.deployment import deploy_dev
from rexos.errors import UsageError
from rexos.orchestrator.workspace import LocalWorkspace
from rexos.types import Address

ALICE, BOB = dev_account(1), dev_account(2)


@pytest.fixture(scope="module")
def manifest(anvil: AnvilChain) -> Manifest:
    return deploy_dev(anvil, funded=[Address(ALICE.address)])


def workspace(
    anvil: AnvilChain, manifest: Manifest, home: Path, policy: str = ""
) -> LocalWorkspace:
    home.mkdir(parents=True, exist_ok=True)
    (home / "policy.yaml").write_text(policy)

    def names(name: str) -> Address:
        if name != "bob":
            raise UsageError(f"no wallet named {name!r}")
        return Address(BOB.address)

    return LocalWorkspace(
        Settings(home=home),
        anvil,
        manifest,
        Address(ALICE.address),
        lambda: ALICE,
        names,
        lambda: {"bob": Address(BOB.address)},
    )


def balance(anvil: AnvilChain, manifest: Manifest, contract: str, who: str) -> int:
    name = "StakedRex" if contract == "StakedRex" else "DevToken"
    key = {"StakedRex": "StakedRex", "REX": "RexToken"}.get(contract, f"DevToken:{contract}")
    address = manifest.address(key)
    token = anvil.web3.eth.contract(address=address, abi=load_artifact(name).abi)
    return int(token.functions.balanceOf(who).call())
