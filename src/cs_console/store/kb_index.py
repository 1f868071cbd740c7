"""The knowledge-search index on disk: one SQLite file per knowledge-base folder, read in place.

Why a file of its own and not a table in the ticket cache: the index belongs to a knowledge-base
folder, not to a cache (``cs-console kb search`` runs with no cache at all, and several caches
share one folder); a full rebuild is a bulk write of ~100 MB at 100k articles that must never
hold the cache's write lock while the outbox (``synchronous=FULL``) waits; and a stale or corrupt
index is thrown away and rebuilt, which no one should ever do to the cache.

The file holds plain data only: this module knows nothing of articles or scoring (``cs_console.kb``
does; the service wires the two). Tables:

- ``postings(key, df, head)`` + ``postings_tail(key, tail)``: a key's posting list as packed
  unsigned 32-bit integers, rank-major; ``head`` is its first ``HEAD`` entries, all a query ever
  reads, so a query never touches the tail of a long list;
- ``docs(id, slug, kind, title, title_zh, fields, article)``: what scoring reads of a candidate
  (``fields``) and what ``get(slug)`` returns (``article``), both JSON text;
- ``aliases(alias, doc)``: for clashes between files when only some are re-read;
- ``files(path, kind, size, mtime_ns, doc)`` and ``problems(path, line, message)``: which file
  gave which entry or problem, so a refresh re-reads only the files that changed;
- ``readings(ch, readings)``: the pinyin table (every reading of each character), so that a
  console's first searches read the few characters they meet instead of the whole table;
- ``meta(key, value)``: format version, fingerprint of what else the index depends on, counts.

Readers open the file read-only, each query in one read transaction: an incremental refresh
commits atomically, so a query sees the index before or after it, never half of it. A full build
writes a new file and renames it over the old one (rollback journal, never WAL: a WAL's sidecar
files are tied to the name, and would outlive the renamed file); readers holding the old file
keep reading it until they reopen.
"""

from __future__ import annotations

import os
import queue
import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

__all__ = ["FORMAT", "HEAD", "IndexFile", "IndexWriter"]

FORMAT = "cs-console-kb-index/2"
HEAD = 4096  # entries of a posting list kept in its head row (the most a query reads: POSTINGS_CAP)
_CHUNK = 900  # bound parameters per IN (...) query

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files(path TEXT PRIMARY KEY, kind TEXT NOT NULL, size INTEGER NOT NULL,
                   mtime_ns INTEGER NOT NULL, doc INTEGER);
CREATE TABLE problems(path TEXT NOT NULL, line INTEGER NOT NULL, message TEXT NOT NULL);
CREATE INDEX problems_path ON problems(path);
CREATE TABLE docs(id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
                  title TEXT NOT NULL, title_zh TEXT NOT NULL, fields TEXT NOT NULL,
                  article TEXT NOT NULL);
