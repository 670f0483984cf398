"""The gate's verdicts: jurisdiction rules, the unknown-jurisdiction choice, sanctions, and
what the decision log keeps."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from rexos.compliance import Gate, declare, load_policy
from rexos.errors import ComplianceRefused, UsageError
from tests.unit.compliance.helpers import CLEAN, SANCTIONED, write_policy

PBOC = ("exchange", "trading-info", "token-issuance", "rwa-tokenisation")


def declared(home: Path, code: str | None) -> Gate:
    declare(load_policy(home), home, code)
    return Gate(home, clock=lambda: 1_800_000_000)


@pytest.mark.parametrize("service", PBOC)
def test_the_default_refuses_each_barred_service_for_a_cn_user(
    tmp_path: Path, service: str
) -> None:
    decision = declared(tmp_path, "cn").check(service, entry="cli:x")  # type: ignore[arg-type]
    assert decision.verdict == "refuse" and decision.rule == "jurisdiction.CN"
    assert decision.message == (
        f"refused by compliance rule jurisdiction.CN: the {service} service is barred for users "
        "in CN (mainland China) under PBoC notice Yinfa [2026] No. 42"
    )


@pytest.mark.parametrize("code", ["DE", "HK", "US", "SG", None])
def test_the_default_allows_swaps_for_everyone_else(tmp_path: Path, code: str | None) -> None:
    gate = declared(tmp_path, code)
    for service in PBOC:
        assert gate.check(service).allowed  # type: ignore[arg-type]


@pytest.mark.parametrize("service", ["transfer", "staking", "ai-answers", "information"])
def test_the_default_leaves_other_services_to_cn_users(tmp_path: Path, service: str) -> None:
    assert declared(tmp_path, "CN").check(service).allowed  # type: ignore[arg-type]


def test_a_countrys_rule_covers_its_subdivisions_and_a_subdivision_rule_only_itself(
    tmp_path: Path,
) -> None:
    write_policy(
        tmp_path,
        rules='[jurisdictions.US]\nname = "US"\nbasis = "federal"\nbarred = ["bridge"]\n'
        '[jurisdictions.US-NY]\nname = "New York"\nbasis = "BitLicense"\nbarred = ["exchange"]\n',
    )
    ny = declared(tmp_path, "us-ny")
    assert ny.check("bridge").rule == "jurisdiction.US"
    assert ny.check("exchange").rule == "jurisdiction.US-NY"
    tx = declared(tmp_path, "US-TX")
    assert tx.check("bridge").rule == "jurisdiction.US" and tx.check("exchange").allowed


def test_an_unknown_jurisdiction_follows_the_operators_choice(tmp_path: Path) -> None:
    assert Gate(tmp_path).check("exchange").allowed  # the default: allow
    write_policy(tmp_path, unknown="refuse-barred")
    refused = Gate(tmp_path).check("exchange")
    assert refused.verdict == "refuse" and refused.rule == "jurisdiction.unknown"
    assert "barred in CN (mainland China) under PBoC" in refused.message
    assert "nothing declared" in refused.message
    assert Gate(tmp_path).check("transfer").allowed  # barred nowhere: no reason to refuse
    assert declared(tmp_path, "FR").check("exchange").allowed


@pytest.mark.parametrize("role", ["sender", "target", "recipient"])
def test_a_sanctioned_address_is_refused_in_any_role_and_any_jurisdiction(
    tmp_path: Path, role: str
) -> None:
    gate = declared(tmp_path, "DE")
    upper = "0x" + SANCTIONED[2:].upper()
    decision = gate.check("transfer", addresses={"sender": CLEAN, role: upper})
    assert decision.verdict == "refuse" and decision.rule == "sanctions.ofac-sdn"
    assert f"the {role} 0x" in decision.message
    assert decision.message.endswith("is on the ofac-sdn (2024-09-27) sanctions list")


def test_sanctions_are_screened_even_where_no_service_is_named(tmp_path: Path) -> None:
    gate = Gate(tmp_path)
    assert gate.check(None).allowed and gate.log.read() == []  # not regulated: not logged
    assert gate.check(None, addresses={"address": CLEAN}).allowed
    assert gate.check(None, addresses={"address": SANCTIONED}).rule == "sanctions.ofac-sdn"
    assert [d["verdict"] for d in gate.log.read()] == ["allow", "refuse"]


def test_require_raises_one_line_naming_the_rule(tmp_path: Path) -> None:
    gate = declared(tmp_path, "CN")
    with pytest.raises(ComplianceRefused) as caught:
        gate.require_entry("cli", "swap")
    assert caught.value.rule == "jurisdiction.CN" and isinstance(caught.value, UsageError)
    assert str(caught.value).startswith("refused by compliance rule jurisdiction.CN: ")
    assert "\n" not in str(caught.value)
    assert gate.require_entry("cli", "send").allowed
    assert gate.require_entry("cli", "compliance show").rule == "none"


def test_the_log_keeps_the_rule_and_only_what_it_needs(tmp_path: Path) -> None:
    gate = declared(tmp_path, "CN")
    gate.check("exchange", entry="cli:swap")
    gate.check("transfer", addresses={"sender": CLEAN, "recipient": CLEAN}, entry="action:transfer")
    gate.check("transfer", addresses={"sender": CLEAN, "recipient": SANCTIONED}, entry="x")
    barred, passed, hit = gate.log.read()
    assert barred == {
        "time": "2027-01-15T08:00:00+00:00", "entry": "cli:swap", "service": "exchange",
        "verdict": "refuse", "rule": "jurisdiction.CN", "jurisdiction": "CN",
    }  # fmt: skip
    assert passed == {
        "time": "2027-01-15T08:00:00+00:00", "entry": "action:transfer", "service": "transfer",
        "verdict": "allow", "rule": "none",
    }  # fmt: skip
    assert hit["rule"] == "sanctions.ofac-sdn" and hit["role"] == "recipient"
    assert hit["address"] == "0x01e2…5bb1" and hit["list"] == "ofac-sdn (2024-09-27)"
    text = gate.log.path.read_text()
    assert CLEAN[2:] not in text and SANCTIONED.lower()[2:] not in text.lower()
    assert stat.S_IMODE(os.stat(gate.log.path).st_mode) == 0o600


def test_the_log_takes_no_field_beyond_its_list(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a decision-log field"):
        Gate(tmp_path).log.append(0, entry="x", passport="X123")
