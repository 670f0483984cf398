"""`rexos bot` against a py-evm devnet with the DEX venues deployed."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from rexos.chain import RpcChain, load_artifact, save_manifest
from rexos.chain.keystore import Keystore
from rexos.chain.manifest import Manifest
from rexos.cli import main as cli_main
from rexos.types import Address
from tests.devchain import served_dev_chain
from tests.e2e.conftest import PASS_ENV, PASSPHRASE, CliResult

DOC = Path(__file__).resolve().parents[2] / "docs" / "explanation" / "bot.md"
AUTH = ("-w", "alice", "--passphrase-env", PASS_ENV)
ALLOW_SMALL = 'confirm_above_usd: "1000"\n'


@dataclass
class BotNet:
    url: str
    home: Path
    chain: RpcChain
    manifest: Manifest
    alice: Address

    def usdc(self) -> int:
        token = self.chain.web3.eth.contract(
            address=self.manifest.address("DevToken:USDC"), abi=load_artifact("DevToken").abi
        )
        return int(token.functions.balanceOf(self.alice).call())

    def nonce(self) -> int:
        return int(self.chain.web3.eth.get_transaction_count(self.alice))


@pytest.fixture(scope="module")
def botnet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotNet]:
    home = tmp_path_factory.mktemp("rexos-bot")
    keystore = Keystore(home / "keystore", kdf="pbkdf2", work_factor=2)
    alice = keystore.create("alice", PASSPHRASE).address
    with served_dev_chain([alice]) as (server, chain, manifest):
        save_manifest(home / "deployments", manifest)
        yield BotNet(server.url, home, chain, manifest, alice)


@pytest.fixture
def home(botnet: BotNet, tmp_path: Path) -> Path:
    """A data directory of its own (bot store, wallet ledger, policy) for each test."""
    for part in ("keystore", "deployments"):
        shutil.copytree(botnet.home / part, tmp_path / part)
    return tmp_path


@pytest.fixture
def cli(botnet: BotNet, home: Path, capsys: pytest.CaptureFixture[str], monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv(PASS_ENV, PASSPHRASE)
    snapshot = botnet.chain.snapshot()

    def invoke(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            cli_main.run(["--home", str(home), "--rpc", botnet.url, *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    yield invoke
    botnet.chain.revert(snapshot)


def _added_id(result: CliResult) -> str:
    assert result.code == 0, result.err
    match = re.search(r"Added \w+ ([0-9a-f]{8})", result.out)
    assert match, result.out
    return match.group(1)


def test_dca_runs_its_trades_then_is_done(cli, botnet: BotNet, home: Path) -> None:  # type: ignore[no-untyped-def]
    (home / "policy.yaml").write_text(ALLOW_SMALL)
    usdc = botnet.usdc()
    added = cli("bot", "add", "dca", "USDC", "WETH", "12.5", "--interval", "1h", "--count", "2",
                "-w", "alice")  # fmt: skip
    sid = _added_id(added)
    assert "sell 12.5 USDC for WETH every 1h, 2 times" in added.out
    assert "warning" not in added.out
    listed = json.loads(cli("bot", "list", "--json").out)
    assert [(s["id"], s["status"], s["fires"]) for s in listed] == [(sid, "active", 0)]
    first = cli("bot", "run", "--once", *AUTH)
    assert first.code == 0, first.err
    assert f"{sid} DCA trade 1: sold 12.5 USDC for" in first.out and "WETH (tx 0x" in first.out
    assert botnet.usdc() == usdc - 12_500_000
    idle = cli("bot", "run", "--once", *AUTH)
    assert "Nothing was due." in idle.out and botnet.usdc() == usdc - 12_500_000
    botnet.chain.time_travel(3600)
    last = cli("bot", "run", "--once", *AUTH)
    assert "DCA trade 2" in last.out and "Done: that was its last trade." in last.out
    assert botnet.usdc() == usdc - 25_000_000
    (done,) = json.loads(cli("bot", "list", "--json").out)
    assert (done["status"], done["fires"], done["spent"]) == ("done", 2, "25")


def test_a_trade_needing_confirmation_pauses_the_strategy(cli, botnet: BotNet) -> None:  # type: ignore[no-untyped-def]
    usdc, nonce = botnet.usdc(), botnet.nonce()  # default policy: every transaction confirmed
    added = cli("bot", "add", "dca", "USDC", "WETH", "5", "--interval", "1d", "--budget", "20",
                "-w", "alice")  # fmt: skip
    sid = _added_id(added)
    assert "warning:" in added.out and "a bot never confirms" in added.out
    ran = cli("bot", "run", "--once", *AUTH)
    assert ran.code == 0, ran.err
    assert f"{sid} paused:" in ran.out and "needs a confirmation" in ran.out
    assert f"rexos bot resume {sid}" in ran.out
    assert (botnet.usdc(), botnet.nonce()) == (usdc, nonce)
    shown = cli("bot", "list")
    assert "paused" in shown.out and "confirm_above_usd" in shown.out
    assert "without a confirmation" in shown.out
    assert "Resumed" in cli("bot", "resume", sid).out
    again = cli("bot", "resume", sid)
    assert again.code == 2 and "is active, not paused" in again.err
    assert cli("bot", "remove", sid).out.startswith("Removed")
    assert "No bot strategies" in cli("bot", "list").out
    assert json.loads(cli("bot", "list", "--json", "--all").out)[0]["status"] == "removed"
    missing = cli("bot", "remove", "0000abcd")
    assert missing.code == 2 and "no bot strategy '0000abcd'" in missing.err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("dca", "FOO", "WETH", "1", "--interval", "1h", "--count", "1"), "unknown token 'FOO'"),
        (("dca", "USDC", "WETH", "1", "--interval", "soon", "--count", "1"), "not an interval"),
        (("dca", "USDC", "WETH", "1", "--interval", "10s", "--count", "1"), "interval"),
        (("dca", "USDC", "WETH", "0.0000001", "--interval", "1h", "--count", "1"),
         "more than 6 decimal places"),
        (("dca", "USDC", "WETH", "1", "--interval", "1h"), "a count, a budget or both"),
        (("dca", "USDC", "USDC", "1", "--interval", "1h", "--count", "1"), "for itself"),
        (("dca", "USDC", "WETH", "1", "--interval", "1h", "--count", "1", "--slippage", "50%"),
         "--slippage"),
        (("limit", "hold", "WETH", "USDC", "1", "--price", "3000"), "side"),
        (("limit", "sell", "WETH", "USDC", "1", "--price", "-1"), "price"),
        (("tpsl", "WETH", "USDC", "1"), "take-profit level, a stop-loss level or both"),
        (("tpsl", "WETH", "USDC", "1", "--take-profit", "2000", "--stop-loss", "2500"),
         "below the take-profit"),
    ],
)  # fmt: skip
def test_bad_strategies_are_refused_in_one_line(cli, args: tuple[str, ...], needle: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("bot", "add", *args, "-w", "alice")
    assert result.code == 2, result.out
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], lines
    assert json.loads(cli("bot", "list", "--json").out) == []


def _doc_commands() -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text, re.S)
    assert block, "docs/explanation/bot.md lost its example block"
    lines = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("rexos bot add")]


def test_the_documented_examples_add_what_they_say(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    commands = _doc_commands()
    assert len(commands) == 5
    for args in commands:
        result = cli(*args)
        assert result.code == 0, (args, result.err)
    kinds = [s["kind"] for s in json.loads(cli("bot", "list", "--json").out)]
    assert kinds == ["dca", "dca", "limit", "limit", "tpsl"]
    ran = cli("bot", "run", "--once", *AUTH)  # default policy: the two DCAs pause, the rest wait
    assert ran.code == 0, ran.err
    assert ran.out.count(" paused: ") == 2
    statuses = [s["status"] for s in json.loads(cli("bot", "list", "--json").out)]
    assert statuses == ["paused", "paused", "active", "active", "active"]


def test_a_second_bot_on_one_data_dir_is_refused(cli, botnet: BotNet, home: Path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys
    import time

    env = {**os.environ, PASS_ENV: PASSPHRASE, "REXOS_HOME": str(home)}
    first = subprocess.Popen(
        [sys.executable, "-m", "rexos.cli.main", "--rpc", botnet.url, "bot", "run", *AUTH,
         "--interval", "3600"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert first.stdout is not None
        banner = first.stdout.readline()  # the first bot is ticking once it prints this
        assert "Bot for" in banner, (banner, first.stderr.read() if first.poll() else "")
        second = cli("bot", "run", *AUTH, "--once")
        assert second.code == 2
        assert "rexos bot run on" in second.err and "another process" in second.err
        assert f"pid {first.pid}" in second.err
    finally:
        first.terminate()
        first.wait(timeout=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the kernel drops the lock with the process
        after = cli("bot", "run", *AUTH, "--once")
        if after.code == 0:
            break
    assert after.code == 0, after.err
