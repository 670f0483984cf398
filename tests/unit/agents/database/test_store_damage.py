"""A damaged index file, each test written as the attack (issue 11).

Observed before: random bytes, a truncated index or a folder in place of
``index/<chain>.duckdb`` reached the user as a DuckDB traceback (or a ``ConfigError`` that
quoted DuckDB's several-line message); the table statements ran outside any ``try``, and
DuckDB notices some truncations only when it writes; the
folder and the file were created with the umask's modes (0755 and 0644). Now each case is
one :class:`StoreUnreadable` line naming the file and the remedy, the damaged file is left
as it was for the user to inspect, and what DuckDB writes is owner-only.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from rexos.agents.database import run_query
from rexos.chainindex.store import IndexStore, index_path
from rexos.errors import StoreUnreadable

REMEDY = "move it aside and rebuild it with `rexos index`"
CHAIN = 31337


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _open_umask() -> Iterator[None]:
    """The common umask, under which DuckDB creates world-readable files."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture(scope="module")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a small, healthy index."""
    path = tmp_path_factory.mktemp("healthy") / "index.duckdb"
    with IndexStore(path) as store, store.write() as w:
        w.insert("tokens", [{"address": "0x" + "11" * 20, "symbol": "REX", "decimals": 18}])
        w.set_cursor(CHAIN, 42)
    return path.read_bytes()


def _index_into(path: Path) -> None:
    """What ``rexos index`` does: open, read the cursor, write a chunk, close."""
    with IndexStore(path) as store:
        cursor = store.cursor_block(CHAIN)
        with store.write() as w:
            w.set_cursor(CHAIN, (cursor or 0) + 1)


def _refused(path: Path) -> str:
    """Index into ``path``: it must fail with one line naming it and the remedy."""
    with pytest.raises(StoreUnreadable) as info:
        _index_into(path)
    line = str(info.value)
    assert "\n" not in line, line
    assert str(path) in line, line
    assert REMEDY in line, line
    return line


def test_random_bytes_are_one_line_and_left_alone(tmp_path: Path) -> None:
    path = index_path(tmp_path, CHAIN)
    path.parent.mkdir()
    garbage = os.urandom(64 * 1024)
    path.write_bytes(garbage)
    line = _refused(path)
    assert "is not a readable DuckDB index" in line
    assert path.read_bytes() == garbage


@pytest.mark.parametrize("keep", [0, 100, 5000, 0.5])
def test_a_truncated_index_is_one_line(tmp_path: Path, real_index: bytes, keep: float) -> None:
    path = tmp_path / "index.duckdb"
    cut = real_index[: int(len(real_index) * keep) if isinstance(keep, float) else keep]
    path.write_bytes(cut)
    _refused(path)
    assert path.read_bytes() == cut


@pytest.mark.parametrize("offset", [4096, 8192, 12288])
def test_a_damaged_block_is_one_line(tmp_path: Path, real_index: bytes, offset: int) -> None:
    damaged = bytearray(real_index)
    damaged[offset : offset + 64] = bytes(b ^ 0xFF for b in damaged[offset : offset + 64])
    path = tmp_path / "index.duckdb"
    path.write_bytes(bytes(damaged))
    _refused(path)


def test_a_folder_in_place_of_the_index(tmp_path: Path) -> None:
    path = index_path(tmp_path, CHAIN)
    path.mkdir(parents=True)
    assert "is a folder" in _refused(path)
    assert path.is_dir()


def test_a_question_on_a_damaged_index_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "index.duckdb"
    path.write_bytes(b"not an index\n" * 500)
    with pytest.raises(StoreUnreadable) as info:
        run_query(path, "SELECT 1")
    line = str(info.value)
    assert "\n" not in line
    assert str(path) in line
    assert REMEDY in line


_HOLDER = """
import sys
import duckdb
db = duckdb.connect(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()
"""


def test_an_index_in_use_by_another_process_says_so(tmp_path: Path, real_index: bytes) -> None:
    path = tmp_path / "index.duckdb"
    path.write_bytes(real_index)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreUnreadable) as info:
            IndexStore(path)
    finally:
        holder.communicate("", timeout=60)
    line = str(info.value)
    assert "\n" not in line
    assert str(path) in line
    assert "in use by another process" in line
    _index_into(path)  # once the other process is gone it opens again
    with IndexStore(path) as store:
        assert store.cursor_block(CHAIN) == 43


def test_a_new_index_is_private(tmp_path: Path) -> None:
    path = index_path(tmp_path / "home", CHAIN)
    with IndexStore(path) as store:
        with store.write() as w:
            w.set_cursor(CHAIN, 7)
        wal = path.with_name(path.name + ".wal")
        assert wal.is_file()
        assert _mode(wal) == 0o600
        assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    assert _mode(path.parent.parent) == 0o700
    assert _mode(path) == 0o600


def test_an_index_left_world_readable_is_tightened(tmp_path: Path, real_index: bytes) -> None:
    path = index_path(tmp_path, CHAIN)
    path.parent.mkdir(mode=0o755)
    os.chmod(path.parent, 0o755)
    path.write_bytes(real_index)
    os.chmod(path, 0o644)
    with IndexStore(path) as store:
        assert store.cursor_block(CHAIN) == 42
    assert _mode(path.parent) == 0o700
    assert _mode(path) == 0o600
