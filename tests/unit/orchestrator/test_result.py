"""JSON forms of intents and clarifications round-trip exactly."""

from __future__ import annotations

import json

import pytest

from rexos.orchestrator.intent import (
    INTENT_NAMES,
    Amount,
    Clarification,
    Intent,
    parse,
    parse_steps,
)

TEXTS = [
    "swap a third of my WBTC to ETH",
    "send 0.000000000000000001 ETH to 0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "bridge $1.5k of USDC to base",
    "compare perps for BTC $50,000 short",
    "chart ETH over 30 days",
    "price of ETH",
    "portfolio",
    "swap ETH",
]


@pytest.mark.parametrize("text", TEXTS)
def test_parse_result_round_trips_through_json(text: str) -> None:
    result = parse(text)
    doc = json.loads(json.dumps(result.to_json()))
    back = Clarification.from_json(doc) if "clarify" in doc else Intent.from_json(doc)
    assert back == result


def test_amounts_in_args_are_strings_and_read_back_exactly() -> None:
    found = parse("swap 1234567890.123456789012345678 REX to USDC")
    assert isinstance(found, Intent)
    doc = json.loads(json.dumps(found.to_json()))
    assert doc["args"]["amount"] == {"kind": "exact", "value": "1234567890.123456789012345678"}
    assert Amount.from_json(doc["args"]["amount"]) == Amount.from_json(found.args["amount"])


def test_step_clarification_json_names_the_step() -> None:
    result = parse_steps("stake 1; stake")
    assert isinstance(result, Clarification)
    assert result.to_json() == {
        "clarify": "Step 2: How much REX do you want to stake?",
        "missing": ["amount"],
        "step": 2,
        "intent": "stake",
    }
    assert Clarification.from_json(result.to_json()) == result


def test_plain_clarification_json_has_no_step() -> None:
    assert set(Clarification("Which?", ["token"]).to_json()) == {"clarify", "missing"}


@pytest.mark.parametrize(
    "doc",
    [{"intent": "fly", "args": {}}, {"intent": "swap"}, {"intent": "swap", "args": []}],
)
def test_intent_from_json_rejects_bad_documents(doc: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Intent.from_json(doc)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "doc", [{"missing": []}, {"clarify": "x"}, {"clarify": "x", "missing": [], "step": "2"}]
)
def test_clarification_from_json_rejects_bad_documents(doc: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Clarification.from_json(doc)  # type: ignore[arg-type]


def test_there_are_fifteen_intents() -> None:
    assert len(INTENT_NAMES) == len(set(INTENT_NAMES)) == 15
