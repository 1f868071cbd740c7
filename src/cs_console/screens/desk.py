"""The main screen: the queue (the full console with profile, conversation and knowledge panel
is built on this screen by the console issue)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from ..desk import Desk
from ..policy.sla import format_remaining


class DeskScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+q", "app.quit", "Quit", id="quit", tooltip="Leave the console"),
        Binding(
            "n",
            "take_next",
            "Take next",
            id="take_next",
            tooltip="Take the most urgent unassigned ticket",
        ),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk

    def compose(self) -> ComposeResult:
        yield Header(show_clock=True)
        yield DataTable(id="queue", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#queue", DataTable)
        table.add_columns("#", "SLA", "P", "Channel", "Category", "Customer", "Tier", "Subject")
        self.refresh_queue()

    def refresh_queue(self) -> None:
        from rich.text import Text

        table = self.query_one("#queue", DataTable)
        table.clear()
        for row in self.desk.store.queue("all", self.desk.agent.id, limit=200):
            clock = self.desk.clock({**row, "resolved_at": None, "paused_seconds": 0})
            table.add_row(
                str(row["id"]),
                format_remaining(clock.remaining_seconds),
                str(row["priority"]),
                row["channel"],
                row["category"],
                Text(row["customer_name"] or "-"),
                row["customer_tier"] or "-",
                Text(row["subject"]),
                key=str(row["id"]),
            )

    def action_take_next(self) -> None:
        ticket_id = self.desk.take_next()
        self.notify(f"took ticket {ticket_id}" if ticket_id else "the queue is empty")
        self.refresh_queue()
