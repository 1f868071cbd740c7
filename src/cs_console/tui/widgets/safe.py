"""Untrusted text (customers, the backend, files) shown literally: no markup, no terminal escapes.

Everything a customer or the backend wrote reaches a widget as a Rich ``Text`` built here, never
as a string Textual would parse as markup; control characters are made visible by
:func:`cs_console.untrusted.visible`, the same rule the command line uses.
"""

from __future__ import annotations

from rich.text import Text

from cs_console.untrusted import visible


def clean(text: object, limit: int | None = None) -> str:
    """Text with control and bidi-override characters made visible; optionally cut to ``limit``."""
    return visible(text, limit).replace("\t", "    ")


def literal(text: object, style: str = "", limit: int | None = None) -> Text:
    """A Rich Text that shows ``text`` exactly as typed (never parsed as markup)."""
    return Text(clean(text, limit), style=style, no_wrap=False)


def one_line(text: object, width: int = 60) -> Text:
    """A single-line cell: newlines folded to spaces, cut to ``width`` characters."""
    value = clean(text).replace("\n", " ")
    if len(value) > width:
        value = value[: width - 1] + "…"
    return Text(value)


def joined(*parts: Text | str, sep: str = " ") -> Text:
    """Our own words (str, never markup) and literal parts in one Text."""
    out = Text()
    for index, part in enumerate(parts):
        if index:
            out.append(sep)
        out.append_text(part) if isinstance(part, Text) else out.append(part)
    return out
