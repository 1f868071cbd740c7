"""Escalation: a reason is required; enter confirms, escape cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from cs_console.i18n import t
from cs_console.tui.widgets.bindings import Translated, key
from cs_console.untrusted import is_blank


class EscalateDialog(Translated, ModalScreen[str | None]):
    BINDINGS = [key("escape", "cancel", "close")]

    def __init__(self, ticket_id: int) -> None:
        super().__init__()
        self._translate_bindings()
        self.ticket_id = ticket_id

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(
                t("escalate.title", id=self.ticket_id), classes="dialog-title", markup=False
            )
            yield Input(placeholder=t("escalate.reason"), id="escalate-reason")
            yield Static("", id="escalate-problem", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        reason = event.value.strip()
        if is_blank(reason):
            self.query_one("#escalate-problem", Static).update(t("escalate.reason_needed"))
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)
