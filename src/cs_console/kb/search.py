"""The query engine: ``SearchEngine.load()`` once, then ``engine.search(query)`` per keystroke.

A query is normalised like the index, cut into terms (a run of Chinese characters, an English or
pinyin word, a number) and each term into units (one per Chinese character, one per word). Each
unit carries a weight, its inverse document frequency, so 拆 counts for more than 吗.

Scoring an entry, field by field:

- Chinese: a unit is *credited* 1.0 when a query bigram containing it occurs in the field, 0.8
  when only a bigram that sounds the same occurs (every reading of a polyphone; the homophone
  typo from a pinyin IME), and a little when only the character itself occurs;
- a word: 1.0 for the word, less for its stem, a prefix being typed, a typo (edit distance 1-2,
  measured by rapidfuzz), or its reading as pinyin (full syllables, initials, or a mix) against the
  Chinese of a short field;
- a field scores ``weight(field) x weighted share of the query it covers``, scaled by how much of
  the field the match fills (length normalisation: the alias that *is* the question beats the
  body that mentions it), and cut when the field negates what it matched (未拆封 against a query
  that says 拆封) or the query negates and the field does not;
- the entry scores ``0.55 x its best field (plus a little for the next two: fields that agree)
  + 0.45 x coverage``, coverage being the weighted share
  of the query's units found anywhere in the entry, each at its best field's weight, times a
  coordination factor (0.75 to 1) for the share of the query its short fields (titles, aliases,
  question, tags) hold: an entry about every part of the query beats one about most of it. A
  query that equals a title or an alias scores 100.

Candidates come from the index (see ``index.py``): only entries that share a key with the query
are scored, at most ``CANDIDATES`` of them, chosen by a cheap sum over their posting lists.

Query understanding: a query is scored in up to three *readings* and an entry keeps its best:

- as typed, with the regional words and synonyms of ``kb_data/vocabulary`` (``vocab.py``) as
  alternatives: 痕 found as 痒 credits the query's 痕 with ``ALTERNATIVE``, and a unit that no
  entry holds weighs what its alternative weighs (咗 like 了, not like a rare word);
- its Latin words read as pinyin (``pinyin_query.py``): run-on or spaced-by-word text cut into
  syllables, one unit each, a pair credited where two adjacent characters of a short field read
  like it (an accent's zh/z, ing/in... at ``FUZZY``), a word without vowels as initials;
- for a short query with a dialect word no entry writes (咗, 點數), in standard Chinese, so the
  bigrams the word broke up match (開咗封 -> 开封).

Pasted text (``LONG_QUERY`` Chinese characters or more) is read as typed only: its rarest keys
pick the candidates, and a lone shared character earns ``LONG_UNIGRAM``, so the entry that covers
most of its words wins over one that shares a character with it.
"""

from __future__ import annotations

import os
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from cs_console.kb.disk_index import DiskIndex, EntrySource
from cs_console.kb.index import (
    D_FIELDS,
    D_KIND,
    D_SLUG,
    D_TITLE,
    D_TITLE_ZH,
    F_NORM,
    F_RANK,
    RANK_SHIFT,
    RANK_WEIGHTS,
    SHORT_RANK,
    Doc,
    Field,
    KbIndex,
)
from cs_console.kb.loader import Article, LoadResult, Problem, load_kb
from cs_console.kb.normalize import NEGATIONS, compact, normalize, tokens
from cs_console.kb.paths import default_kb_dir
from cs_console.kb.pinyin import loaded_table
from cs_console.kb.pinyin_query import SyllableChars, initials, segment
from cs_console.kb.vocab import Expansion, Vocab, load_vocab

__all__ = ["Hit", "SearchEngine", "Span", "default_cache_dir"]

CANDIDATES = 30  # entries fully scored per query (at least 3 x limit)
POSTINGS_CAP = 4000  # entries read from one posting list at most (best ranks come first)
LONG_KEYS = 24  # keys of pasted text read for candidates: its rarest
LONG_POSTINGS_CAP = (
    300  # ... and entries read from each of their lists (title and alias hits first)
)
MIN_SCORE = 8.0
MIN_SCORE_LONG = 2.0  # pasted text shares a small part of itself with any one entry
INITIALS_MAX = 5  # longest word also read as initials (jfdh, yysj)
INITIALS_ONLY_MAX = 10  # longest word read as initials when it cannot be pinyin (yhqbnyy)
INITIALS_RUN_MIN = 4  # shortest word also read as initials pair by pair
HOMOPHONE = 0.8
UNIGRAM = 0.3
ALTERNATIVE = 0.9  # a regional word or synonym of the query found instead of the query's own
FUZZY = 0.75  # a syllable pair matched only through an accent (zh/z, ing/in, ...)
PINYIN_PARTIAL = 0.9  # the pair's last syllable is still being typed
INITIAL = 0.85  # a syllable typed as its initial (yhqbnyy)
LONG_UNIGRAM = 0.1  # ... in pasted text, where one shared character says little
LONG_LONE_SHARE = 0.05  # ... and only when at most this share of the entries has it
LONG_QUERY = 16  # Chinese characters from which a query is pasted text, not typed keywords
PINYIN_LONE = 0.2  # one syllable that matched a character, but not as part of a pair
NEGATION_CUT = 0.7
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "am",
        "be",
        "do",
        "does",
        "did",
        "can",
        "could",
        "i",
        "my",
        "me",
        "you",
        "your",
        "it",
        "its",
        "to",
        "of",
        "for",
        "in",
        "on",
        "at",
        "and",
        "or",
        "with",
        "how",
        "what",
        "when",
        "where",
        "why",
        "which",
        "will",
        "would",
        "should",
        "get",
        "got",
        "not",
        "no",
        # verbs and fillers of a question that say nothing about its subject
        "contain",
        "contains",
        "there",
        "this",
        "that",
        "have",
        "has",
        "any",
        "if",
        "using",
        "after",
    ]
)
_EN_STOP_WEIGHT = 0.3
_RANK_ENDS = [(r + 1) << RANK_SHIFT for r in range(len(RANK_WEIGHTS))]  # past each rank's entries


