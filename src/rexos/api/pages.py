"""The web pages' routes: log in and out, the Lense page, the static files.

* ``GET /login?code=…`` (the one-time link ``rexos serve`` prints) or ``POST /login``
  with the API token → a session cookie and a redirect; ``POST /logout`` ends it;
* ``GET /lense`` (``?address=``) → the page of that wallet (or of the server's own);
* ``GET /lense/{address}`` → the report inside the layout and the question form;
* ``POST /lense/{address}/ask`` (form: ``question``, ``csrf``) → the same page with the
  answer and the facts it cites, rendered by the server;
* ``GET /studio`` (``?template=``) → the Studio page: the plug-in library, the templates
  and the form that checks a spec; ``POST /studio/check`` (form: ``spec``, ``action``
  ``validate`` or ``test``, ``csrf``) → the same page with what the check found;
* ``POST /studio/publish`` (form: ``spec``, optional ``listing``, ``csrf``) → the spec
  checked again and its publication planned by the server's wallet (:func:`use_publisher`):
  the page shows that exact transaction and its fingerprint, nothing signed;
  ``POST /studio/publish/{fingerprint}/confirm`` (form: ``csrf``) → that transaction sent
  through the Wallet agent's gateway (only the session that planned it, only once, only
  within five minutes);
* ``GET /market`` → the Agent Market's listings, ``GET /market/{id}`` → one listing and its
  versions' totals, read through the market :func:`use_market` gave the app;
* ``GET /airdrop`` (``?address=``) → the airdrop's facts and an address's allocation (the
  server wallet's by default) through :func:`use_airdrop`'s desk; ``POST /airdrop/claim``
  (form: ``stake``, ``csrf``) → the server wallet's claim planned and shown, nothing signed;
  ``POST /airdrop/claim/{fingerprint}/confirm`` → sent through the gateway, once;
* ``GET /static/…`` → the stylesheets and the one script.

The guard (:mod:`rexos.api.web_guard`) has checked Host, Origin, the session and the CSRF
token before any of these runs.
"""

from __future__ import annotations

import functools
import hmac
import re
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.staticfiles import StaticFiles

from rexos.api.lense import MAX_QUESTION, LenseSource
from rexos.api.web_session import WebSession, WebSessions
from rexos.errors import RexosError, UsageError
from rexos.orchestrator.airdrop_desk import AirdropDesk
from rexos.studio import TEMPLATES, dump_spec, installed_tools
from rexos.studio.publishing import Publisher
from rexos.types import parse_address
from rexos.web.airdrop_page import airdrop_page
from rexos.web.lense_page import address_page, error_page, lense_page, login_page
from rexos.web.market_page import (
    MarketReader,
    listing_page,
    market_listings,
    market_page,
    no_market_page,
)
from rexos.web.studio_page import (
    Action,
    Publishing,
    StudioResult,
    check_spec,
    studio_page,
    template_specs,
)

__all__ = ["mount_pages", "use_airdrop", "use_market", "use_publisher"]

_LISTING_ID = re.compile(r"[0-9]{1,20}")
_FINGERPRINT = re.compile(r"0x[0-9a-f]{64}")
_NO_AIRDROP = ("This server reads no airdrop: start `rexos serve` on a deployment (`rexos airdrop "
               "build` publishes one).")  # fmt: skip
_NO_PUBLISHER = ("This server has no wallet to publish with: publish from a terminal with "
                 "`rexos market publish`, or start `rexos serve` on a deployment with an "
                 "Agent Market.")  # fmt: skip
_NO_MARKET = ("This server reads no Agent Market: start `rexos serve` on a deployment that has "
              "one (`rexos devnet up`).")  # fmt: skip

_NEXT = re.compile(r"/(?!/)[A-Za-z0-9/_.~%?=&-]*")
"""Where a log-in may send the browser: a path on this server, never another host."""


