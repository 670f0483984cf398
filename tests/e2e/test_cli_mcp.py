"""`rexos mcp` over stdio, as an MCP client launches it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def test_rexos_mcp_stdio_session(tmp_path: Path) -> None:
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                    "clientInfo": {"name": "test", "version": "0"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call",
         "params": {"name": "dex__route", "arguments": {
             "pools": [{"id": "p", "kind": "v2", "token0": "A", "token1": "B",
                        "reserve0": "1000000", "reserve1": "2000000", "fee_bps": 30}],
             "sell": "A", "buy": "B", "amount_in": "1000"}}},
    ]  # fmt: skip
    env = {**os.environ, "REXOS_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "rexos.cli.main", "mcp"],
        input="".join(json.dumps(m) + "\n" for m in messages),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answers = {a["id"]: a for a in map(json.loads, done.stdout.splitlines())}
    assert set(answers) == {1, 2, 3}
    assert answers[1]["result"]["serverInfo"]["name"] == "rexos"
    assert any(t["name"] == "dex__route" for t in answers[2]["result"]["tools"])
    # x·997·R_out / (R_in·1000 + x·997) with x = 1000, R = 1e6 / 2e6 → 1992 (rounded down)
    assert answers[3]["result"]["structuredContent"]["amount_out"] == "1992"
