"""`rexos devnet up` runs a DPrompt provider node, so a newcomer's first `rexos ask` is
answered: devnet up → wallet new → devnet fund → ask → devnet status → devnet down."""

from __future__ import annotations

from pathlib import Path

import pytest
from web3 import Web3

from rexos.chain import RpcChain, Transactor, dev_account, load_manifest
from rexos.chain.devnet import _alive  # a zombie left for a non-reaping init has stopped
from rexos.config import Settings
from rexos.deployment import dev_provider
from rexos.dprompt import Client, ProviderClient
from rexos.errors import UsageError
from tests.cli_process import rexos_in


def _web3(home: Path) -> Web3:
    from rexos.chain.devnet import rpc_url

    return RpcChain(rpc_url(Settings(home=home))).web3


def _client(home: Path) -> Client:
    web3 = _web3(home)
    return Client(web3, load_manifest(home / "deployments", int(web3.eth.chain_id)))


def _unbond_dev_provider(home: Path) -> None:
    web3 = _web3(home)
    registry = ProviderClient(web3, load_manifest(home / "deployments", int(web3.eth.chain_id)))
    signer = Transactor(web3, dev_provider())
    registry.request_withdrawal(signer, registry.status(signer.address).bonded)


def test_devnet_provider_node_answers_ask(tmp_path: Path) -> None:
    rexos = rexos_in(tmp_path, MY_PASS="pw-pw-pw")
    provider = dev_provider().address
    # scripted: the local Gemma model (when installed) is slow on a loaded 2-core machine
    up = rexos("devnet", "up", "--backend", "pyevm", "--provider", "scripted")
    pid = None
    try:
        assert up.returncode == 0, up.stderr
        assert f"DPrompt provider node {provider} serves gemma-3-270m" in up.stdout
        assert rexos("wallet", "new", "alice", "--passphrase-env", "MY_PASS").returncode == 0
        assert rexos("devnet", "fund", "alice").returncode == 0
        auth = ("-w", "alice", "--passphrase-env", "MY_PASS", "--yes")

        asked = rexos("ask", "What is the capital of Italy?", "--model", "gemma-3-270m", *auth)
        assert asked.returncode == 0, asked.stderr
        assert "Answer (" in asked.stdout, asked.stdout
        assert "scripted devnet answer" in asked.stdout
        assert f"Answered by {provider}" in asked.stdout

        status = rexos("devnet", "status")
        assert status.returncode == 0, status.stderr
        line = next(x for x in status.stdout.splitlines() if "DPrompt provider node" in x)
        assert "alive" in line and provider in line and "gemma-3-270m" in line
        assert "answered by the scripted model (--provider scripted)" in line
        pid = int(line.split("pid ")[1].split(",")[0])
        assert _alive(pid)

        # Once the devnet's provider unbonds its stake no one serves the model: both the
        # CLI and the client say so, and the client says what to do.
        _unbond_dev_provider(tmp_path)
        alone = rexos("ask", "Anyone there?", *auth)
        assert alone.returncode == 2
        assert "no active provider serves gemma-3-270m" in alone.stderr
        user = Transactor(_web3(tmp_path), dev_account(1))
        hint = r"`rexos devnet up` starts one.*`rexos provider register`"
        with pytest.raises(UsageError, match=hint):
            _client(tmp_path).ask(user, "gemma-3-270m", "hi", 10**18)
    finally:
        down = rexos("devnet", "down")
    assert down.returncode == 0, down.stderr
    assert f"Stopped the DPrompt provider node (pid {pid})" in down.stdout
    assert pid is not None and not _alive(pid)
