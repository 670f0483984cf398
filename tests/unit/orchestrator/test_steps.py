"""Splitting a multi-step request, and reading it into ordered intents."""

from __future__ import annotations

import pytest

from rexos.orchestrator.intent import Clarification, Intent, parse, parse_steps, split_steps


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        (
            "swap half my ETH to USDC, then stake all my REX and chart my portfolio",
            ["swap half my ETH to USDC", "stake all my REX", "chart my portfolio"],
        ),
        ("a; b;; c", ["a", "b", "c"]),
        ("swap 1 ETH to USDC\nstake 5", ["swap 1 ETH to USDC", "stake 5"]),
        ("claim rewards and then stake all", ["claim rewards", "stake all"]),
        ("claim rewards, and stake all", ["claim rewards", "stake all"]),
        ("claim rewards, stake all", ["claim rewards", "stake all"]),
        ("claim rewards. Then stake all.", ["claim rewards", "stake all."]),
        ("claim rewards after that stake all", ["claim rewards", "stake all"]),
        ("then stake all", ["stake all"]),
        ("swap ETH and USDC", ["swap ETH and USDC"]),
        ("send 5 USDC to alice and bob", ["send 5 USDC to alice and bob"]),
        ("price of ETH and BTC", ["price of ETH and BTC"]),
        ("ask dprompt should I swap and then stake", ["ask dprompt should I swap and then stake"]),
        ("how many wallets swap and stake?", ["how many wallets swap and stake?"]),
        ("ask dprompt why; stake 5", ["ask dprompt why", "stake 5"]),
        ("", []),
        (" ; ", []),
    ],
)
def test_split_steps(text: str, steps: list[str]) -> None:
    assert split_steps(text) == steps


def test_parse_steps_reads_every_step_in_order() -> None:
    plan = parse_steps("swap half my ETH to USDC, then stake all my REX and chart my portfolio")
    assert isinstance(plan, list)
    assert [step.intent for step in plan] == ["swap", "stake", "chart"]
    assert plan[1] == Intent(
        "stake", {"amount": {"kind": "fraction", "value": "1"}, "token": "REX"}
    )


def test_one_unclear_step_makes_the_whole_plan_a_question() -> None:
    result = parse_steps("claim rewards, then swap ETH and chart my portfolio")
    assert isinstance(result, Clarification)
    assert result.step == 2
    assert result.question.startswith("Step 2: How much ETH")
    assert result.missing == ["amount", "buy"]


def test_a_single_step_plan_has_step_one_and_an_unprefixed_question() -> None:
    result = parse_steps("stake")
    assert result == Clarification("How much REX do you want to stake?", ["amount"], 1, "stake")
    assert parse_steps("stake 1") == [
        Intent("stake", {"amount": {"kind": "exact", "value": "1"}, "token": "REX"})
    ]


def test_empty_plan_is_a_question() -> None:
    result = parse_steps("  ")
    assert isinstance(result, Clarification) and result.missing == ["intent"]


def test_parse_refuses_several_commands_at_once() -> None:
    result = parse("claim rewards then stake all")
    assert isinstance(result, Clarification)
    assert result.missing == ["steps"]
    assert "'claim rewards'; 'stake all'" in result.question


def test_known_symbols_apply_to_every_step() -> None:
    result = parse_steps("swap 1 ETH to USDC; swap 1 USDC to XYZ", {"ETH", "USDC"})
    assert isinstance(result, Clarification) and result.step == 2
