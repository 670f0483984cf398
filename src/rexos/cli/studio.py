"""``rexos studio``: write, check, test and export agent specs (``rexos.agent/v1``).

``new`` starts a spec from a template pinned to the installed tools; ``validate`` checks it
against those tools (one problem a line, exit 2); ``hash`` prints its identity; ``test``
runs its evals offline with the intent reader ``rexos intent`` uses (no chain, no model);
``export`` writes its A2A agent card, MCP ``server.json`` or ERC-8004 registration file;
``list`` shows the specs in ``$REXOS_HOME/agents/``; ``tools`` the plug-in library a spec
may compose; ``run`` executes the agent through the orchestrator for a wallet, within the
permissions it declared (:func:`rexos.studio.run.run_agent`), and exits 1 when anything was
refused or failed.

A spec is data, never code: it is read by :func:`rexos.studio.load_spec` (safe YAML, the
JSON Schema and the spec's rules) and any bad input is a :class:`~rexos.studio.SpecError`:
one line and exit 2, nothing written. ``test`` exits 1 when an eval fails.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.text import Text

from rexos.cli.console import err
from rexos.cli.context import CliContext
from rexos.cli.group import Group
from rexos.cli.options import PassphraseEnv, PassphraseFile, WalletOpt
from rexos.errors import UsageError

if TYPE_CHECKING:
    from rexos.agents.wallet import Prepared
    from rexos.orchestrator.plan import Plan, Step
    from rexos.studio import AgentSpec, InstalledTool
    from rexos.studio.run import RunResult
    from rexos.studio.spec import Eval
    from rexos.types import Address

__all__ = ["app"]

app = typer.Typer(
    cls=Group,
    rich_markup_mode=None,
    help="Studio: build an agent from the installed tools as a rexos.agent/v1 spec (no code), "
    "check it, run its evals and export it for other ecosystems.",
    no_args_is_help=True,
)

SpecArg = Annotated[Path, typer.Argument(help="The spec file (.yaml, .yml or .json).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")]
SPEC_SUFFIXES = (".yaml", ".yml", ".json")


def _dump(doc: object) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False)


def _agents_dir(ctx: typer.Context) -> Path:
    c: CliContext = ctx.obj
    return c.settings.home / "agents"


def _write(path: Path, text: str, force: bool) -> None:
    """Write ``text`` to ``path``; an existing file only with ``force``."""
    if not path.parent.is_dir():
        raise UsageError(f"no such folder: {path.parent}")
    if path.is_dir():
        raise UsageError(f"{path} is a folder")
    try:
        with path.open("w" if force else "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise UsageError(f"{path} exists: pass --force to overwrite it") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _valid(file: Path, *, publish: bool = False) -> AgentSpec:
    """The spec in ``file``, which must have no problem with the installed tools."""
    from rexos.studio import installed_tools, load_spec, validate

    spec = load_spec(file)
    validate(spec, installed_tools(), publish=publish)
    return spec


@app.command("new")
def new(
    ctx: typer.Context,
    template: Annotated[str, typer.Argument(help="A template: dca or portfolio-digest.")],
    name: Annotated[str, typer.Argument(help="The agent's name (lower-case words and dashes).")],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="The file (default $REXOS_HOME/agents/NAME.yaml).",
            show_default=False,
        ),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Write a new spec from a template, its tools pinned to the installed ones."""
    from rexos.studio import dump_spec, new_spec, spec_hash

    spec = new_spec(template, name)
    if output is None:
        output = _agents_dir(ctx) / f"{spec.name}.yaml"
        output.parent.mkdir(exist_ok=True)
    if output.suffix.lower() not in SPEC_SUFFIXES:
        raise UsageError(f"{output}: a spec file ends in .yaml, .yml or .json")
    as_json = output.suffix.lower() == ".json"
    _write(output, _dump(spec.to_document()) + "\n" if as_json else dump_spec(spec), force)
    typer.echo(f"wrote {output}: {spec.name} {spec.version}, spec hash {spec_hash(spec)}")
    typer.echo(f"next: edit it, then `rexos studio validate {output}`")


