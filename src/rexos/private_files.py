"""Folders and files only their owner can read: the data directory, keys, stores.

RexOS creates every folder of its data directory with mode 0700 and every file
that holds a secret or private data (keystores, key files, the ledger of signed
transactions, plans) with mode 0600, whatever the umask. A folder it opens that
already grants group or other users any access is tightened to owner-only: the
data directory may have been made by hand or by an older version, and what lies
in it (signed transactions, plans, keys) is nobody else's business.

Secret keys are never replaced silently: :func:`read_secret_key` creates a
missing key, but refuses a key file that exists with the wrong length (empty
after a crash or a full disk, truncated, or something else), because a short
or empty key would let anyone forge what it authenticates.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from rexos.errors import SecretFileInvalid, StorageError

__all__ = ["ensure_private_dir", "read_secret_key", "tighten_file", "write_private_file"]

_PRIVATE_DIR = 0o700
_PRIVATE_FILE = 0o600
_OTHERS = stat.S_IRWXG | stat.S_IRWXO


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and every missing parent) with mode 0700; return it.

    An existing ``path`` that grants group or other users access is tightened to
    owner-only (existing parents are left alone). Raises :class:`StorageError`
    naming the folder when it cannot be created or is not a folder.
    """
    path = Path(path)
    missing: list[Path] = []
    probe = path
    try:
        while not probe.exists() and probe != probe.parent:
            missing.append(probe)
            probe = probe.parent
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):
                os.mkdir(folder, _PRIVATE_DIR)
                os.chmod(folder, _PRIVATE_DIR)
        info = os.stat(path)
    except OSError as exc:
        raise StorageError(f"cannot create the folder {path} ({_reason(exc)})") from exc
    if not stat.S_ISDIR(info.st_mode):
        raise StorageError(f"{path} is not a folder: move it aside so RexOS can create one")
    if info.st_mode & _OTHERS:
        _tighten(path, stat.S_IMODE(info.st_mode) & ~_OTHERS)
    return path


def tighten_file(path: Path) -> None:
    """Drop group and other permissions from an existing file we own (missing: no-op)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StorageError(f"cannot read {path} ({_reason(exc)})") from exc
    if stat.S_ISREG(info.st_mode) and info.st_mode & _OTHERS:
        _tighten(path, stat.S_IMODE(info.st_mode) & ~_OTHERS)


def _tighten(path: Path, mode: int) -> None:
    # Not our file (another owner): we cannot change it, and it is not ours to change.
    with contextlib.suppress(PermissionError):
        os.chmod(path, mode)


def write_private_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically with mode 0600 (folders made 0700).

    Readers see the old content or the new, never a part: the bytes go to a
    temporary file in the same folder, are flushed to disk, then renamed over
    ``path``. Raises :class:`StorageError` naming the file.
    """
    path = Path(path)
    ensure_private_dir(path.parent)
    try:
        _write_beside(path, data, os.replace)
    except OSError as exc:
        raise StorageError(f"cannot write {path} ({_reason(exc)})") from exc


def read_secret_key(path: Path, length: int = 32) -> bytes:
    """The ``length``-byte secret key in ``path``, created (random, 0600) if missing.

    Creation is atomic and exclusive: the key is written to a temporary file and
    hard-linked into place, so two processes racing agree on one key and no
    reader ever sees a partly written one. A file that exists but does not hold
    exactly ``length`` bytes (empty, truncated, longer) raises
    :class:`SecretFileInvalid`; it is never used or overwritten.
    """
    if length < 1:
        raise ValueError("a secret key has at least one byte")
    path = Path(path)
    existing = _read_key_file(path, length)
    if existing is not None:
        return existing
    ensure_private_dir(path.parent)
    key = secrets.token_bytes(length)
    try:
        _write_beside(path, key, _link_unless_there)
    except OSError as exc:
        raise StorageError(f"cannot create the key file {path} ({_reason(exc)})") from exc
    found = _read_key_file(path, length)
    if found is None:
        raise StorageError(f"the key file {path} vanished while it was being created")
    return found


def _read_key_file(path: Path, length: int) -> bytes | None:
    """The key in ``path``; ``None`` when there is no file; refuses a wrong length."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(length + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(f"cannot read the key file {path} ({_reason(exc)})") from exc
    if len(data) != length:
        size = "empty" if not data else ("longer" if len(data) > length else f"{len(data)} bytes")
        raise SecretFileInvalid(
            f"the key file {path} is {size}, not a {length}-byte key: refusing to use it; "
            "restore it from a backup, or delete it to make a new key"
        )
    tighten_file(path)
    return data


def _write_beside(path: Path, data: bytes, publish: Callable[[str, Path], None]) -> None:
    """Write ``data`` to a temporary file beside ``path`` (0600, flushed to disk), then
    ``publish(temporary, path)``; the temporary file never stays behind."""
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), _PRIVATE_FILE)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        publish(temp_name, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)


def _link_unless_there(temp_name: str, path: Path) -> None:
    """Put the file in place only if ``path`` does not exist yet (a racing creator won)."""
    with contextlib.suppress(FileExistsError):
        os.link(temp_name, path)
