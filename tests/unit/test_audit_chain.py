"""The audit log as a hash chain: append-only in SQLite, verifiable, and no write without it."""

import hashlib
import json
import sqlite3

import pytest
from click.testing import CliRunner

from cs_console import demo
from cs_console.cli.root import main
from cs_console.clock import FixedClock
from cs_console.service import audit as audit_service
from cs_console.service.desk import Agent, CacheUnavailable, Desk
from cs_console.store import migrations
from cs_console.store.base import AuditLogTampered
from cs_console.store.db import Store, StoreError


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """The verdict lines below are asserted in English; other languages: test_cli_language."""
    from cs_console import i18n

    monkeypatch.setenv("CS_CONSOLE_LANG", "en")
    before = i18n.language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


NOW = "2026-11-23T08:00:00Z"
GENESIS = "0" * 64
AUDIT_TRIGGERS = tuple(migrations.AUDIT_TRIGGERS)


def _open_ticket(store):
    return store.scalar("SELECT id FROM tickets WHERE status = 'open' ORDER BY id LIMIT 1")


def _counts(store, tables=("messages", "outbox", "audit_log", "sync_state")):
    return {table: store.scalar(f"SELECT count(*) FROM {table}") for table in tables}


def _act(desk):
    """A few ordinary actions, each with its audit row."""
    ticket_id = _open_ticket(desk.store)
    desk.reply(ticket_id, "您好,已为您查询。")
    desk.note(ticket_id, "customer called back")
    desk.set_status(ticket_id, "pending")
    customer_id = desk.ticket(ticket_id)["customer_id"]
    desk.reveal_phone(customer_id)
    return ticket_id


def _strip_protection(conn):
    """What someone holding the file does first: drop every trigger that guards the log."""
    for name in AUDIT_TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


@pytest.fixture
def cache(tmp_path):
    """A seeded cache file with a few actions logged; its path."""
    path = tmp_path / "cache.db"
    clock = FixedClock(NOW)
    with Store.open(path, clock) as store:
        demo.seed(store, tickets=40, seed_value=3, now=clock.now())
        _act(Desk(store, Agent("agent01", "小林", "agent")))
        _act(Desk(store, Agent("agent02", "王", "agent")))
    return path


def _raw(path):
    return sqlite3.connect(path, isolation_level=None)


def _verify(path):
    with Store.open(path, FixedClock(NOW)) as store:
        return audit_service.verify(store)


# -- the chain after ordinary work ----------------------------------------------------------


