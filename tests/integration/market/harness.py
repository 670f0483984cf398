"""The Agent Market deployed on an in-process py-evm chain, with the tools the tests share.

Genesis (REX + sREX) first, then ``AgentMarket`` through :func:`rexos.market.deploy_market`
(10 % to the sREX pool, 5 % to the treasury). A developer owns one listing with two
versions, run by an operator; two buyers hold credit. ``send`` goes through the
``Transactor`` (simulation, gas estimate, decoded reverts); ``execute`` sends a raw signed
transaction without them, and ``reason`` reads what a call would revert with, for the
many-step state machine.
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
from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as
from rexos.economy import load_genesis
from rexos.economy.deploy import deploy_genesis, dev_roles
from rexos.errors import TransactionReverted
from rexos.market import MarketClient, deploy_market
from rexos.types import Address

REX = 10**18
UNLIMITED = 2**256 - 1
POOL_BPS = 1_000
TREASURY_BPS = 500
PRICE = 2 * REX
CREDIT = 1_000 * REX
HOUR = 3_600
SPEC_V1 = bytes(Web3.keccak(text="rexos.agent/v1 dca v1"))
SPEC_V2 = bytes(Web3.keccak(text="rexos.agent/v1 dca v2"))
RESPONSE = bytes(Web3.keccak(text="response"))
DEVELOPER, OPERATOR, BUYER, BUYER2, OUTSIDER, TREASURY = (1, 2, 3, 4, 5, 9)
_MANUAL_GAS = 1_000_000
_PRIORITY_FEE_WEI = 1_000_000_000


def spec(text: str) -> bytes:
    """A stand-in spec hash."""
    return bytes(Web3.keccak(text=text))


@dataclass(repr=False)
class Market:
    """REX, sREX and the market on one embedded chain."""

    chain: EmbeddedChain
    manifest: Manifest
    client: MarketClient
    rex: Contract
    staked: Contract
    market: Contract
    deployer: LocalAccount
    _signers: dict[str, Transactor] = field(default_factory=dict)

    @classmethod
    def create(cls) -> Market:
        chain = EmbeddedChain()
        deployer = dev_account(0)
        funded = [dev_account(i).address for i in (DEVELOPER, OPERATOR, BUYER, BUYER2, OUTSIDER)]
        manifest = deploy_genesis(chain, load_genesis(None), deployer, dev_roles(), funded=funded)
        manifest.contracts.update(
            deploy_market(
                Transactor(chain.web3, deployer),
                manifest.address("RexToken"),
                manifest.address("StakedRex"),
                Address(dev_account(TREASURY).address),
                pool_bps=POOL_BPS,
                treasury_bps=TREASURY_BPS,
            )
        )
        client = MarketClient(chain.web3, manifest)
        staked = chain.web3.eth.contract(
            address=manifest.address("StakedRex"),
            abi=load_artifact("StakedRex").abi,
        )
        m = cls(chain, manifest, client, client.rex, staked, client.market, deployer)
        fn = m.market.functions
        m.send(m.account(DEVELOPER), fn.list(SPEC_V1, m.account(OPERATOR).address, PRICE))
        m.send(m.account(DEVELOPER), fn.addVersion(1, SPEC_V2))
        for i in (BUYER, BUYER2, OUTSIDER, DEVELOPER, OPERATOR):
            m.send(m.account(i), m.rex.functions.approve(m.market.address, UNLIMITED))
        for i in (BUYER, BUYER2):
            m.send(m.account(i), fn.deposit(CREDIT))
        return m

    # ------------------------------------------------------------ plumbing

    @staticmethod
    def account(index: int) -> LocalAccount:
        return dev_account(index)

    @property
    def web3(self) -> Web3:
        return self.chain.web3

    def signer(self, account: LocalAccount) -> Transactor:
        if account.address not in self._signers:
            self._signers[account.address] = Transactor(self.web3, account)
        return self._signers[account.address]

    def send(self, account: LocalAccount, call: ContractFunction) -> Receipt:
        """Simulate, send and mine ``call`` from ``account``."""
        return self.signer(account).send(call, action=call.fn_name)

    def reverts(self, account: LocalAccount, call: ContractFunction, reason: str) -> None:
        """Assert that sending ``call`` from ``account`` reverts with exactly ``reason``."""
        with pytest.raises(TransactionReverted) as info:
            self.send(account, call)
        assert info.value.reason == reason, info.value.reason

    def reason(self, account: LocalAccount, call: ContractFunction) -> str | None:
        """What ``call`` from ``account`` reverts with at the latest block (``None``: it passes)."""
        try:
            with reverts_as("probe"):
                call.call({"from": account.address})
        except TransactionReverted as exc:
            return exc.reason
        return None

    def execute(self, account: LocalAccount, call: ContractFunction) -> Any:
        """Send ``call`` as a raw transaction without simulation; it must succeed.
        Returns the raw receipt."""
        web3 = self.web3
        base_fee = int(web3.eth.get_block("latest").get("baseFeePerGas", 0) or 0)
        tx = {
            "to": call.address,
            "data": call._encode_transaction_data(),
            "value": 0,
            "gas": _MANUAL_GAS,
            "chainId": web3.eth.chain_id,
            "nonce": web3.eth.get_transaction_count(account.address),
            "maxPriorityFeePerGas": _PRIORITY_FEE_WEI,
            "maxFeePerGas": 2 * base_fee + _PRIORITY_FEE_WEI,
        }
        signed = account.sign_transaction(tx)
        raw = web3.eth.get_transaction_receipt(
            web3.eth.send_raw_transaction(signed.raw_transaction)
        )
        assert raw["status"] == 1, f"{call.fn_name} from {account.address} reverted"
        return raw

    def now(self) -> int:
        return int(self.web3.eth.get_block("latest")["timestamp"])

    def travel(self, seconds: int) -> int:
        return self.chain.time_travel(seconds)

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
        return int(self.market.functions.creditOf(address).call())

    def job(self, job_id: int) -> dict[str, Any]:
        keys = ("buyer", "expiry", "amount", "status", "score")
        return dict(zip(keys, self.market.functions.jobOf(job_id).call(), strict=True))

    def listing(self, listing_id: int = 1) -> dict[str, Any]:
        keys = ("owner", "operator", "price", "versions", "listed", "settledValue", "developerDue")
        raw = self.market.functions.listingOf(listing_id).call()
        return dict(zip(keys, raw, strict=True))

    def version(self, spec_hash: bytes) -> dict[str, Any]:
        keys = (
            "listingId",
            "index",
            "jobs",
            "settled",
            "settledValue",
            "ratings",
            "ratingWeight",
            "weightedScore",
        )
        return dict(zip(keys, self.market.functions.versionOf(spec_hash).call(), strict=True))

    def fees(self) -> tuple[int, int, int, int]:
        return tuple(int(v) for v in self.market.functions.fees().call())  # type: ignore[return-value]

    # ------------------------------------------------------------ the protocol

    def open(
        self,
        account: LocalAccount | None = None,
        spec_hash: bytes = SPEC_V2,
        max_price: int = PRICE,
        expiry: int | None = None,
    ) -> int:
        """Open a job; return its id."""
        account = account or self.account(BUYER)
        expiry = self.now() + HOUR if expiry is None else expiry
        receipt = self.send(account, self.market.functions.openJob(spec_hash, max_price, expiry))
        (event,) = receipt.events(self.market, "JobOpened")
        return int(event["jobId"])

    def settle(self, job_id: int, price: int = PRICE) -> Receipt:
        call = self.market.functions.settle(job_id, price, RESPONSE)
        return self.send(self.account(OPERATOR), call)
