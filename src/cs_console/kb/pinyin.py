"""Toneless pinyin readings per character, every reading of a polyphone.

The table is derived once from pypinyin's own data (``pypinyin.pinyin_dict.pinyin_dict``, which
costs ~0.3 s to import) and cached next to the search index, so later runs load it in
milliseconds and never import pypinyin. Nothing calls ``pypinyin.lazy_pinyin`` per string: a
string's readings are looked up character by character.

The cache is ``marshal`` data in chunks of ``CHUNK`` characters, each read by one C call of about
a millisecond: the whole table (42k characters) costs ~10 ms of CPU, where parsing it line by line
in Python cost ~35 ms, and the GIL is free between chunks, so the console's UI thread, which
reads it while it starts, never waits long for it. The header names the Python version (marshal's
format is Python's own); a file of another version, or one that does not read, is rebuilt.
"""

from __future__ import annotations

import marshal
import os
import sys
import threading
import unicodedata
from itertools import chain
from pathlib import Path

__all__ = ["load_table", "loaded_table", "readings", "segmentations", "strip_tones", "syllables"]

TABLE_VERSION = 2
CHUNK = 4000  # characters per chunk of the saved table (one C call each)
_lock = threading.Lock()
_table: dict[str, tuple[str, ...]] | None = None
_syllables: frozenset[str] | None = None


def strip_tones(reading: str) -> str:
    """``"lǜ"`` -> ``"lv"``, ``"zhōng"`` -> ``"zhong"`` (ü is written v, as IMEs type it)."""
    s = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def _build_table() -> dict[str, tuple[str, ...]]:
    from pypinyin.pinyin_dict import pinyin_dict  # heavy: only when no cached table exists

    table: dict[str, tuple[str, ...]] = {}
    for code, value in pinyin_dict.items():
        seen: list[str] = []
        for r in value.split(","):
            t = strip_tones(r.strip())
            if t.isascii() and t.isalpha() and t not in seen:
                seen.append(t)
        if seen:
            table[chr(code)] = tuple(seen)
    return table


def _cache_file(cache_dir: Path | None) -> Path | None:
    if cache_dir is None:
        return None
    return Path(cache_dir) / f"pinyin-table-v{TABLE_VERSION}.bin"


def _header() -> tuple[str, int, int, int]:
    return ("pinyin-table", TABLE_VERSION, *sys.version_info[:2])


def _dumps(table: dict[str, tuple[str, ...]]) -> bytes:
    """The saved table: a header and the table's chunks, each marshalled on its own."""
    items = list(table.items())
    chunks = [marshal.dumps(dict(items[i : i + CHUNK])) for i in range(0, len(items), CHUNK)]
    return marshal.dumps((_header(), chunks))


def _loads(data: bytes) -> dict[str, tuple[str, ...]]:
    """The table saved by ``_dumps``; ``ValueError`` for another version or a damaged file."""
    try:
        header, chunks = marshal.loads(data)
    except (EOFError, TypeError, ValueError) as exc:
        raise ValueError("not a pinyin table") from exc
    if header != _header() or not isinstance(chunks, list):
        raise ValueError("not a pinyin table of this version")
    table: dict[str, tuple[str, ...]] = {}
    for chunk in chunks:  # the GIL is free between two chunks
        try:
            part = marshal.loads(chunk)
        except (EOFError, TypeError, ValueError) as exc:
            raise ValueError("a damaged pinyin table") from exc
        if not isinstance(part, dict):
            raise ValueError("a damaged pinyin table")
        table.update(part)
    return table


def _save(table: dict[str, tuple[str, ...]], path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(_dumps(table))
        os.replace(tmp, path)
    except OSError:
        pass


def load_table(cache_dir: Path | None = None) -> dict[str, tuple[str, ...]]:
    """The character -> readings table; loaded from ``cache_dir`` or built (and saved there)."""
    global _table, _syllables
    if _table is not None:
        return _table
    with _lock:
        if _table is not None:
            return _table
        path = _cache_file(cache_dir)
        table = None
        if path is not None and path.is_file():
            try:
                table = _loads(path.read_bytes())
            except (OSError, ValueError):  # rebuilt, never fatal
                table = None
        if table is None:
            table = _build_table()
            if path is not None:
                _save(table, path)
        _syllables = frozenset(chain.from_iterable(table.values()))
        _table = table
        return table


def loaded_table() -> dict[str, tuple[str, ...]] | None:
    """The table if this process has loaded it already, else ``None`` (nothing is read)."""
    return _table


def readings(ch: str) -> tuple[str, ...]:
    """Every toneless reading of one character; ``()`` for a character without pinyin."""
    table = _table if _table is not None else load_table()
    return table.get(ch, ())


def syllables() -> frozenset[str]:
    """Every toneless syllable in the table."""
    if _syllables is None:
        load_table()
    assert _syllables is not None
    return _syllables


def segmentations(word: str, limit: int = 8) -> list[list[str]]:
    """Ways to cut ``word`` into whole syllables, longest first syllable first.

    ``"jifen"`` -> ``[["ji", "fen"]]``; ``"xian"`` -> ``[["xian"], ["xi", "an"]]``. A trailing
    part that is only the start of a syllable is returned as the last element with a ``*``
    (``"guom"`` -> ``[["guo", "m*"]]``) so callers can treat it as a prefix being typed.
    """
    syl = syllables()
    out: list[list[str]] = []
    n = len(word)

    def walk(i: int, acc: list[str]) -> None:
        if len(out) >= limit:
            return
        if i == n:
            out.append(list(acc))
            return
        for j in range(min(n, i + 6), i, -1):
            piece = word[i:j]
            if piece in syl:
                acc.append(piece)
                walk(j, acc)
                acc.pop()
        if i > 0 and n - i <= 5 and any(s.startswith(word[i:]) for s in _PREFIXES.get(word[i], ())):
            out.append([*acc, word[i:] + "*"])

    global _PREFIXES
    if not _PREFIXES:
        by_first: dict[str, list[str]] = {}
        for s in syl:
            by_first.setdefault(s[0], []).append(s)
        _PREFIXES = {k: tuple(v) for k, v in by_first.items()}
    walk(0, [])
    return out


_PREFIXES: dict[str, tuple[str, ...]] = {}