def test_the_chain_after_ordinary_actions_verifies(desk):
    _act(desk)
    verdict = audit_service.verify(desk.store)
    rows = desk.store.scalar("SELECT count(*) FROM audit_log")
    assert verdict.intact and verdict.rows == rows >= 5  # history_imported + the actions
    last = desk.store.one("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
    assert verdict.head == last["hash"] and verdict.last_id == last["id"]
    assert desk.store.audit_head() == (last["id"], last["hash"])
    assert verdict.lines() == [f"audit log intact: {rows} rows, head {last['hash'][:12]}"]


def test_the_bulk_history_path_writes_one_chained_row(seeded):
    rows = seeded.all("SELECT * FROM audit_log")
    assert [r["action"] for r in rows] == ["history_imported"]
    assert rows[0]["id"] == 1 and rows[0]["prev_hash"] == GENESIS


def test_row_hash_is_sha256_of_a_fixed_json_array(desk):
    _act(desk)
    prev = GENESIS
    for row in desk.store.all("SELECT * FROM audit_log ORDER BY id"):
        encoded = json.dumps(
            [
                row["id"],
                row["at"],
                row["actor"],
                row["action"],
                row["ticket_id"],
                row["detail"],
                row["prev_hash"],
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        assert row["prev_hash"] == prev
        assert row["hash"] == hashlib.sha256(encoded.encode("utf-8")).hexdigest()
        prev = row["hash"]


def test_two_connections_append_to_one_chain(cache):
    clock = FixedClock(NOW)
    with Store.open(cache, clock) as one, Store.open(cache, clock) as two:
        for i in range(5):
            (one if i % 2 else two).add_audit(NOW, "agent01", "probe", None, {"i": i})
    verdict = _verify(cache)
    assert verdict.intact, verdict.lines()


def test_add_audit_alone_runs_in_its_own_transaction(store):
    assert not store.conn.in_transaction
    assert store.add_audit(NOW, "agent01", "probe", None, {"x": "é"}) == 1
    assert not store.conn.in_transaction
    assert audit_service.verify(store).intact


# -- SQLite refuses every rewrite -----------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_log SET actor = 'someone else' WHERE id = 1",
        "DELETE FROM audit_log WHERE id = 1",
        "DELETE FROM audit_log",
        # REPLACE resolves the id conflict by deleting the old row, and SQLite runs no delete
        # trigger for that (recursive_triggers is off); the BEFORE INSERT trigger runs before
        # conflict resolution, so it refuses first.
        "INSERT OR REPLACE INTO audit_log (id, at, actor, action, detail, prev_hash, hash) "
        "SELECT id, at, 'forger', action, detail, prev_hash, hash FROM audit_log WHERE id = 1",
        "REPLACE INTO audit_log (id, at, actor, action, detail, prev_hash, hash) "
        "SELECT id, at, 'forger', action, detail, prev_hash, hash FROM audit_log WHERE id = 1",
        "INSERT OR IGNORE INTO audit_log (id, at, actor, action, detail, prev_hash, hash) "
        "SELECT id, at, 'forger', action, detail, prev_hash, hash FROM audit_log WHERE id = 1",
        "INSERT INTO audit_log (id, at, actor, action, detail, prev_hash, hash) "
        "SELECT id, at, 'forger', action, detail, prev_hash, hash FROM audit_log WHERE id = 1 "
        "ON CONFLICT (id) DO UPDATE SET actor = excluded.actor",
        # a row that does not extend the chain: no id, no hash, a wrong predecessor
        "INSERT INTO audit_log (at, actor, action) VALUES ('t', 'a', 'x')",
        "INSERT INTO audit_log (id, at, actor, action, prev_hash, hash) "
        f"SELECT last_id + 1, 't', 'a', 'x', '{GENESIS}', '{'a' * 64}' FROM audit_head",
        "INSERT INTO audit_log (id, at, actor, action, prev_hash, hash) "
        "SELECT last_id + 1, 't', 'a', 'x', hash, 'not a hash' FROM audit_head",
        "INSERT INTO audit_log (id, at, actor, action, prev_hash, hash) "
        f"SELECT last_id + 5, 't', 'a', 'x', hash, '{'a' * 64}' FROM audit_head",
        # the head follows the log only
        "UPDATE audit_head SET last_id = 1",
        "UPDATE audit_head SET hash = '" + "b" * 64 + "'",
        "DELETE FROM audit_head",
        "INSERT OR REPLACE INTO audit_head (one, last_id, hash) VALUES (1, 0, '" + GENESIS + "')",
    ],
)
def test_sqlite_refuses_every_rewrite_of_the_log(desk, sql):
    _act(desk)
    before = desk.store.all("SELECT * FROM audit_log ORDER BY id")
    head = desk.store.audit_head()
    with pytest.raises(sqlite3.IntegrityError):
        desk.store.conn.execute(sql)
    assert desk.store.all("SELECT * FROM audit_log ORDER BY id") == before
    assert desk.store.audit_head() == head
    assert audit_service.verify(desk.store).intact


def test_replace_is_refused_by_the_before_insert_trigger_not_the_delete_one(desk):
    """Without audit_log_no_replace, REPLACE goes through despite the delete trigger: the
    BEFORE INSERT trigger is what stops it (it fires before conflict resolution)."""
    _act(desk)
    conn = desk.store.conn
    replace = (
        "INSERT OR REPLACE INTO audit_log (id, at, actor, action, detail, prev_hash, hash) "
        "SELECT id, at, 'forger', action, detail, prev_hash, hash FROM audit_log WHERE id = 2"
    )
    with pytest.raises(sqlite3.IntegrityError, match="that row id is taken"):
        conn.execute(replace)
    conn.execute("DROP TRIGGER audit_log_no_replace")
    conn.execute("DROP TRIGGER audit_log_head")  # else the head's own guard refuses it
    assert "audit_log_no_delete" in {
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    conn.execute(replace)
    assert desk.store.scalar("SELECT actor FROM audit_log WHERE id = 2") == "forger"
    verdict = audit_service.verify(desk.store)
    assert verdict.broken is not None and verdict.broken.row == 2
    assert "hash mismatch" in verdict.broken.reason


# -- what verify names ----------------------------------------------------------------------


def test_a_row_edited_around_the_store_is_named(cache):
    conn = _raw(cache)
    _strip_protection(conn)
    conn.execute("UPDATE audit_log SET actor = 'agent99' WHERE id = 3")
    conn.close()
    verdict = _verify(cache)
    assert verdict.broken is not None and verdict.broken.row == 3
    assert verdict.lines()[0] == "audit log broken at row 3 (hash mismatch: the row was changed)"
    assert "audit log unprotected (trigger audit_log_no_update missing)" in verdict.lines()


def test_a_row_rewritten_with_its_hash_recomputed_breaks_the_next_link(cache):
    conn = _raw(cache)
    _strip_protection(conn)
    at, action, ticket_id, detail, prev = conn.execute(
        "SELECT at, action, ticket_id, detail, prev_hash FROM audit_log WHERE id = 3"
    ).fetchone()
    forged = migrations.audit_row_hash(3, at, "agent99", action, ticket_id, detail, prev)
    conn.execute("UPDATE audit_log SET actor = 'agent99', hash = ? WHERE id = 3", (forged,))
    conn.close()
    verdict = _verify(cache)
    assert verdict.lines()[0].startswith(
        "audit log broken at row 4 (prev_hash is not row 3's hash: row 3 was rewritten"
    )


def test_a_deleted_row_is_named_as_a_gap(cache):
    conn = _raw(cache)
    _strip_protection(conn)
    conn.execute("DELETE FROM audit_log WHERE id = 4")
    conn.close()
    assert _verify(cache).lines()[0] == (
        "audit log broken at row 5 (row 4 missing: a gap in the ids)"
    )


def test_a_cut_tail_is_evident_from_the_head(cache):
    conn = _raw(cache)
    last = conn.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    _strip_protection(conn)
    conn.execute("DELETE FROM audit_log WHERE id > ?", (last - 2,))
    conn.close()
    verdict = _verify(cache)
    assert verdict.broken is not None and verdict.broken.row == last - 1
    assert verdict.lines()[0] == (
        f"audit log broken after row {last - 2} (rows {last - 1}-{last} missing: "
        f"the tail was cut (the head records row {last}))"
    )


def test_a_removed_head_record_is_named(cache):
    conn = _raw(cache)
    _strip_protection(conn)
    conn.execute("DELETE FROM audit_head")
    conn.close()
    assert _verify(cache).lines()[0] == (
        "audit log broken at the head (the head record in audit_head is gone)"
    )


def test_a_row_added_around_the_store_is_named(cache):
    conn = _raw(cache)
    _strip_protection(conn)
    conn.execute("INSERT INTO audit_log (at, actor, action) VALUES ('t', 'a', 'x')")
    conn.close()
    verdict = _verify(cache)
    assert "no hash: the row was written around the store" in verdict.lines()[0]


def test_text_that_is_not_utf8_is_named_not_a_crash(cache):
    conn = _raw(cache)
    _strip_protection(conn)
    conn.execute("UPDATE audit_log SET actor = CAST(x'ff' AS TEXT) WHERE id = 2")
    conn.close()
    verdict = _verify(cache)
    assert verdict.broken is not None and verdict.broken.where == "after row 1"
    assert "cannot be read" in verdict.broken.reason


def test_the_limit_a_whole_recomputed_chain_passes_but_the_triggers_do_not(cache):
    """Whoever holds the file can recompute every hash after the row they change and move the
    head: the chain then holds. What still shows is the dropped protection (the write check
    refuses until it is restored) — and nothing else; see the README's security section."""
    conn = _raw(cache)
    _strip_protection(conn)
    conn.execute("UPDATE audit_log SET actor = 'agent99' WHERE id = 3")
    rows = conn.execute(
        "SELECT id, at, actor, action, ticket_id, detail FROM audit_log ORDER BY id"
    ).fetchall()
    prev = GENESIS
    for row_id, *values in rows:
        digest = migrations.audit_row_hash(row_id, *values, prev)
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, row_id)
        )
        prev = digest
    conn.execute("UPDATE audit_head SET last_id = ?, hash = ?", (rows[-1][0], prev))
    conn.close()
    verdict = _verify(cache)
    assert verdict.broken is None and not verdict.intact
    assert verdict.protection == tuple(f"trigger {name} missing" for name in AUDIT_TRIGGERS)