@dataclass(frozen=True, slots=True)
class Span:
    """A matched range ``[start, end)`` of one field (``aliases`` and ``tags`` carry an index)."""

    field: str
    index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result; ``score`` is 0-100, ``kind`` is ``article`` or ``script``."""

    slug: str
    title: str
    title_zh: str
    score: float
    kind: str
    spans: tuple[Span, ...] = ()


def default_cache_dir() -> Path:
    """``$CS_CONSOLE_CACHE_DIR`` or the platform's user cache dir for cs-console."""
    env = os.environ.get("CS_CONSOLE_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("cs-console"))


# ---------------------------------------------------------------------------------------------
# Query analysis


class _Word:
    """An English/pinyin word or a number of the query, with what each field word is worth."""

    __slots__ = ("text", "unit", "credits", "pinyin", "number", "starts")

    def __init__(
        self, text: str, unit: int, credits: dict[str, float], number: bool, pinyin: bool
    ) -> None:
        self.text = text
        self.unit = unit
        self.credits = credits  # field word -> credit
        self.pinyin = (
            pinyin  # worth reading as pinyin: whole syllables, or short enough for initials
        )
        self.number = number
        self.starts: dict[str, bool] = {}  # character -> has a reading starting like the word


class _Run:
    """A run of Chinese characters of the query."""

    __slots__ = ("text", "unit", "readings", "bigrams", "homophones", "chars")

    def __init__(self, text: str, unit: int, readings: list[frozenset[str]]) -> None:
        self.text = text
        self.unit = unit
        self.readings = readings
        # what some entry of the index holds, so entries are not searched for the rest
        self.bigrams: list[bool] = []  # bigram i as typed
        self.homophones: list[bool] = []  # bigram i as a homophone (in a short field)
        self.chars: list[bool] = []


class _Alt:
    """Another way to say some units of the query (a regional word, a synonym): ``text`` found
    in a field credits each of ``units`` with ``ALTERNATIVE``."""

    __slots__ = ("text", "units", "latin_start", "latin_end")

    def __init__(self, text: str, units: tuple[int, ...]) -> None:
        self.text = text
        self.units = units
        self.latin_start = _latin(text[0])
        self.latin_end = _latin(text[-1])


class _Syl:
    """A syllable of a pinyin run with the characters that read like it."""

    __slots__ = ("exact", "loose", "quality", "initial")

    def __init__(
        self, exact: frozenset[str], loose: frozenset[str], quality: float, initial: str
    ) -> None:
        self.exact = exact
        self.loose = loose
        self.quality = quality  # credit of a character in ``exact``; ``loose`` earn FUZZY
        self.initial = initial  # the letter, when the syllable was typed as its initial


class _PinyinRun:
    """Latin words of the query read as one run of syllables (one unit each); ``words`` are the
    typed words with their first unit and syllable count, matched whole as aliases too."""

    __slots__ = ("unit", "syls", "words")

    def __init__(self, unit: int, syls: list[_Syl], words: list[tuple[str, int, int]]) -> None:
        self.unit = unit
        self.syls = syls
        self.words = words


@dataclass(slots=True)
class _Query:
    text: str
    compact: str
    runs: list[_Run]
    words: list[_Word]
    weights: list[float]
    negated: bool
    keys: list[tuple[str, float]]
    fallback: list[tuple[str, float]]  # single characters: read only when keys find too few
    alts: list[_Alt]
    pinyin: list[_PinyinRun]
    long: bool  # pasted text: a lone shared character earns LONG_UNIGRAM
    total: float = 1.0  # sum of the weights
    run_keys: _RunKeys | None = None  # the runs as look-ups, made once per query

    def __post_init__(self) -> None:
        self.total = sum(self.weights) or 1.0
        self.run_keys = _RunKeys(self.runs)


class _RunKeys:
    """The Chinese runs of a query as look-ups (what each bigram and character credits), so an
    entry is asked once per distinct key rather than once per unit of a long pasted message."""

    __slots__ = ("bigrams", "singles", "chars", "homophones", "size")

    def __init__(self, runs: list[_Run]) -> None:
        self.bigrams: dict[str, list[int]] = {}  # bigram some entry holds -> its first units
        self.singles: dict[str, list[int]] = {}  # a one-character run -> its units
        self.chars: dict[str, list[int]] = {}  # a character of a longer run -> its units
        # (bigram, or "" when no entry holds it; first unit; readings of its two characters)
        self.homophones: list[tuple[str, int, frozenset[str], frozenset[str]]] = []
        for run in runs:
            text, u = run.text, run.unit
            if len(text) == 1:
                if run.chars[0]:
                    self.singles.setdefault(text, []).append(u)
                continue
            for i in range(len(text) - 1):
                b = text[i : i + 2] if run.bigrams[i] else ""
                if b:
                    self.bigrams.setdefault(b, []).append(u + i)
                if run.homophones[i]:
                    self.homophones.append((b, u + i, run.readings[i], run.readings[i + 1]))
            for i, ch in enumerate(text):
                if run.chars[i]:
                    self.chars.setdefault(ch, []).append(u + i)
        self.size = len(self.bigrams) + len(self.singles) + len(self.chars)


# ---------------------------------------------------------------------------------------------


class SearchEngine:
    """Knowledge-base search. Immutable once loaded, so one engine serves any number of threads."""

    def __init__(
        self,
        result: LoadResult | None,
        index: KbIndex | DiskIndex,
        cache_dir: Path | None = None,
        vocab_dir: Path | None = None,
        entries: EntrySource | None = None,
    ) -> None:
        """``result`` holds the entries in memory; or ``entries`` reads them from the index
        file one at a time (``result`` is then read whole only when asked for)."""
        self._result = result
        self._entries = entries
        self.index = index
        self.cache_dir = cache_dir
        self.vocab_dir = vocab_dir  # the knowledge base whose vocabulary/*.tsv the queries use
        self._by_slug = {a.slug: a for a in result.articles} if result is not None else None
        self._table_lock = threading.Lock()
        self._table: dict[str, tuple[str, ...]] | None = None
        # before the whole table is loaded: the readings of the characters met so far, read
        # from the index file (``_table_for``)
        self._partial: dict[str, tuple[str, ...]] = {}
        self._asked: set[str] = set()
        self._vocab: Vocab | None = None
        self._chars: SyllableChars | None = None

    # -- construction ----------------------------------------------------------------------

    @classmethod
    def load(
        cls, kb_dir: Path | str | None = None, cache_dir: Path | str | None = None
    ) -> SearchEngine:
        """Read ``kb_dir`` (default: the shipped knowledge base) and index it in memory, with
        nothing saved: for a small folder read once (a test, an import preview). The console and
        the CLI open the index file instead (``service.knowledge_index.open_engine``);
        ``cache_dir`` keeps the pinyin table (default: ``default_cache_dir()``)."""
        kb_dir = Path(kb_dir) if kb_dir is not None else default_kb_dir()
        cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        result = load_kb(kb_dir)
        return cls(result, KbIndex.build(result.articles), cache, kb_dir)

    @classmethod
    def from_articles(
        cls,
        articles: Iterable[Article],
        cache_dir: Path | str | None = None,
        vocab_dir: Path | str | None = None,
    ) -> SearchEngine:
        """An engine over entries already in memory (tests, benchmarks, an import preview);
        queries use the vocabulary of ``vocab_dir`` (default: the shipped knowledge base)."""
        arts = list(articles)
        return cls(
            LoadResult(arts, []),
            KbIndex.build(arts),
            Path(cache_dir) if cache_dir else None,
            Path(vocab_dir) if vocab_dir is not None else default_kb_dir(),
        )

    @property
    def result(self) -> LoadResult:
        """Every entry and problem (from an index file: read whole on first use)."""
        if self._result is None:
            assert self._entries is not None
            with self._table_lock:
                if self._result is None:
                    self._result = LoadResult(self._entries.all(), self._entries.problems())
                    self._by_slug = {a.slug: a for a in self._result.articles}
        return self._result

    @property
    def articles(self) -> list[Article]:
        return self.result.articles

    @property
    def problems(self) -> list[Problem]:
        if self._result is None and self._entries is not None:
            return self._entries.problems()
        return self.result.problems

    @property
    def count(self) -> int:
        """How many entries (without reading them)."""
        return len(self.index)

    def get(self, slug: str) -> Article | None:
        """The entry with this slug, or ``None``."""
        if self._by_slug is not None:
            return self._by_slug.get(slug)
        assert self._entries is not None
        return self._entries.get(slug)

    def warm(self) -> None:
        """Build what the first queries would otherwise build (the English vocabulary, the
        characters of each syllable), off the UI thread before the agent types."""
        _ = self.index.vocab
        self._syllable_chars(self._readings_table())
        self._vocabulary()

    def _readings_table(self) -> dict[str, tuple[str, ...]]:
        if self._table is None:
            from cs_console.kb.pinyin import load_table

            with self._table_lock:
                if self._table is None:
                    self._table = load_table(self.cache_dir)
        return self._table

    def _table_for(self, text: str) -> Mapping[str, tuple[str, ...]]:
        """A readings table that holds every character of ``text``: the whole table once it is
        loaded (by ``warm``, a build, or a Latin query, which may be pinyin); before that, over
        an index file, only the characters met so far, read from the file's own copy of the
        table. The same readings either way; but the whole table costs ~20 ms of CPU, which at
        the console's start competed with the UI for the GIL before the first results."""
        if self._table is not None:
            return self._table
        read = getattr(self.index, "readings", None)
        if read is None or loaded_table() is not None:
            return self._readings_table()
        asked = self._asked
        missing = [c for c in set(text) if c > "\x7f" and c not in asked]
        if missing:
            got = read(missing)
            with self._table_lock:
                self._partial.update(got)
                asked.update(missing)
        return self._partial

    def _syllable_chars(self, table: Mapping[str, tuple[str, ...]]) -> SyllableChars:
        if self._chars is None:
            with self._table_lock:
                if self._chars is None:
                    self._chars = SyllableChars(self.index.chars(), table)
        return self._chars

    def _vocabulary(self) -> Vocab:
        if self._vocab is None:
            self._vocab = load_vocab(self.vocab_dir)
        return self._vocab

    # -- query -----------------------------------------------------------------------------

    def _analyse(self, query: str) -> list[_Query]:
        """The readings of ``query``: as typed, and with its pinyin-like words read as pinyin."""
        norm = normalize(query)
        parts = tokens(norm)
        if not parts:
            return []
        vocab = self._vocabulary()
        # a Latin word may be pinyin: read against the syllables of the whole table
        latin = any(k == "lat" for k, _t, _s in parts)
        table = self._readings_table() if latin else self._table_for(norm)
        self.index.prefetch(self._likely_keys(parts, table))
        expansions = vocab.expansions(parts)
        english = _english(parts)
        readings = [self._reading(query, norm, parts, expansions, {}, english, table)]
        plain = not english and not readings[0].long
        chains = self._pinyin_chains(parts, expansions, vocab) if plain else {}
        if chains:
            readings.append(self._reading(query, norm, parts, expansions, chains, False, table))
        standard = _standard(norm, parts, [e for e in expansions if self._unknown_term(parts, e)])
        # 開咗封 read as 开封: the bigrams a dialect word broke up (pasted text has enough others)
        if standard != norm and not readings[0].long:
            sparts = tokens(standard)
            table = self._table_for(standard)
            readings.append(
                self._reading(query, standard, sparts, vocab.expansions(sparts), {}, english, table)
            )
        return readings

    def _likely_keys(
        self, parts: list[tuple[str, str, int]], table: Mapping[str, tuple[str, ...]]
    ) -> Iterable[str]:
        """The keys a reading of ``parts`` asks about first: its characters, bigrams and words,
        and (short queries) the sounds of its bigrams."""
        long = sum(len(t) for k, t, _s in parts if k == "cjk") >= LONG_QUERY
        for kind, text, _start in parts:
            if kind != "cjk":
                yield "w" + text
                continue
            for i, ch in enumerate(text):
                yield "c" + ch
                if i + 1 < len(text):
                    yield "b" + text[i : i + 2]
                    if not long:
                        for r1 in table.get(ch, ()):
                            for r2 in table.get(text[i + 1], ()):
                                yield "p" + r1 + " " + r2

    def _pinyin_chains(
        self, parts: list[tuple[str, str, int]], expansions: list[Expansion], vocab: Vocab
    ) -> dict[int, list[tuple[int, list]]]:
        """First token -> the consecutive Latin tokens from there that read as pinyin, each with
        its syllables (two syllables or more in all). English words the vocabulary knows, stop
        words and tokens a synonym covers are never read as pinyin."""
        covered = {t for e in expansions if parts[e.run][0] != "cjk" for t in range(e.start, e.end)}
        known = self._known_pair
        chains: dict[int, list[tuple[int, list]]] = {}
        current: list[tuple[int, list]] = []

        def close() -> None:
            if current and sum(len(s) for _t, s in current) >= 2:
                chains[current[0][0]] = list(current)
            current.clear()

        for t, (kind, text, _start) in enumerate(parts):
            syls = None
            plain = kind == "lat" and t not in covered and text not in _STOPWORDS
            if plain and not vocab.knows(text):
                syls = segment(text, known, allow_partial=t == len(parts) - 1)
                # initials matched pair by pair, in part (jjtcj: 降价 + 退差价); three letters are
                # the word-level match of the first reading
                typed_initials = syls is None or (syls[-1].partial and len(syls[-1].text) == 1)
                if typed_initials and len(text) >= INITIALS_RUN_MIN:
                    syls = initials(text, INITIALS_ONLY_MAX) or syls
            if syls is None:
                close()
            else:
                current.append((t, syls))
        close()
        return chains

    def _unknown_term(self, parts: list[tuple[str, str, int]], e: Expansion) -> bool:
        """A Chinese term of the query that no entry writes as such (咗, 點數): a dialect word
        that breaks up the bigrams around it."""
        kind, text, _start = parts[e.run]
        if kind != "cjk":
            return False
        term = text[e.start : e.end]
        if len(term) == 1:
            return not self.index.df("c" + term)
        return not all(self.index.df("b" + term[i : i + 2]) for i in range(len(term) - 1))

    def _known_pair(self, a: str, b: str) -> bool:
        return self.index.has("p" + a + " " + b)

    def _reading(
        self,
        query: str,
        norm: str,
        parts: list[tuple[str, str, int]],
        expansions: list[Expansion],
        chains: dict[int, list[tuple[int, list]]],
        english: bool,
        table: Mapping[str, tuple[str, ...]],
    ) -> _Query:
        idx = self.index
        df_of = idx.df
        idf_of = idx.idf_of
        runs: list[_Run] = []
        words: list[_Word] = []
        weights: list[float] = []
        keys: list[tuple[str, float]] = []
        fallback: list[tuple[str, float]] = []
        pinyin: list[_PinyinRun] = []
        first_unit: dict[int, int] = {}  # token -> its first unit
        unknown: set[int] = set()  # units whose own key is in no entry
        max_idf = idx.idf("\0")  # what a key found nowhere weighs
        in_chain: set[int] = set()
        long = sum(len(t) for k, t, _s in parts if k == "cjk") >= LONG_QUERY
        # in pasted text a lone character is looked for only when few entries have it
        lone_df = max(3, int(LONG_LONE_SHARE * len(idx))) if long else len(idx) + 1
        for n, (kind, text, _start) in enumerate(parts):
            if n in in_chain:
                continue
            first_unit[n] = len(weights)
            if n in chains:
                pinyin.append(self._pinyin_run(chains[n], len(weights), table, keys, weights))
                in_chain.update(t for t, _s in chains[n])
                continue
            last = n == len(parts) - 1
            if kind == "cjk":
                # pasted text is read as typed: its characters' readings (homophones) unused
                rs = [] if long else [table.get(ch, ()) for ch in text]
                sounds = [frozenset(r) for r in rs]
                crun = _Run(text, len(weights), sounds)
                runs.append(crun)
                first = len(weights)
                for ch in text:  # each key's df read once: a pasted message has hundreds
                    df = df_of("c" + ch)
                    crun.chars.append(0 < df <= lone_df)
                    if not df:
                        unknown.add(len(weights))
                    weights.append(idf_of(df))
                if len(text) == 1:
                    keys.append(("c" + text, weights[first]))
                else:
                    fallback.extend(
                        ("c" + ch, UNIGRAM * w) for ch, w in zip(text, weights[first:], strict=True)
                    )
                for i in range(len(text) - 1):
                    k = "b" + text[i : i + 2]
                    df = df_of(k)
                    keys.append((k, idf_of(df)))
                    crun.bigrams.append(df > 0)
                    homophone = False
                    for r1 in () if long else rs[i]:  # pasted text: what it shares as typed
                        for r2 in rs[i + 1]:
                            k = "p" + r1 + " " + r2
                            if idx.has(k):
                                homophone = True
                                keys.append((k, HOMOPHONE * idx.idf(k)))
                    crun.homophones.append(homophone)
                continue
            credits, word_keys = self._word_variants(text, kind == "num", last)
            keys.extend(word_keys)
            if kind == "lat" and text in _STOPWORDS:
                weight = _EN_STOP_WEIGHT
            elif word_keys:
                weight = max(w for _k, w in word_keys)
            else:
                weight = max_idf
                unknown.add(len(weights))
            pinyin_ok = False
            # words of pasted text or of an English sentence are never pinyin or initials
            plain = not english and not long
            if kind == "lat" and plain and not self._vocabulary().knows(text):
                pinyin_keys, pinyin_ok = self._pinyin_keys(text)
                keys.extend(pinyin_keys)
                if pinyin_keys and len(weights) in unknown:
                    unknown.discard(len(weights))
                    weight = max(w for _k, w in pinyin_keys)
            words.append(_Word(text, len(weights), credits, kind == "num", pinyin_ok))
            weights.append(weight)
        alts = self._alternatives(parts, expansions, first_unit, in_chain, weights, unknown, keys)
        negated = _negates(norm)
        return _Query(
            query,
            compact(query),
            runs,
            words,
            weights,
            negated,
            keys,
            fallback,
            alts,
            pinyin,
            long,
        )

    def _pinyin_run(
        self,
        chain: list[tuple[int, list]],
        unit: int,
        table: Mapping[str, tuple[str, ...]],
        keys: list[tuple[str, float]],
        weights: list[float],
    ) -> _PinyinRun:
        """Units, weights and index keys of a chain of words read as pinyin."""
        idx = self.index
        syls: list[_Syl] = []
        forms: list[list[tuple[frozenset[str], float]]] = []
        run_words: list[tuple[str, int, int]] = []
        for _t, pieces in chain:
            run_words.append(("".join(p.text for p in pieces), unit + len(syls), len(pieces)))
            for p in pieces:
                initial = p.text if p.partial and len(p.text) == 1 else ""
                quality = INITIAL if initial else PINYIN_PARTIAL if p.partial else 1.0
                chars = self._syllable_chars(self._readings_table())
                syls.append(_Syl(chars(p.exact), chars(p.loose), quality, initial))
                forms.append([(p.exact, quality), (p.loose, FUZZY)])
        best = [0.0] * len(syls)
        for i in range(len(syls) - 1):
            if syls[i].initial and syls[i + 1].initial:  # the index holds initials pairs
                k = "i" + syls[i].initial + syls[i + 1].initial
                if idx.has(k):
                    w = INITIAL * idx.idf(k)
                    keys.append((k, w))
                    best[i] = max(best[i], w)
                    best[i + 1] = max(best[i + 1], w)
                continue
            for sa, qa in forms[i]:
                for sb, qb in forms[i + 1]:
                    for a in sa:
                        for b in sb:
                            k = "p" + a + " " + b
                            if idx.has(k):
                                w = min(qa, qb) * idx.idf(k)
                                keys.append((k, w))
                                best[i] = max(best[i], w)
                                best[i + 1] = max(best[i + 1], w)
        weights.extend(b or 1.0 for b in best)
        return _PinyinRun(unit, syls, run_words)

    def _alternatives(
        self,
        parts: list[tuple[str, str, int]],
        expansions: list[Expansion],
        first_unit: dict[int, int],
        in_chain: set[int],
        weights: list[float],
        unknown: set[int],
        keys: list[tuple[str, float]],
    ) -> list[_Alt]:
        """The query's regional words and synonyms as ``_Alt``s, with their index keys. A unit
        that no entry holds weighs what its alternatives weigh, so 咗 counts like 了 and not
        like a rare word."""
        idx = self.index
        alts: list[_Alt] = []
        for e in expansions:
            if e.run in in_chain or e.run not in first_unit:
                continue
            if parts[e.run][0] == "cjk":
                base = first_unit[e.run]
                units = tuple(range(base + e.start, base + e.end))
            else:
                if any(t in in_chain or t not in first_unit for t in range(e.start, e.end)):
                    continue
                units = tuple(first_unit[t] for t in range(e.start, e.end))
            alt_weight = 0.0
            for text in e.alternatives:
                alts.append(_Alt(text, units))
                alt_keys = _text_keys(text)
                ws = [idx.idf(k) for k in alt_keys]
                keys.extend((k, ALTERNATIVE * w) for k, w in zip(alt_keys, ws, strict=True))
                if ws:
                    alt_weight = max(alt_weight, sum(ws) / len(ws))
            for u in units:
                if u in unknown and alt_weight:
                    weights[u] = min(weights[u], alt_weight)
        return alts

    def _word_variants(
        self, word: str, number: bool, last: bool
    ) -> tuple[dict[str, float], list[tuple[str, float]]]:
        """Field words that count as ``word`` (with their credit) and the keys to look up."""
        idx = self.index
        credits: dict[str, float] = {}
        if idx.df("w" + word):
            credits[word] = 1.0
        vocab = idx.vocab
        if not number:
            for w in vocab.stem_mates(word):
                plural = w == word + "s" or word == w + "s"  # the same word: paraben(s)
                credits.setdefault(w, 0.98 if plural else 0.9)
            # a word the index or the query vocabulary knows is no typo ("face" is not "fake")
            if not idx.df("w" + word) and not self._vocabulary().knows(word):
                for w, d in vocab.typos(word).items():
                    credits.setdefault(w, 0.85 - 0.1 * (d - 1))
        if len(word) >= (2 if last else 4) or number:
            for w in vocab.with_prefix(word):
                credits.setdefault(w, (0.9 if last else 0.7) * max(0.6, len(word) / len(w)))
        keys = [("w" + w, c * idx.idf("w" + w)) for w, c in credits.items()]
        return credits, keys

    def _pinyin_keys(self, word: str) -> tuple[list[tuple[str, float]], bool]:
        """Index keys for ``word`` read as pinyin, and whether that reading is plausible."""
        from cs_console.kb.pinyin import segmentations

        idx = self.index
        out: list[tuple[str, float]] = []
        seen: set[str] = set()
        segs = segmentations(word, limit=4)
        for seg in segs:
            full = [s for s in seg if not s.endswith("*")]
            cands = ["p" + a + " " + b for a, b in zip(full, full[1:], strict=False)]
            if len(full) == 1:
                cands.append("q" + full[0])
            for k in cands:
                if k not in seen and idx.has(k):
                    seen.add(k)
                    out.append((k, idx.idf(k)))
        initials = 2 <= len(word) <= INITIALS_MAX or (
            not segs and len(word) <= INITIALS_ONLY_MAX and not self._vocabulary().knows(word)
        )
        if initials:
            for k in {"i" + word[i : i + 2] for i in range(len(word) - 1)}:
                if k not in seen and idx.has(k):
                    seen.add(k)
                    out.append((k, 0.8 * idx.idf(k)))
        return out, bool(segs) or initials

    def _candidates(self, readings: list[_Query], want: int) -> list[int]:
        acc: dict[int, float] = {}
        for q in readings:
            if q.long:  # its rarest keys say what it is about; the common ones cost most
                self._accumulate(acc, self._rarest(q.keys), LONG_POSTINGS_CAP)
            else:
                self._accumulate(acc, q.keys, POSTINGS_CAP)
        if len(acc) < want:
            for q in readings:
                if q.long:
                    self._accumulate(acc, self._rarest(q.fallback), LONG_POSTINGS_CAP)
                else:
                    self._accumulate(acc, q.fallback, POSTINGS_CAP)
        if len(acc) <= want:
            return list(acc)
        # what heapq.nlargest returns (ties in the order met), sorted in C
        return sorted(acc, key=acc.__getitem__, reverse=True)[:want]

    def _rarest(self, keys: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """The ``LONG_KEYS`` weightiest keys that some entry holds."""
        has = self.index.has
        held = [kw for kw in keys if has(kw[0])]
        return sorted(held, key=lambda kw: -kw[1])[:LONG_KEYS]

    def _accumulate(self, acc: dict[int, float], keys: list[tuple[str, float]], cap: int) -> None:
        """Add each key's weight, scaled by field rank, to every entry on its posting list."""
        get = acc.get
        lists = self.index.lists(list(dict.fromkeys(k for k, _w in keys)), cap)
        for key, weight in keys:
            plist = lists.get(key)
            if plist is None:
                continue
            # a list is rank-major: one weight per rank's run of entries, found by bisection
            lo, n = 0, len(plist)
            for rank, rank_weight in enumerate(RANK_WEIGHTS):
                hi = bisect_left(plist, _RANK_ENDS[rank], lo)
                if hi > lo:
                    w = weight * rank_weight
                    if rank:
                        base = rank << RANK_SHIFT
                        for entry in plist[lo:hi]:
                            d = entry - base
                            acc[d] = get(d, 0.0) + w
                    else:
                        for d in plist[lo:hi]:
                            acc[d] = get(d, 0.0) + w
                    if hi >= n:
                        break
                lo = hi

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """The best entries for ``query``, best first, at most ``limit`` of them."""
        if limit <= 0:
            return []
        readings = self._analyse(query)
        if not readings:
            return []
        candidates = self._candidates(readings, max(CANDIDATES, limit * 3))
        docs = self.index.docs_of(candidates)
        table: Mapping[str, tuple[str, ...]] | None = self._table
        if table is None:  # the readings of the candidates' characters, for homophones
            table = self._table_for(
                "".join(fl[F_NORM] for doc in docs.values() for fl in doc[D_FIELDS])
            )
        scored: list[tuple[float, int, str, Doc, list[Matched]]] = []
        for d in candidates:
            doc = docs.get(d)
            if doc is None:  # dropped by a refresh since its df was read
                continue
            score, best_rank, spans = max(
                (_score(q, doc, table) for q in readings), key=lambda r: (r[0], -r[1])
            )
            if score >= (MIN_SCORE_LONG if readings[0].long else MIN_SCORE):
                scored.append((score, best_rank, doc[D_SLUG], doc, spans))
        scored.sort(key=lambda t: (-t[0], t[1], t[2]))
        return [
            Hit(slug, doc[D_TITLE], doc[D_TITLE_ZH], round(score, 1), doc[D_KIND], _spans(spans))
            for score, _r, slug, doc, spans in scored[:limit]
        ]


# ---------------------------------------------------------------------------------------------
# Scoring one entry


def _score(
    q: _Query, doc: Doc, table: Mapping[str, tuple[str, ...]]
) -> tuple[float, int, list[Matched]]:
    """The entry's score, its best field's rank and what matched where (``_spans`` makes the
    ``Span``s, for the entries shown only)."""
    weights = q.weights
    total = q.total
    best: dict[int, float] = {}  # unit -> best rank-weighted credit in any field
    best_short: dict[int, float] = {}  # unit -> best credit in a short field
    values: list[float] = []
    best_rank = 9
    exact = False
    spans: list[Matched] = []
    fields = doc[D_FIELDS]
    starts: list[int] = []
    pos = 0
    for fl in fields:
        starts.append(pos)
        pos += len(fl[F_NORM]) + 1
    full = " ".join(fl[F_NORM] for fl in fields)
    by_field = _run_credits(q, fields, full, starts, table)
    # the words and alternatives this entry holds somewhere (a pinyin word matches characters)
    words = [w for w in q.words if w.pinyin or _may_match(w, full)]
    alts = [a for a in q.alts if a.text in full]
    others = bool(words or alts or q.pinyin)
    for f, (name, index, norm, rank, size) in enumerate(fields):
        got = by_field.get(f)
        if got is None and not others:
            continue
        credit, found = got if got is not None else ({}, [])
        short = rank <= SHORT_RANK
        for word in words:
            _match_word(word, norm, short, table, credit, found)
        for alt in alts:
            _match_alt(alt, norm, credit, found)
        if short:
            for prun in q.pinyin:
                _match_pinyin(prun, norm, credit, found)
        if not found:
            continue
        rw = RANK_WEIGHTS[rank]
        if short and not q.negated and _field_negates(norm, found):
            rw *= NEGATION_CUT
        if rank <= 1 and q.compact and q.compact == "".join(norm.split()):
            exact = True
        share = sum(weights[u] * c for u, c in credit.items()) / total
        merged = _merge(found)
        covered = sum(e - s for s, e in merged)
        fill = min(1.0, covered / size)
        value = rw * share * (0.65 + 0.35 * fill)
        values.append(value)
        if share > 0 and rank < best_rank:
            best_rank = rank
        for u, c in credit.items():
            if rw * c > best.get(u, 0.0):
                best[u] = rw * c
            if short and c > best_short.get(u, 0.0):
                best_short[u] = c
        spans.append((name, index, merged[: 6 if rank == 4 else 12]))
    coverage = sum(weights[u] * b for u, b in best.items()) / total
    values.sort(reverse=True)
    values.extend((0.0, 0.0, 0.0))
    best_field = min(1.0, values[0] + 0.12 * values[1] + 0.06 * values[2])
    coord = sum(weights[u] * b for u, b in best_short.items()) / total
    score = 100.0 * (0.55 * best_field + 0.45 * coverage) * (0.75 + 0.25 * coord)
    if exact:
        score = 100.0
    return min(100.0, score), best_rank, spans


Credits = dict[int, float]  # unit -> credit in one field
Found = list[tuple[int, int]]  # matched ranges of one field
Matched = tuple[str, int, list[tuple[int, int]]]  # a field's name and index, its merged ranges


def _spans(matched: list[Matched]) -> tuple[Span, ...]:
    return tuple(Span(name, index, s, e) for name, index, ranges in matched for s, e in ranges)


def _may_match(word: _Word, full: str) -> bool:
    """Some field of the joined ``full`` could hold ``word`` (``_match_word`` says where)."""
    return any(v in full for v in word.credits) or (word.number and word.text in full)


def _run_credits(
    q: _Query,
    fields: tuple[Field, ...],
    full: str,
    starts: list[int],
    table: Mapping[str, tuple[str, ...]],
) -> dict[int, tuple[Credits, Found]]:
    """What the query's Chinese runs earn in each field of an entry (by field position).

    ``full`` is the entry's fields joined by spaces (``starts``: where each begins). Each
    distinct bigram and character of the query is looked for there once (a membership test,
    in C: cheaper than listing the entry's own bigrams, even for a long article), and only
    those found are placed in their fields and credited: the Python work follows what the
    entry shares with the query, not the length of a pasted message.
    """
    out: dict[int, tuple[Credits, Found]] = {}
    rk = q.run_keys
    if rk is None or not (rk.size or rk.homophones):
        return out
    held_b = [b for b in rk.bigrams if b in full]
    held_s = [c for c in rk.singles if c in full]
    held_c = [c for c in rk.chars if c in full]

    def slot(f: int) -> tuple[Credits, Found]:
        got = out.get(f)
        if got is None:
            got = out[f] = ({}, [])
        return got

    for ch in held_s:
        units = rk.singles[ch]
        for f, p in _hits(full, starts, ch, 3):
            credit, found = slot(f)
            for k in units:
                credit[k] = 1.0
            found.append((p, p + 1))
    for b in held_b:
        units = rk.bigrams[b]
        for f, p in _hits(full, starts, b, 3):
            credit, found = slot(f)
            for k in units:
                credit[k] = credit[k + 1] = 1.0
            found.append((p, p + 2))
    if rk.homophones:
        _homophone_credits(rk, set(held_b), fields, table, slot)
    lone = LONG_UNIGRAM if q.long else UNIGRAM
    for ch in held_c:
        units = rk.chars[ch]
        for f, p in _hits(full, starts, ch, 1):
            credit, found = slot(f)
            new = False
            for k in units:
                if k not in credit:
                    credit[k] = lone
                    new = True
            if new and fields[f][F_RANK] <= SHORT_RANK:
                found.append((p, p + 1))
    return out


def _homophone_credits(
    rk: _RunKeys,
    held: set[str],
    fields: tuple[Field, ...],
    table: Mapping[str, tuple[str, ...]],
    slot: Callable[[int], tuple[Credits, Found]],
) -> None:
    """A bigram of the query that the entry does not hold as typed, found in a short field as
    two characters that sound like it (every reading of a polyphone)."""
    short_text: str | None = None
    short_sounds: dict[str, list[int]] = {}
    field_sounds: dict[int, dict[str, list[int]]] = {}
    for b, u, r1, r2 in rk.homophones:
        if b and b in held:
            continue
        if short_text is None:
            short_text = " ".join(fl[F_NORM] for fl in fields if fl[F_RANK] <= SHORT_RANK)
            short_sounds = _sound_positions(short_text, table)
        if _homophone_at(r1, r2, short_text, short_sounds, table) < 0:
            continue
        for f, fl in enumerate(fields):
            if fl[F_RANK] > SHORT_RANK:
                continue
            sounds = field_sounds.get(f)
            if sounds is None:
                sounds = field_sounds[f] = _sound_positions(fl[F_NORM], table)
            j = _homophone_at(r1, r2, fl[F_NORM], sounds, table)
            if j >= 0:
                credit, found = slot(f)
                for k in (u, u + 1):
                    if credit.get(k, 0.0) < HOMOPHONE:
                        credit[k] = HOMOPHONE
                found.append((j, j + 2))


def _hits(full: str, starts: list[int], s: str, per_field: int) -> Iterable[tuple[int, int]]:
    """``(field, offset in it)`` of ``s`` in the joined fields, at most ``per_field`` each."""
    p = full.find(s)
    last = len(starts) - 1
    while p >= 0:
        f = bisect_right(starts, p) - 1
        yield f, p - starts[f]
        count = 1
        nxt = starts[f + 1] if f < last else len(full)
        q = full.find(s, p + 1, nxt)
        while q >= 0 and count < per_field:
            yield f, q - starts[f]
            count += 1
            q = full.find(s, q + 1, nxt)
        p = full.find(s, nxt)


def _sound_positions(norm: str, table: Mapping[str, tuple[str, ...]]) -> dict[str, list[int]]:
    """Reading -> where a character of ``norm`` with that reading starts a bigram."""
    out: dict[str, list[int]] = {}
    for j in range(len(norm) - 1):
        for r in table.get(norm[j], ()):
            out.setdefault(r, []).append(j)
    return out


def _homophone_at(
    r1: frozenset[str],
    r2: frozenset[str],
    norm: str,
    sounds: dict[str, list[int]],
    table: Mapping[str, tuple[str, ...]],
) -> int:
    """Where ``norm`` has two characters reading like ``r1`` then ``r2``, or -1 (one look-up per
    reading, not a pass over the text per query bigram)."""
    for r in r1:
        for j in sounds.get(r, ()):
            if not r2.isdisjoint(table.get(norm[j + 1], ())):
                return j
    return -1


_PARTICLES = frozenset(("了", "的", "们"))  # what Cantonese 咗 嘅 哋 stand for: dropped


def _standard(norm: str, parts: list[tuple[str, str, int]], expansions: list[Expansion]) -> str:
    """``norm`` with each regional Chinese word replaced by its first alternative (a particle
    such as 咗 -> 了 is dropped), so 開咗封仲退唔退得 reads 开封还退不退得."""
    out = []
    done = 0
    for e in expansions:
        kind, _text, start = parts[e.run]
        if kind != "cjk":
            continue
        alt = e.alternatives[0]
        out.append(norm[done : start + e.start])
        out.append("" if alt in _PARTICLES else alt)
        done = start + e.end
    if not out:
        return norm
    out.append(norm[done:])
    return "".join(out)


_QUERY_NEGATIONS = NEGATIONS | frozenset("唔冇")  # Cantonese 唔 (not), 冇 (not have)


def _negates(norm: str) -> bool:
    """The query says "not" (未拆封, 冇開封), an A-not-A question (能不能, 退唔退得) aside."""
    if _QUERY_NEGATIONS.isdisjoint(norm):  # most queries: one set operation, not a loop
        return False
    last = len(norm) - 1
    for i, ch in enumerate(norm):
        if ch in _QUERY_NEGATIONS and not (0 < i < last and norm[i - 1] == norm[i + 1]):
            return True
    return False


def _english(parts: list[tuple[str, str, int]]) -> bool:
    """The query is an English sentence (two stop words or more): no word of it is pinyin."""
    return sum(1 for k, t, _s in parts if k == "lat" and t in _STOPWORDS) >= 2


def _match_alt(alt: _Alt, norm: str, credit: Credits, found: list[tuple[int, int]]) -> None:
    text = alt.text
    p = norm.find(text)
    while p >= 0:
        end = p + len(text)
        if (not alt.latin_start or p == 0 or not _latin(norm[p - 1])) and (
            not alt.latin_end or end == len(norm) or not _latin(norm[end])
        ):
            for u in alt.units:
                if credit.get(u, 0.0) < ALTERNATIVE:
                    credit[u] = ALTERNATIVE
            found.append((p, end))
            return
        p = norm.find(text, p + 1)


def _match_pinyin(
    run: _PinyinRun, norm: str, credit: Credits, found: list[tuple[int, int]]
) -> None:
    """Credit the syllables of a pinyin run that read like adjacent characters of ``norm``."""
    u = run.unit
    for text, first, count in run.words:  # the typed word itself (an alias such as tingchefei)
        p = norm.find(text)
        if p >= 0 and (p == 0 or not _latin(norm[p - 1])):
            end = p + len(text)
            if end == len(norm) or not _latin(norm[end]):
                for k in range(first, first + count):
                    credit[k] = 1.0
                found.append((p, end))
    syls = run.syls
    last = len(norm) - 1
    # which syllables have a character in the field at all (set operations, in C): a pair
    # is looked for only where both do
    present = [not (s.exact.isdisjoint(norm) and s.loose.isdisjoint(norm)) for s in syls]
    for i in range(len(syls) - 1):
        if not (present[i] and present[i + 1]):
            continue
        a, b = syls[i], syls[i + 1]
        best = 0.0
        where = 0
        for j in range(last):
            c = norm[j]
            qa = a.quality if c in a.exact else FUZZY if c in a.loose else 0.0
            if not qa:
                continue
            c = norm[j + 1]
            qb = b.quality if c in b.exact else FUZZY if c in b.loose else 0.0
            q = min(qa, qb)
            if q > best:
                best, where = q, j
                if q >= 1.0:
                    break
        if best:
            for k in (u + i, u + i + 1):
                if credit.get(k, 0.0) < best:
                    credit[k] = best
            found.append((where, where + 2))
    for i, syl in enumerate(syls):
        # a lone syllable adds to a field matched otherwise, never marks one alone; one letter
        # alone fits every twentieth character and earns nothing
        if u + i not in credit and not syl.initial and not syl.exact.isdisjoint(norm):
            credit[u + i] = PINYIN_LONE


def _text_keys(text: str) -> list[str]:
    """Index keys of a short text (an alternative): its bigrams, or its character, and words."""
    out: list[str] = []
    for kind, t, _s in tokens(text):
        if kind != "cjk":
            if t not in _STOPWORDS:
                out.append("w" + t)
        elif len(t) == 1:
            out.append("c" + t)
        else:
            out.extend("b" + t[i : i + 2] for i in range(len(t) - 1))
    return out


def _occurrences(norm: str, s: str, p: int, limit: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    while p >= 0 and len(out) < limit:
        out.append((p, p + len(s)))
        p = norm.find(s, p + 1)
    return out


def _match_word(
    word: _Word,
    norm: str,
    short: bool,
    table: Mapping[str, tuple[str, ...]],
    credit: Credits,
    found: list[tuple[int, int]],
) -> None:
    best = 0.0
    where: list[tuple[int, int]] = []
    for variant, c in word.credits.items():
        p = norm.find(variant)
        while p >= 0:
            end = p + len(variant)
            if (p == 0 or not _latin(norm[p - 1])) and (end == len(norm) or not _latin(norm[end])):
                if c > best:
                    best = c
                where.append((p, end))
                break
            p = norm.find(variant, p + 1)
    if word.number and best < 1.0 and word.text in norm:
        p = norm.find(word.text)
        best = max(best, 0.7)
        where.append((p, p + len(word.text)))
    if word.pinyin and short and best < 1.0:
        quality, span = _pinyin_match(word.text, norm, table, word.starts)
        if quality > best:
            best = quality
            where = [span]
    if best > 0:
        credit[word.unit] = best
        found.extend(where[:4])


def _latin(ch: str) -> bool:
    return "a" <= ch <= "z" or "0" <= ch <= "9"


def _pinyin_match(
    w: str, norm: str, table: Mapping[str, tuple[str, ...]], starts: dict[str, bool]
) -> tuple[float, tuple[int, int]]:
    """Best reading of ``w`` as pinyin of consecutive characters of ``norm``.

    Each character consumes a whole syllable, or a prefix of one (an initial, "zh", ...); the
    last one may be a syllable still being typed. Quality: 1.0 for whole syllables, 0.95 when the
    last is unfinished, 0.85 for pure initials (two or more), 0.8 for a mix.
    """
    n = len(w)
    if n > 30:
        return 0.0, (0, 0)
    best = 0.0
    best_span = (0, 0)
    first = w[0]
    for j, ch in enumerate(norm):
        ok = starts.get(ch)
        if ok is None:
            ok = starts[ch] = any(r[0] == first for r in table.get(ch, ()))
        if not ok:
            continue
        # stack of (pos in w, pos in norm, abbreviated units, whole units)
        stack = [(0, j, 0, 0)]
        while stack:
            k, i, abbr, whole = stack.pop()
            if i >= len(norm):
                continue
            rr = table.get(norm[i])
            if not rr:
                continue
            rest = w[k:]
            for r in rr:
                if r[0] != rest[0]:
                    continue
                if rest.startswith(r):
                    k2 = k + len(r)
                    if k2 == n:
                        q = _pinyin_quality(abbr, whole + 1, False)
                        if q > best:
                            best, best_span = q, (j, i + 1)
                    else:
                        stack.append((k2, i + 1, abbr, whole + 1))
                    continue
                if r.startswith(rest):  # the last syllable, still being typed
                    q = _pinyin_quality(abbr, whole, True)
                    if q > best:
                        best, best_span = q, (j, i + 1)
                    continue
                for p in range(len(r) - 1, 0, -1):
                    if rest.startswith(r[:p]) and k + p < n:
                        stack.append((k + p, i + 1, abbr + 1, whole))
                        break
        if best >= 1.0:
            break
    return best, best_span


def _pinyin_quality(abbr: int, whole: int, unfinished: bool) -> float:
    if abbr == 0:
        if whole == 0:  # a lone unfinished syllable: "gu" for 过
            return 0.6
        return 0.95 if unfinished else 1.0
    units = abbr + whole + (1 if unfinished else 0)
    if whole == 0 and units >= 2:
        return 0.85
    return 0.8 if units >= 2 else 0.5


def _field_negates(norm: str, found: list[tuple[int, int]]) -> bool:
    """A matched part of the field is negated right before it (未拆封, 没拆封, 不能退)."""
    return any(s > 0 and norm[s - 1] in NEGATIONS for s, _e in found)


def _merge(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(found):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out
