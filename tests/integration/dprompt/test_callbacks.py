"""Finality-aware callbacks: a consumer called on answer, on finality or both.

The example consumer acts only on a final answer and keeps the first one for display; a
request that ends refunded (unanswered, or its answer overturned) tells a finality-mode
consumer that it failed; a consumer that reverts, burns its gas or reenters the book never
blocks settlement or the provider's fee, and nobody can starve the callback or forge one.
"""

from __future__ import annotations

from typing import Any

import pytest
from eth_abi import encode
from web3 import Web3
from web3.contract import Contract

from rexos.chain import dev_account
from tests.integration.dprompt.harness import (
    ANSWERED,
    BOTH,
    CREDIT,
    FINAL,
    LLM_MODEL,
    ON_ANSWER,
    ON_FINAL,
    PARAMS,
    PRICE,
    PROMPT,
    REQUESTER,
    REX,
    UNLIMITED,
    WINDOW,
    DPrompt,
    as_tuple,
)
from tests.integration.dprompt.test_disputes import RIGHT, WRONG, Dispute

ZERO = "0x" + "00" * 20
OUTSIDER = dev_account(9)
OWNER = dev_account(REQUESTER)
BOOM = b"boom".ljust(32, b"\0")
REVERTING = b"\x7f" + BOOM + bytes.fromhex("60005260206000fd")  # revert(BOOM)
LOOPING = bytes.fromhex("5b600056")  # JUMPDEST PUSH1 0 JUMP: burns all its gas
PAID = PRICE - PRICE * (PARAMS["treasuryBps"] + PARAMS["stakersBps"]) // 10_000
CONSUMER_GAS = 150_000
PENDING, SETTLED_FINAL, FAILED = 1, 2, 3  # ExampleConsumer.State


def _error(reason: str) -> bytes:
    """The return data of ``revert(reason)``: ``Error(string)``."""
    return Web3.keccak(text="Error(string)")[:4] + encode(["string"], [reason])


def _reentrant(book: str) -> bytes:
    """Runtime of a consumer that, called by ``book``, replays on the book the calldata
    held as code by the contract whose address is in its slot 0 (anyone sets it by calling
    with one word) and bubbles up the book's revert."""
    b = bytes.fromhex(book[2:])
    setter = bytes.fromhex("60003560005500")  # SSTORE(0, CALLDATALOAD(0)) STOP
    attack = 26 + len(setter)
    code = b"\x33\x73" + b + b"\x14\x60" + bytes([attack]) + b"\x57" + setter  # CALLER == book?
    assert len(code) == attack
    code += bytes.fromhex("5b600054803b806000600084")  # d = SLOAD(0); size size 0 0 d
    code += b"\x3c"  # EXTCODECOPY(d, 0, 0, size) -> [d, size]
    code += bytes.fromhex("600060008260006000") + b"\x73" + b + b"\x5a\xf1"  # CALL(book)
    tail = bytes.fromhex("3d600060003e3d6000fd")  # RETURNDATACOPY; REVERT(0, size)
    ok = len(code) + 3 + len(tail)
    return code + b"\x60" + bytes([ok]) + b"\x57" + tail + bytes.fromhex("5b00")


def _deploy_data(dp: DPrompt, data: bytes) -> str:
    """A contract whose runtime code is ``data`` (any length up to 64 KiB)."""
    size = len(data).to_bytes(2, "big")
    init = b"\x61" + size + b"\x60\x0e\x60\x00\x39\x61" + size + b"\x60\x00\xf3"
    account = dp.deployer
    tx = {
        "from": account.address,
        "data": init + data,
        "value": 0,
        "gas": 2_000_000,
        "chainId": dp.web3.eth.chain_id,
        "nonce": dp.web3.eth.get_transaction_count(account.address),
        "maxPriorityFeePerGas": 10**9,
        "maxFeePerGas": 10**11,
    }
    signed = account.sign_transaction(tx)
    tx_hash = dp.web3.eth.send_raw_transaction(signed.raw_transaction)
    return str(dp.web3.eth.wait_for_transaction_receipt(tx_hash)["contractAddress"])


