"""The Textual application: thin. It opens the cache, pushes the desk screen and, when a backend
is configured or on the demo cache, runs sync rounds in a worker thread that reports back by
message (on the demo cache, with no backend, a round only escalates overdue tickets)."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import App
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.widget import Widget

from cs_console import i18n
from cs_console.config import Config
from cs_console.service.desk import Desk
from cs_console.service.session import open_desk
from cs_console.tui.palette import Actions, Articles, TicketsAndCustomers
from cs_console.tui.widgets.bindings import key, translate
from cs_console.tui.widgets.safe import clean

SYNC_INTERVAL_SECONDS = 20.0
COLLECT_AT_THE_LATEST = 2.0  # seconds after mounting: the collector runs again, rows or not


def collect_again() -> None:
    """The cyclic garbage collector back on (run_console pauses it for the launch)."""
    gc.enable()


@dataclass
class SyncFinished(Message):
    """A sync round ended: ``summary`` as ``sync --once --json`` prints it; ``changed`` tickets;
    ``escalated``: what the round escalated on its own, as the notification says it."""

    summary: dict[str, int]
    offline: bool
    auth_required: bool
    changed: list[int]
    escalated: str = ""


class ConsoleApp(App[None]):
    """cs-console: queue, customer, conversation and knowledge in one keyboard-first screen."""

    CSS_PATH = "app.tcss"
    TITLE = "cs-console"
    COMMANDS = {TicketsAndCustomers, Articles, Actions}
    BINDINGS = [key("ctrl+p", "command_palette", "palette", show=False, priority=True)]
    #: On the demo cache rounds run without RT (auto-escalation); a practice sandbox
    #: (``TrainingApp``, also a demo) runs none.
    LOCAL_ROUNDS = True

    def __init__(
        self, desk: Desk, config: Config, kb_dir: Path | None = None, demo: bool = False
    ) -> None:
        i18n.set_language(config.lang)
        super().__init__()
        self._bindings = translate(self._bindings)
        self.desk = desk
        self.config = config
        self.kb_dir = kb_dir
        self.demo = demo
        self._said_unconfigured = ""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is plain text: messages often quote a customer, an article or the
        backend, so markup is never parsed and control characters are made visible; Chinese
        text is laid out so no character is lost over a pane's edge (``toast_text``)."""
        super().notify(
            self._toast_layout(clean(message, limit=500)),
            title=clean(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def _toast_layout(self, message: str) -> str:
        """``message`` wrapped for the toast it will be shown in, around the edges of the
        widgets under it (as it is when toasts are not shown, e.g. in tests without them)."""
        from cs_console.tui.widgets.toast_text import toast_place, toast_text

        try:
            screen = self.screen
            rack = screen.query_one("#textual-toastrack")
        except Exception:  # no screen yet, or notifications off: nothing to lay out
            return message
        x, width = toast_place(screen.size.width, rack.styles.scrollbar_size_vertical)
        edges = {
            edge
            for widget in screen.walk_children(Widget)
            if widget is not rack and widget.region.width and rack not in widget.ancestors
            for edge in (widget.region.x, widget.region.right)
        }
        return toast_text(message, x, width, edges)

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(
                CommandPalette(id="--command-palette", placeholder=i18n.t("palette.placeholder"))
            )

    async def action_quit(self) -> None:
        """Every way out (ctrl+q, the palette) keeps drafts and asks when some are unsent."""
        from cs_console.tui.screens.main import MainScreen

        desk_screen = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if desk_screen is None:
            self.exit()
            return
        desk_screen.action_request_quit()

    def on_mount(self) -> None:
        from cs_console.tui.screens.main import MainScreen

        if self.config.keys:
            self.set_keymap(self.config.keys)
        self.push_screen(MainScreen(self.desk, self.kb_dir))
        self.set_timer(COLLECT_AT_THE_LATEST, collect_again)  # if the first page never comes
        if self.syncs or (self.demo and self.LOCAL_ROUNDS):
            # on the demo cache (no RT) the round still escalates overdue tickets on its own
            self.set_interval(SYNC_INTERVAL_SECONDS, self.sync_round)

    def on_queue_table_first_page(self) -> None:
        """The first round once the queue's first rows are on screen (its thread would hold
        the GIL while they are drawn)."""
        self.call_after_refresh(collect_again)
        if self.syncs or (self.demo and self.LOCAL_ROUNDS):
            self.call_after_refresh(self.sync_round)

    @property
    def syncs(self) -> bool:
        """Whether rounds talk to RT: a backend is configured and this is not the demo."""
        return bool(self.config.rt.url) and not self.demo

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def sync_round(self) -> None:
        """One round on its own connection, off the UI thread: push and pull when RT is
        configured, then auto-escalation (see ``SyncService.round``)."""
        from cs_console.config import RtSettings
        from cs_console.service.escalation import notice
        from cs_console.service.sync import NotConfigured, problem_text, sync_session

        try:
            with sync_session(
                self.desk.cache_path,
                self.desk.agent,
                self.config.rt if self.syncs else RtSettings(),
                need_backend=self.syncs,
                sla_config=self.desk.sla_config,
                escalation=self.config.escalation,
                routing=self.desk.routing,
            ) as sync:
                done = sync.round()
        except NotConfigured as exc:  # a URL without credentials: said once, not every round
            said = problem_text(exc)
            if said != self._said_unconfigured:
                self._said_unconfigured = said
                self.call_from_thread(self.notify, said, severity="error", timeout=15)
            return
        report = done.report
        escalated = notice(done.escalated) if done.escalated else ""
        self.post_message(
            SyncFinished(
                report.summary(), report.offline, report.auth_required, done.changed, escalated
            )
        )

    def on_sync_finished(self, message: SyncFinished) -> None:
        from cs_console.tui.screens.main import MainScreen

        if message.escalated:
            self.notify(message.escalated, severity="warning", timeout=15)
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.sync_finished(message)


def run_console(config: Config, kb_dir: Path | None = None, demo: bool = False) -> None:
    with open_desk(config.db, config.agent_id, config.sla, config.routing) as desk:
        # The collector waits until the first rows are on screen (ConsoleApp.collect_again):
        # mounting the screen allocates many objects that all stay, and scanning them then
        # only delayed the first frame.
        gc.disable()
        try:
            ConsoleApp(desk, config, kb_dir=kb_dir, demo=demo).run()
        finally:
            gc.enable()
