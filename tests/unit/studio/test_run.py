"""`run_agent`'s parts without a chain: the default message, the tools a step needs, the
gateway's combined verdict, and the spec's prompt handed to a model as the agent's own."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rexos.agents.wallet import PlannedTx, PolicyEngine, WalletLedger, WalletPaths, load_policy
from rexos.llm.tools import ToolTurn
from rexos.studio import RunBudget, SpecError, agent_policy, installed_tools, load_spec, parse_spec
from rexos.studio.run import STEP_TOOLS, _Persona, _RunEngine, default_message, run_agent
from rexos.types import parse_address
from tests.unit.studio.specs import DCA, DIGEST, doc

ME = parse_address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
ROUTER = parse_address("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0")
USDC = parse_address("0x5FbDB2315678afecb367f032d93F642f64180aa3")
NOW = 1_800_000_000


def swap(usdc: str) -> PlannedTx:
    return PlannedTx(
        31337, ME, ROUTER, 0, b"\x01" * 68, "swap", "USDC", USDC, int(Decimal(usdc).scaleb(6)),
        ME, Decimal(usdc), 120_000, f"swap {usdc} USDC for WETH",
    )  # fmt: skip


def test_the_default_message_is_the_first_chat_or_schedule_trigger_message() -> None:
    assert default_message(load_spec(DCA)) == "swap 50 USDC for WETH"
    assert default_message(load_spec(DIGEST)) == "show my portfolio"
    document = doc(DCA)
    document["triggers"] = [{"kind": "chat"}]
    with pytest.raises(SpecError, match="no chat or schedule trigger has a message"):
        default_message(parse_spec(document))


def test_every_tool_a_step_may_use_is_installed() -> None:
    installed = installed_tools()
    for intent, tools in STEP_TOOLS.items():
        assert tools, intent
        for name in tools:
            assert name in installed and not installed[name].moves_funds, (intent, name)


class Untouchable:
    """A workspace any use of which fails the test: validation comes first."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the workspace was used ({name}) before the spec was validated")


def test_a_spec_that_fails_validation_touches_nothing() -> None:
    document = doc(DCA)
    document["tools"][1]["name"] = "chain.balance_everything"
    with pytest.raises(SpecError, match=r"chain\.balance_everything is not installed"):
        run_agent(parse_spec(document), "swap 50 USDC for WETH", Untouchable(),  # type: ignore[arg-type]
                  confirm_plan=lambda plan: True)  # fmt: skip


def engine(home: Path, user: str = "") -> tuple[_RunEngine, RunBudget]:
    home.mkdir(parents=True, exist_ok=True)
    (home / "policy.yaml").write_text(user)
    base = load_policy(home / "policy.yaml")
    permissions = agent_policy(load_spec(DCA), base, decimals={"USDC": 6},
                               contracts={"RexRouter": ROUTER})  # fmt: skip
    budget = RunBudget(permissions, clock=lambda: 0.0)
    paths = WalletPaths.of(home)
    narrowed = PolicyEngine(
        permissions.policy, WalletLedger(home / "run.sqlite"), paths.confirm_key
    )
    return _RunEngine(home, WalletLedger(paths.ledger), narrowed, budget), budget


def test_the_gateway_verdict_is_the_strictest_and_names_every_refusing_limit(
    tmp_path: Path,
) -> None:
    run, budget = engine(tmp_path / "a")
    assert run.check(swap("50"), NOW).verdict == "confirm"  # the user's policy asks
    denied = run.check(swap("61"), NOW)
    assert denied.verdict == "deny"
    assert "agent weekly-dca: $61.00 is above the per-transaction cap of $60" in denied.reason
    assert "above its limit of $60" in denied.reason  # the run's budget too
    assert "per-action cap" not in run.check(swap("50"), NOW).reason
    assert run.reserve(swap("50"), "k1", NOW) is None
    assert budget.spent == {"USDC": 50 * 10**6} and budget.usd == Decimal(50)
    later = run.check(swap("20"), NOW)  # within every cap alone, not after the first swap
    assert later.verdict == "deny" and "$70.00, above its limit of $60" in later.reason

    user, _ = engine(tmp_path / "b", 'per_tx_usd_cap: "10"\nconfirm_above_usd: "100"\n')
    capped = user.check(swap("20"), NOW)
    assert capped.verdict == "deny" and "above the per-transaction cap of $10" in capped.reason
    assert user.check(swap("5"), NOW).verdict == "allow"  # no confirmation asked below $100

    (tmp_path / "b" / "policy.yaml").write_text("per_tx_usd_cap: [\n")  # broken: fail closed
    assert user.check(swap("5"), NOW).verdict == "deny"


class Recorder:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    def tool_turn(self, messages: Sequence[dict[str, Any]], tools: Sequence[dict[str, Any]]
                  ) -> ToolTurn:  # fmt: skip
        self.messages = list(messages)
        return ToolTurn("ok", ())


def test_the_specs_prompt_follows_the_orchestrators_and_precedes_the_user() -> None:
    model = Recorder()
    persona = _Persona(model, "You are weekly-dca.", [("hi", "swap 50 USDC for WETH")])
    persona.tool_turn([{"role": "system", "content": "RexOS rules"},
                       {"role": "user", "content": "go"}], [])  # fmt: skip
    assert [(m["role"], m["content"]) for m in model.messages] == [
        ("system", "RexOS rules"), ("system", "You are weekly-dca."), ("user", "hi"),
        ("assistant", "swap 50 USDC for WETH"), ("user", "go"),
    ]  # fmt: skip
