"""The market plug-in: the Agent Market's listings, jobs and credit, and buying and rating.

``market.list``, ``market.show``, ``market.jobs`` and ``market.credit`` read the deployment's
``AgentMarket``: amounts are REX wei as decimal-digit strings (``units`` says so), with the
price also in REX for a person. Their results hold only addresses, hex hashes and integers
(a spec hash is 32 opaque bytes, shown as hex whatever they spell), so they are declared
trusted, and MCP serves them.

``market.buy`` (open a job on a listing's latest version, holding at most ``max_price`` REX of
the wallet's market credit) and ``market.rate`` (rate a settled job the wallet paid for) sign,
so they are ``moves_funds``: never served over MCP, never offered to a model, and the
orchestrator asks before calling them. They build the exact ``AgentMarket`` call themselves
from typed arguments (a listing id, a decimal REX amount read to wei, a job id, a score) and
send it through the Wallet agent's gateway (:class:`~rexos.agents.wallet.GatewaySigner`):
simulated, valued in REX, checked against the wallet's policy as it is now. The wallet is the
context's (``wallet()``, as the orchestrator's workspace gives it); a context without one
cannot call them. A transaction the policy wants confirmed is sent only when the context can
ask its human (``approve(prepared) -> bool``); otherwise it is refused and nothing is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from pydantic import BaseModel, Field

from rexos import __version__
from rexos.agents.tool import ToolContext, ToolParams, tool
from rexos.errors import UsageError
from rexos.plugins.spec import Plugin
from rexos.types import format_units, parse_address, parse_units

if TYPE_CHECKING:
    from rexos.agents.wallet import GatewaySigner, Prepared, WalletAgent
    from rexos.market import MarketClient
    from rexos.market.views import JobView, ListingView, VersionView
    from rexos.types import Address

__all__ = ["plugin"]

_UNITS = "REX wei"
_JOB_HOURS = 24
_ADDRESS = r"^0x[0-9a-fA-F]{40}$"
_REX = r"^[0-9][0-9_]*(\.[0-9]+)?$"
_JOB = r"^[1-9][0-9]{0,77}$"
_EXAMPLE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
_TRUSTED = (
    "AgentMarket reads on the deployment's chain: addresses, hex hashes and integer amounts; "
    "no text anyone wrote"
)


def _client(ctx: ToolContext) -> MarketClient:
    from rexos.market import MarketClient

    manifest = ctx.manifest()
    if "AgentMarket" not in manifest.contracts:
        raise UsageError("this deployment has no AgentMarket")
    return MarketClient(ctx.chain().web3, manifest)


def _rating(version: VersionView) -> str | None:
    """The price-weighted average score with two decimals (rounded down), or ``None``."""
    numerator, weight = version.average_score
    if weight == 0:
        return None
    hundredths = numerator * 100 // weight
    return f"{hundredths // 100}.{hundredths % 100:02d}"


class VersionOut(BaseModel):
    index: int
    spec_hash: str = Field(description="The version's spec hash, 0x-hex.")
    jobs: int
    settled: int
    settled_value: str = Field(description="REX wei paid for its settled jobs.")
    ratings: int
    rating_weight: str = Field(description="REX wei paid by the buyers who rated it.")
    weighted_score: str
    rating: str | None = Field(description="Average score 1-5 weighted by what each rater paid.")


def _version(v: VersionView) -> VersionOut:
    return VersionOut(
        index=v.index,
        spec_hash="0x" + v.spec_hash.hex(),
        jobs=v.jobs,
        settled=v.settled,
        settled_value=str(v.settled_value),
        ratings=v.ratings,
        rating_weight=str(v.rating_weight),
        weighted_score=str(v.weighted_score),
        rating=_rating(v),
    )


class ListingOut(BaseModel):
    id: int
    owner: str
    operator: str = Field(description="Who runs the agent and settles its jobs.")
    price: str = Field(description="Price per use, REX wei.")
    price_rex: str = Field(description="Price per use in REX (what market.buy takes).")
    listed: bool = Field(description="False: delisted, no new jobs (open ones still settle).")
    versions: int
    settled_value: str = Field(description="REX wei paid for its settled jobs, all versions.")
    latest: VersionOut = Field(description="The version market.buy opens a job on.")


def _listing(listing: ListingView, latest: VersionView) -> ListingOut:
    return ListingOut(
        id=listing.listing_id,
        owner=listing.owner,
        operator=listing.operator,
        price=str(listing.price),
        price_rex=format_units(listing.price),
        listed=listing.listed,
        versions=listing.versions,
        settled_value=str(listing.settled_value),
        latest=_version(latest),
    )


class ListParams(ToolParams):
    include_delisted: bool = Field(default=False, description="Also list delisted agents.")


class ListResult(BaseModel):
    units: str = _UNITS
    listings: list[ListingOut]


@tool(
    "market.list",
    "The agents listed on the Agent Market: price per use, versions, REX value settled and "
    "the latest version's rating weighted by what buyers paid. Reads the chain.",
    ListParams,
    ListResult,
    needs=["chain"],
    trusted=_TRUSTED,
    examples=[{}, {"include_delisted": True}],
)
def list_(ctx: ToolContext, p: ListParams) -> ListResult:
    client = _client(ctx)
    rows = []
    for listing in client.listings():
        if listing.listed or p.include_delisted:
            rows.append(_listing(listing, client.version(client.versions(listing.listing_id)[-1])))
    return ListResult(listings=rows)


class ShowParams(ToolParams):
    listing: int = Field(ge=1, description="Listing id, as market.list shows it.")


class ShowResult(BaseModel):
    units: str = _UNITS
    listing: ListingOut
    developer_due: str = Field(description="REX wei its owner may claim.")
    versions: list[VersionOut] = Field(description="Every version, oldest first.")


@tool(
    "market.show",
    "One Agent Market listing with every version's totals: jobs, settled value, ratings.",
    ShowParams,
    ShowResult,
    needs=["chain"],
    trusted=_TRUSTED,
    examples=[{"listing": 1}],
)
def show(ctx: ToolContext, p: ShowParams) -> ShowResult:
    client = _client(ctx)
    listing = client.listing(p.listing)
    versions = [client.version(h) for h in client.versions(p.listing)]
    return ShowResult(
        listing=_listing(listing, versions[-1]),
        developer_due=str(listing.developer_due),
        versions=[_version(v) for v in versions],
    )


class JobOut(BaseModel):
    id: str = Field(description="Job id (a large integer, as text).")
    listing: int
    version: int
    buyer: str
    status: str = Field(description="open, settled or refunded.")
    amount: str = Field(description="REX wei held while open; the price paid once settled.")
    expiry: int = Field(description="Chain time after which an open job may be refunded.")
    score: int | None = Field(description="The buyer's rating, 1-5, if given.")
    paid: str = Field(
        description="credit (the buyer's market credit) or desk (bought in USD or points at "
        "the market desk, which the market names as its buyer)."
    )


def _job(job: JobView, paid: str = "credit") -> JobOut:
    """A job as the plug-in and the API show it."""
    return JobOut(
        id=str(job.job_id),
        listing=job.listing_id,
        version=job.version_index,
        buyer=job.buyer,
        status=job.status,
        amount=str(job.amount),
        expiry=job.expiry,
        score=job.score or None,
        paid=paid,
    )


class JobsParams(ToolParams):
    buyer: str = Field(pattern=_ADDRESS, description="The buyer's address.")


class JobsResult(BaseModel):
    units: str = _UNITS
    buyer: str
    jobs: list[JobOut]


@tool(
    "market.jobs",
    "The Agent Market jobs a buyer opened, from credit or at the market desk, as they stand "
    "now (held or paid REX, status, expiry, rating).",
    JobsParams,
    JobsResult,
    needs=["chain"],
    trusted=_TRUSTED,
    examples=[{"buyer": _EXAMPLE}],
)
def jobs(ctx: ToolContext, p: JobsParams) -> JobsResult:
    buyer = parse_address(p.buyer)
    client = _client(ctx)
    # No job predates the deployment: its events are read from the manifest's block on.
    found = [_job(j) for j in client.jobs_of(buyer, from_block=ctx.manifest().block)]
    found += [_job(j, "desk") for j in _desk_jobs(ctx, client, buyer)]
    return JobsResult(buyer=buyer, jobs=sorted(found, key=lambda j: int(j.id)))


def _desk_jobs(ctx: ToolContext, client: MarketClient, payer: Address) -> list[JobView]:
    """The jobs ``payer`` bought at the market desk (none without one)."""
    from rexos.economy.fees import FeeClient
    from rexos.market.desk import MarketDesk

    manifest = ctx.manifest()
    if "MarketDesk" not in manifest.contracts:
        return []
    return MarketDesk(client, FeeClient(client.web3, manifest)).jobs_of(payer)


class CreditParams(ToolParams):
    address: str = Field(pattern=_ADDRESS, description="The wallet address.")


class CreditResult(BaseModel):
    units: str = _UNITS
    address: str
    credit: str = Field(description="REX wei of market credit not held by open jobs.")
    credit_rex: str


@tool(
    "market.credit",
    "A wallet's Agent Market credit (prepaid REX) not held by open jobs.",
    CreditParams,
    CreditResult,
    needs=["chain"],
    trusted=_TRUSTED,
    examples=[{"address": _EXAMPLE}],
)
def credit(ctx: ToolContext, p: CreditParams) -> CreditResult:
    address = parse_address(p.address)
    wei = _client(ctx).credit(address)
    return CreditResult(address=address, credit=str(wei), credit_rex=format_units(wei))


def _gateway(ctx: ToolContext, what: str) -> GatewaySigner:
    """The context's wallet behind the Wallet agent's gateway; fails closed without one."""
    from rexos.agents.wallet import GatewaySigner

    wallet = getattr(ctx, "wallet", None)
    if not callable(wallet):
        raise UsageError(f"{what} signs through the Wallet agent: this caller has no wallet")
    agent = cast("WalletAgent", wallet())
    approve = getattr(ctx, "approve", None)
    asks: Callable[[Prepared], bool] = approve if callable(approve) else _no_human(what)
    return GatewaySigner(agent, asks)


def _no_human(what: str) -> Callable[[Prepared], bool]:
    def refuse(prepared: Prepared) -> bool:
        raise UsageError(
            f"the wallet policy wants a person to confirm {prepared.tx.summary}, and {what} "
            "has no one to ask: nothing was sent (use `rexos market` in a terminal)"
        )

    return refuse


class BuyParams(ToolParams):
    listing: int = Field(ge=1, description="Listing id, as market.list shows it.")
    max_price: str = Field(
        pattern=_REX,
        max_length=40,
        description="Most REX to pay for this use, e.g. '0.5' (at least the "
        "listing's price); held from the wallet's market credit.",
    )
    hours: int = Field(
        default=_JOB_HOURS,
        ge=1,
        le=720,
        description="Hours the operator has to settle before it may be refunded.",
    )


class BuyResult(BaseModel):
    units: str = _UNITS
    job: JobOut
    spec_hash: str = Field(description="The version bought (the listing's latest).")
    operator: str = Field(description="Who runs the agent and settles the job.")


@tool(
    "market.buy",
    "Buy one use of an Agent Market agent: open a job on the listing's latest version that "
    "holds at most max_price REX of the wallet's market credit until its operator settles it "
    "(the buyer pays the settled price, never more than the maximum) or it expires and is "
    "refunded. Signs through the Wallet agent's policy.",
    BuyParams,
    BuyResult,
    moves_funds=True,
    needs=["chain"],
    trusted=_TRUSTED,
    examples=[{"listing": 1, "max_price": "0.5"}, {"listing": 2, "max_price": "1", "hours": 2}],
)
def buy(ctx: ToolContext, p: BuyParams) -> BuyResult:
    ceiling = parse_units(p.max_price)
    client = _client(ctx)
    listing = client.listing(p.listing)
    latest = client.versions(p.listing)[-1]
    signer = _gateway(ctx, "market.buy")
    job_id = client.open_job(signer, latest, ceiling, client.now() + p.hours * 3600)
    return BuyResult(
        job=_job(client.job(job_id)), spec_hash="0x" + latest.hex(), operator=listing.operator
    )


class RateParams(ToolParams):
    job: str = Field(pattern=_JOB, description="Job id, as market.jobs shows it.")
    score: int = Field(ge=1, le=5, description="1 (poor) to 5 (excellent).")


class RateResult(BaseModel):
    units: str = _UNITS
    job: JobOut
    weight: str = Field(description="REX wei the buyer paid: the rating's weight.")


@tool(
    "market.rate",
    "Rate an Agent Market job the wallet paid for and that was settled, once, 1 to 5; the "
    "rating weighs what was paid. Signs through the Wallet agent's policy.",
    RateParams,
    RateResult,
    moves_funds=True,
    needs=["chain"],
    trusted=_TRUSTED,
    examples=[{"job": str((1 << 64) + 1), "score": 5}],
)
def rate(ctx: ToolContext, p: RateParams) -> RateResult:
    job_id = int(p.job)
    client = _client(ctx)
    client.job(job_id)  # an unknown job is named before the wallet is opened
    client.rate(_gateway(ctx, "market.rate"), job_id, p.score)
    rated = client.job(job_id)
    return RateResult(job=_job(rated), weight=str(rated.amount))


def plugin() -> Plugin:
    return Plugin.of(
        "market",
        __version__,
        "The Agent Market: listings, versions, jobs and credit; buy a use and rate it through "
        "the Wallet agent's policy.",
        [list_, show, jobs, credit, buy, rate],
    )
