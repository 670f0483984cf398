"""``rexos market``: publish agents, buy a use of one, settle, rate, and claim the developer's
share, on the deployment's AgentMarket.

Amounts are REX in token units (``--json`` output keeps base units and says so); every
transaction is signed through the Wallet agent's gateway, like every other command's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rexos.cli.console import out, rex
from rexos.cli.context import CliContext
from rexos.cli.group import Group
from rexos.cli.options import PassphraseEnv, PassphraseFile, WalletOpt, YesOpt
from rexos.errors import UsageError
from rexos.types import parse_units

if TYPE_CHECKING:
    from rich.table import Table

    from rexos.market import MarketClient
    from rexos.market.views import VersionView

__all__ = ["app", "market_client", "parse_job_id", "publish_spec"]

app = typer.Typer(
    cls=Group,
    rich_markup_mode=None,
    help="The Agent Market: publish agents, buy uses, settle jobs, rate, claim REX.",
    no_args_is_help=True,
)
_AMOUNTS = {"ignore_unknown_options": True}  # so "-5" reaches the amount parser

JOB_HOURS_DEFAULT = 24
"""How long a bought job waits for its operator before anyone may refund it."""

JsonOpt = Annotated[
    bool, typer.Option("--json", help="Machine output; amounts in REX base units (wei).")
]


def market_client(c: CliContext) -> MarketClient:
    """The deployment's AgentMarket (one clear error on a deployment without one)."""
    from rexos.market import MarketClient

    manifest = c.manifest()
    if "AgentMarket" not in manifest.contracts:
        raise UsageError(
            "this deployment has no AgentMarket: restart the devnet "
            "(`rexos devnet down && rexos devnet up`)"
        )
    return MarketClient(c.chain().web3, manifest)


def _score(version: VersionView) -> str:
    """The price-weighted average score, two decimals, or ``-`` with no rating."""
    numerator, weight = version.average_score
    if weight == 0:
        return "-"
    hundredths = numerator * 100 // weight
    return f"{hundredths // 100}.{hundredths % 100:02d} ({version.ratings})"


def _short(value: bytes | str) -> str:
    text = "0x" + value.hex() if isinstance(value, bytes) else value
    return f"{text[:10]}…{text[-4:]}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    """A plain table of ``rows`` under ``header``."""
    from rich.table import Table

    grid = Table(*header)
    for row in rows:
        grid.add_row(*row)
    return grid


def _emit(data: Any) -> None:
    out.print(json.dumps(data, indent=2), markup=False, soft_wrap=True, highlight=False)


@app.command("list")
def list_(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Every listing: price per use, versions, value settled and its latest version's rating."""
    c: CliContext = ctx.obj
    client = market_client(c)
    listings = client.listings()
    rows = []
    for listing in listings:
        latest = client.version(client.versions(listing.listing_id)[-1])
        rows.append((listing, latest))
    if as_json:
        _emit(
            {
                "units": "REX wei",
                "listings": [
                    {
                        "id": listing.listing_id,
                        "owner": listing.owner,
                        "operator": listing.operator,
                        "price": str(listing.price),
                        "versions": listing.versions,
                        "listed": listing.listed,
                        "settled_value": str(listing.settled_value),
                        "latest_spec_hash": "0x" + latest.spec_hash.hex(),
                        "ratings": latest.ratings,
                        "rating_weight": str(latest.rating_weight),
                        "weighted_score": str(latest.weighted_score),
                    }
                    for listing, latest in rows
                ],
            }
        )
        return
    if not rows:
        out.print("No agent is listed yet: publish one with `rexos market publish SPEC`.")
        return
    out.print(
        table(
            ("id", "latest version", "owner", "price", "versions", "settled", "rating", "open"),
            [
                (
                    str(listing.listing_id),
                    _short(latest.spec_hash),
                    _short(listing.owner),
                    rex(listing.price),
                    str(listing.versions),
                    rex(listing.settled_value),
                    _score(latest),
                    "yes" if listing.listed else "delisted",
                )
                for listing, latest in rows
            ],
        )
    )


