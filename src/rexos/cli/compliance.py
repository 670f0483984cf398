"""``rexos compliance``: the jurisdiction policy and sanctions screening, and the CLI's check.

:func:`require_command` runs in ``rexos``'s root callback before any command does work: the
command invoked is looked up in :data:`rexos.compliance.ENTRIES` and a service the user's
jurisdiction bars is refused with one line naming the rule (exit status 2). ``--help`` and
``--version`` are never checked, nor are the commands the table maps to no service (local
set-up, the policy commands, this group).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from rexos.cli.console import out
from rexos.cli.context import CliContext
from rexos.cli.group import Group
from rexos.config import Settings
from rexos.errors import UsageError

__all__ = ["app", "command_path", "register", "require_command"]

app = typer.Typer(
    cls=Group,
    rich_markup_mode=None,
    help="The compliance gate: the jurisdiction policy, sanctions screening, your declaration.",
    no_args_is_help=True,
)


def command_path(root: Any, args: Sequence[str] | None, invoked: str | None) -> str:
    """The command ``args`` invoke under the group ``root`` (``"market buy"``).

    ``args``: the whole command line after ``rexos`` (``None`` when unknown: then only
    ``invoked``, the root's subcommand, is named). Group options and their values are skipped.
    """
    if args is None:
        return invoked or ""
    words: list[str] = []
    group, tokens, i = root, list(args), 0
    while i < len(tokens) and tokens[i] != "--":
        token = tokens[i]
        if token.startswith("-"):
            i += 2 if _takes_value(group, token) else 1
            continue
        command = (getattr(group, "commands", None) or {}).get(token)
        if command is None:
            break
        words.append(token)
        group, i = command, i + 1
    return " ".join(words) or (invoked or "")


def _takes_value(group: Any, token: str) -> bool:
    if "=" in token:
        return False
    for param in getattr(group, "params", ()):
        if getattr(param, "param_type_name", "") != "option":
            continue
        if token in (*param.opts, *param.secondary_opts):
            return not (param.is_flag or param.count)
    return False


def require_command(settings: Settings, path: str) -> None:
    """Refuse ``rexos <path>`` (:class:`~rexos.errors.ComplianceRefused`) when the service it
    provides is barred for this user, or the compliance policy is unusable."""
    from rexos.compliance import Gate

    if path:
        Gate(settings.home).require_entry("cli", path)


@app.command("show")
def show(
    ctx: typer.Context,
    default: Annotated[
        bool, typer.Option("--default", help="Print the shipped default policy file to edit.")
    ] = False,
) -> None:
    """The policy in force, your jurisdiction, what is barred where, the sanctions lists."""
    from rexos.compliance import SERVICES, Gate, default_policy_text
    from rexos.compliance.policy import POLICY_FILE

    c: CliContext = ctx.obj
    if default:
        out.print(default_policy_text(), end="", markup=False, soft_wrap=True)
        return
    gate = Gate(c.settings.home)
    policy = gate.policy()
    user = gate.jurisdiction()
    source = policy.source
    if source == "default":
        source = (
            f"default (yours would be {c.settings.home / POLICY_FILE}: "
            "`rexos compliance show --default` prints it to start from)"
        )
    _row("policy", source)
    _row("established by", policy.method)
    _row("jurisdiction", f"{user.code} ({user.how})" if user.code else f"unknown: {user.how}")
    _row("when unknown", policy.unknown)
    for rule in policy.jurisdictions:
        barred = ", ".join(s for s in SERVICES if s in rule.barred) or "nothing"
        _row(f"barred in {rule.code}", f"{barred} ({rule.name}, {rule.basis})")
    for found in gate.lists():
        _row("sanctions", f"{found.label}: {len(found.addresses):,} addresses, {found.source}")
    _row("decision log", str(gate.log.path))


def _row(name: str, value: str) -> None:
    out.print(f"{name:<16}{value}", markup=False, soft_wrap=True)


@app.command("check")
def check(
    ctx: typer.Context,
    address: Annotated[str, typer.Argument(help="An EVM address (any case).")],
) -> None:
    """Screen an address against the sanctions lists; exits 1 when a list names it."""
    from rexos.compliance import Gate

    c: CliContext = ctx.obj
    gate = Gate(c.settings.home)
    decision = gate.check(None, addresses={"address": address}, entry="cli:compliance check")
    if not decision.allowed:
        out.print(decision.message, markup=False, soft_wrap=True)
        raise typer.Exit(1)
    names = ", ".join(f.label for f in gate.lists()) or "none: the policy names no list"
    clean = f"{address} is on no sanctions list (screened: {names})"
    out.print(clean, markup=False, soft_wrap=True)


@app.command("declare")
def declare(
    ctx: typer.Context,
    code: Annotated[
        str | None, typer.Argument(help="Your jurisdiction: an ISO 3166 code (CN, DE, US-NY).")
    ] = None,
    attestation: Annotated[
        Path | None,
        typer.Option(help="A KYC provider's signed attestation file (when the policy says so)."),
    ] = None,
    withdraw: Annotated[bool, typer.Option(help="Withdraw your declaration.")] = False,
) -> None:
    """Establish your jurisdiction the way the operator's policy says: your own declaration,
    or a KYC provider's attestation. RexOS never guesses it from where you connect."""
    from rexos.compliance import Gate, store_attestation
    from rexos.compliance import declare as record

    c: CliContext = ctx.obj
    if (code is not None) + (attestation is not None) + withdraw != 1:
        raise UsageError("name a jurisdiction code, --attestation FILE or --withdraw (one)")
    policy = Gate(c.settings.home).policy()
    if attestation is not None:
        stored = store_attestation(policy, c.settings.home, attestation, int(time.time()))
        out.print(f"Attested: {stored} (KYC attestation verified and kept).")
    elif withdraw:
        record(policy, c.settings.home, None)
        out.print("Declaration withdrawn: your jurisdiction is unknown.")
    else:
        declared = record(policy, c.settings.home, code)
        barred = [r for r in policy.rules_for(declared or "") if r.barred]
        what = "; ".join(f"{', '.join(sorted(r.barred))} barred ({r.basis})" for r in barred)
        said = f"Declared: {declared}. {what or 'The policy bars nothing there.'}"
        out.print(said, markup=False, soft_wrap=True)


def register(main: typer.Typer) -> None:
    main.add_typer(app, name="compliance")
