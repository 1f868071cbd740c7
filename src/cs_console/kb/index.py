"""The candidate index: which entries could match a query, found without scanning them all.

Every searchable field of every entry is normalised once and broken into keys:

- ``c`` + character and ``b`` + bigram for Chinese text (bigrams serve two-character queries,
  which SQLite FTS5 trigram cannot);
- ``w`` + word for English words and digit runs;
- for the short fields (titles, aliases, question, tags) the pinyin of each character, every
  reading of a polyphone: ``p`` + two adjacent syllables (so a homophone typo such as 积份 for
  积分 shares the key ``pji fen``), ``i`` + the initials of two adjacent characters (``my`` and
  ``ys`` for 母婴室), and for titles and aliases ``q`` + a lone syllable.

A posting list holds ``rank << 24 | entry`` for each entry that has the key, ``rank`` being the
best (lowest) field rank it occurs in, sorted so the title and alias hits come first; a query can
then stop reading a long list early. The index is plain data (dicts, lists, arrays) so that it
pickles, and is never mutated after ``build`` except for the lazily built vocabulary.
"""

from __future__ import annotations

import math
import threading
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import Final

from cs_console.kb.normalize import normalize, tokens
from cs_console.kb.pinyin import readings
from cs_console.scripts.template import PLACEHOLDER_RE

__all__ = [
    "FIELD_RANKS",
    "INDEX_VERSION",
    "RANK_WEIGHTS",
    "SHORT_RANK",
    "Doc",
    "Field",
    "KbIndex",
    "Vocabulary",
    "stem",
]

INDEX_VERSION = 5
# field -> rank; a rank's weight is RANK_WEIGHTS[rank]
FIELD_RANKS = {
    "title": 0,
    "title_zh": 0,
    "aliases": 1,
    "question": 2,
    "tags": 3,
    "products": 3,
    "body": 4,
}
RANK_WEIGHTS = (1.0, 0.9, 0.7, 0.6, 0.35)
SHORT_RANK = 3  # fields of this rank or better get pinyin keys
RANK_SHIFT = 24
DOC_MASK = (1 << RANK_SHIFT) - 1


# An entry and its fields are plain tuples of strings and ints, not objects: the garbage collector
# stops tracking such tuples, so a 10k-entry index adds nothing to a collection's pause.
#   Field = (name, index, norm, rank, size): ``norm`` is ``normalize(text)`` of the article's
#           ``name`` attribute (``index`` into aliases/tags/products), same length, so offsets in
#           it are offsets in the text; ``size`` counts its characters that are not spaces.
#   Doc   = (slug, title, title_zh, kind, fields)
Field = tuple[str, int, str, int, int]
Doc = tuple[str, str, str, str, tuple[Field, ...]]
# Positions in a Field and a Doc; Final so that mypy sees the literal index and each element's type.
F_NAME: Final = 0
F_INDEX: Final = 1
F_NORM: Final = 2
F_RANK: Final = 3
F_SIZE: Final = 4
D_SLUG: Final = 0
D_TITLE: Final = 1
D_TITLE_ZH: Final = 2
D_KIND: Final = 3
D_FIELDS: Final = 4


def _searchable(article) -> Iterable[tuple[str, int, str]]:
    yield "title", 0, article.title
    yield "title_zh", 0, article.title_zh
    for i, a in enumerate(article.aliases):
        yield "aliases", i, a
    if article.question:
        yield "question", 0, article.question
    for i, t in enumerate(article.tags):
        yield "tags", i, t
    for i, p in enumerate(article.products):
        yield "products", i, p
    if article.body:
        yield "body", 0, article.body


def make_doc(article) -> Doc:
    """The index's view of an article (anything with the ``Article`` attributes)."""
    fields = []
    for name, index, text in _searchable(article):
        norm = normalize(text)
        if "{{" in text:  # placeholders are not content: blank them out
            chars = list(norm)
            for m in PLACEHOLDER_RE.finditer(text):
                chars[m.start() : m.end()] = " " * (m.end() - m.start())
            norm = "".join(chars)
        size = len(norm) - norm.count(" ")
        if size:
            fields.append((name, index, norm, FIELD_RANKS[name], size))
    return (article.slug, article.title, article.title_zh, article.kind, tuple(fields))


def field_keys(norm: str, rank: int) -> set[str]:
    """The index keys of one normalised field of the given rank."""
    keys: set[str] = set()
    add = keys.add
    for kind, text, _start in tokens(norm):
        if kind != "cjk":
            add("w" + text)
            continue
        for i, ch in enumerate(text):
            add("c" + ch)
            if i + 1 < len(text):
                add("b" + text[i : i + 2])
        if rank > SHORT_RANK:
            continue
        rs = [readings(ch) for ch in text]
        for i, rr in enumerate(rs):
            if rank <= 1:  # lone syllables ("guo") only from titles and aliases
                for r in rr:
                    add("q" + r)
            if i + 1 < len(rs):
                nxt = rs[i + 1]
                for r1 in rr:
                    for r2 in nxt:
                        add("p" + r1 + " " + r2)
                for a in {r[0] for r in rr}:
                    for b in {r[0] for r in nxt}:
                        add("i" + a + b)
    return keys


