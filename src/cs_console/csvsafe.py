"""CSV cells that a spreadsheet shows as text, never runs as a formula (CSV injection).

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and some
also when it starts with a tab or a carriage return. Customer text can reach our exports
(symptoms, article bodies), so ``=HYPERLINK(...)`` or ``+cmd|' /C calc'!A0`` would run on the
quality team's machine. Following OWASP's CSV-injection guidance, :func:`neutralise` puts a single
quote ``'`` in front of such a cell, which spreadsheets read as "this is text".

Two exceptions keep the exports useful and exact:

- A cell that is a plain number (``-12.5``, ``-3``, ``-1e-05``) stays as it is, and so does
  any value that is not a string (our own ints and floats): a spreadsheet reads it as a number
  and runs nothing. ``-2+3`` is not a plain number and is neutralised.
- A cell that already starts with quotes followed by a dangerous character (``'=x``) gets one
  more quote (``''=x``), so that :func:`restore` (used on import) gives back exactly what was
  exported: it takes one quote off a cell of one or more quotes followed by a dangerous
  character, and leaves every other cell alone.

Standard library only and pure, so any layer may use it; it imports nothing of ours.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

__all__ = ["DANGEROUS", "csv_text", "is_plain_number", "neutralise", "neutralise_cell", "restore"]

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula."""

_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_QUOTED_DANGER = re.compile(r"'+[=+\-@\t\r]", re.DOTALL)


def is_plain_number(text: str) -> bool:
    """Whether ``text`` is a decimal number such as ``-12.5`` or ``3e-05`` (ASCII digits)."""
    return _PLAIN_NUMBER.fullmatch(text) is not None


def neutralise(text: str) -> str:
    """``text`` as a cell a spreadsheet shows literally: a ``'`` in front when it would start a
    formula (or when it already starts with quotes and a formula character); unchanged
    otherwise, plain numbers included."""
    if not text:
        return text
    if text.startswith(DANGEROUS):
        return text if is_plain_number(text) else "'" + text
    if _QUOTED_DANGER.match(text):
        return "'" + text
    return text


def restore(text: str) -> str:
    """The inverse of :func:`neutralise`: one leading ``'`` off a cell that is one or more quotes
    followed by a formula character; any other cell unchanged."""
    return text[1:] if _QUOTED_DANGER.match(text) else text


def neutralise_cell(value: Any) -> Any:
    """:func:`neutralise` for strings; other values (numbers, ``None``) pass as they are."""
    return neutralise(value) if isinstance(value, str) else value


def csv_text(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    raw: bool = False,
    lineterminator: str = "\r\n",
    extrasaction: Literal["raise", "ignore"] = "raise",
) -> str:
    """The CSV text of ``rows`` under a header of ``columns``, each cell neutralised unless
    ``raw`` (then the cells are written exactly as given: only for tools that are not a
    spreadsheet)."""
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(columns), extrasaction=extrasaction, lineterminator=lineterminator
    )
    writer.writeheader()
    for row in rows:
        if raw:
            writer.writerow(row)
        else:
            writer.writerow({key: neutralise_cell(value) for key, value in row.items()})
    return out.getvalue()
