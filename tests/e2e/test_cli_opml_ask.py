"""`rexos ask --model opml-sentiment-v1` on a devnet: the devnet's provider node answers with
the opML VM, the label shown is Lense's, and `rexos dprompt challenge` of that (correct)
answer is refused with one line, exit code 2, and nothing changed on chain.

One ``rexos devnet up`` (py-evm, scripted LLM: the opML model never needs the LLM) serves
the module; every command is the real ``rexos`` in a child process."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from eth_utils.crypto import keccak

from rexos.chain import RpcChain, load_manifest
from rexos.chain.devnet import rpc_url
from rexos.chain.keystore import Keystore
from rexos.cli.opml_prompt import prompt_for
from rexos.config import Settings
from rexos.deployment import dev_provider
from rexos.dprompt import Client, ProviderClient
from rexos.lense.sentiment_model import load_model
from rexos.opml import ANSWERS, MODEL_ID, run, sentiment_program
from rexos.types import Address
from tests.cli_process import RexosRunner, rexos_in
from tests.e2e.test_cli_storage import _process_error

PASS = "pw-pw-pw"
AUTH = ("-w", "alice", "--passphrase-env", "MY_PASS", "--yes")
TEXT = "Ethereum ETF approved, inflows hit record as ETH rallies 12%"


@dataclass
class OpmlDevnet:
    rexos: RexosRunner
    home: Path
    alice: Address

    def client(self) -> Client:
        web3 = RpcChain(rpc_url(Settings(home=self.home))).web3
        return Client(web3, load_manifest(self.home / "deployments", int(web3.eth.chain_id)))


@pytest.fixture(scope="module")
def opml_devnet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpmlDevnet]:
    home = tmp_path_factory.mktemp("rexos-opml-home")
    # a cheap KDF, as the other e2e fixtures: every command unlocks it; `devnet up` funds it
    alice = Keystore(home / "keystore", kdf="pbkdf2", work_factor=2).create("alice", PASS)
    rexos = rexos_in(home, MY_PASS=PASS)
    up = rexos("devnet", "up", "--backend", "pyevm", "--provider", "scripted")
    try:
        assert up.returncode == 0, up.stderr
        assert "and 1 keystore wallets" in " ".join(up.stdout.split()), up.stdout
        yield OpmlDevnet(rexos, home, Address(alice.address))
    finally:
        down = rexos("devnet", "down")
        assert down.returncode == 0, down.stderr


def test_ask_opml_is_answered_with_the_vm_and_a_correct_answer_cannot_be_challenged(
    opml_devnet: OpmlDevnet,
) -> None:
    label = load_model().label(TEXT)
    assert label != "neutral"  # a label the classifier had to find, not its tie default
    asked = opml_devnet.rexos("ask", "--model", MODEL_ID, TEXT, *AUTH)
    assert asked.returncode == 0, asked.stderr
    said = " ".join(asked.stdout.split())
    provider = Address(dev_provider().address)
    assert f"Answer ({MODEL_ID}): {ANSWERS[label].decode()} ({label})" in said, said
    assert f"Answered by {provider}" in said
    found = re.search(r"Request (\d+) sent to " + MODEL_ID, said)
    assert found, said

    # on chain: the posted prompt carries Lense's feature counts, the answer is the VM's
    client = opml_devnet.client()
    view = client.get(int(found.group(1)))
    prompt = prompt_for(MODEL_ID, TEXT).encode()
    trace = run(sentiment_program(), prompt)
    assert view.status == "answered" and view.responder == provider
    assert view.prompt_hash == keccak(prompt)
    assert trace.output == ANSWERS[label] and view.output_hash == keccak(trace.output)
    assert view.receipt_hash == trace.receipt_hash()

    # challenging the correct answer could only lose the bond: refused, nothing sent
    registry = ProviderClient(client.web3, client.manifest)

    def state() -> tuple[object, ...]:
        return (
            client.web3.eth.get_transaction_count(opml_devnet.alice),
            client.rex.functions.balanceOf(opml_devnet.alice).call(),
            client.credit(opml_devnet.alice),
            client.book.functions.requestHash(view.id).call(),
            registry.status(provider).bonded,
        )

    before = state()
    refused = opml_devnet.rexos("dprompt", "challenge", str(view.id), *AUTH)
    line = _process_error(refused, f"request {view.id}", "what the program computes", "bond")
    assert repr(ANSWERS[label].decode()) in line
    assert state() == before
    assert client.get(view.id).status == "answered"
