"""Toast text laid out so no wide (CJK) character is lost where the toast crosses a pane's edge.

Textual draws each screen line in pieces cut at every widget's left and right edge, the
widgets under a toast included; a double-width character whose two cells fall on both sides of
such a cut is drawn as two spaces (Textual issue #6357), so a Chinese toast at 160 columns lost
the character over the border between the ticket and the knowledge panes. :func:`toast_text`
wraps the message itself, line by line at the toast's text width, and puts a space before a
wide character that would straddle an edge, so Textual neither rewraps it nor cuts a character.

The toast's place is Textual's (``Toast``: 60 columns, at most half the rack, a left border and
one column of padding on each side, right-aligned in a rack with a vertical scrollbar); the
console test of this module checks it against a shown toast.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.cells import cell_len

TOAST_WIDTH = 60
"""Textual's ``Toast { width: 60; max-width: 50% }``."""
TOAST_FRAME = 3
"""Columns of a toast that are not text: the left border and the padding either side."""

_TOKEN = re.compile(r"\s|[!-~]+|.", re.S)  # a space, a run of ASCII (a word, a number), a char


def toast_place(screen_width: int, scrollbar: int) -> tuple[int, int]:
    """``(x, width)`` of a toast's text on a screen ``screen_width`` wide."""
    rack = screen_width - scrollbar
    toast = min(TOAST_WIDTH, rack // 2)
    return rack - toast + 1 + 1, toast - TOAST_FRAME


def toast_text(message: str, x: int, width: int, edges: Iterable[int]) -> str:
    """``message`` wrapped to ``width`` columns starting at screen column ``x``, with a space
    before each wide character whose right half would fall on one of ``edges`` (the columns
    where a widget starts or ends). Text without a wide character is returned as it is."""
    if width < 4 or all(cell_len(ch) < 2 for ch in message):
        return message
    cuts = set(edges)
    lines: list[str] = []
    for paragraph in message.split("\n"):
        line, col = "", 0
        for token in _TOKEN.findall(paragraph):
            size = cell_len(token)
            if token.isspace() and col == 0 and line == "":
                continue  # a wrapped line does not start with the space it was wrapped at
            if col + size > width and line:
                lines.append(line.rstrip())
                line, col = "", 0
                if token.isspace():
                    continue
            if size == 2:
                gap = _gap(x + col, cuts)
                if col + gap + 2 > width:
                    lines.append(line.rstrip())
                    line, col = "", 0
                    gap = _gap(x, cuts)
                line, col = line + " " * gap, col + gap
            line, col = line + token, col + size
        lines.append(line.rstrip())
    return "\n".join(lines)


def _gap(start: int, cuts: set[int]) -> int:
    """Spaces to put before a wide character at column ``start`` so that it straddles no cut
    (two edges side by side, a pane's border and its content, take two)."""
    gap = 0
    while start + gap + 1 in cuts:
        gap += 1
    return gap
