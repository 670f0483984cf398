"""``rexos points``, ``rexos fees`` and ``rexos swap --service-fee`` on a py-evm devnet with
the whole dev deployment (the FeeRouter included)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from typer.testing import CliRunner

from rexos.chain import load_artifact
from rexos.cli import fees
from rexos.cli.context import CliContext
from rexos.economy.fees import FeeClient
from rexos.economy.points import read_points
from rexos.errors import UsageError
from rexos.types import format_units
from tests.e2e.conftest import PASS_ENV, CliResult, Devnet

AUTH = ("--wallet", "alice", "--passphrase-env", PASS_ENV, "--yes")


def _usdc(net: Devnet, who: str) -> int:
    manifest = net.economy.manifest
    token = net.chain.web3.eth.contract(
        address=manifest.address("DevToken:USDC"), abi=load_artifact("DevToken").abi
    )
    return int(token.functions.balanceOf(who).call())


def _fees(net: Devnet, *args: str) -> CliResult:
    """``rexos fees ARGS`` (its group, with the context ``rexos`` would give it)."""
    context = CliContext().with_overrides(net.home, net.url)
    result = CliRunner().invoke(fees.app, list(args), obj=context)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return CliResult(2, result.stdout, str(result.exception))
    return CliResult(result.exit_code, result.stdout, "")


def test_points_show_earned_spent_available_and_the_rates(cli, net: Devnet) -> None:  # type: ignore[no-untyped-def]
    result = cli("points", "alice")
    assert result.code == 0, result.err
    for line in ("earned", "spent", "available", "points a USD", "lense.report"):
        assert line in result.out
    assert "smartwallet.swap_fee" not in result.out  # points do not pay for it
    view = read_points(net.chain.web3, net.economy.manifest, net.alice)
    assert view.spent == 0 and view.available == view.earned


def test_a_swap_with_the_service_fee_pays_it_after_the_swap(cli, net: Devnet) -> None:  # type: ignore[no-untyped-def]
    treasury = net.economy.manifest.accounts["treasury"]
    before, treasury_before = _usdc(net, net.alice), _usdc(net, treasury)
    result = cli("swap", "WETH", "USDC", "0.01", *AUTH, "--service-fee", "USDC")
    assert result.code == 0, result.err
    assert "Service fee: 0.25 USDC" in result.out and "Paid the service fee" in result.out
    # the swap bought about $30 of USDC; the fee's $0.25 all went to the treasury (its payee
    # and, for a stablecoin's pool share, the pool keeper)
    bought = _usdc(net, net.alice) - before + 250_000
    assert 29 * 10**6 < bought < 31 * 10**6
    assert _usdc(net, treasury) - treasury_before == 250_000


def test_a_fee_method_the_service_refuses_sends_nothing(cli, net: Devnet) -> None:  # type: ignore[no-untyped-def]
    nonce = net.chain.web3.eth.get_transaction_count(net.alice)
    result = cli("swap", "WETH", "USDC", "0.01", *AUTH, "--service-fee", "points")
    assert result.code == 2
    assert result.err.strip().endswith("AI points do not pay for smartwallet.swap_fee")
    assert net.chain.web3.eth.get_transaction_count(net.alice) == nonce


def test_fees_quote_and_pay_in_each_method(net: Devnet) -> None:
    client = FeeClient(net.chain.web3, net.economy.manifest)
    listed = _fees(net, "services")
    assert listed.code == 0 and "studio.agent_run" in listed.out
    assert "named at payment" in listed.out and "DPromptDesk" in listed.out
    net.chain.time_travel(3_600)  # the pools' oracles cover the TWAP window
    quoted = _fees(net, "quote", "lense.report")
    assert quoted.code == 0, quoted.err
    assert "$0.50" in quoted.out and "0.5 USDC" in quoted.out and "500 points" in quoted.out
    wei = client.quote("lense.report", "rex")
    assert f"{format_units(wei, 18)} REX" in quoted.out
    assert Decimal("3.9") < Decimal(wei) / 10**18 < Decimal("4.1")  # 20 % off $0.50 at ~$0.10
    paid = _fees(net, "pay", "lense.report", "--with", "REX", *AUTH)
    assert paid.code == 0, paid.err
    assert "Paid lense.report with" in paid.out and "REX" in paid.out
    refused = _fees(net, "pay", "lense.report", "--with", "points", *AUTH)
    assert refused.code == 2 and "available" in refused.err  # alice has staked nothing
    with pytest.raises(UsageError, match="give the payee"):
        client.pay_call("studio.agent_run", "stable", 10**6)


def test_points_pay_through_the_gateway_and_show_as_spent(cli, net: Devnet) -> None:  # type: ignore[no-untyped-def]
    assert cli("stake", "1000", *AUTH).code == 0
    net.chain.time_travel(86_400)  # 1,000 sREX for a day: about 1,000 points
    paid = _fees(net, "pay", "lense.report", "--with", "points", *AUTH)
    assert paid.code == 0, paid.err
    assert "Paid lense.report with 500 points" in paid.out
    shown = cli("points", "alice")
    view = read_points(net.chain.web3, net.economy.manifest, net.alice)
    assert view.spent == 500 * 10**18 and view.available == view.earned - view.spent
    assert f"spent      {format_units(view.spent, 18, 4)} AI points" in shown.out


def test_a_lense_report_paid_with_points_charges_them_before_the_report(cli, net: Devnet) -> None:  # type: ignore[no-untyped-def]
    assert cli("stake", "1000", *AUTH).code == 0
    net.chain.time_travel(86_400)
    report = cli("lense", "report", "alice", "--pay-with", "points", *AUTH)
    assert report.code == 0, report.err
    view = read_points(net.chain.web3, net.economy.manifest, net.alice)
    assert view.spent == 500 * 10**18  # lense.report: $0.50 at 1,000 points a USD
    assert "paid the report with 500 points" in report.err + report.out
    unpaid = cli("lense", "report", "alice", "--pay-with", "points")
    assert unpaid.code == 2 and "--pay-with needs --wallet" in unpaid.err
    assert read_points(net.chain.web3, net.economy.manifest, net.alice).spent == view.spent
