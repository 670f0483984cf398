"""The compliance gate at the Wallet agent's gateway, on an anvil devnet: a sanctioned sender,
target or recipient (even one hidden in a transfer's calldata) and a service the user's
jurisdiction bars are denied at planning, naming the rule, and again at execution."""

from __future__ import annotations

from pathlib import Path

import pytest
from web3 import Web3

from rexos.agents.wallet import (
    PolicyDenied,
    PolicyEngine,
    WalletAgent,
    WalletLedger,
    dex_prices,
    load_policy,
    swap_moves,
)
from rexos.chain import AnvilChain, dev_account, load_artifact
from rexos.chain.manifest import Manifest
from rexos.compliance import declare
from rexos.compliance import load_policy as load_compliance
from rexos.deployment import deploy_dev
from rexos.dex import TokenRegistry
from rexos.types import Address

pytestmark = pytest.mark.anvil

ALICE, BOB = dev_account(1), dev_account(2)
SANCTIONED = "0x01e2919679362dFBC9ee1644Ba9C6da6D6245BB1"
"""The first address of the shipped OFAC SDN list (``data/ofac_sdn_evm.txt``)."""


@pytest.fixture(scope="module")
def manifest(anvil: AnvilChain) -> Manifest:
    return deploy_dev(anvil, funded=[Address(ALICE.address)])


def agent(anvil: AnvilChain, manifest: Manifest, home: Path) -> WalletAgent:
    """An agent whose data directory (policy, ledger, compliance files) is ``home``."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "policy.yaml").write_text("")
    engine = PolicyEngine(
        load_policy(home / "policy.yaml"), WalletLedger(home / "w.db"), home / "k"
    )
    tokens = TokenRegistry.from_manifest(manifest)
    return WalletAgent(
        anvil.web3, ALICE, tokens, dex_prices(anvil.web3, manifest), engine, manifest=manifest
    )


def operator_list(home: Path, *addresses: str) -> None:
    """The operator screens against the shipped list and a list of their own."""
    (home / "extra.txt").write_text("# list: operator\n" + "\n".join(addresses) + "\n")
    (home / "compliance.toml").write_text(
        'version = 1\n[jurisdiction]\nmethod = "self-declared"\nunknown = "allow"\n'
        'kyc_providers = []\n[sanctions]\nlists = ["default", "extra.txt"]\n'
    )


CASES = [SANCTIONED, SANCTIONED.lower(), "0x" + SANCTIONED[2:].upper()]


@pytest.mark.parametrize("recipient", CASES)
def test_a_sanctioned_recipient_is_denied_whatever_its_case(  # type: ignore[no-untyped-def]
    anvil, manifest, tmp_path, recipient
) -> None:
    w = agent(anvil, manifest, tmp_path)
    plan = w.plan_transfer("USDC", "1", recipient)
    assert plan.decision.verdict == "deny"
    assert plan.decision.reason.startswith("refused by compliance rule sanctions.ofac-sdn: ")
    assert "counterparty" in plan.decision.reason
    [logged] = w.compliance.log.read()
    assert logged["address"] == "0x01e2…5bb1" and SANCTIONED.lower() not in str(logged)


def test_a_recipient_hidden_in_calldata_is_read_and_denied(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The caller hands raw calldata for a USDC transfer: the gateway decodes its recipient."""
    w = agent(anvil, manifest, tmp_path)
    usdc = manifest.address("DevToken:USDC")
    token = anvil.web3.eth.contract(address=usdc, abi=load_artifact("DevToken").abi)
    data = bytes.fromhex(token.encode_abi("transfer", [SANCTIONED, 10**6])[2:])
    plan = w.plan_call(usdc, 0, data)
    assert plan.tx.kind == "transfer" and plan.tx.counterparty.lower() == SANCTIONED.lower()
    assert plan.decision.verdict == "deny" and "sanctions.ofac-sdn" in plan.decision.reason
    clean = bytes.fromhex(token.encode_abi("transfer", [BOB.address, 10**6])[2:])
    assert "compliance" not in w.plan_call(usdc, 0, clean).decision.reason


def test_a_sanctioned_target_and_sender_are_denied(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    w = agent(anvil, manifest, tmp_path)
    call = w.plan_call(SANCTIONED, 0, b"\x12\x34\x56\x78")
    assert call.decision.verdict == "deny" and "the target " in call.decision.reason
    operator_list(tmp_path, ALICE.address.lower())  # the operator lists this wallet itself
    plan = w.plan_transfer("USDC", "1", BOB.address)
    assert plan.decision.verdict == "deny"
    assert plan.decision.reason.startswith("refused by compliance rule sanctions.operator: ")
    assert "the sender " in plan.decision.reason


def test_a_list_updated_after_planning_stops_the_send(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    w = agent(anvil, manifest, tmp_path)
    plan = w.plan_transfer("USDC", "250", BOB.address)
    assert plan.decision.verdict == "confirm"
    ok = w.confirm(plan)
    operator_list(tmp_path, BOB.address)
    balance = w.web3.eth.contract(
        address=manifest.address("DevToken:USDC"), abi=load_artifact("DevToken").abi
    ).functions.balanceOf(BOB.address)
    before = int(balance.call())
    with pytest.raises(PolicyDenied, match=r"^refused by compliance rule sanctions\.operator: "):
        w.execute(plan, "pay-bob", ok)
    assert int(balance.call()) == before
    assert w.engine.ledger.intent("pay-bob") is None  # nothing reserved, nothing signed


def test_a_swap_is_denied_for_a_user_declared_in_mainland_china(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tokens = TokenRegistry.from_manifest(manifest)
    weth, usdc = tokens.symbol("WETH"), tokens.symbol("USDC")
    verdicts = {}
    for code in ("DE", "CN"):
        home = tmp_path / code
        w = agent(anvil, manifest, home)
        declare(load_compliance(home), home, code)
        approve, swap = swap_moves(w, manifest, weth, usdc, 10**16)
        first = approve.plan()  # None: the allowance the DE run approved is still there
        if first is not None:
            assert first.decision.verdict == "confirm"  # an approval is no swap
            w.execute(first, f"{code}:approve", w.confirm(first))
        verdicts[code] = swap.plan().decision
    assert verdicts["DE"].verdict == "confirm", verdicts["DE"].reason
    assert verdicts["CN"].verdict == "deny"
    assert verdicts["CN"].reason == (
        "refused by compliance rule jurisdiction.CN: the exchange service is barred for users "
        "in CN (mainland China) under PBoC notice Yinfa [2026] No. 42"
    )


def test_the_default_gate_lives_in_the_data_directory_of_the_ledger(tmp_path: Path) -> None:
    """``<home>/wallet/ledger.sqlite`` (the data directory's layout) → the gate of ``<home>``."""
    home = tmp_path / "home"
    (home / "wallet").mkdir(parents=True)
    engine = PolicyEngine(
        load_policy(home / "p.yaml"), WalletLedger(home / "wallet" / "ledger.sqlite"), home / "k"
    )
    w = WalletAgent(Web3(), ALICE, TokenRegistry([]), lambda _t: None, engine)
    assert w.compliance.home == home
