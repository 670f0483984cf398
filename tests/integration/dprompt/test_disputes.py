"""RequestBook disputes: challenge, committee commit/reveal/resolve, slashing, penalties."""

from __future__ import annotations

from typing import Any

from eth_abi import encode
from web3 import Web3

from rexos.chain import dev_account
from tests.integration.dprompt.harness import (
    ANSWERED,
    CHALLENGER,
    CREDIT,
    OPML_MODEL,
    PARAMS,
    PRICE,
    PROVIDER_STAKE,
    PROVIDERS,
    REFUNDED,
    REQUESTER,
    WINDOW,
    DPrompt,
    account_of,
    as_tuple,
)

RIGHT, WRONG = b"Paris", b"Lyon"
BOND = max(PARAMS["minBond"], PRICE * PARAMS["bondMultiplier"])
SLASH = PARAMS["slashAmount"]
PENALTY = PARAMS["noRevealPenalty"]
OUTSIDER = dev_account(9)


def _commitment(output_hash: bytes, salt: bytes, member: str) -> bytes:
    return Web3.keccak(encode(["bytes32", "bytes32", "address"], [output_hash, salt, member]))


class Dispute:
    """One challenged answer and its committee, stepping through the phases."""

    def __init__(self, dp: DPrompt, answer: bytes, window: int = WINDOW, **asked: Any) -> None:
        self.dp = dp
        self.id, request, _ = dp.request(window=window, **asked)
        self.request, _ = dp.respond(dp.priority(request), self.id, request, output=answer)
        self.responder = account_of(self.request["responder"])
        self.gas: dict[str, int] = {}

    def challenge(self) -> None:
        dp, challenger = self.dp, dev_account(CHALLENGER)
        rc = dp.send(challenger, dp.book.functions.challenge(self.id, as_tuple(self.request)))
        (event,) = rc.events(dp.book, "Challenged")
        self.committee = [account_of(a) for a in event["committee"]]
        self.commit_end, self.reveal_end = event["commitEnd"], event["revealEnd"]
        self.request = {**self.request, "status": 2}
        self.gas["challenge"] = rc.gas_used

    def vote(self, votes: list[bytes | None], reveal: list[bool]) -> None:
        """Member i commits to ``votes[i]`` (None: no commit) and opens it if ``reveal[i]``."""
        dp, book = self.dp, self.dp.book.functions
        for i, (member, output) in enumerate(zip(self.committee, votes, strict=True)):
            if output is not None:
                c = _commitment(Web3.keccak(output), bytes([i]) * 32, member.address)
                self.gas[f"commit {i}"] = dp.send(member, book.commit(self.id, c)).gas_used
        dp.travel_past(self.commit_end)
        for i, (member, output) in enumerate(zip(self.committee, votes, strict=True)):
            if output is not None and reveal[i]:
                call = book.reveal(self.id, Web3.keccak(output), bytes([i]) * 32)
                self.gas[f"reveal {i}"] = dp.send(member, call).gas_used
        dp.travel_past(self.reveal_end)

    def resolve(self) -> dict[str, Any]:
        dp = self.dp
        rc = dp.send(OUTSIDER, dp.book.functions.resolve(self.id, as_tuple(self.request)))
        self.gas["resolve"] = rc.gas_used
        (event,) = rc.events(dp.book, "Resolved")
        return event


def test_wrong_answer_is_overturned_and_slashed(dp: DPrompt) -> None:
    d = Dispute(dp, WRONG)
    challenger, requester = dev_account(CHALLENGER), dev_account(REQUESTER)
    burned, challenger_rex = dp.burned(), dp.balance(challenger.address)
    d.challenge()
    assert dp.credit(challenger.address) == CREDIT - BOND
    d.vote([RIGHT, RIGHT, WRONG], [True, True, True])
    event = d.resolve()
    assert (event["outcome"], event["majority"], event["slashed"]) == (1, Web3.keccak(RIGHT), SLASH)
    assert dp.bonded(d.responder.address) == PROVIDER_STAKE - SLASH
    assert dp.balance(challenger.address) == challenger_rex + SLASH // 2
    assert dp.credit(challenger.address) == CREDIT  # bond back
    assert dp.credit(requester.address) == CREDIT  # fee back
    assert dp.burned() == burned + SLASH - SLASH // 2
    assert dp.info(d.responder.address)["slashed"] == 1
    refunded = as_tuple({**d.request, "status": REFUNDED})
    assert dp.book.functions.requestHash(d.id).call() == Web3.keccak(
        dp.web3.codec.encode([_REQUEST_TYPE], [refunded])
    )
    call = dp.book.functions.finalize(d.id, refunded, b"")
    dp.reverts(OUTSIDER, call, "RequestBook: NOT_ANSWERED")
    total = sum(d.gas.values())
    print(f"\ncommittee dispute gas (k=3): {d.gas} total {total}")


_REQUEST_TYPE = (
    "(address,uint96,bytes32,bytes32,address,uint48,address,uint32,uint8,uint32,address,uint48,"
    "uint8,bytes32,bytes32)"
)


