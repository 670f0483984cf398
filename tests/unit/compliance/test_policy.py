"""The jurisdiction policy file: the shipped default, the operator's copy, strict parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from rexos.compliance import Gate, declare, default_policy_text, load_policy, parse_policy
from rexos.errors import ConfigError
from tests.unit.compliance.helpers import write_policy

PBOC_SERVICES = {"exchange", "trading-info", "token-issuance", "rwa-tokenisation"}


def test_the_default_bars_what_the_pboc_notice_forbids_in_mainland_china(tmp_path: Path) -> None:
    policy = load_policy(tmp_path)
    assert policy.source == "default"
    assert policy.method == "self-declared" and policy.unknown == "allow"
    [china] = policy.rules_for("CN")
    assert china.barred == PBOC_SERVICES
    assert "PBoC" in china.basis and china.rule_id == "jurisdiction.CN"
    assert policy.rules_for("DE") == [] and policy.sanctions_lists == ("default",)


def test_the_operators_file_replaces_the_default_and_is_read_at_every_decision(
    tmp_path: Path,
) -> None:
    gate = Gate(tmp_path)
    declare(gate.policy(), tmp_path, "DE")
    assert gate.check("exchange").allowed
    write_policy(
        tmp_path,
        rules='[jurisdictions.DE]\nname = "Germany"\nbasis = "a test rule"\nbarred = ["bridge"]\n',
    )
    assert gate.policy().source == str(tmp_path / "compliance.toml")
    assert gate.check("exchange").allowed
    refused = gate.check("bridge")
    assert refused.verdict == "refuse" and refused.rule == "jurisdiction.DE"
    assert load_policy(tmp_path).rules_for("CN") == []  # replaced, not merged


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("version = 1\nsurprise = true\n", "surprise: unknown key"),
        (
            default_policy_text().replace('unknown = "allow"', 'unknown = "allow"\ngeoip = true'),
            "jurisdiction.geoip: unknown key",
        ),
        (
            default_policy_text().replace("barred = [", "exempt = []\nbarred = ["),
            "jurisdictions.CN.exempt: unknown key",
        ),
        (
            default_policy_text().replace('"rwa-tokenisation"]', '"rwa-tokenization"]'),
            "jurisdictions.CN.barred: unknown service 'rwa-tokenization'",
        ),
        (default_policy_text().replace("[jurisdictions.CN]", "[jurisdictions.china]"), "ISO 3166"),
        (default_policy_text().replace("version = 1", "version = 2"), "version: must be 1"),
        (default_policy_text().replace('"self-declared"', '"geoip"'), "jurisdiction.method"),
        (
            default_policy_text().replace('"self-declared"', '"kyc-attestation"'),
            "kyc-attestation needs at least one provider",
        ),
        (default_policy_text().replace('lists = ["default"]', "lists = 3"), "sanctions.lists"),
        ("version = 1\n[jurisdiction\n", "not valid TOML"),
    ],
)
def test_a_bad_policy_is_one_clear_error_naming_file_and_key(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "compliance.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_policy(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"compliance policy {path}: ") and problem in message
    assert "\n" not in message


def test_a_bad_policy_refuses_everything_checked_and_changes_nothing(tmp_path: Path) -> None:
    gate = Gate(tmp_path)
    declare(gate.policy(), tmp_path, "DE")
    declared = (tmp_path / "compliance" / "jurisdiction.json").read_bytes()
    (tmp_path / "compliance.toml").write_text("version = 1\nsurprise = true\n")
    for service in ("transfer", "information", "exchange"):
        decision = gate.check(service, entry="cli:test")
        assert decision.verdict == "refuse" and decision.rule == "policy"
        assert decision.message == (
            f"refused by compliance rule policy: compliance policy {tmp_path / 'compliance.toml'}"
            ": surprise: unknown key"
        )
    assert (tmp_path / "compliance" / "jurisdiction.json").read_bytes() == declared
    assert {line["rule"] for line in gate.log.read()} == {"policy"}


def test_an_unreadable_policy_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "compliance.toml").mkdir()
    with pytest.raises(ConfigError, match="cannot read"):
        load_policy(tmp_path)


def test_the_default_text_parses_to_the_default() -> None:
    assert parse_policy(default_policy_text(), "x").jurisdictions[0].code == "CN"