@app.command("show")
def show(
    ctx: typer.Context,
    listing_id: Annotated[int, typer.Argument(help="Listing id (see `rexos market list`).")],
    as_json: JsonOpt = False,
) -> None:
    """One listing and every version's totals: jobs, settled value, ratings."""
    c: CliContext = ctx.obj
    client = market_client(c)
    listing = client.listing(listing_id)
    versions = [client.version(h) for h in client.versions(listing_id)]
    if as_json:
        _emit(
            {
                "units": "REX wei",
                "id": listing.listing_id,
                "owner": listing.owner,
                "operator": listing.operator,
                "price": str(listing.price),
                "listed": listing.listed,
                "settled_value": str(listing.settled_value),
                "developer_due": str(listing.developer_due),
                "versions": [
                    {
                        "index": v.index,
                        "spec_hash": "0x" + v.spec_hash.hex(),
                        "jobs": v.jobs,
                        "settled": v.settled,
                        "settled_value": str(v.settled_value),
                        "ratings": v.ratings,
                        "rating_weight": str(v.rating_weight),
                        "weighted_score": str(v.weighted_score),
                    }
                    for v in versions
                ],
            }
        )
        return
    state = "open to new jobs" if listing.listed else "delisted (open jobs can still settle)"
    out.print(f"[bold]Listing {listing.listing_id}[/]: {state}")
    out.print(f"  owner          {listing.owner}")
    out.print(f"  operator       {listing.operator}")
    out.print(f"  price per use  {rex(listing.price)}")
    out.print(f"  settled        {rex(listing.settled_value)}")
    out.print(f"  developer due  {rex(listing.developer_due)} (claim: `rexos market claim`)")
    out.print(
        table(
            ("version", "spec hash", "jobs", "settled", "value", "rating"),
            [
                (
                    str(v.index),
                    "0x" + v.spec_hash.hex(),
                    str(v.jobs),
                    str(v.settled),
                    rex(v.settled_value),
                    _score(v),
                )
                for v in versions
            ],
        )
    )