# -- no write without the protection --------------------------------------------------------


@pytest.mark.parametrize("trigger", AUDIT_TRIGGERS)
def test_a_dropped_trigger_refuses_the_next_action_and_writes_nothing(desk, trigger):
    ticket_id = _open_ticket(desk.store)
    desk.store.conn.execute(f"DROP TRIGGER {trigger}")
    before = _counts(desk.store)
    with pytest.raises(CacheUnavailable) as refused:  # what the console and the CLI show
        desk.reply(ticket_id, "您好")
    tampered = refused.value.__cause__
    assert isinstance(tampered, AuditLogTampered)
    assert (
        str(refused.value)
        == str(tampered)
        == (
            f"the audit log's protection is missing (trigger {trigger} missing); "
            "refusing to write — run `cs-console audit verify`"
        )
    )
    assert tampered.problems == (f"trigger {trigger} missing",)
    assert isinstance(tampered, sqlite3.DatabaseError)
    assert _counts(desk.store) == before
    assert not desk.store.conn.in_transaction


def test_a_trigger_dropped_by_another_connection_refuses_the_next_action(cache):
    clock = FixedClock(NOW)
    with Store.open(cache, clock) as store:
        desk = Desk(store, Agent("agent01", "小林", "agent"))
        ticket_id = _open_ticket(store)
        desk.reply(ticket_id, "第一句")
        conn = _raw(cache)
        conn.execute("DROP TRIGGER audit_log_no_replace")
        conn.close()
        before = _counts(store)
        with pytest.raises(CacheUnavailable, match=r"trigger audit_log_no_replace missing"):
            desk.reply(ticket_id, "第二句")
        assert _counts(store) == before


