"""Versioned schema migrations for the local cache.

Each migration is a numbered step applied once, inside a transaction, and recorded in the
``migrations`` table. A database is upgraded by running every step it has not seen, in order.
Never edit a step that has shipped: add a new one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cs_console.store import metrics_schema, metrics_slots

APPLICATION_ID = 0x63736331  # "csc1": marks a file as a cs-console cache


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run several statements inside the caller's transaction.

    ``executescript`` would COMMIT the open transaction first, so statements are split here
    (``complete_statement`` keeps trigger bodies whole) and executed one by one.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement.strip()[:60]}")


def _v1_initial(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE agents (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT 'agent',          -- trainee | agent | supervisor
            skill_groups TEXT NOT NULL DEFAULT '[]'      -- JSON list
        );
        CREATE TABLE customers (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            phone TEXT,
            email TEXT,
            tier TEXT NOT NULL DEFAULT 'member',
            points INTEGER NOT NULL DEFAULT 0,
            skin_type TEXT,
            allergies TEXT NOT NULL DEFAULT '[]',        -- JSON list of allergens
            birthday TEXT,                               -- YYYY-MM-DD
            first_purchase_at TEXT,
            city TEXT,
            remote_id TEXT UNIQUE,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX customers_phone ON customers(phone);
        CREATE INDEX customers_name ON customers(name);
        CREATE TABLE products (
            sku TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            name_en TEXT,
            kind TEXT NOT NULL,                          -- cosmetic | clothing | shoes | electronics | other
            line TEXT,                                   -- product line, e.g. serum, foundation
            shade TEXT,
            price REAL NOT NULL,
            stock INTEGER NOT NULL DEFAULT 0,
            returnable INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE orders (
            id TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL REFERENCES customers(id),
            channel TEXT NOT NULL,
            store TEXT,
            placed_at TEXT NOT NULL,
            promised_at TEXT,
            delivered_at TEXT,
            status TEXT NOT NULL,
            total REAL NOT NULL,                         -- before order-level discount
            discount REAL NOT NULL DEFAULT 0,            -- order-level discount
            paid REAL NOT NULL,
            tracking_no TEXT,
            remote_id TEXT UNIQUE
        );
        CREATE INDEX orders_customer ON orders(customer_id, placed_at);
        CREATE TABLE order_lines (
            id INTEGER PRIMARY KEY,
            order_id TEXT NOT NULL REFERENCES orders(id),
            line_no INTEGER NOT NULL,
            sku TEXT NOT NULL REFERENCES products(sku),
            qty INTEGER NOT NULL CHECK (qty > 0),
            unit_price REAL NOT NULL,
            batch_no TEXT,
            UNIQUE (order_id, line_no)
        );
        CREATE TABLE tickets (
            id INTEGER PRIMARY KEY,
            subject TEXT NOT NULL,
            customer_id TEXT REFERENCES customers(id),
            order_id TEXT REFERENCES orders(id),
            channel TEXT NOT NULL,                       -- chat | wechat | app | email | phone | desk | social
            category TEXT NOT NULL,                      -- kb-topics section: pre-sale, after-sale, ...
            topic TEXT,                                  -- knowledge-base slug the ticket is about
            priority INTEGER NOT NULL DEFAULT 3,         -- 1 urgent, 2 high, 3 normal, 4 low
            status TEXT NOT NULL DEFAULT 'open',         -- open | pending | resolved | closed
            assignee TEXT,
            skill_group TEXT,
            sentiment TEXT NOT NULL DEFAULT 'neutral',   -- positive | neutral | negative | angry
            tags TEXT NOT NULL DEFAULT '[]',             -- JSON list
            allergy INTEGER NOT NULL DEFAULT 0,
            escalated INTEGER NOT NULL DEFAULT 0,
            lang TEXT NOT NULL DEFAULT 'zh-Hans',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            first_response_at TEXT,
            resolved_at TEXT,
            paused_at TEXT,                              -- clock paused while waiting on the customer
            paused_seconds INTEGER NOT NULL DEFAULT 0,
            sla_due TEXT,                                -- the next due time; NULL when the clock is stopped
            remote_id INTEGER UNIQUE,
            remote_etag TEXT
        );
        CREATE INDEX tickets_status_sla ON tickets(status, sla_due);
        CREATE INDEX tickets_assignee ON tickets(assignee, status, sla_due);
        CREATE INDEX tickets_customer ON tickets(customer_id, created_at);
        CREATE INDEX tickets_escalated ON tickets(status, sla_due) WHERE escalated = 1;
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL REFERENCES tickets(id),
            direction TEXT NOT NULL,                     -- in | out | note
            author TEXT NOT NULL,
            body TEXT NOT NULL,
            channel TEXT,
            created_at TEXT NOT NULL,
            op_id TEXT,
            remote_id INTEGER UNIQUE
        );
        CREATE INDEX messages_ticket ON messages(ticket_id, created_at);
        CREATE TABLE returns (
            id TEXT PRIMARY KEY,
            request_key TEXT NOT NULL UNIQUE,            -- idempotency: same request, same row
            ticket_id INTEGER NOT NULL REFERENCES tickets(id),
            order_id TEXT NOT NULL REFERENCES orders(id),
            kind TEXT NOT NULL,                          -- return | exchange | compensation
            reason TEXT NOT NULL,
            resolution TEXT NOT NULL,
            lines TEXT NOT NULL,                         -- JSON [{line_id, sku, qty, to_sku}]
            amount REAL NOT NULL DEFAULT 0,
            batch_no TEXT,
            verdict TEXT NOT NULL DEFAULT '{}',          -- JSON: the policy verdict and its reasons
            status TEXT NOT NULL,                        -- awaiting_approval | approved | declined | done
            approved_by TEXT,
            approval_note TEXT,
            op_id TEXT,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            remote_id INTEGER UNIQUE
        );
        CREATE INDEX returns_ticket ON returns(ticket_id);
        CREATE TABLE allergy_cases (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL REFERENCES tickets(id),
            customer_id TEXT,
            sku TEXT,
            batch_no TEXT,
            symptoms TEXT NOT NULL,
            reported_at TEXT NOT NULL,
            outcome TEXT,
            return_id TEXT REFERENCES returns(id)
        );
        CREATE TABLE followups (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER REFERENCES tickets(id),
            customer_id TEXT,
            kind TEXT NOT NULL,                          -- after_resolution | first_purchase_usage
            due_at TEXT NOT NULL,
            done_at TEXT,
            UNIQUE (ticket_id, kind)
        );
        CREATE INDEX followups_due ON followups(done_at, due_at);
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,       -- push order
            op_id TEXT NOT NULL UNIQUE,                  -- UUID, sent to the backend for reconciliation
            kind TEXT NOT NULL,
            ticket_id INTEGER,
            payload TEXT NOT NULL,                       -- JSON
            base_etag TEXT,
            state TEXT NOT NULL DEFAULT 'pending',       -- pending | in_flight | uncertain | done | rejected | conflict
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            last_error TEXT,
            remote_ref TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX outbox_state ON outbox(state, seq);
        CREATE INDEX outbox_ticket ON outbox(ticket_id, seq);
        CREATE TABLE sync_state (
            key TEXT PRIMARY KEY,
            value TEXT
        );
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            ticket_id INTEGER,
            detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX audit_ticket ON audit_log(ticket_id, id);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        """,
    )