@app.command("validate")
def validate(
    file: SpecArg,
    for_publish: Annotated[
        bool, typer.Option("--for-publish", help="Also check what publishing needs (evals).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Check a spec and its tool pins against the installed tools: each problem on its own
    line and exit 2, or "valid" with the spec hash and the pinned tools."""
    from rexos.studio import installed_tools, load_spec, problems, spec_hash

    spec = load_spec(file)
    found = problems(spec, installed_tools(), publish=for_publish)
    digest = spec_hash(spec)
    if as_json:
        typer.echo(_dump({
            "file": str(file), "valid": not found, "name": spec.name, "version": spec.version,
            "hash": digest, "tools": spec.to_document()["tools"],
            "problems": found,
        }))  # fmt: skip
    elif found:
        for problem in found:
            _problem(f"{file}: {problem}")
    else:
        typer.echo(f"valid: {spec.name} {spec.version} ({spec.permissions.mode})")
        typer.echo(f"spec hash {digest}")
        width = max((len(t.name) for t in spec.tools), default=0)
        for t in spec.tools:
            typer.echo(f"  {t.name:<{width}}  {t.plugin} {t.plugin_version}  {t.hash}")
    if found:
        raise SystemExit(2)  # typer.Exit's code is lost under standalone_mode=False


def _problem(line: str) -> None:
    """One problem as an error line; its text (file names, tool names) is never markup."""
    err.print(Text.assemble(("error:", "bold red"), " ", line), soft_wrap=True)


@app.command("hash")
def hash_(file: SpecArg) -> None:
    """Print the spec hash (0x…): the sha256 of its canonical form, its market listing id."""
    from rexos.studio import load_spec, spec_hash

    typer.echo(spec_hash(load_spec(file)))


@app.command("export")
def export(
    file: SpecArg,
    format_: Annotated[
        Literal["a2a", "mcp", "erc8004"],
        typer.Option("--format", help="a2a (agent card), mcp (server.json) or erc8004."),
    ],
    url: Annotated[
        str,
        typer.Option("--url", help="Where the agent answers (its A2A or MCP endpoint URL)."),
    ],
    namespace: Annotated[
        str | None,
        typer.Option(
            "--namespace",
            help="mcp: your reverse-DNS namespace (io.github.you).",
            show_default=False,
        ),
    ] = None,
    mcp_url: Annotated[
        str | None,
        typer.Option(
            "--mcp-url", help="erc8004: the agent's MCP endpoint too.", show_default=False
        ),
    ] = None,
    organization: Annotated[
        str | None,
        typer.Option("--organization", help="a2a: the provider's name.", show_default=False),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Write the JSON to this file (default: print it).",
            show_default=False,
        ),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """The spec as an A2A agent card, an MCP registry server.json or an ERC-8004
    registration file (JSON), each carrying the spec hash."""
    from rexos.studio import export_a2a, export_erc8004, export_mcp

    if output is not None and output.suffix.lower() != ".json":
        raise UsageError(f"{output} should end in .json")
    spec = _valid(file)
    doc: dict[str, Any]
    if format_ == "a2a":
        doc = export_a2a(spec, url=url, organization=organization)
    elif format_ == "mcp":
        if namespace is None:
            raise UsageError("--format mcp needs --namespace (e.g. io.github.you)")
        doc = export_mcp(spec, namespace=namespace, url=url)
    else:
        doc = export_erc8004(spec, a2a_url=url, mcp_url=mcp_url)
    if output is None:
        typer.echo(_dump(doc))
        return
    _write(output, _dump(doc) + "\n", force)
    err.print(f"studio: wrote {output}", soft_wrap=True, markup=False)


@app.command("list")
def list_(
    ctx: typer.Context,
    folder: Annotated[
        Path | None,
        typer.Argument(help="A folder of specs (default $REXOS_HOME/agents).", show_default=False),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The specs in a folder: name, version, spec hash and permissions; a file that is not
    a valid spec is listed with its error."""
    from rexos.studio import SpecError, load_spec, spec_hash

    where = _agents_dir(ctx) if folder is None else folder
    if folder is not None and not folder.is_dir():
        raise UsageError(f"no such folder: {folder}")
    found = where.glob("*") if where.is_dir() else ()
    files = sorted(p for p in found if p.suffix.lower() in SPEC_SUFFIXES)
    rows: list[dict[str, Any]] = []
    for path in files:
        try:
            spec = load_spec(path)
        except SpecError as exc:
            rows.append({"file": path.name, "error": str(exc).removeprefix(f"{path}: ")})
            continue
        rows.append({
            "file": path.name, "name": spec.name, "version": spec.version,
            "hash": spec_hash(spec), "permissions": _permissions(spec),
            "price_rex": str(spec.price_rex),
        })  # fmt: skip
    if as_json:
        typer.echo(_dump({"folder": str(where), "agents": rows}))
        return
    if not rows:
        typer.echo(f"no specs in {where} (start one with `rexos studio new`)")
        return
    table = [
        (r["file"], "-", "-", "invalid", r["error"]) if "error" in r else
        (r["file"], r["name"], r["version"], r["hash"], r["permissions"])
        for r in rows
    ]  # fmt: skip
    _table(("FILE", "NAME", "VERSION", "SPEC HASH", "PERMISSIONS"), table)


def _permissions(spec: AgentSpec) -> str:
    p = spec.permissions
    if not p.moves_funds:
        return "read-only"
    caps = ", ".join(f"{t.symbol} ≤{t.max_per_action}/action ≤{t.max_total}" for t in p.tokens)
    return f"funds-moving: {' '.join(p.actions)}; {caps}; max ${spec.limits.max_spend_usd}/run"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Columns padded to their widest cell; the last column is left as it is."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        cells = [f"{cell:<{w}}" for cell, w in zip(row, widths, strict=False)]
        typer.echo("  ".join([*cells, row[-1]]).rstrip())


@app.command("tools")
def tools(as_json: JsonOpt = False) -> None:
    """The plug-in library: every installed tool a spec may use, with its plug-in and
    version, whether it moves funds or changes state, and the pin a spec gives it."""
    from rexos.studio import installed_tools

    found = sorted(installed_tools().values(), key=lambda t: t.name)
    if as_json:
        typer.echo(_dump([_tool_json(t) for t in found]))
        return
    rows = [(t.name, f"{t.plugin} {t.plugin_version}", _marking(t), t.hash) for t in found]
    _table(("TOOL", "PLUG-IN", "MARKING", "PIN"), rows)


def _tool_json(t: InstalledTool) -> dict[str, Any]:
    return {
        "name": t.name, "plugin": t.plugin, "plugin_version": t.plugin_version,
        "moves_funds": t.moves_funds, "changes_state": t.changes_state, "hash": t.hash,
        "description": t.description,
    }  # fmt: skip


def _marking(t: InstalledTool) -> str:
    if t.moves_funds:
        return "moves funds"
    return "changes state" if t.changes_state else "read-only"


@app.command("test")
def test(file: SpecArg, as_json: JsonOpt = False) -> None:
    """Run the spec's evals offline: each request is read with the intent reader (as
    `rexos intent` does) and its intent compared with the expected one, and a funds-moving
    intent checked against the spec's permissions. Expected outputs need a chain and a model:
    they are left to `rexos studio run`. Exit 1 when an eval fails."""
    from rexos.studio import installed_tools, load_spec, problems, spec_hash

    spec = load_spec(file)
    others = [p for p in problems(spec, installed_tools()) if not p.startswith("evals[")]
    if others:
        raise UsageError(f"{file}: fix it before testing (`rexos studio validate`): {others[0]}")
    if not spec.evals:
        raise UsageError(f"{file}: the spec has no evals to run")
    results = [_run_eval(spec, ev) for ev in spec.evals]
    counts = {s: sum(r["status"] == s for r in results) for s in ("pass", "fail", "needs run")}
    if as_json:
        typer.echo(_dump({
            "file": str(file), "name": spec.name, "hash": spec_hash(spec), "evals": results,
            "passed": counts["pass"], "failed": counts["fail"], "needs_run": counts["needs run"],
        }))  # fmt: skip
    else:
        typer.echo(f"{spec.name} {spec.version}, spec hash {spec_hash(spec)}")
        rows = [
            (r["status"], r["request"], r["expect_intent"] or "-", r["read"], r["detail"])
            for r in results
        ]
        _table(("RESULT", "REQUEST", "EXPECTED", "READ", "DETAIL"), rows)
        typer.echo(
            f"{counts['pass']} passed, {counts['fail']} failed, "
            f"{counts['needs run']} left to `rexos studio run`"
        )
    if counts["fail"]:
        raise SystemExit(1)  # typer.Exit's code is lost under standalone_mode=False


def _run_eval(spec: AgentSpec, ev: Eval) -> dict[str, Any]:
    """One eval's row (see :func:`rexos.studio.evals.run_eval`)."""
    from rexos.studio.evals import run_eval

    r = run_eval(spec, ev)
    return {"request": r.request, "expect_intent": r.expect_intent,
            "expect_output": list(r.expect_output), "read": r.read, "status": r.status,
            "detail": r.detail}  # fmt: skip


@app.command("run")
def run(
    ctx: typer.Context,
    file: SpecArg,
    wallet: WalletOpt,
    message: Annotated[
        str | None,
        typer.Option(
            "--message",
            "-m",
            help="The request (default: the spec's first chat or schedule trigger message).",
            show_default=False,
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Confirm the plan and its transactions.")
    ] = False,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            help="Model served at $REXOS_LLM_URL for open-ended requests: it is offered only "
            "the spec's tools and reads the spec's prompt and examples. Without it, the "
            "deterministic grammar reads the request.",
            show_default=False,
        ),
    ] = None,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
    as_json: JsonOpt = False,
    pay_with: Annotated[
        str | None,
        typer.Option(
            "--pay-with",
            help="Pay the run (the FeeRouter's studio.agent_run) first: points, REX (at the "
            "discount, TWAP-priced) or a stablecoin symbol. Default: not charged.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Run the agent for a wallet through the orchestrator, with exactly the permissions its
    spec declares: its pinned tools only, and every transaction checked by the Wallet agent's
    gateway against your policy narrowed to the spec's permissions and the run's limits
    (calls, seconds, USD). Prints the plan, each step's result and what refused anything.
    Exit 1 when a step was refused or failed, 2 for bad input."""
    from rexos.llm.tools import open_tool_model
    from rexos.orchestrator.workspace import LocalWorkspace
    from rexos.studio.run import default_message, run_agent

    spec = _valid(file)
    request = message if message is not None else default_message(spec)
    if not request.strip():
        raise UsageError("the message is empty: say what the agent should do")
    c: CliContext = ctx.obj
    ws = LocalWorkspace(
        c.settings, c.chain(), c.manifest(), c.address_of(wallet),
        lambda: c.signer(wallet, passphrase_file, passphrase_env),
        lambda name: c.keystore.get(name).address,
        lambda: {w.name: w.address for w in c.keystore.list()},
        c.peer,
    )  # fmt: skip
    quiet = as_json
    if pay_with is not None:
        _pay_run(c, spec, wallet, pay_with, yes, passphrase_file, passphrase_env, quiet)
    result = run_agent(
        spec, request, ws,
        confirm_plan=lambda plan: _confirm_plan(plan, yes, quiet),
        confirmer=lambda step, prepared: _confirm_tx(step, prepared, yes, quiet),
        model=None if model is None else open_tool_model(c.settings, model),
    )  # fmt: skip
    if as_json:
        typer.echo(_dump(result.to_json()))
    else:
        _show_run(result, spec)
    if result.outcome == "question":
        raise UsageError(f"the agent needs more: {result.text}")
    if not result.ok and result.outcome != "declined":
        raise SystemExit(1)  # typer.Exit's code is lost under standalone_mode=False


def _pay_run(
    c: CliContext,
    spec: AgentSpec,
    wallet: str,
    choice: str,
    yes: bool,
    passphrase_file: Path | None,
    passphrase_env: str | None,
    quiet: bool,
) -> None:
    """Pay one ``studio.agent_run`` through the gateway before the run (quoted first; a fee
    that cannot be paid is one line, and the agent does not run)."""
    from rexos.cli.console import out
    from rexos.cli.fees import service_fee

    fee = service_fee(c, "studio.agent_run", choice)
    developer = _developer(c, spec)
    paid, receipt = fee.pay(c.gateway(wallet, passphrase_file, passphrase_env, yes), developer)
    if not quiet:
        out.print(f"Paid the run to its developer {developer}: {fee.text(paid)} "
                  f"(block {receipt.block_number}).", soft_wrap=True)  # fmt: skip


def _developer(c: CliContext, spec: AgentSpec) -> Address:
    """Who a run of ``spec`` pays: the owner of the market listing its hash belongs to."""
    from rexos.cli.market import market_client
    from rexos.errors import RexosError
    from rexos.studio.identity import spec_hash

    try:
        market = market_client(c)
        return market.listing(market.version(spec_hash(spec)).listing_id).owner
    except RexosError:
        raise UsageError(
            f"agent {spec.name} {spec.version} is not listed on the market, so its runs have "
            "no developer to pay: publish it, or run it without --pay-with"
        ) from None


def _confirm_plan(plan: Plan, yes: bool, quiet: bool) -> bool:
    from rexos.cli.chat import show_plan
    from rexos.cli.console import ask

    if not quiet:
        show_plan(plan)
    return ask("Run this plan?", yes, "Run this plan? needs a terminal: rerun with --yes")


def _confirm_tx(step: Step, prepared: Prepared, yes: bool, quiet: bool) -> bool:
    from rexos.cli.console import ask, out

    tx = prepared.tx
    if not quiet:
        out.print(f"step {step.id}: {tx.summary}", soft_wrap=True, markup=False)
        out.print(f"  fingerprint {tx.fingerprint}, simulated gas {tx.simulated_gas:,}")
    return ask("Send this transaction?", yes, "Send this transaction? needs a terminal: "
               "rerun with --yes")  # fmt: skip


def _show_run(result: RunResult, spec: AgentSpec) -> None:
    from rexos.cli.chat import show_plan
    from rexos.cli.console import out

    out.print(f"agent {result.agent} {spec.version} (spec hash {result.spec_hash})",
              soft_wrap=True, markup=False)  # fmt: skip
    out.print(f"request: {result.request}", soft_wrap=True, markup=False)
    if result.plan is not None:
        show_plan(result.plan)
    out.print(result.text, soft_wrap=True, markup=False)
    for reason in result.refused:
        out.print(Text.assemble(("refused:", "bold red"), " ", reason), soft_wrap=True)
    limits = spec.limits
    spend = f"${result.usd} of ${limits.max_spend_usd}" if limits.max_spend_usd else "read-only"
    out.print(f"run: {result.outcome}; {result.calls} of {limits.max_calls} calls; {spend}",
              soft_wrap=True, markup=False)  # fmt: skip


@app.command("publish")
def publish(
    ctx: typer.Context,
    file: SpecArg,
    wallet: WalletOpt,
    listing_id: Annotated[
        int | None,
        typer.Option("--listing", help="Add the spec as a new version of this listing."),
    ] = None,
    operator: Annotated[
        str | None,
        typer.Option(help="Who runs and settles its jobs (default: the publishing wallet)."),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Confirm the transaction.")] = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Publish the agent on the Agent Market (as `rexos market publish`): checked for
    publishing against the tools installed here, listed by its spec hash at its price."""
    from rexos.cli.market import publish_spec

    publish_spec(ctx.obj, file, wallet, listing_id, operator, yes, passphrase_file, passphrase_env)


@app.command("install")
def install(
    ctx: typer.Context,
    file: SpecArg,
    listing_id: Annotated[
        int, typer.Option("--listing", help="The market listing the spec was published as.")
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace an installed copy.")] = False,
) -> None:
    """Install an agent bought on the market: the spec you were given must hash to one of
    the listing's versions on chain and check against the tools installed here; it is then
    copied to $REXOS_HOME/agents/ for `rexos studio run`."""
    from rexos.cli.market import market_client
    from rexos.private_files import write_private_file
    from rexos.studio import dump_spec, installed_tools, load_spec, spec_hash, validate

    c: CliContext = ctx.obj
    spec = load_spec(file)
    digest = spec_hash(spec)
    versions = ["0x" + v.hex() for v in market_client(c).versions(listing_id)]
    if digest not in versions:
        raise UsageError(
            f"{file} hashes to {digest}, which is not a version of listing {listing_id} "
            f"({len(versions)} version(s), the latest {versions[-1]}): it is not what was "
            "published"
        )
    validate(spec, installed_tools())
    target = c.settings.home / "agents" / f"{spec.name}-{spec.version}.yaml"
    if target.exists() and not force:
        raise UsageError(f"{target} exists: pass --force to replace it")
    write_private_file(target, dump_spec(spec).encode("utf-8"))
    typer.echo(
        f"Installed {spec.name} {spec.version} (version {versions.index(digest)} of listing "
        f"{listing_id}, spec hash {digest}) to {target}; run it: rexos studio run {target} -w "
        "WALLET"
    )
