"""RequestBook requests: round trip, take-over, refund, callbacks, bad input, gas."""

from __future__ import annotations

from web3 import Web3

from rexos.chain import dev_account
from tests.integration.dprompt.harness import (
    ANSWERED,
    CREDIT,
    FINAL,
    LLM_MODEL,
    MAX_PROMPT_BYTES,
    PARAMS,
    PRICE,
    PROMPT,
    REFUNDED,
    REQUESTER,
    REX,
    WINDOW,
    DPrompt,
    as_tuple,
)

ZERO = "0x" + "00" * 20
OUTSIDER = dev_account(9)
BOOM = b"boom".ljust(32, b"\0")
REVERTING = b"\x7f" + BOOM + bytes.fromhex("60005260206000fd")  # revert(BOOM)
LOOPING = bytes.fromhex("5b600056")  # JUMPDEST PUSH1 0 JUMP: burns all its gas


def test_honest_round_trip_pays_shares_exactly(dp: DPrompt) -> None:
    requester = dev_account(REQUESTER)
    rid, request, rc = dp.request()
    print(f"\nrequest gas ({len(PROMPT)}-byte prompt): {rc.gas_used}")
    assert rc.gas_used <= 90_000
    assert request["fee"] == PRICE
    assert dp.credit(requester.address) == CREDIT - PRICE
    provider = dp.priority(request)
    answered, rc = dp.respond(provider, rid, request)
    print(f"respond gas (no callback): {rc.gas_used}")
    assert rc.gas_used <= 80_000
    book = dp.book.functions
    dp.reverts(provider, book.finalize(rid, as_tuple(answered), b""), "RequestBook: WINDOW_OPEN")
    dp.travel_past(answered["respondedAt"] + WINDOW)
    treasury, staked = dp.balance(dp.deployer.address), dp.balance(dp.staked.address)
    rc = dp.send(OUTSIDER, book.finalize(rid, as_tuple(answered), b""))
    print(f"finalize gas: {rc.gas_used}")
    treasury_share = PRICE * PARAMS["treasuryBps"] // 10_000
    stakers_share = PRICE * PARAMS["stakersBps"] // 10_000
    paid = PRICE - treasury_share - stakers_share
    assert dp.credit(provider.address) == paid
    assert dp.balance(dp.deployer.address) == treasury + treasury_share
    assert dp.balance(dp.staked.address) == staked + stakers_share
    assert dp.info(provider.address)["answered"] == 1
    final = {**answered, "status": FINAL}
    assert book.requestHash(rid).call() == Web3.keccak(
        dp.web3.codec.encode([_REQUEST_TYPE], [as_tuple(final)])
    )
    dp.reverts(OUTSIDER, book.finalize(rid, as_tuple(final), b""), "RequestBook: NOT_ANSWERED")
    before = dp.balance(provider.address)
    dp.send(provider, book.withdrawCredit(paid))
    assert dp.balance(provider.address) == before + paid
    assert dp.credit(provider.address) == 0


_REQUEST_TYPE = (
    "(address,uint96,bytes32,bytes32,address,uint48,address,uint32,uint8,uint32,address,uint48,"
    "uint8,bytes32,bytes32)"
)


def test_missed_deadline_lets_another_provider_take_over(dp: DPrompt) -> None:
    rid, request, _ = dp.request()
    late = dp.priority(request)
    other = dp.other_provider(late.address)
    call = dp.book.functions.respond(rid, as_tuple(request), b"Paris", b"\x11" * 32)
    dp.reverts(other, call, "RequestBook: NOT_PRIORITY")
    dp.travel_past(request["deadline"])
    answered, rc = dp.respond(other, rid, request)
    print(f"\ntake-over respond gas: {rc.gas_used}")
    assert answered["responder"] == other.address
    assert dp.info(late.address)["timedOut"] == 1
    assert dp.info(other.address)["timedOut"] == 0


def test_unanswered_request_is_refunded(dp: DPrompt) -> None:
    requester = dev_account(REQUESTER)
    rid, request, _ = dp.request()
    book = dp.book.functions
    dp.reverts(OUTSIDER, book.refund(rid, as_tuple(request)), "RequestBook: TOO_EARLY")
    dp.travel_past(request["deadline"] + PARAMS["takeoverGrace"])
    rc = dp.send(OUTSIDER, book.refund(rid, as_tuple(request)))
    print(f"\nrefund gas: {rc.gas_used}")
    assert dp.credit(requester.address) == CREDIT
    assert dp.info(request["provider"])["timedOut"] == 1
    refunded = as_tuple({**request, "status": REFUNDED})
    dp.reverts(OUTSIDER, book.refund(rid, refunded), "RequestBook: NOT_OPEN")
    late = dp.priority(request)
    dp.reverts(
        late, book.respond(rid, refunded, b"Paris", b"\0" * 32), "RequestBook: ALREADY_ANSWERED"
    )