def _v2_lookups(conn: sqlite3.Connection) -> None:
    """Indexes the sync puller looks up by, and queue indexes that serve the whole console order
    (sla_due, priority, id) so no sort step remains. An index on tickets.updated_at would cost
    every bulk write more than the console's one scan per sync round saves."""
    run_script(
        conn,
        """
        CREATE INDEX messages_op ON messages(op_id) WHERE op_id IS NOT NULL;
        CREATE INDEX customers_email ON customers(email);
        DROP INDEX tickets_status_sla;
        CREATE INDEX tickets_status_sla ON tickets(status, sla_due, priority);
        DROP INDEX tickets_assignee;
        CREATE INDEX tickets_assignee ON tickets(assignee, status, sla_due, priority);
        DROP INDEX tickets_escalated;
        CREATE INDEX tickets_escalated ON tickets(status, sla_due, priority) WHERE escalated = 1;
        """,
    )


def _v3_remote_updated(conn: sqlite3.Connection) -> None:
    """The backend's own last-update time of a pulled ticket, apart from ``updated_at`` (the
    cache's): a pull skips a ticket it has seen by this, and the console sees what changed."""
    conn.execute("ALTER TABLE tickets ADD COLUMN remote_updated_at TEXT")


# -- v4: the audit log as a hash chain -------------------------------------------------------
# The hash encoding and the trigger texts below are part of the stored format: a shipped row's
# hash must stay reproducible, and the store compares the triggers it finds with these texts
# before every write (store.base). A later change to them is a new migration that also changes
# what AUDIT_TRIGGERS holds.

