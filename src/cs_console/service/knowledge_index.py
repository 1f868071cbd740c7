"""The knowledge-search index file of a knowledge-base folder: opened in place, built when
missing or stale, refreshed by file.

``open_engine(kb_dir)`` opens ``<cache>/kb-index-<hash of the folder>.sqlite`` (see
``store/kb_index.py``) and returns a ``SearchEngine`` that reads it per query: opening costs a
few small reads, whatever the size of the knowledge base. The file records each article file's
size and mtime; ``refresh`` re-reads only the files that changed, were added or removed, and
commits them in one transaction (a reader sees the index before or after it). What else the
index depends on (index version, policy numbers, the vocabulary files, the folder) is its
``basis``: when that changes, or the file is missing or unreadable, ``rebuild`` writes a new file
beside it and renames it into place. A rebuild after a partial refresh gives the same file
contents a refresh would (entries in slug order, the same ids for the same load order).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from array import array
from pathlib import Path

from cs_console.kb.disk_index import DiskEntries, DiskIndex, doc_fields_json
from cs_console.kb.index import (
    DOC_MASK,
    INDEX_VERSION,
    RANK_SHIFT,
    KbIndex,
    field_keys,
    make_doc,
)
from cs_console.kb.loader import (
    KIND_DIRS,
    Article,
    ClashCheck,
    LoadResult,
    article_to_json,
    load_kb,
    read_file,
)
from cs_console.kb.paths import default_kb_dir
from cs_console.kb.pinyin import TABLE_VERSION, load_table
from cs_console.kb.search import SearchEngine, default_cache_dir
from cs_console.kb.vocab import load_vocab, vocab_files
from cs_console.store.kb_index import IndexFile, IndexWriter

__all__ = [
    "basis",
    "engine_over",
    "index_path",
    "open_engine",
    "rebuild",
    "refresh",
    "refreshed",
    "write_file",
]


def index_path(kb_dir: Path, cache_dir: Path) -> Path:
    digest = hashlib.sha1(str(kb_dir.resolve()).encode()).hexdigest()[:16]
    return cache_dir / f"kb-index-{digest}.sqlite"


def basis(kb_dir: Path) -> str:
    """What the index depends on besides its article files."""
    from cs_console.policy.numbers import NUMBERS

    h = hashlib.sha1()
    h.update(f"v{INDEX_VERSION}\0p{TABLE_VERSION}\0{kb_dir.resolve()}\0".encode())
    h.update(repr(sorted(NUMBERS.items())).encode())
    for path in vocab_files(kb_dir):
        try:
            st = path.stat()
        except OSError:
            continue
        h.update(f"{path.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


_YIELD_EVERY = 1000  # files stat'ed between two pauses that let the UI and a search run


def _file_states(kb_dir: Path) -> dict[str, tuple[str, int, int]]:
    """``path -> (kind, size, mtime_ns)`` of the article and script files now (the files
    ``iter_files`` yields; read with ``os.scandir``, which makes no ``Path`` per file)."""
    out: dict[str, tuple[str, int, int]] = {}
    for sub, kind in KIND_DIRS:
        folder = kb_dir / sub
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        prefix = str(folder) + os.sep
        for n, entry in enumerate(sorted(entries, key=lambda e: e.name)):
            name = entry.name
            if not name.endswith(".md") or name.startswith("."):
                continue
            try:
                st = entry.stat()
            except OSError:
                continue
            out[prefix + name] = (kind, st.st_size, st.st_mtime_ns)
            if n % _YIELD_EVERY == _YIELD_EVERY - 1:
                time.sleep(0.001)
    return out


def _write(
    writer: IndexWriter, result: LoadResult, states: dict[str, tuple[str, int, int]], why: str
) -> None:
    index = KbIndex.build(result.articles)
    by_path: dict[str, int] = {}
    with writer.transaction():
        for d, (article, doc) in enumerate(zip(result.articles, index.docs, strict=True)):
            writer.put_doc(
                d,
                article.slug,
                article.kind,
                article.title,
                article.title_zh,
                doc_fields_json(doc[4]),
                article_to_json(article),
                _alias_keys(article),
            )
            by_path[str(article.path)] = d
        writer.put_postings(index.postings.items())
        # the table the keys were made with (loaded by the build): what the first searches read
        writer.put_readings((ch, " ".join(rs)) for ch, rs in load_table().items())
        writer.put_problems((str(p.path), p.line, p.message) for p in result.problems)
        for path, (kind, size, mtime) in states.items():
            writer.put_file(path, kind, size, mtime, by_path.get(path))
        writer.set_meta("basis", why)
        writer.set_meta("docs", str(len(result.articles)))


def _alias_keys(article: Article) -> list[str]:
    from cs_console.kb.normalize import compact

    return [compact(a) for a in article.aliases]


_build_lock = threading.Lock()


def rebuild(kb_dir: Path, path: Path) -> None:
    """Index every file of ``kb_dir`` into a new file, then rename it over ``path``."""
    with _build_lock:
        states = _file_states(kb_dir)
        result = load_kb(kb_dir)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        writer = IndexWriter.create(tmp)
        try:
            _write(writer, result, states, basis(kb_dir))
            writer.finish(path)
        except BaseException:
            writer.close()
            tmp.unlink(missing_ok=True)
            raise


def _current(path: Path, kb_dir: Path) -> IndexFile | None:
    """The index file when it exists, is readable and was built on today's basis."""
    if not path.is_file():
        return None
    try:
        source = IndexFile(path)
        with source.reading() as conn:
            ok = IndexFile.meta(conn, "basis") == basis(kb_dir)
    except sqlite3.Error:
        return None
    if not ok:
        source.close()
        return None
    return source


