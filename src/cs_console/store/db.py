"""The local cache: one SQLite file, opened safely and migrated.

:class:`Store` is the only way to the cache; its queries live in the modules beside this one
(``tickets``, ``queue``, ``returns``, ``outbox``, ``remote``). Writes happen inside
:meth:`Store.transaction`; the service layer groups each action's state change, outbox op and
audit row into one such transaction.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from cs_console.clock import Clock, SystemClock, to_iso
from cs_console.store import migrations
from cs_console.store.audit import AuditQueries
from cs_console.store.base import check_identifier
from cs_console.store.drafts import DraftQueries
from cs_console.store.escalation import EscalationQueries
from cs_console.store.followups import FollowupQueries
from cs_console.store.metrics import MetricsQueries
from cs_console.store.outbox import OutboxQueries
from cs_console.store.queue import QueueQueries
from cs_console.store.remote import RemoteQueries
from cs_console.store.returns import ReturnQueries
from cs_console.store.routing import RoutingQueries
from cs_console.store.tickets import TicketQueries

BUSY_TIMEOUT_MS = 5000


class StoreError(Exception):
    """The cache cannot be used: a clear message for the agent, nothing overwritten."""


class Store(
    TicketQueries,
    QueueQueries,
    ReturnQueries,
    OutboxQueries,
    RemoteQueries,
    AuditQueries,
    DraftQueries,
    EscalationQueries,
    RoutingQueries,
    FollowupQueries,
    MetricsQueries,
):
    """A connection to one cache file (or ``:memory:``), schema at the latest version."""

    def __init__(self, conn: sqlite3.Connection, path: str, clock: Clock) -> None:
        self.conn = conn
        self.path = path
        self.clock = clock

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], clock: Clock | None = None) -> Store:
        """Open or create a cache. A file that is not a cs-console cache is refused untouched.

        Only a path that does not exist yet gets a new cache. An existing file is judged from
        its bytes (header, application id, the WAL beside it) before SQLite opens it, and a
        cache's schema version is read through a read-only connection: a refusal writes
        nothing, and leaves no ``-wal``, ``-shm`` or ``-journal`` file behind.
        """
        clock = clock or SystemClock()
        path_text = str(path)
        in_memory = path_text == ":memory:"
        created = False
        if not in_memory:
            file = Path(path_text)
            if _check_file_is_usable(file):
                created = _create_empty(file)
            if not created:
                _check_schema_read_only(file)
        conn = sqlite3.connect(path_text, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        try:
            if created:
                # The mark goes into the main file first, before WAL mode, so a cache is
                # recognised from its header even while its first changes sit in the WAL.
                conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
            _check_is_our_database(conn, path_text, in_memory or created)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not in_memory:
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrations.migrate(conn, to_iso(clock.now()))
        except migrations.SchemaTooNew as exc:
            conn.close()
            raise _too_new(path_text, exc) from exc
        except sqlite3.DatabaseError as exc:
            conn.close()
            if created:
                _remove_new_cache(Path(path_text))
            raise StoreError(
                f"{path_text}: cannot use this file as a cs-console cache ({exc})"
            ) from exc
        except BaseException:
            conn.close()
            if created:
                _remove_new_cache(Path(path_text))
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

    def insert_tuples(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> int:
        """Bulk insert of plain tuples in ``columns`` order (the fastest binding SQLite has),
        in one transaction (the caller's, or a new one). Returns rows written, not counting
        what triggers write."""
        check_identifier(table)
        for column in columns:
            check_identifier(column)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        with self.transaction() as conn:
            cursor = conn.executemany(sql, rows)
            return max(cursor.rowcount, 0)


def _chain(
    first: Mapping[str, Any], rest: Iterator[Mapping[str, Any]]
) -> Iterator[Mapping[str, Any]]:
    yield first
    yield from rest


SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_BYTES = 100  # the SQLite file header
APP_ID_AT = 68  # big-endian 4-byte application id inside the header (and inside page 1)
WAL_MAGICS = (0x377F0682, 0x377F0683)
WAL_HEADER_BYTES = 32
WAL_FRAME_HEADER_BYTES = 24
UNCHANGED = "nothing was changed"


def _check_file_is_usable(path: Path) -> bool:
    """Judge ``path`` from its bytes alone, before SQLite touches it.

    Returns True for a path that does not exist yet (a new cache may be made there), False for
    a cs-console cache; raises StoreError for anything else.
    """
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a cache file; {UNCHANGED}")
    if not os.path.lexists(path):
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.exists():
            raise StoreError(f"{path}: folder {parent} does not exist; nothing was created")
        if not parent.is_dir():
            raise StoreError(f"{path}: {parent} is not a folder; nothing was created")
        return True
    try:
        with path.open("rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise StoreError(f"{path}: not a regular file, not a cache; {UNCHANGED}")
            header = handle.read(HEADER_BYTES)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read it ({exc.strerror}); {UNCHANGED}") from exc
    if not header:
        raise StoreError(
            f"{path}: the file is empty (0 bytes), not a cs-console cache; {UNCHANGED}. "
            "Remove it, or give a path that does not exist yet for a new cache"
        )
    if len(header) < HEADER_BYTES or not header.startswith(SQLITE_MAGIC):
        raise StoreError(f"{path}: not an SQLite database (refusing to touch it); {UNCHANGED}")
    app_id = _app_id(header)
    if app_id != migrations.APPLICATION_ID:
        app_id = _app_id_in_wal(Path(f"{path}-wal")) or app_id
    if app_id == migrations.APPLICATION_ID:
        return False
    owner = "another program" if app_id == 0 else f"another program (application id {app_id:#x})"
    journal = _unfinished_journal(path)
    if journal is not None:
        raise StoreError(
            f"{path}: an SQLite database of {owner} with an unfinished transaction in "
            f"{journal.name}, not a cs-console cache (refusing to touch it); {UNCHANGED}"
        )
    raise StoreError(
        f"{path}: an SQLite database of {owner}, but not a cs-console cache "
        f"(refusing to touch it); {UNCHANGED}"
    )


def _app_id(page: bytes) -> int:
    return int.from_bytes(page[APP_ID_AT : APP_ID_AT + 4], "big")


def _app_id_in_wal(wal: Path) -> int | None:
    """The application id in the newest committed copy of page 1 inside a WAL file, if any.

    A cache made before the mark went into the main file first has it only in its WAL until a
    checkpoint. Frames count while their salts match the WAL header's (checksums are not
    verified: this only recognises our own mark, it never decides what SQLite will replay).
    """
    try:
        with wal.open("rb") as handle:
            head = handle.read(WAL_HEADER_BYTES)
            if len(head) < WAL_HEADER_BYTES or int.from_bytes(head[:4], "big") not in WAL_MAGICS:
                return None
            page_size = int.from_bytes(head[8:12], "big")
            if page_size == 1:  # how the format writes 65536
                page_size = 65536
            if page_size < 512:
                return None
            salts = head[16:24]
            found: int | None = None
            pending: int | None = None
            offset = WAL_HEADER_BYTES
            while True:
                handle.seek(offset)
                frame = handle.read(WAL_FRAME_HEADER_BYTES)
                if len(frame) < WAL_FRAME_HEADER_BYTES or frame[8:16] != salts:
                    return found
                if int.from_bytes(frame[:4], "big") == 1:
                    page = handle.read(APP_ID_AT + 4)
                    if len(page) < APP_ID_AT + 4:
                        return found
                    pending = _app_id(page)
                if int.from_bytes(frame[4:8], "big") and pending is not None:  # a commit
                    found = pending
                offset += WAL_FRAME_HEADER_BYTES + page_size
    except OSError:
        return None


def _unfinished_journal(path: Path) -> Path | None:
    """A non-empty ``-journal`` or ``-wal`` beside ``path``: SQLite would replay or roll it back."""
    for suffix in ("-journal", "-wal"):
        side = Path(f"{path}{suffix}")
        try:
            if side.stat().st_size > 0:
                return side
        except OSError:
            continue
    return None


def _create_empty(path: Path) -> bool:
    """Create ``path`` as an empty file, only if nothing is there yet (O_EXCL: no race with
    another program creating it). False when something appeared meanwhile: it is judged again.
    Owner-only (0600): the cache holds customers' phone numbers and addresses; SQLite gives
    its -wal and -shm files the same mode."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if _check_file_is_usable(path):  # there and gone again
            raise StoreError(f"{path}: appeared and vanished while opening; {UNCHANGED}") from None
        return False
    except OSError as exc:
        raise StoreError(f"{path}: cannot create a cache here ({exc.strerror})") from exc
    os.close(fd)
    return True


