"""``rexos devnet up | down | status | fund`` — a local chain that outlives one command.

``devnet up`` also starts the devnet's helpers, each stopped by ``devnet down``: the
bridge relayer between the two chains, and a DPrompt provider node (a dev key
registered at genesis) that answers ``rexos ask`` for the default model, with the
local Gemma model when the ``llm`` extra is installed and a scripted stand-in
otherwise (``devnet status`` says which).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from rexos.cli.console import out
from rexos.cli.group import Group

if TYPE_CHECKING:
    from rexos.chain.devnet import ProviderNodeState
    from rexos.cli.context import CliContext
    from rexos.config import Settings
    from rexos.llm import Model

__all__ = ["app"]

app = typer.Typer(
    cls=Group,
    rich_markup_mode=None,
    help="Run a local devnet with the RexOS contracts deployed.",
    no_args_is_help=True,
)

NODE_START_TIMEOUT_S = 300.0
"""How long ``devnet up`` waits for its provider node to load its model."""

SCRIPTED_ANSWER = " (scripted devnet answer: install the llm extra for the local Gemma model)"
"""What the devnet's provider answers to every prompt when the ``llm`` extra is missing."""


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
    provider: Annotated[
        Literal["local", "scripted", "none"],
        typer.Option(
            help="How the devnet's DPrompt provider answers: the local Gemma model (scripted "
            "when the llm extra is missing), always scripted (fast, no model), or no node."
        ),
    ] = "local",
) -> None:
    """Start a devnet, deploy the economy, fund the demo users and every keystore wallet,
    bridge to a second chain, and run a DPrompt provider node for the default model."""
    from rexos.chain import RpcChain, dev_account, devnet_down, devnet_up
    from rexos.chain.devaccounts import dev_relayer
    from rexos.chain.devnet import devnet_add_helper
    from rexos.chain.manifest import save_manifest
    from rexos.deployment import deploy_all, deploy_bridges, dev_provider, register_dev_provider
    from rexos.dprompt import load_dprompt_params
    from rexos.economy.deploy import dev_roles
    from rexos.economy.genesis import load_genesis
    from rexos.llm import DEFAULT_MODEL_ID
    from rexos.types import Address

    c: CliContext = ctx.obj
    params = load_genesis(genesis)
    dprompt = load_dprompt_params(genesis)
    registered = any(m.model_id == DEFAULT_MODEL_ID for m in dprompt.models)
    serves_default = registered and provider != "none"
    state, started = devnet_up(c.settings, backend, port)
    if not started:
        out.print(f"A {state.backend} devnet is already running at {state.url} (pid {state.pid}).")
        return
    node: ProviderNodeState | None = None
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
            if serves_default:
                status.update("Genesis: the devnet's DPrompt provider")
                register_dev_provider(
                    chain,
                    manifest,
                    dev_account(0),
                    dev_provider(),
                    DEFAULT_MODEL_ID,
                    dprompt.min_stake,
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
            relayer_pid = _spawn(c, "relayer.log", "relayer", "run").pid
            devnet_add_helper(c.settings, relayer_pid)
        if serves_default:
            with out.status("Starting the DPrompt provider node (loading its model)..."):
                node = _start_provider(c, state.url, scripted=provider == "scripted")
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
    if node is not None:
        out.print(
            f"DPrompt provider node {node.address} serves {node.model_id} with {node.model} "
            f"(pid {node.pid}, log {c.settings.logs_dir / 'provider.log'}): "
            f'try `rexos ask "What is the capital of Italy?" -w WALLET`.',
            markup=False,
            soft_wrap=True,
        )
    elif not registered:
        out.print(f"No provider node: this genesis does not register {DEFAULT_MODEL_ID}.")
    out.print(f"Deployment manifest: {path}", soft_wrap=True)


def _spawn(c: CliContext, log_name: str, *args: str) -> subprocess.Popen[bytes]:
    """``rexos --home HOME ARGS...`` for this data directory, detached, logging to
    ``logs/LOG_NAME`` (owner-only)."""
    from rexos.chain.devnet import open_log
    from rexos.private_files import ensure_private_dir

    logs = ensure_private_dir(c.settings.logs_dir)
    command = [sys.executable, "-m", "rexos.cli.main", "--home", str(c.settings.home), *args]
    with open_log(logs / log_name) as log:
        return subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _start_provider(c: CliContext, url: str, *, scripted: bool) -> ProviderNodeState:
    """Start ``rexos devnet node`` and wait until it has loaded its model and recorded itself
    in ``devnet.json``."""
    from rexos.chain.devnet import devnet_status
    from rexos.errors import DevnetError

    extra = ["--scripted"] if scripted else []
    process = _spawn(c, "provider.log", "--rpc", url, "devnet", "node", *extra)
    log = c.settings.logs_dir / "provider.log"
    deadline = time.monotonic() + NODE_START_TIMEOUT_S
    while True:
        state = devnet_status(c.settings)
        node = state.provider if state is not None else None
        if node is not None and node.pid == process.pid:
            return node
        if process.poll() is not None:
            raise DevnetError(f"the DPrompt provider node stopped while starting: see {log}")
        if time.monotonic() > deadline:
            process.kill()
            raise DevnetError(
                f"the DPrompt provider node did not start within {NODE_START_TIMEOUT_S:g} s: "
                f"see {log}"
            )
        time.sleep(0.2)


def _devnet_model(settings: Settings, scripted: bool) -> tuple[Model, str]:
    """The local Gemma model, or the scripted stand-in (asked for, or the ``llm`` extra is
    missing) and how it was chosen."""
    from rexos.errors import DependencyMissing
    from rexos.llm import DEFAULT_MODEL_ID, ScriptedModel, load_model

    stand_in = ScriptedModel(default=SCRIPTED_ANSWER, model_id=DEFAULT_MODEL_ID)
    if scripted:
        return stand_in, "the scripted model (--provider scripted)"
    try:
        return load_model(DEFAULT_MODEL_ID, settings), "the local Gemma 3 270M model (llama.cpp)"
    except DependencyMissing:
        return stand_in, "the scripted model (install the llm extra for the local Gemma model)"


@app.command("node", hidden=True)
def node(
    ctx: typer.Context,
    scripted: Annotated[bool, typer.Option(help="Answer with the scripted model.")] = False,
) -> None:
    """Serve DPrompt as the devnet's provider until SIGTERM (``devnet up`` starts it,
    ``devnet down`` stops it)."""
    from rexos.chain.devnet import ProviderNodeState, devnet_set_provider
    from rexos.cli.provider_run import provider_node, serve
    from rexos.deployment import dev_provider
    from rexos.llm import DEFAULT_MODEL_ID

    c: CliContext = ctx.obj
    served, label = _devnet_model(c.settings, scripted)
    account = dev_provider()
    provider, db = provider_node(c, account, served, DEFAULT_MODEL_ID)
    record = ProviderNodeState(os.getpid(), account.address, DEFAULT_MODEL_ID, label)
    devnet_set_provider(c.settings, record)
    out.print(
        f"Devnet provider {account.address} serving {DEFAULT_MODEL_ID} with {label}; "
        f"progress in {db}.",
        markup=False,
    )
    serve(provider)
    out.print("Stopped.")


@app.command("down")
def down(ctx: typer.Context) -> None:
    """Stop the devnet of this data directory, its second chain and its helpers."""
    from rexos.chain import devnet_down

    c: CliContext = ctx.obj
    state = devnet_down(c.settings)
    if state is None:
        out.print("No devnet is running.")
        return
    out.print(f"Stopped the {state.backend} devnet at {state.url} (pid {state.pid}).")
    if state.provider is not None:
        out.print(f"Stopped the DPrompt provider node (pid {state.provider.pid}).")


@app.command("status")
def status(ctx: typer.Context) -> None:
    """Show whether a devnet runs, where, its manifest and its provider node."""
    from rexos.chain import devnet_status
    from rexos.chain.manifest import manifest_path

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
    if state.peer_url is not None:
        out.print(f"Second chain devnet-b at {state.peer_url} (pid {state.peer_pid}).")
    node = state.provider
    if node is None:
        out.print("No DPrompt provider node.")
        return
    alive = "alive" if node.alive else "not running"
    out.print(
        f"DPrompt provider node: pid {node.pid}, {alive}; address {node.address}; "
        f"model {node.model_id}, answered by {node.model}.",
        markup=False,
        soft_wrap=True,
    )


@app.command("fund")
def fund(
    ctx: typer.Context,
    who: Annotated[str, typer.Argument(help="Wallet name or address to fund.")],
) -> None:
    """Give a wallet the demo ETH and REX from the devnet treasury."""
    from rexos.chain import RpcChain, dev_account, devnet_status
    from rexos.chain.tx import Transactor
    from rexos.deployment import PEER_GAS_WEI
    from rexos.economy.genesis import load_genesis
    from rexos.errors import DevnetError
    from rexos.types import format_units

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
