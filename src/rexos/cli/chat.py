"""``rexos chat`` (terminal) and ``rexos serve`` (HTTP): the orchestrator for people."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from rexos.cli.console import api_token, ask, out, print_error
from rexos.cli.context import CliContext
from rexos.cli.options import PassphraseEnv, PassphraseFile, WalletOpt
from rexos.errors import RexosError
from rexos.locks import exclusive
from rexos.types import display_units

if TYPE_CHECKING:
    from rexos.llm.tools import ToolModel
    from rexos.orchestrator.chat import ChatSession, Reply
    from rexos.orchestrator.plan import Plan
    from rexos.orchestrator.runner import Confirmer
    from rexos.orchestrator.workspace import LocalWorkspace

__all__ = ["chat", "register", "serve"]

ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="Model name served at $REXOS_LLM_URL for open-ended requests (tool calling). "
        "Without it, the deterministic grammar handles every structured command.",
        show_default=False,
    ),
]


def _workspace(
    c: CliContext, wallet: str, passphrase_file: Path | None, passphrase_env: str | None
) -> LocalWorkspace:
    from rexos.orchestrator.workspace import LocalWorkspace

    owner = c.address_of(wallet)
    return LocalWorkspace(
        c.settings,
        c.chain(),
        c.manifest(),
        owner,
        lambda: c.signer(wallet, passphrase_file, passphrase_env),
        lambda name: c.keystore.get(name).address,
        lambda: {w.name: w.address for w in c.keystore.list()},
        c.peer,
    )


def _model(c: CliContext, name: str | None) -> ToolModel | None:
    from rexos.llm.tools import open_tool_model

    return None if name is None else open_tool_model(c.settings, name)


def show_plan(plan: Plan) -> None:
    table = Table(title=f"Plan {plan.id}: {plan.state.replace('_', ' ')}", title_justify="left")
    for column in ("#", "step", "after", "state", "detail"):
        table.add_column(column)
    for s in plan.steps:
        detail = s.error or ""
        if s.awaiting:
            detail = f"{s.awaiting['summary']} (fingerprint {s.awaiting['fingerprint'][:18]}…)"
        elif s.txs:
            detail = ", ".join(f"{t['move']} {t['tx'][:12]}… block {t['block']}" for t in s.txs)
            if "delivery" in s.resolved:  # a bridge step: what the relayer did
                detail += f"; {s.resolved['delivery']}"
        elif s.result:
            detail = _result_line(s.result)
        table.add_row(str(s.id), s.describe(), ",".join(map(str, s.after)) or "-",
                      s.state.replace("_", " "), detail)  # fmt: skip
    out.print(table)
    for s in plan.steps:
        if s.result and "sql" in s.result:
            _show_answer(s.id, s.result)


def _show_answer(step: int, result: dict[str, object]) -> None:
    """A query step's answer: its rows (amounts in token units), not only its SQL."""
    columns, rows = result.get("columns"), result.get("shown", result.get("rows"))
    if not isinstance(columns, list) or not isinstance(rows, list):
        return
    table = Table(*map(str, columns))
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    out.print(f"Answer (step {step}):")
    out.print(table)
    if not rows:
        out.print("No rows: nothing in the index matches.")


def _result_line(result: dict[str, object]) -> str:
    if "holdings" in result and isinstance(result["holdings"], list):
        parts = [_holding(h) for h in result["holdings"]]
        return "; ".join(parts) + f" (≈ ${result.get('total_usd')})"
    if "price" in result:
        return f"{result['amount']} {result['token']} = {result['value']} {result['quote']}"
    if "sql" in result:
        rows = result.get("rows")
        count = len(rows) if isinstance(rows, list) else 0
        return f"{count} row{'' if count == 1 else 's'} (below): {result['sql']}"
    if "out" in result:
        return f"chart written to {result['out']}"
    return ", ".join(f"{k}={v}" for k, v in result.items())[:200]


def _holding(h: dict[str, object]) -> str:
    """One holding in token units, rounded for display (the exact units stay in JSON)."""
    units, decimals = h.get("units"), h.get("decimals")
    if isinstance(units, str) and isinstance(decimals, int):
        return f"{display_units(int(units), decimals)} {h['symbol']}"
    return f"{h['amount']} {h['symbol']}"


def _ask(question: str, yes: bool) -> bool:
    return ask(question, yes, f"{question} needs a terminal: rerun with --yes to confirm")


def _confirmer(yes: bool) -> Confirmer:
    from rexos.agents.wallet import Prepared
    from rexos.orchestrator.plan import Step

    def ask(step: Step, prepared: Prepared) -> bool:
        tx = prepared.tx
        out.print(f"step {step.id}: {tx.summary}", soft_wrap=True)
        if "trust" in step.resolved:
            out.print(f"  {step.resolved['trust']}", soft_wrap=True)
        out.print(f"  fingerprint {tx.fingerprint}, simulated gas {tx.simulated_gas:,}")
        return _ask("Send this transaction?", yes)

    return ask


def _handle(session: ChatSession, reply: Reply, yes: bool) -> bool:
    """Show ``reply`` and run its plan once confirmed; ``False`` when the plan failed."""
    out.print(reply.text, soft_wrap=True)
    plan = reply.plan
    if plan is None:
        return True
    show_plan(plan)
    if plan.moves_funds and not plan.confirmed:
        if not _ask("Run this plan?", yes):
            out.print("Not run.")
            return True
        plan = session.confirm_plan(plan.id).plan or plan
        show_plan(plan)
    return plan.state != "failed"


