"""ModelRegistry and ProviderRegistry: registration, stake life cycle, sampling, access."""

from __future__ import annotations

from eth_abi.abi import encode
from hypothesis import given, settings
from hypothesis import strategies as st
from web3 import Web3

from rexos.chain import dev_account
from tests.integration.dprompt.harness import (
    LLM_MODEL,
    MIN_STAKE,
    PRICE,
    PROVIDER_STAKE,
    PROVIDERS,
    REX,
    UNBONDING,
    UNLIMITED,
    WEIGHTS,
    DPrompt,
)

NEWCOMER = dev_account(9)


def _reference_draw(weights: list[tuple[str, int]], seed: int) -> str:
    total = sum(w for _, w in weights)
    rest = seed % total
    for address, weight in weights:
        if rest < weight:
            return address
        rest -= weight
    raise AssertionError("unreachable")


def _reference_committee(
    weights: list[tuple[str, int]], seed: int, k: int, excluded: list[str]
) -> list[str]:
    """Draw ``k`` members by weight without replacement, in registration order."""
    left = [(a, w) for a, w in weights if a not in excluded and w > 0]
    chosen: list[str] = []
    for i in range(k):
        if not left:
            break
        digest = Web3.keccak(encode(["uint256", "uint256"], [seed, i]))
        member = _reference_draw(left, int.from_bytes(digest, "big"))
        chosen.append(member)
        left = [(a, w) for a, w in left if a != member]
    return chosen


def test_model_registry_add_and_deactivate(dp: DPrompt) -> None:
    model = Web3.keccak(text="new-model")
    dp.send(dp.deployer, dp.models.functions.addModel(model, WEIGHTS, 0, 64))
    assert list(dp.models.functions.model(model).call()) == [WEIGHTS, 64, 0, True]
    dp.reverts(
        dp.deployer, dp.models.functions.addModel(model, WEIGHTS, 0, 64), "ModelRegistry: EXISTS"
    )
    other = Web3.keccak(text="other")
    dp.reverts(
        dp.deployer,
        dp.models.functions.addModel(other, b"\0" * 32, 0, 64),
        "ModelRegistry: ZERO_HASH",
    )
    dp.reverts(
        dp.deployer,
        dp.models.functions.addModel(other, WEIGHTS, 0, 0),
        "ModelRegistry: ZERO_PROMPT_BYTES",
    )
    dp.send(dp.deployer, dp.models.functions.deactivate(model))
    assert dp.models.functions.requestLimits(model).call() == [False, 64]
    dp.reverts(dp.deployer, dp.models.functions.deactivate(model), "ModelRegistry: UNKNOWN_MODEL")


def test_only_the_owner_adds_models(dp: DPrompt) -> None:
    call = dp.models.functions.addModel(Web3.keccak(text="x"), WEIGHTS, 0, 64)
    dp.reverts(NEWCOMER, call, f"OwnableUnauthorizedAccount(account={NEWCOMER.address})")


def test_register_checks_stake_models_and_repeats(dp: DPrompt) -> None:
    reg = dp.providers.functions
    dp.send(NEWCOMER, dp.rex.functions.approve(dp.providers.address, UNLIMITED))
    dp.reverts(
        NEWCOMER, reg.register([LLM_MODEL], PRICE, MIN_STAKE - 1), "ProviderRegistry: STAKE_TOO_LOW"
    )
    dp.reverts(NEWCOMER, reg.register([], PRICE, MIN_STAKE), "ProviderRegistry: NO_MODELS")
    unknown = Web3.keccak(text="unknown")
    dp.reverts(
        NEWCOMER, reg.register([unknown], PRICE, MIN_STAKE), "ProviderRegistry: UNKNOWN_MODEL"
    )
    dp.reverts(
        NEWCOMER,
        reg.register([LLM_MODEL, LLM_MODEL], PRICE, MIN_STAKE),
        "ProviderRegistry: DUPLICATE_MODEL",
    )
    before = dp.balance(NEWCOMER.address)
    dp.send(NEWCOMER, reg.register([LLM_MODEL], PRICE, MIN_STAKE))
    assert dp.balance(NEWCOMER.address) == before - MIN_STAKE
    assert reg.isActive(NEWCOMER.address, LLM_MODEL).call()
    dp.reverts(
        NEWCOMER,
        reg.register([LLM_MODEL], PRICE, MIN_STAKE),
        "ProviderRegistry: ALREADY_REGISTERED",
    )
    assert reg.totalWeight(LLM_MODEL).call() == len(PROVIDERS) * PROVIDER_STAKE + MIN_STAKE


