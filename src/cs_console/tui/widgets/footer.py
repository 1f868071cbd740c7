"""Textual's footer, rebuilt only when the keys it shows change.

Textual's ``Footer`` recomposes (every key a new widget, styled and laid out again) after each
change of the screen's bindings, once per change even when several come in one frame and
even when nothing it shows differs. At start-up the console's focus, translated bindings and
first page changed them six times: 90 of the 170 ms between the first page's query and its
first frame on screen. This one recomposes at most once per frame, and only when a shown key,
its label or whether it is enabled differs.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending = False
        self._shown: tuple[Any, ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            if self._shown is None:  # the first keys after the screen's first frame
                self.call_after_refresh(self.call_after_refresh, self._recompose_if_changed)
            else:
                self.call_after_refresh(self._recompose_if_changed)

    def shown_keys(self) -> tuple[Any, ...]:
        """What the footer shows, as ``compose`` reads it from the screen's bindings."""
        app = self.app
        active = self.screen.active_bindings
        palette = active.get(app.COMMAND_PALETTE_BINDING)
        keys = tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                enabled,
                tooltip,
                None if binding.group is None else binding.group.description,
            )
            for (_node, binding, enabled, tooltip) in active.values()
            if binding.show
        )
        return keys, self.show_command_palette, palette is not None and palette[2]

    async def _recompose_if_changed(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        shown = self.shown_keys()
        if shown == self._shown:
            return
        self._shown = shown
        await self.recompose()
