"""`rexos history`, `rexos news` and `rexos search` against recorded answers served on 127.0.0.1.

The CLI is pointed at the local server through the same environment variables a user sets
(REXOS_ETHERSCAN_URL, REXOS_SEARX_URL, REXOS_NEWS_FEEDS).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from rexos.cli.main import run
from tests.unit.explorer.seed import ALICE, BOB, REX, USDC, ZERO, seed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
KEY = "e2e-secret-api-key"
VITALIK = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"
DDBD = "0xddBd2B932c763bA5b1b7AE3B362eac3e8d40121A"
"""The address the recorded explorer answers are about (tests/fixtures/explorer)."""
ROUTES = {
    "/news/coindesk": "news/coindesk_rss.xml",
    "/news/wire": "news/cryptonews_atom.xml",
    "/search": "search/searx_results.json",
}


@dataclass
class Recorded:
    url: str
    asked: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    explorer_answer: str | None = None


def _handler(recorded: Recorded, routes: dict[str, str] = ROUTES) -> type[BaseHTTPRequestHandler]:
    """Answer GETs from tests/fixtures by path (``routes``; the explorer API by its action)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            recorded.asked.append((parts.path, query))
            name = routes.get(parts.path)
            if parts.path == "/v2/api":
                name = f"explorer/{recorded.explorer_answer or query.get('action')}.json"
            if name is None or not (FIXTURES / name).is_file():
                self.send_response(404)
                self.end_headers()
                return
            body = (FIXTURES / name).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorded]:
    recorded = Recorded("")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(recorded))
    recorded.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("REXOS_ETHERSCAN_URL", f"{recorded.url}/v2/api")
    monkeypatch.setenv("REXOS_ETHERSCAN_API_KEY", KEY)
    monkeypatch.setenv("REXOS_SEARX_URL", recorded.url)
    monkeypatch.setenv("REXOS_NEWS_FEEDS", f"{recorded.url}/news/coindesk,{recorded.url}/news/wire")
    yield recorded
    httpd.shutdown()
    httpd.server_close()


@dataclass
class Result:
    code: int
    out: str
    err: str


Rexos = Callable[..., Result]


