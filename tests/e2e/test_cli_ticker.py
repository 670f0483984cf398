"""``rexos ticker``: extract (JSON and table), import, show; with and without a devnet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from rexos.chain.manifest import Manifest, save_manifest
from rexos.cli import ticker
from rexos.cli.context import CliContext
from rexos.types import Address

USDC = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"
DEV_USDC = Address("0x00000000000000000000000000000000000000C1")


def _app(home: Path) -> typer.Typer:
    root = typer.Typer()

    @root.callback()
    def main(ctx: typer.Context) -> None:
        ctx.obj = CliContext().with_overrides(home, None)

    root.add_typer(ticker.app, name="ticker")
    return root


def _run(home: Path, *args: str) -> Any:
    result = CliRunner().invoke(_app(home), ["ticker", *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from rexos.cli.console import out

    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(out, "_width", 200)  # the console was made before COLUMNS was set
    return tmp_path


def test_extract_json_without_a_devnet(home: Path) -> None:
    out = json.loads(_run(home, "extract", "swap 2 ETH for USDC", "--json").output)
    assert [m["symbol"] for m in out["mentions"]] == ["WETH", "USDC"]
    usdc = out["mentions"][1]
    assert (usdc["chain_id"], usdc["address"], usdc["decimals"]) == (1, USDC, 6)
    assert (usdc["start"], usdc["end"]) == (15, 19)


def test_extract_with_a_devnet_manifest_prefers_devnet_tokens(home: Path) -> None:
    manifest = Manifest(31337, "pyevm", None, 0, 0, {"DevToken:USDC": DEV_USDC}, {})
    save_manifest(home / "deployments", manifest)
    out = json.loads(_run(home, "extract", "buy USDC", "--json").output)
    (m,) = out["mentions"]
    assert (m["chain_id"], m["address"], m["decimals"]) == (31337, DEV_USDC, 6)
    assert m["candidates"][0]["reason"].startswith("devnet token")
    out = json.loads(_run(home, "extract", "buy USDC", "--json", "--chain", "1").output)
    assert out["mentions"][0]["address"] == USDC


def test_import_then_extract_and_show(home: Path) -> None:
    token = {
        "chainId": 1,
        "address": "0x" + "ab" * 20,
        "symbol": "ZZQX",
        "name": "Zzq",
        "decimals": 9,
    }
    source = home / "mine.json"
    source.write_text(
        json.dumps({
            "name": "Mine", "timestamp": "2024-01-01T00:00:00Z",
            "version": {"major": 1, "minor": 0, "patch": 0}, "tokens": [token],
        }),
        encoding="utf-8",
    )  # fmt: skip
    before = json.loads(_run(home, "extract", "buy ZZQX", "--json").output)
    assert before["mentions"] == []
    assert "Imported Mine 1.0.0: 1 tokens" in _run(home, "import", str(source)).output
    assert (home / "tokenlists").is_dir()
    (m,) = json.loads(_run(home, "extract", "buy ZZQX", "--json").output)["mentions"]
    assert (m["symbol"], m["decimals"]) == ("ZZQX", 9)
    shown = _run(home, "show", "ZZQX").output
    assert "Zzq" in shown and "token list" in shown


def test_extra_tokenlist_option(home: Path) -> None:
    token = {
        "chainId": 5,
        "address": "0x" + "cd" * 20,
        "symbol": "QQW",
        "name": "Qqw",
        "decimals": 2,
    }
    source = home / "extra.json"
    source.write_text(
        json.dumps({
            "name": "Extra", "timestamp": "2024-01-01T00:00:00Z",
            "version": {"major": 1, "minor": 0, "patch": 0}, "tokens": [token],
        }),
        encoding="utf-8",
    )  # fmt: skip
    out = json.loads(_run(home, "extract", "$QQW", "--json", "--tokenlist", str(source)).output)
    assert out["mentions"][0]["chain_id"] == 5


def test_human_table_and_errors(home: Path) -> None:
    table = _run(home, "extract", "price of $LINK").output
    assert "Token mentions" in table and "LINK" in table and "0x514910771AF9" in table
    assert "no token mentions found" in _run(home, "extract", "hello there").output
    result = CliRunner().invoke(_app(home), ["ticker", "show", "NOPE_NOT_A_TOKEN"])
    assert result.exit_code != 0
    result = CliRunner().invoke(_app(home), ["ticker", "import", str(home / "missing.json")])
    assert result.exit_code != 0


def test_show_rex_knows_the_embedded_devnets_deployment(home: Path) -> None:
    """`rexos devnet up` without anvil serves chain 131277322940537: its REX is known too."""
    rex = Address("0x00000000000000000000000000000000000000AE")
    manifest = Manifest(131277322940537, "pyevm", None, 0, 0, {"RexToken": rex}, {})
    save_manifest(home / "deployments", manifest)
    table = _run(home, "show", "REX").output
    assert rex in table and "131277322940537" in table and "devnet" in table
    out = json.loads(_run(home, "extract", "stake 5 REX", "--json").output)
    assert out["mentions"][0]["address"] == rex


def test_a_wallet_name_is_not_a_token(home: Path) -> None:
    from rexos.chain.keystore import Keystore

    Keystore(home / "keystore", kdf="pbkdf2", work_factor=2).create("solana", "pw")
    out = json.loads(_run(home, "extract", "what is solana doing", "--json").output)
    assert out["mentions"] == []  # without the wallet, solana reads as SOL
    out = json.loads(_run(home, "extract", "I am thinking about it", "--json").output)
    assert out["mentions"] == []
