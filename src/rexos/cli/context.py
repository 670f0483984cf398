"""Per-command context: settings, the chain, the manifest, a wallet's gateway signer.

A user's wallet signs only through :meth:`CliContext.gateway` (the Wallet agent's policy).
:meth:`CliContext.signer` unlocks the key itself, for the few commands that hand it to the
Wallet agent another way (chat, serve, send, the bot) or that run an operator's node with
its own key (``provider run``, ``relayer run``); a test holds that list.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rexos.cli.console import approver
from rexos.config import Settings
from rexos.types import Address, parse_address

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

    from rexos.agents.wallet import GatewaySigner
    from rexos.chain import ChainClient, Manifest
    from rexos.chain.keystore import Keystore
    from rexos.economy.onchain import Economy

__all__ = ["CliContext"]


@dataclass(slots=True)
class CliContext:
    """Lazily opened resources shared by the subcommands of one invocation."""

    settings: Settings = field(default_factory=Settings)
    _chain: ChainClient | None = None
    _manifest: Manifest | None = None
    _peer: tuple[ChainClient, Manifest] | None = None

    def with_overrides(self, home: Path | None, rpc: str | None) -> CliContext:
        settings = self.settings
        if home is not None:
            settings = replace(settings, home=home.expanduser())
        if rpc is not None:
            settings = replace(settings, rpc_url=rpc)
        return CliContext(settings=settings)

    @property
    def keystore(self) -> Keystore:
        from rexos.chain.keystore import Keystore

        return Keystore(self.settings.keystore_dir)

    def chain(self) -> ChainClient:
        from rexos.chain import RpcChain, rpc_url

        if self._chain is None:
            self._chain = RpcChain(rpc_url(self.settings))
        return self._chain

    def manifest(self) -> Manifest:
        from rexos.chain import load_manifest

        if self._manifest is None:
            chain_id = int(self.chain().web3.eth.chain_id)
            self._manifest = load_manifest(self.settings.deployments_dir, chain_id)
        return self._manifest

    def peer(self) -> tuple[ChainClient, Manifest]:
        """The devnet's second chain (``devnet-b``) and its deployment."""
        from rexos.chain import RpcChain, load_manifest
        from rexos.chain.devnet import peer_rpc_url

        if self._peer is None:
            chain = RpcChain(peer_rpc_url(self.settings))
            manifest = load_manifest(self.settings.deployments_dir, int(chain.web3.eth.chain_id))
            self._peer = (chain, manifest)
        return self._peer

    def economy(self) -> Economy:
        """The economy contracts of the selected chain's deployment."""
        from rexos.economy.onchain import Economy

        return Economy(self.chain().web3, self.manifest())

    def address_of(self, who: str) -> Address:
        """An address given directly (``0x…``) or by keystore wallet name."""
        return parse_address(who) if who.startswith("0x") else self.keystore.get(who).address

    def gateway(
        self,
        wallet: str,
        passphrase_file: Path | None,
        passphrase_env: str | None,
        yes: bool,
        *,
        peer: bool = False,
    ) -> GatewaySigner:
        """A sender for the unlocked ``wallet`` through the Wallet agent's gateway.

        Every transaction is read from its bytes, simulated, valued and checked against the
        policy; one the policy wants confirmed is shown with its fingerprint and needs a yes
        (``yes``: given on the command line). ``peer``: sign on ``devnet-b`` instead.
        """
        from rexos.agents.wallet import GatewaySigner, open_agent

        account = self.signer(wallet, passphrase_file, passphrase_env)
        home = self.settings.home
        if peer:
            chain, manifest = self.peer()
            agent = open_agent(
                chain.web3, manifest, account, home, home_chain=(self.chain().web3, self.manifest())
            )
        else:
            agent = open_agent(self.chain().web3, self.manifest(), account, home)
        return GatewaySigner(agent, approver(yes))

    def signer(
        self, wallet: str, passphrase_file: Path | None, passphrase_env: str | None
    ) -> LocalAccount:
        """Unlock ``wallet`` with the passphrase from a file, an env var or a prompt."""
        from rexos.chain.keystore import PassphraseSource

        info = self.keystore.get(wallet)
        source = PassphraseSource(
            file=passphrase_file, env=passphrase_env or self.settings.passphrase_env
        )
        return self.keystore.unlock(info.name, source.get(f"passphrase for wallet '{info.name}'"))
