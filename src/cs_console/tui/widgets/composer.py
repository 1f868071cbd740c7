"""The reply composer: a reply or an internal note, with scripts inserted at the cursor."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widgets import TextArea

from cs_console.i18n import t
from cs_console.scripts.template import Rendered
from cs_console.tui.widgets.bindings import Translated, key


def offset_to_location(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    row = before.count("\n")
    column = len(before) - (before.rfind("\n") + 1)
    return row, column


class Composer(Translated, TextArea):
    """Ctrl+S sends through the service layer (so the outbox); Ctrl+T switches reply/note."""

    BINDINGS = [
        key("ctrl+s", "send", "send"),
        key("ctrl+t", "toggle_note", "toggle_note"),
    ]

    @dataclass
    class Send(Message):
        """The agent pressed send."""

        text: str
        note: bool

    def __init__(self, **kwargs) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kwargs)
        self._translate_bindings()
        self.note = False

    def on_mount(self) -> None:
        self._update_title()

    def _update_title(self) -> None:
        self.border_title = t("composer.note" if self.note else "composer.reply")
        self.border_subtitle = t("composer.hint")
        self.set_class(self.note, "note")

    def action_toggle_note(self) -> None:
        self.note = not self.note
        self._update_title()

    def action_send(self) -> None:
        self.post_message(self.Send(self.text, self.note))

    def insert_script(self, rendered: Rendered) -> None:
        """Stack a rendered script after what is already written; cursor to its marker."""
        existing = self.text.rstrip()
        prefix = existing + "\n\n" if existing else ""
        text = prefix + rendered.text
        self.load_text(text)
        self.move_cursor(offset_to_location(text, len(prefix) + rendered.cursor))
        self.focus()

    def reset(self) -> None:
        self.load_text("")
        self.note = False
        self._update_title()
