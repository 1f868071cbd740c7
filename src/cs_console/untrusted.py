"""Text from customers, the backend and files, made safe to show: one rule for the console and
the command line.

Nothing in such text may act on the terminal. C0 controls (except tab and newline), ESC, DEL,
the C1 range, bidirectional overrides and invisible format characters are replaced by visible
stand-ins (ESC becomes ``^[``, U+202E becomes ``<U+202E>``), so a customer cannot move the
cursor, clear the screen, retitle the window, write the clipboard, forge a line with a carriage
return or reorder what the agent reads. Markup is a separate matter: the console never parses
untrusted text as markup (it becomes a Rich ``Text``), and the command line prints no markup.

Zero-width joiners (U+200C, U+200D) are kept: emoji and several scripts need them and they
cannot act on a terminal.
"""

from __future__ import annotations

import re

# Bidi controls: U+061C, U+200E/F, U+202A-E, U+2066-9. Invisible: U+200B, U+2060-4, U+FEFF,
# U+180E, U+2028/9 (line/paragraph separators some terminals treat as newlines).
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u2028\u2029"
    "\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# What a reply may consist of without saying anything: whitespace plus the characters above
# and the joiners.
_BLANK = re.compile(
    "[\\s\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]*"
)


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return "^" + chr(code + 0x40)
    if code == 0x7F:
        return "^?"
    return f"<U+{code:04X}>"


def visible(text: object, limit: int | None = None) -> str:
    """``text`` with every character that could act on a terminal made visible.

    ``\\r\\n`` becomes ``\\n``; a lone ``\\r`` shows as ``^M``. Tabs stay. ``limit`` cuts the
    text (before escaping, so a stand-in is never cut in half).
    """
    value = "" if text is None else str(text)
    if limit is not None and len(value) > limit:
        value = value[:limit]
    if "\r\n" in value:
        value = value.replace("\r\n", "\n")
    return _CONTROL.sub(_stand_in, value)


def without_controls(text: str) -> str:
    """``text`` with those characters removed: for text that is sent on (a script filled with a
    customer's name goes into a reply), where a stand-in would be noise."""
    return _CONTROL.sub("", text.replace("\r\n", "\n"))


_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` with lone surrogates (JSON can carry ``"\\ud800"``; UTF-8 cannot) replaced by
    U+FFFD, so the cache can store it."""
    return _SURROGATE.sub("\ufffd", text)


def has_control(text: str) -> bool:
    """True when ``text`` holds a character :func:`visible` would replace."""
    return _CONTROL.search(text) is not None


def is_blank(text: str) -> bool:
    """True when ``text`` is only whitespace and invisible characters (says nothing)."""
    return _BLANK.fullmatch(text) is not None


def json_safe(encoded: str) -> str:
    """JSON text with the C1, bidi and invisible characters written as ``\\uXXXX`` escapes.

    ``json.dumps(..., ensure_ascii=False)`` already escapes C0 controls; the rest would reach the
    terminal raw. The escaped form decodes to exactly the same value, so JSON stays exact.
    """
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04x}", encoded)
