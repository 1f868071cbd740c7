"""Bindings whose description and tooltip come from the i18n catalogue.

Bindings are declared once with catalogue keys (``key.escalate``); each widget instance swaps in
the text of the current language when it is created. Ids stay fixed, so ``[keys]`` in the config
can rebind any of them (the app applies it with ``set_keymap``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, cast

from textual.binding import Binding, BindingsMap

from cs_console.i18n import t


def key(keys: str, action: str, name: str, show: bool = True, priority: bool = False) -> Binding:
    """A binding with id ``name`` and catalogue keys ``key.<name>`` / ``key.<name>.tip``."""
    return Binding(
        keys,
        action,
        f"key.{name}",
        show=show,
        id=name,
        tooltip=f"key.{name}.tip",
        priority=priority,
    )


def translate(bindings: BindingsMap) -> BindingsMap:
    translated = {
        k: [
            replace(b, description=t(b.description), tooltip=t(b.tooltip))
            if b.description.startswith("key.")
            else b
            for b in group
        ]
        for k, group in bindings.key_to_bindings.items()
    }
    return BindingsMap.from_keys(translated)


if TYPE_CHECKING:
    from textual.dom import DOMNode


class Translated:
    """Mixin for widgets and screens: translate this instance's bindings after init."""

    def _translate_bindings(self) -> None:
        node = cast("DOMNode", self)
        node._bindings = translate(node._bindings)