REBUILD_SHARE = 0.25  # more changed files than this share of them: a rebuild is cheaper
_CLASHES = ("duplicate slug", "clashes with an alias")


def refresh(kb_dir: Path, path: Path) -> int | None:
    """Re-index only the files of ``kb_dir`` that changed since ``path`` was written, in one
    transaction. Returns how many files were re-read, or ``None`` when a rebuild is needed
    instead (many changes, or a clash between files, which only a whole load decides)."""
    now = _file_states(kb_dir)
    with _build_lock:
        writer = IndexWriter.open(path)
        try:
            held = writer.files()
            changed = [p for p, st in now.items() if p not in held or held[p][:3] != st]
            removed = [p for p in held if p not in now]
            if not changed and not removed:
                return 0
            if len(changed) + len(removed) > max(1, REBUILD_SHARE * len(now)):
                return None
            if any(m.startswith(_CLASHES) for m in writer.problem_messages()):
                return None
            read = [(p, now[p][0], *read_file(Path(p), now[p][0])) for p in changed]
            if any(any(pr.message.startswith(_CLASHES) for pr in probs) for *_x, probs in read):
                return None
            with writer.transaction():
                if not _apply(writer, held, changed, removed, read, now):
                    raise _NeedsRebuild
        except _NeedsRebuild:
            return None
        finally:
            writer.close()
    return len(changed) + len(removed)


class _NeedsRebuild(Exception):
    pass


def _apply(
    writer: IndexWriter,
    held: dict[str, tuple[str, int, int, int | None]],
    changed: list[str],
    removed: list[str],
    read: list[tuple[str, str, Article | None, list]],
    now: dict[str, tuple[str, int, int]],
) -> bool:
    """Drop the entries of changed and removed files, add what the changed files hold now;
    ``False`` (rolled back by the caller) when an entry clashes with one kept in the index."""
    gone: set[int] = set()
    touched: set[str] = set()
    for p in (*changed, *removed):
        doc = held[p][3] if p in held else None
        if doc is not None:
            fields = writer.drop_doc(doc)
            gone.add(doc)
            for _n, _i, norm, rank, _s in json.loads(fields or "[]"):
                touched |= field_keys(norm, rank)
        writer.drop_file(p)
    check = ClashCheck(
        slug_owner=lambda slug: (slug, "", 0) if writer.slug_owner(slug) is not None else None,
        alias_owner=lambda key: (
            (owner, "", 0) if (owner := writer.alias_owners([key]).get(key)) else None
        ),
    )
    added: dict[str, list[int]] = {}
    for p, kind, article, problems in read:
        doc = None
        if article is not None:
            if check.admit(article):
                return False
            d = make_doc(article)
            doc = writer.put_doc(
                None,
                article.slug,
                article.kind,
                article.title,
                article.title_zh,
                doc_fields_json(d[4]),
                article_to_json(article),
                _alias_keys(article),
            )
            if doc > DOC_MASK:
                return False
            for key, rank in _best_ranks(d).items():
                added.setdefault(key, []).append(rank << RANK_SHIFT | doc)
        writer.put_problems((str(pr.path), pr.line, pr.message) for pr in problems)
        writer.put_file(p, kind, now[p][1], now[p][2], doc)
    keys = sorted(touched | added.keys())
    old = writer.full_lists(keys)
    lists = []
    for key in keys:
        kept = [e for e in old.get(key, ()) if e & DOC_MASK not in gone]
        kept.extend(added.get(key, ()))
        lists.append((key, array("I", sorted(kept))))
    writer.put_postings(lists)
    writer.set_meta("docs", str(writer.doc_count()))
    return True


