"""Whose rules apply: the user's jurisdiction, established the way the operator declared.

RexOS does not geolocate (an IP address says where a connection comes from, not where a
person resides). The policy's ``[jurisdiction].method`` says what counts:

* ``self-declared`` — the user's own declaration (``rexos compliance declare CN``), kept in
  ``$REXOS_HOME/compliance/jurisdiction.json``;
* ``kyc-attestation`` — a KYC provider's attestation, a JSON file signed (EIP-191
  ``personal_sign``) over :func:`attestation_message` by one of the policy's
  ``kyc_providers``, kept in ``$REXOS_HOME/compliance/attestation.json``. It is verified each
  time it is used; an expired one, or one whose provider the operator removed, leaves the
  jurisdiction unknown.

Only the method's own source counts. An unknown jurisdiction is handled as the policy's
``unknown`` choice says. Both files are owner-only; neither is ever copied into the log.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rexos.compliance.policy import CompliancePolicy
from rexos.errors import ConfigError, UsageError
from rexos.private_files import tighten_file, write_private_file

__all__ = [
    "ATTESTATION_FILE",
    "DECLARATION_FILE",
    "Established",
    "attestation_message",
    "declare",
    "established",
    "normalise_code",
    "store_attestation",
    "verify_attestation",
]

DECLARATION_FILE = "compliance/jurisdiction.json"
ATTESTATION_FILE = "compliance/attestation.json"

_CODE = re.compile(r"[A-Z]{2}(-[A-Z0-9]{1,3})?")
_MAX_ATTESTATION_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Established:
    code: str | None
    """The ISO 3166 code, or ``None`` while unknown."""
    how: str
    """How it was established, or why it is unknown (shown to the user, never logged)."""


def normalise_code(code: str) -> str:
    """``cn`` → ``CN``; :class:`UsageError` for what is not an ISO 3166 code."""
    text = code.strip().upper()
    if not _CODE.fullmatch(text):
        raise UsageError(f"not an ISO 3166 code: {code!r} (two letters, such as CN or US-NY)")
    return text


def established(policy: CompliancePolicy, home: Path, now: int) -> Established:
    """The user's jurisdiction under ``policy`` at time ``now`` (seconds)."""
    for kept in (DECLARATION_FILE, ATTESTATION_FILE):
        tighten_file(Path(home) / kept)
    if policy.method == "self-declared":
        data = _read_json(Path(home) / DECLARATION_FILE, "declaration")
        if data is None:
            return Established(None, "nothing declared (`rexos compliance declare CC`)")
        code = data.get("jurisdiction")
        if not isinstance(code, str) or not _CODE.fullmatch(code):
            raise ConfigError(f"{Path(home) / DECLARATION_FILE}: no valid jurisdiction in it")
        return Established(code, "self-declared")
    data = _read_json(Path(home) / ATTESTATION_FILE, "attestation")
    if data is None:
        return Established(None, "no KYC attestation stored")
    try:
        code = verify_attestation(data, policy.kyc_providers, now)
    except UsageError as exc:
        return Established(None, f"the stored KYC attestation does not count: {exc}")
    return Established(code, "KYC attestation")


def declare(policy: CompliancePolicy, home: Path, code: str | None) -> str | None:
    """Record the user's own declaration (``None``: withdraw it); the code recorded."""
    if policy.method != "self-declared":
        raise UsageError(
            "this operator's policy establishes jurisdiction by KYC attestation: "
            "use `rexos compliance declare --attestation FILE`"
        )
    path = Path(home) / DECLARATION_FILE
    if code is None:
        path.unlink(missing_ok=True)
        return None
    value = normalise_code(code)
    write_private_file(path, json.dumps({"jurisdiction": value}).encode())
    return value


def store_attestation(policy: CompliancePolicy, home: Path, source: Path, now: int) -> str:
    """Verify the attestation in ``source`` and keep it; the jurisdiction it attests."""
    if policy.method != "kyc-attestation":
        raise UsageError(
            "this operator's policy takes the user's own declaration: "
            "use `rexos compliance declare CC`"
        )
    data = _read_json(Path(source), "attestation")
    if data is None:
        raise UsageError(f"no attestation file at {source}")
    code = verify_attestation(data, policy.kyc_providers, now)
    write_private_file(Path(home) / ATTESTATION_FILE, json.dumps(data).encode())
    return code


def attestation_message(jurisdiction: str, subject: str, issued_at: int, expires_at: int) -> str:
    """The text a KYC provider signs (EIP-191 ``personal_sign``)."""
    return (
        "RexOS KYC attestation\n"
        f"jurisdiction: {jurisdiction}\n"
        f"subject: {subject}\n"
        f"issued_at: {issued_at}\n"
        f"expires_at: {expires_at}"
    )


def verify_attestation(data: dict[str, Any], providers: frozenset[str], now: int) -> str:
    """The jurisdiction ``data`` attests, if a listed provider signed it and it is current;
    else :class:`UsageError` saying why."""
    code, subject = data.get("jurisdiction"), data.get("subject")
    issued, expires = data.get("issued_at"), data.get("expires_at")
    signature = data.get("signature")
    if not (isinstance(code, str) and _CODE.fullmatch(code)):
        raise UsageError("the attestation names no ISO 3166 jurisdiction")
    if not isinstance(subject, str) or not subject:
        raise UsageError("the attestation names no subject")
    if not all(isinstance(t, int) and not isinstance(t, bool) for t in (issued, expires)):
        raise UsageError("the attestation's issued_at and expires_at must be integers")
    assert isinstance(issued, int) and isinstance(expires, int)
    if not isinstance(signature, str):
        raise UsageError("the attestation has no signature")
    signer = _signer(attestation_message(code, subject, issued, expires), signature)
    if signer.lower() not in providers:
        raise UsageError(f"signed by {signer}, which is not among the policy's kyc_providers")
    if not issued <= now < expires:
        raise UsageError("it is not valid now (expired, or issued in the future)")
    return code


def _signer(message: str, signature: str) -> str:
    from eth_account import Account
    from eth_account.messages import encode_defunct

    try:
        return str(Account.recover_message(encode_defunct(text=message), signature=signature))
    except Exception as exc:  # eth_account raises several types for a malformed signature
        why = f"the attestation's signature is malformed ({type(exc).__name__})"
        raise UsageError(why) from exc


def _read_json(path: Path, what: str) -> dict[str, Any] | None:
    try:
        if path.stat().st_size > _MAX_ATTESTATION_BYTES:
            raise ConfigError(f"{what} {path}: larger than {_MAX_ATTESTATION_BYTES} bytes")
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{what} {path}: cannot read: {exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{what} {path}: not JSON: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{what} {path}: not a JSON object")
    return data
