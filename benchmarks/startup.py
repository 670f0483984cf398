"""CLI start-up figures: wall time of ``rexos --help``, ``rexos swap --help`` and of importing
the CLI's entry module, each run as a whole new process.

Run: ``python benchmarks/startup.py``. Prints the figures and writes ``benchmarks/startup.json``.
``rexos`` is the console script installed beside this interpreter (not a version-manager shim,
whose own start-up would be counted); the load average is recorded because other work on the
machine lengthens every figure.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_suffix(".json")
RUNS = 25


def _rexos() -> str:
    beside = Path(sys.executable).parent / "rexos"
    found = str(beside) if beside.exists() else shutil.which("rexos")
    if found is None:
        raise SystemExit("the rexos console script is not installed (pip install -e .)")
    return found


def _timed(argv: list[str]) -> dict[str, Any]:
    """Seconds for ``argv`` to run to completion, ``RUNS`` times after one warm-up run."""
    subprocess.run(argv, check=True, capture_output=True)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return {
        "runs": RUNS,
        "median_s": round(statistics.median(times), 3),
        "min_s": round(min(times), 3),
        "max_s": round(max(times), 3),
    }


def main() -> int:
    rexos = _rexos()
    commands = {
        "rexos --help": [rexos, "--help"],
        "rexos swap --help": [rexos, "swap", "--help"],
        "python -c 'import rexos.cli.main'": [sys.executable, "-c", "import rexos.cli.main"],
        "python -c 'pass' (interpreter alone)": [sys.executable, "-c", "pass"],
    }
    load_before = os.getloadavg()[0]
    figures = {name: _timed(argv) for name, argv in commands.items()}
    load_after = os.getloadavg()[0]
    width = max(len(name) for name in figures)
    print(f"{'command':<{width}}{'median s':>10}{'min s':>8}{'max s':>8}")
    for name, row in figures.items():
        print(f"{name:<{width}}{row['median_s']:>10}{row['min_s']:>8}{row['max_s']:>8}")
    print(f"load average (1 min): {load_before:.2f} before, {load_after:.2f} after")
    result = {
        "machine": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_1min": {"before": round(load_before, 2), "after": round(load_after, 2)},
        "commands": figures,
    }
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
