"""HTTP API figures: 50 concurrent read requests, one chat turn, and the attacks held.

Run: ``python benchmarks/api.py``. Prints the figures and writes ``benchmarks/api.json``.
The app is ``rexos serve``'s (token, guard, session) under uvicorn on 127.0.0.1, over an
anvil devnet with the full deployment, in a process of its own (``--serve``); the clients
(one thread each, in this process) send the token like a local script would.

* concurrent reads: 50 "price of REX" chat requests at once (after one warm-up request);
  latency of each, from its send to its answer;
* one chat turn, alone: "price of REX" in a block already answered (cached) and in a new
  block each time (an empty block is mined before each turn: the answer is not kept, and the
  session's pool watcher is brought to the new block from its logs);
* attacks: ``tests/integration/api/attacks.py``'s list against the running server.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the attacks and the devnet workspace live in tests/
from tests.integration.api.attacks import ATTACKS, Served, run_attacks, served, stage  # noqa: E402
from tests.integration.orchestrator.conftest import ALICE, workspace  # noqa: E402

from rexos.chain import AnvilChain  # noqa: E402
from rexos.deployment import deploy_dev  # noqa: E402
from rexos.orchestrator.session import open_session  # noqa: E402
from rexos.types import Address  # noqa: E402

OUT = Path(__file__).with_suffix(".json")
CONCURRENT = 50
TURNS = 20
READ = "price of REX"


def _ask(api: Served, text: str) -> float:
    with api.client() as client:
        start = time.perf_counter()
        response = client.post("/v1/chat", json={"message": text}, headers=api.good())
        seconds = time.perf_counter() - start
    assert response.status_code == 200 and response.json()["kind"] == "answer", response.text
    return seconds


def _figures(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_s": round(statistics.median(ordered), 3),
        "p95_s": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 3),
        "max_s": round(ordered[-1], 3),
    }


def concurrent_reads(api: Served) -> dict[str, Any]:
    warm = _ask(api, READ)
    start = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENT) as pool:
        samples = list(pool.map(lambda _: _ask(api, READ), range(CONCURRENT)))
    total = time.perf_counter() - start
    return {"requests": CONCURRENT, "request": READ, **_figures(samples),
            "all_s": round(total, 3), "warm_up_s": round(warm, 3)}  # fmt: skip


def one_turn(api: Served, rpc: str) -> dict[str, Any]:
    cached = [_ask(api, READ) for _ in range(TURNS)]
    fresh = []
    for _ in range(TURNS):
        httpx.post(rpc, json={"jsonrpc": "2.0", "id": 1, "method": "evm_mine", "params": []})
        fresh.append(_ask(api, READ))
    return {"turns": TURNS, "request": READ, "same_block": _figures(cached),
            "new_block": _figures(fresh)}  # fmt: skip


def attacks(api: Served) -> dict[str, Any]:
    outcomes = run_attacks(api, stage(api))
    failed = [f"{o.attack.name} {o.attack.path}: {o.status}" for o in outcomes if not o.held]
    return {"attempts": len(ATTACKS), "held": sum(o.held for o in outcomes), "not_held": failed}


def serve() -> int:
    """The server process: anvil, the deployment, the app; one JSON line says where."""
    chain = AnvilChain()
    try:
        manifest = deploy_dev(chain, funded=[Address(ALICE.address)])
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp)
            session = open_session(workspace(chain, manifest, home))
            with served(session, home) as api:
                where = {"url": api.url, "port": api.port, "token": api.token,
                         "rpc": f"http://127.0.0.1:{chain.port}"}  # fmt: skip
                print(json.dumps(where), flush=True)
                sys.stdin.read()  # until the benchmark closes it
    finally:
        chain.close()
    return 0


def main() -> int:
    load = os.getloadavg()[0]
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        where = json.loads(server.stdout.readline())
        api = Served(where["url"], where["port"], where["token"])
        reads = concurrent_reads(api)
        turn = one_turn(api, where["rpc"])
        held = attacks(api)
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(60)
    print(f"{CONCURRENT} concurrent '{READ}' requests: p50 {reads['p50_s']} s, "
          f"p95 {reads['p95_s']} s, max {reads['max_s']} s, all in {reads['all_s']} s "
          f"(warm-up request {reads['warm_up_s']} s)")  # fmt: skip
    for name in ("same_block", "new_block"):
        f = turn[name]
        print(f"one chat turn ({name.replace('_', ' ')}): p50 {f['p50_s']} s, "
              f"p95 {f['p95_s']} s, max {f['max_s']} s")  # fmt: skip
    print(f"adversarial: {held['attempts']} attempts, {held['held']} held")
    print(f"(load average at start {load:.2f} on {os.cpu_count()} CPUs)")
    result = {
        "machine": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_1min_at_start": round(load, 2),
        "chain": "anvil (prague), automine",
        "server": "uvicorn on 127.0.0.1, rexos.api.create_app (token + guard)",
        "concurrent_reads": reads,
        "one_chat_turn": turn,
        "attacks": held,
    }
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0 if held["held"] == held["attempts"] else 1


if __name__ == "__main__":
    raise SystemExit(serve() if sys.argv[1:] == ["--serve"] else main())
