"""Building the airdrop's Merkle tree: 100,000 (index, account, amount) claims.

Run: ``python benchmarks/airdrop_tree.py``. Prints the figures and writes
``benchmarks/airdrop_tree.json``.

The claims are fixed by a seed (random accounts, amounts up to 10**24 base units), so the root
is the same on every run and machine; the times are the median of three builds (wall time,
and the process's CPU time, which other work on the machine inflates less; the load average
is recorded). Proving and dumping are timed too, and loading the dump back (which rehashes
every node). When node and ``@openzeppelin/merkle-tree`` are installed
(``npm install --prefix contracts --no-save``), the npm package builds the same tree once: its
root must be ours, and its build time is recorded beside ours.
"""

from __future__ import annotations

import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rexos.airdrop.merkle import StandardMerkleTree, verify_proof

OUT = Path(__file__).with_suffix(".json")
PACKAGE = Path(__file__).resolve().parents[1] / "contracts/node_modules/@openzeppelin/merkle-tree"
OZ_BUILD = """
const { StandardMerkleTree } = require(process.argv[1]);
const values = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const start = process.hrtime.bigint();
const tree = StandardMerkleTree.of(values, ['uint256', 'address', 'uint256']);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(JSON.stringify({ root: tree.root, seconds }));
"""
TYPES = ["uint256", "address", "uint256"]
LEAVES = 100_000
ROUNDS = 3


def claims(count: int, seed: int = 17) -> list[list[object]]:
    """``count`` claims (index, account, amount) from a fixed seed."""
    rng = random.Random(seed)
    return [[i, "0x" + rng.randbytes(20).hex(), rng.randrange(10**24)] for i in range(count)]


def timed(rounds: int, rows: list[list[object]]) -> tuple[StandardMerkleTree, float, float]:
    """The tree, and the median wall and CPU seconds of ``rounds`` builds."""
    walls, cpus = [], []
    tree = None
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        tree = StandardMerkleTree.of(rows, TYPES)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    assert tree is not None
    return tree, statistics.median(walls), statistics.median(cpus)


def openzeppelin(rows: list[list[object]]) -> dict[str, object] | None:
    """The npm package's root and build seconds for ``rows``, or None when it is not installed."""
    node = shutil.which("node")
    if node is None or not PACKAGE.is_dir():
        return None
    values = [[str(v) if isinstance(v, int) else v for v in row] for row in rows]
    done = subprocess.run(
        [node, "-e", OZ_BUILD, str(PACKAGE)],
        input=json.dumps(values),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    answer: dict[str, object] = json.loads(done.stdout)
    return answer


def main() -> int:
    rows = claims(LEAVES)
    tree, wall, cpu = timed(ROUNDS, rows)
    start = time.perf_counter()
    proofs = [tree.proof(i) for i in range(LEAVES)]
    prove = time.perf_counter() - start
    assert all(verify_proof(tree.root, tree.leaf_hash(rows[i]), proofs[i]) for i in range(100))
    start = time.perf_counter()
    dump = json.dumps(tree.dump())
    dumped = time.perf_counter() - start
    start = time.perf_counter()
    loaded = StandardMerkleTree.load(json.loads(dump))
    load = time.perf_counter() - start
    assert loaded.root == tree.root
    lengths = sorted({len(p) for p in proofs})
    reference = openzeppelin(rows)
    if reference is not None and reference["root"] != tree.root:
        print(f"root differs from @openzeppelin/merkle-tree's {reference['root']}", file=sys.stderr)
        return 1
    figures: dict[str, object] = {
        "leaves": LEAVES,
        "leaf_encoding": TYPES,
        "build_seconds": round(wall, 2),
        "build_cpu_seconds": round(cpu, 2),
        "all_proofs_seconds": round(prove, 2),
        "dump_seconds": round(dumped, 2),
        "dump_megabytes": round(len(dump) / 1e6, 1),
        "load_seconds": round(load, 2),
        "root": tree.root,
        "proof_length": {"min": lengths[0], "max": lengths[-1]},
        "openzeppelin_js": None
        if reference is None
        else {"root_matches": True, "build_seconds": round(float(str(reference["seconds"])), 2)},
        "load_average_1m": round(os.getloadavg()[0], 2),
        "machine": f"{platform.machine()}, Python {sys.version.split()[0]}, 2 cores",
    }
    print(f"{LEAVES:,} leaves {TYPES}")
    print(f"  build        {wall:6.2f} s wall, {cpu:.2f} s CPU (median of {ROUNDS})")
    print(f"  every proof  {prove:6.2f} s")
    print(f"  dump         {dumped:6.2f} s ({figures['dump_megabytes']} MB of JSON)")
    print(f"  load         {load:6.2f} s (every hash checked)")
    print(f"  root         {tree.root}")
    print(f"  proof length {lengths[0]} to {lengths[-1]} hashes")
    if reference is None:
        print("  @openzeppelin/merkle-tree not installed: root not compared")
    else:
        print(f"  @openzeppelin/merkle-tree: same root, built in {reference['seconds']:.2f} s")
    OUT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
