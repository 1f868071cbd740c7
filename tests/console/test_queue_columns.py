"""The queue's columns fit its pane at every size (issue 11, item 6): the essential columns (id,
clock, priority, flags, subject, customer) always show whole, the subject shortened first, and
tier, category and channel only when there is room, so nothing scrolls out of sight."""

from __future__ import annotations

import pytest
from console_helpers import make_app

from cs_console.tui.widgets.queue import COLUMNS, ESSENTIAL, QueueTable


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
@pytest.mark.parametrize("size", [(80, 24), (120, 36), (160, 48), (200, 60)])
async def test_the_queue_fits_its_pane(console_store, size, lang):
    app = make_app(console_store, lang=lang)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        table = app.screen.query_one(QueueTable)
        assert table.row_count
        assert table.shown[:ESSENTIAL] == COLUMNS[:ESSENTIAL]
        assert table.virtual_size.width <= table.scrollable_content_region.width
        if size[0] >= 200:
            assert table.shown == COLUMNS


async def test_a_resized_terminal_fits_the_columns_again_and_keeps_the_row(console_store):
    app = make_app(console_store, lang="en")
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(QueueTable)
        assert table.shown == COLUMNS
        await pilot.press("down", "down")
        row = table.cursor_row
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        assert table.shown == COLUMNS[:ESSENTIAL]
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert table.cursor_row == row
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        assert table.shown == COLUMNS
