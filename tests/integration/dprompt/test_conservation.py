"""Property test: REX is conserved across DPrompt stake, slash, burn and pay.

Random sequences of provider, requester, responder, challenger and committee
actions run on one embedded-chain deployment (reverted after every example).
After every step:

* the REX held by a fixed set of holders (all dev accounts, the registries, the
  book, sREX) plus ``RexToken.totalBurned()`` is what it was at the start;
* the ``ProviderRegistry`` holds exactly Σ (bonded + unbonding) of its providers;
* the ``RequestBook`` holds exactly Σ credits + the fees escrowed by open,
  answered and challenged requests + the bonds of open disputes;
* ``totalBurned`` grows only in ``resolve``, and exactly by the burned halves of
  the responder's slash or the upheld bond and of the silent members' penalties.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rexos.chain import Transactor, dev_account
from rexos.dprompt import Client, ProviderClient, RequestView, answer, load_dprompt_params
from rexos.errors import TransactionReverted
from rexos.llm import DEFAULT_MODEL_ID, ScriptedModel, greedy
from rexos.llm import output_hash as out_hash
from rexos.types import Address
from tests.devchain import dev_chain

REX = 10**18
PRICE = 2 * REX
ACCOUNTS = tuple(range(10))  # 0 is the deployer and treasury
FIRST_PROVIDERS = (1, 2, 3, 4, 5)
LATE_PROVIDERS = (6, 9)
REQUESTERS = (7, 8)
CHALLENGER = 8
QUESTION = "What is the capital of France? Answer in one word."
MODEL = ScriptedModel({QUESTION: "Paris"})
HONEST = answer(MODEL, QUESTION, greedy(seed=7))
WRONG = "Lyon"
ESCROWED = ("open", "answered", "challenged")
ACTIONS = (
    "register",
    "add_stake",
    "request_withdrawal",
    "withdraw",
    "deposit",
    "withdraw_credit",
    "ask",
    "respond_honest",
    "respond_wrong",
    "challenge",
    "resolve",
    "finalize",
    "refund",
    "time",
)


class Net:
    """deploy_all on an embedded chain; providers 1-5 staked, requesters 7 and 8 funded."""

    def __init__(self) -> None:
        funded = [Address(dev_account(i).address) for i in ACCOUNTS[1:]]
        self.chain, self.manifest = dev_chain(funded, dex=False)
        self.params = load_dprompt_params(None)
        self.client = Client(self.chain.web3, self.manifest)
        self.providers = ProviderClient(self.chain.web3, self.manifest)
        for i in FIRST_PROVIDERS:
            self.providers.register(self.tx(i), [DEFAULT_MODEL_ID], PRICE, 2_000 * REX)
        for i in REQUESTERS:
            self.client.deposit(self.tx(i), 1_000 * REX)
        self.addresses = [Address(dev_account(i).address) for i in ACCOUNTS]
        c = self.client
        self.holders = [
            *self.addresses,
            Address(c.registry.address),
            Address(c.book.address),
            Address(c.models.address),
            Address(self.manifest.address("StakedRex")),
        ]

    def tx(self, i: int) -> Transactor:
        return Transactor(self.chain.web3, dev_account(i))

    def index_of(self, address: str) -> int:
        return next(i for i in ACCOUNTS if dev_account(i).address == address)

    def travel_past(self, timestamp: int) -> None:
        now = self.client.now()
        if now <= timestamp:
            self.chain.time_travel(timestamp - now + 1)

    # ------------------------------------------------------------ reads

    def rex_of(self, address: str) -> int:
        return int(self.client.rex.functions.balanceOf(address).call())

    def burned(self) -> int:
        return int(self.client.rex.functions.totalBurned().call())

    def stake(self, i: int) -> tuple[int, int, int]:
        s = self.client.registry.functions.stakeOf(self.addresses[i]).call()
        return int(s[0]), int(s[1]), int(s[2])

    def registered(self) -> list[int]:
        return [i for i in ACCOUNTS if self.providers.status(self.addresses[i]).registered]

    def active(self, address: str) -> bool:
        key = self.client.registry.functions.modelsOf(address).call()
        return bool(key) and bool(self.client.registry.functions.isActive(address, key[0]).call())


class Run:
    """One example: the requests seen so far and the identities checked after each step."""

    def __init__(self, net: Net) -> None:
        self.net = net
        self.c = net.client
        self.views: dict[int, RequestView] = {}
        self.total = self.held() + net.burned()
        self.expected_burn = 0
        self.log: list[str] = []

    def held(self) -> int:
        return sum(self.net.rex_of(a) for a in self.net.holders)

    def check(self) -> None:
        net, c = self.net, self.c
        where = " -> ".join(self.log)
        assert self.held() + net.burned() == self.total, f"REX not conserved after {where}"
        stakes = sum(sum(net.stake(i)[:2]) for i in ACCOUNTS)
        assert net.rex_of(c.registry.address) == stakes, f"registry != Σ stakes after {where}"
        credits = sum(c.credit(a) for a in net.holders)
        fees = 0
        bonds = 0
        for rid, view in self.views.items():
            if view.status in ESCROWED:
                fees += view.fee
            if view.status == "challenged":
                bonds += c.dispute(rid).bond
        assert net.rex_of(c.book.address) == credits + fees + bonds, (
            f"book holds {net.rex_of(c.book.address)} but credits {credits} + fees {fees} + "
            f"bonds {bonds} after {where}"
        )

    def pick(self, status: str, seed: int) -> RequestView | None:
        found = [v for v in self.views.values() if v.status == status]
        return found[seed % len(found)] if found else None

    # ------------------------------------------------------------ actions

    def step(self, action: str, seed: int) -> None:
        burned = self.net.burned()
        self.expected_burn = 0
        done = getattr(self, action)(seed)
        self.log.append(f"{action}({seed}){'' if done else ' skipped'}")
        assert self.net.burned() - burned == self.expected_burn, (
            f"burned {self.net.burned() - burned}, expected {self.expected_burn} after "
            + " -> ".join(self.log)
        )
        self.check()

    def register(self, seed: int) -> bool:
        net = self.net
        free = [i for i in LATE_PROVIDERS if i not in net.registered()]
        if not free:
            return False
        i = free[seed % len(free)]
        net.providers.register(net.tx(i), [DEFAULT_MODEL_ID], PRICE, (1_500 + seed % 500) * REX)
        return True

    def add_stake(self, seed: int) -> bool:
        net = self.net
        providers = net.registered()
        i = providers[seed % len(providers)]
        amount = (seed % 300 + 1) * REX
        tx = net.tx(i)
        tx.send(self.c.rex.functions.approve(self.c.registry.address, amount), action="approve")
        tx.send(self.c.registry.functions.addStake(amount), action="add stake")
        return True

    def request_withdrawal(self, seed: int) -> bool:
        net = self.net
        floor = 1_600 * REX  # stays active and committee-eligible after a slash
        providers = [i for i in net.registered() if net.stake(i)[0] > floor]
        if not providers:
            return False
        i = providers[seed % len(providers)]
        amount = min((seed % 400 + 1) * REX, net.stake(i)[0] - floor)
        net.providers.request_withdrawal(net.tx(i), amount)
        return True

    def withdraw(self, seed: int) -> bool:
        net = self.net
        providers = [i for i in ACCOUNTS if net.stake(i)[1] > 0]
        if not providers:
            return False
        i = providers[seed % len(providers)]
        net.travel_past(net.stake(i)[2])
        net.providers.withdraw(net.tx(i))
        return True

    def deposit(self, seed: int) -> bool:
        i = REQUESTERS[seed % 2]
        amount = min((seed % 200 + 1) * REX, self.net.rex_of(self.net.addresses[i]))
        if amount == 0:
            return False
        self.c.deposit(self.net.tx(i), amount)
        return True

    def withdraw_credit(self, seed: int) -> bool:
        net = self.net
        holders = [i for i in ACCOUNTS if self.c.credit(net.addresses[i]) > 0]
        if not holders:
            return False
        i = holders[seed % len(holders)]
        credit = self.c.credit(net.addresses[i])
        self.c.withdraw_credit(net.tx(i), max(1, credit * (seed % 4 + 1) // 4))
        return True

    def ask(self, seed: int) -> bool:
        i = REQUESTERS[seed % 2]
        if self.c.credit(self.net.addresses[i]) < PRICE:
            return False
        view = self.c.ask(self.net.tx(i), DEFAULT_MODEL_ID, QUESTION, max_fee=PRICE)
        self.views[view.id] = view
        return True

    def _respond(self, seed: int, text: str, receipt: str | bytes) -> bool:
        net = self.net
        view = self.pick("open", seed)
        if view is None:
            return False
        responder = view.provider
        if not net.active(responder):
            others = [a for a in net.addresses if a != responder and net.active(a)]
            if not others:
                return False
            net.travel_past(view.deadline)
            responder = others[seed % len(others)]
        got = self.c.respond(net.tx(net.index_of(responder)), view, text, receipt)
        self.views[view.id] = got
        return True

    def respond_honest(self, seed: int) -> bool:
        return self._respond(seed, HONEST.text, HONEST.receipt_hash)

    def respond_wrong(self, seed: int) -> bool:
        return self._respond(seed, WRONG, bytes([seed % 255 + 1]) * 32)

    def challenge(self, seed: int) -> bool:
        net, c = self.net, self.c
        view = self.pick("answered", seed)
        challenger = net.addresses[CHALLENGER]
        if view is None or c.now() + 1 > view.responded_at + view.challenge_window:
            return False
        if c.credit(challenger) < c.bond(view):
            return False
        if sum(net.active(a) for a in net.addresses if a != view.responder) < 3:
            return False
        try:
            self.views[view.id] = c.challenge(net.tx(CHALLENGER), view)
        except TransactionReverted as e:  # the draw is random: too few distinct members
            assert "NO_COMMITTEE" in str(e)
            return False
        return True

    def resolve(self, seed: int) -> bool:
        """Commit and reveal a random vote per member (honest, the answer, or silent), resolve."""
        net, c = self.net, self.c
        view = self.pick("challenged", seed)
        if view is None:
            return False
        dispute = c.dispute(view.id)
        honest = out_hash(HONEST.text)
        votes: list[Any] = []
        for n, member in enumerate(dispute.committee):
            choice = (seed >> (2 * n)) % 3
            vote = (honest, "0x" + view.output_hash.hex(), None)[choice]
            votes.append(vote)
            if vote is not None:
                c.commit(net.tx(net.index_of(member)), view.id, vote, bytes([n + 1]) * 32)
        net.travel_past(dispute.commit_end)
        for n, member in enumerate(dispute.committee):
            if votes[n] is not None:
                c.reveal(net.tx(net.index_of(member)), view.id, votes[n], bytes([n + 1]) * 32)
        net.travel_past(dispute.reveal_end)
        penalty = net.params.book.no_reveal_penalty
        burn = 0
        for n, member in enumerate(dispute.committee):
            if votes[n] is None:
                taken = min(penalty, sum(net.stake(net.index_of(member))[:2]))
                burn += taken - taken // 2
        responder_stake = sum(net.stake(net.index_of(view.responder))[:2])
        result = c.resolve(net.tx(0), view)
        if result.outcome == "upheld":
            burn += dispute.bond - dispute.bond // 2
        elif result.outcome == "overturned":
            taken = min(net.params.book.slash_amount, responder_stake)
            assert result.slashed == taken
            burn += taken - taken // 2
        self.expected_burn = burn
        self.views[view.id] = result.request
        return True

    def finalize(self, seed: int) -> bool:
        view = self.pick("answered", seed)
        if view is None:
            return False
        self.net.travel_past(view.responded_at + view.challenge_window)
        self.views[view.id] = self.c.finalize(self.net.tx(0), view)
        return True

    def refund(self, seed: int) -> bool:
        view = self.pick("open", seed)
        if view is None:
            return False
        self.net.travel_past(view.deadline + self.c.params()["takeoverGrace"])
        self.views[view.id] = self.c.refund(self.net.tx(0), view)
        return True

    def time(self, seed: int) -> bool:
        self.net.chain.time_travel(seed % 400 + 1)
        return True


@pytest.fixture(scope="module")
def network() -> Net:
    return Net()


STEPS = st.lists(
    st.tuples(st.sampled_from(ACTIONS), st.integers(min_value=0, max_value=2**16)),
    min_size=4,
    max_size=10,
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps=STEPS)
def test_rex_is_conserved(network: Net, steps: list[tuple[str, int]]) -> None:
    snapshot = network.chain.snapshot()
    try:
        run = Run(network)
        run.check()
        for action, seed in steps:
            run.step(action, seed)
        for rid, view in run.views.items():
            assert network.client.get(rid) == view
    finally:
        network.chain.revert(snapshot)


def test_dispute_path_is_conserved(net: Net) -> None:
    """A fixed sequence through every settlement path, so none depends on the draw."""
    run = Run(net)
    run.check()
    for action, seed in [
        ("ask", 0),
        ("ask", 1),
        ("ask", 0),
        ("ask", 1),
        ("respond_wrong", 0),
        ("challenge", 0),
        ("resolve", 0),  # every member honest: overturned, responder slashed
        ("respond_honest", 0),
        ("challenge", 0),
        ("resolve", 1),  # member 0 votes the answer, others honest too: upheld
        ("respond_wrong", 0),
        ("challenge", 0),
        ("resolve", 2 | 2 << 2 | 2 << 4),  # all silent: no majority, all penalised
        ("refund", 0),
        ("request_withdrawal", 5),
        ("withdraw", 0),
        ("finalize", 0),
        ("withdraw_credit", 3),
    ]:
        run.step(action, seed)
    statuses = sorted(v.status for v in run.views.values())
    assert "refunded" in statuses
