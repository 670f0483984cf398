"""One `rexos serve` per data directory: a second is refused at once, naming the first."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from rexos.locks import exclusive
from tests.cli_process import rexos_in


def _hold(lock: str, held: object, release: object) -> None:
    with exclusive(Path(lock), "test holder"):
        held.set()  # type: ignore[attr-defined]
        release.wait(60)  # type: ignore[attr-defined]


def test_a_second_server_on_one_data_dir_is_refused(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    held, release = ctx.Event(), ctx.Event()
    first = ctx.Process(target=_hold, args=(str(tmp_path / "run" / "serve.lock"), held, release))
    first.start()
    try:
        assert held.wait(60)
        result = rexos_in(tmp_path)("serve", "-w", "alice", "--port", "1")
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert result.returncode == 2 and len(lines) == 1, result.stderr
        assert f"rexos serve on {tmp_path}" in lines[0] and f"pid {first.pid}" in lines[0]
    finally:
        release.set()
        first.join(60)