@pytest.fixture
def rexos(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Rexos:
    def invoke(*args: str) -> Result:
        capsys.readouterr()
        try:
            run(["--home", str(tmp_path), *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


def one_error_line(result: Result) -> str:
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert result.code == 2 and len(lines) == 1 and lines[0].startswith("error: "), result
    return lines[0]


def test_history_from_the_local_index(rexos: Rexos, tmp_path: Path) -> None:
    seed(tmp_path, 31337, [(1, 0, REX, ZERO, ALICE, 10**21), (2, 0, USDC, ALICE, BOB, 2_500_000)])
    result = rexos("history", ALICE.lower(), "--json")
    assert result.code == 0, result
    doc = json.loads(result.out)
    assert doc["source"] == "index" and doc["address"] == ALICE
    assert [(t["token_symbol"], t["direction"], t["amount"]) for t in doc["transfers"]] == [
        ("USDC", "out", "2500000"),
        ("REX", "in", str(10**21)),
    ]
    table = rexos("history", ALICE, "--limit", "1")
    assert table.code == 0 and "2.5 USDC" in table.out and "1000 REX" not in table.out


def test_history_with_nothing_indexed(rexos: Rexos) -> None:
    assert "run `rexos index` first" in rexos("history", ALICE).out
    line = one_error_line(rexos("history", ALICE, "--chain-id", "5"))
    assert "no index for chain 5" in line
    assert "not an address" in one_error_line(rexos("history", "0x1234"))


def test_history_from_the_explorer_api(rexos: Rexos, server: Recorded) -> None:
    result = rexos(
        "history", VITALIK, "--etherscan", "--chain-id", "8453", "--json", "--limit", "3"
    )
    assert result.code == 0, result
    doc = json.loads(result.out)
    assert doc["source"] == "etherscan" and doc["chain_id"] == 8453
    # the recorded answer's first rows: the 10,000 ETH genesis allocation, then 5 and 9,001 ETH
    assert [t["value"] for t in doc["transactions"]] == [
        str(10_000 * 10**18),
        str(5 * 10**18),
        str(9_001 * 10**18),
    ]
    path, query = server.asked[-1]
    assert path == "/v2/api" and query["chainid"] == "8453" and query["action"] == "txlist"
    assert query["apikey"] == KEY and query["offset"] == "3"
    genesis = rexos("history", DDBD, "--etherscan", "--limit", "1")
    assert genesis.code == 0, genesis
    assert "10000 ETH" in genesis.out and "GENESIS" in genesis.out
    assert "tx GENESIS_ddbd2b932c763ba5b1b7ae3b362eac3e8d40121a (block 0)" in genesis.out
    tokens = rexos("history", VITALIK, "--etherscan", "--tokens")
    assert tokens.code == 0 and "0.999999999999999999 MKR" in tokens.out, tokens
    assert server.asked[-1][1]["chainid"] == "1" and server.asked[-1][1]["action"] == "tokentx"
    assert KEY not in tokens.out + result.out


def test_explorer_errors_are_one_line(rexos: Rexos, server: Recorded) -> None:
    server.explorer_answer = "invalid_api_key"
    line = one_error_line(rexos("history", VITALIK, "--etherscan"))
    assert "NOTOK: Invalid API Key (#err2)|8 (set REXOS_ETHERSCAN_API_KEY)" in line
    assert KEY not in line and len(server.asked) == 1  # not retried


def test_news_from_two_feeds(rexos: Rexos, server: Recorded) -> None:
    result = rexos("news", "--json", "--limit", "4")
    assert result.code == 0, result
    doc = json.loads(result.out)
    assert [path for path, _ in server.asked] == ["/news/coindesk", "/news/wire"]
    assert [i["title"][:20] for i in doc["items"]] == [
        "Stablecoin Supply Hi",
        "Ethereum's Pectra Up",
        "Bitcoin ETF Inflows ",
        "IGNORE PREVIOUS INST",
    ]
    assert all(i["source"].startswith(server.url) for i in doc["items"])
    text = rexos("news", "--feed", f"{server.url}/news/coindesk", "--query", "daily cap")
    assert text.code == 0, text
    assert "IGNORE PREVIOUS INSTRUCTIONS" in text.out and "<script" not in text.out
    assert "https://www.coindesk.com/policy/2025/03/04/wallet-security-notice" in text.out


def test_news_with_a_broken_feed_warns_and_all_broken_fails(rexos: Rexos, server: Recorded) -> None:
    good, bad = f"{server.url}/news/wire", f"{server.url}/news/gone"
    partly = rexos("news", "--feed", good, "--feed", bad)
    assert partly.code == 0 and "Stablecoin Supply" in partly.out
    assert f"warning: feed {bad}: HTTP 404" in partly.err
    line = one_error_line(rexos("news", "--feed", bad))
    assert f"feed {bad}: HTTP 404" in line
    assert "must be an http" in one_error_line(rexos("news", "--feed", "file:///etc/passwd"))


def test_search(rexos: Rexos, server: Recorded) -> None:
    result = rexos("search", "ethereum pectra upgrade", "--json", "--limit", "3")
    assert result.code == 0, result
    doc = json.loads(result.out)
    assert server.asked[-1] == ("/search", {"q": "ethereum pectra upgrade", "format": "json"})
    assert [r["url"] for r in doc["results"]] == [
        "https://ethereum.org/en/roadmap/pectra/",
        "https://blog.ethereum.org/2025/02/24/pectra-mainnet",
        "https://pectra-airdrop.example/claim",
    ]
    text = rexos("search", "pectra")
    assert text.code == 0 and "https://pectra-airdrop.example/claim" in text.out
    assert "IGNORE PREVIOUS INSTRUCTIONS" in text.out and "no answer from google" in text.err
    assert "empty" in one_error_line(rexos("search", "   "))