CREATE TABLE aliases(alias TEXT PRIMARY KEY, doc INTEGER NOT NULL);
CREATE INDEX aliases_doc ON aliases(doc);
CREATE TABLE postings(key TEXT PRIMARY KEY, df INTEGER NOT NULL, head BLOB NOT NULL);
CREATE TABLE postings_tail(key TEXT PRIMARY KEY, tail BLOB NOT NULL);
CREATE TABLE readings(ch TEXT PRIMARY KEY, readings TEXT NOT NULL) WITHOUT ROWID;
"""


def _blob(values: array) -> bytes:
    return values.tobytes()


def _ints(blob: bytes | None) -> array:
    out = array("I")
    if blob:
        out.frombytes(blob)
    return out


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class IndexFile:
    """Read access to an index file; safe from any number of threads (a small connection pool)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._pool: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        with self.reading() as conn:  # fails here, not at the first query, on a bad file
            row = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
            if row is None or row[0] != FORMAT:
                raise sqlite3.DatabaseError(f"{self.path}: not a {FORMAT} file")

    def _connect(self) -> sqlite3.Connection:
        uri = f"file:{self.path}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA query_only = ON")
        # 4 MB per connection; the OS caches the rest. Not memory-mapped (mmap_size): at 100k it
        # saved ~2% of a query's CPU, and every page a query touched would count in the
        # console's RSS for as long as it runs
        conn.execute("PRAGMA cache_size = -4000")
        conn.execute("PRAGMA busy_timeout = 5000")  # a refresh commits in milliseconds
        return conn

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A connection inside one read transaction (one consistent snapshot)."""
        try:
            conn = self._pool.get_nowait()
        except queue.Empty:
            conn = self._connect()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            try:
                conn.execute("COMMIT")
                self._pool.put(conn)
            except sqlite3.Error:
                conn.close()

    def close(self) -> None:
        while True:
            try:
                self._pool.get_nowait().close()
            except queue.Empty:
                return

    # -- reads (each takes a connection from ``reading()``) ----------------------------------

    @staticmethod
    def meta(conn: sqlite3.Connection, key: str) -> str | None:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @staticmethod
    def doc_count(conn: sqlite3.Connection) -> int:
        row = conn.execute("SELECT value FROM meta WHERE key = 'docs'").fetchone()
        return int(row[0]) if row else 0

    @staticmethod
    def dfs(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, int]:
        """``key -> df`` for the keys that occur (absent keys are left out)."""
        out: dict[str, int] = {}
        for part in _chunks(list(keys)):
            marks = ",".join("?" * len(part))
            out.update(conn.execute(f"SELECT key, df FROM postings WHERE key IN ({marks})", part))
        return out

    @staticmethod
    def heads(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, array]:
        """``key -> the head of its posting list``."""
        out: dict[str, array] = {}
        for part in _chunks(list(keys)):
            marks = ",".join("?" * len(part))
            for key, head in conn.execute(
                f"SELECT key, head FROM postings WHERE key IN ({marks})", part
            ):
                out[key] = _ints(head)
        return out

    @staticmethod
    def words(conn: sqlite3.Connection, prefix: str) -> dict[str, int]:
        """Every key starting with ``prefix`` (without it) -> its df."""
        hi = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        rows = conn.execute("SELECT key, df FROM postings WHERE key >= ? AND key < ?", (prefix, hi))
        return {k[len(prefix) :]: df for k, df in rows}

    @staticmethod
    def docs(
        conn: sqlite3.Connection, ids: Sequence[int]
    ) -> dict[int, tuple[str, str, str, str, str]]:
        """``id -> (slug, title, title_zh, kind, fields JSON)``."""
        out: dict[int, tuple[str, str, str, str, str]] = {}
        for part in _chunks(list(ids)):
            marks = ",".join("?" * len(part))
            for row in conn.execute(
                f"SELECT id, slug, title, title_zh, kind, fields FROM docs WHERE id IN ({marks})",
                part,
            ):
                out[row[0]] = row[1:]
        return out

    @staticmethod
    def readings(conn: sqlite3.Connection, chars: Sequence[str]) -> dict[str, str]:
        """``character -> its readings, space-separated`` for those of ``chars`` that have any."""
        out: dict[str, str] = {}
        for part in _chunks(list(chars)):
            marks = ",".join("?" * len(part))
            out.update(
                conn.execute(f"SELECT ch, readings FROM readings WHERE ch IN ({marks})", part)
            )
        return out

    @staticmethod
    def article(conn: sqlite3.Connection, slug: str) -> str | None:
        row = conn.execute("SELECT article FROM docs WHERE slug = ?", (slug,)).fetchone()
        return row[0] if row else None

    @staticmethod
    def articles(conn: sqlite3.Connection) -> Iterator[str]:
        for (text,) in conn.execute("SELECT article FROM docs ORDER BY slug"):
            yield text

    @staticmethod
    def slugs(conn: sqlite3.Connection) -> list[str]:
        return [s for (s,) in conn.execute("SELECT slug FROM docs ORDER BY slug")]

    @staticmethod
    def problems(conn: sqlite3.Connection) -> list[tuple[str, int, str]]:
        return list(conn.execute("SELECT path, line, message FROM problems ORDER BY rowid"))

    @staticmethod
    def files(conn: sqlite3.Connection) -> dict[str, tuple[str, int, int, int | None]]:
        """``path -> (kind, size, mtime_ns, doc)``."""
        return {
            path: (kind, size, mtime, doc)
            for path, kind, size, mtime, doc in conn.execute(
                "SELECT path, kind, size, mtime_ns, doc FROM files"
            )
        }


class IndexWriter:
    """Writes an index file: ``create`` a new one (then ``os.replace`` it into place), or
    ``open`` an existing one for an incremental update. Every change is one transaction."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def create(cls, path: Path) -> IndexWriter:
        path.parent.mkdir(parents=True, exist_ok=True)
        for p in (path, Path(f"{path}-journal")):
            p.unlink(missing_ok=True)
        conn = sqlite3.connect(path, isolation_level=None)
        # a file under construction: nothing to protect until it is renamed into place
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.executescript(_SCHEMA)
        conn.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
        return cls(conn, path)

    @classmethod
    def open(cls, path: Path) -> IndexWriter:
        conn = sqlite3.connect(path, isolation_level=None, timeout=10)
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = NORMAL")  # a lost index is rebuilt; no data is lost
        row = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if row is None or row[0] != FORMAT:
            conn.close()
            raise sqlite3.DatabaseError(f"{path}: not a {FORMAT} file")
        return cls(conn, path)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # -- writes (inside ``transaction()``) ---------------------------------------------------

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def put_doc(
        self,
        doc_id: int | None,
        slug: str,
        kind: str,
        title: str,
        title_zh: str,
        fields: str,
        article: str,
        aliases: Iterable[str],
    ) -> int:
        cur = self.conn.execute(
            "INSERT INTO docs(id, slug, kind, title, title_zh, fields, article) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (doc_id, slug, kind, title, title_zh, fields, article),
        )
        new_id = int(cur.lastrowid or 0)
        self.conn.executemany(
            "INSERT OR IGNORE INTO aliases VALUES (?, ?)", ((a, new_id) for a in aliases)
        )
        return new_id

    def drop_doc(self, doc_id: int) -> str | None:
        """Delete an entry and its aliases; returns its ``fields`` JSON (to find its keys)."""
        row = self.conn.execute("SELECT fields FROM docs WHERE id = ?", (doc_id,)).fetchone()
        self.conn.execute("DELETE FROM docs WHERE id = ?", (doc_id,))
        self.conn.execute("DELETE FROM aliases WHERE doc = ?", (doc_id,))
        return row[0] if row else None

    def alias_owners(self, aliases: Sequence[str]) -> dict[str, str]:
        """``alias -> slug`` of the entry that holds it."""
        out: dict[str, str] = {}
        for part in _chunks(list(aliases)):
            marks = ",".join("?" * len(part))
            out.update(
                self.conn.execute(
                    "SELECT a.alias, d.slug FROM aliases a JOIN docs d ON d.id = a.doc "
                    f"WHERE a.alias IN ({marks})",
                    part,
                )
            )
        return out

    def slug_owner(self, slug: str) -> int | None:
        row = self.conn.execute("SELECT id FROM docs WHERE slug = ?", (slug,)).fetchone()
        return row[0] if row else None

    def doc_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM docs").fetchone()[0])

    def max_doc(self) -> int:
        return int(self.conn.execute("SELECT coalesce(max(id), -1) FROM docs").fetchone()[0])

    def files(self) -> dict[str, tuple[str, int, int, int | None]]:
        """``path -> (kind, size, mtime_ns, doc)``."""
        return IndexFile.files(self.conn)

    def problem_messages(self) -> list[str]:
        return [m for (m,) in self.conn.execute("SELECT message FROM problems")]

    def put_file(self, path: str, kind: str, size: int, mtime_ns: int, doc: int | None) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)", (path, kind, size, mtime_ns, doc)
        )

    def drop_file(self, path: str) -> None:
        self.conn.execute("DELETE FROM files WHERE path = ?", (path,))
        self.conn.execute("DELETE FROM problems WHERE path = ?", (path,))

    def put_problems(self, rows: Iterable[tuple[str, int, str]]) -> None:
        self.conn.executemany("INSERT INTO problems VALUES (?, ?, ?)", rows)

    def put_postings(self, lists: Iterable[tuple[str, array]]) -> None:
        """Write whole posting lists (already sorted), replacing any held under the same key;
        an empty list deletes the key."""
        heads = []
        tails = []
        no_tail = []
        empty = []
        for key, values in lists:
            if not values:
                empty.append((key,))
                continue
            heads.append((key, len(values), _blob(values[:HEAD])))
            if len(values) > HEAD:
                tails.append((key, _blob(values[HEAD:])))
            else:
                no_tail.append((key,))
        self.conn.executemany("INSERT OR REPLACE INTO postings VALUES (?, ?, ?)", heads)
        self.conn.executemany("INSERT OR REPLACE INTO postings_tail VALUES (?, ?)", tails)
        self.conn.executemany("DELETE FROM postings_tail WHERE key = ?", no_tail + empty)
        self.conn.executemany("DELETE FROM postings WHERE key = ?", empty)

    def put_readings(self, rows: Iterable[tuple[str, str]]) -> None:
        """``(character, readings space-separated)`` rows of the pinyin table."""
        self.conn.executemany("INSERT OR REPLACE INTO readings VALUES (?, ?)", rows)

    def drop_postings(self, keys: Iterable[str]) -> None:
        rows = [(k,) for k in keys]
        self.conn.executemany("DELETE FROM postings WHERE key = ?", rows)
        self.conn.executemany("DELETE FROM postings_tail WHERE key = ?", rows)

    def full_lists(self, keys: Sequence[str]) -> dict[str, array]:
        """Whole posting lists (head and tail) of ``keys``, for an incremental update."""
        out: dict[str, array] = {}
        for part in _chunks(list(keys)):
            marks = ",".join("?" * len(part))
            for key, head, tail in self.conn.execute(
                "SELECT p.key, p.head, t.tail FROM postings p "
                f"LEFT JOIN postings_tail t ON t.key = p.key WHERE p.key IN ({marks})",
                part,
            ):
                values = _ints(head)
                values.extend(_ints(tail))
                out[key] = values
        return out

    def finish(self, path: Path) -> None:
        """Close a file made by ``create`` and move it to ``path`` (readers of the old one keep
        reading it until they reopen)."""
        self.conn.execute("PRAGMA journal_mode = DELETE")
        self.conn.close()
        os.replace(self.path, path)