def _consumer(dp: DPrompt) -> Contract:
    consumer = dp.deploy("ExampleConsumer", dp.book.address)
    dp.send(OWNER, dp.rex.functions.approve(consumer.address, UNLIMITED))
    dp.send(OWNER, consumer.functions.fund(10 * REX))
    return consumer


def _finalize(dp: DPrompt, rid: int, answered: dict[str, Any], output: bytes = b"Paris") -> Any:
    dp.travel_past(answered["respondedAt"] + answered["challengeWindow"])
    return dp.send(OUTSIDER, dp.book.functions.finalize(rid, as_tuple(answered), output))


def _failed(dp: DPrompt, rc: Any) -> list[tuple[bool, bytes]]:
    """The ``CallbackFailed`` events of a receipt: (onFinal, reason)."""
    return [(bool(e["onFinal"]), bytes(e["reason"])) for e in rc.events(dp.book, "CallbackFailed")]


def test_example_consumer_acts_only_on_the_final_answer(dp: DPrompt) -> None:
    consumer = _consumer(dp)
    rid, request, _ = dp.request(consumer=consumer, callback_gas=CONSUMER_GAS)
    assert (request["callback"], request["callbackMode"]) == (consumer.address, BOTH)
    state = consumer.functions.stateOf
    assert state(rid).call() == PENDING
    answered, rc = dp.respond(dp.priority(request), rid, request)
    print(f"\nrespond gas with ExampleConsumer.onAnswer: {rc.gas_used}")
    assert _failed(dp, rc) == []
    assert consumer.functions.provisional(rid).call() == "Paris"
    assert consumer.functions.answers(rid).call() == ""  # not final: nothing to act on
    assert state(rid).call() == PENDING
    for forged in (
        consumer.functions.onAnswer(rid, b"Lyon"),
        consumer.functions.onFinal(rid, True, b"Lyon"),
        consumer.functions.onFinal(rid, False, b""),
    ):
        dp.reverts(OUTSIDER, forged, "ExampleConsumer: NOT_BOOK")
    book = dp.book.functions
    dp.travel_past(answered["respondedAt"] + WINDOW)
    for wrong in (b"", b"Lyon"):
        call = book.finalize(rid, as_tuple(answered), wrong)
        dp.reverts(OUTSIDER, call, "RequestBook: BAD_OUTPUT")
    rc = dp.send(OUTSIDER, book.finalize(rid, as_tuple(answered), b"Paris"))
    print(f"finalize gas with ExampleConsumer.onFinal: {rc.gas_used}")
    assert _failed(dp, rc) == []
    (event,) = rc.events(consumer, "Answered")
    assert (event["id"], event["answer"]) == (rid, "Paris")
    assert consumer.functions.answers(rid).call() == "Paris"
    assert state(rid).call() == SETTLED_FINAL
    assert dp.credit(answered["responder"]) == PAID
    final = as_tuple({**answered, "status": FINAL})
    call = consumer.functions.settle(rid, final, b"Paris")
    dp.reverts(OUTSIDER, call, "ExampleConsumer: NOT_PENDING")


def test_overturned_answer_tells_the_consumer_it_failed(dp: DPrompt) -> None:
    consumer = _consumer(dp)
    d = Dispute(dp, WRONG, consumer=consumer, callback_gas=CONSUMER_GAS)
    assert consumer.functions.provisional(d.id).call() == WRONG.decode()
    d.challenge()
    d.vote([RIGHT, RIGHT, WRONG], [True, True, True])
    rc = dp.send(OUTSIDER, dp.book.functions.resolve(d.id, as_tuple(d.request)))
    print(f"\nresolve (overturned) gas with ExampleConsumer.onFinal: {rc.gas_used}")
    assert _failed(dp, rc) == []
    assert [e["id"] for e in rc.events(consumer, "Failed")] == [d.id]
    assert consumer.functions.stateOf(d.id).call() == FAILED
    assert consumer.functions.provisional(d.id).call() == ""  # the wrong answer is gone
    assert consumer.functions.answers(d.id).call() == ""
    assert dp.credit(consumer.address) == 10 * REX  # fee refunded


