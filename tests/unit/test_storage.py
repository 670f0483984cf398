"""Stores and private files: damage gives one clear error naming the file; modes stay private.

Every test uses real SQLite files on disk, damaged the way disks, crashes and
attackers damage them.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from rexos.bot.store import BotStore
from rexos.bridges.relayer import RelayerStore
from rexos.config import Settings
from rexos.dprompt.node_store import NodeStore
from rexos.errors import RexosError, SecretFileInvalid, StorageError, StoreUnreadable
from rexos.orchestrator.store import PlanStore
from rexos.private_files import ensure_private_dir, read_secret_key, write_private_file
from rexos.sqlite import open_store

SCHEMA = "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, doc TEXT NOT NULL);"
AS_ROOT = os.geteuid() == 0


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _healthy(path: Path, rows: int = 2000) -> bytes:
    """A real store with several pages of rows, checkpointed into the main file."""
    db = open_store(path, SCHEMA)
    with db:
        db.executemany("INSERT INTO t (doc) VALUES (?)", [("x" * 300,)] * rows)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path.read_bytes()


def _overwrite_middle(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes(range(256)) * 16 + data[middle + 4096 :]


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "random bytes": lambda data: os.urandom(len(data)),
    "text file": lambda data: b"plans = []\n" * 50,
    "header only": lambda data: data[:16],
    "truncated to 100 bytes": lambda data: data[:100],
    "truncated to one page": lambda data: data[:4096],
    "truncated in half": lambda data: data[: len(data) // 2],
    "a page overwritten": _overwrite_middle,
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_store_gives_one_line_naming_the_file(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "wallet" / "ledger.sqlite"
    path.parent.mkdir()
    path.write_bytes(DAMAGE[damage](_healthy(tmp_path / "good.sqlite")))
    with pytest.raises(StoreUnreadable) as caught:
        open_store(path, SCHEMA)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path} is ")
    assert "move it aside" in message and "restore a backup" in message


def test_the_healthy_store_these_are_made_from_opens(tmp_path: Path) -> None:
    path = tmp_path / "good.sqlite"
    _healthy(path, rows=10)
    db = open_store(path, SCHEMA)
    assert db.execute("SELECT count(*) FROM t").fetchone() == (10,)
    db.close()


def test_not_a_database_names_the_sqlite_reason(tmp_path: Path) -> None:
    path = tmp_path / "plans.sqlite"
    path.write_bytes(b"\x00garbage" * 600)
    with pytest.raises(StoreUnreadable, match=r"plans\.sqlite is not a readable SQLite database "
                       r"\(file is not a database\): move it aside to start afresh"):  # fmt: skip
        open_store(path, SCHEMA)


def test_a_folder_where_the_store_should_be(tmp_path: Path) -> None:
    path = tmp_path / "plans.sqlite"
    path.mkdir()
    with pytest.raises(StoreUnreadable, match="is a folder, not a SQLite database"):
        open_store(path, SCHEMA)


def test_a_file_where_the_store_folder_should_be(tmp_path: Path) -> None:
    (tmp_path / "wallet").write_text("not a folder")
    with pytest.raises(StorageError, match=r"wallet is not a folder"):
        open_store(tmp_path / "wallet" / "ledger.sqlite", SCHEMA)


def _open_as_nobody(path: Path, answer: object) -> None:
    """In a forked child: drop to ``nobody`` when root (root reads whatever the mode), then
    try to open the unreadable store."""
    if AS_ROOT:
        os.setgid(65534)
        os.setuid(65534)
    try:
        open_store(path, SCHEMA)
        answer.put("opened")  # type: ignore[attr-defined]
    except StoreUnreadable as exc:
        answer.put(str(exc))  # type: ignore[attr-defined]


def test_a_store_without_permission() -> None:
    import multiprocessing
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="rexos-perm-"))  # in /tmp: nobody may enter it
    try:
        path = folder / "plans.sqlite"
        _healthy(path, rows=1)
        path.chmod(0)
        if AS_ROOT:
            os.chown(folder, 65534, 65534)
        ctx = multiprocessing.get_context("fork")
        answer = ctx.Queue()
        child = ctx.Process(target=_open_as_nobody, args=(path, answer))
        child.start()
        message = answer.get(timeout=60)
        child.join(60)
        assert "permission denied" in message and "plans.sqlite" in message, message
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_locked_store_says_it_is_in_use(tmp_path: Path) -> None:
    path = tmp_path / "plans.sqlite"
    _healthy(path, rows=1)
    holder = sqlite3.connect(path)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreUnreadable, match="in use by another process"):
            open_store(path, SCHEMA)
    finally:
        holder.rollback()
        holder.close()


def test_an_empty_file_is_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "plans.sqlite"
    path.touch()
    db = open_store(path, SCHEMA)
    assert db.execute("SELECT count(*) FROM t").fetchone() == (0,)
    db.close()


@pytest.mark.parametrize(
    "opener",
    [
        lambda path: PlanStore(path),
        lambda path: BotStore(path),
        lambda path: RelayerStore(path),
        lambda path: NodeStore(path),
    ],
    ids=["plans", "bot", "relayer", "dprompt-node"],
)
def test_every_store_refuses_a_damaged_file(
    tmp_path: Path, opener: Callable[[Path], object]
) -> None:
    path = tmp_path / "store.sqlite"
    path.write_bytes(os.urandom(8192))
    with pytest.raises(StoreUnreadable, match=r"store\.sqlite is not a readable SQLite"):
        opener(path)


def test_the_dprompt_node_store_still_commits_its_own_transactions(tmp_path: Path) -> None:
    store = NodeStore(tmp_path / "node.sqlite")
    store.set_last_block(41)
    store.close()
    again = NodeStore(tmp_path / "node.sqlite")
    assert again.last_block() == 41
    again.close()


# ------------------------------------------------------------------ modes


def test_new_store_file_side_files_and_folders_are_private(tmp_path: Path) -> None:
    path = tmp_path / "home" / "wallet" / "ledger.sqlite"
    db = open_store(path, SCHEMA)
    with db:
        db.execute("INSERT INTO t (doc) VALUES ('signed tx')")
    assert _mode(tmp_path / "home") == 0o700
    assert _mode(path.parent) == 0o700
    assert _mode(path) == 0o600
    for side in ("-wal", "-shm"):
        side_file = path.with_name(path.name + side)
        assert side_file.exists(), side
        assert _mode(side_file) == 0o600, side
    db.close()


def test_files_and_folder_left_open_by_an_older_version_are_tightened(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    path = home / "plans.sqlite"
    _healthy(path, rows=1)
    path.chmod(0o644)
    home.chmod(0o755)
    db = open_store(path, SCHEMA)
    assert _mode(home) == 0o700
    assert _mode(path) == 0o600
    db.close()


def test_a_wide_umask_does_not_widen_what_is_created(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        path = tmp_path / "a" / "b" / "plans.sqlite"
        open_store(path, SCHEMA).close()
        written = tmp_path / "c" / "secret.bin"
        write_private_file(written, b"x")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "a") == _mode(tmp_path / "a" / "b") == 0o700
    assert _mode(path) == 0o600
    assert _mode(tmp_path / "c") == 0o700 and _mode(written) == 0o600


def test_ensure_private_dir_tightens_only_the_folder_asked_for(tmp_path: Path) -> None:
    parent = tmp_path / "parent"
    parent.mkdir()
    parent.chmod(0o755)
    target = parent / "home"
    target.mkdir()
    target.chmod(0o775)
    assert ensure_private_dir(target) == target
    assert _mode(target) == 0o700
    assert _mode(parent) == 0o755


def test_settings_ensure_home_creates_or_tightens_the_data_dir(tmp_path: Path) -> None:
    fresh = Settings(home=tmp_path / "fresh" / ".rexos")
    assert fresh.ensure_home() == fresh.home
    assert _mode(fresh.home) == 0o700 and _mode(tmp_path / "fresh") == 0o700
    old = tmp_path / "old"
    old.mkdir()
    old.chmod(0o755)
    Settings(home=old).ensure_home()
    assert _mode(old) == 0o700


def test_write_private_file_replaces_atomically(tmp_path: Path) -> None:
    path = tmp_path / "deployments" / "1.json"
    write_private_file(path, b"first")
    path.chmod(0o644)
    write_private_file(path, b"second")
    assert path.read_bytes() == b"second"
    assert _mode(path) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["1.json"]


def test_write_private_file_into_a_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "keystore").write_text("oops")
    with pytest.raises(StorageError, match="keystore is not a folder"):
        write_private_file(tmp_path / "keystore" / "a.json", b"{}")


# ------------------------------------------------------------------ secret keys


def test_read_secret_key_creates_a_private_key_once(tmp_path: Path) -> None:
    path = tmp_path / "wallet" / "confirm.key"
    key = read_secret_key(path)
    assert len(key) == 32
    assert path.read_bytes() == key
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700
    assert read_secret_key(path) == key
    assert [p.name for p in path.parent.iterdir()] == ["confirm.key"]


def test_read_secret_key_of_another_length(tmp_path: Path) -> None:
    path = tmp_path / "k"
    assert len(read_secret_key(path, length=64)) == 64
    with pytest.raises(SecretFileInvalid, match="longer, not a 16-byte key"):
        read_secret_key(path, length=16)


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "is empty"), (b"\x01" * 31, "is 31 bytes"), (b"\x01" * 33, "is longer")],
    ids=["empty", "short", "long"],
)
def test_read_secret_key_refuses_a_wrong_length_key_and_leaves_it(
    tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "confirm.key"
    path.write_bytes(content)
    with pytest.raises(SecretFileInvalid) as caught:
        read_secret_key(path)
    message = str(caught.value)
    assert str(path) in message and words in message and "refusing to use it" in message
    assert "\n" not in message
    assert path.read_bytes() == content


def test_read_secret_key_tightens_a_readable_key(tmp_path: Path) -> None:
    path = tmp_path / "confirm.key"
    path.write_bytes(b"k" * 32)
    path.chmod(0o644)
    assert read_secret_key(path) == b"k" * 32
    assert _mode(path) == 0o600


def test_read_secret_key_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "confirm.key").mkdir()
    with pytest.raises(StorageError, match=r"cannot read the key file .*confirm\.key"):
        read_secret_key(tmp_path / "confirm.key")


def test_every_storage_error_is_a_rexos_error() -> None:
    assert issubclass(StoreUnreadable, StorageError)
    assert issubclass(SecretFileInvalid, StorageError)
    assert issubclass(StorageError, RexosError)