def test_reverting_callback_does_not_block_settlement(dp: DPrompt) -> None:
    target = dp.deploy_runtime(REVERTING)
    rid, request, _ = dp.request(callback=target, callback_gas=50_000)
    answered, rc = dp.respond(dp.priority(request), rid, request)
    (failed,) = rc.events(dp.book, "CallbackFailed")
    assert (failed["id"], failed["reason"]) == (rid, BOOM)
    assert answered["status"] == ANSWERED
    dp.travel_past(answered["respondedAt"] + WINDOW)
    dp.send(OUTSIDER, dp.book.functions.finalize(rid, as_tuple(answered), b""))


def test_gas_exhausting_callback_does_not_block_settlement(dp: DPrompt) -> None:
    target = dp.deploy_runtime(LOOPING)
    limit = 200_000
    rid, request, _ = dp.request(callback=target, callback_gas=limit)
    answered, rc = dp.respond(dp.priority(request), rid, request)
    (failed,) = rc.events(dp.book, "CallbackFailed")
    assert (failed["id"], failed["reason"]) == (rid, b"")
    assert limit < rc.gas_used < limit + 80_000
    dp.travel_past(answered["respondedAt"] + WINDOW)
    dp.send(OUTSIDER, dp.book.functions.finalize(rid, as_tuple(answered), b""))


def test_bad_requests_revert_with_their_reason(dp: DPrompt) -> None:
    requester = dev_account(REQUESTER)
    book = dp.book.functions
    h = Web3.keccak(PROMPT)

    def request(
        model: bytes = LLM_MODEL,
        prompt_hash: bytes = h,
        prompt: bytes = PROMPT,
        max_fee: int = PRICE,
        gas: int = 0,
        window: int = WINDOW,
        callback: str = ZERO,
        mode: int = 0,
    ):
        return book.request(model, prompt_hash, prompt, max_fee, callback, gas, mode, window)

    dp.reverts(requester, request(model=Web3.keccak(text="nope")), "RequestBook: UNKNOWN_MODEL")
    dp.reverts(requester, request(max_fee=PRICE - 1), "RequestBook: FEE_BELOW_PRICE")
    long = b"x" * (MAX_PROMPT_BYTES + 1)
    dp.reverts(
        requester,
        request(prompt=long, prompt_hash=Web3.keccak(long)),
        "RequestBook: PROMPT_TOO_LONG",
    )
    dp.reverts(requester, request(prompt_hash=Web3.keccak(b"other")), "RequestBook: PROMPT_HASH")
    dp.reverts(
        requester, request(window=PARAMS["minChallengeWindow"] - 1), "RequestBook: CHALLENGE_WINDOW"
    )
    dp.reverts(
        requester, request(gas=PARAMS["maxCallbackGas"] + 1), "RequestBook: CALLBACK_GAS_LIMIT"
    )
    dp.reverts(OUTSIDER, request(), "RequestBook: INSUFFICIENT_CREDIT")
    dp.reverts(requester, book.withdrawCredit(CREDIT + 1), "RequestBook: INSUFFICIENT_CREDIT")
    dp.reverts(requester, book.deposit(0), "RequestBook: ZERO_AMOUNT")


def test_bad_responses_revert_with_their_reason(dp: DPrompt) -> None:
    rid, request, _ = dp.request()
    provider = dp.priority(request)
    book = dp.book.functions
    dp.reverts(
        OUTSIDER,
        book.respond(rid, as_tuple(request), b"x", b"\0" * 32),
        "RequestBook: UNREGISTERED_PROVIDER",
    )
    forged = as_tuple({**request, "fee": 1})
    dp.reverts(provider, book.respond(rid, forged, b"x", b"\0" * 32), "RequestBook: BAD_REQUEST")
    answered, _ = dp.respond(provider, rid, request)
    dp.reverts(
        provider,
        book.respond(rid, as_tuple(answered), b"y", b"\0" * 32),
        "RequestBook: ALREADY_ANSWERED",
    )
    dp.reverts(
        provider, book.respond(rid, as_tuple(request), b"y", b"\0" * 32), "RequestBook: BAD_REQUEST"
    )


def test_deposit_with_permit_needs_no_approval(dp: DPrompt) -> None:
    owner = OUTSIDER
    amount, deadline = 5 * REX, dp.now() + 3_600
    nonce = dp.rex.functions.nonces(owner.address).call()
    typed = {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            "Permit": [
                {"name": "owner", "type": "address"},
                {"name": "spender", "type": "address"},
                {"name": "value", "type": "uint256"},
                {"name": "nonce", "type": "uint256"},
                {"name": "deadline", "type": "uint256"},
            ],
        },
        "primaryType": "Permit",
        "domain": {
            "name": "RexOS Token",
            "version": "1",
            "chainId": dp.web3.eth.chain_id,
            "verifyingContract": dp.rex.address,
        },
        "message": {
            "owner": owner.address,
            "spender": dp.book.address,
            "value": amount,
            "nonce": nonce,
            "deadline": deadline,
        },
    }
    sig = owner.sign_typed_data(full_message=typed)
    before = dp.balance(owner.address)
    call = dp.book.functions.depositWithPermit(
        amount, deadline, sig.v, sig.r.to_bytes(32, "big"), sig.s.to_bytes(32, "big")
    )
    dp.send(owner, call)
    assert dp.credit(owner.address) == amount
    assert dp.balance(owner.address) == before - amount
