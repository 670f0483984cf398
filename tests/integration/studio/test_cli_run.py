"""`rexos studio run` against a py-evm devnet served over JSON-RPC, as `rexos devnet up`
serves it: the plan and each step's result are printed, a refusal names its limit, and the
exit code says how the run went (0 done, 1 refused or failed, 2 bad input)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from rexos.chain import RpcChain, load_artifact, save_manifest
from rexos.chain.keystore import Keystore
from rexos.chain.manifest import Manifest
from rexos.cli import console
from rexos.cli.main import run
from rexos.types import Address
from tests.devchain import served_dev_chain
from tests.integration.studio.conftest import DCA, DIGEST

PASSPHRASE, PASS_ENV = "correct horse battery staple", "REXOS_TEST_STUDIO_PASSPHRASE"
AUTH = ("-w", "alice", "--passphrase-env", PASS_ENV)


@dataclass
class Devnet:
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

    def state(self) -> tuple[int, int, int]:
        nonce = int(self.chain.web3.eth.get_transaction_count(self.alice))
        return nonce, self.balance("USDC"), self.balance("WETH")


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(scope="module")
def devnet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Devnet]:
    home = tmp_path_factory.mktemp("rexos-studio-run")
    keystore = Keystore(home / "keystore", kdf="pbkdf2", work_factor=2)
    alice = keystore.create("alice", PASSPHRASE)
    bob = keystore.create("bob", PASSPHRASE)
    with served_dev_chain([alice.address, bob.address]) as (server, chain, manifest):
        save_manifest(home / "deployments", manifest)
        yield Devnet(server.url, home, chain, manifest, alice.address)


@pytest.fixture
def cli(devnet, capsys, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv(PASS_ENV, PASSPHRASE)
    monkeypatch.setattr(console.out, "_width", 240)
    snapshot = devnet.chain.snapshot()

    def invoke(*args: str) -> Result:
        capsys.readouterr()
        try:
            run(["--home", str(devnet.home), "--rpc", devnet.url, *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    yield invoke
    devnet.chain.revert(snapshot)
    shutil.rmtree(devnet.home / "wallet", ignore_errors=True)  # its spends went with the chain


def test_the_dca_agent_runs_its_trigger_message(cli, devnet: Devnet) -> None:  # type: ignore[no-untyped-def]
    nonce, usdc, weth = devnet.state()
    result = cli("studio", "run", str(DCA), *AUTH, "--yes")
    assert result.code == 0, result.err + result.out
    assert "request: swap 50 USDC for WETH" in result.out  # the schedule trigger's message
    assert "swap 50 USDC for WETH" in result.out and "fingerprint 0x" in result.out
    assert "run: done; 1 of 4 calls; $" in result.out and "of $60" in result.out
    assert devnet.state()[0] == nonce + 2
    assert devnet.balance("USDC") == usdc - 50 * 10**6 and devnet.balance("WETH") > weth


@pytest.mark.parametrize(
    ("spec", "message", "why"),
    [
        (DCA, "swap 60 USDC for WETH", "above agent weekly-dca's per-action cap of 50 USDC"),
        (DIGEST, "send 5 USDC to bob", "agent portfolio-digest is read-only"),
    ],
)
def test_a_refused_run_names_its_limit_and_exits_1(  # type: ignore[no-untyped-def]
    cli, devnet: Devnet, spec: Path, message: str, why: str
) -> None:
    before = devnet.state()
    result = cli("studio", "run", str(spec), *AUTH, "-m", message, "--yes")
    assert result.code == 1, result.err + result.out
    assert "refused:" in result.out and why in result.out
    assert "run: refused" in result.out
    assert devnet.state() == before


def test_a_paid_run_pays_the_agents_developer_first_and_an_unpayable_one_does_not_run(  # type: ignore[no-untyped-def]
    cli, devnet: Devnet
) -> None:
    before = devnet.state()
    unlisted = cli("studio", "run", str(DIGEST), *AUTH, "-m", "price of WETH", "--pay-with",
                   "USDC", "--yes")  # fmt: skip
    assert unlisted.code == 2 and "not listed on the market" in unlisted.err
    assert "request:" not in unlisted.out and devnet.state() == before  # nothing ran or sent
    listed = cli("market", "publish", str(DIGEST), "-w", "bob", "--passphrase-env", PASS_ENV,
                 "--yes")  # fmt: skip
    assert listed.code == 0, listed.err
    nonce, usdc, _ = devnet.state()
    paid = cli("studio", "run", str(DIGEST), *AUTH, "-m", "price of WETH", "--pay-with",
               "USDC", "--yes")  # fmt: skip
    assert paid.code == 0, paid.err + paid.out
    assert "Paid the run to its developer" in paid.out and "0.2 USDC" in paid.out
    assert devnet.balance("USDC") == usdc - 200_000  # $0.20 at 6 decimals
    assert devnet.state()[0] == nonce + 2  # the approval and the payment; the run reads only
    before = devnet.state()
    broke = cli("studio", "run", str(DIGEST), *AUTH, "-m", "price of WETH", "--pay-with",
                "points", "--yes")  # fmt: skip
    assert broke.code == 2 and "points" in broke.err
    assert "request:" not in broke.out and devnet.state() == before


def test_json_output(cli, devnet: Devnet) -> None:  # type: ignore[no-untyped-def]
    result = cli("studio", "run", str(DIGEST), *AUTH, "-m", "price of WETH", "--json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["outcome"] == "done" and doc["calls"] == 1 and doc["agent"] == "portfolio-digest"
    assert doc["plan"]["steps"][0]["result"]["token"] == "WETH"


def test_bad_input_is_one_line_and_exit_2(cli, devnet: Devnet, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("REXOS_LLM_URL", raising=False)
    before = devnet.state()
    bad = tmp_path / "bad.yaml"
    text = DCA.read_text()
    at = text.index("hash: sha256:") + len("hash: sha256:")  # the first tool's pin, altered
    bad.write_text(text[:at] + ("1" if text[at] == "0" else "0") + text[at + 1 :])
    cases = [
        (str(bad), ["-m", "swap 50 USDC for WETH", "--yes"], "does not match its pin"),
        (str(DCA), ["-m", "carry out your instructions", "--yes"], "the agent needs more"),
        (str(DCA), ["-m", "swap 50 USDC for WETH"], "rerun with --yes"),  # no terminal
        (str(tmp_path / "missing.yaml"), [], "missing.yaml"),
        (str(DCA), ["--model", "planner", "--yes"], "set REXOS_LLM_URL"),
    ]
    for file, extra, why in cases:
        result = cli("studio", "run", file, *AUTH, *extra)
        assert result.code == 2, (why, result.out, result.err)
        assert why in result.err and len(result.err.strip().splitlines()) == 1, result.err
    assert devnet.state() == before
