"""What the orchestrator runs against: settings, a chain, a deployment, and one wallet.

The CLI and the API server implement it (they know how to unlock a keystore); tests build
one on a devnet. ``owner`` is the address "my" refers to; ``wallet`` unlocks the signer and
is only called for a step that moves funds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from eth_account.signers.local import LocalAccount

from rexos.agents.tool import ToolContext
from rexos.agents.wallet import WalletAgent, open_agent
from rexos.chain.client import ChainClient
from rexos.chain.ens import is_ens_name, resolve
from rexos.chain.manifest import Manifest
from rexos.config import Settings
from rexos.errors import UsageError
from rexos.types import Address, parse_address

__all__ = ["LocalWorkspace", "Workspace"]


class Workspace(ToolContext, Protocol):
    def owner(self) -> Address:
        """The address "my" means (the selected wallet's)."""
        ...

    def wallet(self) -> WalletAgent:
        """The Wallet agent of the selected wallet (may ask for its passphrase)."""
        ...

    def resolve_recipient(self, name: str) -> Address:
        """A recipient the user named: an address, or a wallet of the keystore by name."""
        ...

    def output_dir(self) -> Path:
        """Where steps write files (charts)."""
        ...

    def peer(self) -> tuple[ChainClient, Manifest]:
        """The devnet's second chain and its deployment, for bridge steps (raises a
        :class:`UsageError` saying so where there is none)."""
        ...

    def wallet_names(self) -> dict[str, str]:
        """The keystore's wallets by name (``{"alice": "0x…"}``), for questions that name
        them ("how many swaps did bob make")."""
        ...


class LocalWorkspace:
    """A :class:`Workspace` over one data directory, chain and deployment.

    ``unlock`` returns the signer (prompting for a passphrase if it must) and is called at
    most once, when the first funds-moving step runs; ``names`` resolves a keystore wallet
    name to its address and ``directory`` lists them all; ``peer`` opens the devnet's
    second chain (bridge steps), where there is one.
    """

    def __init__(
        self,
        settings: Settings,
        chain: ChainClient,
        manifest: Manifest,
        owner: Address,
        unlock: Callable[[], LocalAccount],
        names: Callable[[str], Address] | None = None,
        directory: Callable[[], Mapping[str, Address]] | None = None,
        peer: Callable[[], tuple[ChainClient, Manifest]] | None = None,
    ) -> None:
        self._settings = settings
        self._chain = chain
        self._manifest = manifest
        self._owner = owner
        self._unlock = unlock
        self._names = names
        self._directory = directory
        self._peer = peer
        self._agent: WalletAgent | None = None

    @property
    def settings(self) -> Settings:
        return self._settings

    def chain(self) -> ChainClient:
        return self._chain

    def manifest(self) -> Manifest:
        return self._manifest

    def owner(self) -> Address:
        return self._owner

    def wallet(self) -> WalletAgent:
        if self._agent is None:
            account = self._unlock()
            if account.address.lower() != self._owner.lower():
                raise UsageError("the unlocked key is not the selected wallet's")
            self._agent = open_agent(self._chain.web3, self._manifest, account, self._settings.home)
        return self._agent

    def resolve_recipient(self, name: str) -> Address:
        text = name.strip()
        if text.lower().startswith("0x"):
            return parse_address(text)
        if is_ens_name(text.lower()):
            return self._ens(text.lower())
        if self._names is None:
            raise UsageError(f"unknown recipient {text!r}: give an address")
        return self._names(text)

    def _ens(self, name: str) -> Address:
        registry = self._manifest.contracts.get("ENSRegistry")
        if registry is None:
            raise UsageError(
                f"this chain has no ENS registry to resolve {name}: give the 0x address"
            )
        found = resolve(self._chain.web3, registry, name)
        if found is None:
            raise UsageError(f"{name} has no address on this chain's ENS: give the 0x address")
        return found

    def peer(self) -> tuple[ChainClient, Manifest]:
        if self._peer is None:
            raise UsageError("this session has no second chain: `rexos devnet up` starts devnet-b")
        return self._peer()

    def wallet_names(self) -> dict[str, str]:
        if self._directory is None:
            return {}
        return {name: str(address) for name, address in self._directory().items()}

    def output_dir(self) -> Path:
        path = self._settings.home / "charts"
        path.mkdir(parents=True, exist_ok=True)
        return path