def test_upheld_answer_is_final_only_at_finalize(dp: DPrompt) -> None:
    consumer = _consumer(dp)
    d = Dispute(dp, RIGHT, consumer=consumer, callback_gas=CONSUMER_GAS)
    d.challenge()
    d.vote([RIGHT, RIGHT, RIGHT], [True, True, True])
    rc = dp.send(OUTSIDER, dp.book.functions.resolve(d.id, as_tuple(d.request)))
    assert rc.events(consumer, "Answered") == [] and rc.events(consumer, "Failed") == []
    assert consumer.functions.stateOf(d.id).call() == PENDING
    rc = _finalize(dp, d.id, {**d.request, "status": ANSWERED}, RIGHT)
    assert [e["answer"] for e in rc.events(consumer, "Answered")] == [RIGHT.decode()]
    assert consumer.functions.stateOf(d.id).call() == SETTLED_FINAL


def test_refunded_request_tells_the_consumer_it_failed(dp: DPrompt) -> None:
    consumer = _consumer(dp)
    rid, request, _ = dp.request(consumer=consumer, callback_gas=CONSUMER_GAS)
    dp.travel_past(request["deadline"] + PARAMS["takeoverGrace"])
    rc = dp.send(OUTSIDER, dp.book.functions.refund(rid, as_tuple(request)))
    print(f"\nrefund gas with ExampleConsumer.onFinal: {rc.gas_used}")
    assert _failed(dp, rc) == []
    assert consumer.functions.stateOf(rid).call() == FAILED
    assert dp.credit(consumer.address) == 10 * REX


def test_a_failed_push_is_delivered_by_anyone_through_settle(dp: DPrompt) -> None:
    """A gas limit too small for the consumer: the book records the failure, and the
    consumer is not stuck: anyone hands it the outcome, which it checks against the book."""
    consumer = _consumer(dp)
    rid, request, _ = dp.request(consumer=consumer, callback_gas=30_000)
    answered, _ = dp.respond(dp.priority(request), rid, request)
    settle = consumer.functions.settle
    dp.reverts(OUTSIDER, settle(rid, as_tuple(answered), b"Paris"), "ExampleConsumer: NOT_SETTLED")
    rc = _finalize(dp, rid, answered)
    assert _failed(dp, rc) == [(True, b"")]  # out of gas
    assert dp.credit(answered["responder"]) == PAID  # the provider is paid all the same
    assert consumer.functions.stateOf(rid).call() == PENDING
    final = {**answered, "status": FINAL}
    dp.reverts(OUTSIDER, settle(rid, as_tuple(final), b"Lyon"), "ExampleConsumer: BAD_OUTPUT")
    forged = as_tuple({**final, "outputHash": Web3.keccak(b"Lyon")})
    dp.reverts(OUTSIDER, settle(rid, forged, b"Lyon"), "ExampleConsumer: BAD_REQUEST")
    dp.send(OUTSIDER, settle(rid, as_tuple(final), b"Paris"))
    assert consumer.functions.answers(rid).call() == "Paris"
    assert consumer.functions.stateOf(rid).call() == SETTLED_FINAL


