"""Reading a Latin query as pinyin: run-on segmentation and southern-accent fuzzy syllables.

``segment("jifenzenmeduihuan")`` cuts a run of letters into syllables over a lattice of valid
syllables plus the accent forms of them (``tin`` for ``ting``, ``zuang`` for ``zhuang``), keeping
the cuts with the fewest syllables, then the fewest accent forms, then the most syllable pairs the
index knows (``known``). A tail that only starts a syllable (``guom``) is kept as a syllable being
typed. ``fuzzy(syllable)`` lists the syllables an accent confuses it with: zh/z, ch/c, sh/s, n/l
initials and ing/in, eng/en, ang/an finals.

``SyllableChars`` gives the characters of a knowledge base that read like a syllable (the reverse
of the pinyin table over the characters the index holds), so matching a field is a set look-up
per character.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from cs_console.kb.pinyin import syllables

__all__ = ["Syllable", "SyllableChars", "fuzzy", "initials", "segment"]

MAX_LETTERS = 48  # longer runs of letters are not read as pinyin
_INITIAL_SWAPS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"))
_FINAL_SWAPS = (("ing", "in"), ("eng", "en"), ("ang", "an"))
_BEAM = 4  # cuts kept per position of the lattice
_NO_VOWEL = frozenset(("m", "n", "ng", "hm", "hng"))  # interjections: never a cut of a word


def _valid() -> frozenset[str]:
    global _valid_set
    if _valid_set is None:
        _valid_set = frozenset(syllables() - _NO_VOWEL)
    return _valid_set


_valid_set: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class Syllable:
    """One syllable of a pinyin reading of the query.

    ``text`` is what was typed; ``exact`` the syllables it stands for as typed (empty for an
    accent form such as ``tin``), ``loose`` those an accent confuses it with, ``partial`` marks a
    last syllable still being typed (``exact`` then holds every syllable it may become).
    """

    text: str
    exact: frozenset[str]
    loose: frozenset[str]
    partial: bool = False


def _swaps(s: str) -> set[str]:
    """Every form of ``s`` with one initial and/or one final swapped (valid or not)."""
    heads = {s}
    for a, b in _INITIAL_SWAPS:
        if len(a) == 2 and s.startswith(a):
            heads.add(b + s[2:])
        elif s.startswith(b) and not s.startswith(b + "h") and b != "l":
            heads.add(a + s[1:])
        elif a == "n" and s[:1] in "nl":
            heads.add(("l" if s[0] == "n" else "n") + s[1:])
    out = set(heads)
    for h in heads:
        for a, b in _FINAL_SWAPS:
            if h.endswith(a):
                out.add(h[: -len(a)] + b)
                break
            if h.endswith(b):
                out.add(h + a[len(b) :])
                break
    out.discard(s)
    return out


_lock = threading.Lock()
_accent: dict[str, frozenset[str]] | None = None  # typed form -> valid syllables it may mean


def _accent_table() -> dict[str, frozenset[str]]:
    global _accent
    if _accent is None:
        with _lock:
            if _accent is None:
                valid = _valid()
                table: dict[str, set[str]] = {}
                for s in valid:
                    for v in _swaps(s):
                        if v != s:
                            table.setdefault(v, set()).add(s)
                _accent = {k: frozenset(v) for k, v in table.items()}
    return _accent


def fuzzy(syllable: str) -> frozenset[str]:
    """The valid syllables a southern accent confuses ``syllable`` with (not itself)."""
    valid = _valid()
    return frozenset(v for v in _swaps(syllable) if v in valid)


class SyllableChars:
    """Which characters of a knowledge base read like a set of syllables.

    Built from the characters the index holds (a few thousand), not the whole pinyin table, so
    the first pinyin query of a process pays milliseconds; unions of syllables are remembered.
    """

    def __init__(self, chars: Iterable[str], table: Mapping[str, tuple[str, ...]]) -> None:
        rev: dict[str, set[str]] = {}
        for ch in chars:
            for r in table.get(ch, ()):
                rev.setdefault(r, set()).add(ch)
        self._by_syllable = {k: frozenset(v) for k, v in rev.items()}
        self._unions: dict[frozenset[str], frozenset[str]] = {}

    def __call__(self, syls: frozenset[str]) -> frozenset[str]:
        if len(syls) == 1:
            return self._by_syllable.get(next(iter(syls)), frozenset())
        found = self._unions.get(syls)
        if found is None:
            out: set[str] = set()
            for s in syls:
                out |= self._by_syllable.get(s, frozenset())
            found = frozenset(out)
            if len(self._unions) < 4096:
                self._unions[syls] = found
        return found


def initials(word: str, longest: int) -> list[Syllable] | None:
    """``word`` read as the initials of consecutive characters (``yhqbnyy``): one partial
    syllable per letter, or ``None`` when it has a vowel, is too long or has a letter that
    starts no syllable."""
    if not 2 <= len(word) <= longest or not word.isascii() or not word.isalpha():
        return None
    if any(c in "aeiou" for c in word):
        return None
    table = _prefixes()
    if any(c not in table for c in word):
        return None
    return [Syllable(c, table[c], frozenset(), True) for c in word]


def _prefixes() -> dict[str, frozenset[str]]:
    global _prefix_table
    if _prefix_table is None:
        with _lock:
            if _prefix_table is None:
                table: dict[str, set[str]] = {}
                for s in _valid():
                    for i in range(1, len(s)):
                        table.setdefault(s[:i], set()).add(s)
                _prefix_table = {k: frozenset(v) for k, v in table.items()}
    return _prefix_table


_prefix_table: dict[str, frozenset[str]] | None = None


def segment(
    word: str, known: Callable[[str, str], bool] | None = None, allow_partial: bool = True
) -> list[Syllable] | None:
    """The best cut of ``word`` into syllables, or ``None`` when it is not pinyin.

    ``known(a, b)`` says whether the index holds the syllable pair ``a b``; it breaks ties
    between cuts with as few syllables and accent forms (``xian`` vs ``xi an``).
    """
    n = len(word)
    if not 2 <= n <= MAX_LETTERS or not word.isascii() or not word.isalpha():
        return None
    valid = _valid()
    accent = _accent_table()
    # best[i]: up to _BEAM cuts of word[:i], each (syllables, accent forms, pieces)
    best: list[list[tuple[int, int, tuple[str, ...]]]] = [[] for _ in range(n + 1)]
    best[0] = [(0, 0, ())]
    for i in range(n):
        if not best[i]:
            continue
        for j in range(i + 1, min(n, i + 6) + 1):
            piece = word[i:j]
            if piece in valid:
                extra = 0
            elif piece in accent:
                extra = 1
            else:
                continue
            for count, loose, pieces in best[i]:
                best[j].append((count + 1, loose + extra, (*pieces, piece)))
        for j in range(i + 1, n + 1):
            if len(best[j]) > _BEAM:
                best[j] = sorted(best[j])[:_BEAM]
    finals = sorted(best[n])[:_BEAM]
    partial = False
    if not finals and allow_partial:
        for i in range(n - 1, max(0, n - 5), -1):
            if best[i] and word[i:] in _prefixes():
                finals = [(c + 1, lo, (*p, word[i:])) for c, lo, p in sorted(best[i])[:_BEAM]]
                partial = True
                break
    if not finals:
        return None
    if known is not None and len(finals) > 1:
        top = finals[0][:2]
        tied = [f for f in finals if f[:2] == top]

        def pairs(f: tuple[int, int, tuple[str, ...]]) -> int:
            p = f[2]
            return sum(1 for a, b in zip(p, p[1:], strict=False) if known(a, b))

        pieces = max(tied, key=pairs)[2]
    else:
        pieces = finals[0][2]
    out: list[Syllable] = []
    for k, piece in enumerate(pieces):
        if partial and k == len(pieces) - 1:
            out.append(Syllable(piece, _prefixes()[piece], frozenset(), True))
        elif piece in valid:
            out.append(Syllable(piece, frozenset((piece,)), fuzzy(piece)))
        else:
            out.append(Syllable(piece, frozenset(), accent[piece]))
    return out
