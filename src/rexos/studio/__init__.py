"""Studio: agents defined by a ``rexos.agent/v1`` spec (YAML, no code path) composed from
installed tools, checked, tested by their evals, run within their declared permissions and
published to the Agent Market.

- :func:`load_spec` / :func:`parse_spec` read a spec safely (:mod:`rexos.studio.safeyaml`)
  and check it against its JSON Schema and rules (:mod:`rexos.studio.reading`) into an
  :class:`AgentSpec` (:mod:`rexos.studio.spec`);
- :func:`validate` checks it against the installed tools (:mod:`rexos.studio.check`);
- :func:`spec_hash` is its identity, the hash of its canonical form
  (:mod:`rexos.studio.identity`);
- :func:`agent_policy` turns its permissions into the Wallet agent gateway's policy
  (:mod:`rexos.studio.policy`), and :class:`RunBudget` holds one run to its limits
  (:mod:`rexos.studio.budget`);
- :func:`export_a2a`, :func:`export_mcp`, :func:`export_erc8004` describe it to other
  ecosystems (:mod:`rexos.studio.exports`);
- :func:`new_spec` starts one from a template (:mod:`rexos.studio.templates`);
- :mod:`rexos.studio.publishing` is the one gate before publishing (valid, evals pass) and
  the two-step publication a web page makes (the exact transaction shown, then sent on a
  yes to its fingerprint); it is imported on its own, as it needs the market and a wallet.
"""

from __future__ import annotations

from rexos.studio.budget import RunBudget
from rexos.studio.check import INTENT_ACTIONS, problems, validate
from rexos.studio.errors import SpecError
from rexos.studio.evals import EvalResult, run_eval
from rexos.studio.exports import Registration, export_a2a, export_erc8004, export_mcp
from rexos.studio.identity import canonical_json, spec_canonical, spec_hash, tool_hash
from rexos.studio.policy import AgentPolicy, SpendCap, agent_policy
from rexos.studio.prompts import PLACEHOLDERS, render
from rexos.studio.reading import load_spec, parse_spec, schema
from rexos.studio.spec import API_VERSION, AgentSpec
from rexos.studio.templates import TEMPLATES, dump_spec, new_spec, repin
from rexos.studio.tools import InstalledTool, installed_tools

__all__ = [
    "API_VERSION",
    "INTENT_ACTIONS",
    "PLACEHOLDERS",
    "TEMPLATES",
    "AgentPolicy",
    "AgentSpec",
    "EvalResult",
    "InstalledTool",
    "Registration",
    "RunBudget",
    "SpecError",
    "SpendCap",
    "agent_policy",
    "canonical_json",
    "dump_spec",
    "export_a2a",
    "export_erc8004",
    "export_mcp",
    "installed_tools",
    "load_spec",
    "new_spec",
    "parse_spec",
    "problems",
    "render",
    "repin",
    "run_eval",
    "schema",
    "spec_canonical",
    "spec_hash",
    "tool_hash",
    "validate",
]