def test_a_request_naming_someone_elses_consumer_changes_nothing_there(dp: DPrompt) -> None:
    """Anybody may name the consumer as their callback: it acts only on its own requests."""
    consumer = _consumer(dp)
    rid, request, _ = dp.request(
        callback=consumer.address, callback_gas=CONSUMER_GAS, callback_mode=BOTH
    )
    answered, rc = dp.respond(dp.priority(request), rid, request, output=b"Lyon")
    assert _failed(dp, rc) == [(False, _error("ExampleConsumer: NOT_PENDING"))]
    rc = _finalize(dp, rid, answered, b"Lyon")
    assert _failed(dp, rc) == [(True, _error("ExampleConsumer: NOT_PENDING"))]
    assert consumer.functions.stateOf(rid).call() == 0
    assert consumer.functions.provisional(rid).call() == ""
    assert consumer.functions.answers(rid).call() == ""
    assert dp.credit(answered["responder"]) == PAID


@pytest.mark.parametrize(("runtime", "reason"), [(REVERTING, BOOM), (LOOPING, b"")])
def test_a_hostile_final_callback_never_blocks_settlement(
    dp: DPrompt, runtime: bytes, reason: bytes
) -> None:
    target = dp.deploy_runtime(runtime)
    limit = PARAMS["maxCallbackGas"]
    rid, request, _ = dp.request(callback=target, callback_gas=limit, callback_mode=ON_FINAL)
    answered, rc = dp.respond(dp.priority(request), rid, request)
    assert _failed(dp, rc) == []  # not called on answer
    rc = _finalize(dp, rid, answered)
    assert _failed(dp, rc) == [(True, reason)]
    assert rc.gas_used < limit + 150_000
    assert dp.credit(answered["responder"]) == PAID
    final = as_tuple({**answered, "status": FINAL})
    assert dp.book.functions.requestHash(rid).call() == _hash(dp, final)
    rid, request, _ = dp.request(callback=target, callback_gas=limit, callback_mode=ON_FINAL)
    dp.travel_past(request["deadline"] + PARAMS["takeoverGrace"])
    rc = dp.send(OUTSIDER, dp.book.functions.refund(rid, as_tuple(request)))
    assert _failed(dp, rc) == [(True, reason)]
    assert dp.credit(OWNER.address) == CREDIT - PRICE  # the first fee paid, the second back


def test_an_on_answer_consumer_is_not_called_on_finality(dp: DPrompt) -> None:
    target = dp.deploy_runtime(REVERTING)
    rid, request, _ = dp.request(callback=target, callback_gas=50_000, callback_mode=ON_ANSWER)
    answered, rc = dp.respond(dp.priority(request), rid, request)
    assert _failed(dp, rc) == [(False, BOOM)]
    rc = _finalize(dp, rid, answered, b"")  # no output needed: nobody to deliver it to
    assert _failed(dp, rc) == []


def test_a_reentering_consumer_cannot_settle_twice(dp: DPrompt) -> None:
    """The consumer replays ``finalize`` (then ``refund``) from inside ``onFinal``: the book
    has already stored the new state, so the replay reverts and only the callback fails."""
    attacker = dp.deploy_runtime(_reentrant(dp.book.address))
    rid, request, _ = dp.request(callback=attacker, callback_gas=300_000, callback_mode=BOTH)
    answered, _ = dp.respond(dp.priority(request), rid, request)
    _set_payload(dp, attacker, _cd(dp.book.functions.finalize(rid, as_tuple(answered), b"Paris")))
    treasury = dp.balance(dp.deployer.address)
    rc = _finalize(dp, rid, answered)
    assert _failed(dp, rc) == [(True, _error("RequestBook: BAD_REQUEST"))]
    assert len(rc.events(dp.book, "Finalized")) == 1
    assert dp.credit(answered["responder"]) == PAID
    assert dp.balance(dp.deployer.address) == treasury + PRICE * PARAMS["treasuryBps"] // 10_000
    rid, request, _ = dp.request(callback=attacker, callback_gas=300_000, callback_mode=ON_FINAL)
    _set_payload(dp, attacker, _cd(dp.book.functions.refund(rid, as_tuple(request))))
    dp.travel_past(request["deadline"] + PARAMS["takeoverGrace"])
    before = dp.credit(OWNER.address)
    rc = dp.send(OUTSIDER, dp.book.functions.refund(rid, as_tuple(request)))
    assert _failed(dp, rc) == [(True, _error("RequestBook: BAD_REQUEST"))]
    assert dp.credit(OWNER.address) == before + PRICE  # refunded once


