"""The knowledge base as an agent reads it: for zh-Hant agents, article titles, questions,
bodies, aliases and reply scripts in traditional characters (OpenCC ``s2t``), in the console and
the CLI alike.

The knowledge base is written in simplified Chinese and searched folded to simplified, so the
search itself does not change: :class:`Knowledge` wraps a :class:`~cs_console.kb.search.SearchEngine`
and converts what it hands out. Slugs, English titles, placeholders (``{{order_no}}``) and policy
numbers are untouched (OpenCC leaves Latin text and digits alone).
"""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cs_console.kb.loader import Article, LoadResult, Problem
    from cs_console.kb.search import Hit, SearchEngine

__all__ = ["Knowledge", "answer_of", "to_traditional"]

TRADITIONAL = "zh-Hant"

_lock = threading.Lock()
_s2t: Any = None


def _converter() -> Any:
    global _s2t
    if _s2t is None:
        with _lock:
            if _s2t is None:
                from opencc import OpenCC

                _s2t = OpenCC("s2t")
    return _s2t


@lru_cache(maxsize=4096)
def to_traditional(text: str) -> str:
    """``text`` in traditional characters (phrase by phrase: 头发 -> 頭髮, 发票 -> 發票)."""
    return _converter().convert(text) if text else text


def _same_length(text: str) -> str:
    """Traditional, keeping every character at its offset (for highlighted spans): the phrase
    conversion when it keeps the length, which it nearly always does, else character by
    character."""
    converted = to_traditional(text)
    if len(converted) == len(text):
        return converted
    return "".join(c if len(t := to_traditional(c)) != 1 else t for c in text)


# a reply script's heading, as kb/loader.py reads it (and after s2t: 話術)
_SCRIPT_HEADING = re.compile(r"^##\s+(话术|話術|Script)\b")
_HEADING = re.compile(r"^##\s")


def answer_of(body: str) -> str:
    """An article's body without its reply-script sections (shown on their own, numbered for
    insertion): the answer and its other sections (``## 处理步骤``, ``## 政策``...)."""
    kept: list[str] = []
    in_script = False
    for row in body.splitlines():
        if _HEADING.match(row):
            in_script = bool(_SCRIPT_HEADING.match(row))
        if not in_script:
            kept.append(row)
    return "\n".join(kept).strip()


class Knowledge:
    """Search and articles in the agent's script; the same calls as ``SearchEngine``."""

    def __init__(self, engine: SearchEngine, lang: str) -> None:
        self.engine = engine
        self.lang = lang
        self.traditional = lang == TRADITIONAL
        self._articles: dict[str, Article] = {}

    @classmethod
    def load(cls, kb_dir: Path | str | None, lang: str, *, check_files: bool = True) -> Knowledge:
        """The knowledge base of ``kb_dir`` (default: the shipped one) for an agent of ``lang``,
        searched through its index file, opened in place: brought up to date first, or with
        ``check_files=False`` used as it is (then ask ``refreshed()``)."""
        from cs_console.service.knowledge_index import open_engine

        return cls(open_engine(kb_dir, check_files=check_files), lang)

    def warm(self) -> None:
        """Prepare what the first search would (see ``SearchEngine.warm``)."""
        self.engine.warm()

    def refreshed(self) -> Knowledge | None:
        """The knowledge base again when an article file changed since its index was written
        (refreshed by file first), else ``None``."""
        from cs_console.service.knowledge_index import refreshed

        engine = refreshed(self.engine)
        return None if engine is None else Knowledge(engine, self.lang)

    @property
    def count(self) -> int:
        """How many entries, without reading them."""
        return self.engine.count

    @property
    def problems(self) -> list[Problem]:
        return self.engine.problems

    @property
    def articles(self) -> list[Article]:
        return [self._article(a) for a in self.engine.articles]

    @property
    def result(self) -> LoadResult:
        """What loaded, in the agent's script (the shape ``SearchEngine.result`` has)."""
        from cs_console.kb.loader import LoadResult

        if not self.traditional:
            return self.engine.result
        return LoadResult(self.articles, self.problems)

    def get(self, slug: str) -> Article | None:
        article = self.engine.get(slug)
        return None if article is None else self._article(article)

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        hits = self.engine.search(query, limit=limit)
        if not self.traditional:
            return hits
        return [replace(h, title_zh=_same_length(h.title_zh)) for h in hits]

    def _article(self, article: Article) -> Article:
        if not self.traditional:
            return article
        done = self._articles.get(article.slug)
        if done is None or done.path != article.path:
            done = replace(
                article,
                title_zh=_same_length(article.title_zh),
                question=to_traditional(article.question),
                aliases=tuple(_same_length(a) for a in article.aliases),
                tags=tuple(to_traditional(tag) for tag in article.tags),
                body=to_traditional(article.body),
                scripts=tuple(
                    replace(s, title=to_traditional(s.title), text=to_traditional(s.text))
                    for s in article.scripts
                ),
            )
            self._articles[article.slug] = done
        return done
