"""Untrusted text (customers, the backend) shown literally: no markup, no terminal escapes.

Rich ``Text`` never interprets markup, but control characters would still reach the terminal;
they are replaced by visible stand-ins (ESC becomes ``^[``), so nothing a customer types can
move the cursor, change colours or retitle the window.
"""

from __future__ import annotations

import re

from rich.text import Text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return "^" + chr(code + 0x40)
    if code == 0x7F:
        return "^?"
    return f"<U+{code:04X}>"


def clean(text: object, limit: int | None = None) -> str:
    """Text with control and bidi-override characters made visible; optionally cut to ``limit``."""
    value = "" if text is None else str(text)
    if limit is not None and len(value) > limit:
        value = value[:limit]
    return _CONTROL.sub(_visible, value.replace("\r\n", "\n").replace("\t", "    "))


def literal(text: object, style: str = "", limit: int | None = None) -> Text:
    """A Rich Text that shows ``text`` exactly as typed (never parsed as markup)."""
    return Text(clean(text, limit), style=style, no_wrap=False)


def one_line(text: object, width: int = 60) -> Text:
    """A single-line cell: newlines folded to spaces, cut to ``width`` characters."""
    value = clean(text).replace("\n", " ")
    if len(value) > width:
        value = value[: width - 1] + "…"
    return Text(value)
