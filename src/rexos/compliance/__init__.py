"""The compliance gate: a jurisdiction policy and sanctions screening, checked before any
service does work.

:class:`Gate` is the one entry point (``Gate(home).require_entry("cli", "swap")``,
``gate.check("exchange", addresses={"sender": …})``); :mod:`~rexos.compliance.services`
names the services and maps every CLI command, API route, tool and wallet action onto them;
:mod:`~rexos.compliance.policy` reads the operator's policy; :mod:`~rexos.compliance.sanctions`
the lists; :mod:`~rexos.compliance.jurisdiction` how the user's jurisdiction is established.
"""

from __future__ import annotations

from rexos.compliance.gate import Decision, Gate, Verdict
from rexos.compliance.jurisdiction import (
    Established,
    attestation_message,
    declare,
    store_attestation,
    verify_attestation,
)
from rexos.compliance.log import DecisionLog
from rexos.compliance.policy import (
    POLICY_FILE,
    CompliancePolicy,
    JurisdictionRule,
    default_policy_text,
    load_policy,
    parse_policy,
)
from rexos.compliance.sanctions import SanctionsList, load_list
from rexos.compliance.services import (
    ENTRIES,
    SERVICES,
    EntryKind,
    Service,
    route_of,
    service_of,
)

__all__ = [
    "ENTRIES",
    "POLICY_FILE",
    "SERVICES",
    "CompliancePolicy",
    "Decision",
    "DecisionLog",
    "EntryKind",
    "Established",
    "Gate",
    "JurisdictionRule",
    "SanctionsList",
    "Service",
    "Verdict",
    "attestation_message",
    "declare",
    "default_policy_text",
    "load_list",
    "load_policy",
    "parse_policy",
    "route_of",
    "service_of",
    "store_attestation",
    "verify_attestation",
]
