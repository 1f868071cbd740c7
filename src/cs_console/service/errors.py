"""Why an action was refused, as an i18n key and its parameters, so each shell says it in the
agent's language (the console and the CLI translate at display time) while ``str(exc)`` stays
English for logs and tracebacks.

A parameter is shown as it is (customer, backend and file text is untrusted: the shells print it
literally), except a :class:`Term` (or a policy ``Label``), which is a code shown by its
translated label (a status, a role, a field such as ``batch_no``), and a policy ``Said`` (a rule's
sentence), said in the same language. No Textual here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cs_console.i18n import CATALOGUE, LANGS, language
from cs_console.policy.said import Label, Said

__all__ = ["DeskError", "Term", "render", "said"]


@dataclass(frozen=True)
class Term:
    """A code shown by its label: ``Term("status", "resolved")`` reads ``status.resolved``
    in the catalogue, and the code itself when the catalogue has no such label."""

    kind: str
    code: str

    def label(self, lang: str) -> str:
        entry = CATALOGUE.get(f"{self.kind}.{self.code}")
        if entry is None:
            return self.code
        return entry[LANGS.index(lang)] or entry[0]


class DeskError(Exception):
    """An action that cannot be done, and nothing was written.

    ``key`` is the i18n text saying why and ``params`` fill its ``{fields}``; ``cli_hint`` is
    what to type on the command line to fix it (``--note``), shown by the CLI only.
    """

    def __init__(self, key: str, /, *, cli_hint: str | None = None, **params: Any) -> None:
        self.key = key
        self.params = params
        self.cli_hint = cli_hint
        super().__init__(render(key, params, "en"))

    def message(self, lang: str | None = None) -> str:
        """The reason in ``lang`` (default: the interface language)."""
        return render(self.key, self.params, lang or language())


def render(key: str, params: Mapping[str, Any], lang: str) -> str:
    """The text of ``key`` in ``lang`` with ``params`` filled (a Term by its label, a list or
    tuple joined). An unknown key is shown as the key with its parameters: visible, never a
    crash."""
    values = {name: _value(value, lang) for name, value in params.items()}
    entry = CATALOGUE.get(key)
    if entry is None:
        return " ".join([key, *(f"{k}={v}" for k, v in values.items())])
    return (entry[LANGS.index(lang)] or entry[0]).format(**values)


def said(text: str, lang: str | None = None) -> str:
    """A rule's sentence (``policy.said.Said``) in ``lang`` (default: the interface language);
    any other text as it is."""
    if not isinstance(text, Said):
        return text
    return render(f"verdict.{text.key}", text.params, lang or language())


def _value(value: Any, lang: str) -> str:
    if isinstance(value, Term):
        return value.label(lang)
    if isinstance(value, Label):
        return Term(value.kind, value.code).label(lang)
    if isinstance(value, Said):
        return said(value, lang)
    if isinstance(value, list | tuple):
        joiner = ", " if lang == "en" else "、"
        return joiner.join(_value(item, lang) for item in value)
    return str(value)
