"""`rexos quote` and `rexos swap` against a py-evm devnet with the DEX venues deployed."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from rexos.chain import RpcChain, load_artifact, save_manifest
from rexos.chain.keystore import Keystore
from rexos.chain.manifest import Manifest
from rexos.cli.main import run
from rexos.types import Address
from tests.devchain import served_dev_chain
from tests.e2e.conftest import PASS_ENV, PASSPHRASE, CliResult

AUTH = ("--wallet", "alice", "--passphrase-env", PASS_ENV)


@dataclass
class SwapNet:
    url: str
    home: Path
    chain: RpcChain
    manifest: Manifest
    alice: Address

    def balance(self, symbol: str) -> int:
        token = self.chain.web3.eth.contract(
            address=self.manifest.address(f"DevToken:{symbol}"), abi=load_artifact("DevToken").abi
        )
        return int(token.functions.balanceOf(self.alice).call())

    def nonce(self) -> int:
        return int(self.chain.web3.eth.get_transaction_count(self.alice))


@pytest.fixture(scope="module")
def swapnet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SwapNet]:
    home = tmp_path_factory.mktemp("rexos-swap")
    keystore = Keystore(home / "keystore", kdf="pbkdf2", work_factor=2)
    alice = keystore.create("alice", PASSPHRASE).address
    with served_dev_chain([alice]) as (server, chain, manifest):
        save_manifest(home / "deployments", manifest)
        yield SwapNet(server.url, home, chain, manifest, alice)


@pytest.fixture
def cli(swapnet: SwapNet, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv(PASS_ENV, PASSPHRASE)
    snapshot = swapnet.chain.snapshot()

    def invoke(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            run(["--home", str(swapnet.home), "--rpc", swapnet.url, *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    yield invoke
    swapnet.chain.revert(snapshot)
    shutil.rmtree(swapnet.home / "wallet", ignore_errors=True)  # its spends went with the chain


def _amount(text: str, label: str, symbol: str) -> str:
    match = re.search(rf"{label}\s+([\d,\.]+) {symbol}", text)
    assert match, text
    return match.group(1).replace(",", "")


def test_quote_shows_the_split_and_its_certificate(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("quote", "WETH", "USDC", "5")
    assert result.code == 0, result.err
    for needle in ("you get", "at least", "price impact", "best one pool", "best possible"):
        assert needle in result.out
    assert "univ3dev" in result.out  # the devnet's Uniswap V3 pools are the deepest for WETH
    big = cli("quote", "WETH", "USDC", "500")  # past their narrow ranges: a split over venues
    assert big.code == 0, big.err
    assert "univ3dev" in big.out and ("unidev" in big.out or "cakedev" in big.out)


def test_swap_delivers_what_was_quoted(cli, swapnet: SwapNet) -> None:  # type: ignore[no-untyped-def]
    weth, usdc = swapnet.balance("WETH"), swapnet.balance("USDC")
    quoted = cli("quote", "WETH", "USDC", "2")
    expected = _amount(quoted.out, "you get", "USDC")
    nonce = swapnet.nonce()
    capped = cli("swap", "WETH", "USDC", "2", *AUTH, "--yes")  # about $6,000: the default
    assert capped.code == 2 and "per-transaction cap of $1,000" in capped.err  # policy holds
    assert swapnet.nonce() == nonce  # (the CLI once swapped around the policy)
    policy = swapnet.home / "policy.yaml"
    policy.write_text('per_tx_usd_cap: "10000"\ndaily_usd_cap: "20000"\n')
    try:
        result = cli("swap", "WETH", "USDC", "2", *AUTH, "--yes")
    finally:
        policy.unlink()
    assert result.code == 0, result.err
    assert result.out.count("fingerprint 0x") == 2  # the approval and the swap, each checked
    received = _amount(result.out, "received", "USDC")
    assert received == expected
    assert swapnet.balance("WETH") == weth - 2 * 10**18
    assert swapnet.balance("USDC") - usdc == int(Decimal(expected) * 10**6)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("FOO", "USDC", "1"), "unknown token 'FOO'"),
        (("WETH", "USDC", "0"), "greater than zero"),
        (("WETH", "WETH", "1"), "itself"),
        (("WETH", "USDC", "1000000"), "less than"),
        (("WETH", "USDC", "1", "--slippage", "abc"), "percentage"),
        (("WETH", "USDC", "1", "--slippage", "150%"), "between 0% and 100%"),
        (("WETH", "USDC", "1.0000000000000000001"), "decimal places"),
    ],
)
def test_bad_swaps_send_nothing(cli, swapnet: SwapNet, args: tuple[str, ...], needle: str) -> None:  # type: ignore[no-untyped-def]
    nonce, weth = swapnet.nonce(), swapnet.balance("WETH")
    result = cli("swap", *args, *AUTH, "--yes")
    assert result.code == 2, result.out
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], lines
    assert (swapnet.nonce(), swapnet.balance("WETH")) == (nonce, weth)


def test_swap_without_yes_in_a_script_asks_for_it(cli, swapnet: SwapNet) -> None:  # type: ignore[no-untyped-def]
    nonce = swapnet.nonce()
    result = cli("swap", "WETH", "USDC", "1", *AUTH)
    assert result.code == 2 and "--yes" in result.err
    assert swapnet.nonce() == nonce


# `rexos send` and `rexos policy` on the same devnet: transfers through the Wallet agent.

BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"


def test_send_obeys_the_policy_and_a_key_pays_once(cli, swapnet) -> None:  # type: ignore[no-untyped-def]
    shown = cli("policy", "show")
    assert "defaults (no policy.yaml yet)" in shown.out and "≤ $1,000" in shown.out
    token = swapnet.chain.web3.eth.contract(
        address=swapnet.manifest.address("DevToken:USDC"), abi=load_artifact("DevToken").abi
    )
    before = int(token.functions.balanceOf(BOB).call())
    first = cli("send", "USDC", "12.5", "--to", BOB, *AUTH, "--key", "k1", "--yes")
    assert first.code == 0, first.err
    assert "Plan: send 12.5 USDC to" in first.out and "Sent: tx" in first.out
    again = cli("send", "USDC", "12.5", "--to", BOB, *AUTH, "--key", "k1", "--yes")
    assert again.code == 0 and "Already sent" in again.out
    assert int(token.functions.balanceOf(BOB).call()) == before + 12_500_000
    assert "$12.50" in cli("policy", "show").out  # counted in the rolling 24 hours

    big = cli("send", "WETH", "1", "--to", BOB, *AUTH, "--yes")  # about $3,000 > $1,000
    assert big.code == 2 and "per-transaction cap" in big.err
    no_tty = cli("send", "USDC", "1", "--to", BOB, *AUTH)
    assert no_tty.code == 2 and "rerun with --yes" in no_tty.err
    assert int(token.functions.balanceOf(BOB).call()) == before + 12_500_000


def test_policy_init_writes_an_editable_file(cli, swapnet) -> None:  # type: ignore[no-untyped-def]
    path = swapnet.home / "policy.yaml"
    path.unlink(missing_ok=True)
    assert cli("policy", "init").code == 0
    path.write_text(path.read_text().replace('per_tx_usd_cap: "1000"', 'per_tx_usd_cap: "5"'))
    try:
        small = cli("send", "USDC", "6", "--to", BOB, *AUTH, "--yes")
        assert small.code == 2 and "above the per-transaction cap of $5" in small.err
        assert cli("policy", "init").code == 2  # never overwrites silently
    finally:
        path.unlink()
