"""A py-evm devnet served over JSON-RPC, with the economy deployed and a funded wallet."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from rexos.chain import RpcChain, Transactor, dev_account, save_manifest
from rexos.chain.keystore import Keystore
from rexos.cli.main import run
from rexos.economy.onchain import Economy
from rexos.types import Address
from tests.devchain import served_dev_chain

PASSPHRASE = "correct horse battery staple"
PASS_ENV = "REXOS_TEST_PASSPHRASE"


@dataclass
class Devnet:
    url: str
    home: Path
    chain: RpcChain
    economy: Economy
    alice: Address


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture(scope="module")
def devnet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Devnet]:
    home = tmp_path_factory.mktemp("rexos-home")
    keystore = Keystore(home / "keystore", kdf="pbkdf2", work_factor=2)
    alice = keystore.create("alice", PASSPHRASE).address
    with served_dev_chain([alice]) as (server, chain, manifest):
        # the whole dev deployment: the Wallet agent values REX from the DEX pools
        save_manifest(home / "deployments", manifest)
        yield Devnet(server.url, home, chain, Economy(chain.web3, manifest), alice)


@pytest.fixture
def net(devnet: Devnet, monkeypatch: pytest.MonkeyPatch) -> Iterator[Devnet]:
    """The devnet, reverted to its genesis state after the test."""
    monkeypatch.setenv(PASS_ENV, PASSPHRASE)
    snapshot = devnet.chain.snapshot()
    yield devnet
    devnet.chain.revert(snapshot)
    shutil.rmtree(devnet.home / "wallet", ignore_errors=True)  # its spends went with the chain
    (devnet.home / "policy.yaml").unlink(missing_ok=True)


@pytest.fixture
def cli(net: Devnet, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run ``rexos --home H --rpc URL ARGS...`` in-process; return code, stdout, stderr."""

    def invoke(*args: str, rpc: str | None = None, home: Path | None = None) -> CliResult:
        argv = ["--home", str(home or net.home), "--rpc", rpc or net.url, *args]
        capsys.readouterr()
        try:
            run(list(argv))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke


def signer(net: Devnet) -> Transactor:
    """The treasury, for arranging state in tests."""
    return Transactor(net.chain.web3, dev_account(0))
