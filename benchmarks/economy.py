"""The economy's figures: the airdrop's tree build and claim gas, from real anvil (prague)
receipts.

Run: ``python benchmarks/economy.py`` (needs anvil: ``npm install --prefix contracts``).
Prints a table and writes the ``airdrop`` part of ``benchmarks/economy.json`` (the fee and
points figures there come from ``benchmarks/fees.py``).

The tree has 100,000 leaves ``(index, account, amount)``, every account a fresh address that
holds no REX (the dearest and the usual case: the transfer creates its balance). Each
claimant sends its own claim, except in ``claim_relayed_amortised`` (a relayer sends them,
and the distributor reads the binding). The claimed-bit of an index shares a storage word
with 255 others and the first claim in a word pays for creating it, hence two samples:

* ``claim_amortised``: every index of two whole words (512 claims), what the average over the
  whole airdrop comes to when everyone claims;
* ``claim_first_in_word``: 200 indices spread over the tree, each the first of its word (the
  dearest a claim gets);
* ``claim_in_batch_of_32`` / ``_of_128``: a relayer's ``claimMany`` divided by its claims.

The issue's goal (≤ 60,000 gas a claim on average; Uniswap's distributor averages about
79,000) is judged on batched claims: a claim sent alone cannot reach it for a fresh
recipient, whatever the distributor, since the transaction base (21,000) and creating the
recipient's REX balance (22,100) already take 43,100 and a 17-node proof's calldata about
9,000 more. The single-claim figures are printed beside it.

``claim_and_stake`` is measured for 20 leaves whose keys the benchmark holds, each a first
stake. Every figure is a whole transaction's gas, the 21,000 base and the calldata included.
"""

from __future__ import annotations

import time
from statistics import mean

from eth_account import Account
from eth_hash.auto import keccak

import economy_json  # benchmarks/economy_json.py, beside this script
from rexos.airdrop.distributor import LEAF_TYPES, Distributor, deploy_distributor
from rexos.airdrop.merkle import StandardMerkleTree
from rexos.chain import AnvilChain, Transactor, dev_account
from rexos.economy.deploy import deploy_genesis, dev_roles
from rexos.economy.genesis import load_genesis
from rexos.types import Address, parse_address

LEAVES = 100_000
KEYED = 20
"""Leaves whose accounts are keys the benchmark holds (for claim-and-stake)."""
GOAL_CLAIM = 60_000
WEEK = 7 * 24 * 3600


def _address(i: int) -> Address:
    return parse_address("0x" + keccak(b"rexos-airdrop-bench" + i.to_bytes(8, "big"))[-20:].hex())


def _amount(i: int) -> int:
    """1 to about 2,000 REX, never round (all 32 bytes of calldata rarely zero)."""
    return (int.from_bytes(keccak(i.to_bytes(8, "big"))[:4], "big") % 2_000 + 1) * 10**18 + i