def _best_ranks(doc) -> dict[str, int]:
    best: dict[str, int] = {}
    for _name, _index, norm, rank, _size in doc[4]:
        for key in field_keys(norm, rank):
            if best.get(key, 99) > rank:
                best[key] = rank
    return best


def open_engine(
    kb_dir: Path | str | None = None,
    cache_dir: Path | str | None = None,
    *,
    check_files: bool = True,
) -> SearchEngine:
    """A search engine over the index file of ``kb_dir``. With ``check_files`` the file is
    brought up to date first (a stat of every article file); without, an index built on
    today's basis is used as it is, and ``refreshed`` catches up on changed files later."""
    kb = Path(kb_dir) if kb_dir is not None else default_kb_dir()
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = index_path(kb, cache)
    source = _current(path, kb)
    if source is None or check_files:
        # a build or refresh makes keys from the pinyin table, saved beside the index; a search
        # reads the characters it needs from the index file until ``SearchEngine.warm``
        load_table(cache)
    if source is not None and check_files:
        source.close()  # a refresh commits through its own connection; reopen after it
        try:
            source = IndexFile(path) if refresh(kb, path) is not None else None
        except sqlite3.Error:
            source = None
    if source is None:
        try:
            rebuild(kb, path)
        except OSError:  # a cache dir that cannot be written: index in memory this time
            return SearchEngine.load(kb, cache)
        source = IndexFile(path)
    return engine_over(source, cache, kb)


def refreshed(engine: SearchEngine, *, in_process: bool = False) -> SearchEngine | None:
    """A new engine when the article files of ``engine``'s knowledge base changed since its
    index was written (the index refreshed or rebuilt first), else ``None``.

    The check runs in a child process unless ``in_process``: at 100k files it stats every one
    and reads every file row, which in the console's process would compete with the UI and the
    first searches for the GIL and leave its memory high."""
    if not isinstance(engine.index, DiskIndex) or engine.vocab_dir is None:
        return None
    kb, cache = engine.vocab_dir, engine.cache_dir or default_cache_dir()
    path = index_path(kb, cache)
    changed = None if in_process else _refresh_in_child(kb, cache)
    if changed is None:
        load_table(cache)
        try:
            changed = refresh(kb, path)
        except sqlite3.Error:
            changed = None
        if changed is None:
            try:
                rebuild(kb, path)
            except OSError:
                return None
            changed = -1
    if changed == 0:
        return None
    return engine_over(IndexFile(path), cache, kb)


_CHILD = "import sys; from cs_console.service.knowledge_index import _child; _child(*sys.argv[1:])"


def _refresh_in_child(kb: Path, cache: Path) -> int | None:
    """Files re-read by a refresh (-1: rebuilt) done in a child process; ``None`` if it failed."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(kb), str(cache)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        return int(done.stdout.strip()) if done.returncode == 0 else None
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None


def _child(kb: str, cache: str) -> None:
    path = index_path(Path(kb), Path(cache))
    load_table(Path(cache))
    current = _current(path, Path(kb))
    if current is not None:
        current.close()
    changed = refresh(Path(kb), path) if current is not None else None
    if changed is None:
        rebuild(Path(kb), path)
        changed = -1
    print(changed)


def engine_over(source: IndexFile, cache: Path | None, vocab_dir: Path) -> SearchEngine:
    """A search engine reading ``source``, with the query vocabulary of ``vocab_dir``."""
    engine = SearchEngine(None, DiskIndex(source), cache, vocab_dir, DiskEntries(source))
    engine._vocab = load_vocab(vocab_dir)
    return engine


def write_file(articles: list[Article], path: Path) -> IndexFile:
    """An index file of entries already in memory (benchmarks, tests); no article files."""
    tmp = path.with_name(f".{path.name}.tmp")
    writer = IndexWriter.create(tmp)
    _write(writer, LoadResult(articles, []), {}, "in-memory entries")
    writer.finish(path)
    return IndexFile(path)
