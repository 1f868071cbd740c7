"""Small terminals (issue 11, item 6): every pane reachable, none squeezed to a sliver."""

from __future__ import annotations

import pytest
from console_helpers import make_app

from cs_console.tui.widgets.composer import Composer
from cs_console.tui.widgets.queue import QueueTable


def _shown(app) -> set[str]:
    return {
        name for name in ("left", "center", "right") if app.screen.query_one(f"#{name}").display
    }


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
async def test_at_80x24_one_pane_at_a_time_and_f6_reaches_each(console_store, lang):
    app = make_app(console_store, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert _shown(app) == {"left"}
        assert app.screen.query_one("#left").size.width >= 78
        await pilot.press("enter")  # open the ticket under the cursor: the ticket comes into view
        await pilot.pause()
        assert app.screen.ticket_id is not None and _shown(app) == {"center"}
        await pilot.press("f6")
        await pilot.pause()
        assert _shown(app) == {"right"} and app.screen.query_one("#right").size.width >= 78
        await pilot.press("f6")
        await pilot.pause()
        assert _shown(app) == {"left"} and isinstance(app.screen.focused, QueueTable)
        await pilot.press("c")
        await pilot.pause()
        assert _shown(app) == {"center"} and isinstance(app.screen.focused, Composer)
        await pilot.press("f3")
        await pilot.pause()
        assert _shown(app) == {"right"}


async def test_at_120x36_two_panes_follow_the_focus(console_store):
    app = make_app(console_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert _shown(app) == {"left", "center"}
        await pilot.press("n", "slash")
        await pilot.pause()
        assert _shown(app) == {"center", "right"}
        assert app.screen.query_one("#right").size.width >= 32


async def test_wide_terminals_show_all_three(console_store):
    app = make_app(console_store)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        assert _shown(app) == {"left", "center", "right"}


@pytest.mark.parametrize("size", [(160, 48), (120, 36)])
async def test_the_composer_holds_a_whole_script(console_store, size):
    """Issue 11, item 9: the reply box was 6 lines, and an inserted script scrolled out of
    view; now it takes 40 % of the ticket pane (at most 16 lines): a 10-line script fits."""
    app = make_app(console_store, lang="en")
    async with app.run_test(size=size) as pilot:
        await pilot.press("n", "c")
        composer = app.screen.query_one(Composer)
        composer.load_text("\n".join(f"line {n}" for n in range(10)))
        await pilot.pause()
        assert composer.content_region.height >= 10
        assert composer.scroll_offset.y == 0 and composer.max_scroll_y == 0


async def test_the_footer_is_compact_below_100_columns_so_the_queue_keys_fit(console_store):
    from textual.widgets import Footer

    app = make_app(console_store, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        assert footer.compact
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert not footer.compact
