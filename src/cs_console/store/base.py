"""What every query module of the store shares: the connection and row helpers."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from cs_console.clock import Clock, to_iso

Params = Sequence[Any] | Mapping[str, Any]


class Queries:
    """The connection and helpers the query mixins of :class:`~cs_console.store.db.Store` use."""

    conn: sqlite3.Connection
    path: str
    clock: Clock

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work (``BEGIN IMMEDIATE``: the write lock is taken first, so
        preconditions read inside it hold until commit); nested calls become savepoints."""
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
