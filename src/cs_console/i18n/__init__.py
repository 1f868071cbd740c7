"""The UI text catalogue: simplified Chinese (default), traditional Chinese and English.

Every string the console shows comes from here through :func:`t`. A key missing from a language
falls back to simplified Chinese, then to the key itself, so a gap is visible but never fatal.

The texts live in one module per part of the product (``core``, ``shift``, ``training``,
``supervisor``, ``followups``, ``search``), each a ``TEXTS`` dict of ``key: (zh-Hans, zh-Hant, en)``; a key
defined by two parts is an error at import, so parts can grow independently.
"""

from __future__ import annotations

from typing import Any

from cs_console.i18n import (
    automation,
    core,
    dashboard,
    followups,
    search,
    shift,
    supervisor,
    training,
    verdicts,
)

LANGS = ("zh-Hans", "zh-Hant", "en")
_lang = "zh-Hans"


def _merge(*parts: Any) -> dict[str, tuple[str, str, str]]:
    merged: dict[str, tuple[str, str, str]] = {}
    for part in parts:
        for key, entry in part.TEXTS.items():
            if key in merged:
                raise RuntimeError(f"i18n key {key!r} is defined twice ({part.__name__})")
            merged[key] = entry
    return merged


CATALOGUE: dict[str, tuple[str, str, str]] = _merge(
    core, shift, training, supervisor, followups, search, automation, dashboard, verdicts
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
