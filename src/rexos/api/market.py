"""The Agent Market over HTTP, read-only: the ``market`` plug-in's read tools as routes.

* ``GET /v1/market/listings`` → every listing, delisted ones included (``market.list``);
* ``GET /v1/market/listings/{id}`` → one listing with every version (``market.show``);
* ``GET /v1/market/jobs/{address}`` → the jobs a buyer opened (``market.jobs``).

Amounts are REX wei as decimal-digit strings, and each answer says so (``"units": "REX
wei"``). An id that is not a positive integer, or an address that is not one, is 422; a
listing that does not exist is 404; each with ``{"error": "..."}``. The routes take the
bearer token like every API route, and nothing here signs: buying and rating go through
the Wallet agent (``rexos market``, or the plug-in's ``market.buy``/``market.rate``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from rexos.agents.tool import ToolContext
from rexos.errors import InvalidAddress, UsageError
from rexos.types import parse_address

__all__ = ["market_routes"]

_MAX_ID_DIGITS = 20
"""Listing ids are uint64 on chain: 20 decimal digits at most."""


def _refused(status: int, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": message})


def _listing_id(text: str) -> int | None:
    digits = text.strip()
    if not digits.isascii() or not digits.isdigit() or len(digits) > _MAX_ID_DIGITS:
        return None
    value = int(digits)
    return value if value >= 1 else None


def market_routes(context: ToolContext) -> APIRouter:
    """The read-only market routes on ``context``'s chain and deployment (the server's)."""
    from rexos.market import MarketClient
    from rexos.plugins.builtin.market import plugin

    tools = plugin().as_agent()
    router = APIRouter()

    @router.get("/v1/market/listings")
    def listings() -> dict[str, Any]:
        return tools.tool("market.list").call_json(context, {"include_delisted": True})

    @router.get("/v1/market/listings/{listing_id}", response_model=None)
    def listing(listing_id: str) -> dict[str, Any] | JSONResponse:
        wanted = _listing_id(listing_id)
        if wanted is None:
            return _refused(422, f"not a listing id: {listing_id!r} (a positive integer)")
        manifest = context.manifest()
        if "AgentMarket" not in manifest.contracts:
            raise UsageError("this deployment has no AgentMarket")
        count = MarketClient(context.chain().web3, manifest).listing_count()
        if wanted > count:
            return _refused(404, f"no market listing {wanted} (listings run from 1 to {count})")
        return tools.tool("market.show").call_json(context, {"listing": wanted})

    @router.get("/v1/market/jobs/{address}", response_model=None)
    def jobs(address: str) -> dict[str, Any] | JSONResponse:
        try:
            buyer = parse_address(address)
        except InvalidAddress as exc:
            return _refused(422, str(exc))
        return tools.tool("market.jobs").call_json(context, {"buyer": buyer})

    return router
