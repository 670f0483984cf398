"""`rexos intent`: JSON contract, one line per step, questions exit 0, empty text is an error.

The Typer-level checks run through a small app that registers the command the way
``rexos`` does; one test runs it in-process through the real entry point,
``rexos.cli.main.run``.
"""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from rexos.cli import intent as intent_cli
from rexos.cli import main
from rexos.errors import UsageError


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """A group, so that `intent` is a subcommand as in `rexos`."""

    intent_cli.register(app)
    return app


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(_app(), ["intent", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout


def test_json_intent() -> None:
    code, out = invoke("swap half my ETH to USDC", "--json")
    assert code == 0
    assert json.loads(out) == {
        "intent": "swap",
        "args": {
            "amount": {"kind": "fraction", "value": "0.5"},
            "side": "sell",
            "sell": "ETH",
            "buy": "USDC",
        },
    }


def test_json_clarification_exits_zero() -> None:
    code, out = invoke("swap ETH", "--json")
    assert code == 0
    assert json.loads(out) == {
        "clarify": "How much ETH do you want to swap, and for which token?",
        "missing": ["amount", "buy"],
        "intent": "swap",
    }


def test_steps_json_lists_intents_in_order() -> None:
    code, out = invoke(
        "swap half my ETH to USDC, then stake all my REX and chart my portfolio",
        "--steps",
        "--json",
    )
    assert code == 0
    doc = json.loads(out)
    assert [step["intent"] for step in doc["steps"]] == ["swap", "stake", "chart"]
    assert doc["steps"][2]["args"] == {"subject": "portfolio", "days": None}


def test_steps_clarification_names_the_step() -> None:
    code, out = invoke("stake 5; bridge 5 USDC", "--steps", "--json")
    assert code == 0
    assert json.loads(out)["step"] == 2


def test_human_output_is_one_line_per_step() -> None:
    code, out = invoke("claim rewards then send 1.5k REX to bob", "--steps")
    assert code == 0
    assert out.splitlines() == [
        "1. claim what=rewards",
        "2. send amount=1500 token=REX to=bob to_kind=wallet",
    ]


def test_human_output_for_one_intent_and_a_question() -> None:
    assert invoke("bridge $50 of USDC to base")[1] == (
        "bridge amount=$50 token=USDC from_chain=- to_chain=base\n"
    )
    code, out = invoke("claim rewards then stake all")
    assert code == 0
    assert out.startswith("? That is 2 requests")
    assert "--steps" in out


def test_empty_text_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="empty"):
        invoke("   ", "--json")


def test_through_the_real_entry_point(capsys: pytest.CaptureFixture[str]) -> None:
    main.run(["intent", "price of ETH", "--json"])
    assert json.loads(capsys.readouterr().out)["intent"] == "price"
    with pytest.raises(SystemExit) as exited:
        main.run(["intent", ""])
    assert exited.value.code == 2
    assert "empty" in capsys.readouterr().err
