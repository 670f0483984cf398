"""The demo's airdrop chapter: a draft list from signed inputs with a planted sybil farm caught
by its funding graph, the appeal window, the tree and its distributor, and three claims (one
to the claimant, one staked into sREX, one delivered by a relayer to a bound address), all on
the in-process chain with the dev accounts."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from rexos.cli.console import out, rex

if TYPE_CHECKING:
    from rexos.chain import EmbeddedChain, Manifest

__all__ = ["airdrop_chapter"]

FARM = 24
"""Fresh wallets one funder fills with gas, each with enough loyalty points to qualify."""
DAY = 86_400

RULES = """
version = 1
name = "demo"

[pool]
mode = "split"
pool_rex = 1_000_000

[sybil]
max_cluster_size = 20
sweep_bps = 8000
appeal_window_seconds = 1209600
known_services = []

[[inputs]]
name = "kyc"
kind = "kyc"
attester = "{attester}"

[[inputs]]
name = "points"
kind = "points"
attester = "{attester}"
facts = ["loyalty_points", "product_points"]

[[criteria]]
name = "kyc"
description = "exchange KYC with a UID and a deposit address"
sybil_exempt = true
all = [{{ fact = "kyc", op = ">", value = 0 }}]

[[criteria]]
name = "loyalty"
description = "loyalty points > 499"
all = [{{ fact = "loyalty_points", op = ">", value = 499 }}]

[[criteria]]
name = "product"
description = "product points > 1999"
all = [{{ fact = "product_points", op = ">", value = 1999 }}]

[[tiers]]
name = "enhanced"
weight = 3
any = ["product"]

[[tiers]]
name = "kyc"
weight = 2
any = ["kyc"]

