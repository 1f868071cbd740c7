"""Practice mode: the real console on a sandbox cache, with the grade shown after each resolve.

``TrainingApp`` is the normal :class:`~cs_console.tui.app.ConsoleApp` (same screen, same keys)
on a :class:`~cs_console.service.training.TrainingDesk`; it never starts a sync worker, and the
top bar says TRAINING. When the desk grades a resolved ticket the feedback dialog opens.
"""

from __future__ import annotations

from pathlib import Path

from cs_console.config import Config
from cs_console.service.training import Feedback, TrainingDesk
from cs_console.tui.app import ConsoleApp


class TrainingApp(ConsoleApp):
    """The console for a practice shift (never synced)."""

    TITLE = "cs-console · TRAINING"
    CSS_PATH = "../app.tcss"  # resolved from this module's folder: the console's own styles

    def __init__(self, desk: TrainingDesk, config: Config, kb_dir: Path | None = None) -> None:
        super().__init__(desk, config, kb_dir=kb_dir, demo=True)
        desk.on_graded = self._graded

    def _graded(self, feedback: Feedback) -> None:
        """Called by the desk on the UI thread, inside the resolve action: open the dialog once
        the action has finished."""
        from cs_console.tui.dialogs.grade_feedback import FeedbackDialog

        self.call_later(self.push_screen, FeedbackDialog(feedback))


def run_training(desk: TrainingDesk, config: Config, kb_dir: Path | None = None) -> None:
    TrainingApp(desk, config, kb_dir=kb_dir).run()
