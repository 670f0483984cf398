"""The Wallet agent on an anvil devnet: simulate, value, confirm, send once per intent."""

from __future__ import annotations

from pathlib import Path

import pytest

from rexos.agents.wallet import (
    Move,
    PolicyDenied,
    PolicyEngine,
    WalletAgent,
    WalletLedger,
    dex_prices,
    load_policy,
    stake_moves,
    swap_moves,
    unstake_moves,
)
from rexos.chain import AnvilChain, dev_account, load_artifact
from rexos.chain.manifest import Manifest
from rexos.deployment import deploy_dev
from rexos.dex import TokenRegistry
from rexos.errors import InsufficientBalance
from rexos.types import Address

pytestmark = pytest.mark.anvil

ALICE, BOB = dev_account(1), dev_account(2)


@pytest.fixture(scope="module")
def manifest(anvil: AnvilChain) -> Manifest:
    return deploy_dev(anvil, funded=[Address(ALICE.address)])


def agent(anvil: AnvilChain, manifest: Manifest, home: Path, policy: str = "") -> WalletAgent:
    home.mkdir(parents=True, exist_ok=True)
    (home / "policy.yaml").write_text(policy)
    engine = PolicyEngine(
        load_policy(home / "policy.yaml"), WalletLedger(home / "w.db"), home / "k"
    )
    tokens = TokenRegistry.from_manifest(manifest)
    return WalletAgent(
        anvil.web3, ALICE, tokens, dex_prices(anvil.web3, manifest), engine, manifest=manifest
    )


def usdc_of(anvil: AnvilChain, manifest: Manifest, who: str) -> int:
    token = anvil.web3.eth.contract(
        address=manifest.address("DevToken:USDC"), abi=load_artifact("DevToken").abi
    )
    return int(token.functions.balanceOf(who).call())


