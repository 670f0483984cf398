"""Permissions as the Wallet agent gateway's policy: never looser than the spec or the user."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rexos.agents.wallet import PlannedTx, Policy, PolicyEngine, WalletLedger
from rexos.studio import SpecError, agent_policy, load_spec, parse_spec
from rexos.types import parse_address
from tests.unit.studio.specs import DCA, DIGEST, doc

ME = parse_address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
ROUTER = parse_address("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0")
OTHER = parse_address("0xCf7Ed3AccA5a147D1A5e2De1F2a5E0F1aF1c6DcE")
USDC = parse_address("0x5FbDB2315678afecb367f032d93F642f64180aa3")
DECIMALS = {"USDC": 6, "WETH": 18, "REX": 18}
MANIFEST = {"RexRouter": ROUTER, "StakedRex": OTHER}
NOW = 1_800_000_000


def swap(usdc: str, **changes: object) -> PlannedTx:
    units = int(Decimal(usdc).scaleb(6))
    tx = PlannedTx(
        31337, ME, ROUTER, 0, b"\x01" * 68, "swap", "USDC", USDC, units, ME, Decimal(usdc),
        120_000, f"swap {usdc} USDC for WETH",
    )  # fmt: skip
    return replace(tx, **changes)  # type: ignore[arg-type]


def dca(base: Policy | None = None):  # type: ignore[no-untyped-def]
    return agent_policy(load_spec(DCA), base or Policy(), decimals=DECIMALS, contracts=MANIFEST)


_DCA = dca()


def test_the_dca_agent_gets_its_own_narrow_policy() -> None:
    ap = dca()
    p = ap.policy
    assert p.allow.actions == ("approve", "swap")
    assert p.allow.tokens == ("USDC",)
    assert p.allow.contracts == (ROUTER,)
    assert (p.per_tx_usd_cap, p.daily_usd_cap) == (Decimal(60), Decimal(60))
    cap = ap.caps["USDC"]
    assert (cap.per_action, cap.total) == (50 * 10**6, 500 * 10**6)
    assert (ap.max_calls, ap.max_seconds) == (4, 120)


def test_the_real_gateway_engine_refuses_what_the_spec_does_not_allow(tmp_path: Path) -> None:
    engine = PolicyEngine(dca().policy, WalletLedger(tmp_path / "w.db"), tmp_path / "key")
    assert engine.check(swap("50"), NOW).verdict == "confirm"  # allowed, the user confirms
    refused = {
        "transfer is not among the actions": swap("5", kind="transfer", counterparty=OTHER),
        "token WETH is not in the policy's allow-list": swap("5", token_symbol="WETH"),
        f"contract {OTHER} is not in the policy's allow-list": swap("5", to=OTHER),
        "above the per-transaction cap of $60": swap("61"),
        "call is not among the actions": swap("1", kind="call", to=OTHER),
    }
    for reason, tx in refused.items():
        decision = engine.check(tx, NOW)
        assert decision.verdict == "deny" and reason in decision.reason, reason


def test_the_agents_token_caps_refuse_over_cap_amounts() -> None:
    ap = dca()
    assert ap.check(swap("50"), {}).verdict == "allow"
    over = ap.check(swap("50.000001"), {})
    assert over.verdict == "deny" and "per-action cap of 50 USDC" in over.reason
    total = ap.check(swap("30"), {"USDC": 480 * 10**6})
    assert total.verdict == "deny" and "above its cap of 500 USDC" in total.reason
    assert ap.check(swap("20"), {"USDC": 480 * 10**6}).verdict == "allow"
    approve = swap("50", kind="approve", counterparty=ROUTER)
    assert ap.check(approve, {"USDC": 480 * 10**6}).verdict == "allow"  # moves nothing itself
    assert ap.check(replace(approve, amount=2**255), {}).verdict == "deny"
    assert ap.check(swap("1", token_symbol="WETH"), {}).verdict == "deny"
    assert ap.check(swap("1", kind="stake"), {}).verdict == "deny"


@settings(deadline=None)
@given(
    amount=st.integers(0, 10**12),
    spent=st.integers(0, 10**12),
    kind=st.sampled_from(["swap", "approve"]),
)
def test_a_transaction_passes_only_within_both_caps(amount: int, spent: int, kind: str) -> None:
    verdict = _DCA.check(swap("1", amount=amount, kind=kind), {"USDC": spent}).verdict
    within = amount <= 50 * 10**6 and (kind == "approve" or spent + amount <= 500 * 10**6)
    assert (verdict == "allow") == within


def test_a_read_only_agent_signs_nothing() -> None:
    ap = agent_policy(load_spec(DIGEST), Policy(), decimals=DECIMALS, contracts=MANIFEST)
    assert ap.caps == {}
    assert (ap.policy.per_tx_usd_cap, ap.policy.daily_usd_cap) == (Decimal(0), Decimal(0))
    decision = ap.check(swap("0.000001"), {})
    assert decision.verdict == "deny" and "read-only" in decision.reason


def test_the_users_policy_is_never_widened() -> None:
    tighter = Policy.model_validate(
        {"per_tx_usd_cap": "20", "daily_usd_cap": "30", "confirm_above_usd": "10",
         "allow": {"actions": ["swap", "transfer"], "chains": [31337]}}
    )  # fmt: skip
    p = dca(tighter).policy
    assert (p.per_tx_usd_cap, p.daily_usd_cap, p.confirm_above_usd) == tuple(
        map(Decimal, (20, 30, 10))
    )
    assert p.allow.actions == ("swap",)
    assert p.allow.chains == (31337,)
    for base, what in [
        ({"allow": {"tokens": ["REX"]}}, "tokens"),
        ({"allow": {"actions": ["stake"]}}, "actions"),
        ({"allow": {"contracts": [OTHER]}}, "contracts"),
        ({"allow": {"chains": [1]}}, "chains"),
    ]:
        d = doc()
        d["permissions"]["chains"] = [31337]
        with pytest.raises(SpecError, match=f"allows none of the {what}"):
            agent_policy(
                parse_spec(d), Policy.model_validate(base), decimals=DECIMALS, contracts=MANIFEST
            )


def test_unresolved_tokens_contracts_and_precision_are_errors() -> None:
    spec = load_spec(DCA)
    with pytest.raises(SpecError, match="USDC is not a token of this deployment"):
        agent_policy(spec, Policy(), decimals={"WETH": 18}, contracts=MANIFEST)
    with pytest.raises(SpecError, match="RexRouter is not in this deployment's manifest"):
        agent_policy(spec, Policy(), decimals=DECIMALS, contracts={})
    d = doc()
    d["permissions"]["tokens"][0]["max_per_action"] = "0.0000001"
    with pytest.raises(SpecError, match="more than 6 decimal places"):
        agent_policy(parse_spec(d), Policy(), decimals=DECIMALS, contracts=MANIFEST)
