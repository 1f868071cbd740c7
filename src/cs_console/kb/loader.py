"""Load and validate the knowledge base files (format: kb_data/FORMAT.md).

``load_kb(dir)`` reads ``articles/*.md`` and ``scripts/*.md`` and returns the valid entries and
every problem found, each as ``Problem(path, line, message)`` (printed ``file:line: message``).
A file with any problem is skipped; a bad file (binary, empty, not UTF-8, broken TOML) never
stops the others from loading. ``{{policy.<name>}}`` is filled from ``policy.numbers``.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cs_console.i18n import Text, said
from cs_console.kb.normalize import compact
from cs_console.scripts.template import CURSOR, PLACEHOLDER_RE, PLACEHOLDERS

__all__ = [
    "CATEGORIES",
    "KIND_DIRS",
    "Article",
    "LoadResult",
    "Problem",
    "ClashCheck",
    "Script",
    "article_from_json",
    "article_to_json",
    "read_file",
    "load_kb",
    "parse_text",
]

CATEGORIES = ("pre-sale", "after-sale", "systems", "membership", "mall", "complaint", "script")
MIN_ALIASES = 3
_REQUIRED = {
    "article": ("slug", "title", "title_zh", "category", "question", "aliases"),
    "script": ("slug", "title", "title_zh", "category"),
}
_LISTS = ("aliases", "tags", "products")
_STRINGS = ("slug", "title", "title_zh", "category", "question")
_SCRIPT_HEADING = re.compile(r"^##\s+(话术|Script)(?:\s*[·:：]\s*(.*?))?\s*$")
_H2 = re.compile(r"^##\s")
_TOML_LINE = re.compile(r"line (\d+)")
KIND_DIRS = (("articles", "article"), ("scripts", "script"))  # sub-folder, kind of entry
_KIND_DIRS = KIND_DIRS


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, at a 1-based line (0 when no line applies).

    ``message`` reads English (what ``str`` gives, what the index file keeps); when it is an
    i18n ``Text``, :meth:`said` gives the line in the agent's language."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def said(self, lang: str | None = None) -> str:
        """``file:line: message`` in ``lang`` (default: the interface language)."""
        return said(Text("check.at", path=self.path, line=self.line, message=self.message), lang)


@dataclass(frozen=True)
class Script:
    """A reply script: the heading's title, its text (policy numbers filled), its heading line."""

    title: str
    text: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Article:
    """One knowledge-base entry: an article (``kind="article"``) or a standalone script file."""

    slug: str
    title: str
    title_zh: str
    category: str
    question: str
    aliases: tuple[str, ...]
    tags: tuple[str, ...]
    products: tuple[str, ...]
    body: str
    scripts: tuple[Script, ...]
    path: Path
    kind: str = "article"
    # 1-based line of each front-matter key, for problems found across files
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    alias_lines: tuple[int, ...] = field(default=(), compare=False, repr=False)


@dataclass
class LoadResult:
    """What ``load_kb`` found: the valid entries (sorted by slug) and every problem."""

    articles: list[Article]
    problems: list[Problem]

    @property
    def skipped(self) -> list[Path]:
        """Files that had a problem and were left out, in order."""
        seen: dict[Path, None] = {}
        for p in self.problems:
            seen.setdefault(p.path, None)
        return list(seen)

    def by_slug(self) -> dict[str, Article]:
        return {a.slug: a for a in self.articles}