class KbIndex:
    """Entries plus posting lists; see the module docstring."""

    def __init__(self, docs: list[Doc], postings: dict[str, array]) -> None:
        self.docs = docs
        self.postings = postings
        self._vocab: Vocabulary | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict:
        return {"docs": self.docs, "postings": self.postings}

    def __setstate__(self, state: dict) -> None:
        KbIndex.__init__(self, state["docs"], state["postings"])

    @classmethod
    def build(cls, articles: Iterable) -> KbIndex:
        docs: list[Doc] = []
        lists: dict[str, array] = {}
        for d, article in enumerate(articles):
            doc = make_doc(article)
            docs.append(doc)
            best: dict[str, int] = {}
            for _name, _index, norm, rank, _size in doc[D_FIELDS]:
                for key in field_keys(norm, rank):
                    if best.get(key, 99) > rank:
                        best[key] = rank
            for key, rank in best.items():
                bucket = lists.get(key)
                if bucket is None:
                    bucket = lists[key] = array("I")
                bucket.append(rank << RANK_SHIFT | d)
        for key, bucket in lists.items():  # rank-major order: title and alias hits first
            lists[key] = array("I", sorted(bucket))
        return cls(docs, lists)

    def __len__(self) -> int:
        return len(self.docs)

    def df(self, key: str) -> int:
        p = self.postings.get(key)
        return len(p) if p is not None else 0

    def has(self, key: str) -> bool:
        return key in self.postings

    def prefetch(self, keys: Iterable[str]) -> None:
        """Nothing to read ahead: every list is in memory (``DiskIndex`` reads them)."""

    def lists(self, keys: Sequence[str], cap: int) -> dict[str, array]:
        """``key -> the first cap entries of its posting list`` for the keys that occur."""
        out: dict[str, array] = {}
        for key in keys:
            p = self.postings.get(key)
            if p is not None:
                out[key] = p[:cap]
        return out

    def docs_of(self, ids: Sequence[int]) -> dict[int, Doc]:
        return {d: self.docs[d] for d in ids}

    def chars(self) -> Iterable[str]:
        """Every Chinese character some entry holds."""
        return (k[1:] for k in self.postings if k[0] == "c")

    def idf(self, key: str) -> float:
        """Inverse document frequency of a key (high for rare keys, ~0.7 for a key in every entry)."""
        return self.idf_of(self.df(key))

    def idf_of(self, df: int) -> float:
        """The inverse document frequency of a key held by ``df`` entries."""
        return math.log(1.0 + (len(self.docs) + 1) / (df + 1))

    @property
    def vocab(self) -> Vocabulary:
        if self._vocab is None:
            with self._lock:
                if self._vocab is None:
                    self._vocab = Vocabulary(
                        {k[1:]: len(v) for k, v in self.postings.items() if k[0] == "w"}
                    )
        return self._vocab


_SUFFIXES = ("ies", "ing", "ed", "es", "ic", "s", "y", "e")


def stem(word: str) -> str:
    """A deliberately crude English stem: enough to meet "allergy", "allergic", "allergies"."""
    for suf in _SUFFIXES:
        if len(word) - len(suf) >= 4 and word.endswith(suf):
            return word[: -len(suf)]
    return word


class Vocabulary:
    """The English words and numbers of the index, for prefix, stem and typo look-ups.

    Typo candidates come from a deletion neighbourhood (every word with one character deleted),
    so finding them costs a few dictionary look-ups, not a pass over the vocabulary; rapidfuzz
    then confirms each candidate's edit distance.
    """

    def __init__(self, df: dict[str, int]) -> None:
        self.df = df
        self.sorted = sorted(df)
        self.deletes: dict[str, list[str]] = {}
        self.stems: dict[str, list[str]] = {}
        for w in df:
            if w.isalpha():
                self.stems.setdefault(stem(w), []).append(w)
                if len(w) >= 4:
                    for i in range(len(w)):
                        self.deletes.setdefault(w[:i] + w[i + 1 :], []).append(w)

    def with_prefix(self, prefix: str, limit: int = 40) -> list[str]:
        out: list[str] = []
        i = bisect_left(self.sorted, prefix)
        while i < len(self.sorted) and self.sorted[i].startswith(prefix) and len(out) < limit:
            if self.sorted[i] != prefix:
                out.append(self.sorted[i])
            i += 1
        return out

    def typos(self, word: str) -> dict[str, int]:
        """Vocabulary words within a small edit distance of ``word`` -> that distance."""
        if len(word) < 4 or not word.isalpha():
            return {}
        from rapidfuzz.distance import OSA

        max_d = 1 if len(word) <= 7 else 2
        probes = {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}
        if max_d > 1:
            probes |= {p[:i] + p[i + 1 :] for p in list(probes) for i in range(len(p))}
        found: dict[str, int] = {}
        for p in probes:
            for cand in (p,) if p in self.df else ():
                found.setdefault(cand, -1)
            for cand in self.deletes.get(p, ()):
                found.setdefault(cand, -1)
        out: dict[str, int] = {}
        for cand in found:
            if cand == word:
                continue
            d = OSA.distance(word, cand, score_cutoff=max_d)
            if d <= max_d:
                out[cand] = d
        return out

    def stem_mates(self, word: str) -> Sequence[str]:
        return [w for w in self.stems.get(stem(word), ()) if w != word]
