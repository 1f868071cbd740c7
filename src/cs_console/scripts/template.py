"""Render reply scripts from a ticket's context and stack several into one reply.

A script's text holds ``{{name}}`` placeholders (the catalogue is ``PLACEHOLDERS``, documented in
kb_data/FORMAT.md) and at most one ``{{cursor}}``. Rendering fills each placeholder from a context
mapping; a value the ticket does not have becomes a visible prompt such as ``【订单号】`` that the
agent must fill in, never an empty string. The cursor marker is removed and its offset returned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cs_console.untrusted import without_controls

__all__ = [
    "CURSOR",
    "PLACEHOLDERS",
    "PLACEHOLDER_RE",
    "Rendered",
    "prompt",
    "render",
    "stack",
    "unfilled_prompts",
]

CURSOR = "cursor"

# name -> the Chinese label shown as a prompt when the ticket has no value for it
PLACEHOLDERS: Mapping[str, str] = {
    "customer_name": "客户称呼",
    "agent_name": "客服名字",
    "ticket_no": "工单号",
    "order_no": "订单号",
    "product": "商品名称",
    "shade": "色号",
    "to_product": "换成的商品",
    "to_shade": "换成的色号",
    "batch_no": "批次号",
    "tracking_no": "快递单号",
    "return_no": "退换货单号",
    "amount": "金额",
    "points": "积分",
    "tier": "会员等级",
    "coupon_code": "优惠券码",
    "date": "日期",
    "deadline": "截止日期",
    "store": "门店",
}

# the same labels in traditional characters (OpenCC s2t), for agents working in zh-Hant
PLACEHOLDERS_HANT: Mapping[str, str] = {
    "customer_name": "客戶稱呼",
    "agent_name": "客服名字",
    "ticket_no": "工單號",
    "order_no": "訂單號",
    "product": "商品名稱",
    "shade": "色號",
    "to_product": "換成的商品",
    "to_shade": "換成的色號",
    "batch_no": "批次號",
    "tracking_no": "快遞單號",
    "return_no": "退換貨單號",
    "amount": "金額",
    "points": "積分",
    "tier": "會員等級",
    "coupon_code": "優惠券碼",
    "date": "日期",
    "deadline": "截止日期",
    "store": "門店",
}

PLACEHOLDER_RE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


@dataclass(frozen=True)
class Rendered:
    """A rendered script: its text, where the cursor goes, and whether the script placed it."""

    text: str
    cursor: int
    has_cursor: bool = False


def prompt(name: str, traditional: bool = False) -> str:
    """The visible prompt for a placeholder without a value: ``【订单号】`` (``【訂單號】``)."""
    labels = PLACEHOLDERS_HANT if traditional else PLACEHOLDERS
    return f"【{labels.get(name, name)}】"


def _value(context: Mapping[str, Any], name: str, traditional: bool) -> str:
    value = context.get(name)
    if value is None:
        return prompt(name, traditional)
    text = without_controls(str(value)).strip()
    return text if text else prompt(name, traditional)


def render(
    text: str, context: Mapping[str, Any] | None = None, traditional: bool = False
) -> Rendered:
    """Fill ``text``'s placeholders from ``context``; a missing value becomes its prompt, in
    traditional characters when ``traditional`` (a zh-Hant agent's script).

    ``{{policy.<name>}}`` left in the text (scripts from the loader already have them filled) is
    filled from ``cs_console.policy.numbers``. The cursor offset is where ``{{cursor}}`` stood in
    the rendered text, or the end of the text when there is none; a second cursor is dropped.
    """
    context = context or {}
    text = without_controls(text)
    parts: list[str] = []
    cursor: int | None = None
    length = 0
    pos = 0
    for m in PLACEHOLDER_RE.finditer(text):
        before = text[pos : m.start()]
        parts.append(before)
        length += len(before)
        pos = m.end()
        name = m.group(1)
        if name == CURSOR:
            if cursor is None:
                cursor = length
            continue
        if name.startswith("policy."):
            from cs_console.policy.numbers import NUMBERS

            key = name.removeprefix("policy.")
            out = str(NUMBERS[key]) if key in NUMBERS else prompt(name, traditional)
        else:
            out = _value(context, name, traditional)
        parts.append(out)
        length += len(out)
    parts.append(text[pos:])
    rendered = "".join(parts)
    if cursor is None:
        return Rendered(rendered, len(rendered), False)
    return Rendered(rendered, cursor, True)


def stack(renders: Iterable[Rendered]) -> Rendered:
    """Join rendered scripts into one reply, a blank line between them.

    The cursor is the first script's own cursor that has one (offset shifted into the joined
    text); when no script placed a cursor it goes to the end.
    """
    parts: list[str] = []
    cursor: int | None = None
    offset = 0
    for r in renders:
        if parts:
            parts.append("\n\n")
            offset += 2
        if cursor is None and r.has_cursor:
            cursor = offset + r.cursor
        parts.append(r.text)
        offset += len(r.text)
    text = "".join(parts)
    if cursor is None:
        return Rendered(text, len(text), False)
    return Rendered(text, cursor, True)


_PROMPTS = {prompt(name, hant): name for hant in (False, True) for name in PLACEHOLDERS}


def unfilled_prompts(text: str) -> list[str]:
    """The script prompts (``【订单号】``...) still standing in ``text``, in catalogue order."""
    return [shown for shown in _PROMPTS if shown in text]


def next_prompt(text: str, offset: int) -> tuple[int, int] | None:
    """Where the first script prompt at or after ``offset`` stands, as (start, end); wraps to
    the first prompt of the text; None when none is left."""
    found = [(start, start + len(shown)) for shown in _PROMPTS for start in _positions(text, shown)]
    if not found:
        return None
    found.sort()
    return next((span for span in found if span[0] >= offset), found[0])


def _positions(text: str, part: str) -> list[int]:
    positions, start = [], text.find(part)
    while start != -1:
        positions.append(start)
        start = text.find(part, start + 1)
    return positions
