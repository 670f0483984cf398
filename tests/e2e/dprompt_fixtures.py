"""A py-evm devnet with the economy and DPrompt deployed, and the CLI commands reachable.

Import ``devnet`` into a test module to override the economy-only fixture of
``conftest.py``: its ``net`` and ``cli`` fixtures then run against this one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from eth_account.signers.local import LocalAccount

from rexos.chain import Transactor, save_manifest
from rexos.chain.keystore import Keystore
from rexos.chain.manifest import Manifest
from rexos.cli import ask, dprompt, provider
from rexos.cli.main import app
from rexos.dprompt import Client, ProviderClient
from rexos.economy.onchain import Economy
from rexos.types import Address
from tests.devchain import served_dev_chain
from tests.e2e.conftest import PASSPHRASE, Devnet

MODEL = "gemma-3-270m"


@dataclass
class DPromptNet(Devnet):
    manifest: Manifest
    bob: Address
    bob_account: LocalAccount

    def client(self) -> Client:
        return Client(self.chain.web3, self.manifest)

    def providers(self) -> ProviderClient:
        return ProviderClient(self.chain.web3, self.manifest)

    def bob_tx(self) -> Transactor:
        return Transactor(self.chain.web3, self.bob_account)


def ensure_registered() -> None:
    """Add the DPrompt commands to ``rexos`` unless ``main.py`` already does (idempotent)."""
    groups = {info.name for info in app.registered_groups}
    for name, sub in (("dprompt", dprompt.app), ("provider", provider.app)):
        if name not in groups:
            app.add_typer(sub, name=name)
    if ask.ask not in {info.callback for info in app.registered_commands}:
        ask.register(app)


@pytest.fixture(scope="module")
def devnet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DPromptNet]:
    ensure_registered()
    home = tmp_path_factory.mktemp("rexos-home")
    keystore = Keystore(home / "keystore", kdf="pbkdf2", work_factor=2)
    alice = keystore.create("alice", PASSPHRASE).address
    bob = keystore.create("bob", PASSPHRASE).address
    with served_dev_chain([alice, bob]) as (server, chain, manifest):
        # with the DEX: the Wallet agent values REX from its pools, and refuses what it can't
        save_manifest(home / "deployments", manifest)
        yield DPromptNet(
            url=server.url,
            home=home,
            chain=chain,
            economy=Economy(chain.web3, manifest),
            alice=alice,
            manifest=manifest,
            bob=bob,
            bob_account=keystore.unlock("bob", PASSPHRASE),
        )