@app.command("publish", context_settings=_AMOUNTS)
def publish(
    ctx: typer.Context,
    spec_file: Annotated[Path, typer.Argument(help="The agent's rexos.agent/v1 spec (YAML).")],
    wallet: WalletOpt,
    listing_id: Annotated[
        int | None,
        typer.Option("--listing", help="Add the spec as a new version of this listing."),
    ] = None,
    operator: Annotated[
        str | None,
        typer.Option(help="Who runs and settles its jobs (default: the publishing wallet)."),
    ] = None,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """List an agent at the price its spec asks (or add a version to your listing).

    The spec must pass `rexos studio validate --for-publish` against the tools installed
    here; the chain records its hash, and a copy goes to $REXOS_HOME/agents/."""
    publish_spec(
        ctx.obj, spec_file, wallet, listing_id, operator, yes, passphrase_file, passphrase_env
    )


def publish_spec(
    c: CliContext,
    spec_file: Path,
    wallet: str,
    listing_id: int | None,
    operator: str | None,
    yes: bool,
    passphrase_file: Path | None,
    passphrase_env: str | None,
) -> None:
    """``rexos market publish`` (and ``rexos studio publish``): check the spec for
    publishing and run its evals offline (any failing one refuses it), list it (or add it to
    ``listing_id``) through the gateway, keep a copy."""
    from rexos.studio.identity import spec_hash
    from rexos.studio.publishing import check_publishable, save_published
    from rexos.studio.reading import load_spec
    from rexos.studio.tools import installed_tools

    spec = load_spec(spec_file)
    check_publishable(spec, installed_tools(), f"`rexos studio test {spec_file}`")
    digest = spec_hash(spec)
    client = market_client(c)
    if listing_id is not None:
        client.listing(listing_id)  # an unknown listing is named before anything is signed
    runs_it = c.address_of(operator) if operator else None
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    if listing_id is None:
        listing_id = client.list_agent(signer, digest, runs_it or signer.address, spec.price_units)
        what = f"Listed {spec.name} {spec.version} as listing {listing_id}"
    else:
        index = client.add_version(signer, listing_id, digest)
        what = f"Added {spec.name} {spec.version} to listing {listing_id} as version {index}"
    copy = save_published(c.settings.home, spec)
    out.print(f"{what} at {rex(client.listing(listing_id).price)} a use; spec hash {digest}.")
    out.print(f"Saved the published spec to {copy}.", soft_wrap=True)


@app.command("deposit", context_settings=_AMOUNTS)
def deposit(
    ctx: typer.Context,
    amount: Annotated[str, typer.Argument(help="REX to move into your market credit.")],
    wallet: WalletOpt,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Prepay REX credit that jobs draw on (unused credit can be withdrawn at any time)."""
    c: CliContext = ctx.obj
    wei = parse_units(amount)
    client = market_client(c)
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    client.deposit(signer, wei)
    out.print(f"Deposited {rex(wei)}; market credit {rex(client.credit(signer.address))}.")


@app.command("withdraw", context_settings=_AMOUNTS)
def withdraw(
    ctx: typer.Context,
    amount: Annotated[str, typer.Argument(help="REX of unused credit to take back.")],
    wallet: WalletOpt,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Take unused market credit back to your wallet."""
    c: CliContext = ctx.obj
    wei = parse_units(amount)
    client = market_client(c)
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    client.withdraw_credit(signer, wei)
    out.print(f"Withdrew {rex(wei)}; market credit {rex(client.credit(signer.address))}.")


@app.command("buy", context_settings=_AMOUNTS)
def buy(
    ctx: typer.Context,
    listing_id: Annotated[int, typer.Argument(help="Listing id (see `rexos market list`).")],
    wallet: WalletOpt,
    max_price: Annotated[
        str | None,
        typer.Option(help="Most REX you will pay for this use (default: the listing's price)."),
    ] = None,
    hours: Annotated[
        int,
        typer.Option(
            min=1, max=720, help="Hours the operator has to settle before anyone may refund it."
        ),
    ] = JOB_HOURS_DEFAULT,
    pay_with: Annotated[
        str | None,
        typer.Option(
            "--pay-with",
            help="Buy the job at the market desk instead of holding your credit: its budget in"
            " USD (`rexos market desk`) in USDC, USDT, DAI, REX or points,"
            " or 'voucher' to spend what the desk keeps for you.",
            show_default=False,
        ),
    ] = None,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Buy one use of an agent's latest version: a job holds up to --max-price of your
    credit until the operator settles it (you pay the settled price, at most the maximum)
    or it expires (anyone may then refund it to you). With --pay-with the market desk
    opens the job for you, bought in USD, and what it does not spend becomes your voucher."""
    from rexos.cli.market_desk import buy_at_desk

    c: CliContext = ctx.obj
    client = market_client(c)
    listing = client.listing(listing_id)
    ceiling = parse_units(max_price) if max_price is not None else listing.price
    latest = client.versions(listing_id)[-1]
    expiry = client.now() + hours * 3600
    if pay_with is not None:
        auth = (passphrase_file, passphrase_env, yes)
        job_id = buy_at_desk(c, pay_with, latest, ceiling, expiry, wallet, auth)
        out.print(
            f"Opened job {job_id} on listing {listing_id} (version {_short(latest)}) at the "
            f"market desk, holding {rex(ceiling)} for {hours} h; its operator "
            f"{listing.operator} settles it."
        )
        return
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    job_id = client.open_job(signer, latest, ceiling, expiry)
    out.print(
        f"Opened job {job_id} on listing {listing_id} (version {_short(latest)}), holding "
        f"{rex(ceiling)} of your credit for {hours} h; its operator {listing.operator} "
        "settles it."
    )


@app.command("jobs")
def jobs(
    ctx: typer.Context,
    who: Annotated[str, typer.Argument(help="Wallet name or address of the buyer.")],
    as_json: JsonOpt = False,
) -> None:
    """The jobs a buyer opened, from credit or at the market desk, as they stand now."""
    from rexos.cli.dprompt import utc
    from rexos.cli.market_desk import desk_jobs

    c: CliContext = ctx.obj
    client = market_client(c)
    buyer = c.address_of(who)
    found = client.jobs_of(buyer)
    at_desk = desk_jobs(c, buyer)
    via = {j.job_id: "credit" for j in found} | {j.job_id: "desk" for j in at_desk}
    found = sorted(found + at_desk, key=lambda j: j.job_id)
    if as_json:
        _emit(
            {
                "units": "REX wei",
                "jobs": [
                    {
                        "id": str(j.job_id),
                        "listing": j.listing_id,
                        "status": j.status,
                        "amount": str(j.amount),
                        "expiry": j.expiry,
                        "score": j.score,
                        "paid": via[j.job_id],
                    }
                    for j in found
                ],
            }
        )
        return
    if not found:
        out.print("No job yet: buy one with `rexos market buy LISTING`.")
        return
    out.print(
        table(
            ("job", "listing", "status", "held / paid", "expires", "rating", "paid from"),
            [
                (
                    str(j.job_id),
                    str(j.listing_id),
                    j.status,
                    rex(j.amount),
                    utc(j.expiry),
                    str(j.score or "-"),
                    via[j.job_id],
                )
                for j in found
            ],
        )
    )


def parse_job_id(text: str) -> int:
    """A job id as typed (decimal or 0x-hex, > 0); one clear error otherwise."""
    try:
        value = int(text, 0)
    except ValueError as exc:
        raise UsageError(f"not a job id: {text!r}") from exc
    if value <= 0:
        raise UsageError(f"not a job id: {text!r}")
    return value


JobArg = Annotated[str, typer.Argument(help="Job id (printed by `rexos market buy`).")]


@app.command("settle", context_settings=_AMOUNTS)
def settle(
    ctx: typer.Context,
    job: JobArg,
    wallet: WalletOpt,
    response: Annotated[
        str, typer.Option(help="The answer delivered; the chain records its SHA-256.")
    ],
    price: Annotated[
        str | None,
        typer.Option(help="REX to charge, at most the job's maximum (default: the maximum)."),
    ] = None,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """As the listing's operator, settle a job: charge the price and record the response's
    hash; the rest of the held credit goes back to the buyer."""
    c: CliContext = ctx.obj
    job_id = parse_job_id(job)
    client = market_client(c)
    held = client.job(job_id).amount
    charge = parse_units(price) if price is not None else held
    digest = hashlib.sha256(response.encode("utf-8")).digest()
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    receipt = client.settle(signer, job_id, charge, digest)
    out.print(
        f"Settled job {job_id} for {rex(charge)} (response sha256 0x{digest.hex()}) "
        f"in block {receipt.block_number}."
    )


@app.command("refund")
def refund(
    ctx: typer.Context,
    job: JobArg,
    wallet: WalletOpt,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Return an expired, unsettled job's held credit to its buyer (anyone may; never
    paused, whatever the listing's state)."""
    c: CliContext = ctx.obj
    job_id = parse_job_id(job)
    client = market_client(c)
    view = client.job(job_id)
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    client.refund(signer, job_id)
    out.print(f"Refunded {rex(view.amount)} of job {job_id} to {view.buyer}'s credit.")


@app.command("rate")
def rate(
    ctx: typer.Context,
    job: JobArg,
    score: Annotated[int, typer.Argument(help="1 (poor) to 5 (excellent).")],
    wallet: WalletOpt,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Rate a job you paid for (at the market or its desk), once; the rating weighs what
    you paid."""
    from rexos.cli.market_desk import is_desk_job, rate_at_desk

    c: CliContext = ctx.obj
    job_id = parse_job_id(job)
    client = market_client(c)
    if is_desk_job(c, client.job(job_id).buyer):
        rate_at_desk(c, job_id, score, wallet, (passphrase_file, passphrase_env, yes))
    else:
        signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
        client.rate(signer, job_id, score)
    paid = client.job(job_id).amount
    out.print(f"Rated job {job_id} {score}/5, weighted by the {rex(paid)} you paid.")


@app.command("claim")
def claim(
    ctx: typer.Context,
    listing_id: Annotated[int, typer.Argument(help="Your listing's id.")],
    wallet: WalletOpt,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Pay a listing's developer share (what its settled jobs earned) to its owner."""
    c: CliContext = ctx.obj
    client = market_client(c)
    owner = client.listing(listing_id).owner
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    paid = client.claim(signer, listing_id)
    out.print(f"Paid {rex(paid)} of listing {listing_id}'s developer share to {owner}.")


@app.command("credit")
def credit(
    ctx: typer.Context,
    who: Annotated[str, typer.Argument(help="Wallet name or address.")],
) -> None:
    """A wallet's market credit not held by open jobs."""
    c: CliContext = ctx.obj
    address = c.address_of(who)
    out.print(f"{address}: {rex(market_client(c).credit(address))} of market credit.")
