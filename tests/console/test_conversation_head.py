"""A message's head in the conversation: the channel by its label in the agent's language, and
no empty field between separators (an automatic note has no channel)."""

from __future__ import annotations

import pytest
from console_helpers import plain

from cs_console import i18n
from cs_console.tui.widgets.conversation import render_message


def _head(lang: str, channel: str | None) -> str:
    i18n.set_language(lang)
    message = {
        "direction": "note",
        "author": "system",
        "channel": channel,
        "created_at": "2026-11-23T08:00:00Z",
        "body": "x",
    }
    return plain(render_message(message)).splitlines()[0]


@pytest.mark.parametrize(
    ("lang", "label"), [("zh-Hans", "微信"), ("zh-Hant", "微信"), ("en", "wechat")]
)
def test_the_channel_is_shown_by_its_label(lang, label):
    assert f" · {label} · " in _head(lang, "wechat")
    assert "chan." not in _head(lang, "carrier-pigeon")


def test_a_message_without_a_channel_has_no_empty_field():
    head = _head("en", None)
    assert "·  ·" not in head and head.count(" · ") == 1
