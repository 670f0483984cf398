"""An "ask the on-chain AI" step: a DPrompt request paid from the wallet, through the gateway.

The moves are the Wallet agent's like any other: approve REX for the RequestBook (exactly
the shortfall), deposit it as credit, then send the request; each is read from its bytes,
simulated and checked by the policy. The fee cap is the dearest active provider's price, so
whichever provider the mined request draws is accepted; the fee paid is the drawn one's.
"""

from __future__ import annotations

from typing import Any

from eth_utils.crypto import keccak

from rexos.agents.wallet import Move, WalletAgent
from rexos.chain.manifest import Manifest
from rexos.chain.tx import calldata
from rexos.dprompt import Client, model_key
from rexos.dprompt._base import ZERO_ADDRESS, read
from rexos.dprompt.client import no_provider_error
from rexos.errors import UsageError

__all__ = ["DEFAULT_MODEL", "ask_moves"]

DEFAULT_MODEL = "gemma-3-270m"


def ask_moves(
    agent: WalletAgent, manifest: Manifest, prompt: str, resolved: dict[str, str]
) -> list[Move]:
    """The moves that ask ``prompt`` of the default model; the fee cap goes in ``resolved``."""
    client = Client(agent.web3, manifest)
    key = model_key(DEFAULT_MODEL)
    active, max_bytes = read(client.models.functions.requestLimits(key), "model")
    if not active:
        raise UsageError(f"the model {DEFAULT_MODEL} is not registered on this chain")
    data = prompt.encode("utf-8")
    if len(data) > max_bytes:
        raise UsageError(f"the question is {len(data)} bytes; {DEFAULT_MODEL} takes {max_bytes}")
    provider, price = client.quote(DEFAULT_MODEL)
    if provider == ZERO_ADDRESS:
        raise no_provider_error(DEFAULT_MODEL)
    cap = int(resolved.get("max_fee", 0)) or max(price, client.price_ceiling(DEFAULT_MODEL))
    resolved["max_fee"] = str(cap)
    window = client.params()["minChallengeWindow"]
    book, rex = client.book, client.rex

    def approve() -> Any:
        short = cap - client.credit(agent.address)
        if short <= 0:
            return None
        return agent.plan_call(rex.address, 0, calldata(rex.functions.approve(book.address, short)))

    def deposit() -> Any:
        short = cap - client.credit(agent.address)
        if short <= 0:
            return None
        return agent.plan_call(book.address, 0, calldata(book.functions.deposit(short)))

    def request() -> Any:
        call = book.functions.request(key, keccak(data), data, cap, ZERO_ADDRESS, 0, 0, window)
        return agent.plan_call(book.address, 0, calldata(call))

    return [Move("approve", approve), Move("deposit", deposit), Move("request", request)]