def chat(
    ctx: typer.Context,
    wallet: WalletOpt,
    message: Annotated[
        list[str] | None,
        typer.Option("--message", "-m", help="Send this message and exit (repeatable)."),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Confirm plans and transactions without asking.")
    ] = False,
    model: ModelOpt = None,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Talk to RexOS: questions, prices, balances, charts, swaps, sends and stakes, as plans
    you see and confirm. Type 'quit' to leave. With -m, exits 1 when a plan failed (2 for
    bad input)."""
    from rexos.orchestrator.charts import make_step_chart
    from rexos.orchestrator.session import open_session

    c: CliContext = ctx.obj
    ws = _workspace(c, wallet, passphrase_file, passphrase_env)
    session = open_session(
        ws, model=_model(c, model), confirmer=_confirmer(yes), chart=make_step_chart
    )
    if message:
        failed = [text for text in message if not _handle(session, session.message(text), yes)]
        if failed:
            print_error(f"plan failed: {'; '.join(failed)}")
            raise SystemExit(1)  # typer.Exit's code is lost under standalone_mode=False
        return
    out.print("RexOS chat: type a request, or 'quit'.")
    while True:
        try:
            text = input("you> ") if sys.stdin.isatty() else sys.stdin.readline()
        except EOFError:
            return
        if not text or text.strip().lower() in ("quit", "exit"):
            return
        try:
            _handle(session, session.message(text), yes)
        except RexosError as exc:  # one bad request does not end the conversation
            print_error(str(exc))


def serve(
    ctx: typer.Context,
    wallet: WalletOpt,
    host: Annotated[str, typer.Option(help="Interface to bind (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8787,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            help="Also answer requests for this Host name (repeatable); loopback names always.",
            show_default=False,
        ),
    ] = None,
    allow_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-origin",
            help="Also accept state-changing calls from this exact Origin (repeatable).",
            show_default=False,
        ),
    ] = None,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--cors-origin",
            help="Let a web page on this exact origin call the API (CORS; repeatable). "
            "None by default.",
            show_default=False,
        ),
    ] = None,
    model: ModelOpt = None,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Serve the chat over HTTP, and the Lense, Studio, Market and Airdrop pages for a browser.

    API: POST /v1/chat, plan and transaction confirmations, GET /v1/lense/ADDRESS and
    POST /v1/lense/ADDRESS/ask. Every API route but GET /v1/health needs
    `Authorization: Bearer <token>`: the token is made on the first start (shown once) and
    kept in $REXOS_HOME/api.token (mode 0600); delete that file to make a new one. Requests
    for other Host names, state-changing calls from other origins and non-JSON bodies are
    refused. One server per data directory.

    Page: open the one-time log-in link printed at start (or paste the token at /login);
    the browser then holds a session cookie, and the page's forms carry a CSRF token."""
    c: CliContext = ctx.obj
    with exclusive(c.settings.home / "run" / "serve.lock", f"rexos serve on {c.settings.home}"):
        _serve(c, wallet, host, port, allow_host, allow_origin, cors_origin, model,
               passphrase_file, passphrase_env)  # fmt: skip


def _serve(
    c: CliContext,
    wallet: str,
    host: str,
    port: int,
    allow_host: list[str] | None,
    allow_origin: list[str] | None,
    cors_origin: list[str] | None,
    model: str | None,
    passphrase_file: Path | None,
    passphrase_env: str | None,
) -> None:
    import uvicorn

    from rexos.api.app import create_app
    from rexos.api.guard import GuardPolicy
    from rexos.api.lense import workspace_lense
    from rexos.api.web_session import WebSessions
    from rexos.orchestrator.charts import make_step_chart
    from rexos.orchestrator.session import open_session

    ws = _workspace(c, wallet, passphrase_file, passphrase_env)
    ws.wallet()  # unlock now: a server cannot prompt later
    session = open_session(ws, model=_model(c, model), chart=make_step_chart)
    token = api_token(c.settings.home, out)
    cors = list(cors_origin or [])
    policy = GuardPolicy.build(
        token,
        port,
        allow_hosts=allow_host or [],
        allow_origins=[*(allow_origin or []), *cors],
    )
    web = WebSessions(port)
    app = create_app(session, policy, cors_origins=cors, lense=workspace_lense(ws), web=web,
                     home=ws.owner(), market=ws)  # fmt: skip
    base = f"http://{_link_host(host)}:{port}"
    out.print(f"RexOS API on http://{host}:{port}; Ctrl-C stops it.", soft_wrap=True)
    out.print(f"Lense page: {base}/login?code={web.new_code()}", soft_wrap=True, highlight=False)
    out.print(f"  (a one-time link for {int(web.code_ttl) // 60} minutes; later, log in at "
              f"{base}/login with the API token)", soft_wrap=True, highlight=False)  # fmt: skip
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _link_host(host: str) -> str:
    """The host a printed link uses: loopback for a server on every interface."""
    if host in ("0.0.0.0", "::", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def register(app: typer.Typer) -> None:
    app.command("chat")(chat)
    app.command("serve")(serve)
