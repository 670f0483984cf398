"""``rexos serve``: the chat over HTTP (FastAPI), on loopback by default.

* ``POST /v1/chat`` ``{"message": "..."}`` → a reply: a question, an answer, or a plan to
  confirm (with each step's state, results and any transaction awaiting confirmation);
* ``POST /v1/plans/{id}/confirm`` → run a plan the user has read;
* ``POST /v1/plans/{id}/transactions/{fingerprint}/confirm`` → the user's yes to one exact
  transaction a step waits on (a changed transaction has another fingerprint);
* ``GET /v1/plans/{id}``, ``GET /v1/health``.

Bad input is HTTP 422 (malformed body) or 400 with ``{"error": "..."}`` (a request the
session refuses); nothing is sent then.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from rexos import __version__
from rexos.errors import RexosError
from rexos.orchestrator.chat import ChatSession

__all__ = ["create_app"]


class ChatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str = Field(max_length=4000)


def create_app(session: ChatSession) -> FastAPI:
    app = FastAPI(title="RexOS", version=__version__, docs_url="/docs", redoc_url=None)
    lock = threading.Lock()  # one wallet, one chain: requests run one at a time

    @app.exception_handler(RexosError)
    def refused(_request: Request, exc: RexosError) -> JSONResponse:
        return JSONResponse(status_code=400, content={"error": str(exc)})

    @app.get("/v1/health")
    def health() -> dict[str, Any]:
        return {"ok": True, "version": __version__}

    @app.post("/v1/chat")
    def chat(body: ChatIn) -> dict[str, Any]:
        with lock:
            return session.message(body.message).to_json()

    @app.get("/v1/plans/{plan_id}")
    def plan(plan_id: str) -> dict[str, Any]:
        return session.store.load(plan_id).to_json()

    @app.post("/v1/plans/{plan_id}/confirm")
    def confirm_plan(plan_id: str) -> dict[str, Any]:
        with lock:
            return session.confirm_plan(plan_id).to_json()

    @app.post("/v1/plans/{plan_id}/transactions/{fingerprint}/confirm")
    def confirm_transaction(plan_id: str, fingerprint: str) -> dict[str, Any]:
        with lock:
            return session.confirm_transaction(plan_id, fingerprint).to_json()

    return app
