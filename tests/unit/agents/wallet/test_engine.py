"""The policy engine's verdicts, rule by rule, with no chain: caps, lists, confirmations."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from rexos.agents.wallet import Policy, PolicyEngine, WalletLedger, load_policy
from rexos.agents.wallet.engine import PlannedTx
from rexos.agents.wallet.policy import DEFAULT_POLICY_YAML
from rexos.errors import ConfigError
from rexos.types import Address

ME = Address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
BOB = Address("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
USDC = Address("0x5FbDB2315678afecb367f032d93F642f64180aa3")
NOW = 1_800_000_000


def planned(usd: str | None = "100", **changes: object) -> PlannedTx:
    tx = PlannedTx(
        31337, ME, USDC, 0, b"\xa9\x05\x9c\xbb" + bytes(64), "transfer", "USDC", USDC,
        100 * 10**6, BOB, None if usd is None else Decimal(usd), 50_000, "send 100 USDC",
    )  # fmt: skip
    return replace(tx, **changes)  # type: ignore[arg-type]


def engine(tmp_path: Path, **policy: object) -> PolicyEngine:
    return PolicyEngine(
        Policy.model_validate(policy), WalletLedger(tmp_path / "w.db"), tmp_path / "key"
    )


def test_defaults_confirm_everything_within_the_caps(tmp_path: Path) -> None:
    e = engine(tmp_path)
    assert e.check(planned("999.99"), NOW).verdict == "confirm"
    assert e.check(planned("1000.01"), NOW).verdict == "deny"


def test_below_the_threshold_no_confirmation_is_needed(tmp_path: Path) -> None:
    e = engine(tmp_path, confirm_above_usd="50")
    assert e.check(planned("49"), NOW).verdict == "allow"
    assert e.check(planned("51"), NOW).verdict == "confirm"


def test_splitting_a_transfer_does_not_dodge_the_daily_cap(tmp_path: Path) -> None:
    e = engine(tmp_path, per_tx_usd_cap="1000", daily_usd_cap="2500")
    for i in range(5):  # five sends of $499 = $2,495
        assert e.check(planned("499"), NOW + i).verdict != "deny"
        assert e.reserve(planned("499"), f"k{i}", NOW + i) is None
    verdict = e.check(planned("10"), NOW + 10)
    assert verdict.verdict == "deny" and "daily cap" in verdict.reason
    # a day later the window has rolled on
    assert e.check(planned("10"), NOW + 86_400 + 10).verdict == "confirm"
    # a failed transaction gives its value back
    e.ledger.fail("k0", "reverted")
    assert e.check(planned("10"), NOW + 11).verdict == "confirm"


@pytest.mark.parametrize(
    ("policy", "tx", "reason"),
    [
        ({"allow": {"chains": [1]}}, {}, "chain 31337"),
        ({"allow": {"tokens": ["REX"]}}, {}, "token USDC"),
        ({"allow": {"recipients": [ME]}}, {}, "recipient"),
        ({"allow": {"contracts": [ME]}}, {"kind": "approve"}, "spender"),
        ({"allow": {"contracts": [ME]}}, {"kind": "stake"}, "contract"),
        ({"allow": {"actions": ["swap"]}}, {}, "transfer is not among the actions"),
        ({}, {"kind": "call"}, "cannot interpret"),
        ({}, {"kind": "swap", "counterparty": BOB}, "must come back to this wallet"),
        ({"allow": {"recipients": [ME]}}, {"kind": "bridge"}, "recipient"),
        ({}, {"kind": "approve", "amount": 2**256 - 1}, "unlimited approvals"),
        ({}, {"simulated_gas": None}, "simulation is mandatory"),
        ({}, {"usd": None}, "cannot value USDC"),
    ],
)
def test_each_rule_denies_with_its_reason(tmp_path: Path, policy, tx, reason) -> None:  # type: ignore[no-untyped-def]
    verdict = engine(tmp_path, **policy).check(planned(**tx), NOW)
    assert verdict.verdict == "deny" and reason in verdict.reason


def test_allow_lists_match_symbols_and_addresses_case_blind(tmp_path: Path) -> None:
    e = engine(tmp_path, allow={"tokens": ["usdc"], "recipients": [BOB.lower()]})
    assert e.check(planned(), NOW).verdict == "confirm"


def test_a_confirmation_fits_one_exact_transaction_once(tmp_path: Path) -> None:
    e = engine(tmp_path)
    tx = planned()
    ok = e.confirm(tx, NOW)
    changed = replace(tx, data=tx.data[:-1] + b"\x01")  # one byte of calldata differs
    assert (
        e.accepts(changed, ok, NOW)
        == "the confirmation is for a different transaction: confirm this one"
    )
    assert e.accepts(tx, ok, NOW) is None
    assert e.accepts(tx, ok, NOW) == "the confirmation was already used"
    late = e.confirm(tx, NOW)
    assert "expired" in (e.accepts(tx, late, NOW + 301) or "")
    forged = replace(e.confirm(tx, NOW), mac="00" * 32)
    assert "not issued by this wallet" in (e.accepts(tx, forged, NOW) or "")
    other = engine(tmp_path / "other")  # another data dir has another key
    assert "not issued by this wallet" in (other.accepts(tx, e.confirm(tx, NOW), NOW) or "")


def test_the_circuit_breaker_opens_and_cools_down(tmp_path: Path) -> None:
    e = engine(tmp_path, circuit_breaker={"failures": 2, "cooldown_minutes": 1})
    e.ledger.record_failure(NOW, 2)
    assert e.check(planned(), NOW).verdict == "confirm"
    e.ledger.record_failure(NOW, 2)
    assert "circuit breaker open" in e.check(planned(), NOW + 59).reason
    assert e.check(planned(), NOW + 61).verdict == "confirm"
    e.ledger.reset_breaker()
    assert e.ledger.breaker() == (0, None)


def test_policy_file(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    assert load_policy(path) == Policy()
    path.write_text(DEFAULT_POLICY_YAML)
    assert load_policy(path) == Policy()
    path.write_text("per_tx_usd_cap: '10'\nallow: {tokens: [REX]}\n")
    assert load_policy(path).per_tx_usd_cap == Decimal(10)
    path.write_text("per_tx_usd_cpa: 10\n")  # a typo must not loosen a limit silently
    with pytest.raises(ConfigError, match="per_tx_usd_cpa"):
        load_policy(path)
    path.write_text("daily_usd_cap: -5\n")
    with pytest.raises(ConfigError, match="daily_usd_cap"):
        load_policy(path)
