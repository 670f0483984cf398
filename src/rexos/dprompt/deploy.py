"""Deploy DPrompt: the registries, ``OpmlGame``, ``RequestBook`` and the models.

On chain a model is known by ``keccak256(model id as UTF-8)`` (:func:`model_key`):
``"gemma-3-270m"`` → ``keccak256("gemma-3-270m")``. Its weights hash is the
32-byte sha256 of the weights file, as listed in ``[dprompt.models]``; for an
``opml`` model it is the key of its program in ``OpmlGame`` (``rexos.opml``
registers programs). An ``llm`` model that the model registry knows with a verification
policy is registered by its registration hash instead (:func:`registered_hash`), so the
chain commits to the tolerance its verifiers apply. For every ``opml`` model
:func:`deploy_dprompt` registers its
program (:data:`rexos.opml.PROGRAMS`) in the game, and refuses a genesis whose
``weights_sha256`` is not that program's key. The game splits a disputed interval into at most
:data:`OPML_ARITY` parts and gives each party ``commit_period`` seconds per move.
"""

from __future__ import annotations

from collections.abc import Callable

from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak

from rexos.chain.client import ChainClient
from rexos.chain.tx import Transactor
from rexos.dprompt.params import DPromptParams, ModelParams
from rexos.errors import ConfigError
from rexos.llm import default_registry
from rexos.opml import PROGRAMS
from rexos.opml.program import Program
from rexos.types import Address

__all__ = [
    "DPROMPT_CONTRACTS",
    "KIND_CODES",
    "OPML_ARITY",
    "deploy_dprompt",
    "model_key",
    "registered_hash",
]

DPROMPT_CONTRACTS = ("ModelRegistry", "ProviderRegistry", "OpmlGame", "RequestBook")
"""Manifest keys of the contracts :func:`deploy_dprompt` deploys."""

KIND_CODES = {"llm": 0, "opml": 1}
"""``IModelRegistry.Kind`` values of the genesis ``kind`` strings."""

OPML_ARITY = 16
"""Most sub-intervals one opML bisection move splits the disputed interval into."""


def model_key(model_id: str) -> bytes:
    """The on-chain ``bytes32`` id of ``model_id``: keccak256 of its UTF-8 bytes."""
    return keccak(model_id.encode("utf-8"))


def registered_hash(model: ModelParams) -> bytes:
    """The ``weightsHash`` ``addModel`` records: the listed weights sha256, or for an ``llm``
    model the registry holds with the same weights and a verification policy, its
    :attr:`~rexos.llm.ModelSpec.registration_hash` (weights + policy)."""
    if model.kind == "llm":
        try:
            spec = default_registry().get(model.model_id)
        except ConfigError:
            spec = None
        if spec is not None and spec.weights_sha256 == model.weights_sha256:
            return bytes.fromhex(spec.registration_hash[2:])
    return bytes.fromhex(model.weights_sha256)


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
    programs = {m.model_id: _program(m) for m in params.models if m.kind == "opml"}
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
    for model_id, program in programs.items():
        progress(f"registering the opML program of {model_id}")
        tx.send(game.functions.registerProgram(program.spec()), action="register a program")
    for model in params.models:
        progress(f"registering model {model.model_id}")
        call = models.functions.addModel(
            model_key(model.model_id),
            registered_hash(model),
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


def _program(model: ModelParams) -> Program:
    """The program of an ``opml`` model, checked against its genesis ``weights_sha256``."""
    if model.model_id not in PROGRAMS:
        raise ConfigError(f"opML model {model.model_id!r}: no program of that id in rexos.opml")
    program = PROGRAMS[model.model_id]()
    if program.key().hex() != model.weights_sha256:
        raise ConfigError(
            f"opML model {model.model_id!r}: weights_sha256 {model.weights_sha256} is not its "
            f"program's key {program.key().hex()}"
        )
    return program
