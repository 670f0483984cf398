"""Reading specs: the examples, round trips, the canonical form and the spec hash."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from rexos.agents.wallet import ACTION_KINDS
from rexos.orchestrator.intent import INTENT_NAMES
from rexos.studio import (
    SpecError,
    dump_spec,
    load_spec,
    parse_spec,
    schema,
    spec_canonical,
    spec_hash,
)
from rexos.studio.templates import TEMPLATES, template_text
from tests.unit.studio.specs import DCA, DIGEST, EXAMPLES, doc


def test_the_examples_read_as_written() -> None:
    dca = load_spec(DCA)
    assert dca.name == "weekly-dca"
    assert dca.permissions.moves_funds
    cap = dca.permissions.tokens[0]
    assert (cap.symbol, cap.max_per_action, cap.max_total) == ("USDC", Decimal(50), Decimal(500))
    assert dca.limits.max_spend_usd == Decimal(60)
    assert [t.kind for t in dca.triggers] == ["schedule", "chat"]
    assert dca.triggers[0].every == "1w"
    assert dca.price_units == 10**18
    digest = load_spec(DIGEST)
    assert not digest.permissions.moves_funds
    assert digest.triggers[1].cron == "0 8 * * 1"
    assert digest.price_units == 10**17
    assert {t.name for t in digest.tools} >= {"lense.report", "news.latest"}


def test_the_packaged_templates_are_the_examples() -> None:
    for name, file in TEMPLATES.items():
        assert template_text(name) == (EXAMPLES / file).read_text(encoding="utf-8"), name


def test_the_schema_names_every_intent_and_wallet_action() -> None:
    s = schema()
    assert s["properties"]["evals"]["items"]["properties"]["expect_intent"]["enum"] == list(
        INTENT_NAMES
    )
    actions = s["$defs"]["fundsMoving"]["properties"]["actions"]["items"]["enum"]
    assert actions == list(ACTION_KINDS)


@pytest.mark.parametrize("path", [DCA, DIGEST], ids=lambda p: p.stem)
def test_a_spec_written_out_reads_back_equal(path: Path, tmp_path: Path) -> None:
    spec = load_spec(path)
    out = tmp_path / "again.yaml"
    out.write_text(dump_spec(spec), encoding="utf-8")
    again = load_spec(out)
    assert again == spec
    assert spec_hash(again) == spec_hash(spec)


def test_the_hash_ignores_form_yaml_or_json_order_spacing_and_quoting(tmp_path: Path) -> None:
    spec = load_spec(DCA)
    as_json = tmp_path / "dca.json"
    as_json.write_text(json.dumps(dict(reversed(doc().items())), indent=7), encoding="utf-8")
    flow = tmp_path / "flow.yaml"
    flow.write_text(yaml.safe_dump(doc(), default_flow_style=True, width=4000), encoding="utf-8")
    padded = doc()
    padded["permissions"]["tokens"][0]["max_per_action"] = "50.000"
    padded["price"]["rex"] = "1.0"
    assert parse_spec(padded) == spec
    hashes = {spec_hash(load_spec(p)) for p in (DCA, as_json, flow)} | {
        spec_hash(parse_spec(padded))
    }
    assert hashes == {spec_hash(spec)}
    assert spec_hash(spec).startswith("0x") and len(spec_hash(spec)) == 66
    canonical = spec_canonical(spec)
    tight = json.dumps(json.loads(canonical), sort_keys=True, separators=(",", ":"),
                       ensure_ascii=False).encode()  # fmt: skip
    assert canonical == tight  # sorted keys, nothing between tokens
    assert b'"max_calls":"4"' in canonical  # numbers as strings
    assert json.loads(canonical)["name"] == "weekly-dca"


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(d: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = d
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value

    return change


SEMANTIC_CHANGES = {
    "name": _set("name", "weekly-dca-two"),
    "description": _set("description", "Buys WETH weekly."),
    "version": _set("version", "1.0.1"),
    "tool hash": _set("tools.0.hash", "sha256:" + "0" * 64),
    "tool dropped": lambda d: d["tools"].pop(),
    "action dropped": _set("permissions.actions", ["swap"]),
    "per-action cap": _set("permissions.tokens.0.max_per_action", "49.99"),
    "total cap": _set("permissions.tokens.0.max_total", "501"),
    "contract": _set("permissions.contracts", ["0x" + "ab" * 20]),
    "chains": _set("permissions.chains", [31337]),
    "system prompt": _set("prompts.system", "Swap 50 USDC for WETH."),
    "few-shot": _set("prompts.examples", []),
    "schedule": _set("triggers.0.every", "2w"),
    "trigger message": _set("triggers.0.message", "swap 40 USDC for WETH"),
    "trigger order": lambda d: d["triggers"].reverse(),
    "max calls": _set("limits.max_calls", 5),
    "max seconds": _set("limits.max_seconds", 121),
    "max spend": _set("limits.max_spend_usd", "61"),
    "eval": _set("evals.0.expect_output", ["WETH"]),
    "price": _set("price.rex", "1.000000000000000001"),
}


@pytest.mark.parametrize("change", SEMANTIC_CHANGES.values(), ids=SEMANTIC_CHANGES.keys())
def test_any_change_of_meaning_changes_the_hash(change: Callable[[dict[str, Any]], None]) -> None:
    changed = doc()
    change(changed)
    assert spec_hash(parse_spec(changed)) != spec_hash(parse_spec(doc()))


BAD = {
    "unknown top-level field": (_set("run", "rm -rf /"), "unknown field"),
    "unknown nested field": (_set("permissions.tokens.0.script", "x"), "unknown field"),
    "inline code in a tool": (_set("tools.0.code", "import os"), "unknown field"),
    "wrong apiVersion": (_set("apiVersion", "rexos.agent/v2"), "apiVersion"),
    "name with a path": (_set("name", "../../etc/passwd"), "name"),
    "name with a slash": (_set("name", "a/b"), "name"),
    "name with NUL": (_set("name", "ab\x00c"), "name"),
    "not semver": (_set("version", "1.0"), "version"),
    "amount as a number": (_set("permissions.tokens.0.max_total", 500), "max_total"),
    "negative amount": (_set("price.rex", "-1"), "price.rex"),
    "exponent amount": (_set("price.rex", "1e3"), "price.rex"),
    "zero cap": (_set("permissions.tokens.0.max_per_action", "0"), "greater than zero"),
    "per-action above total": (_set("permissions.tokens.0.max_total", "10"), "above"),
    "no spend limit": (lambda d: d["limits"].pop("max_spend_usd"), "max_spend_usd"),
    "zero calls": (_set("limits.max_calls", 0), "max_calls"),
    "true as calls": (_set("limits.max_calls", True), "max_calls"),
    "no contracts": (_set("permissions.contracts", []), "contracts"),
    "unknown action": (_set("permissions.actions", ["swap", "drain"]), "actions"),
    "unknown intent": (_set("evals.0.expect_intent", "exec"), "expect_intent"),
    "eval expecting nothing": (_set("evals.0", {"request": "hi"}), "evals[0]"),
    "cron out of range": (
        _set("triggers.0", {"kind": "schedule", "cron": "61 * * * *", "message": "x"}),
        "outside",
    ),
    "cron with a command": (_set("triggers.0.cron", "* * * * * /bin/sh"), "triggers"),
    "both every and cron": (_set("triggers.0.cron", "0 0 * * 1"), "triggers[0]"),
    "template in a prompt": (_set("prompts.system", "{{7*7}}"), "braces"),
    "env in a message": (_set("triggers.0.message", "send ${HOME}"), "braces"),
    "format attack": (_set("evals.0.request", "{__class__.__init__}"), "braces"),
    "unknown placeholder": (_set("description", "for {user}"), "braces"),
    "control character": (_set("prompts.system", "a\x1b[2Jb"), "control"),
    "tool twice": (lambda d: d["tools"].append(dict(d["tools"][0])), "twice"),
    "tool of another plug-in": (_set("tools.0.plugin", "chain"), "not a tool of"),
    "sends without recipients": (_set("permissions.actions", ["transfer"]), "recipients"),
}


@pytest.mark.parametrize(("change", "says"), BAD.values(), ids=BAD.keys())
def test_a_bad_spec_is_one_clear_error(change: Callable[[dict[str, Any]], None], says: str) -> None:
    bad = doc()
    change(bad)
    with pytest.raises(SpecError, match=None) as caught:
        parse_spec(bad)
    assert says in str(caught.value)


def test_a_read_only_agent_declares_no_spend() -> None:
    bad = doc(DIGEST)
    bad["limits"]["max_spend_usd"] = "5"
    with pytest.raises(SpecError, match="read-only agent spends nothing"):
        parse_spec(bad)


def test_a_spec_file_must_be_yaml_or_json_and_readable(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"\.yaml, \.yml or \.json"):
        load_spec(tmp_path / "agent.py")
    with pytest.raises(SpecError, match="cannot read"):
        load_spec(tmp_path / "missing.yaml")


def test_amounts_are_exact_at_every_digit() -> None:
    big = doc()
    big["price"]["rex"] = "123456789012345678.123456789012345678"
    bigger = doc()
    bigger["price"]["rex"] = "123456789012345678.123456789012345679"
    a, b = parse_spec(big), parse_spec(bigger)
    assert a.price_units == 123456789012345678123456789012345678
    assert b.price_units - a.price_units == 1
    assert spec_hash(a) != spec_hash(b)
    assert a.to_document()["price"]["rex"] == "123456789012345678.123456789012345678"


def test_a_tool_pin_does_not_move_with_the_process_or_pydantics_json_schema(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pins are taken from the tools' declarations: pydantic 2.13 and 2.14 write different JSON
    Schemas for the same Decimal field, and validator reprs carry memory addresses."""
    import subprocess
    import sys

    from pydantic import BaseModel

    from rexos.studio import installed_tools

    probe = (
        "import json; from rexos.studio import installed_tools; "
        "print(json.dumps({n: t.hash for n, t in sorted(installed_tools().items())}))"
    )
    runs = [
        subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert runs[0].stdout == runs[1].stdout and runs[0].stdout.count("sha256:") > 10
    here = {n: t.hash for n, t in installed_tools().items()}
    monkeypatch.setattr(BaseModel, "model_json_schema", classmethod(lambda cls, **_: {"x": 1}))
    assert {n: t.hash for n, t in installed_tools().items()} == here
