"""`rexos devnet up --backend pyevm`: the persistent node when anvil is not installed, with
its second chain (another py-evm server, another chain id) and its DPrompt provider node."""

from __future__ import annotations

from pathlib import Path

from web3 import HTTPProvider, Web3

from rexos.chain.devnet import PEER_CHAIN_ID
from tests.cli_process import rexos_in


def test_pyevm_devnet_outlives_commands(tmp_path: Path) -> None:
    rexos = rexos_in(tmp_path, MY_PASS="pw-pw-pw")

    up = rexos("devnet", "up", "--backend", "pyevm")
    try:
        assert up.returncode == 0, up.stderr
        assert "pyevm at http://127.0.0.1:" in up.stdout
        assert rexos("wallet", "new", "late", "--passphrase-env", "MY_PASS").returncode == 0
        funded = rexos("devnet", "fund", "late")
        assert funded.returncode == 0, funded.stderr
        assert "100,000" in rexos("wallet", "balance", "late").stdout
        staked = rexos("stake", "1000", "-w", "late", "--passphrase-env", "MY_PASS", "--yes")
        assert staked.returncode == 0, staked.stderr
        position = rexos("position", "late")
        assert "1,000.0000 sREX" in position.stdout
        status = rexos("devnet", "status")
        assert "pyevm devnet at http://127.0.0.1:" in status.stdout
        assert "DPrompt provider node: pid" in status.stdout and "alive" in status.stdout
        peer = status.stdout.split("Second chain devnet-b at ")[1].split()[0]
        assert Web3(HTTPProvider(peer)).eth.chain_id == PEER_CHAIN_ID
        main = next(x for x in status.stdout.splitlines() if x.startswith("Chain id"))
        assert f"Chain id {PEER_CHAIN_ID};" not in main
    finally:
        down = rexos("devnet", "down")
    assert "Stopped the pyevm devnet" in down.stdout
    assert rexos("devnet", "status").stdout.startswith("No devnet is running")
