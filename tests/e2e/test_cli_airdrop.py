"""``rexos airdrop`` on a py-evm devnet, as an operator and its users run it: a draft from
signed inputs, the appeal window, the tree built and its distributor deployed and funded from
the airdrop wallet, checks, a claim, a claim-and-stake, the sweep after the deadline; bad
input is one line, exit 2, and changes nothing on chain."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct

from rexos.chain import RpcChain, load_artifact, save_manifest
from rexos.chain.keystore import Keystore
from rexos.chain.manifest import Manifest, load_manifest
from rexos.cli.main import run
from rexos.types import Address
from tests.devchain import served_dev_chain
from tests.e2e.conftest import PASS_ENV, PASSPHRASE, CliResult

ROOT = Path(__file__).resolve().parents[2]
AUTH = ("--passphrase-env", PASS_ENV, "--yes")
REX = 10**18
DAY = 86_400
ATTESTER = Account.from_key(b"\x17" * 32)
STRANGER = "0x000000000000000000000000000000000000dEaD"

RULES = f"""
version = 1
name = "test"

[pool]
mode = "split"
pool_rex = 3000

[sybil]
max_cluster_size = 20
sweep_bps = 8000
appeal_window_seconds = 1209600
known_services = []

[[inputs]]
name = "kyc"
kind = "kyc"
attester = "{ATTESTER.address}"

[[inputs]]
name = "points"
kind = "points"
attester = "{ATTESTER.address}"
facts = ["loyalty_points"]

[[criteria]]
name = "kyc"
description = "exchange KYC with a UID and a deposit address"
sybil_exempt = true
all = [{{ fact = "kyc", op = ">", value = 0 }}]

[[criteria]]
name = "loyalty"
description = "loyalty points > 499"
all = [{{ fact = "loyalty_points", op = ">", value = 499 }}]

[[tiers]]
name = "kyc"
weight = 2
any = ["kyc"]