def _remove_new_cache(path: Path) -> None:
    """Undo a cache this call created and could not finish (nothing of anyone's is in it)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with suppress(OSError):
            os.unlink(f"{path}{suffix}")


def _check_schema_read_only(path: Path) -> None:
    """Refuse a cache migrated by a newer cs-console, reading it through a read-only connection.

    Without a WAL beside it the file is opened ``immutable`` (a read-only connection would
    otherwise create ``-wal`` and ``-shm``); with one, read-only so the WAL's changes count.
    """
    wal = Path(f"{path}-wal")
    query = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    uri = f"{path.resolve().as_uri()}?{query}"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot read this cache ({exc}); {UNCHANGED}") from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        migrations.check_not_newer(conn)
    except migrations.SchemaTooNew as exc:
        raise _too_new(str(path), exc) from exc
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{path}: cannot use this file as a cs-console cache ({exc}); {UNCHANGED}"
        ) from exc
    finally:
        conn.close()


def _too_new(path: str, exc: migrations.SchemaTooNew) -> StoreError:
    return StoreError(
        f"{path}: cache schema version {exc.version} is newer than this cs-console knows "
        f"({exc.known}); {UNCHANGED}. Use the newer cs-console, or a new cache path"
    )


def _check_is_our_database(conn: sqlite3.Connection, path: str, fresh: bool) -> None:
    """An SQLite file made by another program is refused, so we never alter it.

    The file was judged by its bytes already; this is the same rule through SQLite, for a file
    swapped in between. A ``fresh`` database (``:memory:``, or a file this call created) is
    empty: migrate makes it a cache.
    """
    if fresh:
        return
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id != migrations.APPLICATION_ID:
        raise StoreError(
            f"{path}: an SQLite database, but not a cs-console cache "
            f"(refusing to touch it); {UNCHANGED}"
        )
    # Cheap on purpose (a full quick_check reads the whole file: 0.2 s+ at 100k tickets);
    # damage elsewhere surfaces as sqlite3.DatabaseError on the pages it touches.
    conn.execute("SELECT count(*) FROM migrations").fetchone()
    conn.execute("SELECT max(rowid) FROM tickets").fetchone()
