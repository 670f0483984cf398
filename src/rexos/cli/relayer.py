"""``rexos relayer run | status``: deliver bridge transfers between the devnet's chains."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from rexos.cli.console import out
from rexos.cli.context import CliContext
from rexos.cli.group import Group
from rexos.cli.options import PassphraseEnv, PassphraseFile

if TYPE_CHECKING:
    from rexos.bridges.relayer import Relayer, RelayerStore

__all__ = ["app", "relayer_for"]

app = typer.Typer(
    cls=Group,
    rich_markup_mode=None,
    help="Relay RexBridge transfers between chains.",
    no_args_is_help=True,
)


def _db(c: CliContext) -> RelayerStore:
    from rexos.bridges.relayer import RelayerStore

    return RelayerStore(c.settings.home / "relayer" / "relayer.sqlite")


def relayer_for(
    c: CliContext,
    wallet: str | None,
    passphrase_file: PassphraseFile,
    passphrase_env: PassphraseEnv,
    confirmations: int,
) -> Relayer:
    """A relayer over the devnet's two chains, signing with ``wallet`` or the dev relayer key."""
    from rexos.bridges.lockmint import RexBridge
    from rexos.bridges.relayer import Relayer
    from rexos.chain.devaccounts import dev_relayer

    home_chain, home_manifest = c.chain(), c.manifest()
    peer_chain, peer_manifest = c.peer()
    signer = dev_relayer() if wallet is None else c.signer(wallet, passphrase_file, passphrase_env)
    bridges = [
        RexBridge(home_chain.web3, home_manifest.address("RexBridge")),
        RexBridge(peer_chain.web3, peer_manifest.address("RexBridge")),
    ]
    return Relayer(bridges, [signer], signer, _db(c), confirmations=confirmations)


@app.command("run")
def run(
    ctx: typer.Context,
    wallet: Annotated[
        str | None,
        typer.Option(
            "--wallet", "-w", help="Keystore wallet that signs and pays (default: devnet key)."
        ),
    ] = None,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
    confirmations: Annotated[
        int, typer.Option(min=0, help="Blocks to wait before relaying a transfer.")
    ] = 0,
    poll: Annotated[float, typer.Option(min=0.05, help="Seconds between passes.")] = 0.5,
) -> None:
    """Watch both chains' bridges and deliver every transfer (Ctrl-C stops)."""
    from rexos.bridges.relayer import Delivery

    c: CliContext = ctx.obj
    relayer = relayer_for(c, wallet, passphrase_file, passphrase_env, confirmations)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    chains = ", ".join(str(cid) for cid in relayer.bridges)
    out.print(f"Relaying between chains {chains}. Ctrl-C stops.")

    def _show(d: Delivery) -> None:
        t = d.transfer
        out.print(f"delivered {t.src_chain_id}/{t.nonce} → chain {t.dst_chain_id} ({d.tx_hash})")

    relayer.run(stop, poll, on_delivery=_show)
    relayer.store.close()
    out.print("Stopped.")


@app.command("status")
def status(ctx: typer.Context) -> None:
    """How many transfers this data directory's relayer has seen and delivered."""
    c: CliContext = ctx.obj
    store = _db(c)
    counts = store.counts()
    store.close()
    out.print(f"delivered {counts.get('delivered', 0)}, pending {counts.get('pending', 0)}")