def test_an_altered_or_extra_trigger_refuses_writes(desk):
    conn = desk.store.conn
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT 1; END"
    )
    conn.execute(
        "CREATE TRIGGER audit_log_swallow BEFORE INSERT ON audit_log "
        "WHEN NEW.action = 'reply' BEGIN SELECT RAISE(IGNORE); END"
    )
    with pytest.raises(CacheUnavailable) as refused:
        desk.reply(_open_ticket(desk.store), "您好")
    assert refused.value.__cause__.problems == (
        "trigger audit_log_no_update altered",
        "unexpected trigger audit_log_swallow",
    )


@pytest.mark.parametrize(
    ("sql", "problem"),
    [
        ("DROP TABLE audit_log", "table audit_log missing"),
        ("DROP TABLE audit_head", "table audit_head missing"),
        ("ALTER TABLE audit_log DROP COLUMN hash", "column audit_log.hash missing"),
    ],
)
def test_a_dropped_table_or_column_refuses_every_write(desk, sql, problem):
    conn = desk.store.conn
    _strip_protection(conn)
    conn.execute(sql)
    before = _counts(desk.store, ("messages", "outbox", "sync_state"))
    with pytest.raises(CacheUnavailable, match=problem):
        desk.reply(_open_ticket(desk.store), "您好")
    with pytest.raises(AuditLogTampered):
        desk.store.set_sync_value("cursor", "1")  # any write, not only the desk's
    with pytest.raises(AuditLogTampered):
        desk.store.insert_rows("sync_state", [{"key": "k", "value": "v"}])
    assert _counts(desk.store, ("messages", "outbox", "sync_state")) == before
    verdict = audit_service.verify(desk.store)
    assert not verdict.intact and problem in verdict.protection
    assert verdict.lines()[0].startswith("audit log broken (") or (
        problem == "table audit_head missing" and verdict.broken is None
    )


def test_verify_says_so_when_the_table_is_gone(store):
    _strip_protection(store.conn)
    store.conn.execute("DROP TABLE audit_log")
    verdict = audit_service.verify(store)
    assert verdict.lines()[0] == "audit log broken (the audit_log table is gone)"


# -- the migration --------------------------------------------------------------------------


def _cache_at_v3(path, rows):
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.migrate(conn, NOW, migrations.MIGRATIONS[:3])
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO audit_log (at, actor, action, ticket_id, detail) VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute("COMMIT")
    return conn


def test_the_migration_chains_rows_already_logged(tmp_path):
    path = tmp_path / "old.db"
    rows = [
        (f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}Z", "agent01", "reply", i % 7 or None, "{}")
        for i in range(12_345)  # more than one batch
    ]
    rows[5] = (NOW, "小林", "note", 3, json.dumps({"text": "过敏 \x1b[2J"}, ensure_ascii=False))
    _cache_at_v3(path, rows).close()
    with Store.open(path, FixedClock(NOW)) as store:
        assert migrations.applied_versions(store.conn) == {m.version for m in migrations.MIGRATIONS}
        verdict = audit_service.verify(store)
        assert verdict.intact and verdict.rows == len(rows)
        first = store.one("SELECT * FROM audit_log WHERE id = 1")
        assert first["prev_hash"] == GENESIS
        assert store.audit_head() == (len(rows), verdict.head)
        assert store.add_audit(NOW, "agent01", "probe", None, {}) == len(rows) + 1
        assert store.scalar("SELECT prev_hash FROM audit_log WHERE id = ?", (len(rows) + 1,)) == (
            verdict.head
        )
        assert audit_service.verify(store).intact