AUDIT_GENESIS = "0" * 64  #: the prev_hash of the first row


def audit_row_hash(
    row_id: int,
    at: Any,
    actor: Any,
    action: Any,
    ticket_id: Any,
    detail: Any,
    prev_hash: Any,
) -> str:
    """The hex sha256 of one audit row: a JSON array in this fixed order, UTF-8, no spaces.

    Values are hashed as stored (``detail`` is its JSON text, not re-parsed), so a change of
    type (``5`` to ``"5"``) or of one character changes the hash.
    """
    encoded = json.dumps(
        [row_id, at, actor, action, ticket_id, detail, prev_hash],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    import hashlib  # loaded when an audit row is hashed, not at every launch

    return hashlib.sha256(encoded.encode("utf-8", "surrogatepass")).hexdigest()


AUDIT_TRIGGERS: dict[str, str] = {
    "audit_log_no_update": """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END""",
    "audit_log_no_delete": """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END""",
    # BEFORE INSERT fires before conflict resolution, so INSERT OR REPLACE is refused here
    # (the delete trigger does not fire for a REPLACE).
    "audit_log_no_replace": """CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: that row id is taken')
    WHERE EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id);
    SELECT RAISE(ABORT, 'audit_log row ids follow the chain head: give the next id')
    WHERE NEW.id IS NOT (SELECT last_id + 1 FROM audit_head);
    SELECT RAISE(ABORT, 'audit_log row does not extend the hash chain')
    WHERE NEW.prev_hash IS NOT (SELECT hash FROM audit_head)
       OR length(NEW.hash) IS NOT 64 OR NEW.hash GLOB '*[^0-9a-f]*';
END""",
    "audit_log_head": """CREATE TRIGGER audit_log_head AFTER INSERT ON audit_log
BEGIN
    UPDATE audit_head SET last_id = NEW.id, hash = NEW.hash;
END""",
    "audit_head_no_insert": """CREATE TRIGGER audit_head_no_insert BEFORE INSERT ON audit_head
BEGIN
    SELECT RAISE(ABORT, 'audit_head holds one row, moved by the audit_log_head trigger');
END""",
    "audit_head_no_delete": """CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
    SELECT RAISE(ABORT, 'audit_head holds one row, moved by the audit_log_head trigger');
END""",
    "audit_head_follows": """CREATE TRIGGER audit_head_follows BEFORE UPDATE ON audit_head
BEGIN
    SELECT RAISE(ABORT, 'audit_head follows the last audit_log row only')
    WHERE NEW.one IS NOT OLD.one
       OR NEW.last_id IS NOT (SELECT max(id) FROM audit_log)
       OR NEW.hash IS NOT (SELECT hash FROM audit_log WHERE id = NEW.last_id);
END""",
}

#: the tables that hold the log and the columns the chain adds to it
AUDIT_TABLES = ("audit_log", "audit_head")
AUDIT_CHAIN_COLUMNS = ("prev_hash", "hash")

_CHAIN_BATCH = 5000


def _v4_audit_chain(conn: sqlite3.Connection) -> None:
    """Chain every audit row to the one before it by a sha256 (``prev_hash``, ``hash``), keep
    the chain head (last id and hash) in ``audit_head``, and refuse INSERT OR REPLACE and any
    insert that does not extend the chain. Rows already logged are chained here, in id order."""
    present = {
        str(row[0])
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE name IN "
            "('audit_log', 'audit_log_no_update', 'audit_log_no_delete')"
        )
    }
    for name in ("audit_log", "audit_log_no_update", "audit_log_no_delete"):
        if name not in present:
            kind = "table" if name == "audit_log" else "trigger"
            raise sqlite3.DatabaseError(
                f"the audit log's protection is missing ({kind} {name} missing); "
                "refusing to upgrade this cache"
            )
    run_script(
        conn,
        """
        DROP TRIGGER audit_log_no_update;
        DROP TRIGGER audit_log_no_delete;
        ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
        ALTER TABLE audit_log ADD COLUMN hash TEXT;
        CREATE TABLE audit_head (
            one INTEGER PRIMARY KEY CHECK (one = 1),
            last_id INTEGER NOT NULL,
            hash TEXT NOT NULL
        );
        """,
    )
    last_id, prev = 0, AUDIT_GENESIS
    while True:
        rows = conn.execute(
            "SELECT id, at, actor, action, ticket_id, detail FROM audit_log "
            "WHERE id > ? ORDER BY id LIMIT ?",
            (last_id, _CHAIN_BATCH),
        ).fetchall()
        if not rows:
            break
        links = []
        for row_id, at, actor, action, ticket_id, detail in rows:
            digest = audit_row_hash(row_id, at, actor, action, ticket_id, detail, prev)
            links.append((prev, digest, row_id))
            last_id, prev = row_id, digest
        conn.executemany("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", links)
    conn.execute("INSERT INTO audit_head (one, last_id, hash) VALUES (1, ?, ?)", (last_id, prev))
    for sql in AUDIT_TRIGGERS.values():
        conn.execute(sql)


