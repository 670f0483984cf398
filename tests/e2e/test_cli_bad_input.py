"""Bad input through the CLI: one clear line on stderr, exit 2, nothing changed."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import PASS_ENV, CliResult, Devnet

AUTH = ("--wallet", "alice", "--passphrase-env", PASS_ENV)


def _state(net: Devnet) -> tuple[int, int, int, int]:
    web3 = net.chain.web3
    position = net.economy.position(net.alice)
    return (
        int(web3.eth.get_transaction_count(net.alice)),
        position.rex_balance,
        position.staked,
        int(web3.eth.get_balance(net.alice)),
    )


def _one_line_error(result: CliResult, *needles: str) -> None:
    assert result.code == 2, (result.out, result.err)
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.err
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.mark.parametrize(
    ("amount", "needle"),
    [
        ("0", "greater than zero"),
        ("-5", ""),
        ("abc", "not an amount"),
        ("1.0000000000000000001", "decimal places"),
        ("NaN", "not a finite amount"),
    ],
)
def test_stake_rejects_bad_amounts(cli, net: Devnet, amount: str, needle: str) -> None:  # type: ignore[no-untyped-def]
    before = _state(net)
    _one_line_error(cli("stake", amount, *AUTH), needle)
    assert _state(net) == before


def test_stake_more_than_balance(cli, net: Devnet) -> None:  # type: ignore[no-untyped-def]
    before = _state(net)
    _one_line_error(cli("stake", "100001", *AUTH), "cannot stake", "holds 100,000.0000 REX")
    assert _state(net) == before


def test_unstake_more_than_staked(cli, net: Devnet) -> None:  # type: ignore[no-untyped-def]
    assert cli("stake", "10", "--yes", *AUTH).code == 0
    before = _state(net)
    _one_line_error(cli("unstake", "11", "--yes", *AUTH), "cannot unstake", "has 10.0000 staked")
    assert _state(net) == before


def test_wrong_passphrase(cli, net: Devnet, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(PASS_ENV, "not the passphrase")
    before = _state(net)
    _one_line_error(cli("stake", "1", *AUTH), "wrong passphrase", "alice")
    assert _state(net) == before


def test_missing_passphrase_env(cli, net: Devnet, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv(PASS_ENV)
    before = _state(net)
    _one_line_error(cli("stake", "1", *AUTH), PASS_ENV)
    assert _state(net) == before


def test_rpc_down(cli, net: Devnet) -> None:  # type: ignore[no-untyped-def]
    before = _state(net)
    _one_line_error(cli("stake", "1", *AUTH, rpc="http://127.0.0.1:9"), "cannot reach")
    _one_line_error(cli("wallet", "balance", "alice", rpc="http://127.0.0.1:9"), "cannot reach")
    assert _state(net) == before


def test_missing_manifest(cli, net: Devnet, tmp_path) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "empty-home"
    result = cli("position", net.alice, home=home)
    _one_line_error(result, "no deployment manifest", "rexos devnet up")


def test_no_devnet_and_no_rpc(tmp_path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from rexos.cli.main import run

    monkeypatch.delenv("REXOS_RPC_URL", raising=False)
    with pytest.raises(SystemExit) as exc:
        run(["--home", str(tmp_path), "position", "0x" + "11" * 20])
    assert exc.value.code == 2
    assert "no devnet running" in capsys.readouterr().err


def test_unknown_wallet(cli, net: Devnet) -> None:  # type: ignore[no-untyped-def]
    _one_line_error(
        cli("stake", "1", "--wallet", "mallory", "--passphrase-env", PASS_ENV), "mallory", "alice"
    )


def test_bad_address(cli) -> None:  # type: ignore[no-untyped-def]
    _one_line_error(cli("position", "0x1234"), "not an address")


def test_unstake_with_deduction_needs_consent(cli, net: Devnet) -> None:  # type: ignore[no-untyped-def]
    assert cli("stake", "10", "--yes", *AUTH).code == 0
    before = _state(net)
    result = cli("unstake", "5", *AUTH)
    _one_line_error(result, "--yes")
    assert "costs 1 REX" in result.out.replace(".0000", "")
    assert _state(net) == before


def test_unknown_vesting_bucket(cli, net: Devnet) -> None:  # type: ignore[no-untyped-def]
    before = _state(net)
    _one_line_error(cli("vesting", "release", "moon", *AUTH), "unknown vesting bucket")
    assert _state(net) == before