def _session(request: Request) -> WebSession:
    session = getattr(request.state, "web_session", None)
    if not isinstance(session, WebSession):  # the guard lets no page through without one
        raise RuntimeError("a page route ran without a session")
    return session


async def _form(request: Request) -> dict[str, str]:
    fields = parse_qs((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}


def _next(value: str | None) -> str:
    return value if value and _NEXT.fullmatch(value) else "/lense"


def _logged_in(sessions: WebSessions, session: WebSession, next_path: str) -> Response:
    response = RedirectResponse(next_path, 303)
    response.headers.append("set-cookie", sessions.set_cookie_header(session))
    return response


def _html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status)


def use_market(app: FastAPI, market: MarketReader | None) -> None:
    """Have ``app``'s market pages read ``market`` (a :class:`rexos.market.MarketClient`);
    without one they say there is no market to read."""
    app.state.rexos_market = market


def use_publisher(app: FastAPI, publisher: Publisher | None) -> None:
    """Have the Studio page publish through ``publisher`` (the server's wallet); without
    one it gives the terminal's command."""
    app.state.rexos_publisher = publisher


def _publisher(request: Request) -> Publisher | None:
    found: Publisher | None = getattr(request.app.state, "rexos_publisher", None)
    return found


def use_airdrop(app: FastAPI, desk: AirdropDesk | None) -> None:
    """Have the ``/airdrop`` page read (and claim for the server's wallet) through ``desk``."""
    app.state.rexos_airdrop = desk


def _desk(request: Request) -> AirdropDesk | None:
    found: AirdropDesk | None = getattr(request.app.state, "rexos_airdrop", None)
    return found


def _market(request: Request) -> MarketReader | None:
    found: MarketReader | None = getattr(request.app.state, "rexos_market", None)
    return found


def mount_pages(
    app: FastAPI, lense: LenseSource, sessions: WebSessions, token: str, home: str | None = None
) -> None:
    """Add the pages to ``app``: ``lense`` makes reports and answers, ``sessions`` holds the
    log-ins, ``token`` is the API token the log-in form takes, ``home`` the address
    ``/lense`` opens without one."""
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    def root() -> Response:
        return RedirectResponse("/lense", 303)

    @router.get("/login")
    def login(
        code: str | None = None, after: Annotated[str | None, Query(alias="next")] = None
    ) -> Response:
        if code is not None:
            session = sessions.redeem(code)
            if session is not None:
                return _logged_in(sessions, session, _next(after))
            return _html(login_page(_next(after), "This log-in link was used or has expired."),
                         401)  # fmt: skip
        return _html(login_page(_next(after)))

    @router.post("/login")
    async def login_form(request: Request) -> Response:
        form = await _form(request)
        given = form.get("api_token", "").strip()
        if given and hmac.compare_digest(given.encode(), token.encode()):
            return _logged_in(sessions, sessions.open(), _next(form.get("next")))
        return _html(login_page(_next(form.get("next")), "That is not the API token."), 401)

    @router.post("/logout")
    def logout(request: Request) -> Response:
        sessions.close(_session(request).id)
        response = RedirectResponse("/login", 303)
        response.headers.append("set-cookie", sessions.clear_cookie_header())
        return response

    @router.get("/lense")
    def lense_home(request: Request, address: str | None = None) -> Response:
        csrf = _session(request).csrf
        wanted = address if address is not None else home
        if not wanted:
            return _html(address_page(csrf))
        try:
            return RedirectResponse(f"/lense/{quote(parse_address(wanted))}", 303)
        except RexosError as exc:
            return _html(address_page(csrf, error=str(exc), value=wanted), 400)

    def _page(request: Request, address: str, question: str = "") -> Response:
        csrf = _session(request).csrf
        try:
            wallet = parse_address(address)
            report = lense.report(wallet)
            answer = lense.ask(wallet, question) if question else None
        except RexosError as exc:
            return _html(error_page("Lense", str(exc), csrf), 400)
        return _html(lense_page(wallet, report.html, csrf, answer=answer, question=question))

    @router.get("/lense/{address}")
    async def lense_report(request: Request, address: str) -> Response:
        return await run_in_threadpool(_page, request, address)

    @router.post("/lense/{address}/ask")
    async def lense_ask(request: Request, address: str) -> Response:
        question = (await _form(request)).get("question", "").strip()[:MAX_QUESTION]
        return await run_in_threadpool(_page, request, address, question)

    _studio_routes(router)
    _market_routes(router)
    _airdrop_routes(router)
    app.include_router(router)
    static = Path(str(resources.files("rexos.web").joinpath("static")))
    app.mount("/static", StaticFiles(directory=static), name="static")