def _v5_steps_done(conn: sqlite3.Connection) -> None:
    """Each finished step of a multi-step op, recorded as it happens (JSON ``{index: ref}``):
    a resumed op, or one the agent decided to keep after a conflict, skips what RT has."""
    conn.execute("ALTER TABLE outbox ADD COLUMN steps_done TEXT")


# -- v8: queue counters kept by triggers ----------------------------------------------------
# One row per bucket (``status:open``, ``assignee:open:agent01``, ``unassigned:open``,
# ``escalated:pending``, ``due:2026-11-23T08`` for open tickets by the hour they fall due,
# ``approvals``): the queue's header, paging and filter counts read a few of these rows
# instead of counting tickets, so they cost the same at a million tickets as at a thousand.


def _ticket_buckets(row: str, delta: str) -> str:
    """A SELECT of (bucket, delta) rows for one side (NEW or OLD) of a ticket change."""
    return (
        f"SELECT 'status:' || {row}.status AS bucket, {delta} AS d "
        f"UNION ALL SELECT 'assignee:' || {row}.status || ':' || {row}.assignee, {delta} "
        f"WHERE {row}.assignee IS NOT NULL "
        f"UNION ALL SELECT 'unassigned:' || {row}.status, {delta} WHERE {row}.assignee IS NULL "
        f"UNION ALL SELECT 'escalated:' || {row}.status, {delta} WHERE {row}.escalated "
        f"UNION ALL SELECT 'due:' || substr({row}.sla_due, 1, 13), {delta} "
        f"WHERE {row}.status = 'open' AND {row}.sla_due IS NOT NULL"
    )


