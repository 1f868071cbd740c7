"""The local cache: one SQLite file, opened safely and migrated.

:class:`Store` is the only way to the cache; its queries live in the modules beside this one
(``tickets``, ``queue``, ``returns``, ``outbox``, ``remote``). Writes happen inside
:meth:`Store.transaction`; the service layer groups each action's state change, outbox op and
audit row into one such transaction.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cs_console.clock import Clock, SystemClock, to_iso
from cs_console.store import migrations
from cs_console.store.base import check_identifier
from cs_console.store.outbox import OutboxQueries
from cs_console.store.queue import QueueQueries
from cs_console.store.remote import RemoteQueries
from cs_console.store.returns import ReturnQueries
from cs_console.store.tickets import TicketQueries

BUSY_TIMEOUT_MS = 5000


class StoreError(Exception):
    """The cache cannot be used: a clear message for the agent, nothing overwritten."""


class Store(TicketQueries, QueueQueries, ReturnQueries, OutboxQueries, RemoteQueries):
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

    @contextmanager
    def bulk_cache(self, kib: int = 262_144) -> Iterator[None]:
        """A big page cache while one large transaction builds the index B-trees in memory."""
        old = int(self.conn.execute("PRAGMA cache_size").fetchone()[0])
        self.conn.execute(f"PRAGMA cache_size = {-int(kib)}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA cache_size = {old}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def insert_rows(self, table: str, rows: Iterable[Mapping[str, Any]]) -> int:
        """Bulk insert in one transaction (the caller's, or a new one). Returns rows written.

        Every row has the first row's keys; the mappings go to SQLite as named parameters, so
        no per-row Python tuple is built.
        """
        check_identifier(table)
        iterator = iter(rows)
        first = next(iterator, None)
        if first is None:
            return 0
        columns = list(first)
        for column in columns:
            check_identifier(column)
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(':' + c for c in columns)})"
        )
        with self.transaction() as conn:
            before = conn.total_changes
            conn.executemany(sql, _chain(first, iterator))
            return conn.total_changes - before


def _chain(
    first: Mapping[str, Any], rest: Iterator[Mapping[str, Any]]
) -> Iterator[Mapping[str, Any]]:
    yield first
    yield from rest


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
