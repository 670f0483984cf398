"""The economy end to end on a real anvil node (installed from npm by `make test`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rexos.chain import AnvilChain, Transactor, dev_account
from rexos.economy.deploy import deploy_genesis, dev_roles
from rexos.economy.genesis import DAY, load_genesis
from rexos.economy.onchain import Economy
from rexos.errors import TransactionReverted
from tests.cli_process import rexos_in

pytestmark = [pytest.mark.anvil, pytest.mark.xdist_group("anvil")]

WAD = 10**18


def test_economy_on_anvil(anvil: AnvilChain) -> None:
    alice = dev_account(1)
    manifest = deploy_genesis(
        anvil, load_genesis(None), dev_account(0), dev_roles(), funded=[alice.address]
    )
    assert manifest.backend == "anvil"
    economy = Economy(anvil.web3, manifest)
    signer = Transactor(anvil.web3, alice)
    rex = economy.rex.functions

    economy.stake(signer, 1_000 * WAD)
    anvil.time_travel(40 * DAY)
    assert economy.position(alice.address).earned > 0

    supply_before = int(rex.totalSupply().call())
    outcome = economy.unstake(signer, 400 * WAD)
    assert outcome.deduction == 40 * WAD  # 10 % between 30 and 90 days
    assert outcome.burned == 20 * WAD
    assert outcome.received == 360 * WAD
    assert int(rex.totalSupply().call()) == supply_before - 20 * WAD
    assert int(rex.totalBurned().call()) == 20 * WAD

    with pytest.raises(TransactionReverted, match="StakedRex: INSUFFICIENT_STAKE"):
        signer.send(economy.staked.functions.unstake(10_000 * WAD), action="unstake")

    anvil.time_travel(manifest.tge + 365 * DAY - economy.now())
    team = next(row for row in economy.vesting_status() if row.bucket == "team_advisors")
    assert 0 < team.releasable < team.allocation
    released, _ = economy.release(signer, "team_advisors")
    assert released >= team.releasable
    assert economy.rex_balance(dev_roles()["team"]) == released


def test_devnet_up_and_down_with_anvil(tmp_path: Path) -> None:
    rexos = rexos_in(tmp_path)

    up = rexos("devnet", "up", "--backend", "anvil")
    try:
        assert up.returncode == 0, up.stderr
        assert "Deployment manifest:" in up.stdout
        manifests = sorted(p.name for p in (tmp_path / "deployments").glob("*.json"))
        assert manifests == ["31337.json", "31338.json"]  # the devnet and devnet-b
        status = rexos("vesting", "status")
        assert status.returncode == 0, status.stderr
        assert "team_advisors" in status.stdout
        again = rexos("devnet", "up")
        assert "already running" in again.stdout
    finally:
        down = rexos("devnet", "down")
    assert down.returncode == 0, down.stderr
    assert "Stopped the anvil devnet" in down.stdout
    assert not (tmp_path / "devnet.json").exists()
    after = rexos("vesting", "status")
    assert after.returncode == 2
    assert "no devnet running" in after.stderr
