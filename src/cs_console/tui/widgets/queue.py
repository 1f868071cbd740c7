"""The ticket queue: one keyset page of at most a few hundred rows, SLA clocks ticking in place.

Filters come from the service (``service.queue``), the same names as the CLI's; `1`-`7` pick
one directly (only those the agent's role may use are offered). `]`/`[` page on and back, and
so do `Down` on the last row and `Up` on the first. A search narrows the current filter as the
agent types: it runs in a worker on its own connection, debounced, and a stale answer is
dropped.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.binding import BindingsMap
from textual.message import Message
from textual.widgets import DataTable

from cs_console.i18n import t
from cs_console.policy.sla import format_remaining
from cs_console.service.desk import Desk
from cs_console.service.drafts import Drafts
from cs_console.service.queue import SEARCH_COUNT_CAP, Queue, QueuePage, queue_filter
from cs_console.tui.widgets.bindings import Translated, key
from cs_console.tui.widgets.fast_cells import SingleLineCells
from cs_console.tui.widgets.safe import clean, one_line

PAGE_SIZE = 200
# The first page at launch holds only the rows a screen can show (at least this many); the
# rest of the page follows right after the frame that shows them (building and measuring 200
# rows of cells before that frame cost 17 ms of the launch).
FIRST_ROWS_MIN = 24
SEARCH_DELAY = 0.25  # seconds of quiet typing before a search runs
SLA_STYLE = {
    "ok": "",
    "at_risk": "bold yellow",
    "breached": "bold red",
    "paused": "dim",
    "stopped": "dim",
}
PRIORITY_STYLE = {1: "bold red", 2: "yellow", 3: "", 4: "dim"}
# most important first, so a narrow terminal cuts only the least useful columns
COLUMNS = ("id", "sla", "priority", "flags", "subject", "customer", "tier", "category", "channel")
ESSENTIAL = 6  # id to customer: always shown; the rest only when the pane has room for them
# in terminal cells (a Chinese character takes two): a narrow pane shortens the subject first
SUBJECT_WIDTH, SUBJECT_MIN, CUSTOMER_WIDTH = 24, 8, 8
FILTER_KEYS = "12345678"


class QueueTable(Translated, SingleLineCells):
    """The queue in console order. Rows are keyed by ticket id and updated cell by cell."""

    BINDINGS = [
        key("f", "cycle_filter", "filter", show=False),  # the footer shows 1-N instead
        *(
            key(digit, f"pick_filter({index})", "queue_pick", show=index == 0)
            for index, digit in enumerate(FILTER_KEYS)
        ),
        key("ctrl+f", "search_queue", "search_queue"),
        key("]", "page(1)", "next_page", show=False),
        key("[", "page(-1)", "prev_page", show=False),
    ]

    @dataclass
    class Opened(Message):
        """The agent chose a ticket (enter on a row)."""

        ticket_id: int

    @dataclass
    class SearchRequested(Message):
        """The agent wants the queue search box."""

    class FirstPage(Message):
        """The first page is in: what can wait (the knowledge index, the first sync round)
        starts after the frame that shows it, so its threads do not hold the GIL while the
        first rows are drawn."""

    def __init__(self, desk: Desk, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._translate_bindings()
        self.desk = desk
        self.queue = Queue(desk)
        self.filters = self.queue.filters()
        # Tickets the signed-in agent has an unsent draft on (marked in the flags column).
        self.drafted: set[int] = {draft.ticket_id for draft in Drafts(desk).unsent()}
        self._label_filter_keys()
        self.filter_name = "all"
        self.search = ""
        self.drill: tuple[str, list[int]] | None = None  # a dashboard figure's tickets
        self.page_index = 0
        self.total = 0
        self.searching = False
        self._page = QueuePage([], False, False)
        self._rows: dict[int, dict[str, Any]] = {}
        self.shown: tuple[str, ...] = COLUMNS  # the columns on screen (see _fitting)
        self.subject_width = SUBJECT_WIDTH
        self._generation = (
            0  # bumps on every new view; a worker's answer for an older one is dropped
        )
        self._search_timer: Any = None
        self._reader: Queue | None = None
        self._first_page_told = False
        self._top_up_for: int | None = None  # the view whose short first page awaits its rest

    def _label_filter_keys(self) -> None:
        """`1`-`N` for the filters this agent may use: the footer shows "1-N", the tooltip names them."""
        count = len(self.filters)
        names = " · ".join(f"{i + 1} {t(f.label_key)}" for i, f in enumerate(self.filters))
        shown = f"1-{count}"
        groups = {
            k: [
                replace(b, key_display=shown, tooltip=names) if b.id == "queue_pick" else b
                for b in group
            ]
            for k, group in self._bindings.key_to_bindings.items()
        }
        self._bindings = BindingsMap.from_keys(groups)

    def on_mount(self) -> None:
        self._add_columns()
        # The first page loads once the app's start-up is over (loaded here, inside it, the
        # launch measured 47 ms slower: the rows were measured again as the layout settled).
        # Keys and the pilot reach the app after this call, so nothing acts on the queue
        # before its first page is in.
        self.app.call_later(self.reload)
        self.set_interval(1.0, self.tick)

    def on_unmount(self) -> None:
        if self._reader is not None and self._reader is not self.queue:
            self._reader.close()

    def visible_filters(self) -> list[tuple[str, str]]:
        """(name, label) of the filters this agent may pick (the palette lists them too)."""
        return [(f.name, t(f.label_key)) for f in self.filters]

    # -- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        """Show the current page again from its first row (after a change or a new filter)."""
        self._load(after=self._page.first, inclusive=True, keep_index=True)

    def _load(
        self,
        *,
        after: Any = None,
        before: Any = None,
        inclusive: bool = False,
        keep_index: bool = False,
        cursor: str = "top",
    ) -> None:
        self._generation += 1
        if self.drill is not None:
            self._load_drill(after is not None, before is not None, cursor)
            return
        if self.search:
            self._search_worker(
                self._generation, self.filter_name, self.search, after, before, inclusive, cursor
            )
            return
        limit = PAGE_SIZE
        if not self._first_page_told and after is None and before is None:
            limit = min(PAGE_SIZE, max(FIRST_ROWS_MIN, self.app.size.height))
        page = self.queue.page(
            self.filter_name, after=after, before=before, inclusive=inclusive, limit=limit
        )
        if not page.rows and (after is not None or before is not None):
            self.page_index = 0
            page = self.queue.page(self.filter_name, limit=PAGE_SIZE)
        self._show(page, self.queue.count(self.filter_name), cursor)
        self._top_up_for = None
        if len(page.rows) < PAGE_SIZE and page.more:
            self._top_up_for = self._generation
            self.call_after_refresh(self.top_up)

    def top_up(self) -> None:
        """The rest of a short first page, up to PAGE_SIZE rows (at once when the agent pages
        or moves past its last row before it came)."""
        if self._top_up_for != self._generation:
            return  # already done, or the view changed meanwhile
        self._top_up_for = None
        shown = self._page
        rest = self.queue.page(
            self.filter_name, after=shown.last, limit=PAGE_SIZE - len(shown.rows)
        )
        new = [row for row in rest.rows if row["id"] not in self._rows]
        self._page = QueuePage(shown.rows + rest.rows, rest.more, shown.earlier)
        for row in new:
            self._add(row)
        self._measure()
        self._refit()
        self._update_title()

    def show_drill(self, label: str, ticket_ids: list[int]) -> None:
        """Show exactly these tickets (a dashboard figure's), paged like a filter, until a
        filter is picked, a search typed or esc pressed."""
        self.drill = (label, list(ticket_ids))
        self.page_index = 0
        self._page = QueuePage([], False, False)
        self._load()

    def _load_drill(self, forward: bool, backward: bool, cursor: str) -> None:
        assert self.drill is not None
        ids = self.drill[1]
        last_page = max(0, (len(ids) - 1) // PAGE_SIZE)
        self.page_index = min(max(self.page_index, 0), last_page)
        start = self.page_index * PAGE_SIZE
        rows = self.queue.rows_of(ids[start : start + PAGE_SIZE])
        page = QueuePage(rows, start + PAGE_SIZE < len(ids), start > 0)
        self._show(page, len(ids), cursor)

    def leave_drill(self) -> bool:
        """Back to the filter; False when no drill-down was shown."""
        if self.drill is None:
            return False
        self.drill = None
        self.page_index = 0
        self._page = QueuePage([], False, False)
        self._load()
        return True

    @work(thread=True, exclusive=True, group="queue-search", exit_on_error=False)
    def _search_worker(
        self,
        generation: int,
        filter_name: str,
        text: str,
        after: Any,
        before: Any,
        inclusive: bool,
        cursor: str,
    ) -> None:
        """A search page and its count, off the UI thread on a connection of its own."""
        if self._reader is None:
            self._reader = self.queue.on_own_connection()
        reader = self._reader
        page = reader.page(
            filter_name,
            after=after,
            before=before,
            inclusive=inclusive,
            limit=PAGE_SIZE,
            text=text,
        )
        total = reader.search_count(filter_name, text)
        self.app.call_from_thread(self._searched, generation, page, total, cursor)

    def _searched(self, generation: int, page: QueuePage, total: int, cursor: str) -> None:
        if generation != self._generation:
            return  # stale: the agent typed on or changed the view
        self.searching = False
        self._show(page, total, cursor)

    def _show(self, page: QueuePage, total: int, cursor: str) -> None:
        self._page = page
        self.total = total
        cells = [self._cells(row) for row in page.rows]
        shown, subject_width = self._fitting(page.rows, cells)
        if subject_width != self.subject_width:
            self.subject_width = subject_width
            subject = COLUMNS.index("subject")
            for row, row_cells in zip(page.rows, cells, strict=True):
                row_cells[subject] = self._subject_cell(row)
        self.clear(columns=shown != self.shown)
        if shown != self.shown:
            self.shown = shown
            self._add_columns()
        self._rows = {}
        for row, row_cells in zip(page.rows, cells, strict=True):
            self._add(row, row_cells)
        self._measure()
        if cursor == "bottom" and self.row_count:
            self.move_cursor(row=self.row_count - 1)
        self._update_title()
        if not self._first_page_told:
            self._first_page_told = True
            self.post_message(self.FirstPage())

    def _measure(self) -> None:
        """Column widths and the table's height for the rows just added, now. DataTable leaves
        this to its next idle moment; a frame drawn before it (the screen is drawn as soon as
        the first page is in) would show the rows cut to the headers' widths for a moment."""
        if self._require_update_dimensions:
            self._require_update_dimensions = False
            new_rows = self._new_rows.copy()
            self._new_rows.clear()
            self._update_dimensions(new_rows)

    def _add(self, row: dict[str, Any], cells: list[Any] | None = None) -> None:
        self._rows[row["id"]] = row
        every = self._cells(row) if cells is None else cells
        self.add_row(*every[: len(self.shown)], key=str(row["id"]))

    def _add_columns(self) -> None:
        for column in self.shown:
            self.add_column(t(f"col.{column}"), key=column)

    def _fitting(
        self, rows: list[dict[str, Any]], cells: list[list[Any]]
    ) -> tuple[tuple[str, ...], int]:
        """The columns that fit the pane's width with these rows, and the subject's width: the
        essential columns always (the subject shortened down to SUBJECT_MIN when they do not
        fit), then the others in order while they fit (a narrow pane drops channel, then
        category, then tier, rather than scrolling the customer out of sight)."""
        width = self.size.width - self.styles.scrollbar_size_vertical
        if width <= 0 or not rows:
            return self.shown, self.subject_width  # not laid out yet, or nothing to measure
        need = [cell_len(t(f"col.{column}")) for column in COLUMNS]
        for row_cells in cells:
            for i, value in enumerate(row_cells):
                need[i] = max(need[i], cell_len(value.plain if isinstance(value, Text) else value))
        subject = COLUMNS.index("subject")  # its cells may be cut for a narrower pane: measure
        for row in rows:
            need[subject] = max(need[subject], min(SUBJECT_WIDTH, cell_len(clean(row["subject"]))))
        pad = 2 * self.cell_padding
        count = ESSENTIAL
        used = sum(need[:count]) + pad * count
        subject_width = max(SUBJECT_MIN, min(need[subject], SUBJECT_WIDTH) - max(0, used - width))
        used -= need[subject] - subject_width
        while count < len(COLUMNS) and used + need[count] + pad <= width:
            used += need[count] + pad
            count += 1
        return COLUMNS[:count], subject_width

    def on_resize(self) -> None:
        self._refit()

    def _refit(self) -> None:
        """The rows shown again when the columns that fit (or the subject's width) changed."""
        rows = list(self._rows.values())
        shown, subject_width = self._fitting(rows, [self._cells(row) for row in rows])
        if (shown, subject_width) == (self.shown, self.subject_width):
            return
        self.subject_width = subject_width
        cursor = self.cursor_row
        self.clear(columns=True)
        self.shown = shown
        self._add_columns()
        for row in rows:
            self._add(row)
        self._measure()
        if rows:
            self.move_cursor(row=min(cursor, len(rows) - 1))

    def _cells(self, row: dict[str, Any]) -> list[Any]:
        """The row's cells for every column in COLUMNS' order (the table shows the first
        ``len(self.shown)``)."""
        flags = Text()
        if row.get("allergy"):
            flags.append(t("flag.allergy"), "bold white on red")
        if row.get("escalated"):
            flags.append("↑", "bold magenta")
        if row.get("sentiment") == "angry":
            flags.append("!", "bold red")
        if row["id"] in self.drafted:
            flags.append("✎", "bold cyan")
        return [
            str(row["id"]),
            self._sla_cell(row),
            Text(f"P{row['priority']}", PRIORITY_STYLE.get(row["priority"], "")),
            flags,
            self._subject_cell(row),
            cut(one_line(row.get("customer_name") or "-"), CUSTOMER_WIDTH),
            # a code this version has no label for comes back as the code: still data, not markup
            one_line(t(f"tier.short.{row['customer_tier']}") if row.get("customer_tier") else "-"),
            one_line(t(f"cat.{row['category']}")),
            one_line(t(f"chan.{row['channel']}")),
        ]

    def _subject_cell(self, row: dict[str, Any]) -> Text:
        return cut(one_line(row["subject"]), self.subject_width)

    def _sla_cell(self, row: dict[str, Any]) -> Text:
        clock = self.desk.clock({"resolved_at": None, "paused_seconds": 0, **row})
        return Text(f"{format_remaining(clock.remaining_seconds):>7}", SLA_STYLE[clock.state])

    def _update_title(self) -> None:
        first = self.page_index * PAGE_SIZE + 1 if self.row_count else 0
        last = self.page_index * PAGE_SIZE + self.row_count
        total = (
            f"{SEARCH_COUNT_CAP}+" if self.search and self.total >= SEARCH_COUNT_CAP else self.total
        )
        label = t(queue_filter(self.filter_name).label_key)
        if self.drill is not None:
            label = t("queue.drill", figure=self.drill[0])
        title = t("queue.title", filter=label, first=first, last=last, total=total)
        if self.search:
            title = t("queue.search.title", title=title, text=one_line(self.search, 20).plain)
            if self.searching:
                title += " …"
        self.border_title = Text(title)  # the search text is typed: never markup

    # -- live updates --------------------------------------------------------------------

    def tick(self) -> None:
        """Every second: rewrite only the SLA cells whose text or colour changed."""
        for ticket_id, row in self._rows.items():
            cell = self._sla_cell(row)
            try:
                current = self.get_cell(str(ticket_id), "sla")
            except Exception:  # the row left the table between ticks
                continue
            if (
                not isinstance(current, Text)
                or current.plain != cell.plain
                or current.style != cell.style
            ):
                self.update_cell(str(ticket_id), "sla", cell)

    def mark_draft(self, ticket_id: int, has_draft: bool) -> None:
        if (ticket_id in self.drafted) == has_draft:
            return
        if has_draft:
            self.drafted.add(ticket_id)
        else:
            self.drafted.discard(ticket_id)
        row = self._rows.get(ticket_id)
        if row is not None:
            self.update_cell(str(ticket_id), "flags", self._cells(row)[3], update_width=True)

    def refresh_ticket(self, ticket_id: int) -> None:
        """A ticket changed: update its row in place, add it, or drop it if it left this view."""
        row = self.desk.queue_row(ticket_id)
        belongs = row is not None and self.queue.belongs(self.filter_name, row)
        if ticket_id in self._rows:
            if row is None or not belongs:
                self.remove_row(str(ticket_id))
                del self._rows[ticket_id]
            else:
                self._rows[ticket_id] = row
                for column, value in zip(self.shown, self._cells(row), strict=False):
                    self.update_cell(str(ticket_id), column, value, update_width=True)
        elif row is not None and belongs and self.row_count < PAGE_SIZE and not self.search:
            self._add(row)
        if not self.search:
            self.total = self.queue.count(self.filter_name)
        self._update_title()

    # -- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A filter key beyond the filters this agent may use is hidden, not refused."""
        if action == "pick_filter":
            return bool(parameters) and int(str(parameters[0])) < len(self.filters)
        return True

    def set_filter(self, name: str) -> None:
        chosen = queue_filter(name)
        if chosen not in self.filters:
            return  # not this agent's (the key is hidden; a stale palette entry does nothing)
        self.filter_name = chosen.name
        self.drill = None
        self.page_index = 0
        self._page = QueuePage([], False, False)
        self._load()

    def action_pick_filter(self, index: int) -> None:
        if 0 <= index < len(self.filters):
            self.set_filter(self.filters[index].name)

    def action_cycle_filter(self) -> None:
        names = [f.name for f in self.filters]
        index = names.index(self.filter_name) if self.filter_name in names else -1
        self.set_filter(names[(index + 1) % len(names)])

    def action_page(self, step: int) -> None:
        """`]` / `[`: the page after the last row shown, or the one before the first."""
        self.top_up()
        if step > 0 and self._page.more:
            self.page_index += 1
            self._load(after=self._page.last)
        elif step < 0 and self._page.earlier:
            self.page_index = max(0, self.page_index - 1)
            self._load(before=self._page.first, cursor="top")

    def action_cursor_down(self) -> None:
        if self.cursor_row >= self.row_count - 1:
            self.top_up()
        if self.row_count and self.cursor_row >= self.row_count - 1 and self._page.more:
            self.action_page(1)
            return
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0 and self._page.earlier:
            self.page_index = max(0, self.page_index - 1)
            self._load(before=self._page.first, cursor="bottom")
            return
        super().action_cursor_up()

    def action_search_queue(self) -> None:
        self.post_message(self.SearchRequested())

    def search_as_typed(self, text: str) -> None:
        """The search box changed: search after a short pause (the last keystroke wins)."""
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, lambda: self.apply_search(text))

    def apply_search(self, text: str) -> None:
        """Search now (enter, or the pause after typing); an empty text shows the filter again."""
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        text = text.strip()
        if text == self.search:
            return
        self.search = text
        self.drill = None
        self.page_index = 0
        self._page = QueuePage([], False, False)
        self.searching = bool(text)
        if text:
            self._update_title()
        self._load()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Opened(int(event.row_key.value)))

    def move_to(self, ticket_id: int) -> None:
        with contextlib.suppress(Exception):  # not on this page
            self.move_cursor(row=self.get_row_index(str(ticket_id)))


def cut(text: Text, cells: int) -> Text:
    """``text`` cut to ``cells`` terminal cells, an ellipsis where it was cut."""
    text.truncate(cells, overflow="ellipsis")
    return text
