"""The queue's one-line cells (tui/widgets/fast_cells.py) are drawn exactly as Textual's own
DataTable draws them: every visible cell, on plain, zebra, cursor and hover rows, with hostile
and wide text, compared segment by segment (a Textual upgrade that changes its cells fails
here, not on screen)."""

from __future__ import annotations

from console_helpers import SIZE, make_app, wait_for
from textual.widgets import DataTable

from cs_console.tui.widgets.queue import QueueTable


def both_ways(queue: QueueTable, row: int, column: int, cursor: bool, hover: bool):
    style = queue.rich_style
    width = queue.ordered_columns[column].get_render_width(queue)
    queue._cell_render_cache.clear()
    fast = queue._render_cell(row, column, style, width, cursor, hover)
    queue._cell_render_cache.clear()
    textual = DataTable._render_cell(queue, row, column, style, width, cursor, hover)
    return fast, textual


async def test_every_cell_is_drawn_as_textual_draws_it(console_store):
    first = console_store.queue("all", limit=1)[0]["id"]  # the queue's first row
    with console_store.transaction() as conn:
        conn.execute(
            "UPDATE tickets SET subject = ? WHERE id = ?",
            ("[bold red]not markup[/] \x1b[31m 面霜过敏了怎么办呢真的很急很急很急", first),
        )
    for lang in ("zh-Hans", "en"):
        app = make_app(console_store, lang=lang)
        async with app.run_test(size=SIZE) as pilot:
            queue = app.screen.query_one(QueueTable)
            await wait_for(pilot, lambda queue=queue: queue.row_count > 0)
            await pilot.pause()
            assert "not markup" in str(queue.get_row_at(0)[4])
            compared = 0
            for row in range(queue.row_count):
                for column in range(len(queue.ordered_columns)):
                    for cursor, hover in ((False, False), (True, False), (False, True)):
                        fast, textual = both_ways(queue, row, column, cursor, hover)
                        assert fast == textual, (lang, row, column, cursor, hover)
                        compared += 1
            assert compared >= 12 * 6 * 3


async def test_headers_and_taller_rows_take_textuals_own_path(console_store, monkeypatch):
    calls: list[int] = []
    original = DataTable._render_cell

    def counting(self, row_index, *args, **kwargs):
        calls.append(row_index)
        return original(self, row_index, *args, **kwargs)

    monkeypatch.setattr(DataTable, "_render_cell", counting)
    app = make_app(console_store)
    async with app.run_test(size=SIZE) as pilot:
        queue = app.screen.query_one(QueueTable)
        await wait_for(pilot, lambda: queue.row_count > 0)
        await pilot.pause()
        assert calls and set(calls) == {-1}  # only the header row went through Textual's path


async def test_a_style_changed_between_frames_is_drawn_in_the_next(console_store):
    """The styles are kept for one frame only: a change shows in the frame after it."""
    from textual.geometry import Region

    app = make_app(console_store)
    async with app.run_test(size=SIZE) as pilot:
        queue = app.screen.query_one(QueueTable)
        await wait_for(pilot, lambda: queue.row_count > 0)
        await pilot.pause()
        region = Region(0, 0, queue.size.width, queue.size.height)

        def backgrounds() -> set[str]:
            queue._line_cache.clear()
            queue._row_render_cache.clear()
            queue._cell_render_cache.clear()
            return {
                str(seg.style.bgcolor.name if seg.style and seg.style.bgcolor else "")
                for strip in queue.render_lines(region)
                for seg in strip
            }

        before = backgrounds()
        queue.styles.background = "rgb(1,2,3)"
        queue.add_class("-restyled")
        after = backgrounds()
        assert before != after
        assert queue._styles_this_frame is None  # nothing kept between frames