[[tiers]]
name = "basic"
weight = 1
any = ["loyalty"]
"""


@dataclass
class Drop:
    url: str
    home: Path
    chain: RpcChain
    manifest: Manifest
    alice: Address
    bob: Address

    def rex(self, who: str) -> int:
        token = self.chain.web3.eth.contract(
            address=self.manifest.address("RexToken"), abi=load_artifact("RexToken").abi
        )
        return int(token.functions.balanceOf(who).call())

    def staked(self, who: str) -> int:
        sr = self.chain.web3.eth.contract(
            address=self.manifest.address("StakedRex"), abi=load_artifact("StakedRex").abi
        )
        return int(sr.functions.balanceOf(who).call())


@pytest.fixture(scope="module")
def drop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Drop]:
    home = tmp_path_factory.mktemp("rexos-airdrop")
    keystore = Keystore(home / "keystore", kdf="pbkdf2", work_factor=2)
    alice = keystore.create("alice", PASSPHRASE).address
    bob = keystore.create("bob", PASSPHRASE).address
    with served_dev_chain([alice, bob]) as (server, chain, manifest):
        save_manifest(home / "deployments", manifest)
        yield Drop(server.url, home, chain, manifest, alice, bob)


@pytest.fixture
def net(drop: Drop, monkeypatch: pytest.MonkeyPatch) -> Iterator[Drop]:
    monkeypatch.setenv(PASS_ENV, PASSPHRASE)
    snapshot = drop.chain.snapshot()
    save_manifest(drop.home / "deployments", drop.manifest)
    yield drop
    drop.chain.revert(snapshot)
    for folder in ("wallet", "airdrop"):
        shutil.rmtree(drop.home / folder, ignore_errors=True)


@pytest.fixture
def cli(net: Drop, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def invoke(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            run(["--home", str(net.home), "--rpc", net.url, *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke


def _signed(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    digest = hashlib.sha256(path.read_bytes()).digest()
    signature = ATTESTER.sign_message(encode_defunct(primitive=digest)).signature.hex()
    path.with_name(path.name + ".sig").write_text("0x" + signature.removeprefix("0x") + "\n")
    return path


def _flat(text: str) -> str:
    """Console output with table borders and line breaks gone (a cell wraps its words)."""
    return " ".join(re.sub(r"[\u2500-\u257f]", " ", text).split())


def _final_csv(tmp_path: Path, net: Drop) -> Path:
    path = tmp_path / "final.csv"
    path.write_text(f"address,amount\n{net.alice},{1000 * REX}\n{net.bob},{500 * REX}\n"
                    f"{STRANGER},{250 * REX}\n")  # fmt: skip
    return path


def test_a_final_list_is_built_deployed_funded_claimed_staked_and_swept(
    cli, net: Drop, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    bucket = net.rex(net.manifest.accounts["airdrop"])
    built = cli("airdrop", "build", str(_final_csv(tmp_path, net)), "--days", "30")
    assert built.code == 0, built.err
    assert "3 allocations, 1,750.0000 REX in all" in built.out
    manifest = load_manifest(net.home / "deployments", net.manifest.chain_id)
    distributor = manifest.address("RexAirdrop")
    assert net.rex(distributor) == 1750 * REX
    assert net.rex(net.manifest.accounts["airdrop"]) == bucket - 1750 * REX
    assert manifest.genesis["airdrop"]["claims"] == 3

    checked = cli("airdrop", "check", "alice")
    assert checked.code == 0 and "1,000.0000 REX" in checked.out and "not claimed" in checked.out
    before = net.rex(net.alice)
    claimed = cli("airdrop", "claim", "-w", "alice", *AUTH)
    assert claimed.code == 0, claimed.err
    assert net.rex(net.alice) == before + 1000 * REX
    assert "claimed." in cli("airdrop", "check", net.alice).out
    again = cli("airdrop", "claim", "-w", "alice", *AUTH)
    assert again.code == 2 and "already claimed" in again.err
    assert len(again.err.strip().splitlines()) == 1

    staked = cli("airdrop", "claim", "-w", "bob", "--stake", *AUTH)
    assert staked.code == 0, staked.err
    assert net.staked(net.bob) == 500 * REX

    early = cli("airdrop", "sweep", "-w", "alice", *AUTH)
    assert early.code == 2 and "before its deadline" in early.err
    net.chain.time_travel(31 * DAY)
    treasury = net.rex(net.manifest.accounts["treasury"])
    swept = cli("airdrop", "sweep", "-w", "alice", *AUTH)
    assert swept.code == 0, swept.err
    assert net.rex(net.manifest.accounts["treasury"]) == treasury + 250 * REX
    assert net.rex(distributor) == 0


def test_a_draft_from_signed_inputs_is_built_only_after_its_appeal_window(
    cli, net: Drop, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    kyc = _signed(tmp_path / "kyc.csv",
                  f"address,uid,deposit_address\n{net.alice},U-1,{STRANGER}\n")  # fmt: skip
    points = _signed(tmp_path / "points.csv",
                     f"address,loyalty_points\n{net.alice},10\n{net.bob},500\n"
                     "0x00000000000000000000000000000000000000aa,499\n")  # fmt: skip
    now = str(int(net.chain.web3.eth.get_block("latest")["timestamp"]))
    drafted = cli("airdrop", "draft", "--rules", str(rules), "--date", now,
                  "--input", f"kyc={kyc}", "--input", f"points={points}")  # fmt: skip
    assert drafted.code == 0, drafted.err
    assert "2 eligible (1 basic, 1 kyc)" in drafted.out
    draft = json.loads((net.home / "airdrop" / f"draft-{net.manifest.chain_id}.json").read_text())
    amounts = {e["address"]: int(e["amount"]) for e in draft["eligible"]}
    assert amounts == {net.alice: 2000 * REX, net.bob: 1000 * REX}  # 2:1 by tier weight

    draft_file = net.home / "airdrop" / f"draft-{net.manifest.chain_id}.json"
    early = cli("airdrop", "build", str(draft_file), "--rules", str(rules))
    assert early.code == 2 and "appeal window is open" in early.err
    net.chain.time_travel(15 * DAY)
    built = cli("airdrop", "build", str(draft_file), "--rules", str(rules))
    assert built.code == 0, built.err
    assert "2 allocations, 3,000.0000 REX in all" in built.out

    points.write_text(f"address,loyalty_points\n{net.bob},900000\n")  # edited after signing
    tampered = cli("airdrop", "draft", "--rules", str(rules), "--date", now,
                   "--input", f"kyc={kyc}", "--input", f"points={points}")  # fmt: skip
    assert tampered.code == 2 and "not signed by the attester" in tampered.err


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("address,amount\n{a},1\n{a},2\n", "allocated twice"),
        ("addr,amt\n{a},1\n", "header must be address,amount"),
        ("address,amount\n{a},1.5\n", "whole number of wei"),
        ("address,amount\n{a},0\n", "must be positive"),
        ("address,amount\n", "no allocation"),
    ],
)
def test_a_bad_final_list_is_one_line_and_deploys_nothing(
    cli, net: Drop, tmp_path: Path, body: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.csv"
    path.write_text(body.format(a=net.alice))
    nonce = net.chain.web3.eth.get_transaction_count(net.manifest.accounts["treasury"])
    got = cli("airdrop", "build", str(path))
    assert got.code == 2 and message in got.err, got.err
    assert len(got.err.strip().splitlines()) == 1
    assert net.chain.web3.eth.get_transaction_count(net.manifest.accounts["treasury"]) == nonce
    assert not (net.home / "airdrop" / f"{net.manifest.chain_id}.json").exists()


def test_claims_need_a_built_airdrop_and_an_allocation(cli, net: Drop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    none = cli("airdrop", "claim", "-w", "alice", *AUTH)
    assert none.code == 2 and "rexos airdrop build" in none.err
    path = tmp_path / "one.csv"
    path.write_text(f"address,amount\n{net.bob},{REX}\n")
    assert cli("airdrop", "build", str(path)).code == 0
    missing = cli("airdrop", "claim", "-w", "alice", *AUTH)
    assert missing.code == 2 and "has no allocation" in missing.err
    assert "has no allocation" in cli("airdrop", "check", "alice").out


def test_claim_my_airdrop_in_chat_claims_through_the_gateway(
    cli, net: Drop, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    before_any = cli("chat", "-w", "alice", "-m", "claim my airdrop", *AUTH)
    assert before_any.code == 1 and "no airdrop to claim" in _flat(before_any.out)
    assert cli("airdrop", "build", str(_final_csv(tmp_path, net))).code == 0
    before = net.rex(net.alice)
    said = cli("chat", "-w", "alice", "-m", "claim my airdrop", *AUTH)
    assert said.code == 0, said.out + said.err
    assert net.rex(net.alice) == before + 1000 * REX
    again = cli("chat", "-w", "alice", "-m", "claim my airdrop", *AUTH)
    assert again.code == 1 and "already claimed" in _flat(again.out)
    assert net.rex(net.alice) == before + 1000 * REX


def test_an_airdrop_file_naming_another_distributor_is_refused(
    cli, net: Drop, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    assert cli("airdrop", "build", str(_final_csv(tmp_path, net))).code == 0
    path = net.home / "airdrop" / f"{net.manifest.chain_id}.json"
    data = json.loads(path.read_text())
    data["distributor"] = "0x000000000000000000000000000000000000bad0"  # not hashed: checked
    path.write_text(json.dumps(data))
    before = net.rex(net.alice)
    got = cli("airdrop", "claim", "-w", "alice", *AUTH)
    assert got.code == 2 and "names distributor" in got.err
    assert net.rex(net.alice) == before


def test_binding_delivery_to_a_sanctioned_address_is_refused(
    cli, net: Drop, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    assert cli("airdrop", "build", str(_final_csv(tmp_path, net))).code == 0
    sanctioned = next(
        line.split()[0]
        for line in (ROOT / "src/rexos/compliance/data/ofac_sdn_evm.txt").read_text().splitlines()
        if line.startswith("0x")
    )
    nonce = net.chain.web3.eth.get_transaction_count(net.alice)
    got = cli("airdrop", "bind", sanctioned, "-w", "alice", *AUTH)
    assert got.code == 2 and "sanctions" in got.err, got.err
    assert net.chain.web3.eth.get_transaction_count(net.alice) == nonce
    assert "bound" not in cli("airdrop", "check", "alice").out


def test_a_draft_reading_transfers_from_after_its_snapshot_is_one_line(
    cli, net: Drop, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    kyc = _signed(
        tmp_path / "kyc.csv", f"address,uid,deposit_address\n{net.alice},U-1,{STRANGER}\n"
    )
    points = _signed(tmp_path / "points.csv", f"address,loyalty_points\n{net.bob},500\n")
    now = str(int(net.chain.web3.eth.get_block("latest")["timestamp"]))
    got = cli("airdrop", "draft", "--rules", str(rules), "--date", now, "--since-block",
              "999999", "--input", f"kyc={kyc}", "--input", f"points={points}")  # fmt: skip
    assert got.code == 2 and "after the snapshot's block" in got.err
    assert len(got.err.strip().splitlines()) == 1
    assert not (net.home / "airdrop" / f"draft-{net.manifest.chain_id}.json").exists()