def _studio_routes(router: APIRouter) -> None:
    tools = functools.cache(installed_tools)
    templates = functools.cache(lambda: template_specs(tools()))

    def _studio(csrf: str, spec: str = "", result: StudioResult | None = None,
                status: int = 200, publishing: Publishing | None = None) -> Response:  # fmt: skip
        shown = list(tools().values())
        text = studio_page(csrf, shown, templates(), spec_text=spec, result=result,
                           publishing=publishing)  # fmt: skip
        return _html(text, status)

    def _template(csrf: str, name: str) -> Response:
        for known, text, usable in templates():
            if known == name and usable:
                return _studio(csrf, text)
        why = f"no template {name!r}; templates: {', '.join(sorted(TEMPLATES))}"
        return _studio(csrf, result=StudioResult("validate", error=why), status=400)

    @router.get("/studio")
    async def studio(request: Request, template: str | None = None) -> Response:
        csrf = _session(request).csrf
        if template is None:
            return await run_in_threadpool(_studio, csrf, "", None, 200,
                                           _publishing(request))  # fmt: skip
        return await run_in_threadpool(_template, csrf, template)

    @router.post("/studio/check")
    async def studio_check(request: Request) -> Response:
        form = await _form(request)
        spec = form.get("spec", "")
        action: Action = "test" if form.get("action") == "test" else "validate"

        def check() -> Response:
            result = check_spec(spec, action, tools())
            return _studio(_session(request).csrf, spec, result, 200, _publishing(request))

        return await run_in_threadpool(check)

    @router.post("/studio/publish")
    async def studio_publish(request: Request) -> Response:
        form = await _form(request)
        spec, listing = form.get("spec", ""), form.get("listing", "").strip()

        def prepare() -> Response:
            session, publisher = _session(request), _publisher(request)
            result = check_spec(spec, "test", tools())  # again: the form is only a request
            if publisher is None:
                refused = Publishing(error=_NO_PUBLISHER)
                return _studio(session.csrf, spec, result, 503, refused)
            publishing = Publishing(wallet=publisher.address)
            if listing and not _LISTING_ID.fullmatch(listing):
                refused = replace(publishing, error=f"not a listing id: {listing[:40]!r}")
                return _studio(session.csrf, spec, result, 400, refused)
            if result.spec is None or not result.valid:
                return _studio(session.csrf, spec, result, 400, publishing)
            try:
                pending = publisher.prepare(session.id, result.spec, tools(),
                                            int(listing) if listing else None)  # fmt: skip
            except RexosError as exc:
                return _studio(session.csrf, spec, result, 400,
                               replace(publishing, error=str(exc)))  # fmt: skip
            return _studio(session.csrf, spec, result, 200, replace(publishing, pending=pending))

        return await run_in_threadpool(prepare)

    @router.post("/studio/publish/{fingerprint}/confirm")
    async def studio_publish_confirm(request: Request, fingerprint: str) -> Response:
        def confirm() -> Response:
            session, publisher = _session(request), _publisher(request)
            if publisher is None:
                return _studio(session.csrf, publishing=Publishing(error=_NO_PUBLISHER),
                               status=503)  # fmt: skip
            publishing = Publishing(wallet=publisher.address)
            try:
                if not _FINGERPRINT.fullmatch(fingerprint):
                    raise UsageError(f"not a transaction fingerprint: {fingerprint[:80]!r}")
                done = publisher.confirm(session.id, fingerprint)
            except RexosError as exc:
                return _studio(session.csrf, publishing=replace(publishing, error=str(exc)),
                               status=400)  # fmt: skip
            return _studio(session.csrf, dump_spec(done.spec),
                           publishing=replace(publishing, published=done))  # fmt: skip

        return await run_in_threadpool(confirm)


