"""Help: the keys that work right now, read from the bindings active for the focused widget,
so a key the focused widget takes for itself (ctrl+d deletes in the reply box) is shown as
such, and a letter key is not offered while a text box would type it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from cs_console.i18n import CATALOGUE, t
from cs_console.tui.widgets.bindings import Translated, key

Row = tuple[str, str, str]


def _ours(active: ActiveBinding) -> bool:
    return bool(active.binding.id) and f"key.{active.binding.id}" in CATALOGUE


def _types_text(widget: Widget | None) -> bool:
    return isinstance(widget, Input | TextArea)


def help_sections(
    active: dict[str, ActiveBinding], focused: Widget | None, screen: Screen
) -> list[tuple[str, list[Row]]]:
    """(section title, rows) for the focused pane, this screen and everywhere."""
    pane: dict[str, Row] = {}
    here: dict[str, Row] = {}
    everywhere: dict[str, Row] = {}
    typing = _types_text(focused)
    for key_name, entry in active.items():
        binding = entry.binding
        if not entry.enabled:
            continue
        if typing and (len(key_name) == 1 or key_name in _PRINTABLE_NAMES):
            continue  # the text box types it
        shown = screen.app.get_key_display(binding)
        if not _ours(entry):
            if (
                isinstance(entry.node, Widget)
                and entry.node is focused
                and _shadows(key_name, screen)
            ):
                pane[key_name] = (shown, t("help.edits_here"), "")
            continue
        row = (shown, binding.description, binding.tooltip or "")
        if entry.node is screen.app or binding.priority:
            section = everywhere
        elif entry.node is screen:
            section = here
        else:
            section = pane
        group = section.setdefault(binding.id or binding.action, row)
        if shown not in group[0].split(" / "):
            section[binding.id or binding.action] = (f"{group[0]} / {shown}", *group[1:])
    return [
        (t("help.focused"), list(pane.values())),
        (t("help.screen_here"), list(here.values())),
        (t("help.screen"), list(everywhere.values())),
    ]


# Key names Textual gives printable characters that are not a single character.
_PRINTABLE_NAMES = frozenset({"slash", "question_mark", "space", "full_stop", "comma"})


def _shadows(key_name: str, screen: Screen) -> bool:
    """The screen binds this key too: the focused widget's own meaning wins, so say so."""
    return any(key_name in keys.split(",") for keys in _screen_keys(screen))


def _screen_keys(screen: Screen) -> list[str]:
    return [binding.key for _, binding in screen._bindings]


class HelpScreen(Translated, ModalScreen[None]):
    BINDINGS = [key("escape,f1,question_mark", "dismiss", "close")]

    def __init__(
        self, sections: list[tuple[str, list[Row]]], focused: Widget | None = None
    ) -> None:
        super().__init__()
        self._translate_bindings()
        self.sections = sections
        self.focused_widget = focused

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._help_table())

    def _help_table(self) -> Table:
        table = Table(
            title=t("help.title"), caption=t("help.close"), expand=True, show_header=False
        )
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column(style="bold")
        table.add_column(style="dim")
        for title, rows in self.sections:
            if not rows:
                continue
            table.add_row(Text(title, "bold underline"), "", "")
            for row in rows:
                table.add_row(*row)
        if _types_text(self.focused_widget):
            table.add_row("esc", t("help.letters_outside"), "")
        return table