def test_right_answer_upheld_costs_the_challenger_the_bond(dp: DPrompt) -> None:
    d = Dispute(dp, RIGHT, window=2 * WINDOW)  # still open after the dispute
    challenger = dev_account(CHALLENGER)
    burned = dp.burned()
    d.challenge()
    d.vote([RIGHT, RIGHT, RIGHT], [True, True, True])
    event = d.resolve()
    assert (event["outcome"], event["slashed"]) == (0, 0)
    assert dp.credit(challenger.address) == CREDIT - BOND
    assert dp.credit(d.responder.address) == BOND // 2
    assert dp.burned() == burned + BOND - BOND // 2
    assert dp.bonded(d.responder.address) == PROVIDER_STAKE
    answered = as_tuple({**d.request, "status": ANSWERED})
    call = dp.book.functions.challenge(d.id, answered)
    dp.reverts(challenger, call, "RequestBook: ALREADY_CHALLENGED")
    dp.travel_past(d.request["respondedAt"] + 2 * WINDOW)
    dp.send(OUTSIDER, dp.book.functions.finalize(d.id, answered, b""))


def test_silent_members_are_penalised(dp: DPrompt) -> None:
    d = Dispute(dp, RIGHT)
    burned = dp.burned()
    d.challenge()
    voter, silent, absent = d.committee
    d.vote([RIGHT, RIGHT, None], [True, False, False])
    event = d.resolve()
    assert event["outcome"] == 0  # one revealed vote, for the answer: upheld
    for member in (silent, absent):
        assert dp.bonded(member.address) == PROVIDER_STAKE - PENALTY
        assert dp.info(member.address)["slashed"] == 1
    assert dp.credit(voter.address) == PENALTY  # half of each of the two penalties
    assert dp.burned() == burned + PENALTY + BOND - BOND // 2


def test_no_majority_returns_the_bond(dp: DPrompt) -> None:
    d = Dispute(dp, RIGHT)
    d.challenge()
    d.vote([RIGHT, WRONG, None], [True, True, False])
    event = d.resolve()
    assert (event["outcome"], event["majority"]) == (2, b"\0" * 32)
    challenger = dev_account(CHALLENGER)
    assert dp.credit(challenger.address) == CREDIT
    # the absent member's penalty half goes to the treasury's credit: nobody won
    assert dp.credit(dp.deployer.address) == PENALTY // 2


def test_dispute_steps_revert_with_their_reason(dp: DPrompt) -> None:
    d = Dispute(dp, RIGHT)
    book = dp.book.functions
    challenger = dev_account(CHALLENGER)
    d.challenge()
    member = d.committee[0]
    c = _commitment(Web3.keccak(RIGHT), b"\1" * 32, member.address)
    assert d.responder.address not in {m.address for m in d.committee}
    dp.reverts(d.responder, book.commit(d.id, c), "RequestBook: NOT_MEMBER")
    dp.send(member, book.commit(d.id, c))
    dp.reverts(member, book.commit(d.id, c), "RequestBook: ALREADY_COMMITTED")
    dp.reverts(
        member, book.reveal(d.id, Web3.keccak(RIGHT), b"\1" * 32), "RequestBook: COMMIT_PHASE"
    )
    dp.reverts(OUTSIDER, book.resolve(d.id, as_tuple(d.request)), "RequestBook: REVEAL_PHASE")
    dp.travel_past(d.commit_end)
    dp.reverts(d.committee[1], book.commit(d.id, c), "RequestBook: COMMIT_CLOSED")
    dp.reverts(member, book.reveal(d.id, Web3.keccak(WRONG), b"\1" * 32), "RequestBook: BAD_REVEAL")
    dp.reverts(
        d.committee[1],
        book.reveal(d.id, Web3.keccak(RIGHT), b"\1" * 32),
        "RequestBook: NOT_COMMITTED",
    )
    dp.reverts(challenger, book.challenge(d.id, as_tuple(d.request)), "RequestBook: NOT_ANSWERED")


def test_challenge_after_the_window_reverts(dp: DPrompt) -> None:
    d = Dispute(dp, RIGHT)
    dp.travel_past(d.request["respondedAt"] + WINDOW)
    call = dp.book.functions.challenge(d.id, as_tuple(d.request))
    dp.reverts(dev_account(CHALLENGER), call, "RequestBook: WINDOW_CLOSED")


def test_challenge_needs_a_full_committee(dp: DPrompt) -> None:
    d = Dispute(dp, RIGHT)
    others = [dev_account(i) for i in PROVIDERS if dev_account(i).address != d.responder.address]
    for provider in others[:4]:  # one eligible member left, three needed
        dp.send(provider, dp.providers.functions.requestWithdrawal(PROVIDER_STAKE))
    call = dp.book.functions.challenge(d.id, as_tuple(d.request))
    dp.reverts(dev_account(CHALLENGER), call, "RequestBook: NO_COMMITTEE")


def test_opml_answers_need_a_registered_program(dp: DPrompt) -> None:
    """An OPML answer opens the opML game, whose program is the model's weights hash."""
    provider = OUTSIDER
    dp.send(provider, dp.rex.functions.approve(dp.providers.address, 2**256 - 1))
    dp.send(provider, dp.providers.functions.register([OPML_MODEL], PRICE, PROVIDER_STAKE))
    prompt = b"1 2 3"
    call = dp.book.functions.request(
        OPML_MODEL, Web3.keccak(prompt), prompt, PRICE, "0x" + "00" * 20, 0, 0, WINDOW
    )
    (event,) = dp.send(dev_account(REQUESTER), call).events(dp.book, "Requested")
    request, _ = dp.respond(provider, event["id"], dict(event["request"]))
    call = dp.book.functions.challenge(event["id"], as_tuple(request))
    dp.reverts(dev_account(CHALLENGER), call, "OpmlGame: UNKNOWN_PROGRAM")