def _publishing(request: Request) -> Publishing:
    publisher = _publisher(request)
    return Publishing(wallet=None if publisher is None else publisher.address)


def _market_routes(router: APIRouter) -> None:
    def _listings(request: Request) -> Response:
        csrf = _session(request).csrf
        market = _market(request)
        if market is None:
            return _html(no_market_page(_NO_MARKET, csrf), 503)
        try:
            rows = market_listings(market)
        except RexosError as exc:
            return _html(no_market_page(f"Cannot read the market: {exc}", csrf), 502)
        return _html(market_page(rows, csrf))

    def _listing(request: Request, listing_id: str) -> Response:
        csrf = _session(request).csrf
        market = _market(request)
        if market is None:
            return _html(no_market_page(_NO_MARKET, csrf), 503)
        if not _LISTING_ID.fullmatch(listing_id):
            return _html(error_page("Agent Market", f"no market listing {listing_id}", csrf), 404)
        try:
            listing = market.listing(int(listing_id))
            versions = [market.version(h) for h in market.versions(listing.listing_id)]
        except RexosError as exc:
            return _html(error_page("Agent Market", str(exc), csrf), 404)
        return _html(listing_page(listing, versions, csrf))

    @router.get("/market")
    async def market_home(request: Request) -> Response:
        return await run_in_threadpool(_listings, request)

    @router.get("/market/{listing_id}")
    async def market_listing(request: Request, listing_id: str) -> Response:
        return await run_in_threadpool(_listing, request, listing_id)


def _airdrop_routes(router: APIRouter) -> None:
    def _show(request: Request, address: str = "", **shown: Any) -> Response:
        csrf, desk = _session(request).csrf, _desk(request)
        if desk is None:
            return _html(airdrop_page(csrf, None, error=_NO_AIRDROP), 503)
        wanted = address or desk.wallet or ""
        status = None
        error = shown.pop("error", None)
        code = 400 if error else 200
        if wanted:
            try:
                status = desk.status(wanted)
            except RexosError as exc:
                error, code = error or str(exc), 400 if address else 200
        return _html(airdrop_page(csrf, status, address=wanted, error=error, **shown), code)

    @router.get("/airdrop")
    async def airdrop_home(request: Request, address: str = "") -> Response:
        return await run_in_threadpool(_show, request, address.strip()[:100])

    @router.post("/airdrop/claim")
    async def airdrop_claim(request: Request) -> Response:
        stake = (await _form(request)).get("stake") == "1"

        def prepare() -> Response:
            desk = _desk(request)
            if desk is None:
                return _show(request)
            try:
                pending = desk.prepare(_session(request).id, stake)
            except RexosError as exc:
                return _show(request, error=str(exc))
            return _show(request, pending=pending)

        return await run_in_threadpool(prepare)

    @router.post("/airdrop/claim/{fingerprint}/confirm")
    async def airdrop_confirm(request: Request, fingerprint: str) -> Response:
        def confirm() -> Response:
            desk = _desk(request)
            if desk is None:
                return _show(request)
            try:
                if not _FINGERPRINT.fullmatch(fingerprint):
                    raise UsageError(f"not a transaction fingerprint: {fingerprint[:80]!r}")
                _, tx = desk.confirm(_session(request).id, fingerprint)
            except RexosError as exc:
                return _show(request, error=str(exc))
            return _show(request, claimed_tx=tx)

        return await run_in_threadpool(confirm)