def test_nobody_can_starve_the_final_callback(dp: DPrompt) -> None:
    """A finalize sent with too little gas for the callback's full limit is refused whole."""
    target = dp.deploy_runtime(LOOPING)
    limit = 500_000
    rid, request, _ = dp.request(callback=target, callback_gas=limit, callback_mode=ON_FINAL)
    answered, _ = dp.respond(dp.priority(request), rid, request)
    dp.travel_past(answered["respondedAt"] + WINDOW)
    call = dp.book.functions.finalize(rid, as_tuple(answered), b"Paris")
    tx = call.build_transaction(
        {
            "from": OUTSIDER.address,
            "gas": limit,  # enough to settle, not for the callback's limit as well
            "nonce": dp.web3.eth.get_transaction_count(OUTSIDER.address),
            "maxPriorityFeePerGas": 10**9,
            "maxFeePerGas": 10**11,
        }
    )
    signed = OUTSIDER.sign_transaction(tx)
    receipt = dp.web3.eth.wait_for_transaction_receipt(
        dp.web3.eth.send_raw_transaction(signed.raw_transaction)
    )
    assert receipt["status"] == 0
    assert receipt["gasUsed"] < limit  # refused (CALLBACK_GAS), not run out of gas
    assert dp.book.functions.requestHash(rid).call() == _hash(dp, as_tuple(answered))
    rc = dp.send(OUTSIDER, call)
    assert _failed(dp, rc) == [(True, b"")]
    assert rc.gas_used > limit  # the callback had all of its limit


def test_the_callback_mode_must_match_the_callback(dp: DPrompt) -> None:
    book = dp.book.functions
    target = dp.deploy_runtime(REVERTING)
    for callback, mode in ((ZERO, ON_FINAL), (target, 0), (target, 4)):
        call = book.request(
            LLM_MODEL, Web3.keccak(PROMPT), PROMPT, PRICE, callback, 0, mode, WINDOW
        )
        dp.reverts(OWNER, call, "RequestBook: CALLBACK_MODE")
    assert dp.request(callback=target, callback_mode=BOTH)[1]["callbackMode"] == BOTH
    assert dp.request()[1]["callbackMode"] == 0


_REQUEST_TYPE = (
    "(address,uint96,bytes32,bytes32,address,uint48,address,uint32,uint8,uint32,address,uint48,"
    "uint8,bytes32,bytes32)"
)


def _hash(dp: DPrompt, struct: tuple[Any, ...]) -> bytes:
    return bytes(Web3.keccak(dp.web3.codec.encode([_REQUEST_TYPE], [struct])))


def _cd(call: Any) -> bytes:
    return bytes.fromhex(call._encode_transaction_data()[2:])


def _word(address: str) -> bytes:
    return bytes(12) + bytes.fromhex(address[2:])


def _set_payload(dp: DPrompt, attacker: str, payload: bytes) -> None:
    """Store in ``attacker`` the address of a contract whose code is ``payload``."""
    holder = _deploy_data(dp, payload)
    tx = {
        "from": OUTSIDER.address,
        "to": attacker,
        "data": _word(holder),
        "value": 0,
        "gas": 100_000,
        "chainId": dp.web3.eth.chain_id,
        "nonce": dp.web3.eth.get_transaction_count(OUTSIDER.address),
        "maxPriorityFeePerGas": 10**9,
        "maxFeePerGas": 10**11,
    }
    signed = OUTSIDER.sign_transaction(tx)
    dp.web3.eth.wait_for_transaction_receipt(
        dp.web3.eth.send_raw_transaction(signed.raw_transaction)
    )