def test_unbonding_and_withdrawal(dp: DPrompt) -> None:
    reg = dp.providers.functions
    p = dev_account(PROVIDERS[0])
    total = reg.totalWeight(LLM_MODEL).call()
    dp.reverts(p, reg.requestWithdrawal(PROVIDER_STAKE + 1), "ProviderRegistry: INSUFFICIENT_STAKE")
    dp.reverts(p, reg.withdraw(), "ProviderRegistry: NOTHING_TO_WITHDRAW")
    dp.send(p, reg.requestWithdrawal(500 * REX))  # still >= minStake: active, weight lowered
    assert reg.isActive(p.address, LLM_MODEL).call()
    assert reg.totalWeight(LLM_MODEL).call() == total - 500 * REX
    dp.send(p, reg.requestWithdrawal(600 * REX))  # below minStake: inactive, weight 0
    assert not reg.isActive(p.address, LLM_MODEL).call()
    assert reg.totalWeight(LLM_MODEL).call() == total - PROVIDER_STAKE
    bonded, unbonding, ready = reg.stakeOf(p.address).call()
    assert (bonded, unbonding) == (900 * REX, 1_100 * REX)
    assert ready == dp.now() + UNBONDING
    dp.reverts(p, reg.withdraw(), "ProviderRegistry: UNBONDING")
    dp.chain.time_travel(UNBONDING)
    before = dp.balance(p.address)
    dp.send(p, reg.withdraw())
    assert dp.balance(p.address) == before + 1_100 * REX
    dp.send(p, reg.addStake(100 * REX))  # back to minStake: active again
    assert reg.isActive(p.address, LLM_MODEL).call()
    assert reg.totalWeight(LLM_MODEL).call() == total - PROVIDER_STAKE + MIN_STAKE


def test_sampling_matches_stake_weights(dp: DPrompt) -> None:
    reg = dp.providers.functions
    extra = [0, 3_000, 0, 500, 7_000, 0]
    for i, amount in zip(PROVIDERS, extra, strict=True):
        if amount:
            dp.send(dev_account(i), reg.addStake(amount * REX))
    weights = [
        (dev_account(i).address, PROVIDER_STAKE + amount * REX)
        for i, amount in zip(PROVIDERS, extra, strict=True)
    ]
    total = sum(w for _, w in weights)
    assert reg.totalWeight(LLM_MODEL).call() == total
    edges, acc = [], 0
    for _, w in weights:
        edges += [acc, acc + w - 1]
        acc += w
    seeds = [*edges, total, total + 1, *(int.from_bytes(Web3.keccak(i), "big") for i in range(40))]
    for seed in seeds:
        assert reg.sample(LLM_MODEL, seed).call() == _reference_draw(weights, seed)
    provider, price = reg.quote(LLM_MODEL, 0).call()
    assert (provider, price) == (weights[0][0], PRICE)
    dp.send(dev_account(PROVIDERS[0]), reg.setPrice(3 * REX))
    assert reg.quote(LLM_MODEL, 0).call() == [weights[0][0], 3 * REX]
    assert reg.sample(Web3.keccak(text="nobody"), 1).call() == "0x" + "00" * 20


def test_only_the_book_slashes_and_records(dp: DPrompt) -> None:
    reg = dp.providers.functions
    p = dev_account(PROVIDERS[0]).address
    dp.reverts(NEWCOMER, reg.slash(p, 1, NEWCOMER.address), "ProviderRegistry: NOT_REQUEST_BOOK")
    dp.reverts(NEWCOMER, reg.recordAnswered(p), "ProviderRegistry: NOT_REQUEST_BOOK")
    dp.reverts(NEWCOMER, reg.recordTimedOut(p), "ProviderRegistry: NOT_REQUEST_BOOK")
    dp.reverts(dp.deployer, reg.setRequestBook(NEWCOMER.address), "ProviderRegistry: BOOK_SET")


def test_committee_draw_is_stake_weighted_without_replacement(dp: DPrompt) -> None:
    reg = dp.providers.functions
    extra = [0, 9_000, 0, 500, 3_000, 0]
    for i, amount in zip(PROVIDERS, extra, strict=True):
        if amount:
            dp.send(dev_account(i), reg.addStake(amount * REX))
    weights = [
        (dev_account(i).address, PROVIDER_STAKE + amount * REX)
        for i, amount in zip(PROVIDERS, extra, strict=True)
    ]
    addresses = [a for a, _ in weights]
    outsider = dev_account(9).address

    @settings(max_examples=60, deadline=None, database=None)
    @given(
        seed=st.integers(0, 2**256 - 1),
        k=st.integers(1, 6),
        excluded=st.lists(st.sampled_from([*addresses, outsider]), max_size=3),
    )
    def check(seed: int, k: int, excluded: list[str]) -> None:
        got = reg.drawCommittee(LLM_MODEL, seed, k, excluded).call()
        want = _reference_committee(weights, seed, k, excluded)
        assert got == want
        assert len(got) == min(k, len(set(addresses) - set(excluded)))
        assert len(set(got)) == len(got) and not set(got) & set(excluded)

    check()
    # all but three excluded or inactive: exactly those three fill three seats, whatever the seed
    dp.send(dev_account(PROVIDERS[5]), reg.requestWithdrawal(PROVIDER_STAKE))
    for seed in range(20):
        got = reg.drawCommittee(LLM_MODEL, seed, 3, addresses[:2]).call()
        assert sorted(got) == sorted(addresses[2:5])
        assert reg.drawCommittee(LLM_MODEL, seed, 4, addresses[:2]).call() == got  # one short
