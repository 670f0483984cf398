"""`rexos bridge`: between the devnet's two chains end to end, on anvil and on the py-evm
server (devnet up starts the second chain and the relayer), and the ranking of real bridges
over a local HTTP server that replays the recorded API responses."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest

from rexos.cli.main import run
from tests.cli_process import rexos_in

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bridges"
# The replay answers every query with the same file, whatever transfer was asked:
# the LI.FI and Bungee files (hand-written) answer this test's 1,000 USDC
# Optimism -> Arbitrum, the Across one (recorded) 100 USDC Ethereum -> Arbitrum.
ROUTES = {
    "/v1/quote": "lifi_quote.json",
    "/api/suggested-fees": "across_suggested_fees.json",
    "/v2/quote": "bungee_quote.json",
}


@pytest.mark.parametrize("backend", [pytest.param("anvil", marks=pytest.mark.anvil), "pyevm"])
def test_bridge_moves_tokens_between_the_devnet_chains(tmp_path: Path, backend: str) -> None:
    rexos = rexos_in(tmp_path, MY_PASS="pw-pw-pw")
    up = rexos("devnet", "up", "--backend", backend, "--provider", "none")
    try:
        assert up.returncode == 0, up.stderr
        assert "Second chain devnet-b" in up.stdout and "relayer running" in up.stdout
        assert rexos("wallet", "new", "ann", "--passphrase-env", "MY_PASS").returncode == 0
        assert rexos("devnet", "fund", "ann").returncode == 0
        auth = ("-w", "ann", "--passphrase-env", "MY_PASS", "--yes")

        there = rexos("bridge", "REX", "250.5", "--to", "devnet-b", *auth)
        assert there.returncode == 0, there.stderr
        assert "locks on devnet, mints on devnet-b" in there.stdout
        assert "received 250.5 REX (balance 250.500000)" in there.stdout

        back = rexos("bridge", "REX", "100", "--to", "devnet", *auth)
        assert back.returncode == 0, back.stderr
        assert "burns on devnet-b, releases on devnet" in back.stdout
        assert "received 100 REX (balance 99,849.500000)" in back.stdout

        too_much = rexos("bridge", "REX", "151", "--to", "devnet", *auth)
        assert too_much.returncode == 2
        assert re.search(r"holds 150\.50* REX on devnet-b", too_much.stderr), too_much.stderr
        unknown = rexos("bridge", "NOPE", "1", "--to", "devnet-b", *auth)
        assert unknown.returncode == 2 and "unknown token 'NOPE'" in unknown.stderr
        assert "delivered 2, pending 0" in rexos("relayer", "status").stdout
    finally:
        down = rexos("devnet", "down")
    assert f"Stopped the {backend} devnet" in down.stdout


def test_a_chat_plan_bridges_through_the_gateway_and_shows_the_trust(tmp_path: Path) -> None:
    """Issue 13: a plan may bridge between the devnet's chains; the confirmation names the
    trust class, the step waits for the relayer's delivery, and a real chain is refused with
    the command that compares real bridges."""
    rexos = rexos_in(tmp_path, MY_PASS="pw-pw-pw")
    up = rexos("devnet", "up", "--backend", "pyevm", "--provider", "none")
    try:
        assert up.returncode == 0, up.stderr
        assert rexos("wallet", "new", "ann", "--passphrase-env", "MY_PASS").returncode == 0
        assert rexos("devnet", "fund", "ann").returncode == 0
        auth = ("-w", "ann", "--passphrase-env", "MY_PASS")

        asked = rexos("chat", *auth, "-m", "pls bridge 12.5 rex over to devnet b", "--yes")
        assert asked.returncode == 0, asked.stdout + asked.stderr
        text = " ".join(asked.stdout.split())
        assert "trust: multisig, each delivery needs 1 relayer signature" in text
        assert "delivered on devnet-b" in text
        assert "bridge 12.5 REX to chain 31338" in text  # the gateway's reading of the bytes
        assert "delivered 1, pending 0" in rexos("relayer", "status").stdout

        real = rexos("chat", *auth, "-m", "bridge 5 rex to arbitrum", "--yes")
        assert real.returncode == 1, real.stdout + real.stderr
        assert "rexos bridge TOKEN AMOUNT --from ethereum --to arbitrum" in " ".join(
            real.stdout.split()
        )
    finally:
        rexos("devnet", "down")


class _Replay(BaseHTTPRequestHandler):
    seen: ClassVar[list[tuple[str, dict[str, list[str]]]]] = []
    failing: ClassVar[set[str]] = set()

    def do_GET(self) -> None:
        url = urlparse(self.path)
        _Replay.seen.append((url.path, parse_qs(url.query)))
        if url.path in _Replay.failing or url.path not in ROUTES:
            self.send_response(400)
            self.end_headers()
            self.wfile.write(b'{"message": "route not supported"}')
            return
        body = (FIXTURES / ROUTES[url.path]).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def apis(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[_Replay]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Replay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    for name in ("LIFI", "ACROSS", "BUNGEE"):
        monkeypatch.setenv(f"REXOS_{name}_URL", url)
    _Replay.seen, _Replay.failing = [], set()
    yield _Replay
    server.shutdown()
    server.server_close()
    thread.join()


def _cli(args: list[str]) -> int:
    try:
        run(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


SENDER = "0x1111111111111111111111111111111111111111"
ARGS = ["bridge", "USDC", "1000", "--from", "optimism", "--to", "arbitrum", "--address", SENDER]


def test_bridge_ranks_real_bridges_from_the_recorded_apis(apis, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert _cli(["--home", str(tmp_path), *ARGS, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rows = doc["quotes"]
    assert {r["provider"] for r in rows} == {"lifi", "across", "bungee"}
    utilities = [Decimal(r["utility_usd"]) for r in rows]
    assert utilities == sorted(utilities, reverse=True)
    assert doc["why"].startswith(f"{rows[0]['provider']}/{rows[0]['route']} wins by $")
    # The recorded Across answer has no outputAmount: the CLI's 1000e6 minus its
    # totalRelayFee.total (66352) arrives.
    across = next(r for r in rows if r["provider"] == "across")
    assert across["amount_out"] == str(1_000_000_000 - 66_352)
    # The CLI asked for the right transfer: USDC on Optimism → USDC on Arbitrum, 1000e6.
    lifi = next(q for p, q in apis.seen if p == "/v1/quote")
    assert lifi["fromChain"] == ["10"] and lifi["toChain"] == ["42161"]
    assert lifi["fromToken"] == ["0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85"]
    assert lifi["toToken"] == ["0xaf88d065e77c8cC2239327C5EDb3A432268e5831"]
    assert lifi["fromAmount"] == ["1000000000"] and lifi["fromAddress"] == [SENDER]


def test_bridge_table_names_an_unavailable_api_and_still_ranks(apis, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    apis.failing = {"/api/suggested-fees"}
    assert _cli(["--home", str(tmp_path), *ARGS]) == 0
    text = capsys.readouterr().out
    assert "across unavailable" in text
    assert "lifi/" in text and "bungee/" in text
    assert "Nothing was signed" in text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--to", "narnia"], "unknown chain 'narnia'"),
        (["--price-usd", "-3"], "--price-usd must be a non-negative number"),
    ],
)
def test_bridge_bad_input_is_one_line(apis, capsys, tmp_path, extra, message) -> None:  # type: ignore[no-untyped-def]
    assert _cli(["--home", str(tmp_path), *ARGS, *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert apis.seen == []  # nothing was asked


def test_bridge_without_any_quote_fails_clearly(apis, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    apis.failing = set(ROUTES)
    assert _cli(["--home", str(tmp_path), *ARGS]) == 2
    assert "no bridge quoted this transfer" in capsys.readouterr().err


def test_the_bridge_plugin_tool_ranks_the_same_quotes(apis, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from rexos.config import Settings
    from rexos.plugins import discover

    class Ctx:
        settings = Settings(home=tmp_path)

        def chain(self):  # type: ignore[no-untyped-def]
            raise AssertionError("the bridge tool needs no chain")

        manifest = chain

    tool = next(t for t in discover()["bridge"].tools if t.name == "bridge.compare")
    args = {"token": "USDC", "amount": "1000", "from_chain": "optimism",
            "to_chain": "arbitrum", "address": SENDER}  # fmt: skip
    doc = tool.call_json(Ctx(), args)
    assert {r["provider"] for r in doc["quotes"]} == {"lifi", "across", "bungee"}
    assert doc["why"].startswith(f"{doc['quotes'][0]['provider']}/")
    assert not tool.moves_funds and tool.needs == frozenset({"network"})
