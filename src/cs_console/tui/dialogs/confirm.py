"""A yes/no question: `y` or enter says yes, `n` or escape says no."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from cs_console.i18n import t
from cs_console.tui.widgets.bindings import Translated, key


class ConfirmDialog(Translated, ModalScreen[bool]):
    BINDINGS = [
        key("y,enter", "answer(True)", "confirm_yes"),
        key("n,escape", "answer(False)", "confirm_no"),
    ]

    def __init__(self, title: str, question: str) -> None:
        super().__init__()
        self._translate_bindings()
        self.title_text = title
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.question, markup=False)
            yield Static(t("confirm.keys"), classes="rx-keys", markup=False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
