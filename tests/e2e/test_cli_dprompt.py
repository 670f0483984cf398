"""DPrompt through the CLI: providers, ``rexos ask``, ``rexos dprompt``, bad input."""

from __future__ import annotations

import re

import pytest

from rexos.chain import Transactor, dev_account
from rexos.dprompt import receipt_hash
from tests.e2e.conftest import PASS_ENV, CliResult
from tests.e2e.dprompt_fixtures import MODEL, DPromptNet, devnet
from tests.e2e.test_cli_bad_input import _one_line_error

__all__ = ["devnet"]  # the DPrompt devnet overrides the conftest one in this module

ALICE = ("--wallet", "alice", "--passphrase-env", PASS_ENV)
BOB = ("--wallet", "bob", "--passphrase-env", PASS_ENV)
HASH = "0x" + "ab" * 32


COMMITTEE_POOL = (3, 4, 5, 6, 7, 8)


def _register_bob(net: DPromptNet, price: int = 2 * 10**18) -> None:
    net.providers().register(net.bob_tx(), [MODEL], price, 1_000 * 10**18)


def _request_id(result: CliResult) -> int:
    assert result.code == 0, (result.out, result.err)
    found = re.search(r"Request id: (\d+)", result.out)
    assert found, result.out
    return int(found.group(1))


def _state(net: DPromptNet) -> tuple[int, int, int, int]:
    client = net.client()
    return (
        int(net.chain.web3.eth.get_transaction_count(net.alice)),
        int(client.rex.functions.balanceOf(net.alice).call()),
        client.credit(net.alice),
        int(client.book.functions.nextId().call()),
    )


def test_provider_register_and_status(cli, net: DPromptNet) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "provider", "register", "--model", MODEL, "--price", "2.5", "--stake", "1000", "--yes", *BOB
    )
    assert result.code == 0, result.err
    assert "Registered" in result.out and MODEL in result.out
    status = cli("provider", "status", "bob")
    assert status.code == 0, status.err
    assert MODEL in status.out
    assert "2.5000 REX a request" in status.out
    assert "1,000.0000 REX" in status.out
    assert "not a registered provider" not in status.out


def test_provider_withdraw_starts_unbonding(cli, net: DPromptNet) -> None:  # type: ignore[no-untyped-def]
    _register_bob(net)
    result = cli("provider", "withdraw", "--amount", "100", "--yes", *BOB)
    assert result.code == 0, result.err
    assert "withdraw --complete" in result.out
    assert net.providers().status(net.bob).unbonding == 100 * 10**18
    _one_line_error(cli("provider", "withdraw", "--complete", *BOB), "locked until")
    _one_line_error(cli("provider", "withdraw", *BOB), "exactly one")


def test_ask_no_wait_then_answer_and_show(cli, net: DPromptNet) -> None:  # type: ignore[no-untyped-def]
    _register_bob(net)
    request_id = _request_id(cli("ask", "What is REX?", "--no-wait", "--yes", *ALICE))
    client = net.client()
    assert client.get(request_id).status == "open"
    assert client.credit(net.alice) == 0  # deposited exactly the fee, now in escrow

    shown = cli("dprompt", "show", str(request_id))
    assert shown.code == 0, shown.err
    assert "open" in shown.out and "What is REX?" in shown.out and MODEL in shown.out

    client.respond(net.bob_tx(), client.get(request_id), "A [token].", HASH)
    shown = cli("dprompt", "show", str(request_id))
    assert shown.code == 0, shown.err
    assert "answered" in shown.out
    assert "A [token]." in shown.out
    assert str(net.bob) in shown.out
    assert "2.0000 REX" in shown.out
    assert "challengeable until" in shown.out and "UTC" in shown.out


def test_ask_without_a_max_fee_accepts_whichever_provider_is_drawn(cli, net: DPromptNet) -> None:  # type: ignore[no-untyped-def]
    """The provider is drawn when the request is mined, not when it was quoted: without
    --max-fee the cap is the dearest active provider's price (7 REX here, whoever the quote
    names), so no draw fails the request, and the fee escrowed is the drawn one's price."""
    _register_bob(net)  # 2 REX
    treasury = Transactor(net.chain.web3, dev_account(0))
    dear = dev_account(3)
    treasury.send(net.client().rex.functions.transfer(dear.address, 1_000 * 10**18), action="fund")
    net.providers().register(Transactor(net.chain.web3, dear), [MODEL], 7 * 10**18, 10**21)
    client = net.client()
    assert client.price_ceiling(MODEL) == 7 * 10**18
    assert client.price_ceiling("no-such-model") == 0
    for n in range(2):
        result = cli("ask", f"question {n}", "--no-wait", "--yes", *ALICE)
        assert "may cost up to 7.0000 REX" in result.out or n == 1, result.out  # the cap
        view = client.get(_request_id(result))
        assert view.fee == {net.bob: 2 * 10**18, dear.address: 7 * 10**18}[view.provider]