_UPSERT = (
    "INSERT INTO queue_counts (bucket, n) SELECT bucket, sum(d) FROM ({}) WHERE true "
    "GROUP BY bucket HAVING sum(d) != 0 ON CONFLICT (bucket) DO UPDATE SET n = n + excluded.n;"
)
_CHANGED = (
    "OLD.status IS NOT NEW.status OR OLD.assignee IS NOT NEW.assignee "
    "OR OLD.escalated IS NOT NEW.escalated "
    "OR substr(OLD.sla_due, 1, 13) IS NOT substr(NEW.sla_due, 1, 13)"
)
#: The per-row triggers on tickets (a bulk load drops them and recounts once: see
#: ``store.queue.QueueQueries.queue_counts_suspended``).
QUEUE_COUNT_TICKET_TRIGGERS: dict[str, str] = {
    "queue_counts_ticket_insert": (
        "CREATE TRIGGER queue_counts_ticket_insert AFTER INSERT ON tickets BEGIN "
        + _UPSERT.format(_ticket_buckets("NEW", "1"))
        + " END"
    ),
    "queue_counts_ticket_delete": (
        "CREATE TRIGGER queue_counts_ticket_delete AFTER DELETE ON tickets BEGIN "
        + _UPSERT.format(_ticket_buckets("OLD", "-1"))
        + " END"
    ),
    "queue_counts_ticket_update": (
        "CREATE TRIGGER queue_counts_ticket_update AFTER UPDATE OF status, assignee, escalated, "
        f"sla_due ON tickets WHEN {_CHANGED} BEGIN "
        + _UPSERT.format(_ticket_buckets("OLD", "-1") + " UNION ALL " + _ticket_buckets("NEW", "1"))
        + " END"
    ),
}
_AWAITING = "status = 'awaiting_approval'"
_APPROVALS = (
    "INSERT INTO queue_counts (bucket, n) VALUES ('approvals', {}) "
    "ON CONFLICT (bucket) DO UPDATE SET n = n + excluded.n;"
)
# ``approvals`` counts tickets with at least one request waiting for a supervisor.
QUEUE_COUNT_RETURN_TRIGGERS: dict[str, str] = {
    "queue_counts_return_insert": (
        f"CREATE TRIGGER queue_counts_return_insert AFTER INSERT ON returns "
        f"WHEN NEW.{_AWAITING} AND NOT EXISTS (SELECT 1 FROM returns WHERE ticket_id = "
        f"NEW.ticket_id AND {_AWAITING} AND id != NEW.id) BEGIN {_APPROVALS.format(1)} END"
    ),
    "queue_counts_return_delete": (
        f"CREATE TRIGGER queue_counts_return_delete AFTER DELETE ON returns "
        f"WHEN OLD.{_AWAITING} AND NOT EXISTS (SELECT 1 FROM returns WHERE ticket_id = "
        f"OLD.ticket_id AND {_AWAITING}) BEGIN {_APPROVALS.format(-1)} END"
    ),
    "queue_counts_return_left": (
        f"CREATE TRIGGER queue_counts_return_left AFTER UPDATE OF status, ticket_id ON returns "
        f"WHEN OLD.{_AWAITING} AND (NEW.status IS NOT 'awaiting_approval' OR NEW.ticket_id IS "
        f"NOT OLD.ticket_id) AND NOT EXISTS (SELECT 1 FROM returns WHERE ticket_id = "
        f"OLD.ticket_id AND {_AWAITING}) BEGIN {_APPROVALS.format(-1)} END"
    ),
    "queue_counts_return_joined": (
        f"CREATE TRIGGER queue_counts_return_joined AFTER UPDATE OF status, ticket_id ON returns "
        f"WHEN NEW.{_AWAITING} AND (OLD.status IS NOT 'awaiting_approval' OR NEW.ticket_id IS "
        f"NOT OLD.ticket_id) AND NOT EXISTS (SELECT 1 FROM returns WHERE ticket_id = "
        f"NEW.ticket_id AND {_AWAITING} AND id != NEW.id) BEGIN {_APPROVALS.format(1)} END"
    ),
    "queue_counts_drop_zero": (
        "CREATE TRIGGER queue_counts_drop_zero AFTER UPDATE OF n ON queue_counts "
        "WHEN NEW.n = 0 BEGIN DELETE FROM queue_counts WHERE bucket = NEW.bucket; END"
    ),
}


