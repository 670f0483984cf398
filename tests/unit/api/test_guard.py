"""The API guard in front of a stand-in app: Host, Origin, token, JSON bodies, size, CORS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict
from starlette.middleware.cors import CORSMiddleware

from rexos.api.guard import Guard, GuardPolicy

TOKEN = "t" * 43
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {**AUTH, "Content-Type": "application/json"}
PORT = 8787


class Body(BaseModel):
    model_config = ConfigDict(extra="allow")


def _client(cors: tuple[str, ...] = (), **policy: Any) -> tuple[TestClient, list[str]]:
    calls: list[str] = []
    app = FastAPI(docs_url=None, redoc_url=None)

    @app.get("/v1/health")
    def health() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/v1/thing")
    def thing() -> dict[str, bool]:
        calls.append("get")
        return {"ok": True}

    @app.post("/v1/thing")
    def change(body: Body) -> dict[str, Any]:
        calls.append("post")
        return {"got": body.model_dump()}

    if cors:
        app.add_middleware(CORSMiddleware, allow_origins=list(cors), allow_methods=["POST"],
                           allow_headers=["Authorization", "Content-Type"])  # fmt: skip
    rules = GuardPolicy.build(TOKEN, PORT, allow_origins=(*policy.pop("origins", ()), *cors),
                              **policy)  # fmt: skip
    app.add_middleware(Guard, policy=rules)
    return TestClient(app, base_url=f"http://127.0.0.1:{PORT}"), calls


@pytest.fixture
def client() -> Iterator[tuple[TestClient, list[str]]]:
    yield _client()


def _refused(response: Any, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    assert list(response.json()) == ["error"] and words in response.json()["error"]
    assert "\n" not in response.text


def test_policy_needs_a_token() -> None:
    with pytest.raises(ValueError, match="token"):
        GuardPolicy.build("", PORT)


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.0.0.1:8787", "localhost", "LOCALHOST:8787", "[::1]", "[::1]:8787"]
)
def test_loopback_hosts_with_the_port_or_without_are_served(client, host: str) -> None:  # type: ignore[no-untyped-def]
    c, _ = client
    assert c.get("/v1/thing", headers={**AUTH, "Host": host}).status_code == 200


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8787", "127.0.0.1:9999", "localhost.evil.example", ""]
)
def test_other_hosts_are_misdirected_even_with_the_token(client, host: str) -> None:  # type: ignore[no-untyped-def]
    c, calls = client
    _refused(c.get("/v1/thing", headers={**AUTH, "Host": host}), 421, "host")
    _refused(c.post("/v1/thing", json={}, headers={**AUTH, "Host": host}), 421, "--allow-host")
    _refused(c.get("/v1/health", headers={"Host": host}), 421, "host")
    assert calls == []


def test_a_configured_host_is_served() -> None:
    c, _ = _client(allow_hosts=["rexos.lan"])
    assert c.get("/v1/thing", headers={**AUTH, "Host": "rexos.lan:8787"}).status_code == 200
    assert c.get("/v1/thing", headers={**AUTH, "Host": "rexos.lan"}).status_code == 200
    assert c.get("/v1/thing", headers={**AUTH, "Host": "other.lan"}).status_code == 421


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "http://127.0.0.1:9999", "null", "http://localhost"]
)
def test_state_changing_calls_from_other_origins_are_refused(client, origin: str) -> None:  # type: ignore[no-untyped-def]
    c, calls = client
    _refused(c.post("/v1/thing", json={}, headers={**AUTH, "Origin": origin}), 403, "origin")
    assert calls == []
    assert c.get("/v1/thing", headers={**AUTH, "Origin": origin}).status_code == 200  # a read


@pytest.mark.parametrize("origin", [None, "http://127.0.0.1:8787", "http://localhost:8787/"])
def test_no_origin_or_our_own_origin_may_post(client, origin: str | None) -> None:  # type: ignore[no-untyped-def]
    c, calls = client
    headers = AUTH if origin is None else {**AUTH, "Origin": origin}
    response = c.post("/v1/thing", json={"a": 1}, headers=headers)
    assert response.status_code == 200 and response.json() == {"got": {"a": 1}}
    assert calls == ["post"]


def test_cross_site_fetch_without_origin_is_refused_and_configured_origins_pass() -> None:
    c, _ = _client(origins=["https://wallet.example"])
    cross = {**AUTH, "Sec-Fetch-Site": "cross-site"}
    _refused(c.post("/v1/thing", json={}, headers=cross), 403, "cross-site")
    ok = c.post("/v1/thing", json={}, headers={**cross, "Origin": "https://wallet.example"})
    assert ok.status_code == 200
    assert "access-control-allow-origin" not in ok.headers  # allowed to post is not CORS


def test_every_route_but_health_needs_the_exact_token(client) -> None:  # type: ignore[no-untyped-def]
    c, calls = client
    assert c.get("/v1/health").json() == {"ok": True}
    for headers in [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                    {"Authorization": f"Basic {TOKEN}"}]:  # fmt: skip
        _refused(c.get("/v1/thing", headers=headers), 401, "token")
        _refused(c.post("/v1/thing", json={}, headers=headers), 401, "Bearer")
        assert c.get("/v1/thing", headers=headers).headers["www-authenticate"] == "Bearer"
    _refused(c.get("/openapi.json"), 401, "token")
    _refused(c.post("/v1/health", json={}), 401, "token")
    assert calls == []


@pytest.mark.parametrize("name", ["token", "access_token", "api_key"])
def test_a_token_in_the_url_is_refused(client, name: str) -> None:  # type: ignore[no-untyped-def]
    c, calls = client
    _refused(c.get(f"/v1/thing?{name}={TOKEN}"), 400, "Authorization header")
    _refused(c.get(f"/v1/thing?{name}={TOKEN}", headers=AUTH), 400, "never in the URL")
    assert calls == []


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        ("application/x-www-form-urlencoded", b"message=send+1+USDC"),
        ("multipart/form-data; boundary=x", b"--x\r\n\r\nhi\r\n--x--\r\n"),
        ("text/plain", b'{"message": "hi"}'),
        ("application/json-seq", b"{}"),
        (None, b"{}"),
    ],
)
def test_only_json_bodies_are_accepted(client, kind: str | None, content: bytes) -> None:  # type: ignore[no-untyped-def]
    c, calls = client
    headers = dict(AUTH) if kind is None else {**AUTH, "Content-Type": kind}
    _refused(c.post("/v1/thing", content=content, headers=headers), 415, "JSON")
    assert calls == []
    charset = {**AUTH, "Content-Type": "Application/JSON; charset=utf-8"}
    assert c.post("/v1/thing", content=b"{}", headers=charset).status_code == 200


def test_bodies_over_the_limit_are_refused_declared_or_streamed() -> None:
    c, calls = _client(max_body=1024)
    big = b'{"a": "' + b"x" * 2000 + b'"}'
    _refused(c.post("/v1/thing", content=big, headers=JSON), 413, "1024 bytes")

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"a": "'
        for _ in range(10):
            yield b"x" * 200
        yield b'"}'

    _refused(c.post("/v1/thing", content=chunks(), headers=JSON), 413, "over")
    assert calls == []
    assert c.post("/v1/thing", content=b'{"a": "' + b"x" * 900 + b'"}',
                  headers=JSON).status_code == 200  # fmt: skip


def test_no_cors_by_default_preflight_from_elsewhere_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    c, _ = client
    preflight = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}  # fmt: skip
    response = c.options("/v1/thing", headers=preflight)
    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-origin" not in c.get("/v1/thing", headers=AUTH).headers


def test_a_configured_cors_origin_gets_exactly_its_own_origin_back() -> None:
    c, _ = _client(cors=("https://app.example",))
    preflight = {"Origin": "https://app.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}  # fmt: skip
    response = c.options("/v1/thing", headers=preflight)
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == "https://app.example"
    other = c.options("/v1/thing", headers={**preflight, "Origin": "https://evil.example"})
    assert other.status_code == 403 and "access-control-allow-origin" not in other.headers
    post = c.post("/v1/thing", json={}, headers={**AUTH, "Origin": "https://app.example"})
    assert post.headers["access-control-allow-origin"] == "https://app.example"
