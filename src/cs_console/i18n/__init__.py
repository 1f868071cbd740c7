"""The UI text catalogue: simplified Chinese (default), traditional Chinese and English.

Every string the console shows comes from here through :func:`t`. A key missing from a language
falls back to simplified Chinese, then to the key itself, so a gap is visible but never fatal.

The texts live in one module per part of the product (``core``, ``shift``, ``training``,
``supervisor``, ``followups``, ``search``, ``checks``, ``scenarios``...), each a ``TEXTS`` dict of ``key: (zh-Hans, zh-Hant,
en)``; a key defined by two parts is an error at import, so parts can grow independently.

A :class:`Text` is a sentence made where no language is chosen yet (a file check in ``kb/``, an
import's row problem in ``service/``): it is a ``str`` holding the English text, which is what
logs, index files and tests see, and it carries its key and values, so a shell says it in the
agent's language with :func:`said` at display time.
"""

from __future__ import annotations

from typing import Any

from cs_console.i18n import (
    automation,
    checks,
    core,
    dashboard,
    followups,
    scenarios,
    search,
    shift,
    supervisor,
    training,
    verdicts,
)

LANGS = ("zh-Hans", "zh-Hant", "en")
DEFAULT_LANG = "zh-Hans"
_lang = DEFAULT_LANG


def _merge(*parts: Any) -> dict[str, tuple[str, str, str]]:
    merged: dict[str, tuple[str, str, str]] = {}
    for part in parts:
        for key, entry in part.TEXTS.items():
            if key in merged:
                raise RuntimeError(f"i18n key {key!r} is defined twice ({part.__name__})")
            merged[key] = entry
    return merged


CATALOGUE: dict[str, tuple[str, str, str]] = _merge(
    core,
    shift,
    training,
    supervisor,
    followups,
    search,
    automation,
    dashboard,
    verdicts,
    checks,
    scenarios,
)


def set_language(lang: str) -> None:
    global _lang
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; choose from {', '.join(LANGS)}")
    _lang = lang


def language() -> str:
    return _lang


def t(key: str, **values: Any) -> str:
    """The text for ``key`` in the current language, with ``{name}`` fields filled."""
    entry = CATALOGUE.get(key)
    if entry is None:
        return key
    text = entry[LANGS.index(_lang)] or entry[0]
    return text.format(**values) if values else text


class Text(str):
    """A catalogue sentence with its values: the ``str`` is the English text; :func:`said`
    gives it in a language. A value that is itself a ``Text`` is said in the same language;
    any other value is shown as it is (file text is the caller's to quote)."""

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, /, **values: Any) -> Text:
        text = super().__new__(cls, _render(key, values, "en"))
        text.key = key
        text.values = values
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.key, self.values))


def _rebuild(key: str, values: dict[str, Any]) -> Text:
    return Text(key, **values)


class Items(str):
    """A list of names or codes as a :class:`Text` value: the ``str`` is English's
    ``a, b, c``; :func:`said` joins them with Chinese's enumeration comma (``a、b、c``). With
    ``clauses``, the items are clauses: ``a; b`` in English, ``a；b`` in Chinese; an item that is
    a ``Text`` is said in the same language."""

    items: tuple[Any, ...]
    clauses: bool

    def __new__(cls, items: Any, clauses: bool = False) -> Items:
        listed = tuple(item if isinstance(item, Text) else str(item) for item in items)
        text = super().__new__(cls, ("; " if clauses else ", ").join(listed))
        text.items = listed
        text.clauses = clauses
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (Items, (self.items, self.clauses))


def _render(key: str, values: dict[str, Any], lang: str) -> str:
    entry = CATALOGUE.get(key)
    if entry is None:
        return key
    filled = {name: said(value, lang) for name, value in values.items()}
    return (entry[LANGS.index(lang)] or entry[0]).format(**filled)


def said(text: Any, lang: str | None = None) -> str:
    """``text`` in ``lang`` (default: the interface language) when it is a :class:`Text`;
    anything else as ``str(text)``."""
    if isinstance(text, Text):
        return _render(text.key, text.values, lang or _lang)
    if isinstance(text, Items):
        lang = lang or _lang
        seps = {"en": ("; ", ", ")}.get(lang, ("；", "、"))
        sep = seps[0] if text.clauses else seps[1]
        return sep.join(said(item, lang) for item in text.items)
    return str(text)
