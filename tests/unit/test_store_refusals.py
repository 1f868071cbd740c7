"""``Store.open`` refuses every file that is not a cs-console cache without writing a byte.

Each refusal compares every file in the folder (bytes and modification time) before and after,
so a rolled-back journal, a replayed WAL, a new ``-wal``/``-shm``/``-journal`` or an overwritten
application id all fail the test.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from cs_console.cli.root import main
from cs_console.store import migrations
from cs_console.store.db import APP_ID_AT, Store, StoreError

Snapshot = dict[str, tuple[bytes, int]]


def snapshot(folder: Path) -> Snapshot:
    """Every file under ``folder``: its bytes and mtime (ns)."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def refused(path: Path, folder: Path, match: str) -> str:
    """Open ``path``, expect a one-line StoreError matching ``match`` and an unchanged folder."""
    before = snapshot(folder)
    with pytest.raises(StoreError, match=match) as caught:
        Store.open(path)
    assert snapshot(folder) == before
    message = str(caught.value)
    assert "\n" not in message
    assert "nothing was changed" in message or "nothing was created" in message
    return message


def header_app_id(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[APP_ID_AT : APP_ID_AT + 4], "big")


def foreign(path: Path, *statements: str) -> Path:
    conn = sqlite3.connect(path, isolation_level=None)
    for sql in statements:
        conn.execute(sql)
    conn.close()
    return path


# -- what gets a cache --------------------------------------------------------------------


def test_a_new_path_gets_a_cache_marked_in_its_header_at_once(tmp_path, clock):
    path = tmp_path / "cache.db"
    with Store.open(path, clock) as store:
        # the mark is in the main file while the first changes still sit in the WAL
        assert header_app_id(path) == migrations.APPLICATION_ID
        assert migrations.applied_versions(store.conn) == {m.version for m in migrations.MIGRATIONS}
        store.set_sync_value("cursor", "kept")
    with Store.open(path, clock) as store:
        assert store.sync_value("cursor") == "kept"


def test_an_existing_cache_opens_while_another_connection_holds_it(tmp_path, clock):
    path = tmp_path / "cache.db"
    with Store.open(path, clock) as first, Store.open(path, clock) as second:
        first.set_sync_value("k", "v")
        assert second.sync_value("k") == "v"


def test_a_cache_whose_mark_is_still_only_in_its_wal_opens(tmp_path, clock):
    """An earlier release wrote the mark inside the first migration, after switching to WAL: until
    a checkpoint the main file's header says 0 and only the WAL has the mark."""
    path = tmp_path / "cache.db"
    older = sqlite3.connect(path, isolation_level=None)
    older.execute("PRAGMA journal_mode = WAL")
    migrations.migrate(older, "2026-01-01T00:00:00Z")
    older.execute("INSERT INTO sync_state VALUES ('cursor', 'from the WAL')")
    assert header_app_id(path) == 0 and Path(f"{path}-wal").stat().st_size > 0
    try:
        with Store.open(path, clock) as store:
            assert store.sync_value("cursor") == "from the WAL"
    finally:
        older.close()


# -- what is refused ----------------------------------------------------------------------


def test_a_zero_byte_file_is_refused(tmp_path):
    path = tmp_path / "cache.db"
    path.write_bytes(b"")
    message = refused(path, tmp_path, "empty")
    assert "0 bytes" in message and "Remove it" in message
    assert path.read_bytes() == b""


@pytest.mark.parametrize(
    "statements",
    [
        ("PRAGMA user_version = 7",),
        ("PRAGMA journal_mode = WAL",),
        ("CREATE TABLE t (x)", "DROP TABLE t"),
    ],
    ids=["user-version", "wal-mode", "table-dropped"],
)
def test_an_empty_sqlite_file_of_another_program_is_not_adopted(tmp_path, statements):
    path = foreign(tmp_path / "other.db", *statements)
    assert path.stat().st_size > 0 and header_app_id(path) == 0
    refused(path, tmp_path, "not a cs-console cache")
    assert header_app_id(path) == 0


@pytest.mark.parametrize("app_id", [0, 0x12345678])
def test_an_sqlite_file_with_tables_is_refused(tmp_path, app_id):
    path = foreign(
        tmp_path / "other.db", f"PRAGMA application_id = {app_id}", "CREATE TABLE recipes (x)"
    )
    message = refused(path, tmp_path, "not a cs-console cache")
    if app_id:
        assert "0x12345678" in message


def test_an_sqlite_file_with_a_hot_journal_is_not_rolled_back(tmp_path):
    """Copy a database and its journal in the middle of a transaction (as a crash leaves them):
    SQLite would roll the journal back into the file on open."""
    live, crashed = tmp_path / "live", tmp_path / "crashed"
    live.mkdir()
    crashed.mkdir()
    path = foreign(live / "other.db", "CREATE TABLE t (x)")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA cache_size = 1")  # spill changed pages to the file before commit
    conn.execute("INSERT INTO t VALUES (randomblob(1000))")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO t VALUES (randomblob(1000))", [()] * 200)
    journal = Path(f"{path}-journal")
    assert journal.stat().st_size > 0
    shutil.copy(path, crashed / "other.db")
    shutil.copy(journal, crashed / "other.db-journal")
    conn.execute("ROLLBACK")
    conn.close()
    message = refused(crashed / "other.db", crashed, "unfinished transaction")
    assert "other.db-journal" in message


