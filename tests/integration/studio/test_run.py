"""`run_agent` on a devnet with the real Wallet agent gateway: an agent does what its spec
allows, and every request beyond its permissions or limits is refused with nothing signed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from rexos.errors import ConfigError
from rexos.orchestrator.session import plan_store
from rexos.studio import AgentSpec, SpecError, load_spec
from rexos.studio.run import RunResult, run_agent
from tests.integration.studio.conftest import BOB, DCA, DIGEST, STRANGER, Net, spec, spec_doc


def yes(*_: object) -> bool:
    return True


def run(net: Net, agent: AgentSpec, message: str, **kw: Any) -> RunResult:
    return run_agent(agent, message, net.workspace(), confirm_plan=yes, confirmer=yes, **kw)


def refused_nothing_signed(net: Net, before: tuple[int, ...], result: RunResult, why: str) -> None:
    assert result.outcome == "refused", result.text
    assert any(why in r for r in result.refused), result.refused
    assert net.state() == before, "nothing may be signed"
    assert result.spent == {} and result.usd == "0.00"


def test_the_dca_agent_swaps_within_its_caps(net: Net) -> None:
    nonce, usdc, weth, _ = net.state()
    result = run(net, load_spec(DCA), "swap 50 USDC for WETH")
    assert result.outcome == "done" and result.ok, result.text
    assert result.plan is not None and [s.state for s in result.plan.steps] == ["done"]
    assert net.balance("USDC") == usdc - 50 * 10**6
    assert net.balance("WETH") > weth
    assert net.nonce() == nonce + 2  # the exact approval, then the swap
    assert result.spent == {"USDC": 50 * 10**6}
    assert Decimal(0) < Decimal(result.usd) <= Decimal(60)
    assert result.calls == 1


@pytest.mark.parametrize(
    ("message", "why"),
    [
        ("swap 50.000001 USDC for WETH", "above agent weekly-dca's per-action cap of 50 USDC"),
        ("swap 5 REX for WETH", "agent weekly-dca: token REX is not in the policy's allow-list"),
        ("send 5 USDC to bob", "agent weekly-dca may not transfer"),
        ("stake 5 REX", "agent weekly-dca may not stake"),
        # one refused step refuses the whole plan: the allowed swap is not run either
        ("swap 10 USDC for WETH, then send 5 USDC to bob", "may not transfer"),
    ],
)
def test_the_dca_agent_is_refused_beyond_its_permissions(net: Net, message: str, why: str) -> None:
    before = net.state()
    refused_nothing_signed(net, before, run(net, load_spec(DCA), message), why)


def test_a_sixth_call_is_refused_by_the_budget_before_it_signs(net: Net) -> None:
    before = net.state()
    message = ("price of WETH, then price of REX, then price of USDC, then balance of USDC, "
               "then swap 10 USDC for WETH")  # fmt: skip
    result = run(net, load_spec(DCA), message)
    refused_nothing_signed(net, before, result, "wallet.swap not called: agent weekly-dca made "
                           "its 4 calls")  # fmt: skip
    assert result.plan is not None
    assert [s.state for s in result.plan.steps] == ["done"] * 4 + ["failed"]
    assert result.calls == 4


def test_the_runs_usd_limit_and_token_total_hold_across_its_steps(net: Net) -> None:
    document = spec_doc()
    document["permissions"]["tokens"][0]["max_total"] = "70"
    document["limits"]["max_spend_usd"] = "1000"
    document["limits"]["max_calls"] = 3
    nonce, usdc, _, _ = net.state()
    result = run(net, spec(document), "swap 40 USDC for WETH, then swap 40 USDC for WETH")
    assert result.outcome == "refused"
    assert any("above its cap of 70 USDC" in r for r in result.refused), result.refused
    assert net.balance("USDC") == usdc - 40 * 10**6  # the first swap only
    assert result.spent == {"USDC": 40 * 10**6}

    document["permissions"]["tokens"][0]["max_total"] = "500"
    document["limits"]["max_spend_usd"] = "60"
    second = run(net, spec(document), "swap 40 USDC for WETH, then swap 40 USDC for WETH")
    assert any("above its limit of $60" in r for r in second.refused), second.refused
    assert net.balance("USDC") == usdc - 80 * 10**6
    assert nonce < net.nonce()


def test_the_time_limit_uses_the_clock_it_is_given(net: Net) -> None:
    ticks = iter([0.0, 0.0, 500.0])  # start, the first step's call, then the next step's
    before = net.state()
    result = run(net, load_spec(DCA), "price of WETH, then swap 10 USDC for WETH",
                 clock=lambda: next(ticks, 500.0))  # fmt: skip
    refused_nothing_signed(net, before, result, "ran past its limit of 120 s")


def test_a_transfer_agent_pays_its_listed_recipient_and_never_a_stranger(net: Net) -> None:
    document = spec_doc()
    document["permissions"]["actions"] = ["transfer"]
    document["permissions"]["recipients"] = [BOB.address]
    document["triggers"] = [{"kind": "chat"}]
    document["evals"] = []
    agent = spec(document)
    before = net.state()
    refused_nothing_signed(net, before, run(net, agent, f"send 5 USDC to {STRANGER}"),
                           f"recipient {STRANGER} is not in the policy's allow-list")  # fmt: skip
    bob = net.balance("USDC", BOB.address)
    assert run(net, agent, "send 5 USDC to bob").outcome == "done"
    assert net.balance("USDC", BOB.address) == bob + 5 * 10**6


def test_a_read_only_agent_signs_nothing(net: Net) -> None:
    before = net.state()
    digest = load_spec(DIGEST)
    refused_nothing_signed(net, before, run(net, digest, "send 5 USDC to bob"),
                           "agent portfolio-digest is read-only")  # fmt: skip
    shown = run(net, digest, "show my portfolio")
    assert shown.outcome == "done" and shown.plan is not None
    result = shown.plan.steps[0].result
    assert result is not None and result["holdings"]
    assert net.state() == before


def test_the_users_policy_is_never_widened(net: Net) -> None:
    net.home.mkdir(parents=True)
    policy = net.home / "policy.yaml"
    policy.write_text('per_tx_usd_cap: "20"\n')
    before = net.state()
    refused_nothing_signed(net, before, run(net, load_spec(DCA), "swap 30 USDC for WETH"),
                           "above the per-transaction cap of $20")  # fmt: skip
    policy.write_text("allow:\n  tokens: [WETH]\n")
    with pytest.raises(SpecError, match="allows none of the tokens"):
        run(net, load_spec(DCA), "swap 30 USDC for WETH")
    policy.write_text("per_tx_usd_cap: [not a number\n")
    with pytest.raises(ConfigError):
        run(net, load_spec(DCA), "swap 30 USDC for WETH")
    assert net.state() == before


def test_a_spec_that_does_not_match_the_installed_tools_runs_nothing(net: Net) -> None:
    document = spec_doc()
    document["tools"][0]["hash"] = "sha256:" + "0" * 64
    before = net.state()
    with pytest.raises(SpecError, match="does not match its pin"):
        run(net, spec(document), "swap 50 USDC for WETH")
    assert net.state() == before
    assert not (net.home / "studio" / "runs.sqlite").exists()  # nothing was even planned


def test_a_read_needs_a_pinned_tool(net: Net) -> None:
    document = spec_doc()
    document["tools"] = [t for t in document["tools"] if t["name"] != "dex.quote"]
    result = run(net, spec(document), "price of WETH")
    assert result.outcome == "refused"
    assert "no tool for a price step" in result.refused[0]
    unused = run(net, load_spec(DIGEST), "chart REX over 30 days")
    assert unused.outcome == "refused" and "chart.make or chart.render" in unused.refused[0]


def test_unattended_a_transaction_waits_and_a_declined_plan_runs_nothing(net: Net) -> None:
    before = net.state()
    waiting = run_agent(load_spec(DCA), "swap 50 USDC for WETH", net.workspace(),
                        confirm_plan=yes)  # fmt: skip
    assert waiting.outcome == "waiting" and not waiting.ok  # the policy asks a human
    assert waiting.plan is not None and waiting.plan.steps[0].awaiting is not None
    declined = run_agent(load_spec(DCA), "swap 50 USDC for WETH", net.workspace(),
                         confirm_plan=lambda plan: False, confirmer=yes)  # fmt: skip
    assert declined.outcome == "declined" and declined.calls == 0
    assert net.state() == before
    # the agent's plans are not the chat's: `rexos chat` or the API cannot confirm them
    assert plan_store(net.workspace()).recent() == []
