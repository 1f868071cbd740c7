"""What needs the agent's attention in the outbox: rejected ops with the backend's message,
uncertain ones being reconciled, and conflicts the agent decides (keep mine, or take theirs)."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from cs_console.i18n import t
from cs_console.service.desk import Desk
from cs_console.tui.widgets.bindings import Translated, key
from cs_console.tui.widgets.safe import one_line

ATTENTION = ("conflict", "rejected", "uncertain")
STATE_STYLE = {"conflict": "bold magenta", "rejected": "bold red", "uncertain": "yellow"}


class SyncIssuesDialog(Translated, ModalScreen[None]):
    BINDINGS = [
        key("escape", "dismiss", "close"),
        key("m", "decide(True)", "keep_mine"),
        key("d", "decide(False)", "take_theirs"),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self._translate_bindings()
        self.desk = desk
        self.ops: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-wide"):
            yield Static(t("issues.title"), classes="dialog-title", markup=False)
            yield DataTable(id="issues", cursor_type="row")
            yield Static(t("issues.keys"), classes="rx-keys", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for column in ("state", "kind", "ticket", "error"):
            table.add_column(t(f"issues.col.{column}"), key=column)
        self.reload()
        table.focus()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.ops = self.desk.outbox(ATTENTION)
        for op in self.ops:
            table.add_row(
                Text(t(f"issues.state.{op['state']}"), STATE_STYLE[op["state"]]),
                op["kind"],
                f"#{op['ticket_id']}",
                one_line(op["last_error"] or _summary(op), 70),
                key=str(op["seq"]),
            )

    def action_decide(self, keep_mine: bool) -> None:
        table = self.query_one(DataTable)
        if not self.ops or table.cursor_row >= len(self.ops):
            return
        op = self.ops[table.cursor_row]
        if op["state"] != "conflict":
            self.notify(t("issues.only_conflicts"), severity="warning")
            return
        self.run_decision(op["seq"], keep_mine)

    @work(thread=True, exclusive=True, group="decision", exit_on_error=False)
    def run_decision(self, seq: int, keep_mine: bool) -> None:
        """The decision is one service call on its own connection, off the UI thread (keeping
        mine reads RT's current version first)."""
        from cs_console.service.errors import DeskError
        from cs_console.service.sync import NotConfigured, Offline, problem_text, sync_session

        config = self.app.config  # type: ignore[attr-defined]
        try:
            with sync_session(
                self.desk.cache_path, self.desk.agent, config.rt, need_backend=keep_mine
            ) as sync:
                sync.decide_conflict(seq, keep_mine)
        except DeskError as exc:  # the cache locked or unavailable: nothing was decided
            self._failed(exc.message())
            return
        except (NotConfigured, Offline, ValueError) as exc:
            self._failed(problem_text(exc))
            return
        self.app.call_from_thread(self._decided)

    def _failed(self, text: str) -> None:
        """From the worker: say why (the conflict stays in the list, undecided)."""
        self.app.call_from_thread(self.notify, text, severity="error", markup=False)

    def _decided(self) -> None:
        self.notify(t("issues.decided"))
        self.reload()


def _summary(op: dict[str, Any]) -> str:
    try:
        payload = json.loads(op["payload"])
    except (TypeError, ValueError):
        return ""
    return str(payload.get("body") or payload.get("status") or "")
