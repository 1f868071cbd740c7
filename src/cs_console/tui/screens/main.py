"""The main screen: queue, conversation with composer, customer profile and knowledge panel.

The screen coordinates: widgets post messages, the screen asks the Desk (the service layer) to
act and tells the affected widgets to update. No SQL and no business rules here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from cs_console.i18n import CATALOGUE, t
from cs_console.policy.sla import format_remaining
from cs_console.scripts.template import render
from cs_console.service.desk import Desk, DeskError, UnfilledPrompts
from cs_console.service.drafts import Drafts
from cs_console.tui.widgets.bindings import Translated, key
from cs_console.tui.widgets.composer import Composer
from cs_console.tui.widgets.conversation import Conversation
from cs_console.tui.widgets.footer import SteadyFooter
from cs_console.tui.widgets.kb_panel import KbPanel
from cs_console.tui.widgets.profile import CustomerProfile
from cs_console.tui.widgets.queue import QueueTable
from cs_console.tui.widgets.safe import clean, literal, one_line
from cs_console.tui.widgets.sync_status import TopBar

if TYPE_CHECKING:
    from cs_console.service.returns import ReturnResult, Returns

PANES = ("left", "center", "right")
# Below this width the screen shows two panes, below the second one pane (F6 moves on).
WIDE_COLUMNS = 150
NARROW_COLUMNS = 100

# Typing pauses this long before the draft is written to the cache.
DRAFT_SAVE_DELAY = 0.4


class MainScreen(Translated, Screen[None]):
    BINDINGS = [
        key("ctrl+q", "app.quit", "request_quit", priority=True),
        key("f1", "help", "help"),
        key("f6", "next_pane", "next_pane", priority=True),
        key("question_mark", "help", "help", show=False),
        key("slash", "focus_kb", "kb"),
        key("f3", "focus_kb", "kb_anywhere", show=False, priority=True),
        key("n", "take_next", "take_next"),
        key("c", "compose", "compose"),
        key("escape", "focus_queue", "queue", show=False),
        key("r", "return", "return"),
        key("x", "exchange", "exchange"),
        key("e", "escalate", "escalate"),
        key("k", "compensate", "compensate", show=False),
        key("a", "approvals", "approvals", show=False),
        key("v", "reveal_phone", "reveal_phone", show=False),
        key("u", "followup", "followup", show=False),
        key("s", "sync_issues", "sync_issues", show=False),
        key("f2", "dashboard", "dashboard", show=False),
        key("f8", "training_progress", "train_progress", show=False),
        key("f9", "quiz", "quiz_open", show=False),
        key("ctrl+d", "set_status('resolved')", "resolve", show=False),
        key("ctrl+w", "set_status('pending')", "wait", show=False),
    ]

    def __init__(self, desk: Desk, kb_dir: Path | None = None) -> None:
        super().__init__()
        self._translate_bindings()
        self.desk = desk
        self.kb_dir = kb_dir
        self.ticket_id: int | None = None
        self.drafts = Drafts(desk)
        # What the cache holds for the open ticket's draft: (text, note).
        self._saved_draft: tuple[str, bool] = ("", False)
        self._resumed_before = False

    def compose(self) -> ComposeResult:
        yield TopBar(self.desk, id="topbar")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Input(placeholder=t("queue.search.live"), id="queue-search", classes="hidden")
                yield QueueTable(self.desk, id="queue")
            with Vertical(id="center"):
                yield Static(t("ticket.none"), id="ticket-header", markup=False)
                yield Conversation(id="conversation")
                yield Composer(id="composer")
            with Vertical(id="right"):
                yield CustomerProfile(id="profile")
                yield KbPanel(self.kb_dir, id="kb")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#queue", QueueTable).focus()
        self.query_one("#profile", CustomerProfile).border_title = t("profile.orders")
        self.query_one("#kb", KbPanel).border_title = t("key.kb")
        self.set_interval(1.0, self._tick_header)
        self._draft_timer = self.set_interval(DRAFT_SAVE_DELAY, self._flush_draft, pause=True)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Its widgets were styled as they mounted a moment before the first resume; Textual
        # would style all of them again before the first frame. Later resumes (a dialog
        # closed) restyle as usual.
        if not self._resumed_before:
            self._resumed_before = True
            event.refresh_styles = False

    def _compositor_refresh(self) -> None:
        # Textual draws the whole screen while the app is still mounting, then drops that
        # frame (App._display returns inside the start-up's batch update): 19 ms of CPU at
        # launch for nothing. The screen is drawn once the batch is over instead.
        if self.app._batch_count:
            self._repaint_required = True
            return
        super()._compositor_refresh()

    def on_queue_table_first_page(self, _: QueueTable.FirstPage) -> None:
        # after the frame with the first rows: opening (or, once, building) the knowledge
        # index in a thread; the message goes on to the app, which starts its first sync round
        self.call_after_refresh(self.query_one("#kb", KbPanel).start_loading)

    # -- opening a ticket ----------------------------------------------------------------

    def open_ticket(self, ticket_id: int, focus: str | None = None) -> None:
        """Show a ticket; ``focus`` names the pane to move to (the palette moves to the
        conversation, so the next key acts on the ticket instead of typing into the reply)."""
        try:
            view = self.desk.ticket_view(ticket_id)
        except DeskError as exc:
            self.notify(exc.message(), severity="error")
            return
        self._flush_draft()
        self.ticket_id = ticket_id
        self._show_header(view)
        self._show_messages(view["ticket"], view["messages"])
        customer = view["customer"]
        orders, tickets = (
            self.desk.customer_history(customer["id"], except_ticket=ticket_id)
            if customer
            else ([], [])
        )
        profile = self.query_one("#profile", CustomerProfile)
        profile.show(customer, orders, tickets)
        profile.border_title = one_line(customer["name"], 40) if customer else t("profile.none")
        self._load_draft(ticket_id)
        if focus is None and self.has_class("-one-pane"):
            focus = "conversation"  # one pane: opening a ticket shows it
        if focus is not None:
            self.query_one("#center").display = True
            self.query_one(f"#{focus}").focus()

    def _show_messages(self, ticket: dict[str, Any], messages: list[dict[str, Any]]) -> None:
        self.query_one("#conversation", Conversation).show(messages, self.desk.author_names(ticket))

    def _show_header(self, view: dict[str, Any]) -> None:
        ticket = view["ticket"]
        header = Text()
        header.append(f"#{ticket['id']} ", "bold")
        header.append_text(literal(ticket["subject"], "bold", limit=200))
        header.append("\n")
        header.append_text(
            literal(
                t(
                    "ticket.meta",
                    status=t(f"status.{ticket['status']}"),
                    priority=ticket["priority"],
                    channel=t(f"chan.{ticket['channel']}"),
                    category=t(f"cat.{ticket['category']}"),
                    assignee=ticket["assignee"] or "-",
                ),
                "dim",
            )
        )
        clock = self.desk.clock(ticket)
        style = {"breached": "bold red", "at_risk": "bold yellow"}.get(clock.state, "")
        header.append(
            f"  SLA {t('sla.' + clock.kind)} {format_remaining(clock.remaining_seconds)} "
            f"{t('sla.state.' + clock.state)}",
            style,
        )
        other = self.desk.others_recently(int(ticket["id"]))
        if other is not None:
            header.append_text(
                literal(t("ticket.other_agent", who=other[0], minutes=other[1]), "bold yellow")
            )
        from cs_console.service.followups import Followups  # not needed for the first frame
        from cs_console.tui.dialogs.followup import due_label

        followup_due = due_label(Followups(self.desk), int(ticket["id"]))
        if followup_due is not None:
            header.append_text(followup_due)
        for tag in ticket["tags"]:
            label = t(f"tag.{tag}") if f"tag.{tag}" in CATALOGUE else clean(tag)
            header.append(
                f" [{label}]",
                "bold white on red" if tag in ("allergy", "threat") else "magenta",
            )
        self.query_one("#ticket-header", Static).update(header)

    def _tick_header(self) -> None:
        if self.ticket_id is not None:
            try:
                ticket = self.desk.ticket(self.ticket_id)
            except DeskError:
                return
            self._show_header({"ticket": ticket})

    def _changed(self, ticket_id: int) -> None:
        """After an action: update the queue row in place and the open ticket's panes."""
        self.query_one("#queue", QueueTable).refresh_ticket(ticket_id)
        self.query_one("#topbar", TopBar).refresh_status()
        if ticket_id == self.ticket_id:
            self._show_header({"ticket": self.desk.ticket(ticket_id)})

    def sync_finished(self, message: Any) -> None:
        """A sync round ended: update the header and only the rows that changed."""
        if not self.query("#topbar"):
            return  # a round that ends as the console closes: its widgets are already gone
        self.query_one("#topbar", TopBar).refresh_status()
        queue = self.query_one("#queue", QueueTable)
        for ticket_id in message.changed:
            queue.refresh_ticket(ticket_id)
        if message.auth_required:
            self.notify(t("sync.auth"), severity="error", timeout=10)
        if self.ticket_id is not None and self.ticket_id in message.changed:
            self._show_messages(
                self.desk.ticket(self.ticket_id), self.desk.messages(self.ticket_id)
            )

    # -- layout: three panes when they fit, else the ones around the focus -------------

    def on_resize(self, event: events.Resize) -> None:
        self._fit_panes()

    def on_descendant_focus(self, _: events.DescendantFocus) -> None:
        self._fit_panes()

    def _focused_pane(self) -> str:
        node = self.focused
        while node is not None and node.id not in PANES:
            node = node.parent  # type: ignore[assignment]
        return node.id if node is not None and node.id else "left"

    def _fit_panes(self) -> None:
        width = self.size.width
        pane = self._focused_pane()
        if width >= WIDE_COLUMNS:
            shown = set(PANES)
        elif width >= NARROW_COLUMNS:
            shown = {"left", "center"} if pane == "left" else {"center", "right"}
        else:
            shown = {pane}
        self.set_class(width < NARROW_COLUMNS, "-one-pane")
        self.query_one(SteadyFooter).compact = width < NARROW_COLUMNS  # the keys fit 80 columns
        for name in PANES:
            self.query_one(f"#{name}").display = name in shown

    def action_next_pane(self) -> None:
        """F6: move to the next pane (on a small terminal it comes into view)."""
        order = list(PANES)
        target = order[(order.index(self._focused_pane()) + 1) % len(order)]
        self.query_one(f"#{target}").display = True
        first = {"left": "#queue", "center": "#conversation", "right": "#kb-query"}[target]
        self.query_one(first).focus()

    # -- drafts --------------------------------------------------------------------------

    def _load_draft(self, ticket_id: int) -> None:
        composer = self.query_one("#composer", Composer)
        draft = self.drafts.get(ticket_id)
        if draft is None:
            composer.reset()
            self._saved_draft = ("", False)
            return
        composer.restore(draft.body, draft.note)
        self._saved_draft = (draft.body, draft.note)

    def on_text_area_changed(self, event: Composer.Changed) -> None:
        if event.text_area.id == "composer" and self.ticket_id is not None:
            self._draft_timer.reset()
            self._draft_timer.resume()

    def on_composer_mode_changed(self, _: Composer.ModeChanged) -> None:
        self._flush_draft()

    def _flush_draft(self) -> None:
        """Write the open ticket's composer to the cache if it differs from what is kept."""
        self._draft_timer.pause()
        if self.ticket_id is None:
            return
        composer = self.query_one("#composer", Composer)
        current = (composer.text, composer.note)
        if current == self._saved_draft:
            return
        try:
            self.drafts.save(self.ticket_id, *current)
        except DeskError as exc:
            self.notify(exc.message(), severity="error")
            return
        self._saved_draft = current
        self.query_one("#queue", QueueTable).mark_draft(self.ticket_id, bool(current[0].strip()))

    def action_request_quit(self) -> None:
        self._flush_draft()
        unsent = self.drafts.unsent()
        if not unsent:
            self.app.exit()
            return
        from cs_console.tui.dialogs.confirm import ConfirmDialog

        tickets = ", ".join(f"#{d.ticket_id}" for d in unsent[:5]) + (
            " …" if len(unsent) > 5 else ""
        )
        question = t("quit.question", count=len(unsent), tickets=tickets)
        self.app.push_screen(
            ConfirmDialog(t("quit.title"), question),
            lambda yes: self.app.exit() if yes else None,
        )

    # -- messages from widgets -----------------------------------------------------------

    def on_queue_table_opened(self, message: QueueTable.Opened) -> None:
        self.open_ticket(message.ticket_id)

    def on_queue_table_search_requested(self, _: QueueTable.SearchRequested) -> None:
        box = self.query_one("#queue-search", Input)
        box.remove_class("hidden")
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """The queue search runs as the agent types (debounced, in a worker)."""
        if event.input.id == "queue-search":
            event.stop()
            self.query_one("#queue", QueueTable).search_as_typed(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "queue-search":
            event.stop()
            queue = self.query_one("#queue", QueueTable)
            queue.apply_search(event.value)
            if not event.value.strip():
                event.input.add_class("hidden")
            queue.focus()

    def on_composer_send(self, message: Composer.Send) -> None:
        if self.ticket_id is None:
            self.notify(t("action.need_ticket"), severity="warning")
            return
        from cs_console.tui.screens.reply_check import hold_for_warning

        if not message.note and hold_for_warning(self, self.ticket_id, message.text):
            return  # a soft warning (service.qa); the same text sent again goes out
        try:
            if message.note:
                self.desk.note(self.ticket_id, message.text)
            else:
                self.desk.reply(self.ticket_id, message.text)
        except UnfilledPrompts as exc:
            self.notify(
                t("composer.prompts_left", names="、".join(exc.prompts)), severity="warning"
            )
            return
        except DeskError as exc:
            self.notify(exc.message(), severity="error")
            return
        self.notify(t("composer.noted" if message.note else "composer.sent"))
        self._show_messages(self.desk.ticket(self.ticket_id), self.desk.messages(self.ticket_id))
        self._draft_timer.pause()
        self.query_one("#composer", Composer).reset()
        self._saved_draft = ("", False)
        self.query_one("#queue", QueueTable).mark_draft(self.ticket_id, False)
        self._changed(self.ticket_id)

    def on_kb_panel_insert_script(self, message: KbPanel.InsertScript) -> None:
        if self.ticket_id is None:
            self.notify(t("kb.no_ticket"), severity="warning")
            return
        engine = self.query_one("#kb", KbPanel).engine
        article = engine.get(message.slug) if engine else None
        if engine is None or article is None or not article.scripts:
            return
        script = article.scripts[min(message.index, len(article.scripts) - 1)]
        context = self.desk.script_context(self.ticket_id)
        rendered = render(script.text.strip(), context, traditional=engine.traditional)
        self.query_one("#composer", Composer).insert_script(rendered)
        self.notify(t("kb.inserted", title=script.title))

    # -- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Actions the signed-in agent may not take are hidden, not refused afterwards."""
        return self.desk.can_approve or action not in ("approvals", "training_progress")

    def action_help(self) -> None:
        from cs_console.tui.screens.help import HelpScreen, help_sections

        sections = help_sections(self.active_bindings, self.focused, self)
        self.app.push_screen(HelpScreen(sections, self.focused))

    def action_focus_kb(self) -> None:
        self.query_one("#right").display = True
        self.query_one("#kb", KbPanel).focus_search()

    def action_focus_queue(self) -> None:
        """Back to the queue; from the search box, or on a searched queue, clear the search."""
        box = self.query_one("#queue-search", Input)
        queue = self.query_one("#queue", QueueTable)
        if self.focused is box or (self.focused is queue and queue.search):
            box.value = ""
            box.add_class("hidden")
            queue.apply_search("")
        elif self.focused is queue:
            queue.leave_drill()
        self.query_one("#left").display = True
        queue.focus()

    def action_dashboard(self) -> None:
        from cs_console.tui.screens.dashboard import DashboardScreen

        self.app.push_screen(DashboardScreen(self.desk))

    def show_drill(self, label: str, ticket_ids: list[int]) -> None:
        """The tickets behind a dashboard figure, in the queue (esc goes back to the filter)."""
        queue = self.query_one("#queue", QueueTable)
        queue.show_drill(label, ticket_ids)
        self.query_one("#left").display = True
        queue.focus()

    def action_compose(self) -> None:
        if self.ticket_id is None:
            self.notify(t("action.need_ticket"), severity="warning")
            return
        self.query_one("#center").display = True
        self.query_one("#composer", Composer).focus()

    def action_take_next(self) -> None:
        try:
            ticket_id = self.desk.take_next()
        except DeskError as exc:  # at the routing limit, or the cache could not take it
            self.notify(exc.message(), severity="warning")
            return
        if ticket_id is None:
            self.notify(t("action.queue_empty"), severity="warning")
            return
        self.notify(t("action.took", id=ticket_id))
        self._changed(ticket_id)
        self.query_one("#queue", QueueTable).move_to(ticket_id)
        self.open_ticket(ticket_id)

    def action_escalate(self) -> None:
        if self.ticket_id is None:
            self.notify(t("action.need_ticket"), severity="warning")
            return
        ticket_id = self.ticket_id

        def done(reason: str | None) -> None:
            if not reason:
                return
            try:
                self.desk.escalate(ticket_id, reason)
            except DeskError as exc:
                self.notify(exc.message(), severity="error")
                return
            self.notify(t("action.escalated", id=ticket_id))
            self._changed(ticket_id)
            if ticket_id == self.ticket_id:
                self._show_messages(self.desk.ticket(ticket_id), self.desk.messages(ticket_id))

        from cs_console.tui.dialogs.escalate import EscalateDialog

        self.app.push_screen(EscalateDialog(ticket_id), done)

    def action_return(self) -> None:
        self._return_dialog("return")

    def action_exchange(self) -> None:
        self._return_dialog("exchange")

    def action_compensate(self) -> None:
        self._return_dialog("compensation")

    def _returns(self) -> Returns:
        from cs_console.service.returns import Returns

        return Returns(self.desk)

    def _return_dialog(self, kind: str) -> None:
        if self.ticket_id is None:
            self.notify(t("action.need_ticket"), severity="warning")
            return
        ticket_id = self.ticket_id
        from cs_console.tui.dialogs.returns import ReturnDialog

        self.app.push_screen(
            ReturnDialog(self._returns(), ticket_id, kind),
            lambda result: self._filed(ticket_id, result),
        )

    def _filed(self, ticket_id: int, result: ReturnResult | None) -> None:
        """A request was filed (or found already filed): say so, drop its script into the reply."""
        if result is None:
            return
        if result.created:
            self.notify(t("rx.filed", id=result.return_id, status=t(f"rstatus.{result.status}")))
        else:
            self.notify(t("rx.already", id=result.return_id), severity="warning")
        self._changed(ticket_id)
        if ticket_id != self.ticket_id:
            return
        engine = self.query_one("#kb", KbPanel).engine
        if engine is not None:
            script = self._returns().reply_script(result.return_id)
            rendered = script.render(engine.result.by_slug(), traditional=engine.traditional)
            if rendered.text:
                self.query_one("#composer", Composer).insert_script(rendered)

    def action_approvals(self) -> None:
        if self.ticket_id is None:
            self.notify(t("action.need_ticket"), severity="warning")
            return
        if not self.desk.can_approve:
            self.notify(t("rx.supervisor_only"), severity="warning")
            return
        waiting = [
            r for r in self._returns().awaiting_approval() if r["ticket_id"] == self.ticket_id
        ]
        if not waiting:
            self.notify(t("rx.none_waiting"), severity="warning")
            return
        ticket_id = self.ticket_id

        def decided(result: ReturnResult | None) -> None:
            if result is not None:
                self.notify(
                    t("rx.decided", id=result.return_id, status=t(f"rstatus.{result.status}"))
                )
                self._changed(ticket_id)

        from cs_console.tui.dialogs.returns import ApprovalDialog

        self.app.push_screen(ApprovalDialog(self._returns(), waiting[0]), decided)

    def action_training_progress(self) -> None:
        from cs_console.tui.screens.training_progress import open_progress

        open_progress(self)

    def action_quiz(self) -> None:
        from cs_console.tui.screens.quiz import open_quiz

        open_quiz(self)

    def action_sync_issues(self) -> None:
        from cs_console.tui.dialogs.sync_issues import SyncIssuesDialog

        self.app.push_screen(SyncIssuesDialog(self.desk), lambda _: self._changed_header())

    def _changed_header(self) -> None:
        self.query_one("#topbar", TopBar).refresh_status()

    def action_followup(self) -> None:
        """u: record the outcome of the open ticket's follow-up that is due (dialogs.followup)."""
        from cs_console.tui.dialogs.followup import open_followup

        open_followup(self)

    def action_reveal_phone(self) -> None:
        if self.ticket_id is None:
            return
        ticket = self.desk.ticket(self.ticket_id)
        if not ticket.get("customer_id"):
            return
        phone = self.desk.reveal_phone(ticket["customer_id"])
        view = self.desk.ticket_view(self.ticket_id)
        customer = view["customer"]
        orders, tickets = self.desk.customer_history(customer["id"], except_ticket=self.ticket_id)
        self.query_one("#profile", CustomerProfile).show(customer, orders, tickets, phone=phone)

    def action_set_status(self, status: str) -> None:
        if self.ticket_id is None:
            self.notify(t("action.need_ticket"), severity="warning")
            return
        ticket_id = self.ticket_id
        if status == "resolved" and self.desk.awaiting_reply(ticket_id):
            from cs_console.tui.dialogs.confirm import ConfirmDialog

            self.app.push_screen(
                ConfirmDialog(t("resolve.title"), t("resolve.question", id=ticket_id)),
                lambda yes: self._set_status(ticket_id, status) if yes else None,
            )
            return
        self._set_status(ticket_id, status)

    def _set_status(self, ticket_id: int, status: str) -> None:
        try:
            self.desk.set_status(ticket_id, status)
        except DeskError as exc:
            self.notify(exc.message(), severity="error")
            return
        self.notify(t("action.status", id=ticket_id, status=t(f"status.{status}")))
        self._changed(ticket_id)
