"""``rexos chart`` on a py-evm devnet: price history from the index, portfolio from the chain."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from rexos.agents.database import run_query
from rexos.cli.main import run
from rexos.dex import PoolWatcher, SwapExecutor, TokenRegistry, find_route, quote_swap
from tests.e2e.conftest import CliResult
from tests.integration.agents.db_seed import ALICE, REX, Seeded, seeded_chain

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TRADES = (("REX", "USDC", 5_000 * REX), ("USDC", "REX", 400 * 10**6), ("REX", "WETH", 2_000 * REX))
"""Three REX trades in three blocks: straight to USDC, back, and through WETH."""


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """The seeded, indexed devnet, then the REX trades (not yet indexed)."""
    with seeded_chain(tmp_path_factory.mktemp("rexos-chart")) as seeded:
        tokens = TokenRegistry.from_manifest(seeded.manifest)
        router = SwapExecutor(seeded.tx(ALICE), seeded.manifest.address("RexRouter"))
        for sell, buy, amount in TRADES:
            pools = PoolWatcher(seeded.web3, seeded.manifest)
            route = find_route(
                pools.pools, tokens.symbol(sell).address, tokens.symbol(buy).address, amount
            )
            router.execute(quote_swap(route, pools.pools, block=pools.block))
        yield seeded


@pytest.fixture
def rexos(net: Seeded, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def invoke(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            run(["--home", str(net.home), "--rpc", net.url, *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke


def _rex_swap_blocks(net: Seeded) -> int:
    rex = net.manifest.address("RexToken")
    sql = f"SELECT count(DISTINCT block) FROM swaps WHERE '{rex}' IN (token_in, token_out)"
    return int(str(run_query(net.path, sql).rows[0][0]))


def test_a_price_chart_is_written_as_svg(rexos, net: Seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "rex.svg"
    done = rexos("chart", "REX price over the last 30 days", "--out", str(out))
    assert done.code == 0, done.err
    line = done.out.strip()
    assert len(line.splitlines()) == 1
    assert line.startswith("REX price, last 30 days: 3 points") and line.endswith(f"→ {out}")
    svg = out.read_text()
    assert svg.startswith("<svg") and "REX price, last 30 days" in svg and "mark-line" in svg
    assert _rex_swap_blocks(net) == 3  # the command brought the index up to date first


def test_json_and_png(rexos, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "rex.png"
    done = rexos("chart", "plot $REX", "--days", "7", "--kind", "area", "--out", str(out), "--json")
    assert done.code == 0, done.err
    doc = json.loads(done.out)
    assert doc["out"] == str(out) and out.read_bytes().startswith(PNG_MAGIC)
    assert doc["spec"]["mark"]["type"] == "area"
    assert doc["spec"]["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json"
    assert doc["chart"]["title"] == "REX price, last 7 days"
    prices = [Decimal(p["y"]) for p in doc["chart"]["points"]]
    assert len(prices) == 3 and all(Decimal("0.095") < p < Decimal("0.105") for p in prices)


def test_the_portfolio_by_token(rexos, net: Seeded) -> None:  # type: ignore[no-untyped-def]
    alice = net.address(ALICE)
    done = rexos("chart", "my portfolio by token", "--as", alice, "--json")
    assert done.code == 0, done.err
    doc = json.loads(done.out)
    points = doc["chart"]["points"]
    values = [Decimal(p["y"]) for p in points]
    assert doc["spec"]["mark"]["type"] == "bar" and values == sorted(values, reverse=True)
    held = {p["x"]: Decimal(p["y"]) for p in points}
    assert held["ETH"] == max(values)  # a dev account holds a million ETH
    rex_held = Decimal(net.balance("REX", alice)) / 10**18
    assert abs(held["REX"] - rex_held * Decimal("0.1")) < rex_held * Decimal("0.005")
    usdc_held = Decimal(net.balance("USDC", alice)) / 10**6
    assert abs(held["USDC"] - usdc_held) < Decimal("0.01")  # USDC is the dollar
    assert doc["out"] is None


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["banana split"], "One thing at a time"),
        (["send 5 USDC to bob"], "reads as a send request"),
        (["UNI price over 30 days"], "no UNI swaps priced in USDC"),
        (["DOGE price"], "no token 'DOGE'"),
        (["REX price", "--out", "rex.gif"], ".svg or .png"),
        (["my portfolio"], "whose portfolio"),
        (["REX price", "--kind", "pie"], "line, bar or area"),
        (["REX price", "--kind", "bar"], "line or an area"),
    ],
)
def test_bad_requests_are_one_line_and_exit_2(rexos, args: list[str], needle: str) -> None:  # type: ignore[no-untyped-def]
    done = rexos("chart", *args)
    assert done.code == 2
    lines = [line for line in done.err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0]
    assert "Traceback" not in done.err
