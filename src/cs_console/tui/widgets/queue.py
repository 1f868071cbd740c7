"""The ticket queue: a page of at most a few hundred rows from SQL, SLA clocks ticking in place."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from cs_console.i18n import t
from cs_console.policy.sla import format_remaining
from cs_console.service.desk import QUEUE_FILTERS, Desk
from cs_console.tui.widgets.bindings import Translated, key
from cs_console.tui.widgets.safe import one_line

PAGE_SIZE = 200
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


class QueueTable(Translated, DataTable[Any]):
    """The queue in console order. Rows are keyed by ticket id and updated cell by cell."""

    BINDINGS = [
        key("f", "cycle_filter", "filter"),
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

    def __init__(self, desk: Desk, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._translate_bindings()
        self.desk = desk
        self.filter_name = "all"
        self.search = ""
        self.page_index = 0
        self.total = 0
        self._rows: dict[int, dict[str, Any]] = {}

    def on_mount(self) -> None:
        for column in COLUMNS:
            self.add_column(t(f"col.{column}"), key=column)
        self.reload()
        self.set_interval(1.0, self.tick)

    # -- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        """Fetch the current page from SQL (filter or page changed)."""
        rows, self.total = self._fetch()
        self.clear()
        self._rows = {}
        for row in rows:
            self._add(row)
        self._update_title()

    def _fetch(self) -> tuple[list[dict[str, Any]], int]:
        if self.search:
            rows = self.desk.search_queue(self.search, self.filter_name, limit=PAGE_SIZE)
            return rows, len(rows)
        total = self.desk.queue_count(self.filter_name)
        rows = self.desk.queue(
            self.filter_name, limit=PAGE_SIZE, offset=self.page_index * PAGE_SIZE
        )
        return rows, total

    def _add(self, row: dict[str, Any]) -> None:
        self._rows[row["id"]] = row
        self.add_row(*self._cells(row), key=str(row["id"]))

    def _cells(self, row: dict[str, Any]) -> list[Any]:
        flags = Text()
        if row.get("allergy"):
            flags.append(t("flag.allergy"), "bold white on red")
        if row.get("escalated"):
            flags.append("↑", "bold magenta")
        if row.get("sentiment") == "angry":
            flags.append("!", "bold red")
        return [
            str(row["id"]),
            self._sla_cell(row),
            Text(f"P{row['priority']}", PRIORITY_STYLE.get(row["priority"], "")),
            flags,
            one_line(row["subject"], 18),
            one_line(row.get("customer_name") or "-", 8),
            # a code this version has no label for comes back as the code: still data, not markup
            one_line(t(f"tier.short.{row['customer_tier']}") if row.get("customer_tier") else "-"),
            one_line(t(f"cat.{row['category']}")),
            one_line(t(f"chan.{row['channel']}")),
        ]

    def _sla_cell(self, row: dict[str, Any]) -> Text:
        clock = self.desk.clock({"resolved_at": None, "paused_seconds": 0, **row})
        return Text(f"{format_remaining(clock.remaining_seconds):>7}", SLA_STYLE[clock.state])

    def _update_title(self) -> None:
        first = self.page_index * PAGE_SIZE + 1 if self.row_count else 0
        last = self.page_index * PAGE_SIZE + self.row_count
        self.border_title = t(
            "queue.title",
            filter=t(f"filter.{self.filter_name}"),
            first=first,
            last=last,
            total=self.total,
        )

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

    def refresh_ticket(self, ticket_id: int) -> None:
        """A ticket changed: update its row in place, add it, or drop it if it left this view."""
        row = self.desk.queue_row(ticket_id)
        belongs = row is not None and self._belongs(row)
        if ticket_id in self._rows:
            if row is None or not belongs:
                self.remove_row(str(ticket_id))
                del self._rows[ticket_id]
                self.total = max(0, self.total - 1)
            else:
                self._rows[ticket_id] = row
                for column, value in zip(COLUMNS, self._cells(row), strict=True):
                    self.update_cell(str(ticket_id), column, value)
        elif row is not None and belongs and self.row_count < PAGE_SIZE:
            self._add(row)
            self.total += 1
        self._update_title()

    def _belongs(self, row: dict[str, Any]) -> bool:
        wanted = "pending" if self.filter_name == "waiting" else "open"
        if row["status"] != wanted:
            return False
        if self.filter_name == "mine":
            return row["assignee"] == self.desk.agent.id
        if self.filter_name == "unassigned":
            return row["assignee"] is None
        if self.filter_name == "escalated":
            return bool(row["escalated"])
        if self.filter_name == "approval":
            return "awaiting_approval" in (row.get("tags") or [])
        return True

    # -- actions -------------------------------------------------------------------------

    def set_filter(self, name: str) -> None:
        if name not in QUEUE_FILTERS:
            raise ValueError(name)
        self.filter_name = name
        self.page_index = 0
        self.reload()

    def action_cycle_filter(self) -> None:
        index = QUEUE_FILTERS.index(self.filter_name)
        self.set_filter(QUEUE_FILTERS[(index + 1) % len(QUEUE_FILTERS)])

    def action_page(self, step: int) -> None:
        pages = max(1, -(-self.total // PAGE_SIZE))
        new = min(max(0, self.page_index + step), pages - 1)
        if new != self.page_index:
            self.page_index = new
            self.reload()

    def action_search_queue(self) -> None:
        self.post_message(self.SearchRequested())

    def apply_search(self, text: str) -> None:
        self.search = text.strip()
        self.page_index = 0
        self.reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Opened(int(event.row_key.value)))

    def move_to(self, ticket_id: int) -> None:
        with contextlib.suppress(Exception):  # not on this page
            self.move_cursor(row=self.get_row_index(str(ticket_id)))
