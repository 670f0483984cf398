"""A snapshot on a real in-process chain: the block of a date, REX balances at that block by
archive reads and by transfer replay (the same answer), ETH funding edges, and a whole run
from signed inputs to the final list."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct

from rexos.airdrop.eligibility import draft, finalize
from rexos.airdrop.inputs import signature_path
from rexos.airdrop.rules import OnchainSpec, load_rules
from rexos.airdrop.snapshot import find_block, onchain_facts, take_snapshot
from rexos.airdrop.sybil import clusters
from rexos.airdrop.transfers import eth_transfers, replay_erc20, token_transfers
from rexos.chain import EmbeddedChain, dev_account
from rexos.errors import UsageError
from rexos.types import Address, parse_address
from tests.devchain import dev_chain

ATTESTER = Account.from_key("0x" + "11" * 32)
A = Address(dev_account(3).address)
B = Address(dev_account(4).address)
C = parse_address("0x" + "c3" * 20)
D = parse_address("0x" + "d4" * 20)
REX = 10**18
_TRANSFER_ABI = [
    {
        "type": "function",
        "name": "transfer",
        "stateMutability": "nonpayable",
        "inputs": [{"name": "to", "type": "address"}, {"name": "amount", "type": "uint256"}],
        "outputs": [{"name": "", "type": "bool"}],
    }
]


@dataclass(frozen=True)
class History:
    chain: EmbeddedChain
    token: Address
    treasury: Address
    first: int
    second: int
    stamps: dict[int, int]


@pytest.fixture(scope="module")
def history() -> History:
    """The airdrop account pays A 100 REX; an hour later A pays B 40; then the treasury funds
    C and D with ETH."""
    chain, manifest = dev_chain(dex=False)
    web3 = chain.web3
    rex = manifest.contracts["RexToken"]
    token = web3.eth.contract(address=rex, abi=_TRANSFER_ABI)
    treasury = manifest.accounts["treasury"]
    chain.time_travel(3600)
    token.functions.transfer(A, 100 * REX).transact({"from": manifest.accounts["airdrop"]})
    first = int(web3.eth.block_number)
    chain.time_travel(3600)
    token.functions.transfer(B, 40 * REX).transact({"from": A})
    second = int(web3.eth.block_number)
    for wallet in (C, D):
        web3.eth.send_transaction({"from": treasury, "to": wallet, "value": REX // 10})
    head = int(web3.eth.block_number)
    stamps = {n: int(web3.eth.get_block(n)["timestamp"]) for n in range(head + 1)}
    return History(chain, rex, treasury, first, second, stamps)


def test_find_block_on_a_real_chain(history: History) -> None:
    web3, stamps = history.chain.web3, history.stamps
    first = history.first
    assert find_block(web3, stamps[first]) <= first
    assert stamps[find_block(web3, stamps[first])] == stamps[first]
    assert find_block(web3, stamps[first - 1] + 1) == first
    assert find_block(web3, 0) == 0
    with pytest.raises(UsageError, match="no block at or after"):
        find_block(web3, max(stamps.values()) + 1)


def test_balances_at_a_block_by_archive_reads_and_by_replay_agree(history: History) -> None:
    web3 = history.chain.web3
    spec = OnchainSpec("rex", "erc20", history.token, "rex_balance", (), None)
    for block, want in [
        (history.first - 1, {}),
        (history.first, {A: 100 * REX}),
        (history.second, {A: 60 * REX, B: 40 * REX}),
    ]:
        archive = onchain_facts(web3, spec, block, "archive", holders=[A, B])
        assert archive == {a: {"rex_balance": v} for a, v in want.items()}
        replayed = onchain_facts(web3, spec, block, "replay")
        assert {a: f for a, f in replayed.items() if a in (A, B)} == archive
    logs = token_transfers(web3, history.token, history.second, chunk=7)
    assert replay_erc20(logs, history.token, history.second)[B] == 40 * REX


def test_eth_funding_links_wallets_of_one_funder(history: History) -> None:
    web3 = history.chain.web3
    found = eth_transfers(web3, history.second + 1, int(web3.eth.block_number))
    assert {(t.sender, t.recipient) for t in found} == {
        (history.treasury, C),
        (history.treasury, D),
    }
    [cluster] = clusters(found, (), claimants=[C, D])
    assert cluster.claimants == tuple(sorted((C, D), key=str.lower))
    assert all(tx.startswith("0x") and len(tx) == 66 for e in cluster.edges for tx, _ in e.txs)
    assert clusters(found, [history.treasury], claimants=[C, D]) == []


def _signed(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    digest = hashlib.sha256(path.read_bytes()).digest()
    signature = ATTESTER.sign_message(encode_defunct(primitive=digest)).signature
    signature_path(path).write_text("0x" + bytes(signature).hex())
    return path


def test_a_whole_run_from_signed_inputs_to_the_final_list(history: History, tmp_path: Path) -> None:
    rules_text = f'''version = 1
name = "integration"
[pool]
mode = "split"
pool_rex = 1000
[sybil]
max_cluster_size = 1
sweep_bps = 8000
appeal_window_seconds = 60
known_services = []
[[inputs]]
name = "points"
kind = "points"
attester = "{ATTESTER.address}"
facts = ["loyalty_points"]
[[onchain]]
name = "rex"
kind = "erc20"
contract = "{history.token}"
fact = "rex_balance"
[[criteria]]
name = "loyalty"
all = [{{ fact = "loyalty_points", op = ">", value = 499 }}]
[[criteria]]
name = "holder"
all = [{{ fact = "rex_balance", op = ">=", value = {50 * REX} }}]
[[tiers]]
name = "holder"
weight = 2
any = ["holder"]
[[tiers]]
name = "basic"
weight = 1
any = ["loyalty"]
'''
    rules_path = tmp_path / "rules.toml"
    rules_path.write_text(rules_text)
    rules = load_rules(rules_path)
    points = _signed(
        tmp_path / "points.csv", f"address,loyalty_points\n{A},10\n{B},500\n{C},600\n{D},700\n"
    )
    web3 = history.chain.web3
    snap = take_snapshot(web3, rules, history.stamps[history.second], {"points": points})
    assert snap.block == find_block(web3, history.stamps[history.second])
    assert snap.facts[A]["rex_balance"] == 60 * REX
    assert snap.inputs[0].sha256 == hashlib.sha256(points.read_bytes()).hexdigest()
    transfers = eth_transfers(web3, 0, int(web3.eth.block_number))
    made = draft(snap, rules, transfers, now=10_000)
    assert {e.address: e.tier for e in made.entries} == {A: "holder", B: "basic"}
    assert [x.address for x in made.excluded] == sorted((C, D), key=str.lower)
    final = finalize(made, [], made.appeal_deadline)
    assert dict(final) == {A: 666_666_666_666_666_666_667, B: 333_333_333_333_333_333_333}
    assert sum(dict(final).values()) == 1000 * REX