def _key_lines(front: str, first_line: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    for i, raw in enumerate(front.splitlines()):
        m = re.match(r"\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=", raw)
        if m and m.group(1) not in lines:
            lines[m.group(1)] = first_line + i
    return lines


def _alias_lines(front: str, first_line: int, start: int) -> list[int]:
    """Best-effort line of each alias string, for multi-line alias arrays."""
    out: list[int] = []
    rows = front.splitlines()
    i = start - first_line
    depth = 0
    for j in range(max(i, 0), len(rows)):
        row = rows[j]
        text = row.split("=", 1)[1] if j == i and "=" in row else row
        for _ in re.finditer(r"\"(?:[^\"\\]|\\.)*\"|'[^']*'", text):
            out.append(first_line + j)
        depth += text.count("[") - text.count("]")
        if depth <= 0:
            break
    return out


def parse_text(
    text: str,
    path: Path,
    kind: str = "article",
    *,
    fill_policy: bool = True,
    numbers: Mapping[str, int] | None = None,
) -> tuple[Article | None, list[Problem]]:
    """Parse one file's text; returns the article (``None`` when it has problems) and problems."""
    problems: list[Problem] = []

    def bad(line: int, message: Text) -> None:
        problems.append(Problem(path, line, message))

    if numbers is None:
        from cs_console.policy.numbers import NUMBERS

        numbers = NUMBERS

    text = text.removeprefix("\ufeff")
    if not text.strip():
        bad(1, Text("kb.check.empty_file"))
        return None, problems
    rows = text.split("\n")
    if rows[0].strip() != "+++":
        bad(1, Text("kb.check.no_front_matter"))
        return None, problems
    close = next((i for i in range(1, len(rows)) if rows[i].strip() == "+++"), None)
    if close is None:
        bad(1, Text("kb.check.front_matter_open"))
        return None, problems
    front = "\n".join(r.rstrip("\r") for r in rows[1:close])
    try:
        meta: dict[str, Any] = tomllib.loads(front)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE.search(str(exc))
        line = 1 + int(m.group(1)) if m else close if "end of document" in str(exc) else 1
        bad(line, Text("kb.check.bad_front_matter", error=str(exc)))
        return None, problems
    lines = _key_lines(front, 2)
    body_start = close + 2  # 1-based line of the first body line

    for key in _REQUIRED[kind]:
        if key not in meta:
            bad(close + 1, Text("kb.check.missing_field", field=key))
    for key in _STRINGS:
        if key in meta:
            value = meta[key]
            if not isinstance(value, str):
                bad(lines.get(key, 1), Text("kb.check.not_string", field=key))
            elif not value.strip() and key in _REQUIRED[kind]:
                bad(lines.get(key, 1), Text("kb.check.empty_field", field=key))
    for key in _LISTS:
        if key in meta:
            value = meta[key]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                bad(lines.get(key, 1), Text("kb.check.not_list", field=key))
            elif any(not v.strip() for v in value):
                bad(lines.get(key, 1), Text("kb.check.empty_entry", field=key))
    aliases = meta.get("aliases", [])
    if kind == "article" and isinstance(aliases, list) and "aliases" in meta:
        n = len(aliases)
        if n < MIN_ALIASES:
            bad(
                lines.get("aliases", 1),
                Text("kb.check.empty_field", field="aliases")
                if n == 0
                else Text("kb.check.few_aliases", need=MIN_ALIASES, count=n),
            )
    slug = meta.get("slug")
    if isinstance(slug, str) and slug.strip() and slug != path.stem:
        bad(lines.get("slug", 1), Text("kb.check.slug_mismatch", slug=slug, name=path.name))
    category = meta.get("category")
    if isinstance(category, str) and category.strip() and category not in CATEGORIES:
        bad(
            lines.get("category", 1),
            Text("kb.check.unknown_category", category=category, choices=", ".join(CATEGORIES)),
        )

    # Body: placeholders, then scripts.
    body_rows = rows[close + 1 :]

    def fill(s: str, first_line: int | None) -> str:
        def sub(m: re.Match[str]) -> str:
            name = m.group(1)
            line = first_line + s.count("\n", 0, m.start()) if first_line is not None else 0
            if name.startswith("policy."):
                key = name.removeprefix("policy.")
                if key not in numbers:
                    if first_line is not None:
                        bad(line, Text("kb.check.unknown_policy", name=key))
                    return m.group(0)
                return str(numbers[key]) if fill_policy else m.group(0)
            if name != CURSOR and name not in PLACEHOLDERS and first_line is not None:
                bad(line, Text("kb.check.unknown_placeholder", placeholder="{{" + name + "}}"))
            return m.group(0)

        return PLACEHOLDER_RE.sub(sub, s)

    body_raw = "\n".join(r.rstrip("\r") for r in body_rows)
    body = fill(body_raw, body_start)

    scripts: list[Script] = []
    current: tuple[str, int, list[str]] | None = None

    def flush() -> None:
        if current is None:
            return
        title, line, buf = current
        raw = "\n".join(buf).strip("\n").rstrip()
        if not title:
            bad(line, Text("kb.check.script_untitled"))
        if not raw.strip():
            bad(line, Text("kb.check.script_empty", title=title))
        joined = "\n".join(buf)
        cursors = [m for m in PLACEHOLDER_RE.finditer(joined) if m.group(1) == CURSOR]
        if len(cursors) > 1:
            second = line + 1 + joined.count("\n", 0, cursors[1].start())
            bad(second, Text("kb.check.two_cursors", title=title, cursor="{{cursor}}"))
        scripts.append(Script(title, fill(raw, None), line))

    for i, raw_row in enumerate(body_rows):
        row = raw_row.rstrip("\r")
        m = _SCRIPT_HEADING.match(row)
        if m:
            flush()
            current = (m.group(2) or "", body_start + i, [])
        elif _H2.match(row):
            flush()
            current = None
        elif current is not None:
            current[2].append(row)
    flush()
    if not scripts:
        bad(
            body_start if body_start <= len(rows) else close + 1,
            Text("kb.check.no_script"),
        )

    for key in ("question", "title", "title_zh"):
        if isinstance(meta.get(key), str):
            meta[key] = fill(meta[key], lines.get(key))
    lists = {
        key: tuple(fill(v, lines.get(key)) for v in meta.get(key, []))
        for key in _LISTS
        if isinstance(meta.get(key, []), list)
    }
    if problems:
        return None, problems

    article = Article(
        slug=meta["slug"],
        title=meta["title"],
        title_zh=meta["title_zh"],
        category=meta["category"],
        question=meta.get("question", ""),
        aliases=lists["aliases"],
        tags=lists.get("tags", ()),
        products=lists.get("products", ()),
        body=body.strip("\n"),
        scripts=tuple(scripts),
        path=path,
        kind=kind,
        lines=lines,
        alias_lines=tuple(_alias_lines(front, 2, lines.get("aliases", 2))),
    )
    return article, problems


def read_file(path: Path, kind: str) -> tuple[Article | None, list[Problem]]:
    """Read and parse one file; every failure becomes a problem, never an exception."""
    text, problem = _read(path)
    if problem is not None:
        return None, [problem]
    assert text is not None
    try:
        return parse_text(text, path, kind)
    except Exception as exc:  # never let one file stop the rest
        return None, [Problem(path, 1, Text("kb.check.cannot_parse", error=repr(exc)))]


def _read(path: Path) -> tuple[str | None, Problem | None]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, Problem(path, 0, Text("kb.check.cannot_read", error=exc.strerror or exc))
    if b"\x00" in data:
        return None, Problem(path, 1, Text("kb.check.binary"))
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Problem(path, line, Text("kb.check.not_utf8"))


def iter_files(kb_dir: Path) -> Iterable[tuple[Path, str]]:
    """The article and script files of a knowledge base, as ``(path, kind)``, sorted by name."""
    for sub, kind in _KIND_DIRS:
        folder = kb_dir / sub
        if folder.is_dir():
            for p in sorted(folder.glob("*.md")):
                if not p.name.startswith("."):
                    yield p, kind


def load_kb(
    kb_dir: Path | str,
    *,
    fill_policy: bool = True,
    numbers: Mapping[str, int] | None = None,
) -> LoadResult:
    """Load every article and script under ``kb_dir``; see the module docstring."""
    kb_dir = Path(kb_dir)
    problems: list[Problem] = []
    if not kb_dir.is_dir():
        return LoadResult([], [Problem(kb_dir, 0, Text("kb.check.no_folder"))])
    parsed: list[Article] = []
    for path, kind in iter_files(kb_dir):
        text, problem = _read(path)
        if problem is not None:
            problems.append(problem)
            continue
        assert text is not None
        try:
            article, found = parse_text(text, path, kind, fill_policy=fill_policy, numbers=numbers)
        except Exception as exc:  # never let one file stop the rest
            article, found = (
                None,
                [Problem(path, 1, Text("kb.check.cannot_parse", error=repr(exc)))],
            )
        problems.extend(found)
        if article is not None:
            parsed.append(article)
    articles = cross_check(parsed, problems)
    return LoadResult(sorted(articles, key=lambda a: a.slug), problems)


def cross_check(parsed: list[Article], problems: list[Problem]) -> list[Article]:
    """Duplicate slugs and alias clashes between files; the later file is reported and dropped."""
    check = ClashCheck()
    kept: list[Article] = []
    for a in parsed:
        found = check.admit(a)
        if found:
            problems.extend(found)
        else:
            kept.append(a)
    return kept


class ClashCheck:
    """Admits entries one by one, refusing one whose slug or an alias another entry holds.

    ``slug_owner(slug)`` and ``alias_owner(compact alias)`` may name owners admitted earlier and
    kept elsewhere (an index on disk, when only changed files are re-read): each returns the
    owner's ``(slug, path, line)`` or ``None``.
    """

    def __init__(
        self,
        slug_owner: Callable[[str], tuple[str, str, int] | None] | None = None,
        alias_owner: Callable[[str], tuple[str, str, int] | None] | None = None,
    ) -> None:
        self.slugs: dict[str, Article] = {}
        self.aliases: dict[str, Article] = {}
        self._slug_owner = slug_owner
        self._alias_owner = alias_owner

    def _slug(self, slug: str) -> tuple[str, str, int] | None:
        a = self.slugs.get(slug)
        if a is not None:
            return a.slug, str(a.path), a.lines.get("slug", 1)
        return self._slug_owner(slug) if self._slug_owner else None

    def _alias(self, key: str) -> tuple[str, str, int] | None:
        a = self.aliases.get(key)
        if a is not None:
            return a.slug, str(a.path), 0
        return self._alias_owner(key) if self._alias_owner else None

    def admit(self, a: Article) -> list[Problem]:
        """The problems that keep ``a`` out (empty: admitted)."""
        found: list[Problem] = []
        other = self._slug(a.slug)
        if other is not None:
            found.append(
                Problem(
                    a.path,
                    a.lines.get("slug", 1),
                    Text("kb.check.duplicate_slug", slug=a.slug, path=other[1], line=other[2]),
                )
            )
        mine: dict[str, None] = {}
        for i, alias in enumerate(a.aliases):
            key = compact(alias)
            owner = self._alias(key)
            if owner is not None and owner[0] != a.slug:
                line = a.alias_lines[i] if i < len(a.alias_lines) else a.lines.get("aliases", 1)
                found.append(
                    Problem(
                        a.path,
                        line,
                        Text("kb.check.alias_clash", alias=alias, slug=owner[0], path=owner[1]),
                    )
                )
            mine[key] = None
        if found:
            return found
        self.slugs[a.slug] = a
        for key in mine:
            self.aliases.setdefault(key, a)
        return []


def article_to_json(a: Article) -> str:
    """An entry as JSON text (what the index on disk keeps for ``get``)."""
    return json.dumps(
        {
            "slug": a.slug,
            "title": a.title,
            "title_zh": a.title_zh,
            "category": a.category,
            "question": a.question,
            "aliases": a.aliases,
            "tags": a.tags,
            "products": a.products,
            "body": a.body,
            "scripts": [[s.title, s.text, s.line] for s in a.scripts],
            "path": str(a.path),
            "kind": a.kind,
            "lines": dict(a.lines),
            "alias_lines": a.alias_lines,
        },
        ensure_ascii=False,
    )


def article_from_json(text: str) -> Article:
    d = json.loads(text)
    return Article(
        slug=d["slug"],
        title=d["title"],
        title_zh=d["title_zh"],
        category=d["category"],
        question=d["question"],
        aliases=tuple(d["aliases"]),
        tags=tuple(d["tags"]),
        products=tuple(d["products"]),
        body=d["body"],
        scripts=tuple(Script(t, x, n) for t, x, n in d["scripts"]),
        path=Path(d["path"]),
        kind=d["kind"],
        lines=d["lines"],
        alias_lines=tuple(d["alias_lines"]),
    )