def recount_queue(conn: sqlite3.Connection) -> None:
    """Every counter from the tickets and returns as they stand (one pass per bucket kind)."""
    conn.execute("DELETE FROM queue_counts")
    conn.execute(
        "INSERT INTO queue_counts (bucket, n) SELECT bucket, count(*) FROM ("
        "SELECT 'status:' || status AS bucket FROM tickets "
        "UNION ALL SELECT 'assignee:' || status || ':' || assignee FROM tickets "
        "WHERE assignee IS NOT NULL "
        "UNION ALL SELECT 'unassigned:' || status FROM tickets WHERE assignee IS NULL "
        "UNION ALL SELECT 'escalated:' || status FROM tickets WHERE escalated "
        "UNION ALL SELECT 'due:' || substr(sla_due, 1, 13) FROM tickets "
        "WHERE status = 'open' AND sla_due IS NOT NULL"
        ") GROUP BY bucket"
    )
    conn.execute(
        "INSERT INTO queue_counts (bucket, n) SELECT 'approvals', n FROM (SELECT "
        f"count(DISTINCT ticket_id) AS n FROM returns WHERE {_AWAITING}) WHERE n > 0"
    )


def _v8_queue_counts(conn: sqlite3.Connection) -> None:
    """Queue counters kept by triggers (see above), and an index for the approvals set."""
    conn.execute(
        "CREATE TABLE queue_counts (bucket TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID"
    )
    conn.execute("CREATE INDEX returns_status ON returns(status, ticket_id)")
    recount_queue(conn)
    for sql in (*QUEUE_COUNT_TICKET_TRIGGERS.values(), *QUEUE_COUNT_RETURN_TRIGGERS.values()):
        conn.execute(sql)


def _v7_followup_outcomes(conn: sqlite3.Connection) -> None:
    """What a follow-up came to (``outcome`` reached | no_answer | declined, the customer's
    ``satisfaction`` 1-5 and ``comment``, who recorded it in ``done_by``: CSAT reads these),
    the RT object it became (``remote_id``), and ``period`` (the year of a birthday greeting:
    one per customer per year, even without a ticket)."""
    run_script(
        conn,
        """
        ALTER TABLE followups ADD COLUMN outcome TEXT
            CHECK (outcome IS NULL OR outcome IN ('reached', 'no_answer', 'declined'));
        ALTER TABLE followups ADD COLUMN satisfaction INTEGER
            CHECK (satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5);
        ALTER TABLE followups ADD COLUMN comment TEXT;
        ALTER TABLE followups ADD COLUMN done_by TEXT;
        ALTER TABLE followups ADD COLUMN remote_id INTEGER;
        ALTER TABLE followups ADD COLUMN period TEXT;
        CREATE UNIQUE INDEX followups_once_a_period ON followups(customer_id, kind, period)
            WHERE period IS NOT NULL;
        """,
    )


def _v9_drafts(conn: sqlite3.Connection) -> None:
    """Unsent replies kept per ticket and agent while they type: they survive moving to another
    ticket, quitting and a crash."""
    run_script(
        conn,
        """
        CREATE TABLE drafts (
            ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
            agent_id TEXT NOT NULL,
            body TEXT NOT NULL,
            note INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (ticket_id, agent_id)
        );
        CREATE INDEX drafts_by_agent ON drafts(agent_id, updated_at);
        """,
    )


def _v6_training(conn: sqlite3.Connection) -> None:
    """Training results (graded practice handlings) and quiz scores, kept in the real cache:
    the practice sandbox is thrown away, its results are not."""
    run_script(
        conn,
        """
        CREATE TABLE training_results (
            id INTEGER PRIMARY KEY,
            trainee TEXT NOT NULL,
            scenario TEXT NOT NULL,
            category TEXT NOT NULL,
            sets TEXT NOT NULL DEFAULT '[]',             -- JSON list of the scenario's sets
            total REAL NOT NULL,
            lines TEXT NOT NULL,                         -- JSON {line: score}
            missed TEXT NOT NULL DEFAULT '{}',           -- JSON {line: [what was missed]}
            minutes REAL NOT NULL,
            target_minutes INTEGER NOT NULL,
            graded_at TEXT NOT NULL
        );
        CREATE INDEX training_results_trainee ON training_results(trainee, graded_at);
        CREATE TABLE quiz_results (
            id INTEGER PRIMARY KEY,
            trainee TEXT NOT NULL,
            seed INTEGER NOT NULL,
            questions INTEGER NOT NULL,
            correct INTEGER NOT NULL,
            answers TEXT NOT NULL DEFAULT '[]',          -- JSON [{kind, topic, right}]
            taken_at TEXT NOT NULL
        );
        CREATE INDEX quiz_results_trainee ON quiz_results(trainee, taken_at);
        """,
    )


