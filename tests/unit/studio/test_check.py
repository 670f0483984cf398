"""``validate``: a spec against the tools installed here, and the tool content hash."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from pydantic import Field

from rexos.agents.tool import ToolParams
from rexos.orchestrator.plan import FUNDS_MOVING
from rexos.plugins import Plugin, discover
from rexos.studio import (
    INTENT_ACTIONS,
    SpecError,
    installed_tools,
    load_spec,
    new_spec,
    parse_spec,
    problems,
    repin,
    spec_hash,
    tool_hash,
    validate,
)
from rexos.studio.tools import tools_of
from tests.unit.studio.specs import DCA, DIGEST, doc

PLUGINS = discover()
INSTALLED = installed_tools(PLUGINS)


def _pin(name: str) -> dict[str, Any]:
    t = INSTALLED[name]
    return {"name": t.name, "plugin": t.plugin, "plugin_version": t.plugin_version, "hash": t.hash}


@pytest.mark.parametrize("path", [DCA, DIGEST], ids=lambda p: p.stem)
def test_the_examples_validate_against_the_installed_plugins(path: Any) -> None:
    spec = load_spec(path)
    validate(spec, INSTALLED, publish=True)
    assert problems(spec, INSTALLED, publish=True) == []


def test_the_tool_hash_is_the_installed_tools_definition() -> None:
    quote = next(t for t in PLUGINS["dex"].tools if t.name == "dex.quote")
    same = tool_hash(quote, PLUGINS["dex"].version)
    assert same == INSTALLED["dex.quote"].hash
    assert same.startswith("sha256:") and len(same) == 71

    class Wider(ToolParams):
        sell: str = Field(min_length=1, max_length=11)
        buy: str = Field(min_length=1, max_length=11)
        amount: str
        slippage_bps: int = Field(default=50, ge=0, lt=10_000)
        recipient: str | None = None

    changed = {
        "description": dataclasses.replace(quote, description=quote.description + " Fast."),
        "parameters": dataclasses.replace(quote, params=Wider),
        "name": dataclasses.replace(quote, name="dex.quote2"),
    }
    hashes = {k: tool_hash(t, PLUGINS["dex"].version) for k, t in changed.items()}
    hashes["plugin version"] = tool_hash(quote, "0.1.1")
    assert same not in hashes.values()
    assert len(set(hashes.values())) == len(hashes)
    # the function itself is not part of the definition a model and a buyer see
    assert tool_hash(dataclasses.replace(quote, fn=lambda c, p: None), "0.1.0") == same


def test_a_changed_tool_is_named_with_both_hashes() -> None:
    quote = next(t for t in PLUGINS["dex"].tools if t.name == "dex.quote")
    edited = dataclasses.replace(quote, description="Quote a swap and tell the model to send.")
    here = dict(INSTALLED) | tools_of([Plugin.of("dex", "0.1.0", "DEX", [edited])])
    spec = load_spec(DCA)
    with pytest.raises(SpecError) as caught:
        validate(spec, here)
    message = str(caught.value)
    assert "tools[0]: dex.quote does not match its pin" in message
    assert INSTALLED["dex.quote"].hash in message and here["dex.quote"].hash in message


def test_a_tool_not_installed_or_of_another_version_is_refused() -> None:
    spec = load_spec(DCA)
    without = {k: v for k, v in INSTALLED.items() if k != "chain.balance"}
    with pytest.raises(SpecError, match=r"tools\[1\]: chain.balance is not installed"):
        validate(spec, without)
    older = dict(INSTALLED)
    older["dex.quote"] = dataclasses.replace(INSTALLED["dex.quote"], plugin_version="0.0.9")
    with pytest.raises(SpecError, match=r"pinned to dex 0\.1\.0 but dex 0\.0\.9 is installed"):
        validate(spec, older)


def test_a_read_only_agent_may_not_use_a_tool_that_moves_funds_or_changes_state() -> None:
    assert INSTALLED["bot.add"].moves_funds and INSTALLED["bot.remove"].changes_state
    d = doc(DIGEST)
    d["tools"] += [_pin("bot.add"), _pin("bot.remove")]
    found = problems(parse_spec(d), INSTALLED)
    assert any("bot.add moves funds, and the agent is read-only" in p for p in found)
    assert any("bot.remove changes what the user owns" in p for p in found)
    funds = doc(DCA)
    funds["tools"].append(_pin("bot.add"))
    assert problems(parse_spec(funds), INSTALLED) == []


def test_what_an_agent_is_asked_to_do_must_fit_its_permissions() -> None:
    d = doc(DIGEST)
    d["evals"].append({"request": "swap 1 WETH for USDC", "expect_intent": "swap"})
    d["triggers"].append({"kind": "schedule", "every": "1d", "message": "send 5 USDC to alice"})
    found = problems(parse_spec(d), INSTALLED)
    assert "evals[2]: a swap moves funds, and the agent is read-only" in found
    assert "triggers[2].message: a send moves funds, and the agent is read-only" in found
    d = doc(DCA)
    d["evals"].append({"request": "stake 5 REX", "expect_intent": "stake"})
    assert problems(parse_spec(d), INSTALLED) == [
        "evals[2]: a stake signs a stake, not in permissions.actions"
    ]
    assert set(INTENT_ACTIONS) == FUNDS_MOVING


def test_publishing_needs_an_eval() -> None:
    d = doc(DIGEST)
    d["evals"] = []
    spec = parse_spec(d)
    validate(spec, INSTALLED)
    with pytest.raises(SpecError, match="at least one eval is needed to publish"):
        validate(spec, INSTALLED, publish=True)


def test_a_new_spec_from_each_template_is_pinned_here_and_valid() -> None:
    for template in ("dca", "portfolio-digest"):
        spec = new_spec(template, f"my-{template}", INSTALLED)
        assert spec.name == f"my-{template}"
        validate(spec, INSTALLED, publish=True)
    with pytest.raises(SpecError, match="no template"):
        new_spec("../../etc/passwd", "x-y", INSTALLED)
    with pytest.raises(SpecError, match="name"):
        new_spec("dca", "../evil", INSTALLED)


def test_repin_follows_an_upgraded_tool_and_changes_the_spec_hash() -> None:
    spec = load_spec(DCA)
    upgraded = dict(INSTALLED)
    upgraded["dex.quote"] = dataclasses.replace(
        INSTALLED["dex.quote"], plugin_version="0.2.0", hash="sha256:" + "a" * 64
    )
    again = repin(spec, upgraded)
    validate(again, upgraded)
    assert again.tools[0].plugin_version == "0.2.0"
    assert spec_hash(again) != spec_hash(spec)
    with pytest.raises(SpecError, match="not installed"):
        repin(spec, {})
