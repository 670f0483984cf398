"""``RexAirdrop`` on a real in-process chain, with trees built by :mod:`rexos.airdrop.merkle`
(itself checked against the npm ``@openzeppelin/merkle-tree``): claims, bound delivery,
claim-and-stake, the deadline and the sweep; and, as hypothesis properties over random
sequences of claims, bindings and time, the distributor's invariants (total paid ≤
allocated; each leaf paid once; nothing swept before the deadline, everything after)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rexos.airdrop.distributor import LEAF_TYPES, Distributor, deploy_distributor
from rexos.airdrop.merkle import StandardMerkleTree
from rexos.chain import EmbeddedChain, Transactor, dev_account, load_artifact
from rexos.chain.manifest import Manifest
from rexos.errors import RexosError, UsageError
from rexos.types import Address, parse_address
from tests.devchain import dev_chain

DEPLOYER = dev_account(0)  # the treasury and sREX's owner on a devnet
HOLDER = dev_account(9)  # the airdrop role's wallet
CLAIMANTS = [dev_account(i) for i in (1, 2, 3, 4)]
STRANGER = Account.from_key(b"\x42" * 32)
WEEK = 7 * 24 * 3600
UNIT = 10**18


@dataclass
class Drop:
    chain: EmbeddedChain
    manifest: Manifest
    tree: StandardMerkleTree
    leaves: list[tuple[int, Address, int]]
    dist: Distributor
    deadline: int
    paid: dict[int, int] = field(default_factory=dict)

    def rex(self, who: str) -> int:
        return int(self.dist.rex.functions.balanceOf(who).call())

    def staked(self, who: str) -> int:
        staking = self.chain.web3.eth.contract(
            address=self.manifest.address("StakedRex"), abi=load_artifact("StakedRex").abi
        )
        return int(staking.functions.balanceOf(who).call())

    def send(self, signer: LocalAccount, call: object, action: str = "airdrop") -> None:
        Transactor(self.chain.web3, signer).send(call, action=action)  # type: ignore[arg-type]

    def claim(self, i: int, by: LocalAccount) -> None:
        index, account, amount = self.leaves[i]
        proof = self.tree.proof(i)
        self.send(by, self.dist.contract.functions.claim(index, account, amount, proof))


def _drop(amounts: list[int]) -> Drop:
    chain, manifest = dev_chain([Address(a.address) for a in CLAIMANTS])
    accounts = [Address(a.address) for a in CLAIMANTS] + [Address(STRANGER.address)]
    leaves = [(i, accounts[i % len(accounts)], amount) for i, amount in enumerate(amounts)]
    tree = StandardMerkleTree.of(leaves, LEAF_TYPES)
    deadline = int(chain.web3.eth.get_block("latest")["timestamp"]) + WEEK
    deployer = Transactor(chain.web3, DEPLOYER)
    address = deploy_distributor(deployer, deployer, manifest.address("RexToken"),
                                 manifest.address("StakedRex"), tree.root, deadline,
                                 Address(DEPLOYER.address))  # fmt: skip
    dist = Distributor(chain.web3, address)
    Transactor(chain.web3, HOLDER).send(dist.fund_call(sum(amounts)), action="fund")
    return Drop(chain, manifest, tree, leaves, dist, deadline)


@pytest.fixture(scope="module")
def base() -> Drop:
    return _drop([5 * UNIT, 7 * UNIT, 11 * UNIT, 13 * UNIT, 17 * UNIT, 1, 0])


@pytest.fixture
def drop(base: Drop) -> Iterator[Drop]:
    snapshot = base.chain.snapshot()
    try:
        yield base
    finally:
        base.chain.revert(snapshot)


def test_anyone_may_submit_a_claim_and_it_pays_the_account_once(drop: Drop) -> None:
    index, account, amount = drop.leaves[0]
    before, held = drop.rex(account), drop.dist.facts().balance
    drop.claim(0, by=HOLDER)  # a relayer pays the gas; the tokens go to the account
    assert drop.rex(account) == before + amount
    assert drop.dist.facts().balance == held - amount
    assert drop.dist.is_claimed(index)
    with pytest.raises(RexosError, match="ALREADY_CLAIMED"):
        drop.claim(0, by=CLAIMANTS[0])
    with pytest.raises(UsageError, match="already claimed"):
        drop.dist.claim_call(index, account, amount, drop.tree.proof(0))


@pytest.mark.parametrize(
    "change",
    ["amount", "account", "index", "proof of another leaf", "truncated proof"],
)
def test_a_leaf_that_is_not_in_the_tree_is_refused(drop: Drop, change: str) -> None:
    index, account, amount = drop.leaves[1]
    proof = drop.tree.proof(1)
    if change == "amount":
        amount += 1
    elif change == "account":
        account = Address(STRANGER.address)
    elif change == "index":
        index = 2
    elif change == "proof of another leaf":
        proof = drop.tree.proof(2)
    else:
        proof = proof[:-1]
    call = drop.dist.contract.functions.claim(index, account, amount, proof)
    with pytest.raises(RexosError, match="BAD_PROOF"):
        drop.send(CLAIMANTS[1], call)
    assert not drop.dist.is_claimed(1) and not drop.dist.is_claimed(2)


def test_a_relayers_batch_pays_each_leaf_as_claim_would_and_is_all_or_none(drop: Drop) -> None:
    deposit = parse_address("0x000000000000000000000000000000000000d0d0")
    drop.send(CLAIMANTS[1], drop.dist.bind_call(deposit))
    batch = [(*drop.leaves[i], drop.tree.proof(i)) for i in (0, 1, 2)]
    index, account, amount, proof = batch[2]
    bad = [*batch[:2], (index, account, amount + 1, proof)]
    with pytest.raises(RexosError, match="BAD_PROOF"):
        drop.send(HOLDER, drop.dist.contract.functions.claimMany(bad))
    with pytest.raises(RexosError, match="ALREADY_CLAIMED"):
        drop.send(HOLDER, drop.dist.contract.functions.claimMany([batch[0], batch[0]]))
    assert not any(drop.dist.is_claimed(i) for i in (0, 1, 2))
    before = [drop.rex(drop.leaves[i][1]) for i in (0, 2)]
    drop.send(HOLDER, drop.dist.contract.functions.claimMany(batch))
    assert drop.rex(deposit) == drop.leaves[1][2]  # claimant 1 bound its deposit address
    assert [drop.rex(drop.leaves[i][1]) for i in (0, 2)] == [
        b + drop.leaves[i][2] for b, i in zip(before, (0, 2), strict=True)
    ]
    assert all(drop.dist.is_claimed(i) for i in (0, 1, 2))


def test_a_bound_allocation_goes_to_the_bound_address_unless_the_account_claims_itself(
    drop: Drop,
) -> None:
    _, account, amount = drop.leaves[2]
    owner = CLAIMANTS[2]
    assert owner.address == account
    deposit = parse_address("0x000000000000000000000000000000000000beef")
    drop.send(owner, drop.dist.bind_call(deposit))
    assert drop.dist.delivery_of(account) == deposit
    snapshot = drop.chain.snapshot()
    before = drop.rex(account)
    drop.claim(2, by=owner)  # the account itself: to itself, whatever it bound
    assert drop.rex(account) == before + amount and drop.rex(deposit) == 0
    drop.chain.revert(snapshot)
    drop.claim(2, by=HOLDER)
    assert drop.rex(deposit) == amount and drop.rex(account) == before


def test_a_binding_signed_with_eip712_is_good_once_before_its_deadline(drop: Drop) -> None:
    _, account, amount = drop.leaves[3]
    owner, to = CLAIMANTS[3], parse_address("0x00000000000000000000000000000000000cafe0")
    until = drop.dist.now() + 3600
    message = drop.dist.bind_typed_data(account, to, until)
    signed = owner.sign_typed_data(message["domain"], message["types"], message["message"])
    call = drop.dist.bind_by_sig_call(account, to, until, signed.signature)
    forged = STRANGER.sign_typed_data(message["domain"], message["types"], message["message"])
    with pytest.raises(RexosError, match="BAD_SIGNATURE"):
        drop.send(HOLDER, drop.dist.bind_by_sig_call(account, to, until, forged.signature))
    drop.send(HOLDER, call)  # a relayer submits the user's signature
    assert drop.dist.delivery_of(account) == to
    with pytest.raises(RexosError, match="BAD_SIGNATURE"):  # the nonce moved: no replay
        drop.send(HOLDER, call)
    old = drop.dist.bind_typed_data(account, account, until)
    late = owner.sign_typed_data(old["domain"], old["types"], old["message"])
    drop.chain.time_travel(7200)
    with pytest.raises(RexosError, match="SIGNATURE_EXPIRED"):
        drop.send(HOLDER, drop.dist.bind_by_sig_call(account, account, until, late.signature))
    drop.claim(3, by=HOLDER)
    assert drop.rex(to) == amount


def test_claim_and_stake_stakes_the_callers_own_allocation_in_one_transaction(
    drop: Drop,
) -> None:
    index, account, amount = drop.leaves[5]  # the 6th leaf is claimant 0's second one
    owner = CLAIMANTS[0]
    assert owner.address == account
    rex_before, staked_before = drop.rex(account), drop.staked(account)
    drop.send(owner, drop.dist.claim_and_stake_call(index, amount, drop.tree.proof(5)))
    assert drop.staked(account) == staked_before + amount
    assert drop.rex(account) == rex_before
    assert drop.dist.is_claimed(index)
    # someone else cannot stake a leaf that is not theirs: the leaf names the caller
    other = drop.dist.contract.functions.claimAndStake(1, drop.leaves[1][2], drop.tree.proof(1))
    with pytest.raises(RexosError, match="BAD_PROOF"):
        drop.send(CLAIMANTS[2], other)


def test_only_an_allowed_depositor_may_stake_for_someone_else(drop: Drop) -> None:
    staking = drop.chain.web3.eth.contract(
        address=drop.manifest.address("StakedRex"), abi=load_artifact("StakedRex").abi
    )
    rex = drop.dist.rex
    drop.send(CLAIMANTS[1], rex.functions.approve(staking.address, UNIT))
    gift = staking.functions.stakeFor(CLAIMANTS[0].address, UNIT)
    with pytest.raises(RexosError, match="NOT_DEPOSITOR"):
        drop.send(CLAIMANTS[1], gift)
    with pytest.raises(RexosError, match="OwnableUnauthorizedAccount"):
        drop.send(CLAIMANTS[1], staking.functions.setDepositor(CLAIMANTS[1].address, True))
    assert staking.functions.isDepositor(drop.dist.address).call()


def test_after_the_deadline_nothing_is_claimed_and_anyone_sweeps_the_rest(drop: Drop) -> None:
    drop.claim(0, by=CLAIMANTS[0])
    left = drop.dist.facts().balance
    with pytest.raises(RexosError, match="CLAIM_OPEN"):
        drop.send(HOLDER, drop.dist.contract.functions.sweep())
    with pytest.raises(UsageError, match="nothing can be swept"):
        drop.dist.sweep_call()
    drop.chain.time_travel(WEEK + 60)
    with pytest.raises(RexosError, match="CLAIM_CLOSED"):
        drop.claim(1, by=CLAIMANTS[1])
    treasury = drop.rex(DEPLOYER.address)
    drop.send(HOLDER, drop.dist.sweep_call())
    assert drop.rex(DEPLOYER.address) == treasury + left
    assert drop.dist.facts().balance == 0


def test_a_distributor_needs_a_root_a_future_deadline_and_addresses(drop: Drop) -> None:
    deployer = Transactor(drop.chain.web3, DEPLOYER)
    rex, staked = drop.manifest.address("RexToken"), drop.manifest.address("StakedRex")
    now = drop.dist.now()
    with pytest.raises(UsageError, match="not a Merkle root"):
        deploy_distributor(deployer, deployer, rex, staked, "0x" + "00" * 32, now + WEEK, rex)
    with pytest.raises(RexosError, match="DEADLINE_PASSED"):
        deploy_distributor(deployer, deployer, rex, staked, drop.tree.root, now - 1, rex)


# ---------------------------------------------------------------- properties

ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("claim"), st.integers(0, 6), st.integers(0, 4)),
        st.tuples(st.just("forge"), st.integers(0, 6), st.integers(1, 10**20)),
        st.tuples(st.just("wait"), st.integers(1, 3 * 24 * 3600), st.just(0)),
        st.tuples(st.just("sweep"), st.just(0), st.just(0)),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=ACTIONS)
def test_paid_never_exceeds_allocated_each_leaf_pays_once_and_sweeps_wait(
    drop: Drop, actions: list[tuple[str, int, int]]
) -> None:
    snapshot = drop.chain.snapshot()
    try:
        total = sum(amount for _, _, amount in drop.leaves)
        assert drop.dist.facts().balance == total
        paid: dict[int, int] = {}
        swept = 0
        for kind, a, b in actions:
            now = drop.dist.now()
            if kind == "claim":
                try:
                    drop.claim(a, by=CLAIMANTS[b % len(CLAIMANTS)])
                    assert a not in paid and now < drop.deadline + 60
                    paid[a] = drop.leaves[a][2]
                except RexosError as exc:
                    assert "ALREADY_CLAIMED" in str(exc) or "CLAIM_CLOSED" in str(exc)
            elif kind == "forge":
                index, account, amount = drop.leaves[a]
                call = drop.dist.contract.functions.claim(index, account, amount + b,
                                                          drop.tree.proof(a))  # fmt: skip
                with pytest.raises(RexosError):
                    drop.send(HOLDER, call)
            elif kind == "wait":
                drop.chain.time_travel(a)
            else:
                before = drop.dist.facts().balance
                try:
                    drop.send(HOLDER, drop.dist.contract.functions.sweep())
                    assert drop.dist.now() > drop.deadline
                    swept += before
                except RexosError as exc:
                    assert "CLAIM_OPEN" in str(exc)
            assert sum(paid.values()) + swept <= total
            assert drop.dist.facts().balance == total - sum(paid.values()) - swept
            assert all(drop.dist.is_claimed(i) == (i in paid) for i in range(len(drop.leaves)))
    finally:
        drop.chain.revert(snapshot)
