"""Exclusive locks between processes: one signer per wallet, one server or bot per data dir.

:func:`exclusive` takes a non-blocking ``flock`` on a lock file and holds it for the ``with``
block. A second holder — another process, or another thread of this one — is refused at once
with one line naming what holds it, rather than left to wait or to race (two signers of one
wallet would clash on nonces; two bots on one data dir would trade twice). The kernel drops
the lock when the process dies, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from rexos.errors import Locked

__all__ = ["Locked", "exclusive"]

_held: set[str] = set()
_held_guard = threading.Lock()


@contextlib.contextmanager
def exclusive(path: Path, what: str) -> Iterator[None]:
    """Hold the lock file ``path`` for the block; :class:`Locked` at once if it is taken.

    ``what`` names the guarded activity for the error ("signing for wallet 0x…").
    """
    key = os.path.abspath(path)
    with _held_guard:
        if key in _held:
            raise Locked(f"{what} is already in progress in this process: try again when it ends")
        _held.add(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
                raise Locked(
                    f"{what} is already in progress in another process (pid {holder}): "
                    f"stop it or wait for it to finish ({path})"
                ) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            yield
        finally:
            os.close(fd)
    finally:
        with _held_guard:
            _held.discard(key)
