"""What every query module of the store shares: the connection and row helpers."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from cs_console.clock import Clock, to_iso
from cs_console.store import migrations

Params = Sequence[Any] | Mapping[str, Any]


class AuditLogTampered(sqlite3.DatabaseError):
    """The audit log, its head or a trigger that protects them is gone or altered: the store
    refuses to write. A ``sqlite3.DatabaseError`` (``store.db.StoreError`` is defined above this
    module and cannot be its base), so whatever handles database errors handles this too."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            f"the audit log's protection is missing ({'; '.join(self.problems)}); "
            "refusing to write — run `cs-console audit verify`"
        )


# One query: the audit tables, every trigger on them (with its SQL text) and the chain columns.
_PROTECTION_SQL = (
    "SELECT type, name, CASE type WHEN 'trigger' THEN sql END FROM sqlite_master "
    "WHERE tbl_name IN ('audit_log', 'audit_head') AND type IN ('table', 'trigger') "
    "UNION ALL SELECT 'column', name, NULL FROM pragma_table_info('audit_log') "
    "WHERE name IN ('prev_hash', 'hash')"
)
_PROTECTED = frozenset(
    {("table", name, None) for name in migrations.AUDIT_TABLES}
    | {("column", name, None) for name in migrations.AUDIT_CHAIN_COLUMNS}
    | {("trigger", name, sql) for name, sql in migrations.AUDIT_TRIGGERS.items()}
)


def audit_protection_problems(conn: sqlite3.Connection) -> list[str]:
    """What is missing or altered in the audit log's protection (empty when all is in place):
    ``table audit_log missing``, ``trigger audit_log_no_update altered``, ..."""
    cursor = conn.cursor()
    cursor.row_factory = None
    found = set(cursor.execute(_PROTECTION_SQL).fetchall())
    if found == _PROTECTED:
        return []
    problems = [
        f"table {name} missing"
        for name in migrations.AUDIT_TABLES
        if ("table", name, None) not in found
    ]
    if ("table", "audit_log", None) in found:
        problems += [
            f"column audit_log.{name} missing"
            for name in migrations.AUDIT_CHAIN_COLUMNS
            if ("column", name, None) not in found
        ]
    triggers = {name: sql for kind, name, sql in found if kind == "trigger"}
    for name, sql in migrations.AUDIT_TRIGGERS.items():
        if name not in triggers:
            problems.append(f"trigger {name} missing")
        elif triggers[name] != sql:
            problems.append(f"trigger {name} altered")
    problems += [
        f"unexpected trigger {name}"
        for name in sorted(triggers)
        if name not in migrations.AUDIT_TRIGGERS
    ]
    return problems


class Queries:
    """The connection and helpers the query mixins of :class:`~cs_console.store.db.Store` use."""

    conn: sqlite3.Connection
    path: str
    clock: Clock

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work (``BEGIN IMMEDIATE``: the write lock is taken first, so
        preconditions read inside it hold until commit); nested calls become savepoints.

        Refused with :class:`AuditLogTampered`, before anything is written, when the audit log
        or a trigger that protects it is gone or altered."""
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
            # Under the write lock, so the schema cannot change between this check and COMMIT.
            problems = audit_protection_problems(conn)
            if problems:
                raise AuditLogTampered(problems)
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def now_iso(self) -> str:
        return to_iso(self.clock.now())

    def one(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        row = self.conn.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def all(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        return [dict(row) for row in self.conn.execute(sql, params)]

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row is not None else None


def decode(row: dict[str, Any], *json_columns: str) -> dict[str, Any]:
    """``row`` with its JSON text columns parsed (a value that is not JSON stays text)."""
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


def check_identifier(name: str) -> None:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a plain SQL identifier: {name!r}")


def dumps(value: Any) -> str:
    """JSON as the cache stores it (Chinese kept readable)."""
    return json.dumps(value, ensure_ascii=False)