def test_the_migration_of_an_empty_log_starts_at_genesis(tmp_path):
    _cache_at_v3(tmp_path / "old.db", []).close()
    with Store.open(tmp_path / "old.db", FixedClock(NOW)) as store:
        assert store.audit_head() == (0, GENESIS)
        assert audit_service.verify(store).lines() == [
            f"audit log intact: 0 rows, head {GENESIS[:12]}"
        ]


def test_the_migration_refuses_a_log_whose_triggers_were_dropped_before(tmp_path):
    conn = _cache_at_v3(tmp_path / "old.db", [(NOW, "a", "x", None, "{}")])
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.close()
    with pytest.raises(StoreError, match="trigger audit_log_no_delete missing"):
        Store.open(tmp_path / "old.db", FixedClock(NOW))
    conn = sqlite3.connect(tmp_path / "old.db")
    assert migrations.applied_versions(conn) == {1, 2, 3}  # nothing half done
    conn.close()


# -- the command line -----------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.setenv("CS_CONSOLE_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text("", encoding="utf-8")


def _cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_cli_verify_intact_exits_0(cache, cli_env):
    result = _cli("audit", "verify", "--db", cache)
    assert result.exit_code == 0, result.output
    verdict = _verify(cache)
    assert result.output == f"audit log intact: {verdict.rows} rows, head {verdict.head[:12]}\n"
    data = json.loads(_cli("audit", "verify", "--db", cache, "--json").output)
    assert data["intact"] is True and data["broken"] is None and data["protection"] == []
    assert data["rows"] == verdict.rows and data["head"] == verdict.head


def test_cli_verify_names_the_broken_row_and_exits_1(cache, cli_env):
    conn = _raw(cache)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET detail = '{}' WHERE id = 2")
    conn.close()
    result = _cli("audit", "verify", "--db", cache)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "audit log broken at row 2 (hash mismatch: the row was changed)",
        "audit log unprotected (trigger audit_log_no_update missing)",
    ]
    result = _cli("audit", "verify", "--db", cache, "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["intact"] is False and data["broken"]["row"] == 2
    assert data["protection"] == ["trigger audit_log_no_update missing"]


def test_cli_verify_with_only_a_trigger_gone(cache, cli_env):
    conn = _raw(cache)
    conn.execute("DROP TRIGGER audit_log_no_replace")
    conn.close()
    result = _cli("audit", "verify", "--db", cache)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "audit log unprotected (trigger audit_log_no_replace missing)"
    assert lines[1].startswith("the chain itself holds: ")


def test_cli_reply_is_refused_in_one_line_when_the_log_is_unprotected(cache, cli_env):
    conn = _raw(cache)
    conn.execute("DROP TRIGGER audit_log_no_replace")
    ticket_id = conn.execute("SELECT id FROM tickets WHERE status = 'open' LIMIT 1").fetchone()[0]
    before = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
    conn.close()
    result = _cli("--lang", "en", "reply", "--db", cache, "--ticket", ticket_id, "--body", "您好")
    assert result.exit_code == 1
    assert "audit log's protection is missing (trigger audit_log_no_replace missing)" in (
        result.output
    )
    assert "Traceback" not in result.output
    conn = _raw(cache)
    assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == before
    conn.close()


def test_cli_list_filters_by_ticket_and_shows_control_characters(cache, cli_env):
    with Store.open(cache, FixedClock(NOW)) as store:
        ticket_id = _open_ticket(store)
        detail = {"text": "\x1b]0;owned\x07 hi\r\u202eevil\x9b2J"}
        store.add_audit(NOW, "rt:\x1b[2Jbob", "note", ticket_id, detail)
    result = _cli("audit", "list", "--db", cache, "--ticket", ticket_id, "--limit", 1)
    assert result.exit_code == 0, result.output
    (line,) = result.output.splitlines()
    assert f"#{ticket_id}" in line and "  note  " in line and "rt:^[[2Jbob" in line
    assert not any(ch in line for ch in "\x1b\x07\r\u202e\x9b")
    assert "\\u001b]0;owned\\u0007 hi\\r<U+202E>evil<U+009B>2J" in line
    rows = json.loads(_cli("audit", "list", "--db", cache, "--json", "--limit", 3).output)
    assert len(rows) == 3 and rows[0]["detail"] == detail
    assert rows[0]["id"] > rows[1]["id"] > rows[2]["id"]
