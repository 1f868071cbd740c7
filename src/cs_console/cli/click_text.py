"""Click's own words in the agent's language: the usage line, its errors ("No such option"),
"Try ... for help" and the help's headings.

Click asks the standard library for each of its texts (``from gettext import gettext as _`` and
``ngettext`` in its modules), and the stdlib's functions read only compiled catalogues found
through the process's locale, not our ``--lang``. :func:`install` points those two names in
Click's modules at :func:`gettext` and :func:`ngettext` here, which look the English text up in
``cs_console.i18n.click`` for the interface language at the moment Click asks (``--lang`` is
applied before a command's own arguments are read). English, or a text without a translation,
comes back as Click wrote it. Only names still bound to the stdlib's functions are replaced:
installing twice is harmless, and a Click that stopped using them is left as it is (the CLI
language test then fails on its English).
"""

from __future__ import annotations

import gettext as stdlib
import sys

from cs_console import i18n
from cs_console.i18n.click import TEXTS

__all__ = ["gettext", "install", "ngettext"]


def gettext(message: str) -> str:
    """Click's ``message`` in the interface language."""
    lang = i18n.language()
    entry = TEXTS.get(message)
    if entry is None or lang == "en":
        return message
    return entry[0] if lang == "zh-Hans" else entry[1]


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form (English's rule picks the text), in the interface language."""
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Translate Click's texts from now on (see the module docstring)."""
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "click" or name.startswith("click.")):
            continue
        if getattr(module, "_", None) is stdlib.gettext:
            module._ = gettext  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is stdlib.ngettext:
            module.ngettext = ngettext  # type: ignore[attr-defined]


def early_language(args: list[str]) -> None:
    """Apply a ``--lang`` found among the root's arguments (before ``--``) at once: Click prints
    ``--help`` and the root's usage errors while it reads them, before the root's callback
    applies the language (a language set only in the config file takes effect there)."""
    for i, arg in enumerate(args):
        if arg == "--":
            return
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else None
        if arg.startswith("--lang="):
            value = arg.removeprefix("--lang=")
        if value in i18n.LANGS:
            i18n.set_language(value)
            return
