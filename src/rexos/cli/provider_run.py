"""``rexos provider run``: serve DPrompt requests with a local model until Ctrl-C.

:func:`provider_node` and :func:`serve` are shared with the devnet's own provider node
(``rexos devnet up``)."""

from __future__ import annotations

import logging
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rexos.cli.console import out
from rexos.cli.context import CliContext
from rexos.cli.options import PassphraseEnv, PassphraseFile, WalletOpt

if TYPE_CHECKING:
    from collections.abc import Sequence

    from eth_account.signers.local import LocalAccount

    from rexos.dprompt.node import ProviderNode
    from rexos.llm import Model
    from rexos.llm.model import ChatMessage, Completion
    from rexos.llm.params import DecodingParams

__all__ = ["provider_node", "run", "serve"]

ModelOpt = Annotated[str, typer.Option(help="Registry id of the model to serve.")]
ScriptedOpt = Annotated[
    str | None,
    typer.Option(help="Answer every prompt with this text (demos and tests: no model is loaded)."),
]
ConcurrencyOpt = Annotated[int, typer.Option(min=1, help="Requests served at once.")]
ConfirmationsOpt = Annotated[
    int, typer.Option(min=0, help="Blocks to wait before acting on an event.")
]
AuditOpt = Annotated[
    float,
    typer.Option(
        min=0.0,
        max=1.0,
        help="Share of other providers' answers to re-execute; mismatches are challenged "
        "(the bond comes from this wallet's DPrompt credit).",
    ),
]
MetricsOpt = Annotated[
    int | None,
    typer.Option(help="Serve Prometheus counters on 127.0.0.1:PORT.", show_default=False),
]


def run(
    ctx: typer.Context,
    wallet: WalletOpt,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
    model: ModelOpt = "gemma-3-270m",
    scripted_answer: ScriptedOpt = None,
    concurrency: ConcurrencyOpt = 4,
    confirmations: ConfirmationsOpt = 0,
    audit_fraction: AuditOpt = 0.0,
    metrics_port: MetricsOpt = None,
) -> None:
    """Answer the requests this wallet is sampled for, take over late ones, serve on committees,
    and audit other providers' answers."""
    from rexos.llm import ScriptedModel, load_model

    c: CliContext = ctx.obj
    account = c.signer(wallet, passphrase_file, passphrase_env)
    from rexos.opml.served import PROGRAMS

    served: Model = (
        ScriptedModel(default=scripted_answer, model_id=model)
        if scripted_answer is not None
        else _OpmlOnly(model)
        if model in PROGRAMS
        else load_model(model, c.settings)
    )
    node, db = provider_node(
        c,
        account,
        served,
        model,
        concurrency=concurrency,
        confirmations=confirmations,
        metrics_port=metrics_port,
        audit_fraction=audit_fraction,
    )
    audit = f", auditing {audit_fraction:.0%} of other answers" if audit_fraction else ""
    out.print(f"Provider {account.address} serving {model}{audit}; progress in {db}. Ctrl-C stops.")
    serve(node)
    out.print("Stopped.")


class _OpmlOnly:
    """The language-model slot of a node serving an opML model (``opml-sentiment-v1``): its
    requests are answered, defended and audited with the VM (``rexos.dprompt.node_opml``),
    so no language model is loaded, and asking this one is a bug, not a fallback."""

    def __init__(self, model_id: str) -> None:
        self._model_id = model_id

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def weights_hash(self) -> str:
        from rexos.opml.served import PROGRAMS

        return PROGRAMS[self._model_id]().key().hex()

    def complete(self, prompt: str, params: DecodingParams) -> Completion:
        raise self._not_a_language_model()

    def chat(self, messages: Sequence[ChatMessage], params: DecodingParams) -> Completion:
        raise self._not_a_language_model()

    def _not_a_language_model(self) -> Exception:
        from rexos.errors import ModelUnavailable

        return ModelUnavailable(f"{self._model_id} is answered by the opML VM, not a model")


def provider_node(
    c: CliContext,
    account: LocalAccount,
    served: Model,
    model_id: str,
    *,
    concurrency: int = 4,
    confirmations: int = 0,
    metrics_port: int | None = None,
    audit_fraction: float = 0.0,
) -> tuple[ProviderNode, Path]:
    """A node for ``account`` serving ``model_id`` with ``served`` on this data dir's chain,
    and the file that keeps its progress (one per chain and signer)."""
    from rexos.dprompt.node import NodeConfig, ProviderNode

    chain = c.chain()
    chain_id = int(chain.web3.eth.chain_id)
    db = c.settings.home / "provider" / f"{chain_id}-{account.address.lower()}.sqlite"
    config = NodeConfig(
        signer=account,
        model=served,
        manifest=c.manifest(),
        db_path=db,
        web3=chain.web3,
        model_id=model_id,
        concurrency=concurrency,
        confirmations=confirmations,
        metrics_port=metrics_port,
        audit_fraction=audit_fraction,
    )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    return ProviderNode(config), db


def serve(node: ProviderNode) -> None:
    """Run ``node`` until Ctrl-C or SIGTERM, then close its progress store."""
    import asyncio

    async def _main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await node.run_forever(stop)

    try:
        asyncio.run(_main())
    finally:
        node.store.close()
