"""``rexos serve``: the chat over HTTP (FastAPI), on loopback by default.

* ``POST /v1/chat`` ``{"message": "..."}`` → a reply: a question, an answer, or a plan to
  confirm (with each step's state, results and any transaction awaiting confirmation);
* ``POST /v1/plans/{id}/confirm`` ``{}`` → run a plan the user has read;
* ``POST /v1/plans/{id}/transactions/{fingerprint}/confirm`` ``{}`` → the user's yes to one
  exact transaction a step waits on (a changed transaction has another fingerprint);
* ``GET /v1/plans/{id}``, ``GET /v1/health``, ``GET /openapi.json``;
* with a market context, ``GET /v1/market/listings``, ``GET /v1/market/listings/{id}`` and
  ``GET /v1/market/jobs/{address}`` (:mod:`rexos.api.market`, read-only, REX wei);
* with a Lense source, ``GET /v1/lense/{address}`` and ``POST /v1/lense/{address}/ask``
  (:mod:`rexos.api.lense`), and with browser sessions the web pages (``/lense``, log-in;
  :mod:`rexos.api.pages`), which take a session cookie and same-origin form posts with a
  CSRF token instead of the bearer token (:mod:`rexos.api.web_guard`).

Every route but ``GET /v1/health`` needs ``Authorization: Bearer <token>`` (the data
directory's ``api.token``), and every request passes the :mod:`rexos.api.guard` checks
(Host, Origin, JSON bodies only, size limit). No CORS headers are sent unless origins are
configured (``cors_origins``, exact origins only).

Bad input is HTTP 422 (malformed body) or 400 with ``{"error": "..."}`` (a request the
session refuses); nothing is sent then. Reads (prices, balances, the portfolio) run side by
side; whatever moves funds runs one at a time (:class:`~rexos.orchestrator.chat.ChatSession`
serialises it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.middleware.cors import CORSMiddleware

from rexos import __version__
from rexos.agents.tool import ToolContext
from rexos.api.compliance import ComplianceCheck, data_dir
from rexos.api.guard import Guard, GuardPolicy
from rexos.api.lense import LenseSource, lense_routes
from rexos.api.market import market_routes
from rexos.api.web_session import WebSessions
from rexos.errors import RexosError
from rexos.orchestrator.chat import ChatSession

__all__ = ["create_app"]


class ChatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str = Field(max_length=4000)


class ConfirmIn(BaseModel):
    """A confirmation's body: an empty JSON object (so a form post cannot be one)."""

    model_config = ConfigDict(extra="forbid")


def create_app(
    session: ChatSession | None,
    policy: GuardPolicy,
    *,
    cors_origins: Sequence[str] = (),
    lense: LenseSource | None = None,
    web: WebSessions | None = None,
    home: str | None = None,
    market: ToolContext | None = None,
) -> FastAPI:
    """The API over ``session`` (no chat routes without one), behind ``policy``;
    ``cors_origins`` (exact origins) may call it from a browser (they must be in the
    policy's allowed origins too). ``lense`` adds the Lense routes, and with ``web`` (the
    browser sessions) the pages; ``home``: the address ``/lense`` opens by default.
    ``market`` (a context with the chain and deployment) adds the read-only Agent Market
    routes, and with a wallet (a :class:`~rexos.orchestrator.workspace.Workspace`) the
    Studio page publishes from it."""
    app = FastAPI(title="RexOS", version=__version__, docs_url=None, redoc_url=None)

    @app.exception_handler(RexosError)
    def refused(_request: Request, exc: RexosError) -> JSONResponse:
        return JSONResponse(status_code=400, content={"error": str(exc)})

    @app.get("/v1/health")
    def health() -> dict[str, Any]:
        return {"ok": True, "version": __version__}

    if session is not None:
        _chat_routes(app, session)
    if lense is not None:
        app.include_router(lense_routes(lense))
        if web is not None:
            from rexos.api.pages import mount_pages

            mount_pages(app, lense, web, policy.token, home)
    if market is not None:
        app.include_router(market_routes(market))
        if web is not None and lense is not None:
            _market_pages(app, market)

    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=[o.strip().rstrip("/") for o in cors_origins],
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(ComplianceCheck, home=data_dir(session, market))  # after the Guard
    app.add_middleware(Guard, policy=policy, web=web)  # added last: runs first
    return app


def _market_pages(app: FastAPI, market: ToolContext) -> None:
    """Have the ``/market`` pages read the deployment's AgentMarket, when it has one (else
    they say there is no market to read), the Studio page publish to it from the context's
    wallet, when it has one, and the ``/airdrop`` page read the data directory's airdrop
    (and claim for that wallet)."""
    from rexos.api.pages import use_airdrop, use_market, use_publisher
    from rexos.market import MarketClient
    from rexos.orchestrator.airdrop_desk import AirdropDesk
    from rexos.studio.publishing import Publisher

    manifest = market.manifest()
    wallet = getattr(market, "wallet", None)
    use_airdrop(app, AirdropDesk(market.chain().web3, market.settings.home, manifest.chain_id,
                                 wallet if callable(wallet) else None))  # fmt: skip
    if "AgentMarket" not in manifest.contracts:
        return
    client = MarketClient(market.chain().web3, manifest)
    use_market(app, client)
    if callable(wallet):
        use_publisher(app, Publisher(client, wallet, market.settings.home))


def _chat_routes(app: FastAPI, session: ChatSession) -> None:
    @app.post("/v1/chat")
    def chat(body: ChatIn) -> dict[str, Any]:
        return session.message(body.message).to_json()

    @app.get("/v1/plans/{plan_id}")
    def plan(plan_id: str) -> dict[str, Any]:
        return session.store.load(plan_id).to_json()

    @app.post("/v1/plans/{plan_id}/confirm")
    def confirm_plan(plan_id: str, _body: ConfirmIn) -> dict[str, Any]:
        return session.confirm_plan(plan_id).to_json()

    @app.post("/v1/plans/{plan_id}/transactions/{fingerprint}/confirm")
    def confirm_transaction(plan_id: str, fingerprint: str, _body: ConfirmIn) -> dict[str, Any]:
        return session.confirm_transaction(plan_id, fingerprint).to_json()
