"""Practice mode: the real console on a sandbox cache, with the grade shown after each resolve.

``TrainingApp`` is the normal :class:`~cs_console.tui.app.ConsoleApp` (same screen, same keys)
on a :class:`~cs_console.service.training.TrainingDesk`; it never starts a sync worker, and the
top bar says TRAINING. The customer's scripted follow-ups arrive like pulled messages: the app
asks the desk every half second for those whose delay has passed and refreshes what changed.
When the desk grades a resolved ticket the feedback dialog opens.
"""

from __future__ import annotations

from pathlib import Path

from cs_console.config import Config
from cs_console.i18n import t
from cs_console.service.training import Feedback, TrainingDesk
from cs_console.tui.app import ConsoleApp, SyncFinished

FOLLOWUP_POLL_SECONDS = 0.5


class TrainingApp(ConsoleApp):
    """The console for a practice shift (never synced)."""

    TITLE = "cs-console · TRAINING"
    LOCAL_ROUNDS = False  # a practice shift never escalates on its own
    CSS_PATH = "../app.tcss"  # resolved from this module's folder: the console's own styles

    def __init__(self, desk: TrainingDesk, config: Config, kb_dir: Path | None = None) -> None:
        super().__init__(desk, config, kb_dir=kb_dir, demo=True)
        self.training_desk = desk
        desk.on_graded = self._graded

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(FOLLOWUP_POLL_SECONDS, self.deliver_followups)

    def deliver_followups(self) -> None:
        """Follow-ups whose delay has passed come in; the queue and conversation update as
        after a pull, and a toast says which ticket the customer answered on."""
        changed = self.training_desk.deliver_due()
        if not changed:
            return
        self.post_message(SyncFinished({}, offline=False, auth_required=False, changed=changed))
        for ticket_id in changed:
            self.notify(t("train.customer_replied", id=ticket_id))

    def _graded(self, feedback: Feedback) -> None:
        """Called by the desk on the UI thread, inside the resolve action: open the dialog once
        the action has finished."""
        from cs_console.tui.dialogs.grade_feedback import FeedbackDialog

        self.call_later(self.push_screen, FeedbackDialog(feedback))


def run_training(desk: TrainingDesk, config: Config, kb_dir: Path | None = None) -> None:
    TrainingApp(desk, config, kb_dir=kb_dir).run()
