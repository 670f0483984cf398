"""`rexos chat` against a py-evm devnet with the DEX and the economy deployed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rexos.chain import RpcChain, load_artifact, save_manifest
from rexos.chain.keystore import Keystore
from rexos.chain.manifest import Manifest
from rexos.cli import console
from rexos.cli.main import run
from rexos.types import Address
from tests.devchain import served_dev_chain
from tests.e2e.conftest import PASS_ENV, PASSPHRASE, CliResult

AUTH = ("--wallet", "alice", "--passphrase-env", PASS_ENV)


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, RpcChain, Manifest]]:
    home = tmp_path_factory.mktemp("rexos-chat")
    alice = Keystore(home / "keystore", kdf="pbkdf2", work_factor=2).create("alice", PASSPHRASE)
    with served_dev_chain([alice.address]) as (server, chain, manifest):
        save_manifest(home / "deployments", manifest)
        yield server.url, home, chain, manifest


@pytest.fixture
def cli(net, capsys, monkeypatch):  # type: ignore[no-untyped-def]
    url, home, chain, _ = net
    monkeypatch.setenv(PASS_ENV, PASSPHRASE)
    monkeypatch.setattr(console.out, "_width", 200)
    snapshot = chain.snapshot()

    def invoke(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            run(["--home", str(home), "--rpc", url, *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    yield invoke
    chain.revert(snapshot)


def weth_of(net, who: Address) -> int:  # type: ignore[no-untyped-def]
    _, _, chain, manifest = net
    token = chain.web3.eth.contract(
        address=manifest.address("DevToken:WETH"), abi=load_artifact("DevToken").abi
    )
    return int(token.functions.balanceOf(who).call())


def alice(net) -> Address:  # type: ignore[no-untyped-def]
    return Keystore(net[1] / "keystore").get("alice").address


def test_chat_reads_then_swaps_as_a_confirmed_plan(cli, net) -> None:  # type: ignore[no-untyped-def]
    before = weth_of(net, alice(net))
    result = cli("chat", *AUTH, "-m", "price of WETH", "-m", "swap 0.1 WETH to USDC", "--yes")
    assert result.code == 0, result.err
    assert "price of WETH" in result.out and "USDC" in result.out
    assert "swap 0.1 WETH for USDC" in result.out
    assert "fingerprint 0x" in result.out  # each transaction shown before it is sent
    assert "done" in result.out and "failed" not in result.out
    assert weth_of(net, alice(net)) == before - 10**17


def test_chat_without_a_terminal_or_yes_sends_nothing(cli, net) -> None:  # type: ignore[no-untyped-def]
    before = weth_of(net, alice(net))
    result = cli("chat", *AUTH, "-m", "swap 0.1 WETH to USDC")
    assert result.code == 2
    assert "rerun with --yes" in result.err and len(result.err.strip().splitlines()) == 1
    assert weth_of(net, alice(net)) == before


def test_chat_asks_instead_of_guessing(cli, net) -> None:  # type: ignore[no-untyped-def]
    before = weth_of(net, alice(net))
    result = cli("chat", *AUTH, "-m", "swap some WETH to USDC", "-m", "blorp", "--yes")
    assert result.code == 0, result.err
    assert "how much" in result.out.lower() or "amount" in result.out.lower()
    assert "didn't understand" in result.out and "REXOS_LLM_URL" in result.out
    assert weth_of(net, alice(net)) == before


def test_chat_refuses_what_the_policy_refuses(cli, net) -> None:  # type: ignore[no-untyped-def]
    before = weth_of(net, alice(net))
    result = cli("chat", *AUTH, "-m", "swap 5 WETH to USDC", "--yes")  # ≈ $15,000 > $1,000 cap
    assert result.code == 1, result.err  # a failed plan is a failed command (issue 12)
    assert "per-transaction cap" in result.out and "failed" in result.out
    assert "plan failed: swap 5 WETH to USDC" in result.err
    assert weth_of(net, alice(net)) == before


def test_a_question_in_chat_shows_its_answer_not_only_the_sql(cli, net) -> None:  # type: ignore[no-untyped-def]
    asked = ("-m", "swap 0.1 WETH to USDC", "-m", "how many swaps did I make", "--yes")
    result = cli("chat", *AUTH, *asked)
    assert result.code == 0, result.err
    assert "select count(*)" in result.out.lower()
    answer = result.out[result.out.index("Answer (step") :]
    assert "swaps" in answer and "│ 1 " in answer


def test_a_question_in_chat_may_name_a_wallet_of_the_keystore(cli, net) -> None:  # type: ignore[no-untyped-def]
    _, home, _, _ = net
    keystore = Keystore(home / "keystore", kdf="pbkdf2", work_factor=2)
    carol = next((w for w in keystore.list() if w.name == "carol"), None)
    carol = carol or keystore.create("carol", PASSPHRASE)
    asked = ("-m", "swap 0.1 WETH to USDC", "-m", "how many swaps did carol make", "--yes")
    result = cli("chat", *AUTH, *asked)
    assert result.code == 0, result.err
    assert str(carol.address).lower() in result.out.lower()  # the name became carol's address
    answer = result.out[result.out.index("Answer (step") :]
    assert "│ 0 " in answer  # alice swapped; carol did not


def test_a_failed_plan_among_good_ones_still_exits_1(cli, net) -> None:  # type: ignore[no-untyped-def]
    result = cli("chat", *AUTH, "-m", "price of WETH", "-m", "swap 5 WETH to USDC", "--yes")
    assert result.code == 1
    assert "price of WETH" in result.out


def test_sending_to_an_unknown_wallet_is_asked_about_not_planned(cli, net) -> None:  # type: ignore[no-untyped-def]
    result = cli("chat", *AUTH, "-m", "send 5 USDC to bob", "--yes")
    assert result.code == 0, (result.out, result.err)  # a question, not a plan
    assert "I don't know a wallet named 'bob'" in result.out and "Plan" not in result.out
