"""The jurisdiction policy: which services are barred where, read strictly from TOML.

The default ships with RexOS (``default_policy.toml``: mainland China bars what the PBoC
notice forbids). The operator's ``$REXOS_HOME/compliance.toml``, when it exists, replaces it
entirely — it is their file, and a partial merge would hide what applies. The file is read at
every decision, so an edit takes effect at once; a file that cannot be read, is not TOML, has
an unknown key, names an unknown service or a malformed code is one :class:`ConfigError`
naming the file and the key, and the gate then refuses everything it checks (fails closed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from rexos._toml import Table, TomlReader, parse_toml
from rexos.compliance.services import SERVICES, Service
from rexos.errors import ConfigError

__all__ = [
    "POLICY_FILE",
    "CompliancePolicy",
    "JurisdictionRule",
    "Method",
    "UnknownChoice",
    "default_policy_text",
    "load_policy",
    "parse_policy",
]

POLICY_FILE = "compliance.toml"
"""The operator's policy, in the data directory."""

Method = Literal["self-declared", "kyc-attestation"]
UnknownChoice = Literal["allow", "refuse-barred"]

_NOUN = "compliance policy"
_CODE = re.compile(r"[A-Z]{2}(-[A-Z0-9]{1,3})?")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


@dataclass(frozen=True, slots=True)
class JurisdictionRule:
    """The services one jurisdiction bars, and why."""

    code: str
    """ISO 3166 code: a country (``CN``) or a subdivision (``US-NY``)."""
    name: str
    basis: str
    """The law or notice the rule follows (named in every refusal)."""
    barred: frozenset[Service]

    @property
    def rule_id(self) -> str:
        return f"jurisdiction.{self.code}"


@dataclass(frozen=True, slots=True)
class CompliancePolicy:
    source: str
    """``default`` or the operator's file."""
    method: Method
    unknown: UnknownChoice
    kyc_providers: frozenset[str]
    """Lower-case addresses whose attestations are accepted."""
    sanctions_lists: tuple[str, ...]
    jurisdictions: tuple[JurisdictionRule, ...]

    def rules_for(self, code: str) -> list[JurisdictionRule]:
        """The rules that apply to a user in ``code``: its own and its country's."""
        country = code.split("-", 1)[0]
        return [r for r in self.jurisdictions if r.code in (code, country)]

    def barring(self, service: Service) -> list[JurisdictionRule]:
        """Every rule that bars ``service`` somewhere."""
        return [r for r in self.jurisdictions if service in r.barred]


def default_policy_text() -> str:
    """The shipped default, comments and all (the operator's starting point)."""
    return resources.files("rexos.compliance").joinpath("default_policy.toml").read_text("utf-8")


def load_policy(home: Path) -> CompliancePolicy:
    """The policy in force for data directory ``home``: the operator's file, else the
    default. :class:`ConfigError` (one line) when the operator's file is unusable."""
    path = Path(home) / POLICY_FILE
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return parse_policy(default_policy_text(), "default")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{_NOUN} {path}: cannot read: {exc}") from exc
    return parse_policy(text, str(path))


def parse_policy(text: str, source: str) -> CompliancePolicy:
    """Parse policy TOML strictly; ``source`` names it in errors."""
    data = parse_toml(text, source, _NOUN)
    read = TomlReader(source, _NOUN)
    read.keys(data, "", {"version", "jurisdiction", "sanctions", "jurisdictions"})
    if read.integer(data, "version", 1) != 1:
        read.fail("version", "must be 1 (the only version this RexOS reads)")
    who = read.table(data, "jurisdiction")
    read.keys(who, "jurisdiction", {"method", "unknown", "kyc_providers"})
    method: Method = read.choice(who, "jurisdiction.method", ("self-declared", "kyc-attestation"))
    unknown: UnknownChoice = read.choice(who, "jurisdiction.unknown", ("allow", "refuse-barred"))
    providers = _strings(read, who, "jurisdiction.kyc_providers")
    for provider in providers:
        if not _ADDRESS.fullmatch(provider):
            read.fail("jurisdiction.kyc_providers", f"not an address: {provider!r}")
    if method == "kyc-attestation" and not providers:
        read.fail("jurisdiction.kyc_providers", "kyc-attestation needs at least one provider")
    sanctions = read.table(data, "sanctions")
    read.keys(sanctions, "sanctions", {"lists"})
    lists = _strings(read, sanctions, "sanctions.lists")
    places = data.get("jurisdictions", {})
    if not isinstance(places, dict):
        read.fail("jurisdictions", "must be a table of jurisdictions")
    rules = tuple(_rule(read, code, table) for code, table in places.items())
    return CompliancePolicy(
        source, method, unknown, frozenset(p.lower() for p in providers), tuple(lists), rules
    )


def _rule(read: TomlReader, code: str, table: object) -> JurisdictionRule:
    where = f"jurisdictions.{code}"
    if not _CODE.fullmatch(code):
        read.fail(where, "must be an ISO 3166 code in capitals, such as CN or US-NY")
    if not isinstance(table, dict):
        read.fail(where, "must be a table")
    read.keys(table, where, {"name", "basis", "barred"})
    barred = _strings(read, table, f"{where}.barred")
    for service in barred:
        if service not in SERVICES:
            read.fail(f"{where}.barred", f"unknown service {service!r} (known: {_known()})")
    return JurisdictionRule(
        code,
        read.string(table, f"{where}.name"),
        read.string(table, f"{where}.basis"),
        frozenset(s for s in SERVICES if s in barred),
    )


def _strings(read: TomlReader, table: Table, key: str) -> list[str]:
    value = table.get(key.rsplit(".", 1)[-1])
    if value is None:
        read.fail(key, "missing")
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        read.fail(key, "must be a list of non-empty strings")
    return [str(v) for v in value]


def _known() -> str:
    return ", ".join(SERVICES)
