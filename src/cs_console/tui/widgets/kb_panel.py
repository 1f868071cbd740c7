"""The knowledge panel: search as you type (off the UI thread), preview, insert a script.

The preview renders the article's answer as Markdown (headings, emphasis, lists; links and images
inert, see ``safe_markdown``) between its title and its reply scripts, which are shown literally
as they will be inserted. A new search clears it. Articles come through the service's
:class:`~cs_console.service.knowledge.Knowledge`, so a zh-Hant agent reads them in traditional
characters.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from cs_console.i18n import language, t
from cs_console.service.knowledge import answer_of
from cs_console.tui.widgets.bindings import Translated, key
from cs_console.tui.widgets.safe import literal

if TYPE_CHECKING:
    from cs_console.kb.search import Hit
    from cs_console.service.knowledge import Knowledge

RESULT_LIMIT = 8


PREVIEW_CHARS = 20_000
FIRST_SEARCH_WAIT = 1.0  # seconds the loader waits for a first search before warming up


def highlight(text: str, spans: list[tuple[int, int]]) -> Text:
    """``text`` shown literally with the matched spans reversed. Each piece is cleaned on its
    own, so a made-visible control character never shifts a highlight."""
    out = Text()
    cursor = 0
    for start, end in sorted(spans):
        start = max(start, cursor)
        if end <= start:
            continue
        out.append_text(literal(text[cursor:start]))
        out.append_text(literal(text[start:end], "bold reverse"))
        cursor = end
    out.append_text(literal(text[cursor:]))
    return out


class ResultList(Translated, OptionList):
    BINDINGS = [key("i", "insert_first", "insert")]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._translate_bindings()

    def action_insert_first(self) -> None:
        panel = self.ancestors_with_self
        for node in panel:
            if isinstance(node, KbPanel):
                node.insert_highlighted(0)
                return


#: seconds after mounting when the index opens even if the queue's first page never came
LOAD_AT_THE_LATEST = 2.0


class KbPanel(Translated, Vertical):
    """Type two characters, pinyin or initials; enter previews, i or a digit inserts a script."""

    BINDINGS = [
        key("1", "insert(0)", "insert", show=False),
        key("2", "insert(1)", "insert", show=False),
        key("3", "insert(2)", "insert", show=False),
    ]

    @dataclass
    class InsertScript(Message):
        """Insert script number ``index`` of article ``slug`` into the composer."""

        slug: str
        index: int

    def __init__(self, kb_dir: Path | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._translate_bindings()
        self.kb_dir = kb_dir
        self.engine: Knowledge | None = None
        self.hits: list[Hit] = []
        self.shown: str | None = None  # the query whose results are on screen
        self.previewing: str | None = None
        self._searched = threading.Event()  # a first search ran on the loaded engine
        self._loading = False

    def compose(self) -> ComposeResult:
        yield Input(placeholder=t("kb.placeholder"), id="kb-query")
        yield Static(t("kb.loading"), id="kb-status", markup=False)
        yield ResultList(id="kb-results")
        with VerticalScroll(id="kb-preview-box"):
            yield Static(id="kb-preview", markup=False)
            yield Static(id="kb-preview-scripts", markup=False)

    def on_mount(self) -> None:
        self.set_timer(LOAD_AT_THE_LATEST, self.start_loading)

    def start_loading(self) -> None:
        """Open the index in a worker, once (after the queue's first page, or a moment after
        start-up when that page never came)."""
        if not self._loading:
            self._loading = True
            self.load_engine()

    @work(thread=True, exclusive=True, group="kb-load")
    def load_engine(self) -> None:
        from cs_console.service.knowledge import Knowledge

        # the index as it is first (results at once), then catch up on changed article files
        engine = Knowledge.load(self.kb_dir, language(), check_files=False)
        self.app.call_from_thread(self._engine_ready, engine)
        # the query typed while the index opened is searched first, then the rest is prepared
        self._searched.wait(FIRST_SEARCH_WAIT)
        engine.warm()
        newer = engine.refreshed()
        if newer is not None:
            newer.warm()
            self.app.call_from_thread(self._engine_ready, newer)

    def _engine_ready(self, engine: Knowledge) -> None:
        self.engine = engine
        problems = engine.problems
        skipped = len({p.path for p in problems})
        status = self.query_one("#kb-status", Static)
        if skipped:
            why = "; ".join(f"{Path(p.path).name}:{p.line}: {p.message}" for p in problems[:3])
            status.update(
                literal(
                    t("kb.skipped", n=engine.count, skipped=skipped, why=why),
                    "yellow",
                    limit=500,
                )
            )
        else:
            status.update(Text(t("kb.loaded", n=engine.count), "dim"))
        query = self.query_one("#kb-query", Input).value
        if query.strip():
            self.search(query)

    def focus_search(self) -> None:
        box = self.query_one("#kb-query", Input)
        box.focus()
        box.select_all() if hasattr(box, "select_all") else None

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "kb-query":
            event.stop()
            self.clear_preview()  # the article shown answered the previous search
            self.search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "kb-query":
            event.stop()
            results = self.query_one("#kb-results", ResultList)
            if self.hits:
                results.focus()
                results.highlighted = 0
                self.preview(self.hits[0].slug)

    @work(thread=True, exclusive=True, group="kb-search", exit_on_error=False)
    def search(self, query: str) -> None:
        """Runs off the UI thread; a result whose query is no longer in the box is dropped."""
        engine = self.engine
        if engine is None:
            return
        hits = engine.search(query, limit=RESULT_LIMIT) if query.strip() else []
        self._searched.set()
        self.app.call_from_thread(self._show_results, query, hits)

    def _show_results(self, query: str, hits: list[Hit]) -> None:
        if query != self.query_one("#kb-query", Input).value:
            return  # stale: the agent kept typing
        self.hits = hits
        self.shown = query
        results = self.query_one("#kb-results", ResultList)
        results.clear_options()
        for hit in hits:
            results.add_option(Option(self._label(hit), id=hit.slug))
        if not hits and query.strip():
            results.add_option(Option(Text(t("kb.no_results"), "dim"), disabled=True))

    def _label(self, hit: Hit) -> Text:
        title_spans = [(s.start, s.end) for s in hit.spans if s.field == "title_zh"]
        label = highlight(hit.title_zh, title_spans)
        label.append_text(literal(f"  {hit.title}", "dim"))
        other = [s for s in hit.spans if s.field in ("aliases",)]
        if other and self.engine is not None:
            article = self.engine.get(hit.slug)
            if article is not None and other[0].index < len(article.aliases):
                alias = article.aliases[other[0].index]
                label.append("  ")
                label.append_text(
                    highlight(alias, [(s.start, s.end) for s in other if s.index == other[0].index])
                )
        return label

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.preview(event.option.id)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()

    def preview(self, slug: str) -> None:
        """Show one article: title and question, the answer as safe Markdown, the scripts."""
        article = self.engine.get(slug) if self.engine else None
        if article is None:
            return
        self.previewing = slug
        head: list[Any] = [
            literal(f"{article.title_zh} · {article.title}", "bold underline", limit=300)
        ]
        if article.question:
            head.append(literal(f"“{article.question}”", "italic", limit=1000))
        body = answer_of(article.body)
        if len(body) > PREVIEW_CHARS:
            head.append(Text(t("msg.truncated", shown=PREVIEW_CHARS, total=len(body)), "dim"))
        self.query_one("#kb-preview", Static).update(Group(*head))
        self._show_answer(body[:PREVIEW_CHARS])
        scripts: list[Any] = [Text(t("kb.scripts"), "bold")]
        for number, script in enumerate(article.scripts, start=1):
            scripts.append(literal(f"[{number}] {script.title}", "bold green", limit=300))
            scripts.append(literal(script.text.strip(), limit=PREVIEW_CHARS))
        self.query_one("#kb-preview-scripts", Static).update(Group(*scripts))
        self.query_one("#kb-preview-box").scroll_home(animate=False)

    def _show_answer(self, text: str) -> None:
        """The answer as safe Markdown. The widget and its parser are made at the first
        preview: importing them took 27 ms of the console's launch."""
        from textual.widgets import Markdown

        from cs_console.tui.widgets.safe_markdown import safe_parser, safe_source

        for body in self.query("#kb-preview-body").results(Markdown):
            body.update(safe_source(text))
            return
        self.query_one("#kb-preview-box").mount(
            Markdown(
                safe_source(text),
                id="kb-preview-body",
                parser_factory=safe_parser,
                open_links=False,
            ),
            after="#kb-preview",
        )

    def clear_preview(self) -> None:
        """Nothing previewed (a new search started)."""
        if self.previewing is None:
            return
        self.previewing = None
        self.query_one("#kb-preview", Static).update("")
        for body in self.query("#kb-preview-body"):
            body.update("")  # type: ignore[attr-defined]
        self.query_one("#kb-preview-scripts", Static).update("")

    def insert_highlighted(self, index: int) -> None:
        results = self.query_one("#kb-results", ResultList)
        slug = None
        if results.highlighted is not None and results.highlighted < len(self.hits):
            slug = self.hits[results.highlighted].slug
        slug = slug or self.previewing
        if slug:
            self.post_message(self.InsertScript(slug, index))

    def action_insert(self, index: int) -> None:
        slug = self.previewing
        if slug is None:
            self.insert_highlighted(index)
        else:
            self.post_message(self.InsertScript(slug, index))