def _v16_email_nocase(conn: sqlite3.Connection) -> None:
    """Customers found by e-mail whatever its case: a mail from Wang@Example.com belongs to
    the customer on file as wang@example.com (an exact match made a second, empty profile,
    without the first one's orders and allergies)."""
    run_script(
        conn,
        """
        DROP INDEX IF EXISTS customers_email;
        CREATE INDEX customers_email ON customers(email COLLATE NOCASE);
        """,
    )


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _v1_initial),
    Migration(2, "indexes for sync look-ups and the full queue order", _v2_lookups),
    Migration(3, "the backend's last-update time of pulled tickets", _v3_remote_updated),
    Migration(4, "the audit log as a hash chain, its head anchored", _v4_audit_chain),
    Migration(5, "the finished steps of an op", _v5_steps_done),
    Migration(6, "training results and quiz scores", _v6_training),
    Migration(8, "queue counters kept by triggers", _v8_queue_counts),
    Migration(7, "follow-up outcomes, satisfaction and RT reminders", _v7_followup_outcomes),
    Migration(9, "unsent drafts per ticket and agent", _v9_drafts),
    Migration(10, "reply and reopen counters, metrics indexes", metrics_schema.apply_v10),
    Migration(12, "metric counters per 15-minute slot", metrics_slots.apply_v12),
    Migration(14, "metric counters decided at an event, their targets", metrics_slots.apply_v14),
    Migration(
        15, "metric roll-ups per local hour and day, times in buckets", metrics_slots.apply_v15
    ),
    Migration(16, "customers found by e-mail whatever its case", _v16_email_nocase),
)

# Steps are applied in version order, wherever they stand in the tuple above.
MIGRATIONS = tuple(sorted(MIGRATIONS, key=lambda step: step.version))
LATEST = MIGRATIONS[-1].version


def applied_versions(conn: sqlite3.Connection) -> set[int]:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
    ).fetchone()
    if not exists:
        return set()
    return {row[0] for row in conn.execute("SELECT version FROM migrations")}


class SchemaTooNew(Exception):
    """The database has a schema step newer than this program knows: it must not be written."""

    def __init__(self, version: int, known: int) -> None:
        super().__init__(f"schema version {version} is newer than this program knows ({known})")
        self.version = version
        self.known = known


def check_not_newer(conn: sqlite3.Connection, steps: tuple[Migration, ...] = MIGRATIONS) -> None:
    """Raise SchemaTooNew when a newer program migrated the database. Reads only.

    The newest step applied is kept in the header's ``user_version`` too (read without
    loading the schema: 3.5 ms of every open at 1M tickets went to loading it on the
    read-only connection that makes this check). A cache whose header holds 0 was last
    migrated before that: its ``migrations`` table is read instead."""
    newest = int(conn.execute("PRAGMA user_version").fetchone()[0])
    _refuse_newer(newest or max(applied_versions(conn), default=0), steps)


def _refuse_newer(newest: int, steps: tuple[Migration, ...]) -> None:
    known = max((step.version for step in steps), default=0)
    if newest > known:
        raise SchemaTooNew(newest, known)


def migrate(
    conn: sqlite3.Connection, now_iso: str, steps: tuple[Migration, ...] = MIGRATIONS
) -> list[int]:
    """Apply every step not yet applied; each in its own transaction. Returns the versions run.

    Raises SchemaTooNew, before writing anything, for a database a newer program migrated."""
    check_not_newer(conn, steps)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    done = applied_versions(conn)
    _refuse_newer(max(done, default=0), steps)  # the table too, whatever the header says
    ran: list[int] = []
    for step in steps:
        if step.version in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            step.apply(conn)
            conn.execute(
                "INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (step.version, step.name, now_iso),
            )
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            done.add(step.version)
            conn.execute(f"PRAGMA user_version = {max(done)}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        ran.append(step.version)
    newest = max(done, default=0)
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) != newest:
        conn.execute(f"PRAGMA user_version = {newest}")  # a cache migrated before it was kept
    return ran
