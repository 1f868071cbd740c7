"""The audit log: an append-only hash chain, anchored by its head.

Each row carries ``prev_hash`` (the previous row's ``hash``; 64 zeros for the first) and its own
``hash`` (see :func:`~cs_console.store.migrations.audit_row_hash`). Triggers refuse UPDATE,
DELETE, INSERT OR REPLACE and any insert that does not extend the chain, and move the one-row
``audit_head`` table (last id and hash) with every insert, so a cut tail is evident too.
:meth:`Queries.transaction` refuses to write when any of that protection is missing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from typing import Any

from cs_console.store.base import (
    AuditLogTampered,
    Queries,
    audit_protection_problems,
    decode,
    dumps,
)
from cs_console.store.migrations import audit_row_hash

#: (id, at, actor, action, ticket_id, detail, prev_hash, hash) as stored
ChainRow = tuple[Any, Any, Any, Any, Any, Any, Any, Any]


class AuditQueries(Queries):
    def add_audit(
        self, at: str, actor: str, action: str, ticket_id: int | None, detail: Mapping[str, Any]
    ) -> int:
        """Append one row to the chain (in the caller's transaction, or a new one); its id.

        The head is read and the row written under the same write lock, so two consoles never
        chain two rows to one predecessor.
        """
        detail_text = dumps(dict(detail))
        with self.transaction() as conn:
            head = conn.execute("SELECT last_id, hash FROM audit_head").fetchone()
            if head is None:
                raise AuditLogTampered(["the row of audit_head missing"])
            row_id = int(head[0]) + 1
            prev_hash = str(head[1])
            digest = audit_row_hash(row_id, at, actor, action, ticket_id, detail_text, prev_hash)
            cursor = conn.execute(
                "INSERT INTO audit_log (id, at, actor, action, ticket_id, detail, prev_hash, hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (row_id, at, actor, action, ticket_id, detail_text, prev_hash, digest),
            )
            if cursor.rowcount != 1:  # a trigger swallowed the row (RAISE(IGNORE))
                raise AuditLogTampered([f"row {row_id} was not written"])
        return row_id

    def audit(self, ticket_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """The newest rows first, ``detail`` parsed (all rows, or one ticket's)."""
        if ticket_id is None:
            rows = self.all("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))
        else:
            rows = self.all(
                "SELECT * FROM audit_log WHERE ticket_id = ? ORDER BY id DESC LIMIT ?",
                (ticket_id, limit),
            )
        return [decode(row, "detail") for row in rows]

    def audit_chain(self) -> Iterator[ChainRow]:
        """Every row in id order, as stored, streamed (a million rows need no list)."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        cursor.execute(
            "SELECT id, at, actor, action, ticket_id, detail, prev_hash, hash "
            "FROM audit_log ORDER BY id"
        )
        try:
            yield from cursor
        finally:
            cursor.close()

    def audit_head(self) -> tuple[int, str] | None:
        """The recorded chain head (last id, its hash); None when the record is gone."""
        try:
            row = self.conn.execute("SELECT last_id, hash FROM audit_head").fetchone()
        except sqlite3.OperationalError:  # the table itself was dropped
            return None
        return (row[0], row[1]) if row is not None else None

    def audit_protection(self) -> list[str]:
        """What is missing or altered in the log's tables and triggers (empty: all in place)."""
        return audit_protection_problems(self.conn)
