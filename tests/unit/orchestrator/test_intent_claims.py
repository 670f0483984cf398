"""Claims: staking rewards or the airdrop (issue 13), never one read as the other; no other
object of "claim" becomes a claim, and the airdrop step is refused until there is one."""

from __future__ import annotations

import itertools
from typing import cast

import pytest

from rexos.agents.wallet import WalletAgent
from rexos.orchestrator.executors import Executors, StepError
from rexos.orchestrator.intent import Clarification, Intent, parse, parse_steps
from rexos.orchestrator.intent.claims import NO_AIRDROP, NO_AIRDROP_USE
from rexos.orchestrator.plan import Step
from rexos.orchestrator.workspace import Workspace

AIRDROP_CLAIMS = [
    "claim my airdrop",
    "claim the airdrop",
    "claim airdrop",
    "claim airdrop tokens",
    "Claim my REX airdrop!",
    "claim my air drop",
    "claim the air-drop",
    "claim all my airdrops",
    "claim my airdrop rewards",
    "get my airdrop",
    "collect the airdrop",
    "redeem my airdrop tokens",
    "receive my airdrop",
    "I want my airdrop",
    "please claim my airdrop",
    "where is my airdrop?",
]
OTHER_AIRDROP_USES = [
    "swap my airdrop tokens to USDC",
    "stake my airdrop",
    "send my airdrop to bob",
]


def _refused(result: Intent | Clarification) -> Clarification:
    assert isinstance(result, Clarification), result
    return result


@pytest.mark.parametrize("text", AIRDROP_CLAIMS)
def test_an_airdrop_claim_is_its_own_claim_never_a_staking_claim(text: str) -> None:
    assert parse(text) == Intent("claim", {"what": "airdrop"})


@pytest.mark.parametrize("text", OTHER_AIRDROP_USES)
def test_any_other_use_of_an_airdrop_is_a_question(text: str) -> None:
    refusal = _refused(parse(text))
    assert refusal.question == NO_AIRDROP_USE
    assert refusal.missing == ["what"]  # not ["intent"]: chat must not hand it to a model


@pytest.mark.parametrize(
    ("verb", "det", "tail"),
    itertools.product(
        ["claim", "Claim", "get", "collect"],
        ["", "my ", "the ", "all my ", "my REX "],
        ["airdrop", "airdrops", "airdrop tokens", "airdrop rewards", "AIRDROP!"],
    ),
)
def test_no_airdrop_phrasing_parses_as_a_staking_claim(verb: str, det: str, tail: str) -> None:
    text = f"{verb} {det}{tail}"
    assert parse(text) == Intent("claim", {"what": "airdrop"})
    steps = parse_steps(f"claim my rewards, then {text}")
    assert steps == [Intent("claim", {"what": "rewards"}), Intent("claim", {"what": "airdrop"})]


@pytest.mark.parametrize(
    "text", ["claim my staking rewards and my airdrop", "claim rewards and airdrop"]
)
def test_both_claims_at_once_is_a_question(text: str) -> None:
    question = _refused(parse(text))
    assert (question.missing, question.intent) == (["what"], "claim")
    assert "one claim at a time" in question.question.lower()


@pytest.mark.parametrize(
    "text",
    [
        "claim rewards",
        "claim my rewards",
        "claim my staking rewards",
        "claim staking rewards",
        "claim REX rewards",
        "claim my $REX rewards",
        "Claim all my pending rewards!",
        "claim reward",
    ],
)
def test_rewards_are_the_staking_claim(text: str) -> None:
    assert parse(text) == Intent("claim", {"what": "rewards"})


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("claim my nft", "not 'nft'"),
        ("claim the bridge refund", "not 'bridge refund'"),
        ("claim ETH", "not 'ETH'"),
        ("claim my USDC rewards", "not 'USDC'"),
        ("claim vested REX", "rexos vesting release"),
        ("claim my unlocked tokens", "rexos vesting release"),
        ("claim", "claim my rewards"),
        ("claim my REX", "claim my rewards"),
        ("claim staking", "claim my rewards"),
    ],
)
def test_any_other_claim_is_a_question(text: str, says: str) -> None:
    question = _refused(parse(text))
    assert question.missing == ["what"]
    assert says in question.question


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("how many wallets claimed the airdrop", "query"),
        ("sql: select * from transfers where memo = 'airdrop'", "query"),
        ("ask dprompt what is an airdrop?", "ask"),
    ],
)
def test_reading_about_airdrops_is_still_allowed(text: str, intent: str) -> None:
    result = parse(text)
    assert isinstance(result, Intent) and result.intent == intent


class _NoChain:
    """A workspace that has a manifest but fails if anything reads the chain."""

    def manifest(self) -> object:
        return object()

    def chain(self) -> object:
        raise AssertionError("a refused claim must not read the chain")


@pytest.mark.parametrize(
    ("what", "says"),
    [("airdrop", NO_AIRDROP), ("vested", "only claim staking rewards"), (None, "not None")],
)
def test_a_stored_claim_step_of_anything_but_rewards_is_refused(
    what: str | None, says: str
) -> None:
    """A plan saved when "claim airdrop" still parsed must not run as a staking claim."""
    executors = Executors(cast(Workspace, _NoChain()))
    step = Step(1, Intent("claim", {"what": what}))
    with pytest.raises(StepError) as raised:
        executors.moves(step, cast(WalletAgent, object()))
    assert says in str(raised.value)
    assert step.resolved == {}
