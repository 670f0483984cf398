"""``rexos policy`` and ``rexos send``: the wallet policy, and transfers that obey it."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rexos.cli.console import confirm, out
from rexos.cli.context import CliContext
from rexos.cli.group import Group
from rexos.cli.options import PassphraseEnv, PassphraseFile, WalletOpt
from rexos.config import Settings
from rexos.errors import UsageError
from rexos.private_files import write_private_file

if TYPE_CHECKING:
    from rexos.agents.wallet import PolicyEngine

__all__ = ["app", "register", "send"]

app = typer.Typer(
    cls=Group,
    rich_markup_mode=None,
    help="Show and edit the wallet policy every signed transaction obeys.",
    no_args_is_help=True,
)


def _paths(settings: Settings) -> tuple[Path, Path, Path]:
    from rexos.agents.wallet import WalletPaths

    paths = WalletPaths.of(settings.home)
    return paths.policy, paths.ledger, paths.confirm_key


def _engine(settings: Settings) -> PolicyEngine:
    from rexos.agents.wallet import open_engine

    return open_engine(settings.home)


@app.command("show")
def show(ctx: typer.Context) -> None:
    """The policy in force, today's spending and the circuit breaker."""
    c: CliContext = ctx.obj
    policy_file, _, _ = _paths(c.settings)
    engine = _engine(c.settings)
    p = engine.policy
    source = policy_file if policy_file.is_file() else "defaults (no policy.yaml yet)"
    out.print(f"policy             {source}", soft_wrap=True)
    out.print(f"per transaction    ≤ ${p.per_tx_usd_cap:,}")
    out.print(f"rolling 24 hours   ≤ ${p.daily_usd_cap:,}")
    spent = engine.ledger.spent_last_day(int(time.time()))
    out.print(f"spent (24 hours)   ${spent:,.2f}")
    threshold = (
        "every transaction" if p.confirm_above_usd == 0 else f"above ${p.confirm_above_usd:,}"
    )
    out.print(f"confirmation       {threshold} (expires after {p.confirmation_ttl_s} s)")
    for kind in ("chains", "tokens", "contracts", "recipients"):
        listed = getattr(p.allow, kind)
        out.print(f"allowed {kind:<11}{', '.join(map(str, listed)) if listed else 'any'}")
    failures, opened = engine.ledger.breaker()
    state = "open" if opened is not None else "closed"
    out.print(
        f"circuit breaker    {state}, {failures} failure(s) in a row "
        f"(opens at {p.circuit_breaker.failures}, for {p.circuit_breaker.cooldown_minutes} min)"
    )
    out.print("simulation         always, before anything is signed")


@app.command("init")
def init(
    ctx: typer.Context,
    force: Annotated[bool, typer.Option(help="Overwrite an existing policy.yaml.")] = False,
) -> None:
    """Write the default policy, with comments, to edit."""
    from rexos.agents.wallet import DEFAULT_POLICY_YAML

    c: CliContext = ctx.obj
    policy_file, _, _ = _paths(c.settings)
    if policy_file.exists() and not force:
        raise UsageError(f"{policy_file} exists: edit it, or pass --force to start over")
    write_private_file(policy_file, DEFAULT_POLICY_YAML.encode("utf-8"))
    out.print(f"Wrote {policy_file}", soft_wrap=True)


@app.command("reset-breaker")
def reset_breaker(ctx: typer.Context) -> None:
    """Close the circuit breaker after you have looked at what failed."""
    c: CliContext = ctx.obj
    _engine(c.settings).ledger.reset_breaker()
    out.print("Circuit breaker closed.")


def send(
    ctx: typer.Context,
    token: Annotated[str, typer.Argument(help="ETH or a token symbol of the deployment.")],
    amount: Annotated[str, typer.Argument(help="Amount in whole tokens.")],
    to: Annotated[str, typer.Option("--to", help="Recipient address.")],
    wallet: WalletOpt,
    key: Annotated[
        str | None,
        typer.Option(help="Idempotency key: a retry with the same key never pays twice."),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Confirm without asking.")] = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Send ETH or a token through the Wallet agent: simulated, checked against the policy,
    confirmed, sent once."""
    from rexos.agents.wallet import PolicyDenied, open_agent

    c: CliContext = ctx.obj
    manifest = c.manifest()
    web3 = c.chain().web3
    account = c.signer(wallet, passphrase_file, passphrase_env)
    agent = open_agent(web3, manifest, account, c.settings.home)
    plan = agent.plan_transfer(token, amount, to)
    out.print(f"Plan: {plan.tx.summary}", soft_wrap=True)
    out.print(f"fingerprint {plan.tx.fingerprint}; simulated gas {plan.tx.simulated_gas:,}"
              if plan.tx.simulated_gas else "simulation failed")  # fmt: skip
    if plan.decision.verdict == "deny":
        raise PolicyDenied(f"refused by the policy: {plan.decision.reason}")
    confirmation = None
    if plan.decision.verdict == "confirm":
        confirm("Send?", yes, f"{plan.decision.reason}: rerun with --yes to confirm")
        confirmation = agent.confirm(plan)
    done = agent.execute(plan, key or f"send-{uuid.uuid4()}", confirmation)
    verb = "Already sent" if done.replayed else "Sent"
    out.print(f"{verb}: tx {done.tx_hash} in block {done.block}.", soft_wrap=True)


def register(main: typer.Typer) -> None:
    main.add_typer(app, name="policy")
    main.command("send")(send)
