"""The candidate index read in place from its file: what ``KbIndex`` answers, per query.

Nothing of the index is loaded into Python objects when it opens: a query reads the document
frequencies of its keys, the heads of the posting lists it accumulates and the fields of the
entries it scores, each with one small read of the file. The file itself (``store/kb_index.py``)
is opened and written by the service, which hands it here; this module only reads through the
``IndexSource`` calls, so ``cs_console.kb`` stays free of the store.

What a keystroke asks again (the same keys while a word grows) is kept in small bounded caches;
an index is never changed under a reader (a rebuild is a new file and a new ``DiskIndex``).
"""

from __future__ import annotations

import json
import math
import sqlite3
import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from cs_console.kb.index import Doc, Field, Vocabulary
from cs_console.kb.loader import Article, Problem, article_from_json

__all__ = ["DiskEntries", "DiskIndex", "EntrySource", "IndexSource", "doc_fields_json"]

_DF_CACHE = 50_000  # keys whose df is remembered (a few MB)
_DOC_CACHE = 2_000  # entries whose fields are remembered


class IndexSource(Protocol):
    """The read calls of ``cs_console.store.kb_index.IndexFile``."""

    def reading(self) -> AbstractContextManager[sqlite3.Connection]: ...

    @staticmethod
    def doc_count(conn: sqlite3.Connection) -> int: ...

    @staticmethod
    def dfs(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, int]: ...

    @staticmethod
    def heads(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, array]: ...

    @staticmethod
    def words(conn: sqlite3.Connection, prefix: str) -> dict[str, int]: ...

    @staticmethod
    def readings(conn: sqlite3.Connection, chars: Sequence[str]) -> dict[str, str]: ...

    @staticmethod
    def docs(
        conn: sqlite3.Connection, ids: Sequence[int]
    ) -> dict[int, tuple[str, str, str, str, str]]: ...


def doc_fields_json(fields: tuple[Field, ...]) -> str:
    """An entry's fields as the file keeps them (``DiskIndex`` reads them back as tuples)."""
    return json.dumps([list(f) for f in fields], ensure_ascii=False, separators=(",", ":"))


def _fields(text: str) -> tuple[Field, ...]:
    return tuple((n, i, norm, r, size) for n, i, norm, r, size in json.loads(text))


class _Bounded(OrderedDict):
    """A dictionary that forgets its oldest entries past ``size``."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def put(self, key, value) -> None:
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)


class DiskIndex:
    """The ``KbIndex`` calls the engine makes, answered from an index file."""

    def __init__(self, source: IndexSource) -> None:
        self.source = source
        with source.reading() as conn:
            self._count = source.doc_count(conn)
        self._lock = threading.Lock()
        self._df: _Bounded = _Bounded(_DF_CACHE)
        self._docs: _Bounded = _Bounded(_DOC_CACHE)
        self._vocab: Vocabulary | None = None

    def __len__(self) -> int:
        return self._count

    def _dfs(self, keys: Iterable[str]) -> dict[str, int]:
        cache = self._df
        out: dict[str, int] = {}
        missing: list[str] = []
        with self._lock:
            for k in keys:
                v = cache.get(k)
                if v is None:
                    missing.append(k)
                else:
                    out[k] = v
        if missing:
            with self.source.reading() as conn:
                found = self.source.dfs(conn, missing)
            with self._lock:
                for k in missing:
                    v = found.get(k, 0)
                    cache.put(k, v)
                    out[k] = v
        return out

    def df(self, key: str) -> int:
        v = self._df.get(key)  # the common case, without the lock: a dict read is atomic
        return v if v is not None else self._dfs((key,))[key]

    def prefetch(self, keys: Iterable[str]) -> None:
        """Read the df of ``keys`` in one go (a query's keys, before it asks one by one)."""
        cache = self._df
        self._dfs([k for k in dict.fromkeys(keys) if k not in cache])

    def has(self, key: str) -> bool:
        return self.df(key) > 0

    def idf(self, key: str) -> float:
        return self.idf_of(self.df(key))

    def idf_of(self, df: int) -> float:
        return math.log(1.0 + (self._count + 1) / (df + 1))

    def lists(self, keys: Sequence[str], cap: int) -> dict[str, array]:
        held = [k for k, df in self._dfs(keys).items() if df]
        if not held:
            return {}
        with self.source.reading() as conn:
            heads = self.source.heads(conn, held)
        return {k: v[:cap] if len(v) > cap else v for k, v in heads.items()}

    def docs_of(self, ids: Sequence[int]) -> dict[int, Doc]:
        out: dict[int, Doc] = {}
        missing: list[int] = []
        with self._lock:
            for d in ids:
                doc = self._docs.get(d)
                if doc is None:
                    missing.append(d)
                else:
                    out[d] = doc
        if missing:
            with self.source.reading() as conn:
                rows = self.source.docs(conn, missing)
            with self._lock:
                for d, (slug, title, title_zh, kind, fields) in rows.items():
                    doc = (slug, title, title_zh, kind, _fields(fields))
                    self._docs.put(d, doc)
                    out[d] = doc
        return out

    def readings(self, chars: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """The pinyin readings of those of ``chars`` that have any (from the file's table)."""
        with self.source.reading() as conn:
            rows = self.source.readings(conn, chars)
        return {ch: tuple(rs.split(" ")) for ch, rs in rows.items()}

    def chars(self) -> Iterator[str]:
        with self.source.reading() as conn:
            held = self.source.words(conn, "c")
        return iter(held)

    @property
    def vocab(self) -> Vocabulary:
        if self._vocab is None:
            with self.source.reading() as conn:
                words = self.source.words(conn, "w")
            with self._lock:
                if self._vocab is None:
                    self._vocab = Vocabulary(words)
        return self._vocab


class EntrySource(Protocol):
    """Whole entries, read from where the index keeps them."""

    def get(self, slug: str) -> Article | None: ...

    def all(self) -> list[Article]: ...

    def problems(self) -> list[Problem]: ...


class DiskEntries:
    """The entries and problems an index file keeps (``article`` JSON per entry)."""

    def __init__(self, source: ArticleSource) -> None:
        self.source = source

    def get(self, slug: str) -> Article | None:
        with self.source.reading() as conn:
            text = self.source.article(conn, slug)
        return article_from_json(text) if text is not None else None

    def all(self) -> list[Article]:
        with self.source.reading() as conn:
            return [article_from_json(t) for t in self.source.articles(conn)]

    def problems(self) -> list[Problem]:
        with self.source.reading() as conn:
            rows = self.source.problems(conn)
        return [Problem(Path(path), line, message) for path, line, message in rows]


class ArticleSource(Protocol):
    """The entry calls of ``cs_console.store.kb_index.IndexFile``."""

    def reading(self) -> AbstractContextManager[sqlite3.Connection]: ...

    @staticmethod
    def article(conn: sqlite3.Connection, slug: str) -> str | None: ...

    @staticmethod
    def articles(conn: sqlite3.Connection) -> Iterator[str]: ...

    @staticmethod
    def problems(conn: sqlite3.Connection) -> list[tuple[str, int, str]]: ...
