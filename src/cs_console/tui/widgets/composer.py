"""The reply composer: a reply or an internal note, with scripts inserted at the cursor."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from cs_console.i18n import t
from cs_console.scripts.template import Rendered, next_prompt
from cs_console.tui.widgets.bindings import Translated, key


def offset_to_location(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    row = before.count("\n")
    column = len(before) - (before.rfind("\n") + 1)
    return row, column


def location_to_offset(text: str, location: tuple[int, int]) -> int:
    row, column = location
    lines = text.split("\n")
    return sum(len(line) + 1 for line in lines[:row]) + column


class Composer(Translated, TextArea):
    """Ctrl+S sends through the service layer (so the outbox); Ctrl+T switches reply/note;
    Tab selects the next 【prompt】 of an inserted script (and leaves when none is left)."""

    BINDINGS = [
        key("ctrl+s", "send", "send"),
        key("ctrl+t", "toggle_note", "toggle_note"),
        key("tab", "next_prompt", "next_prompt"),
    ]

    @dataclass
    class ModeChanged(Message):
        """Reply/note switched (the draft keeps the mode)."""

        note: bool

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
        self.post_message(self.ModeChanged(self.note))

    def action_next_prompt(self) -> None:
        text = self.text
        end = location_to_offset(text, self.selection.end)
        span = next_prompt(text, end)
        if span is None:
            self.screen.focus_next()
            return
        self.selection = Selection(
            offset_to_location(text, span[0]), offset_to_location(text, span[1])
        )

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
        self.restore("", False)

    def restore(self, text: str, note: bool) -> None:
        """Show a kept draft (or nothing), cursor at its end."""
        self.load_text(text)
        self.note = note
        self._update_title()
        self.move_cursor(offset_to_location(text, len(text)))
