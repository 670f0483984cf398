"""Reading a spec: its JSON Schema, then the rules a schema cannot say.

A spec is YAML (or JSON), read by :mod:`rexos.studio.safeyaml`, checked against
``schema/agent-v1.schema.json``, then built into an :class:`~rexos.studio.spec.AgentSpec`
and held to these rules: free text holds no brace but a known ``{placeholder}``
(:mod:`rexos.studio.prompts`), caps are positive with the per-action cap within the total,
a cron line's fields are in range, a funds-moving agent has a spend limit and a read-only one
none, an agent that sends lists its recipients. The spec holds no code: every tool it names
must be installed (:func:`rexos.studio.validate`), and no field is ever evaluated.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from rexos.studio.errors import SpecError
from rexos.studio.prompts import check_text
from rexos.studio.safeyaml import MAX_BYTES, load_document
from rexos.studio.spec import (
    AgentSpec,
    Eval,
    FewShot,
    Limits,
    Permissions,
    TokenCap,
    ToolPin,
    Trigger,
)

__all__ = ["load_spec", "parse_spec", "schema"]


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of ``rexos.agent/v1`` (packaged with RexOS)."""
    text = resources.files("rexos.studio").joinpath("schema/agent-v1.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def load_spec(path: str | Path) -> AgentSpec:
    """Read and check the spec in ``path`` (``.yaml``, ``.yml`` or ``.json``)."""
    where = Path(path)
    suffix = where.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise SpecError(f"{where}: a spec file ends in .yaml, .yml or .json")
    try:
        with where.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SpecError(f"{where}: cannot read the spec ({exc.strerror or exc})") from None
    try:
        return parse_spec(load_document(raw, kind="json" if suffix == ".json" else "yaml"))
    except SpecError as exc:
        raise SpecError(f"{where}: {exc}") from None


def parse_spec(doc: Any) -> AgentSpec:
    """Check ``doc`` (plain data, e.g. from :func:`~rexos.studio.safeyaml.load_document`)."""
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        raise SpecError("; ".join(_describe(e) for e in errors[:5]))
    spec = _build(doc)
    _check(spec)
    return spec


def _describe(error: ValidationError) -> str:
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    where = path.lstrip(".") or "spec"
    if error.validator == "additionalProperties":
        return f"{where}: unknown field(s): {error.message.split('(')[-1].rstrip(')')}"
    if error.validator == "oneOf" and error.instance is not None and not error.context:
        return f"{where}: give one of {_alternatives(error.validator_value)}, not several"
    if error.validator == "oneOf":
        return f"{where}: give one of {_alternatives(error.validator_value)}"
    if error.validator == "anyOf":
        return f"{where}: give at least one of {_alternatives(error.validator_value)}"
    message = error.message if len(error.message) <= 200 else error.message[:200] + "…"
    return f"{where}: {message}"


def _alternatives(forms: Any) -> str:
    names = [" and ".join(f.get("required", ["?"])) for f in forms if isinstance(f, dict)]
    return " or ".join(names) or "the allowed forms"


def _build(doc: dict[str, Any]) -> AgentSpec:
    p = doc["permissions"]
    permissions = Permissions(
        mode=p["mode"],
        actions=tuple(p.get("actions", ())),
        tokens=tuple(
            TokenCap(t["symbol"], Decimal(t["max_per_action"]), Decimal(t["max_total"]))
            for t in p.get("tokens", ())
        ),
        contracts=tuple(p.get("contracts", ())),
        recipients=tuple(p.get("recipients", ())),
        chains=tuple(p.get("chains", ())),
    )
    limits = doc["limits"]
    spend = limits.get("max_spend_usd")
    return AgentSpec(
        name=doc["name"],
        description=doc["description"],
        version=doc["version"],
        tools=tuple(
            ToolPin(t["name"], t["plugin"], t["plugin_version"], t["hash"]) for t in doc["tools"]
        ),
        permissions=permissions,
        system_prompt=doc["prompts"]["system"],
        examples=tuple(
            FewShot(e["user"], e["assistant"]) for e in doc["prompts"].get("examples", ())
        ),
        triggers=tuple(Trigger(**t) for t in doc["triggers"]),
        limits=Limits(
            limits["max_calls"], limits["max_seconds"], None if spend is None else Decimal(spend)
        ),
        evals=tuple(
            Eval(e["request"], e.get("expect_intent"), tuple(e.get("expect_output", ())))
            for e in doc["evals"]
        ),
        price_rex=Decimal(doc["price"]["rex"]),
    )


def _check(spec: AgentSpec) -> None:
    check_text("description", spec.description)
    check_text("prompts.system", spec.system_prompt)
    for i, shot in enumerate(spec.examples):
        check_text(f"prompts.examples[{i}].user", shot.user)
        check_text(f"prompts.examples[{i}].assistant", shot.assistant)
    for i, trigger in enumerate(spec.triggers):
        if trigger.message is not None:
            check_text(f"triggers[{i}].message", trigger.message)
        if trigger.cron is not None:
            _check_cron(f"triggers[{i}].cron", trigger.cron)
    for i, ev in enumerate(spec.evals):
        check_text(f"evals[{i}].request", ev.request)
        for j, out in enumerate(ev.expect_output):
            check_text(f"evals[{i}].expect_output[{j}]", out)
    names = [t.name for t in spec.tools]
    if len(set(names)) != len(names):
        raise SpecError("tools: a tool is listed twice")
    for t in spec.tools:
        if not t.name.startswith(t.plugin + "."):
            raise SpecError(f"tools: {t.name} is not a tool of the plug-in {t.plugin}")
    p = spec.permissions
    symbols = [t.symbol.upper() for t in p.tokens]
    if len(set(symbols)) != len(symbols):
        raise SpecError("permissions.tokens: a token is listed twice")
    for i, cap in enumerate(p.tokens):
        if cap.max_per_action <= 0 or cap.max_total <= 0:
            raise SpecError(f"permissions.tokens[{i}]: caps must be greater than zero")
        if cap.max_per_action > cap.max_total:
            raise SpecError(
                f"permissions.tokens[{i}]: max_per_action {cap.max_per_action} is above "
                f"max_total {cap.max_total}"
            )
    if p.moves_funds and set(p.actions) & {"transfer", "bridge"} and not p.recipients:
        raise SpecError("permissions.recipients: an agent that sends or bridges must list them")
    spend = spec.limits.max_spend_usd
    if p.moves_funds and (spend is None or spend <= 0):
        raise SpecError("limits.max_spend_usd: a funds-moving agent needs a positive spend limit")
    if not p.moves_funds and spend is not None:
        raise SpecError("limits.max_spend_usd: a read-only agent spends nothing; remove it")


_CRON_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))


def _check_cron(where: str, line: str) -> None:
    for text, (low, high) in zip(line.split(" "), _CRON_RANGES, strict=True):
        for part in text.split(","):
            base, _, step = part.partition("/")
            if step and (not step.isdigit() or not 1 <= int(step) <= high):
                raise SpecError(f"{where}: bad step in {part!r}")
            if base == "*":
                continue
            ends = base.split("-")
            if len(ends) > 2 or not all(e.isdigit() for e in ends):
                raise SpecError(f"{where}: {part!r} is not a cron field")
            if not all(low <= int(e) <= high for e in ends) or int(ends[0]) > int(ends[-1]):
                raise SpecError(f"{where}: {part!r} is outside {low}-{high}")
