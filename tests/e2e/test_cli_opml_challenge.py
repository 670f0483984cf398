"""`rexos dprompt challenge` on an opML request whose provider cheated: the real ``rexos`` (a
child process) checks the answer with the VM, opens the game and plays the challenger's side
against the cheater (a thread here, playing its made-up trace) until the contract re-executes
the disputed step; the cheater is slashed. On a py-evm devnet served over JSON-RPC."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from rexos.chain import RpcChain, Transactor
from rexos.chain.keystore import Keystore
from rexos.cli.console import rex
from rexos.cli.opml_prompt import prompt_for
from rexos.dprompt import Client
from rexos.lense.sentiment_model import load_model
from rexos.opml import ANSWERS, MODEL_ID, GameContract, Player, Trace, run, sentiment_program
from tests.cli_process import rexos_in
from tests.e2e.conftest import PASS_ENV, PASSPHRASE
from tests.e2e.dprompt_fixtures import DPromptNet, devnet
from tests.e2e.test_cli_storage import _process_error

__all__ = ["devnet"]  # the DPrompt devnet overrides the conftest one in this module

REX = 10**18
HEADLINE = "Bridge exploited, $40 million drained; token crashes 60%"
ALICE = ("--wallet", "alice", "--passphrase-env", PASS_ENV, "--yes")


def _lie(honest: Trace) -> Trace:
    """``honest`` with its answer byte turned positive in the last memory only: a cheater's
    made-up trace, consistent up to the last step."""
    last = list(honest.memories[-1])
    last[honest.program.out_start] = ANSWERS["positive"][0]
    return Trace(honest.program, honest.prompt, [*honest.memories[:-1], tuple(last)])


class Cheater:
    """bob playing his side of the game of ``request_id`` from ``trace``, in a thread with its
    own connection, until the game is over (errors kept for the test to raise)."""

    def __init__(self, net: DPromptNet, request_id: int, trace: Trace) -> None:
        web3 = RpcChain(net.url).web3
        self.client = Client(web3, net.manifest)
        self.game = GameContract(web3, net.manifest.address("OpmlGame"))
        self.player = Player(self.game, Transactor(web3, net.bob_account), trace)
        self.request_id = request_id
        self.moves: list[str] = []
        self.error: BaseException | None = None
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._play, daemon=True)

    def _play(self) -> None:
        try:
            while not self.stop.is_set():
                if self.client.get(self.request_id).status == "challenged":
                    if self.game.result(self.request_id)[0]:
                        return
                    move = self.player.move(self.request_id)
                    if move is not None:
                        self.moves.append(move.name)
                self.stop.wait(0.2)
        except BaseException as exc:  # re-raised by the test in __exit__
            self.error = exc

    def __enter__(self) -> Cheater:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join(timeout=30)
        if self.error is not None:
            raise self.error


@pytest.fixture
def asked(net: DPromptNet) -> Iterator[tuple[int, Trace]]:
    """bob, the only provider of the opML model, answers alice's headline with ``_lie``;
    alice holds credit for the bond. Yields the request id and the honest trace."""
    client = net.client()
    net.providers().register(net.bob_tx(), [MODEL_ID], 2 * REX, 1_000 * REX)
    alice = Transactor(net.chain.web3, Keystore(net.home / "keystore").unlock("alice", PASSPHRASE))
    client.deposit(alice, 100 * REX)
    prompt = prompt_for(MODEL_ID, HEADLINE)
    view = client.ask(alice, MODEL_ID, prompt, 2 * REX)
    assert view.provider == net.bob
    yield view.id, run(sentiment_program(), prompt.encode())


def _respond(net: DPromptNet, request_id: int, trace: Trace) -> None:
    client = net.client()
    client.respond(
        net.bob_tx(), client.get(request_id), trace.output.decode("latin-1"), trace.receipt_hash()
    )


def test_challenge_plays_the_game_and_the_cheater_is_slashed(
    net: DPromptNet, asked: tuple[int, Trace]
) -> None:
    request_id, honest = asked
    assert load_model().label(HEADLINE) == "negative" and honest.output == ANSWERS["negative"]
    lie = _lie(honest)
    _respond(net, request_id, lie)
    client = net.client()
    registry = net.providers()
    game = GameContract(client.web3, net.manifest.address("OpmlGame"))
    bonded, credit = registry.status(net.bob).bonded, client.credit(net.alice)
    balance = int(client.rex.functions.balanceOf(net.alice).call())
    view = client.get(request_id)
    bond, slash = client.bond(view), client.params()["slashAmount"]

    rexos = rexos_in(net.home, **{PASS_ENV: PASSPHRASE})
    with Cheater(net, request_id, lie) as cheater:
        played = rexos("--rpc", net.url, "dprompt", "challenge", str(request_id), *ALICE)
    assert played.returncode == 0, (played.stdout, played.stderr)
    said = " ".join(played.stdout.split())
    assert f"Challenged request {request_id} with a bond of {rex(bond)}" in said
    assert "the answer '+' is not the program's '-'" in said and "opML game is open" in said
    assert "prove" in said  # the challenger's one-step proof ended it
    assert f"Game over: the challenger won; request {request_id} overturned" in said, said
    assert cheater.moves and cheater.moves[0] == "claim"  # the cheater did play

    # on chain: the game is lost by the cheater, the request refunded, bob slashed
    assert game.result(request_id) == (True, False)
    after = client.get(request_id)
    assert after.status == "refunded"
    slashed = bonded - registry.status(net.bob).bonded
    assert slashed == min(slash, bonded) and slashed > 0
    assert f"responder slashed {rex(slashed)}" in said
    assert client.credit(net.alice) == credit + view.fee  # bond back, fee refunded
    assert int(client.rex.functions.balanceOf(net.alice).call()) == balance + slashed // 2


def test_challenge_of_a_correct_answer_is_refused_and_changes_nothing(
    net: DPromptNet, asked: tuple[int, Trace]
) -> None:
    request_id, honest = asked
    _respond(net, request_id, honest)
    client = net.client()

    def state() -> tuple[object, ...]:
        return (
            client.web3.eth.get_transaction_count(net.alice),
            client.rex.functions.balanceOf(net.alice).call(),
            client.credit(net.alice),
            client.book.functions.requestHash(request_id).call(),
            net.providers().status(net.bob).bonded,
        )

    before = state()
    rexos = rexos_in(net.home, **{PASS_ENV: PASSPHRASE})
    refused = rexos("--rpc", net.url, "dprompt", "challenge", str(request_id), *ALICE)
    _process_error(refused, f"request {request_id}", "what the program computes ('-')", "bond")
    assert state() == before
    assert client.get(request_id).status == "answered"