def test_ask_waits_and_times_out(cli, net: DPromptNet) -> None:  # type: ignore[no-untyped-def]
    _register_bob(net)
    result = cli("ask", "hi", "--timeout", "0", "--max-fee", "3", "--yes", *ALICE)
    request_id = _request_id(result)
    assert "No answer within 0 s" in result.out
    assert f"rexos dprompt show {request_id}" in result.out
    assert net.client().credit(net.alice) == 1 * 10**18  # max fee 3 deposited, fee 2 escrowed


def test_ask_waits_for_the_answer(cli, net: DPromptNet, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _register_bob(net)
    client = net.client()

    def provider_answers(_: float) -> None:  # stands in for the poll's sleep
        view = client.get(int(client.book.functions.nextId().call()) - 1)
        if view.status == "open":
            client.respond(net.bob_tx(), view, "REX is the token.", HASH)

    monkeypatch.setattr("rexos.cli.ask.time.sleep", provider_answers)
    result = cli("ask", "What is REX?", "--yes", *ALICE)
    assert result.code == 0, result.err
    assert "REX is the token." in result.out
    assert f"Answered by {net.bob}; fee 2.0000 REX" in result.out
    assert "Status: challengeable until" in result.out


def test_deposit_and_credit(cli, net: DPromptNet) -> None:  # type: ignore[no-untyped-def]
    result = cli("dprompt", "deposit", "12.5", "--yes", *ALICE)
    assert result.code == 0, result.err
    assert "12.5000 REX" in result.out
    assert net.client().credit(net.alice) == 12_500_000_000_000_000_000
    assert "12.5000 REX of credit" in cli("dprompt", "credit", "alice").out


def _register_committee(net: DPromptNet) -> None:
    """Six more providers, so a 3-member committee can be drawn beside the two parties."""
    treasury = Transactor(net.chain.web3, dev_account(0))
    rex = net.client().rex
    for index in COMMITTEE_POOL:
        account = dev_account(index)
        treasury.send(rex.functions.transfer(account.address, 1_000 * 10**18), action="fund")
        tx = Transactor(net.chain.web3, account)
        net.providers().register(tx, [MODEL], 2 * 10**18, 1_000 * 10**18)


def test_challenge_then_show_dispute(cli, net: DPromptNet) -> None:  # type: ignore[no-untyped-def]
    _register_bob(net)
    _register_committee(net)
    request_id = _request_id(cli("ask", "2+2?", "--no-wait", "--yes", *ALICE))
    client = net.client()
    view = client.get(request_id)
    accounts = {net.bob: net.bob_account} | {
        dev_account(i).address: dev_account(i) for i in COMMITTEE_POOL
    }
    responder = Transactor(net.chain.web3, accounts[view.provider])
    client.respond(responder, view, "4", receipt_hash(HASH, HASH, HASH, 0, HASH))
    assert cli("dprompt", "deposit", "10", "--yes", *ALICE).code == 0
    result = cli("dprompt", "challenge", str(request_id), "--yes", *ALICE)
    assert result.code == 0, result.err
    assert "bond of 10.0000 REX" in result.out
    shown = cli("dprompt", "show", str(request_id))
    assert "challenged" in shown.out and "committee" in shown.out


def test_ask_needs_consent_for_a_deposit(cli, net: DPromptNet) -> None:  # type: ignore[no-untyped-def]
    _register_bob(net)
    before = _state(net)
    result = cli("ask", "hi", "--no-wait", *ALICE)
    _one_line_error(result, "--yes")
    assert "will be deposited" in result.out
    assert _state(net) == before


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (("ask", "hi", "--model", "gpt-9", "--yes"), ("unknown model", "gpt-9")),
        (("ask", "x" * 257, "--yes"), ("prompt too long", "257 bytes", "at most 256")),
        (("ask", "hi", "--max-fee", "1.5", "--yes"), ("fee below price", "1.5000 REX")),
        (("ask", "hi", "--max-fee", "abc", "--yes"), ("not an amount",)),
        (("dprompt", "deposit", "abc"), ("not an amount",)),
        (("dprompt", "deposit", "-1"), ()),
        (("dprompt", "challenge", "99"), ("no DPrompt request 99",)),
        (("dprompt", "challenge", "x"), ("request_id", "integer")),
        (("dprompt", "finalize", "99"), ("no DPrompt request 99",)),
        (
            ("provider", "register", "--model", MODEL, "--price", "1", "--stake", "lots"),
            ("not an amount",),
        ),
        (
            ("provider", "register", "--model", "gpt-9", "--price", "1", "--stake", "1000"),
            ("unknown model",),
        ),
    ],
)
def test_bad_input_changes_nothing(
    cli, net: DPromptNet, args: tuple[str, ...], needles: tuple[str, ...]
) -> None:  # type: ignore[no-untyped-def]
    _register_bob(net)
    before = _state(net)
    _one_line_error(cli(*args, *ALICE), *needles)
    assert _state(net) == before


