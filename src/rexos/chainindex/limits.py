"""The resource limits every query on the index runs under.

:class:`QueryLimits` holds them; :func:`~rexos.chainindex.store.run_query` applies
them: DuckDB's ``memory_limit`` and ``threads`` (set before the configuration is locked,
with spilling to disk turned off), a wall-clock timeout that interrupts the running query
from a timer thread, and a cap on the rows fetched (``max_rows + 1`` are read, never the
whole result; more than ``max_rows`` is an error, not a silent cut).

DuckDB's ``memory_limit`` bounds its buffer manager (joins, sorts, aggregates, strings),
not every allocation: list functions build their results outside it, which is why the
guard refuses the functions whose output size an argument sets.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from rexos.errors import ConfigError

__all__ = [
    "DEFAULT_FETCH_ROWS",
    "DEFAULT_LIMITS",
    "DEFAULT_MEMORY_MB",
    "DEFAULT_THREADS",
    "DEFAULT_TIMEOUT_S",
    "Interruptible",
    "QueryLimits",
    "deadline",
]

DEFAULT_MEMORY_MB = 256
"""DuckDB ``memory_limit`` of a query connection, MB."""
DEFAULT_THREADS = 2
"""DuckDB ``threads`` of a query connection."""
DEFAULT_TIMEOUT_S = 5.0
"""Wall-clock seconds a query may run (execution and fetch) before it is interrupted."""
DEFAULT_FETCH_ROWS = 100_000
"""The most rows a query may return; a guarded question's ``LIMIT`` is lower (1000)."""

_MIN_MEMORY_MB = 16


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """Memory (MB), threads, wall-clock timeout (s) and row cap of one query."""

    memory_mb: int = DEFAULT_MEMORY_MB
    threads: int = DEFAULT_THREADS
    timeout_s: float = DEFAULT_TIMEOUT_S
    max_rows: int = DEFAULT_FETCH_ROWS

    def __post_init__(self) -> None:
        if self.memory_mb < _MIN_MEMORY_MB:
            raise ConfigError(f"memory_mb must be ≥ {_MIN_MEMORY_MB}, got {self.memory_mb}")
        if self.threads < 1:
            raise ConfigError(f"threads must be ≥ 1, got {self.threads}")
        if not self.timeout_s > 0:
            raise ConfigError(f"timeout_s must be > 0, got {self.timeout_s}")
        if self.max_rows < 1:
            raise ConfigError(f"max_rows must be ≥ 1, got {self.max_rows}")

    def duckdb_config(self) -> dict[str, str | bool | int | float | list[str]]:
        """The connection settings, ``lock_configuration`` last: nothing can change them."""
        return {
            "enable_external_access": False,
            "memory_limit": f"{self.memory_mb}MB",
            "threads": self.threads,
            "temp_directory": "",
            "lock_configuration": True,
        }


DEFAULT_LIMITS = QueryLimits()
"""The limits of a query when none are given."""


class Interruptible(Protocol):
    """A connection whose running query can be stopped from another thread."""

    def interrupt(self) -> None: ...


@contextmanager
def deadline(connection: Interruptible, seconds: float) -> Iterator[threading.Event]:
    """Interrupt ``connection`` if the block runs longer than ``seconds``.

    The event yielded is set when the timer fired, so the caller can tell a timeout from
    any other interruption.
    """
    fired = threading.Event()

    def stop() -> None:
        fired.set()
        connection.interrupt()

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        yield fired
    finally:
        timer.cancel()
        timer.join()
