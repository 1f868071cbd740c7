"""The local cache: one SQLite file, opened safely, migrated, and queried here only.

Writes happen inside :meth:`Store.transaction`; the service layer (``desk.py``) groups each
agent action's state change, outbox op and audit row into one such transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cs_console.clock import Clock, SystemClock, to_iso
from cs_console.store import migrations

BUSY_TIMEOUT_MS = 5000
QUEUE_FILTERS = ("all", "mine", "unassigned", "escalated", "overdue", "waiting", "approval")
ACTIVE_STATUSES = ("open", "pending")
QUEUE_COLUMNS = (
    "t.id, t.subject, t.channel, t.category, t.topic, t.priority, t.status, t.assignee, t.sentiment, "
    "t.tags, t.allergy, t.escalated, t.sla_due, t.created_at, t.first_response_at, t.paused_at, "
    "t.paused_seconds, t.resolved_at, t.customer_id, c.name AS customer_name, c.tier AS customer_tier"
)


class StoreError(Exception):
    """The cache cannot be used: a clear message for the agent, nothing overwritten."""


class Store:
    """A connection to one cache file (or ``:memory:``), schema at the latest version."""

    def __init__(self, conn: sqlite3.Connection, path: str, clock: Clock) -> None:
        self.conn = conn
        self.path = path
        self.clock = clock

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], clock: Clock | None = None) -> Store:
        """Open or create a cache. A file that is not a cs-console cache is refused untouched."""
        clock = clock or SystemClock()
        path_text = str(path)
        in_memory = path_text == ":memory:"
        if not in_memory:
            _check_file_is_usable(Path(path_text))
        conn = sqlite3.connect(path_text, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        try:
            _check_is_our_database(conn, path_text)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not in_memory:
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrations.migrate(conn, to_iso(clock.now()))
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(
                f"{path_text}: cannot use this file as a cs-console cache ({exc})"
            ) from exc
        except BaseException:
            conn.close()
            raise
        return cls(conn, path_text, clock)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work; nested calls become savepoints of the outer one."""
        conn = self.conn
        if conn.in_transaction:
            conn.execute("SAVEPOINT nested")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK TO SAVEPOINT nested")
                conn.execute("RELEASE SAVEPOINT nested")
                raise
            conn.execute("RELEASE SAVEPOINT nested")
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def now_iso(self) -> str:
        return to_iso(self.clock.now())

    # -- generic helpers -----------------------------------------------------------------

    def one(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
    ) -> dict[str, Any] | None:
        row = self.conn.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def all(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict[str, Any]]:
        return [dict(row) for row in self.conn.execute(sql, params)]

    def scalar(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row is not None else None

    def insert_rows(self, table: str, rows: Iterable[Mapping[str, Any]]) -> int:
        """Bulk insert in one transaction (the caller's, or a new one). Returns rows written.

        Every row has the first row's keys; the mappings go to SQLite as named parameters, so
        no per-row Python tuple is built.
        """
        _check_identifier(table)
        iterator = iter(rows)
        first = next(iterator, None)
        if first is None:
            return 0
        columns = list(first)
        for column in columns:
            _check_identifier(column)
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(':' + c for c in columns)})"
        )
        with self.transaction() as conn:
            before = conn.total_changes
            conn.executemany(sql, _chain(first, iterator))
            return conn.total_changes - before

    def counts(self) -> dict[str, int]:
        tables = (
            "customers",
            "products",
            "orders",
            "order_lines",
            "tickets",
            "messages",
            "returns",
            "outbox",
        )
        return {table: self.scalar(f"SELECT count(*) FROM {table}") for table in tables}

    # -- reads used by the desk, the CLI and the console ---------------------------------

    def ticket(self, ticket_id: int) -> dict[str, Any] | None:
        row = self.one("SELECT * FROM tickets WHERE id = ?", (ticket_id,))
        return _decode(row, "tags") if row else None

    def customer(self, customer_id: str) -> dict[str, Any] | None:
        row = self.one("SELECT * FROM customers WHERE id = ?", (customer_id,))
        return _decode(row, "allergies") if row else None

    def agent(self, agent_id: str) -> dict[str, Any] | None:
        row = self.one("SELECT * FROM agents WHERE id = ?", (agent_id,))
        return _decode(row, "skill_groups") if row else None

    def order(self, order_id: str) -> dict[str, Any] | None:
        order = self.one("SELECT * FROM orders WHERE id = ?", (order_id,))
        if order is not None:
            order["lines"] = self.order_lines(order_id)
        return order

    def order_lines(self, order_id: str) -> list[dict[str, Any]]:
        return self.all(
            "SELECT l.*, p.name AS product_name, p.shade, p.kind AS product_kind, p.line AS product_line "
            "FROM order_lines l JOIN products p ON p.sku = l.sku WHERE l.order_id = ? ORDER BY l.line_no",
            (order_id,),
        )

    def customer_orders(self, customer_id: str, limit: int = 20) -> list[dict[str, Any]]:
        orders = self.all(
            "SELECT * FROM orders WHERE customer_id = ? ORDER BY placed_at DESC LIMIT ?",
            (customer_id, limit),
        )
        for order in orders:
            order["lines"] = self.order_lines(order["id"])
        return orders

    def customer_tickets(self, customer_id: str, limit: int = 20) -> list[dict[str, Any]]:
        return self.all(
            "SELECT id, subject, status, category, topic, created_at, resolved_at FROM tickets "
            "WHERE customer_id = ? ORDER BY created_at DESC LIMIT ?",
            (customer_id, limit),
        )

    def messages(self, ticket_id: int) -> list[dict[str, Any]]:
        return self.all(
            "SELECT * FROM messages WHERE ticket_id = ? ORDER BY created_at, id", (ticket_id,)
        )

    def queue(
        self,
        filter_name: str = "all",
        agent_id: str | None = None,
        limit: int = 200,
        offset: int = 0,
        now_iso: str | None = None,
    ) -> list[dict[str, Any]]:
        """Tickets in console order: breached first, then by SLA due, then priority.

        Breached tickets have the earliest due times, so ordering by ``sla_due`` puts them
        first; the ``(status, sla_due)`` index serves that order without a sort.
        """
        where, params = self._queue_where(filter_name, agent_id, now_iso)
        params.update(limit=limit, offset=offset)
        return self._queue_rows(where, params, "LIMIT :limit OFFSET :offset")

    def queue_row(self, ticket_id: int) -> dict[str, Any] | None:
        """One ticket in the queue's row shape, whatever its status (to update a row in place)."""
        rows = self._queue_rows("t.id = :id", {"id": ticket_id})
        return rows[0] if rows else None

    def search_queue(
        self, text: str, filter_name: str = "all", limit: int = 200
    ) -> list[dict[str, Any]]:
        """Queue rows whose number is ``text``, or whose subject or customer name contains it."""
        text = text.strip()
        if text.isdigit():
            row = self.queue_row(int(text))
            return [row] if row else []
        status = "pending" if filter_name == "waiting" else "open"
        pattern = f"%{like_escape(text)}%"
        where = (
            "t.status = :status AND (t.subject LIKE :pattern ESCAPE '\\' "
            "OR c.name LIKE :pattern ESCAPE '\\')"
        )
        return self._queue_rows(
            where, {"status": status, "pattern": pattern, "limit": limit}, "LIMIT :limit"
        )

    def _queue_rows(
        self, where: str, params: dict[str, Any], tail: str = ""
    ) -> list[dict[str, Any]]:
        sql = (
            f"SELECT {QUEUE_COLUMNS} FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id "
            f"WHERE {where} ORDER BY t.sla_due, t.priority, t.id {tail}"
        )
        cursor = self.conn.cursor()
        cursor.row_factory = None  # plain tuples zipped with the names: the queue is a hot path
        rows = cursor.execute(sql, params).fetchall()
        names = [d[0] for d in cursor.description]
        out = []
        for values in rows:
            row = dict(zip(names, values, strict=True))
            tags = row["tags"]
            row["tags"] = [] if tags == "[]" else json.loads(tags)
            out.append(row)
        return out

    def queue_count(self, filter_name: str = "all", agent_id: str | None = None) -> int:
        where, params = self._queue_where(filter_name, agent_id, None)
        return self.scalar(f"SELECT count(*) FROM tickets t WHERE {where}", params)

    def _queue_where(
        self, filter_name: str, agent_id: str | None, now_iso: str | None
    ) -> tuple[str, dict[str, Any]]:
        if filter_name not in QUEUE_FILTERS:
            raise ValueError(
                f"unknown queue filter {filter_name!r}; choose from {', '.join(QUEUE_FILTERS)}"
            )
        where = ["t.status = :status"]
        params: dict[str, Any] = {"status": "pending" if filter_name == "waiting" else "open"}
        if filter_name == "mine":
            where.append("t.assignee = :agent")
            params["agent"] = agent_id
        elif filter_name == "unassigned":
            where.append("t.assignee IS NULL")
        elif filter_name == "escalated":
            where.append("t.escalated = 1")
        elif filter_name == "approval":
            where.append(
                "t.id IN (SELECT ticket_id FROM returns WHERE status = 'awaiting_approval')"
            )
        elif filter_name == "overdue":
            where.append("t.sla_due < :now")
            params["now"] = now_iso or self.now_iso()
        return " AND ".join(where), params

    def outbox(self, states: Sequence[str] | None = None, limit: int = 500) -> list[dict[str, Any]]:
        if states:
            marks = ", ".join("?" for _ in states)
            return self.all(
                f"SELECT * FROM outbox WHERE state IN ({marks}) ORDER BY seq LIMIT ?",
                (*states, limit),
            )
        return self.all("SELECT * FROM outbox ORDER BY seq LIMIT ?", (limit,))

    def outbox_summary(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall()
        summary = {
            state: 0
            for state in ("pending", "in_flight", "uncertain", "done", "rejected", "conflict")
        }
        summary.update({row[0]: row[1] for row in rows})
        return summary

    def audit(self, ticket_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
        if ticket_id is None:
            rows = self.all("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))
        else:
            rows = self.all(
                "SELECT * FROM audit_log WHERE ticket_id = ? ORDER BY id DESC LIMIT ?",
                (ticket_id, limit),
            )
        return [_decode(row, "detail") for row in rows]

    # -- returns, exchanges, compensation (written by returns.py) ---------------------------

    def products(self, skus: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Catalogue rows by SKU for the given SKUs (unknown ones are simply absent)."""
        wanted = sorted({s for s in skus if s})
        if not wanted:
            return {}
        marks = ", ".join("?" for _ in wanted)
        rows = self.all(f"SELECT * FROM products WHERE sku IN ({marks})", wanted)
        return {row["sku"]: row for row in rows}

    def return_row(self, return_id: str) -> dict[str, Any] | None:
        row = self.one("SELECT * FROM returns WHERE id = ?", (return_id,))
        return _decode(row, "lines", "verdict") if row else None

    def return_by_key(self, request_key: str) -> dict[str, Any] | None:
        row = self.one("SELECT * FROM returns WHERE request_key = ?", (request_key,))
        return _decode(row, "lines", "verdict") if row else None

    def order_returns(self, order_id: str) -> list[dict[str, Any]]:
        """Every return, exchange and compensation on an order, oldest first."""
        rows = self.all(
            "SELECT * FROM returns WHERE order_id = ? ORDER BY created_at, id", (order_id,)
        )
        return [_decode(row, "lines", "verdict") for row in rows]

    def returns_awaiting_approval(self, limit: int = 200) -> list[dict[str, Any]]:
        """Requests waiting for a supervisor, oldest first, with their ticket and customer."""
        rows = self.all(
            "SELECT r.*, t.subject AS ticket_subject, t.priority AS ticket_priority, "
            "c.name AS customer_name FROM returns r JOIN tickets t ON t.id = r.ticket_id "
            "LEFT JOIN customers c ON c.id = t.customer_id "
            "WHERE r.status = 'awaiting_approval' ORDER BY r.created_at, r.id LIMIT ?",
            (limit,),
        )
        return [_decode(row, "lines", "verdict") for row in rows]

    def returns_report(
        self, statuses: Sequence[str] | None = None, limit: int = 100_000
    ) -> list[dict[str, Any]]:
        """Returns for the quality team, newest first, one row per request."""
        where, params = "1", []
        if statuses:
            where = f"status IN ({', '.join('?' for _ in statuses)})"
            params = list(statuses)
        rows = self.all(
            f"SELECT * FROM returns WHERE {where} ORDER BY created_at DESC, id DESC LIMIT ?",
            (*params, limit),
        )
        return [_decode(row, "lines", "verdict") for row in rows]

    def allergy_cases_report(self) -> list[dict[str, Any]]:
        """Allergy cases with product names; ``batch_cases`` counts cases on the same SKU and
        batch, so repeated complaints about one batch sort first."""
        return self.all(
            "SELECT a.id, a.ticket_id, a.customer_id, a.sku, p.name AS product, a.batch_no, "
            "a.symptoms, a.reported_at, a.outcome, a.return_id, "
            "count(*) OVER (PARTITION BY a.sku, a.batch_no) AS batch_cases "
            "FROM allergy_cases a LEFT JOIN products p ON p.sku = a.sku "
            "ORDER BY batch_cases DESC, a.sku, a.batch_no, a.reported_at, a.id"
        )

    def sync_value(self, key: str) -> str | None:
        return self.scalar("SELECT value FROM sync_state WHERE key = ?", (key,))

    def set_sync_value(self, key: str, value: str | None) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO sync_state (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


def _chain(
    first: Mapping[str, Any], rest: Iterator[Mapping[str, Any]]
) -> Iterator[Mapping[str, Any]]:
    yield first
    yield from rest


def _decode(row: dict[str, Any], *json_columns: str) -> dict[str, Any]:
    for column in json_columns:
        value = row.get(column)
        if isinstance(value, str):
            try:
                row[column] = json.loads(value)
            except ValueError:
                row[column] = value
    return row


def like_escape(text: str) -> str:
    """``text`` with LIKE wildcards escaped (use with ``ESCAPE '\\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _check_identifier(name: str) -> None:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a plain SQL identifier: {name!r}")


SQLITE_MAGIC = b"SQLite format 3\x00"


def _check_file_is_usable(path: Path) -> None:
    """Refuse, before SQLite touches it, anything that is not an SQLite file or a new path."""
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a cache file")
    if not path.exists():
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.exists():
            raise StoreError(f"{path}: folder {parent} does not exist")
        return
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_MAGIC))
    if header != SQLITE_MAGIC:
        raise StoreError(f"{path}: not an SQLite database (refusing to touch it)")


def _check_is_our_database(conn: sqlite3.Connection, path: str) -> None:
    """An SQLite file made by another program is refused, so we never alter it."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if tables and app_id != migrations.APPLICATION_ID:
        raise StoreError(
            f"{path}: an SQLite database, but not a cs-console cache (refusing to touch it)"
        )
    if app_id == migrations.APPLICATION_ID:
        # Cheap on purpose (a full quick_check reads the whole file: 0.2 s+ at 100k tickets);
        # damage elsewhere surfaces as sqlite3.DatabaseError on the pages it touches.
        conn.execute("SELECT count(*) FROM migrations").fetchone()
        conn.execute("SELECT max(rowid) FROM tickets").fetchone()
