"""Text normalisation shared by the index and the query.

``normalize`` folds traditional to simplified Chinese (OpenCC ``t2s``, character by character;
您 and 妳 to 你),
full-width to half-width, case, accents, and turns punctuation and whitespace into plain spaces.
It maps every character to exactly one character, so an offset in the normalised text is the
same offset in the original: match spans found on normalised text highlight the original.

OpenCC is imported on the first non-ASCII character, never at import time.
"""

from __future__ import annotations

import re
import threading
import unicodedata

__all__ = [
    "NEGATIONS",
    "compact",
    "is_cjk",
    "normalize",
    "tokens",
]

# Variants folded to one form beyond t2s: the polite and the female "you" are still "you".
_VARIANTS = {"您": "你", "妳": "你"}

# Characters that flip the meaning of what follows them ("未拆封" vs "拆封").
NEGATIONS = frozenset("未没沒不无無非别別免")

_lock = threading.Lock()
_t2s = None


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph (the characters that pinyin and bigrams apply to)."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x2FA1F
    )


def _opencc_char(ch: str) -> str:
    global _t2s
    if _t2s is None:
        with _lock:
            if _t2s is None:
                from opencc import OpenCC

                _t2s = OpenCC("t2s")
    out = _t2s.convert(ch)
    return out if len(out) == 1 else ch


def _fold(ch: str) -> str:
    """The one-character normal form of ``ch``."""
    o = ord(ch)
    if 0xFF01 <= o <= 0xFF5E:  # full-width ASCII
        ch = chr(o - 0xFEE0)
    elif o == 0x3000:  # ideographic space
        return " "
    if is_cjk(ch):
        ch = _opencc_char(ch)
        return _VARIANTS.get(ch, ch)
    low = ch.lower()
    if len(low) == 1:
        ch = low
    cat = unicodedata.category(ch)
    if cat[0] in "PSZC":
        return " "
    if cat[0] == "L" and not ch.isascii():
        base = unicodedata.normalize("NFKD", ch)[0]
        if base.isascii() and base.isalpha():
            return base.lower()
    return ch


class _CharMap(dict):
    """``str.translate`` table that computes (and remembers) each character's fold on demand."""

    def __missing__(self, code: int) -> str:
        out = _fold(chr(code))
        self[code] = out
        return out


_MAP = _CharMap()
for _c in range(128):
    _MAP[_c] = _fold(chr(_c))


def normalize(text: str) -> str:
    """Fold ``text`` for matching; the result has the same length as ``text``."""
    return text.translate(_MAP)


def compact(text: str) -> str:
    """Normalised text without spaces: the form used to compare aliases and whole titles."""
    return "".join(normalize(text).split())


_TOKEN_RE = re.compile(r"[a-z]+|[0-9]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def tokens(norm: str) -> list[tuple[str, str, int]]:
    """Runs of a normalised string: ``(kind, text, start)`` with kind ``cjk``, ``lat`` or ``num``.

    Letters and digits are split apart ("spf50" is "spf" and "50"); a CJK run is kept whole and
    its characters are the units that bigrams and pinyin work on.
    """
    out: list[tuple[str, str, int]] = []
    for m in _TOKEN_RE.finditer(norm):
        t = m.group()
        c = t[0]
        kind = "lat" if "a" <= c <= "z" else "num" if "0" <= c <= "9" else "cjk"
        out.append((kind, t, m.start()))
    return out
