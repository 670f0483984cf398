"""``Client.get`` reads a request's events and its stored hash at one block (issue 11).

``rexos ask`` polls ``Client.get`` while a provider answers. The read is several
JSON-RPC calls (the lifecycle events, then the stored hash); a block mined between
them used to make the events say "open" and the hash say "answered", and the read
failed with "its events do not match the stored hash". Here the provider's answer is
mined at a chosen point *inside* one ``get``, by a web3 middleware that sends a
pre-signed ``respond`` transaction right after the k-th request; the embedded py-evm
chain mines it at once. Whatever k, the read is the request as of one block: still
open (the block before the answer) or answered (the block after), never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

import pytest
from eth_typing import HexStr
from hexbytes import HexBytes
from web3 import Web3
from web3.middleware import Web3Middleware
from web3.types import RPCEndpoint, RPCResponse

from rexos.chain import Transactor, dev_account
from rexos.dprompt import Client, ProviderClient, RequestView, receipt_hash
from rexos.llm import DEFAULT_MODEL_ID, GEMMA_270M_SHA256, greedy
from rexos.llm import output_hash as out_hash
from rexos.llm import prompt_hash as p_hash
from rexos.types import Address
from tests.devchain import dev_chain

REX = 10**18
PRICE = 2 * REX
PROVIDERS = (1, 2)
REQUESTER = 7
QUESTION = "What is the capital of France? Answer in one word."
ANSWER = "Paris"


class Net:
    """deploy_dev on an embedded chain, two staked providers, one requester with credit."""

    def __init__(self) -> None:
        funded = [Address(dev_account(i).address) for i in (*PROVIDERS, REQUESTER)]
        self.chain, self.manifest = dev_chain(funded, dex=False)
        self.web3: Web3 = self.chain.web3
        self.client = Client(self.web3, self.manifest)
        providers = ProviderClient(self.web3, self.manifest)
        for i in PROVIDERS:
            providers.register(self.tx(i), [DEFAULT_MODEL_ID], PRICE, 2_000 * REX)
        self.client.deposit(self.tx(REQUESTER), 100 * REX)

    def tx(self, i: int) -> Transactor:
        return Transactor(self.web3, dev_account(i))


@pytest.fixture(scope="module")
def network() -> Net:
    return Net()


def _signed_answer(net: Net, asked: RequestView) -> tuple[HexStr, HexBytes]:
    """The priority provider's ``respond`` to ``asked``, signed but not sent: (raw, hash)."""
    account = next(dev_account(i) for i in PROVIDERS if dev_account(i).address == asked.provider)
    params = greedy(seed=7)
    receipt = receipt_hash(GEMMA_270M_SHA256, p_hash(QUESTION), params.hash(), 7, out_hash(ANSWER))
    call = net.client.book.functions.respond(
        asked.id, asked.as_struct(), ANSWER.encode(), bytes.fromhex(receipt[2:])
    )
    tx = call.build_transaction(
        {
            "from": account.address,
            "nonce": net.web3.eth.get_transaction_count(account.address),
            "gas": 1_000_000,
            "chainId": net.web3.eth.chain_id,
        }
    )
    signed = account.sign_transaction(cast(dict[str, Any], tx))
    return HexStr("0x" + bytes(signed.raw_transaction).hex()), HexBytes(signed.hash)


@contextmanager
def _answer_mined_after(web3: Web3, after: int | None, raw: HexStr) -> Iterator[list[str]]:
    """Record the JSON-RPC methods called; right after the ``after``-th, send ``raw``."""
    seen: list[str] = []

    class Race(Web3Middleware):
        def wrap_make_request(self, make_request: Callable[..., Any]) -> Callable[..., Any]:
            def middleware(method: RPCEndpoint, params: Any) -> RPCResponse:
                response: RPCResponse = make_request(method, params)
                seen.append(str(method))
                if len(seen) == after:
                    sent = make_request(RPCEndpoint("eth_sendRawTransaction"), [raw])
                    assert "error" not in sent, sent
                return response

            return middleware

    web3.middleware_onion.add(Race, name="race")
    try:
        yield seen
    finally:
        web3.middleware_onion.remove("race")


def _asked(net: Net) -> RequestView:
    return net.client.ask(net.tx(REQUESTER), DEFAULT_MODEL_ID, QUESTION, max_fee=PRICE)


def test_an_answer_mined_after_the_events_are_read_is_not_a_mismatch(net: Net) -> None:
    """The old failure: events read at block N, the answer mined at N + 1, the hash read."""
    c, web3 = net.client, net.web3
    asked = _asked(net)
    before = int(web3.eth.block_number)
    raw, tx_hash = _signed_answer(net, asked)
    with _answer_mined_after(web3, None, raw) as dry_run:
        assert c.get(asked.id) == asked
    assert "eth_getLogs" in dry_run
    last_events = max(n for n, method in enumerate(dry_run, 1) if method == "eth_getLogs")
    assert last_events < len(dry_run)  # the stored hash is read after the events

    with _answer_mined_after(web3, last_events, raw):
        got = c.get(asked.id)

    assert web3.eth.get_transaction_receipt(tx_hash)["blockNumber"] == before + 1
    assert got == asked  # the request as of block N: still open
    answered = c.get(asked.id)
    assert answered.status == "answered" and answered.output == ANSWER
    assert c.get(asked.id, block=before) == asked
    assert c.get(asked.id, block=before + 1) == answered


def test_every_interleaving_reads_one_block(net: Net) -> None:
    """The answer mined before the read, or after any of its requests: open or answered."""
    c, web3 = net.client, net.web3
    asked = _asked(net)
    raw, tx_hash = _signed_answer(net, asked)
    with _answer_mined_after(web3, None, raw) as dry_run:
        c.get(asked.id)
    seen: dict[int, str] = {}
    for after in range(len(dry_run) + 1):
        snapshot = net.chain.snapshot()
        try:
            if after == 0:
                web3.eth.send_raw_transaction(raw)
            with _answer_mined_after(web3, after, raw):
                got = c.get(asked.id)
            assert web3.eth.get_transaction_receipt(tx_hash)["status"] == 1
            answered = c.get(asked.id)
            assert answered.status == "answered"
            assert got in (asked, answered), f"answer mined after request {after}: {got}"
            seen[after] = got.status
        finally:
            net.chain.revert(snapshot)
    assert seen[0] == "answered" and seen[len(dry_run)] == "open"
