"""Help: the keys the focused pane offers, then the ones that work everywhere."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from cs_console.i18n import CATALOGUE, t
from cs_console.tui.widgets.bindings import Translated, key


def _rows(node: Widget | None) -> list[tuple[str, str, str]]:
    """(keys, what, why) for each binding of ``node``; keys of one binding id are joined."""
    if node is None:
        return []
    grouped: dict[str, tuple[list[str], str, str]] = {}
    for _, binding in node._bindings:
        if not binding.id or f"key.{binding.id}" not in CATALOGUE:
            continue  # only our own bindings: their text is in the catalogue
        keys, _, _ = grouped.setdefault(
            binding.id or binding.action, ([], binding.description, binding.tooltip or "")
        )
        shown = node.app.get_key_display(binding)
        if shown not in keys:
            keys.append(shown)
    return [(" / ".join(keys), what, why) for keys, what, why in grouped.values()]


class HelpScreen(Translated, ModalScreen[None]):
    BINDINGS = [key("escape,f1,question_mark", "dismiss", "close")]

    def __init__(self, focused: Widget | None, base: Widget) -> None:
        super().__init__()
        self._translate_bindings()
        self.focused_widget = focused
        self.base = base

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
        focused_rows: list[tuple[str, str, str]] = []
        node: DOMNode | None = self.focused_widget
        while isinstance(node, Widget) and node is not self.base:
            focused_rows.extend(_rows(node))
            node = node.parent
        if focused_rows:
            table.add_row(Text(t("help.focused"), "bold underline"), "", "")
            for row in focused_rows:
                table.add_row(*row)
        table.add_row(Text(t("help.screen"), "bold underline"), "", "")
        for row in _rows(self.base):
            table.add_row(*row)
        return table