def test_show_unknown_request(cli, net: DPromptNet) -> None:  # type: ignore[no-untyped-def]
    _one_line_error(cli("dprompt", "show", "7"), "no DPrompt request 7")


def test_help_texts(cli) -> None:  # type: ignore[no-untyped-def]
    for command in (("ask",), ("dprompt",), ("provider",), ("provider", "withdraw")):
        result = cli(*command, "--help")
        assert result.code == 0, result.err
        assert "Usage" in result.out


def test_ask_bought_at_the_desk_in_usdc_then_voucher(cli, net: DPromptNet) -> None:  # type: ignore[no-untyped-def]
    _register_bob(net, price=10**18)
    net.chain.time_travel(3_600)  # the pools' oracles cover the TWAP window
    shown = cli("dprompt", "desk", "alice")
    assert shown.code == 0, shown.err
    assert "$0.01 a cent" in shown.out and "voucher 0.0000 REX" in shown.out

    bought = cli("ask", "What is REX?", "--pay-with", "USDC", "--no-wait", "--yes", *ALICE)
    request_id = _request_id(bought)
    assert (
        "11 cents of budget ($0.11" in bought.out
        and "0.11 USDC" in bought.out
        and "the desk pays the provider's fee of 1.0000 REX" in bought.out
    )
    client = net.client()
    view = client.get(request_id)
    assert view.status == "open" and view.fee == 10**18
    assert view.requester == net.manifest.address("DPromptDesk")
    assert client.credit(net.alice) == 0  # nothing of alice's credit: she paid in USD

    net.chain.time_travel(400)  # bob never answers: past the timeout and the grace
    reclaimed = cli("dprompt", "reclaim", str(request_id), "--yes", *BOB)
    assert reclaimed.code == 0, reclaimed.err
    assert f"is now voucher of {net.alice}" in " ".join(reclaimed.out.split())
    again = cli("ask", "What is REX?", "--pay-with", "voucher", "--no-wait", "--yes", *ALICE)
    assert re.search(r"from your voucher of 1\.0\d{3} REX", " ".join(again.out.split())), again.out
    _request_id(again)
    nonce = int(net.chain.web3.eth.get_transaction_count(net.alice))
    _one_line_error(
        cli("ask", "What is REX?", "--pay-with", "WETH", "--no-wait", "--yes", *ALICE),
        "WETH is not a stablecoin the FeeRouter accepts",
    )
    assert int(net.chain.web3.eth.get_transaction_count(net.alice)) == nonce  # nothing sent
    _one_line_error(
        cli("ask", "What is REX?", "--pay-with", "voucher", "--no-wait", "--yes", *BOB),
        "no voucher at the DPromptDesk",
    )


def test_show_names_the_callback_and_when_it_is_called(cli, net: DPromptNet) -> None:  # type: ignore[no-untyped-def]
    _register_bob(net)
    client = net.client()
    client.deposit(net.bob_tx(), 2 * 10**18)
    consumer = client.rex.address  # any contract: only shown here, never called
    asked = client.ask(
        net.bob_tx(), MODEL, "What is REX?", 2 * 10**18, consumer, 70_000, callback_mode="both"
    )
    shown = cli("dprompt", "show", str(asked.id))
    assert shown.code == 0, shown.err
    said = " ".join(shown.out.split())
    assert f"callback {consumer} (70,000 gas)" in said
    assert "called on answer (provisional) and on finality" in said
