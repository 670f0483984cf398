"""DPrompt deployed on an in-process py-evm chain, with the tools the tests share.

Genesis (REX + sREX) first, then ``ModelRegistry``, ``ProviderRegistry``,
``OpmlGame`` (the book opens it for OPML models) and ``RequestBook``; six staked
providers serve one LLM model, a requester and a challenger hold credit at the
book. Every call goes through the ``Transactor``
(simulation, gas estimate, decoded reverts); gas figures come from receipts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction

from rexos.chain import EmbeddedChain, Receipt, Transactor, dev_account, load_artifact
from rexos.economy import load_genesis
from rexos.economy.deploy import deploy_genesis, dev_roles
from rexos.errors import TransactionReverted

REX = 10**18
UNLIMITED = 2**256 - 1
LLM_MODEL = Web3.keccak(text="gemma-3-270m")
OPML_MODEL = Web3.keccak(text="opml-mlp")
WEIGHTS = Web3.keccak(text="weights")
MAX_PROMPT_BYTES = 256
MIN_STAKE = 1_000 * REX
PROVIDER_STAKE = 2_000 * REX
PRICE = 2 * REX
UNBONDING = 7 * 86_400
PROVIDERS = (1, 2, 3, 4, 5, 6)
REQUESTER = 7
CHALLENGER = 8
CREDIT = 1_000 * REX

PARAMS: dict[str, int] = {
    "treasuryBps": 500,
    "stakersBps": 1_000,
    "responseTimeout": 60,
    "takeoverGrace": 120,
    "minChallengeWindow": 60,
    "maxChallengeWindow": 86_400,
    "maxCallbackGas": 1_000_000,
    "minBond": 10 * REX,
    "bondMultiplier": 5,
    "committeeSize": 3,
    "commitPeriod": 300,
    "revealPeriod": 300,
    "slashAmount": 500 * REX,
    "noRevealPenalty": 100 * REX,
}
WINDOW = 600
GAME_ARITY = 16
MOVE_TIMEOUT = 300
PROMPT = b"What is the capital of France? Answer in one word."
REQUEST_FIELDS = (
    "requester",
    "fee",
    "modelId",
    "promptHash",
    "provider",
    "deadline",
    "callback",
    "callbackGasLimit",
    "callbackMode",
    "challengeWindow",
    "responder",
    "respondedAt",
    "status",
    "outputHash",
    "receiptHash",
)
OPEN, ANSWERED, CHALLENGED, FINAL, REFUNDED = range(5)
ON_ANSWER, ON_FINAL, BOTH = 1, 2, 3  # Request.callbackMode flags


def as_tuple(request: dict[str, Any]) -> tuple[Any, ...]:
    """The ``Request`` struct as the ABI encoder wants it."""
    return tuple(request[name] for name in REQUEST_FIELDS)


@dataclass(repr=False)
class DPrompt:
    """The whole DPrompt deployment on one embedded chain."""

    chain: EmbeddedChain
    rex: Contract
    staked: Contract
    models: Contract
    providers: Contract
    book: Contract
    game: Contract
    deployer: LocalAccount
    _signers: dict[str, Transactor] = field(default_factory=dict)

    @classmethod
    def create(cls) -> DPrompt:
        chain = EmbeddedChain()
        deployer = dev_account(0)
        funded = [dev_account(i).address for i in (*PROVIDERS, REQUESTER, CHALLENGER, 9)]
        manifest = deploy_genesis(chain, load_genesis(None), deployer, dev_roles(), funded=funded)
        tx = Transactor(chain.web3, deployer)
        rex = _bind(chain.web3, "RexToken", manifest.contracts["RexToken"])
        staked = _bind(chain.web3, "StakedRex", manifest.contracts["StakedRex"])
        models = tx.deploy("ModelRegistry", deployer.address)
        providers = tx.deploy(
            "ProviderRegistry", rex.address, models.address, deployer.address, MIN_STAKE, UNBONDING
        )
        game = tx.deploy("OpmlGame", deployer.address, GAME_ARITY, MOVE_TIMEOUT)
        book = tx.deploy(
            "RequestBook",
            rex.address,
            models.address,
            providers.address,
            staked.address,
            deployer.address,
            game.address,
            tuple(PARAMS.values()),
        )
        d = cls(chain, rex, staked, models, providers, book, game, deployer)
        d.send(deployer, models.functions.addModel(LLM_MODEL, WEIGHTS, 0, MAX_PROMPT_BYTES))
        d.send(deployer, models.functions.addModel(OPML_MODEL, WEIGHTS, 1, MAX_PROMPT_BYTES))
        d.send(deployer, providers.functions.setRequestBook(book.address))
        d.send(deployer, game.functions.setRequestBook(book.address))
        for i in PROVIDERS:
            p = dev_account(i)
            d.send(p, rex.functions.approve(providers.address, UNLIMITED))
            d.send(p, rex.functions.approve(book.address, UNLIMITED))
            d.send(p, providers.functions.register([LLM_MODEL], PRICE, PROVIDER_STAKE))
        for i in (REQUESTER, CHALLENGER):
            a = dev_account(i)
            d.send(a, rex.functions.approve(book.address, UNLIMITED))
            d.send(a, book.functions.deposit(CREDIT))
        return d

    # ------------------------------------------------------------ plumbing

    @property
    def web3(self) -> Web3:
        return self.chain.web3

    def signer(self, account: LocalAccount) -> Transactor:
        if account.address not in self._signers:
            self._signers[account.address] = Transactor(self.web3, account)
        return self._signers[account.address]

    def send(self, account: LocalAccount, call: ContractFunction) -> Receipt:
        return self.signer(account).send(call, action=call.fn_name)

    def reverts(self, account: LocalAccount, call: ContractFunction, reason: str) -> None:
        """Assert that ``call`` from ``account`` reverts with exactly ``reason``."""
        with pytest.raises(TransactionReverted) as info:
            self.send(account, call)
        assert info.value.reason == reason, info.value.reason

    def deploy(self, name: str, *args: Any) -> Contract:
        return self.signer(self.deployer).deploy(name, *args)

    def deploy_runtime(self, runtime: bytes) -> str:
        """Deploy a contract whose runtime code is ``runtime``; return its address."""
        size = len(runtime)
        init = bytes([0x60, size, 0x60, 0x0C, 0x60, 0x00, 0x39, 0x60, size, 0x60, 0x00, 0xF3])
        account = self.deployer
        tx = {
            "from": account.address,
            "data": init + runtime,
            "value": 0,
            "gas": 200_000,
            "chainId": self.web3.eth.chain_id,
            "nonce": self.web3.eth.get_transaction_count(account.address),
            "maxPriorityFeePerGas": 10**9,
            "maxFeePerGas": 10**11,
        }
        signed = account.sign_transaction(tx)
        tx_hash = self.web3.eth.send_raw_transaction(signed.raw_transaction)
        return str(self.web3.eth.wait_for_transaction_receipt(tx_hash)["contractAddress"])

    def now(self) -> int:
        return int(self.web3.eth.get_block("latest")["timestamp"])

    def travel_past(self, timestamp: int) -> None:
        """Mine a block strictly after ``timestamp``."""
        if self.now() <= timestamp:
            self.chain.time_travel(timestamp - self.now() + 1)

    @contextmanager
    def rollback(self) -> Iterator[None]:
        snapshot = self.chain.snapshot()
        try:
            yield
        finally:
            self.chain.revert(snapshot)

    # ------------------------------------------------------------ reads

    def balance(self, address: str) -> int:
        return int(self.rex.functions.balanceOf(address).call())

    def credit(self, address: str) -> int:
        return int(self.book.functions.creditOf(address).call())

    def burned(self) -> int:
        return int(self.rex.functions.totalBurned().call())

    def info(self, address: str) -> dict[str, Any]:
        keys = ("price", "answered", "timedOut", "slashed", "registered")
        return dict(zip(keys, self.providers.functions.infoOf(address).call(), strict=True))

    def bonded(self, address: str) -> int:
        return int(self.providers.functions.stakeOf(address).call()[0])

    # ------------------------------------------------------------ the protocol

    def request(
        self,
        account: LocalAccount | None = None,
        prompt: bytes = PROMPT,
        *,
        callback: str = "0x" + "00" * 20,
        callback_gas: int = 0,
        callback_mode: int | None = None,
        max_fee: int = PRICE,
        window: int = WINDOW,
        consumer: Contract | None = None,
    ) -> tuple[int, dict[str, Any], Receipt]:
        """Make a request; return its id, its ``Request`` and the receipt. A callback is
        called on answer unless ``callback_mode`` says otherwise. With ``consumer`` (an
        ``ExampleConsumer``) the consumer asks, called back on answer and on finality."""
        account = account or dev_account(REQUESTER)
        if consumer is not None:
            ask = consumer.functions.ask(LLM_MODEL, prompt.decode(), max_fee, callback_gas, window)
            receipt = self.send(account, ask)
            (event,) = receipt.events(self.book, "Requested")
            return int(event["id"]), dict(event["request"]), receipt
        if callback_mode is None:
            callback_mode = 0 if int(callback, 16) == 0 else ON_ANSWER
        call = self.book.functions.request(
            LLM_MODEL,
            Web3.keccak(prompt),
            prompt,
            max_fee,
            callback,
            callback_gas,
            callback_mode,
            window,
        )
        receipt = self.send(account, call)
        (event,) = receipt.events(self.book, "Requested")
        return int(event["id"]), dict(event["request"]), receipt

    def respond(
        self,
        account: LocalAccount,
        rid: int,
        request: dict[str, Any],
        output: bytes = b"Paris",
        receipt_hash: bytes = b"\x11" * 32,
    ) -> tuple[dict[str, Any], Receipt]:
        """Answer; return the updated ``Request`` and the receipt."""
        call = self.book.functions.respond(rid, as_tuple(request), output, receipt_hash)
        receipt = self.send(account, call)
        (event,) = receipt.events(self.book, "Responded")
        updated = {
            **request,
            "responder": event["responder"],
            "respondedAt": event["respondedAt"],
            "status": ANSWERED,
            "outputHash": Web3.keccak(output),
            "receiptHash": receipt_hash,
        }
        return updated, receipt

    def priority(self, request: dict[str, Any]) -> LocalAccount:
        return account_of(request["provider"])

    def other_provider(self, *excluded: str) -> LocalAccount:
        for i in PROVIDERS:
            if dev_account(i).address not in excluded:
                return dev_account(i)
        raise AssertionError("no provider left")


def account_of(address: str) -> LocalAccount:
    for i in range(10):
        if dev_account(i).address == address:
            return dev_account(i)
    raise AssertionError(f"{address} is not a development account")


def _bind(web3: Web3, name: str, address: str) -> Contract:
    return web3.eth.contract(address=address, abi=load_artifact(name).abi)
