"""Deploy DPrompt: the registries, ``OpmlGame``, ``RequestBook`` and the models.

On chain a model is known by ``keccak256(model id as UTF-8)`` (:func:`model_key`):
``"gemma-3-270m"`` → ``keccak256("gemma-3-270m")``. Its weights hash is the
32-byte sha256 of the weights file, as listed in ``[dprompt.models]``; for an
``opml`` model it is the key of its program in ``OpmlGame`` (``rexos.opml``
registers programs). The game splits a disputed interval into at most
:data:`OPML_ARITY` parts and gives each party ``commit_period`` seconds per move.
"""

from __future__ import annotations

from collections.abc import Callable

from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak

from rexos.chain.client import ChainClient
from rexos.chain.tx import Transactor
from rexos.dprompt.params import DPromptParams
from rexos.types import Address

__all__ = ["DPROMPT_CONTRACTS", "KIND_CODES", "OPML_ARITY", "deploy_dprompt", "model_key"]

DPROMPT_CONTRACTS = ("ModelRegistry", "ProviderRegistry", "OpmlGame", "RequestBook")
"""Manifest keys of the contracts :func:`deploy_dprompt` deploys."""

KIND_CODES = {"llm": 0, "opml": 1}
"""``IModelRegistry.Kind`` values of the genesis ``kind`` strings."""

OPML_ARITY = 16
"""Most sub-intervals one opML bisection move splits the disputed interval into."""


def model_key(model_id: str) -> bytes:
    """The on-chain ``bytes32`` id of ``model_id``: keccak256 of its UTF-8 bytes."""
    return keccak(model_id.encode("utf-8"))


def _quiet(_: str) -> None:
    """Default progress callback: say nothing."""


def deploy_dprompt(
    chain: ChainClient,
    deployer: LocalAccount,
    rex: Address,
    staked: Address,
    treasury: Address,
    params: DPromptParams,
    *,
    progress: Callable[[str], None] = _quiet,
) -> dict[str, Address]:
    """Deploy the DPrompt contracts over REX and sREX; return name → address.

    ``deployer`` owns both registries and names the book to the game; the book pays
    ``treasury`` its share of fees.
    """
    tx = Transactor(chain.web3, deployer)
    progress("deploying ModelRegistry")
    models = tx.deploy("ModelRegistry", deployer.address)
    progress("deploying ProviderRegistry")
    providers = tx.deploy(
        "ProviderRegistry",
        rex,
        models.address,
        deployer.address,
        params.min_stake,
        params.unbonding_period,
    )
    progress("deploying OpmlGame")
    game = tx.deploy("OpmlGame", deployer.address, OPML_ARITY, params.book.commit_period)
    progress("deploying RequestBook")
    book = tx.deploy(
        "RequestBook",
        rex,
        models.address,
        providers.address,
        staked,
        treasury,
        game.address,
        params.book.as_tuple(),
    )
    tx.send(providers.functions.setRequestBook(book.address), action="set the request book")
    tx.send(game.functions.setRequestBook(book.address), action="set the game's request book")
    for model in params.models:
        progress(f"registering model {model.model_id}")
        call = models.functions.addModel(
            model_key(model.model_id),
            bytes.fromhex(model.weights_sha256),
            KIND_CODES[model.kind],
            model.max_prompt_bytes,
        )
        tx.send(call, action=f"register model {model.model_id}")
    return {
        "ModelRegistry": Address(models.address),
        "ProviderRegistry": Address(providers.address),
        "OpmlGame": Address(game.address),
        "RequestBook": Address(book.address),
    }
