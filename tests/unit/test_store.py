import sqlite3

import pytest

from cs_console.clock import FixedClock
from cs_console.store import migrations
from cs_console.store.db import Store, StoreError


def test_pragmas_and_schema_on_a_file(tmp_path, clock):
    path = tmp_path / "cache.db"
    with Store.open(path, clock) as store:
        assert store.scalar("PRAGMA journal_mode") == "wal"
        assert store.scalar("PRAGMA synchronous") == 2  # FULL
        assert store.scalar("PRAGMA busy_timeout") == 5000
        assert store.scalar("PRAGMA application_id") == migrations.APPLICATION_ID
        tables = {r["name"] for r in store.all("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in (
            "customers",
            "products",
            "orders",
            "order_lines",
            "tickets",
            "messages",
            "returns",
            "outbox",
            "sync_state",
            "audit_log",
            "allergy_cases",
        ):
            assert table in tables


def test_queue_query_uses_the_status_sla_index(seeded):
    plan = " ".join(
        str(tuple(r))
        for r in seeded.conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM tickets t WHERE t.status = 'open' ORDER BY t.sla_due, t.priority, t.id LIMIT 50"
        )
    )
    assert "tickets_status_sla" in plan


def test_not_sqlite_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 10)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not an SQLite database"):
        Store.open(path)
    assert path.read_bytes() == before


def test_foreign_sqlite_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a cs-console cache"):
        Store.open(path)
    assert path.read_bytes() == before


def test_corrupt_cache_gives_a_clear_error(tmp_path, clock):
    path = tmp_path / "cache.db"
    with Store.open(path, clock) as store:
        store.insert_rows("sync_state", [{"key": f"k{i}", "value": "x" * 500} for i in range(200)])
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError):
        Store.open(path)


def test_directory_and_missing_folder_are_refused(tmp_path):
    with pytest.raises(StoreError, match="directory"):
        Store.open(tmp_path)
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "nope" / "cache.db")


def test_bulk_insert_is_one_transaction(store):
    rows = [{"key": f"k{i}", "value": "v"} for i in range(1000)] + [{"key": "k1", "value": "dup"}]
    with pytest.raises(sqlite3.IntegrityError):
        store.insert_rows("sync_state", rows)
    assert store.scalar("SELECT count(*) FROM sync_state") == 0


def test_nested_transaction_rolls_back_inner_only(store):
    with store.transaction():
        store.conn.execute("INSERT INTO sync_state VALUES ('outer', '1')")
        with pytest.raises(RuntimeError), store.transaction():
            store.conn.execute("INSERT INTO sync_state VALUES ('inner', '1')")
            raise RuntimeError("boom")
    assert store.scalar("SELECT group_concat(key) FROM sync_state") == "outer"


def test_audit_log_is_append_only(store):
    store.add_audit(
        "t", "a", "x", None, {}
    )  # rows go in only through the chain (see test_audit_chain)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE audit_log SET actor = 'b'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM audit_log")


def test_queue_order_breached_first_then_due_then_priority(seeded):
    rows = seeded.queue("all", limit=500)
    keys = [(r["status"], r["sla_due"]) for r in rows]  # open first, then waiting (pending)
    assert keys == sorted(keys) and {r["status"] for r in rows} == {"open", "pending"}
    assert seeded.queue_count("all") == len(rows)
    with pytest.raises(ValueError, match="unknown queue filter"):
        seeded.queue("bogus")


def test_queue_filters(seeded, clock):
    now = seeded.now_iso()
    assert all(r["assignee"] is None for r in seeded.queue("unassigned"))
    assert all(r["assignee"] == "agent01" for r in seeded.queue("mine", "agent01"))
    assert all(r["sla_due"] < now for r in seeded.queue("overdue"))
    assert all(r["status"] == "pending" for r in seeded.queue("waiting"))


def test_upgrade_from_an_older_schema(tmp_path):
    """A cache made at version 1 is upgraded by a later step, keeping its data."""
    path = tmp_path / "old.db"
    clock = FixedClock("2026-01-01T00:00:00Z")
    with Store.open(path, clock) as store:
        store.set_sync_value("cursor", "2026-01-01 00:00:00")

    def v2(conn):
        conn.execute("ALTER TABLE tickets ADD COLUMN mood TEXT")

    nxt = migrations.LATEST + 1
    steps = (*migrations.MIGRATIONS, migrations.Migration(nxt, "add mood", v2))
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrations.migrate(conn, "2026-02-01T00:00:00Z", steps) == [nxt]
    assert migrations.migrate(conn, "2026-02-01T00:00:00Z", steps) == []
    columns = [r[1] for r in conn.execute("PRAGMA table_info(tickets)")]
    assert "mood" in columns
    assert (
        conn.execute("SELECT value FROM sync_state WHERE key='cursor'").fetchone()[0]
        == "2026-01-01 00:00:00"
    )
    conn.close()


def test_failed_migration_leaves_nothing_half_done(tmp_path):
    path = tmp_path / "c.db"
    with Store.open(path, FixedClock("2026-01-01T00:00:00Z")):
        pass

    def broken(conn):
        conn.execute("CREATE TABLE half (x)")
        raise RuntimeError("step failed")

    steps = (*migrations.MIGRATIONS, migrations.Migration(migrations.LATEST + 1, "broken", broken))
    conn = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(RuntimeError):
        migrations.migrate(conn, "t", steps)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name='half'").fetchone()[0] == 0
    assert migrations.applied_versions(conn) == {m.version for m in migrations.MIGRATIONS}
    conn.close()


def test_queue_row_and_search(seeded):
    first = seeded.queue("all", limit=1)[0]
    assert seeded.queue_row(first["id"])["subject"] == first["subject"]
    assert seeded.queue_row(10**9) is None
    assert [r["id"] for r in seeded.search_queue(str(first["id"]))] == [first["id"]]
    word = first["subject"][:2]
    found = seeded.search_queue(word)
    assert found and all(word in r["subject"] or word in (r["customer_name"] or "") for r in found)
    assert (
        seeded.search_queue("%") == [] and seeded.search_queue("_") == []
    )  # wildcards are literal


def test_a_version_1_cache_is_upgraded_on_open(tmp_path, clock):
    """A cache written by the first release gains the later steps, data intact."""
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.migrate(conn, "2026-01-01T00:00:00Z", migrations.MIGRATIONS[:1])
    conn.execute("INSERT INTO sync_state VALUES ('cursor', 'kept')")
    conn.close()
    with Store.open(path, clock) as store:
        assert migrations.applied_versions(store.conn) == {m.version for m in migrations.MIGRATIONS}
        names = {
            r["name"] for r in store.all("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        assert {"messages_op", "customers_email"} <= names
        assert store.sync_value("cursor") == "kept"