def test_transfer_needs_its_confirmation_and_pays_once(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    w = agent(anvil, manifest, tmp_path)
    plan = w.plan_transfer("USDC", "250", BOB.address)
    assert plan.decision.verdict == "confirm"
    assert plan.tx.usd is not None and 249 < plan.tx.usd < 251  # USDC is the dollar
    with pytest.raises(PolicyDenied, match="needs a confirmation"):
        w.execute(plan, "pay-bob-1")
    before = usdc_of(anvil, manifest, BOB.address)
    ok = w.confirm(plan)
    first = w.execute(plan, "pay-bob-1", ok)
    again = w.execute(plan, "pay-bob-1", ok)  # a retry of the same intent
    assert not first.replayed and again.replayed and again.tx_hash == first.tx_hash
    assert usdc_of(anvil, manifest, BOB.address) == before + 250 * 10**6
    # an old confirmation does not cover a changed transaction
    changed = w.plan_transfer("USDC", "251", BOB.address)
    with pytest.raises(PolicyDenied, match="different transaction"):
        w.execute(changed, "pay-bob-2", ok)
    with pytest.raises(PolicyDenied, match="different transaction"):
        w.execute(changed, "pay-bob-1", w.confirm(changed))  # the key belongs to the first


def test_a_crash_after_signing_resumes_without_paying_twice(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    w = agent(anvil, manifest, tmp_path, "confirm_above_usd: '1000'\n")
    plan = w.plan_transfer("USDC", "10", BOB.address)
    assert plan.decision.verdict == "allow"
    before = usdc_of(anvil, manifest, BOB.address)
    original = w.engine.ledger.sending

    def crash(key: str, tx_hash: str, raw: bytes) -> None:
        original(key, tx_hash, raw)
        raise KeyboardInterrupt  # the process dies after recording, before broadcasting

    w.engine.ledger.sending = crash  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        w.execute(plan, "crashy")
    assert usdc_of(anvil, manifest, BOB.address) == before
    w.engine.ledger.sending = original  # type: ignore[method-assign]
    resumed = w.execute(plan, "crashy")
    assert resumed.replayed
    assert usdc_of(anvil, manifest, BOB.address) == before + 10 * 10**6
    assert w.execute(plan, "crashy").tx_hash == resumed.tx_hash
    assert usdc_of(anvil, manifest, BOB.address) == before + 10 * 10**6


def test_caps_and_unlimited_approvals_are_refused(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    w = agent(anvil, manifest, tmp_path, "per_tx_usd_cap: '100'\n")
    big = w.plan_transfer("WETH", "1", BOB.address)  # about $3,000
    assert big.decision.verdict == "deny" and "per-transaction cap" in big.decision.reason
    with pytest.raises(PolicyDenied, match="per-transaction cap"):
        w.execute(big, "too-big", w.confirm(big))
    unlimited = w.plan_raw_approve("USDC", 2**256 - 1, BOB.address)
    assert "unlimited approvals" in unlimited.decision.reason
    broke = agent(
        anvil, manifest, tmp_path / "x", "per_tx_usd_cap: '1e12'\ndaily_usd_cap: '1e12'\n"
    )
    more = broke.plan_transfer("USDC", "1000000000", BOB.address)  # more than Alice holds
    assert more.decision.verdict == "deny" and "simulation failed" in more.decision.reason


def drive(w: WalletAgent, moves: list[Move], key: str) -> list[str]:
    """Plan each move in turn, confirm it, execute it; the kinds of what was sent."""
    sent = []
    for move in moves:
        prepared = move.plan()
        if prepared is None:
            continue
        assert prepared.decision.verdict == "confirm", prepared.decision.reason
        w.execute(prepared, f"{key}:{move.name}", w.confirm(prepared))
        sent.append(move.name)
    return sent


def test_swap_through_the_agent_pays_the_wallet_and_counts_against_the_caps(  # type: ignore[no-untyped-def]
    anvil, manifest, tmp_path
) -> None:
    w = agent(anvil, manifest, tmp_path)
    tokens = TokenRegistry.from_manifest(manifest)
    weth, usdc = tokens.symbol("WETH"), tokens.symbol("USDC")
    before = usdc_of(anvil, manifest, ALICE.address)
    assert drive(w, swap_moves(w, manifest, weth, usdc, 10**17), "swap-1") == ["approve", "swap"]
    gained = usdc_of(anvil, manifest, ALICE.address) - before
    assert 250 * 10**6 < gained < 350 * 10**6  # 0.1 WETH at about $3,000
    # the approval was exact: a second swap approves again
    assert drive(w, swap_moves(w, manifest, weth, usdc, 10**16), "swap-2")[0] == "approve"
    assert w.engine.ledger.spent_last_day(w.now()) > 2 * 300  # approvals and swaps count


def test_swap_refuses_more_than_held_and_unknown_routes(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    w = agent(anvil, manifest, tmp_path)
    tokens = TokenRegistry.from_manifest(manifest)
    too_much = swap_moves(w, manifest, tokens.symbol("WETH"), tokens.symbol("USDC"), 10**30)
    with pytest.raises(InsufficientBalance, match="cannot swap"):
        too_much[0].plan()
    capped = agent(anvil, manifest, tmp_path / "c", "per_tx_usd_cap: '50'\n")
    moves = swap_moves(capped, manifest, tokens.symbol("WETH"), tokens.symbol("USDC"), 10**17)
    first = moves[0].plan()
    assert first is not None and first.decision.verdict == "deny"
    assert "per-transaction cap" in first.decision.reason


def test_stake_then_unstake_through_the_agent(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    w = agent(anvil, manifest, tmp_path)
    staked = anvil.web3.eth.contract(
        address=manifest.address("StakedRex"), abi=load_artifact("StakedRex").abi
    )
    before = int(staked.functions.balanceOf(ALICE.address).call())
    assert drive(w, stake_moves(w, manifest, 5 * 10**18), "stake-1") == ["approve", "stake"]
    assert int(staked.functions.balanceOf(ALICE.address).call()) == before + 5 * 10**18
    assert drive(w, unstake_moves(w, manifest, 2 * 10**18), "unstake-1") == ["unstake"]
    assert int(staked.functions.balanceOf(ALICE.address).call()) == before + 3 * 10**18
