"""Spreadsheet round trip: export the knowledge base as CSV, import article files from one.

Columns, in this order (the header row is required; column order may differ on import):

==========  ======================================================================
slug        the file name without ``.md``: lower-case letters, digits and ``-``
title       English title
title_zh    Chinese title
category    ``pre-sale``, ``after-sale``, ``systems``, ``membership``, ``mall``,
            ``complaint`` or ``script`` (``script`` rows go to ``scripts/``)
question    the question as a customer puts it
aliases     other ways to ask, separated by ``|``
tags        separated by ``|``
products    SKUs or product lines, separated by ``|``
body        the answer (markdown), without the reply scripts
scripts     the reply scripts, each starting on its own line with ``## 话术 · <title>``
            followed by its text (the same markdown as in the article file)
==========  ======================================================================

Texts keep their ``{{placeholders}}`` and ``{{policy.<name>}}`` unfilled. When an article has
ordinary sections after its scripts, the export leaves the scripts inside ``body`` (and
``scripts`` empty) so the file comes back exactly as it was.

Cells are neutralised for spreadsheets (see :mod:`cs_console.csvsafe`): a cell that would start a
formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets a ``'`` in front, and import takes
exactly that quote off again, so export → import gives back every text unchanged. ``raw=True`` on
both sides keeps the cells as they are.

Import validates every row first, exactly as ``kb check`` does (plus duplicate slugs in the sheet
and clashes with the files already there) and reports problems as ``row N: message``, N being
the spreadsheet row (the header is row 1). If any row is bad nothing is written; otherwise each
file is written to a temporary file and renamed into place.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cs_console.csvsafe import csv_text, restore
from cs_console.i18n import Items, Text
from cs_console.kb.loader import Article, cross_check, load_kb, parse_text

__all__ = ["COLUMNS", "ImportResult", "article_text", "export_csv", "import_csv", "split_scripts"]

COLUMNS = (
    "slug",
    "title",
    "title_zh",
    "category",
    "question",
    "aliases",
    "tags",
    "products",
    "body",
    "scripts",
)
LIST_SEP = "|"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_HEADING = re.compile(r"^##\s", re.MULTILINE)
_SCRIPT_HEADING = re.compile(r"^##\s+(话术|Script)\b")


@dataclass
class ImportResult:
    written: list[Path]
    problems: list[str]


def split_scripts(body: str) -> tuple[str, str]:
    """``(answer, scripts)``: the trailing block of script sections, when scripts end the body."""
    starts = [m.start() for m in _HEADING.finditer(body)]
    split = None
    for pos in reversed(starts):
        line = body[pos : body.find("\n", pos) if "\n" in body[pos:] else len(body)]
        if not _SCRIPT_HEADING.match(line):
            break
        split = pos
    if split is None:
        return body, ""
    return body[:split].rstrip("\n"), body[split:].strip("\n")


def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _toml_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(_toml_str(s) for s in items) + "]"


def article_text(row: dict[str, str]) -> str:
    """The article file for one CSV row (values as in the sheet)."""

    def items(key: str) -> list[str]:
        return [s.strip() for s in (row.get(key) or "").split(LIST_SEP) if s.strip()]

    lines = ["+++"]
    for key in ("slug", "title", "title_zh", "category", "question"):
        value = (row.get(key) or "").strip()
        if key != "question" or value or row.get("category") != "script":
            lines.append(f"{key} = {_toml_str(value)}")
    for key in ("aliases", "tags", "products"):
        lines.append(f"{key} = {_toml_list(items(key))}")
    lines.append("+++")
    body = (row.get("body") or "").replace("\r\n", "\n").strip("\n")
    scripts = (row.get("scripts") or "").replace("\r\n", "\n").strip("\n")
    text = "\n".join(lines) + "\n\n" + body
    if scripts:
        text += ("\n\n" if body else "") + scripts
    return text.rstrip("\n") + "\n"


def _row(article: Article) -> dict[str, str]:
    body, scripts = split_scripts(article.body)
    return {
        "slug": article.slug,
        "title": article.title,
        "title_zh": article.title_zh,
        "category": article.category,
        "question": article.question,
        "aliases": LIST_SEP.join(article.aliases),
        "tags": LIST_SEP.join(article.tags),
        "products": LIST_SEP.join(article.products),
        "body": body,
        "scripts": scripts,
    }


def export_csv(kb_dir: Path, raw: bool = False) -> tuple[str, list[str]]:
    """The CSV text of every valid entry under ``kb_dir`` (placeholders unfilled) and problems.

    Cells are neutralised for spreadsheets unless ``raw``."""
    result = load_kb(kb_dir, fill_policy=False)
    text = csv_text((_row(article) for article in result.articles), COLUMNS, raw=raw)
    return text, [
        Text("check.at", path=p.path, line=p.line, message=p.message) for p in result.problems
    ]


def _target(into: Path, row: dict[str, str]) -> tuple[Path, str]:
    kind = "script" if (row.get("category") or "").strip() == "script" else "article"
    sub = "scripts" if kind == "script" else "articles"
    return into / sub / f"{(row.get('slug') or '').strip()}.md", kind


def _restored(row: dict[Any, Any]) -> dict[Any, Any]:
    return {key: restore(value) if isinstance(value, str) else value for key, value in row.items()}


def import_csv(source: Path | str, into: Path, raw: bool = False) -> ImportResult:
    """Validate every row of ``source``, then write all files under ``into`` or none.

    Each cell loses the quote the export put in front of a formula character, unless ``raw``
    (a sheet exported with ``raw=True``)."""
    try:
        with open(source, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
            header = rows[0].keys() if rows else None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return ImportResult([], [Text("kb.csv.cannot_read", source=source, error=exc)])
    if not raw:
        rows = [_restored(row) for row in rows]
    if header is None:
        return ImportResult([], [Text("kb.csv.no_rows", source=source)])
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        columns = Text("kb.csv.missing_columns", columns=Items(missing))
        return ImportResult([], [Text("kb.csv.row", n=1, message=columns)])

    problems: list[str] = []
    planned: list[tuple[int, Path, str]] = []
    parsed: list[tuple[int, Article]] = []
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, start=2):
        if None in row:
            problems.append(Text("kb.csv.row", n=n, message=Text("kb.csv.wide_row")))
            continue
        slug = (row.get("slug") or "").strip()
        if not _SLUG.match(slug):
            bad = Text("kb.csv.bad_slug", slug=slug)
            problems.append(Text("kb.csv.row", n=n, message=bad))
            continue
        if slug in seen:
            twice = Text("kb.csv.slug_twice", slug=slug, row=seen[slug])
            problems.append(Text("kb.csv.row", n=n, message=twice))
            continue
        seen[slug] = n
        path, kind = _target(into, row)
        text = article_text(row)
        article, found = parse_text(text, path, kind)
        for p in found:
            problems.append(Text("kb.csv.row", n=n, message=p.message))
        if article is not None:
            planned.append((n, path, text))
            parsed.append((n, article))

    # Alias clashes with the files already there (those not being replaced) and between rows.
    existing = [a for a in load_kb(into).articles if a.slug not in seen] if into.is_dir() else []
    clash: list = []
    cross_check(existing + [a for _n, a in parsed], clash)
    row_of = {a.path: n for n, a in parsed}
    for p in clash:
        if p.path in row_of:
            problems.append(Text("kb.csv.row", n=row_of[p.path], message=p.message))
    if problems:
        return ImportResult([], problems)

    written: list[Path] = []
    temps: list[tuple[Path, Path]] = []
    try:
        for _n, path, text in planned:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            temps.append((tmp, path))
    except OSError as exc:
        for tmp, _path in temps:
            tmp.unlink(missing_ok=True)
        return ImportResult([], [Text("kb.csv.cannot_write", error=exc)])
    for tmp, path in temps:
        os.replace(tmp, path)
        written.append(path)
    return ImportResult(written, [])
