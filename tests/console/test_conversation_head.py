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


@pytest.mark.parametrize(
    ("lang", "channel", "allergies"),
    [
        ("zh-Hans", "专柜", " 过敏原：尼泊金酯、羊毛脂 "),
        ("zh-Hant", "專櫃", " 過敏原：尼泊金酯、羊毛脂 "),
        ("en", "store counter", " ALLERGIES: 尼泊金酯, 羊毛脂 "),
    ],
)
def test_the_profile_names_where_an_order_was_placed_and_the_allergies(lang, channel, allergies):
    from cs_console.tui.widgets.profile import render_profile

    i18n.set_language(lang)
    customer = {"name": "c", "tier": "member", "allergies": ["尼泊金酯", "羊毛脂"], "points": 1}
    order = {"id": "SO-1", "channel": "store-counter", "paid": 1.0, "placed_at": "2026-11-20"}
    other = {**order, "id": "SO-2", "channel": "a-shop-we-do-not-know"}
    lines = plain(render_profile(customer, [order, other], [])).splitlines()
    assert allergies in lines
    assert f"SO-1 {channel} ¥1.00 2026-11-20" in lines
    assert "SO-2 a-shop-we-do-not-know ¥1.00 2026-11-20" in lines


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("zh-Hans", "〔已升级〕 超时"), ("zh-Hant", "〔已升級〕 超时"), ("en", "[escalated] 超时")],
)
def test_an_escalation_note_shows_its_mark_in_the_agents_language(lang, shown):
    from cs_console.service.inbound import ESCALATION_MARK
    from cs_console.tui.widgets import conversation

    assert conversation.ESCALATION_MARK == ESCALATION_MARK  # the mark RT and sync read
    i18n.set_language(lang)
    message = {
        "direction": "note",
        "author": "system",
        "channel": None,
        "created_at": "2026-11-23T08:00:00Z",
        "body": f"{ESCALATION_MARK} 超时",
    }
    assert plain(render_message(message)).splitlines()[1] == shown
