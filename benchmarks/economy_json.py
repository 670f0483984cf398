"""What ``benchmarks/economy.py`` (the airdrop) and ``benchmarks/fees.py`` share: the anvil
they measure on, and ``benchmarks/economy.json``, where each writes its own part."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from rexos.config import find_anvil

__all__ = ["OUT", "anvil", "write_part"]

OUT = Path(__file__).with_name("economy.json")


def anvil() -> tuple[Path, str] | None:
    """The anvil binary and its version line; ``None`` (said on stderr) when it is missing."""
    found = find_anvil()
    if found is None:
        print("anvil not found: run `make install-dev` first", file=sys.stderr)
        return None
    version = subprocess.run(
        [str(found), "--version"], capture_output=True, text=True, check=True
    ).stdout.splitlines()[0]
    return Path(found), version


def write_part(key: str, version: str, figures: dict[str, Any]) -> None:
    """Replace ``key``'s part of economy.json (the node it ran on recorded with it), keeping
    the other parts."""
    old = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    result = {part: value for part, value in old.items() if isinstance(value, dict)}
    result[key] = {"node": version, "hardfork": "prague", "cpus": os.cpu_count(), **figures}
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
