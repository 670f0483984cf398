"""The demo's Studio and Agent Market chapter: two agents published by their spec hash, a use
bought, run, settled and rated, and the developer paid, all on the in-process chain."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table

from rexos.cli.console import out, rex

if TYPE_CHECKING:
    from rexos.chain import ChainClient, Manifest
    from rexos.studio import AgentSpec
    from rexos.studio.run import RunResult

__all__ = ["market_chapter"]

MAX_PRICE_WEI = 15 * 10**17
"""What the buyer lets a use cost at most: 1.5 REX."""


def _run(
    spec: AgentSpec, chain: ChainClient, manifest: Manifest, buyer: int, message: str
) -> RunResult:
    """Run ``spec`` on ``message`` for dev account ``buyer`` (a scratch data dir: its default
    policy, its ledger), confirming what the policy asks to confirm, as a user would."""
    from rexos.chain import dev_account
    from rexos.config import Settings
    from rexos.orchestrator.workspace import LocalWorkspace
    from rexos.studio.run import run_agent
    from rexos.types import Address

    account = dev_account(buyer)
    with tempfile.TemporaryDirectory(prefix="rexos-demo-agent-") as scratch:
        ws = LocalWorkspace(
            Settings(home=Path(scratch)), chain, manifest, Address(account.address),
            lambda: account,
        )  # fmt: skip
        return run_agent(
            spec, message, ws, confirm_plan=lambda _plan: True,
            confirmer=lambda _step, _prepared: True,
        )  # fmt: skip


def market_chapter(chain: ChainClient, manifest: Manifest, developer: int, buyer: int) -> None:
    """``developer`` publishes the two example agents; ``buyer`` buys a use of the digest,
    the developer (its operator) runs it and settles; the buyer rates it; the developer
    claims the share. Both are funded dev accounts."""
    from rexos.chain import Transactor, dev_account
    from rexos.market import MarketClient
    from rexos.studio import installed_tools, spec_hash, validate
    from rexos.studio.reading import parse_spec
    from rexos.studio.safeyaml import load_document
    from rexos.studio.templates import TEMPLATES, template_text

    web3 = chain.web3
    market = MarketClient(web3, manifest)
    dev, user = Transactor(web3, dev_account(developer)), Transactor(web3, dev_account(buyer))
    installed = installed_tools()
    listed = {}
    table = Table("listing", "agent", "permissions", "price a use", "spec hash")
    for template in TEMPLATES:
        spec = parse_spec(load_document(template_text(template)))
        validate(spec, installed, publish=True)
        digest = spec_hash(spec)
        listing = market.list_agent(dev, digest, dev.address, spec.price_units)
        listed[template] = (spec, digest, listing)
        mode = "funds, capped" if spec.permissions.moves_funds else "read-only"
        recorded = market.listing(listing)  # as the chain recorded it
        table.add_row(
            str(listing), f"{spec.name} {spec.version}", mode, rex(recorded.price), digest[:10]
        )
    out.print("carol, a developer, publishes the two example agents of Studio:")
    out.print(table)
    out.print(
        "Each spec composes installed tools only (no code path), pinned by content hash; the "
        "market lists it by the hash of its canonical form."
    )

    spec, digest, listing = listed["dca"]
    market.deposit(user, 2 * 10**18)
    expiry = market.now() + 24 * 3600
    job = market.open_job(user, digest, MAX_PRICE_WEI, expiry)
    out.print(
        f"bob prepays {rex(2 * 10**18)} of market credit and buys a use of {spec.name} "
        f"(job {job}), holding at most {rex(MAX_PRICE_WEI)} until it settles or expires."
    )
    done = _run(spec, chain, manifest, buyer, "swap 50 USDC for WETH")
    out.print(
        f"bob runs it with his wallet, through the Wallet agent's gateway held to the spec's "
        f'permissions: "swap 50 USDC for WETH" → {done.outcome}, {done.calls} call, '
        f"${done.usd} spent.",
        markup=False,
    )
    refused = _run(spec, chain, manifest, buyer, "swap 80 USDC for WETH")
    out.print(
        f"Asked for 80 USDC, the agent is refused before anything is signed: "
        f"{refused.refused[0] if refused.refused else refused.outcome}.",
        markup=False,
    )
    response = json.dumps(done.to_json(), sort_keys=True)
    price = market.listing(listing).price
    receipt = market.settle(dev, job, price, hashlib.sha256(response.encode()).digest())
    out.print(
        f"carol, its operator, settles the job for {rex(price)} with the run's hash (gas "
        f"{receipt.gas_used:,}); the other {rex(MAX_PRICE_WEI - price)} held goes back to "
        f"bob's credit ({rex(market.credit(user.address))})."
    )
    market.rate(user, job, 5)
    version = market.version(digest)
    out.print(
        f"bob rates it 5/5, weighted by the {rex(price)} he paid: {version.ratings} rating, "
        f"weight {rex(version.rating_weight)}. Only a buyer who paid can rate."
    )
    fees = market.fees()
    paid = market.claim(dev, listing)
    out.print(
        f"carol claims her developer share, {rex(paid)}; {rex(fees.pool_due)} goes to the "
        f"sREX reward pool and {rex(fees.treasury_due)} to the treasury "
        f"({fees.pool_bps / 100:g} % and {fees.treasury_bps / 100:g} %, bounded in the contract)."
    )