AMORTISED = range(256, 768)
"""Every index of two whole bitmap words."""
FIRST_IN_WORD = [1_024 + 487 * k for k in range(200)]
"""Spread indices, each the first claim of its word (487 > 256)."""
STAKERS = [LEAVES // 2 + 1_000 * k + 1 for k in range(KEYED)]
_TAKEN = {i // 256 for i in [*AMORTISED, *FIRST_IN_WORD, *STAKERS]}
_FREE = next(w for w in range(4, LEAVES // 256) if {w, w + 1}.isdisjoint(_TAKEN))
RELAYED = range(_FREE * 256, (_FREE + 2) * 256)
"""Two whole words that no other sample touches, claimed by a relayer."""
BATCHED = next(w for w in range(_FREE + 2, LEAVES // 256) if w not in _TAKEN) * 256
"""A word no other sample touches: a batch of 32 and one of 128 claims from its start."""


def _key(i: int) -> Account:
    return Account.from_key(keccak(b"rexos-airdrop-key" + i.to_bytes(8, "big")))


def allocations() -> tuple[list[tuple[int, Address, int]], dict[int, Account]]:
    """The leaves; the accounts of the measured ones are keys the benchmark holds."""
    keys = {i: _key(i) for i in [*AMORTISED, *FIRST_IN_WORD, *STAKERS]}
    leaves = [
        (i, parse_address(keys[i].address) if i in keys else _address(i), _amount(i))
        for i in range(LEAVES)
    ]
    return leaves, keys


def build(leaves: list[tuple[int, Address, int]]) -> tuple[StandardMerkleTree, float]:
    started = time.perf_counter()
    tree = StandardMerkleTree.of(leaves, LEAF_TYPES)
    return tree, time.perf_counter() - started


def measure(
    chain: AnvilChain,
    tree: StandardMerkleTree,
    leaves: list[tuple[int, Address, int]],
    keys: dict[int, Account],
) -> dict[str, object]:
    deployer, holder, relayer = dev_account(0), dev_account(9), dev_account(1)
    manifest = deploy_genesis(chain, load_genesis(None), deployer, dev_roles(),
                              funded=[Address(relayer.address)])  # fmt: skip
    d = Transactor(chain.web3, deployer)
    deadline = int(chain.web3.eth.get_block("latest")["timestamp"]) + WEEK
    address = deploy_distributor(d, d, manifest.address("RexToken"),
                                 manifest.address("StakedRex"), tree.root, deadline,
                                 Address(deployer.address))  # fmt: skip
    dist = Distributor(chain.web3, address)
    Transactor(chain.web3, holder).send(dist.fund_call(sum(a for _, _, a in leaves)),
                                        action="fund")  # fmt: skip
    relay = Transactor(chain.web3, relayer)
    fn = dist.contract.functions
    for i in keys:  # gas money for the claimants (not measured)
        d.send_value(Address(keys[i].address), 10**16)

    def claim(i: int, by: Transactor | None = None) -> int:
        index, account, amount = leaves[i]
        sender = by or Transactor(chain.web3, keys[i])
        return sender.send(fn.claim(index, account, amount, tree.proof(i)), action="claim").gas_used

    amortised = [claim(i) for i in AMORTISED]
    first = [claim(i) for i in FIRST_IN_WORD]
    relayed = [claim(i, relay) for i in RELAYED]
    batched = {}
    for size, start in ((32, BATCHED), (128, BATCHED + 32)):
        batch = [(i, *leaves[i][1:], tree.proof(i)) for i in range(start, start + size)]
        receipt = relay.send(fn.claimMany(batch), action="claim many")
        batched[size] = round(receipt.gas_used / size)
    staked = []
    for i in STAKERS:
        _, _, amount = leaves[i]
        receipt = Transactor(chain.web3, keys[i]).send(
            fn.claimAndStake(i, amount, tree.proof(i)), action="claim and stake"
        )
        staked.append(receipt.gas_used)
    return {
        "claim_amortised": round(mean(amortised)),
        "claim_amortised_max": max(amortised),
        "claim_first_in_word": round(mean(first)),
        "claim_relayed_amortised": round(mean(relayed)),
        "claim_in_batch_of_32": batched[32],
        "claim_in_batch_of_128": batched[128],
        "claim_and_stake": round(mean(staked)),
        "proof_nodes": len(tree.proof(0)),
        "samples": {
            "claim_amortised": len(amortised),
            "claim_first_in_word": len(first),
            "claim_relayed_amortised": len(relayed),
            "claim_and_stake": len(staked),
        },
    }


def main() -> int:
    node = economy_json.anvil()
    if node is None:
        return 2
    binary, version = node
    leaves, keys = allocations()
    tree, seconds = build(leaves)
    print(f"tree of {LEAVES:,} leaves built in {seconds:.2f} s; root {tree.root}")
    chain = AnvilChain(binary)
    try:
        gas = measure(chain, tree, leaves, keys)
    finally:
        chain.close()
    met = gas["claim_in_batch_of_32"] <= GOAL_CLAIM
    print(f"{'airdrop action':<34}{'gas':>10}")
    for name in ("claim_amortised", "claim_amortised_max", "claim_first_in_word",
                 "claim_relayed_amortised", "claim_in_batch_of_32", "claim_in_batch_of_128",
                 "claim_and_stake"):  # fmt: skip
        print(f"{name:<34}{gas[name]:>10,}")
    print(f"claim in a batch of 32: goal {GOAL_CLAIM:,} {'met' if met else 'NOT met'}; a claim "
          f"sent alone: {gas['claim_amortised']:,}")  # fmt: skip
    economy_json.write_part(
        "airdrop",
        version,
        {
            "leaves": LEAVES,
            "tree_build_s": round(seconds, 2),
            "root": tree.root,
            **gas,
            "goal_claim": GOAL_CLAIM,
            "goal_met": met,
            "note": "whole-transaction gas from anvil receipts (21,000 base and calldata "
            "included), claims to fresh accounts holding no REX, each sent by its claimant "
            "except 'claim_relayed_amortised' and the batches (a relayer's); "
            "'claim_amortised' is the mean over every index of two whole bitmap words (what "
            "the airdrop averages when everyone claims), 'claim_first_in_word' the mean over "
            "200 spread indices each the first claim in its word, 'claim_in_batch_of_N' a "
            "relayer's claimMany divided by N; the goal is judged on the batch of 32 (a claim "
            "sent alone to a fresh recipient spends 43,100 on the transaction base and the new "
            "balance before any distributor code); tree build is wall time on this machine",
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
