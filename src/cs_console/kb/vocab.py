"""Query vocabulary: the other words a customer may use for what an article says.

Two kinds of entry, both read as *alternatives* (the query keeps its own words; an alternative
only adds a way for them to match, see ``search.py``):

- regional words: OpenCC's Taiwan phrase table (``TWPhrasesRev.txt``, the one behind its
  ``tw2sp`` config: 軟體 -> 软件, 滑鼠 -> 鼠标) plus our own list of Hong Kong, Taiwan and Cantonese
  words in ``kb_data/vocabulary/regional.tsv`` (唔, 咗, 痕, 點數, 入帳, 消委會, 收唔到);
- synonyms in ``kb_data/vocabulary/synonyms.tsv``: colloquial verbs (洒了, 催发货, 骂我, 转售后)
  and English symptom and ingredient words (red, itchy, rash, retinol, vitamin c, parabens).

Terms are stored normalised (``normalize``: traditional folded to simplified, case folded), so
one entry serves both scripts. Latin terms match whole words (``face`` never matches inside
``surface``); Chinese terms match anywhere in a run, longest first.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cs_console.kb.normalize import normalize, tokens

__all__ = ["Expansion", "Vocab", "load_vocab", "vocab_files", "vocab_problems"]

MAX_CJK = 8  # longest Chinese term looked for
MAX_WORDS = 3  # longest English term, in words


@dataclass(frozen=True, slots=True)
class Expansion:
    """Query tokens ``[start, end)`` of one term (Chinese: characters of one run) and what they
    may also be read as."""

    run: int  # index of the token in ``tokens(norm)``
    start: int  # first character (Chinese) or first token (Latin)
    end: int
    alternatives: tuple[str, ...]


def vocab_files(kb_dir: Path) -> list[Path]:
    folder = kb_dir / "vocabulary"
    return sorted(folder.glob("*.tsv")) if folder.is_dir() else []


def _opencc_phrases() -> Iterable[tuple[str, list[str]]]:
    try:
        import opencc
    except ImportError:
        return
    path = Path(opencc.__file__).parent / "dictionary" / "TWPhrasesRev.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and parts[0] and parts[1]:
            yield parts[0], parts[1].split()


def read_tsv(path: Path) -> list[tuple[int, str, list[str]]]:
    """``(line, term, alternatives)`` of one vocabulary file (``#`` lines are comments)."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        alts = [a.strip() for a in parts[1].split("|")] if len(parts) > 1 else []
        out.append((n, parts[0].strip(), [a for a in alts if a]))
    return out


def vocab_problems(kb_dir: Path) -> list:
    """``Problem``s of the vocabulary files (for ``kb check``): a line without a term or an
    alternative, an alternative equal to its term, a term given twice in one file."""
    from cs_console.i18n import Text
    from cs_console.kb.loader import Problem

    out = []
    for path in vocab_files(kb_dir):
        try:
            rows = read_tsv(path)
        except (OSError, UnicodeDecodeError) as exc:
            out.append(Problem(path, 0, Text("kb.check.cannot_read", error=exc)))
            continue
        seen: dict[str, int] = {}
        for n, term, alts in rows:
            key = normalize(term).strip()
            if not tokens(key):
                out.append(Problem(path, n, Text("kb.check.vocab_no_term")))
                continue
            if not alts:
                out.append(Problem(path, n, Text("kb.check.vocab_no_alternative", term=term)))
            elif all(" ".join(normalize(a).split()) == key for a in alts):
                out.append(Problem(path, n, Text("kb.check.vocab_only_itself", term=term)))
            if key in seen:
                out.append(
                    Problem(path, n, Text("kb.check.vocab_twice", term=term, line=seen[key]))
                )
            else:
                seen[key] = n
    return out


class Vocab:
    """Normalised term -> alternatives, split into Chinese terms and Latin word sequences."""

    def __init__(self, entries: Iterable[tuple[str, list[str]]]) -> None:
        self.cjk: dict[str, tuple[str, ...]] = {}
        self.latin: dict[str, tuple[str, ...]] = {}
        h = hashlib.sha1()
        for term, alts in entries:
            key = normalize(term).strip()
            parts = tokens(key)
            if not parts:
                continue
            norm_alts = []
            for a in alts:
                na = " ".join(normalize(a).split())  # "A醇" stays one piece, as articles write it
                if na and na != " ".join(t for _k, t, _s in parts) and na not in norm_alts:
                    norm_alts.append(na)
            if not norm_alts:
                continue
            h.update(f"{key}\t{'|'.join(norm_alts)}\n".encode())
            if len(parts) == 1 and parts[0][0] == "cjk":
                target = self.cjk
                key = parts[0][1]
            elif all(k != "cjk" for k, _t, _s in parts):
                target = self.latin
                key = " ".join(t for _k, t, _s in parts)
            else:
                continue
            old = target.get(key, ())
            target[key] = old + tuple(a for a in norm_alts if a not in old)
        self.digest = h.hexdigest()[:16]
        # first character -> the lengths of the Chinese terms starting with it, longest first:
        # a pasted message is looked up only where a term can start
        lengths: dict[str, set[int]] = {}
        for term in self.cjk:
            if len(term) <= MAX_CJK:
                lengths.setdefault(term[0], set()).add(len(term))
        self._lengths = {ch: sorted(ls, reverse=True) for ch, ls in lengths.items()}

    def expansions(self, parts: list[tuple[str, str, int]]) -> list[Expansion]:
        """The terms found in a tokenised, normalised query (longest first, no overlaps)."""
        out: list[Expansion] = []
        cjk = self.cjk
        lengths = self._lengths
        for r, (kind, text, _s) in enumerate(parts):
            if kind != "cjk" or not cjk:
                continue
            i = 0
            n = len(text)
            while i < n:
                for L in lengths.get(text[i], ()):
                    if i + L > n:
                        continue
                    alts = cjk.get(text[i : i + L])
                    if alts:
                        out.append(Expansion(r, i, i + L, alts))
                        i += L
                        break
                else:
                    i += 1
        if self.latin:
            i = 0
            while i < len(parts):
                if parts[i][0] == "cjk":
                    i += 1
                    continue
                for L in range(MAX_WORDS, 0, -1):
                    seq = parts[i : i + L]
                    if len(seq) < L or any(k == "cjk" for k, _t, _s in seq):
                        continue
                    alts = self.latin.get(" ".join(t for _k, t, _s in seq))
                    if alts:
                        out.append(Expansion(i, i, i + L, alts))
                        i += L
                        break
                else:
                    i += 1
        return out

    def knows(self, word: str) -> bool:
        """``word`` is an English word of the vocabulary (never read as a typo of another)."""
        return word in self.latin


_lock = threading.Lock()
_cache: dict[tuple, Vocab] = {}


def load_vocab(kb_dir: Path | None) -> Vocab:
    """The vocabulary of a knowledge base: OpenCC's phrases plus its ``vocabulary/*.tsv``."""
    files = vocab_files(kb_dir) if kb_dir is not None else []
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    with _lock:
        found = _cache.get(stamp)
        if found is not None:
            return found
        entries: list[tuple[str, list[str]]] = list(_opencc_phrases())
        for p in files:
            try:
                entries.extend((term, alts) for _n, term, alts in read_tsv(p))
            except (OSError, UnicodeDecodeError):
                continue
        vocab = Vocab(entries)
        _cache[stamp] = vocab
        return vocab