def test_an_sqlite_file_with_an_unreplayed_wal_is_left_alone(tmp_path):
    live, crashed = tmp_path / "live", tmp_path / "crashed"
    live.mkdir()
    crashed.mkdir()
    path = foreign(live / "other.db", "PRAGMA journal_mode = WAL")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES ('in the WAL only')")
    shutil.copy(path, crashed / "other.db")
    shutil.copy(f"{path}-wal", crashed / "other.db-wal")  # no -shm: as after a crash
    conn.close()
    message = refused(crashed / "other.db", crashed, "not a cs-console cache")
    assert "other.db-wal" in message
    assert not Path(crashed / "other.db-shm").exists()


def test_a_cache_of_a_newer_schema_is_refused_naming_both_versions(tmp_path, clock):
    path = tmp_path / "cache.db"
    with Store.open(path, clock) as store:
        newer = migrations.LATEST + 2
        store.conn.execute(
            "INSERT INTO migrations VALUES (?, 'from the future', '2030-01-01T00:00:00Z')",
            (newer,),
        )
        store.conn.execute(f"PRAGMA user_version = {newer}")  # as a newer cs-console keeps it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache.db"]
    message = refused(path, tmp_path, "newer than this cs-console knows")
    assert f"version {newer}" in message and f"({migrations.LATEST})" in message


def test_a_newer_schema_in_a_header_from_before_user_version_is_read_from_its_table(
    tmp_path, clock
):
    """A cache last migrated before the header kept the version (user_version 0): the
    read-only check reads the migrations table instead, and still refuses before any write."""
    path = tmp_path / "cache.db"
    with Store.open(path, clock) as store:
        assert store.scalar("PRAGMA user_version") == migrations.LATEST
        store.conn.execute(
            "INSERT INTO migrations VALUES (?, 'from the future', '2030-01-01T00:00:00Z')",
            (migrations.LATEST + 1,),
        )
        store.conn.execute("PRAGMA user_version = 0")
    message = refused(path, tmp_path, "newer than this cs-console knows")
    assert f"version {migrations.LATEST + 1}" in message


def test_the_header_keeps_the_newest_step_even_for_a_cache_migrated_before_it(tmp_path, clock):
    path = tmp_path / "cache.db"
    with Store.open(path, clock) as store:
        store.conn.execute("PRAGMA user_version = 0")  # as the last version left it
    with Store.open(path, clock) as store:
        assert store.scalar("PRAGMA user_version") == migrations.LATEST


def test_a_newer_schema_still_in_the_wal_is_refused_before_any_write(tmp_path, clock):
    """Another (newer) console has the cache open: its migration is in the WAL, not the file."""
    path = tmp_path / "cache.db"
    with Store.open(path, clock):
        pass
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA wal_autocheckpoint = 0")
    other.execute(
        "INSERT INTO migrations VALUES (?, 'newer', '2030-01-01T00:00:00Z')",
        (migrations.LATEST + 1,),
    )
    other.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    try:
        main, wal = path.read_bytes(), Path(f"{path}-wal").read_bytes()
        with pytest.raises(StoreError, match=f"version {migrations.LATEST + 1} is newer"):
            Store.open(path, clock)
        assert path.read_bytes() == main and Path(f"{path}-wal").read_bytes() == wal
    finally:
        other.close()


def test_migrate_itself_refuses_a_newer_schema_before_writing(tmp_path, clock):
    path = tmp_path / "cache.db"
    with Store.open(path, clock):
        pass
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("INSERT INTO migrations VALUES (?, 'newer', 't')", (migrations.LATEST + 1,))
    changes = conn.total_changes
    with pytest.raises(migrations.SchemaTooNew) as caught:
        migrations.migrate(conn, "t")
    assert conn.total_changes == changes
    assert (caught.value.version, caught.value.known) == (migrations.LATEST + 1, migrations.LATEST)
    conn.close()


def test_a_directory_is_refused(tmp_path):
    (tmp_path / "inside.txt").write_text("kept")
    refused(tmp_path, tmp_path, "is a directory")


def test_a_missing_folder_is_refused_and_nothing_is_created(tmp_path):
    refused(tmp_path / "nope" / "cache.db", tmp_path, "folder .* does not exist")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "content",
    [b"SQLite format 3\x00short", b"not a database at all\n" * 20],
    ids=["cut-header", "text"],
)
def test_a_file_that_is_not_sqlite_is_refused(tmp_path, content):
    path = tmp_path / "cache.db"
    path.write_bytes(content)
    refused(path, tmp_path, "not an SQLite database")


def test_an_unreadable_file_is_refused(tmp_path):
    path = tmp_path / "cache.db"
    path.write_bytes(b"x" * 200)
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("mode 000 does not stop this user reading (root)")
        with pytest.raises(StoreError, match="cannot read it"):
            Store.open(path)
    finally:
        path.chmod(0o600)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache.db"]
    assert path.read_bytes() == b"x" * 200


def test_the_cli_names_the_refusal_in_one_line_and_exits_1(tmp_path, monkeypatch):
    monkeypatch.setenv("CS_CONSOLE_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    path = tmp_path / "cache.db"
    path.write_bytes(b"")
    result = CliRunner().invoke(main, ["queue", "--db", str(path)])
    assert result.exit_code == 1, result.output
    assert "empty" in result.output and result.output.count("\n") == 1
    assert path.read_bytes() == b""


def test_a_new_cache_and_its_wal_are_readable_by_their_owner_only(tmp_path):
    import stat

    path = tmp_path / "new.db"
    store = Store.open(path)
    store.set_sync_value("k", "v")
    try:
        for name in (path, tmp_path / "new.db-wal"):
            assert stat.S_IMODE(os.stat(name).st_mode) == 0o600, name
    finally:
        store.close()
