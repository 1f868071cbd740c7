"""A Chinese toast shows every character at the sizes the console supports: where a toast
crosses a pane's edge, Textual drew a wide character cut by that edge as two spaces (Textual
issue #6357; at 160 columns the border between the ticket and the knowledge panes ate one).
The screen is read back from the screenshot, cell by cell."""

from __future__ import annotations

import html
import re

import pytest
from console_helpers import make_app
from rich.cells import cell_len

from cs_console.tui.widgets.toast_text import toast_place, toast_text

MESSAGE = (
    "工单 12 已升级给主管处理，请等待主管回复后再继续跟进这位顾客的退款申请。"
    "订单 A-20261120 的积分补偿已经记下，顾客下次登录就能看到"
)
CELL_PX = 12.2  # Textual's screenshot: one terminal cell


def cells(svg: str) -> dict[int, dict[int, str]]:
    """The screenshot's characters by row and column (a wide character at its first cell)."""
    spans = re.findall(r'<text class="[^"]*" x="([0-9.]+)" y="([0-9.]+)"[^>]*>(.*?)</text>', svg)
    ys = sorted({float(y) for _x, y, _t in spans})
    grid: dict[int, dict[int, str]] = {}
    for x, y, text in spans:
        row, col = grid.setdefault(ys.index(float(y)), {}), round(float(x) / CELL_PX)
        for ch in html.unescape(text).replace("\xa0", " "):
            row[col] = ch
            col += cell_len(ch)
    return grid


@pytest.mark.parametrize("size", [(160, 48), (120, 36), (80, 24), (200, 60)])
async def test_a_chinese_toast_loses_no_character(console_store, size):
    from textual.widgets._toast import Toast

    app = make_app(console_store)
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.pause()
        app.notify(MESSAGE, timeout=60)
        await pilot.pause(0.3)
        (toast,) = app.screen.query(Toast)
        box = toast.content_region
        rack = app.screen.query_one("#textual-toastrack")
        scrollbar = rack.styles.scrollbar_size_vertical
        assert (box.x, box.width) == toast_place(size[0], scrollbar)  # where the text is laid out
        grid = cells(app.export_screenshot())
        shown = "".join(
            grid.get(y, {}).get(x, "")
            for y in range(box.y, box.bottom)
            for x in range(box.x, box.right)
        )
    assert shown.replace(" ", "") == MESSAGE.replace(" ", "")


def test_the_layout_keeps_english_and_moves_a_character_off_an_edge():
    assert toast_text("Ticket 12 escalated", 100, 57, {101, 115}) == "Ticket 12 escalated"
    # 已 would take columns 101-102 across the edge at 102: one space before it
    assert toast_text("已升级", 101, 57, {102}) == " 已升级"
    # a pane's border and its content side by side: two edges, two spaces
    assert toast_text("工单已升级", 100, 57, {105, 106}) == "工单  已升级"
    assert toast_text("工单已升级给主管", 0, 6, set()) == "工单已\n升级给\n主管"