[[tiers]]
name = "basic"
weight = 1
any = ["loyalty"]
"""
"""The seed's rules cut to the criteria the demo's inputs give (no Catto NFT contract here)."""


def _signed(path: Path, text: str, attester: object) -> Path:
    from eth_account.messages import encode_defunct

    from rexos.airdrop.inputs import signature_path

    path.write_text(text, encoding="utf-8")
    digest = hashlib.sha256(path.read_bytes()).digest()
    signed = attester.sign_message(encode_defunct(primitive=digest))  # type: ignore[attr-defined]
    signature_path(path).write_text("0x" + signed.signature.hex().removeprefix("0x") + "\n")
    return path


def airdrop_chapter(chain: EmbeddedChain, manifest: Manifest, users: dict[str, int]) -> None:
    """Draft, appeal window, tree, distributor, claims; ``users`` maps alice, bob and carol
    to their dev account numbers."""
    from eth_account import Account

    from rexos.airdrop.distributor import Distributor
    from rexos.airdrop.eligibility import draft, finalize
    from rexos.airdrop.launch import devnet_roles, launch
    from rexos.airdrop.rules import load_rules
    from rexos.airdrop.snapshot import take_snapshot
    from rexos.airdrop.transfers import eth_transfers
    from rexos.airdrop.tree import AirdropTree
    from rexos.chain import Transactor, dev_account
    from rexos.types import parse_address

    web3 = chain.web3
    alice, bob, carol = (dev_account(users[n]) for n in ("alice", "bob", "carol"))
    attester, funder, relayer = dev_account(4), dev_account(5), dev_account(6)
    farm = [Account.from_key(hashlib.sha256(b"rexos demo farm %d" % i).digest())
            for i in range(FARM)]  # fmt: skip
    start = int(web3.eth.block_number) + 1
    gas = Transactor(web3, funder)
    for wallet in farm:
        gas.send_value(wallet.address, 10**16, action="fund a farm wallet")
    deposit = parse_address("0x000000000000000000000000000000000000de90")  # carol's exchange
    with tempfile.TemporaryDirectory(prefix="rexos-demo-airdrop-") as scratch:
        folder = Path(scratch)
        rules_path = folder / "rules.toml"
        rules_path.write_text(RULES.format(attester=attester.address), encoding="utf-8")
        rules = load_rules(rules_path)
        kyc = _signed(folder / "kyc.csv", "address,uid,deposit_address\n"
                      f"{carol.address},EX-1042,{deposit}\n", attester)  # fmt: skip
        rows = [f"{alice.address},800,0", f"{bob.address},0,2500", f"{carol.address},0,0"]
        rows += [f"{w.address},600,0" for w in farm]
        points = _signed(folder / "points.csv",
                         "address,loyalty_points,product_points\n" + "\n".join(rows) + "\n",
                         attester)  # fmt: skip
        now = int(web3.eth.get_block("latest")["timestamp"])
        snap = take_snapshot(web3, rules, now, {"kyc": kyc, "points": points})
        made = draft(snap, rules, eth_transfers(web3, start, snap.block), now=now)
    tiers = {str(e.address): e.tier for e in made.entries}
    out.print(f"The operator's snapshot at block {snap.block}: two signed inputs (KYC from an "
              f"exchange, points), {len(made.entries)} eligible: alice {tiers[alice.address]}, "
              f"bob {tiers[bob.address]}, carol {tiers[carol.address]}.",
              soft_wrap=True)  # fmt: skip
    cluster = made.clusters[0]
    out.print(f"The sybil filter finds a farm: {len(made.excluded)} wallets with 600 loyalty "
              f"points each, all funded by {funder.address} (cluster {cluster.id}, "
              f"{cluster.size} claimants, over the cut of 20). The draft publishes every "
              "excluded wallet with the funding transactions as evidence; appeals are open "
              "14 days.", soft_wrap=True)  # fmt: skip
    chain.time_travel(15 * DAY)
    final = finalize(made, [], int(web3.eth.get_block("latest")["timestamp"]))
    deadline = int(web3.eth.get_block("latest")["timestamp"]) + 30 * DAY
    tree = AirdropTree.build(manifest.chain_id, final, deadline)
    treasury, bucket = devnet_roles(web3, manifest)
    tree = launch(web3, manifest, tree, treasury, bucket)
    assert tree.distributor is not None
    dist = Distributor(web3, tree.distributor)
    out.print(f"After the window the list is fixed: {len(tree)} allocations, {rex(tree.total)} "
              f"(split 3:2:1 by tier), Merkle root {tree.root[:18]}… in OpenZeppelin's "
              f"format; the distributor {tree.distributor} is funded from the airdrop "
              "wallet.", soft_wrap=True)  # fmt: skip
    mine = tree.allocation(alice.address)
    staking = tree.allocation(bob.address)
    hers = tree.allocation(carol.address)
    assert mine is not None and staking is not None and hers is not None
    fn = dist.contract.functions
    got = Transactor(web3, alice).send(
        fn.claim(mine.index, alice.address, mine.amount, list(mine.proof)), action="claim"
    )
    out.print(f"alice claims {rex(mine.amount)} (gas {got.gas_used:,}).", soft_wrap=True)
    Transactor(web3, bob).send(
        fn.claimAndStake(staking.index, staking.amount, list(staking.proof)), action="stake"
    )
    out.print(f"bob claims {rex(staking.amount)} and stakes it into sREX in the same "
              "transaction.", soft_wrap=True)  # fmt: skip
    Transactor(web3, carol).send(dist.bind_call(deposit), action="bind")
    batch = [(hers.index, carol.address, hers.amount, list(hers.proof))]
    Transactor(web3, relayer).send(fn.claimMany(batch), action="claim many")
    landed = int(dist.rex.functions.balanceOf(deposit).call())
    out.print(f"carol binds her exchange deposit address; a relayer's batch claims for her and "
              f"{rex(landed)} lands at {deposit}. Claims close in 30 days; then anyone sweeps "
              "the rest to the treasury.", soft_wrap=True)  # fmt: skip
