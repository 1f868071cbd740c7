"""The follow-up dialog: what a callback, usage check or birthday greeting came to.

The agent picks the outcome and the customer's satisfaction, types their comment, and ctrl+s
records it through the Followups service (once; an unhappy one reopens the ticket). The dialog
only gathers choices and shows the service's refusals.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from cs_console.clock import parse_iso
from cs_console.i18n import t
from cs_console.policy.followups import OUTCOMES, SATISFACTION_RANGE
from cs_console.service.desk import DeskError
from cs_console.service.followups import FollowupResult, Followups
from cs_console.tui.widgets.bindings import Translated, key
from cs_console.tui.widgets.safe import literal


def reason(exc: DeskError) -> str:
    """The refusal in the agent's language when the error carries a key, else its text."""
    message = getattr(exc, "message", None)
    return str(message()) if callable(message) else str(exc)


class FollowupDialog(Translated, ModalScreen[FollowupResult | None]):
    """Records the outcome of ``followup`` (a row of ``Followups.due_on_ticket``)."""

    BINDINGS = [
        key("escape", "cancel", "close"),
        key("ctrl+s", "confirm", "confirm", priority=True),
    ]

    def __init__(self, followups: Followups, followup: dict[str, Any]) -> None:
        super().__init__()
        self._translate_bindings()
        self.followups = followups
        self.followup = followup

    def compose(self) -> ComposeResult:
        row = self.followup
        low, high = SATISFACTION_RANGE
        with Vertical(id="dialog"):
            yield Static(
                t(
                    "followup.title",
                    id=row["id"],
                    kind=t(f"fukind.{row['kind']}"),
                    due=parse_iso(row["due_at"]).astimezone().strftime("%Y-%m-%d %H:%M"),
                ),
                classes="dialog-title",
                markup=False,
            )
            customer = row.get("customer_name") or row.get("customer_id") or "-"
            yield Static(literal(t("followup.for", customer=customer)), id="followup-customer")
            with Horizontal(classes="rx-row"):
                yield Select(
                    [(t(f"outcome.{o}"), o) for o in OUTCOMES],
                    prompt=t("followup.outcome"),
                    value="reached",
                    allow_blank=False,
                    id="followup-outcome",
                )
                yield Select(
                    [(t("followup.no_score"), 0)]
                    + [(t("followup.score", n=n), n) for n in range(high, low - 1, -1)],
                    prompt=t("followup.satisfaction"),
                    value=0,
                    allow_blank=False,
                    id="followup-satisfaction",
                )
            yield Input(placeholder=t("followup.comment"), id="followup-comment")
            yield Static("", id="followup-problem", markup=False)
            yield Static(t("followup.hint"), classes="rx-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one("#followup-outcome", Select).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    def action_confirm(self) -> None:
        outcome = str(self.query_one("#followup-outcome", Select).value)
        score = self.query_one("#followup-satisfaction", Select).value
        satisfaction = int(score) if isinstance(score, int) and score > 0 else None
        comment = self.query_one("#followup-comment", Input).value
        try:
            result = self.followups.record(
                int(self.followup["id"]), outcome, satisfaction, comment or None
            )
        except DeskError as exc:
            self.query_one("#followup-problem", Static).update(literal(reason(exc), "bold red"))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


def due_label(followups: Followups, ticket_id: int) -> Text | None:
    """The ticket header's note of what is due for follow-up on this ticket, if anything."""
    due = followups.due_on_ticket(ticket_id)
    if not due:
        return None
    what = "、".join(dict.fromkeys(t(f"fukind.{row['kind']}") for row in due))
    style = "bold red" if any(row["state"] == "overdue" for row in due) else "bold cyan"
    return Text(t("followup.header", what=what), style)


def open_followup(screen: Any) -> None:
    """The main screen's ``u``: open the dialog on the open ticket's first follow-up due;
    afterwards say what happened and refresh the ticket (it may have been reopened)."""
    if screen.ticket_id is None:
        screen.notify(t("action.need_ticket"), severity="warning")
        return
    ticket_id = int(screen.ticket_id)
    followups = Followups(screen.desk)
    due = followups.due_on_ticket(ticket_id)
    if not due:
        screen.notify(t("followup.none_due"), severity="warning")
        return

    def recorded(result: FollowupResult | None) -> None:
        if result is None:
            return
        row = result.followup
        if result.reopened:
            screen.notify(
                t("followup.reopened", id=row["id"], ticket=ticket_id), severity="warning"
            )
        elif result.not_reopened == "closed":
            screen.notify(
                t("followup.not_reopened.closed", id=row["id"], ticket=ticket_id),
                severity="warning",
            )
        else:
            screen.notify(t("followup.saved", id=row["id"], outcome=t(f"outcome.{row['outcome']}")))
        screen._changed(ticket_id)

    screen.app.push_screen(FollowupDialog(followups, due[0]), recorded)
