"""``rexos devnet up | down | status | fund`` — a local chain that outlives one command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from rexos.chain import RpcChain, dev_account, devnet_down, devnet_status, devnet_up
from rexos.chain.devaccounts import dev_relayer
from rexos.chain.devnet import devnet_add_helper
from rexos.chain.manifest import manifest_path, save_manifest
from rexos.chain.tx import Transactor
from rexos.cli.console import out
from rexos.cli.context import CliContext
from rexos.deployment import PEER_GAS_WEI, deploy_all, deploy_bridges
from rexos.dprompt import load_dprompt_params
from rexos.economy.deploy import dev_roles
from rexos.economy.genesis import load_genesis
from rexos.errors import DevnetError
from rexos.types import Address, format_units

__all__ = ["app"]

app = typer.Typer(
    help="Run a local devnet with the RexOS contracts deployed.", no_args_is_help=True
)


@app.command("up")
def up(
    ctx: typer.Context,
    backend: Annotated[
        Literal["auto", "anvil", "pyevm"],
        typer.Option(help="Node to run: anvil when installed (auto), or the py-evm server."),
    ] = "auto",
    port: Annotated[int | None, typer.Option(help="Loopback port (default: a free one).")] = None,
    genesis: Annotated[
        Path | None, typer.Option(help="Genesis TOML file (default: the packaged one).")
    ] = None,
) -> None:
    """Start a devnet, deploy the economy, fund the demo users and every keystore wallet."""
    c: CliContext = ctx.obj
    params = load_genesis(genesis)
    dprompt = load_dprompt_params(genesis)
    state, started = devnet_up(c.settings, backend, port)
    if not started:
        out.print(f"A {state.backend} devnet is already running at {state.url} (pid {state.pid}).")
        return
    try:
        chain = RpcChain(state.url)
        peer = RpcChain(state.peer_url) if state.peer_url else None
        users = [Address(dev_account(i).address) for i in range(1, params.demo.users + 1)]
        wallets = [w.address for w in c.keystore.list()]
        with out.status("Running genesis...") as status:
            manifest = deploy_all(
                chain,
                params,
                dprompt,
                dev_account(0),
                dev_roles(),
                funded=[*users, *wallets],
                progress=lambda step: status.update(f"Genesis: {step}"),
            )
            if peer is not None:
                manifest, peer_manifest = deploy_bridges(
                    chain,
                    manifest,
                    peer,
                    dev_account(0),
                    Address(dev_relayer().address),
                    funded=[*users, *wallets],
                    progress=lambda step: status.update(f"Bridge: {step}"),
                )
                save_manifest(c.settings.deployments_dir, peer_manifest)
        path = save_manifest(c.settings.deployments_dir, manifest)
        if peer is not None:
            relayer_pid = _start_relayer(c)
            devnet_add_helper(c.settings, relayer_pid)
    except Exception:
        devnet_down(c.settings)
        raise
    out.print(f"[green]Devnet up[/]: {state.backend} at {state.url} (pid {state.pid}).")
    out.print(
        f"Deployed RexToken {manifest.contracts['RexToken']}, "
        f"StakedRex {manifest.contracts['StakedRex']}."
    )
    out.print(f"Funded {len(users)} demo accounts and {len(wallets)} keystore wallets.")
    if peer is not None:
        out.print(
            f"Second chain devnet-b at {state.peer_url} with RexBridge; relayer running "
            f"(pid {relayer_pid}, log {c.settings.logs_dir / 'relayer.log'})."
        )
    out.print(f"Deployment manifest: {path}", soft_wrap=True)


def _start_relayer(c: CliContext) -> int:
    """``rexos relayer run`` for this data directory, detached, logging to ``relayer.log``."""
    c.settings.logs_dir.mkdir(parents=True, exist_ok=True)
    with (c.settings.logs_dir / "relayer.log").open("ab") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "rexos.cli.main",
                "--home",
                str(c.settings.home),
                "relayer",
                "run",
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return process.pid


@app.command("down")
def down(ctx: typer.Context) -> None:
    """Stop the devnet of this data directory."""
    c: CliContext = ctx.obj
    state = devnet_down(c.settings)
    if state is None:
        out.print("No devnet is running.")
        return
    out.print(f"Stopped the {state.backend} devnet at {state.url} (pid {state.pid}).")


@app.command("status")
def status(ctx: typer.Context) -> None:
    """Show whether a devnet runs, where, and its manifest."""
    c: CliContext = ctx.obj
    state = devnet_status(c.settings)
    if state is None:
        out.print("No devnet is running. Start one: rexos devnet up")
        return
    out.print(f"{state.backend} devnet at {state.url} (pid {state.pid}, log {state.log_file}).")
    chain_id = int(c.chain().web3.eth.chain_id)
    out.print(
        f"Chain id {chain_id}; manifest {manifest_path(c.settings.deployments_dir, chain_id)}"
    )


@app.command("fund")
def fund(
    ctx: typer.Context,
    who: Annotated[str, typer.Argument(help="Wallet name or address to fund.")],
) -> None:
    """Give a wallet the demo ETH and REX from the devnet treasury."""
    c: CliContext = ctx.obj
    if devnet_status(c.settings) is None:
        raise DevnetError("fund works on the local devnet only: run `rexos devnet up` first")
    address = c.address_of(who)
    params = load_genesis(None)
    economy = c.economy()
    treasury = Transactor(economy.web3, dev_account(0))
    treasury.send_value(address, params.demo.eth_per_user_wei, action="fund ETH")
    amount = params.demo.rex_per_user_wei
    treasury.send(economy.rex.functions.transfer(address, amount), action="fund REX")
    state = devnet_status(c.settings)
    if state is not None and state.peer_url is not None:
        peer = Transactor(RpcChain(state.peer_url).web3, dev_account(0))
        peer.send_value(address, PEER_GAS_WEI, action="fund ETH on devnet-b")
        out.print(f"Sent {format_units(PEER_GAS_WEI)} ETH for gas on devnet-b.")
    out.print(
        f"Funded {address} with {format_units(params.demo.eth_per_user_wei)} ETH "
        f"and {format_units(amount)} REX."
    )
