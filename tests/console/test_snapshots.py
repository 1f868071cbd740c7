"""SVG snapshots at a fixed size with a pinned clock and seeded data: the main views.

Update after an intended change with ``uv run pytest tests/console/test_snapshots.py --snapshot-update``
and look at the SVGs in ``tests/console/__snapshots__/`` before committing them.
"""

from __future__ import annotations

import pytest
from console_helpers import SIZE, make_app
from textual.widgets import Input

from cs_console.tui.widgets.kb_panel import KbPanel


async def _engine_loaded(pilot) -> None:
    panel = pilot.app.screen.query_one(KbPanel)
    while panel.engine is None:
        await pilot.pause(0.05)
    await pilot.pause()


def test_main_screen(snap_compare, console_store):
    async def run_before(pilot):
        await _engine_loaded(pilot)
        await pilot.press("n")
        pilot.app.clear_notifications()
        await pilot.press("slash", "g", "u", "o", "m", "i", "n")
        panel = pilot.app.screen.query_one(KbPanel)
        while not panel.hits:
            await pilot.pause(0.05)
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(make_app(console_store), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare, console_store):
    async def run_before(pilot):
        await _engine_loaded(pilot)
        await pilot.press("n")
        pilot.app.clear_notifications()
        await pilot.press("c", "f1")

    assert snap_compare(make_app(console_store), terminal_size=SIZE, run_before=run_before)


def test_palette(snap_compare, console_store):
    async def run_before(pilot):
        await _engine_loaded(pilot)
        await pilot.press("ctrl+p")
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False  # a blinking cursor makes the SVG depend on timing
        for ch in "12":
            await pilot.press(ch)
        await pilot.pause(0.6)

    assert snap_compare(make_app(console_store), terminal_size=SIZE, run_before=run_before)


def test_main_screen_small_terminal(snap_compare, console_store):
    async def run_before(pilot):
        await _engine_loaded(pilot)
        await pilot.press("n")
        pilot.app.clear_notifications()

    assert snap_compare(make_app(console_store), terminal_size=(120, 36), run_before=run_before)


SIZES = [(80, 24), (120, 36), (200, 60)]
LANGS = ["zh-Hans", "zh-Hant", "en"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_ticket_open_at_every_size_and_language(snap_compare, console_store, size, lang):
    """A ticket opened from the queue: at 80x24 one pane (the ticket), at 120x36 two, at
    200x60 all three."""

    async def run_before(pilot):
        await _engine_loaded(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    app = make_app(console_store, lang=lang)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_dashboard(snap_compare, console_store, size, lang):
    """The supervisor's dashboard over the last 30 days of the seeded cache."""

    async def run_before(pilot):
        await _engine_loaded(pilot)
        await pilot.press("f2", "m")
        screen = pilot.app.screen
        while screen.figures is None or "…" in str(screen.query_one("#dash-title").content):
            await pilot.pause(0.05)
        await pilot.pause()

    app = make_app(console_store, role="supervisor", lang=lang)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_return_dialog_at_every_size_and_language(snap_compare, console_store, size, lang):
    """The return dialog on a ticket with an order: its order, lines, fields, hint and keys fit
    at 80x24 as at 200x60."""
    ticket_id = console_store.scalar(
        "SELECT t.id FROM tickets t JOIN order_lines l ON l.order_id = t.order_id "
        "WHERE t.status = 'open' ORDER BY t.id LIMIT 1"
    )

    async def run_before(pilot):
        await _engine_loaded(pilot)
        pilot.app.screen.open_ticket(ticket_id)
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.press("r")
        await pilot.pause()

    app = make_app(console_store, lang=lang)
    assert snap_compare(app, terminal_size=size, run_before=run_before)
