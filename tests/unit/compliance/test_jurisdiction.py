"""How the user's jurisdiction is established: a self-declaration, or a KYC provider's
signed attestation; neither ever reaches the decision log."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct

from rexos.compliance import (
    Gate,
    attestation_message,
    declare,
    load_policy,
    store_attestation,
    verify_attestation,
)
from rexos.errors import ConfigError, UsageError
from tests.unit.compliance.helpers import write_policy

PROVIDER = Account.from_key("0x" + "a1" * 32)
STRANGER = Account.from_key("0x" + "b2" * 32)
NOW = 1_800_000_000
SUBJECT = "kyc-case-7731:Zhang San:passport E12345678"


def attestation(code: str = "CN", signer: Any = PROVIDER, **over: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "jurisdiction": code, "subject": SUBJECT, "issued_at": NOW - 100,
        "expires_at": NOW + 86_400,
    }  # fmt: skip
    fields.update(over)
    message = attestation_message(
        fields["jurisdiction"], fields["subject"], fields["issued_at"], fields["expires_at"]
    )
    signed = signer.sign_message(encode_defunct(text=message))
    return {**fields, "signature": "0x" + bytes(signed.signature).hex()}


def kyc_home(tmp_path: Path) -> Path:
    write_policy(tmp_path, method="kyc-attestation", providers=f'["{PROVIDER.address}"]')
    return tmp_path


def test_a_declaration_is_kept_private_and_can_be_withdrawn(tmp_path: Path) -> None:
    policy = load_policy(tmp_path)
    assert declare(policy, tmp_path, " cn ") == "CN"
    kept = tmp_path / "compliance" / "jurisdiction.json"
    assert json.loads(kept.read_text()) == {"jurisdiction": "CN"}
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
    assert Gate(tmp_path).jurisdiction().code == "CN"
    declare(policy, tmp_path, None)
    assert Gate(tmp_path).jurisdiction().code is None


@pytest.mark.parametrize("bad", ["China", "C", "cn1", "", "US-NEWYORK"])
def test_a_declaration_must_be_an_iso_code(tmp_path: Path, bad: str) -> None:
    with pytest.raises(UsageError, match="not an ISO 3166 code"):
        declare(load_policy(tmp_path), tmp_path, bad)


def test_a_tampered_declaration_file_fails_closed(tmp_path: Path) -> None:
    (tmp_path / "compliance").mkdir()
    (tmp_path / "compliance" / "jurisdiction.json").write_text('{"jurisdiction": "anywhere"}')
    with pytest.raises(ConfigError, match="no valid jurisdiction"):
        Gate(tmp_path).jurisdiction()
    assert Gate(tmp_path).check("exchange").rule == "policy"


def test_an_attestation_by_a_listed_provider_establishes_the_jurisdiction(tmp_path: Path) -> None:
    home = kyc_home(tmp_path)
    source = tmp_path / "from-provider.json"
    source.write_text(json.dumps(attestation()))
    assert store_attestation(load_policy(home), home, source, NOW) == "CN"
    gate = Gate(home, clock=lambda: NOW)
    assert gate.jurisdiction().code == "CN" and gate.jurisdiction().how == "KYC attestation"
    assert gate.check("exchange").rule == "jurisdiction.CN"
    # the user's own word does not count under this policy
    with pytest.raises(UsageError, match="KYC attestation"):
        declare(load_policy(home), home, "DE")
    later = Gate(home, clock=lambda: NOW + 86_400)
    assert later.jurisdiction().code is None and "not valid now" in later.jurisdiction().how


@pytest.mark.parametrize(
    ("doc", "why"),
    [
        (attestation(signer=STRANGER), "not among the policy's kyc_providers"),
        ({**attestation("CN"), "jurisdiction": "DE"}, "not among the policy's kyc_providers"),
        (attestation(expires_at=NOW - 1), "not valid now"),
        (attestation(issued_at=NOW + 60), "not valid now"),
        ({**attestation(), "signature": "0x1234"}, "signature is malformed"),
        ({**attestation(), "issued_at": "yesterday"}, "must be integers"),
        ({**attestation(), "jurisdiction": "Mainland"}, "no ISO 3166"),
        ({**attestation(), "subject": ""}, "no subject"),
    ],
)
def test_an_attestation_that_does_not_verify_is_refused(
    tmp_path: Path, doc: dict[str, Any], why: str
) -> None:
    with pytest.raises(UsageError, match=why):
        verify_attestation(doc, frozenset({PROVIDER.address.lower()}), NOW)
    home = kyc_home(tmp_path)
    source = tmp_path / "a.json"
    source.write_text(json.dumps(doc))
    with pytest.raises(UsageError):
        store_attestation(load_policy(home), home, source, NOW)
    assert not (home / "compliance" / "attestation.json").exists()


def test_the_log_holds_no_declared_identity_data(tmp_path: Path) -> None:
    home = kyc_home(tmp_path)
    doc = attestation()
    source = tmp_path / "a.json"
    source.write_text(json.dumps(doc))
    store_attestation(load_policy(home), home, source, NOW)
    gate = Gate(home, clock=lambda: NOW)
    for service in ("exchange", "transfer", "trading-info"):
        gate.check(service, entry="cli:x")  # type: ignore[arg-type]
    text = gate.log.path.read_text()
    assert len(gate.log.read()) == 3
    for secret in (SUBJECT, "Zhang", "E12345678", doc["signature"][2:], PROVIDER.address[2:]):
        assert secret.lower() not in text.lower()
    assert {k for line in gate.log.read() for k in line} <= {
        "time", "entry", "service", "verdict", "rule", "jurisdiction",
    }  # fmt: skip
