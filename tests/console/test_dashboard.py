"""The dashboard (F2): tiles against targets, the agent table, drill-down into the queue, the
period keys, and what an agent (not a supervisor) sees."""

from __future__ import annotations

from console_helpers import SIZE, make_app, plain, screen_text, wait_for

from cs_console.service.desk import Desk
from cs_console.service.metrics import Metrics
from cs_console.service.session import sign_in
from cs_console.tui.screens.dashboard import DashboardScreen, Tile
from cs_console.tui.widgets.queue import QueueTable


def _expected(store, agent_id: str, days: int = 1):
    desk = Desk(store, sign_in(store, agent_id))
    metrics = Metrics(desk)
    screen = DashboardScreen(desk)
    screen.period_name = {1: "today", 7: "week", 30: "month"}[days]
    return metrics, metrics.dashboard(screen.current_period())


async def _open_dashboard(pilot, app) -> DashboardScreen:
    await pilot.press("f2")
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    await wait_for(pilot, lambda: screen.figures is not None)
    await pilot.pause()
    return screen


async def test_a_supervisor_sees_the_team_figures_and_drills_into_the_backlog(console_store):
    _metrics, expected = _expected(console_store, "sup01", 30)
    app = make_app(console_store, role="supervisor", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_dashboard(pilot, app)
        await pilot.press("m")
        await wait_for(pilot, lambda: screen.figures and screen.period_name == "month")
        await wait_for(pilot, lambda: "…" not in plain(screen.query_one("#dash-title").content))
        assert "whole team" in plain(screen.query_one("#dash-title").content)
        backlog = expected["tiles"]["backlog"]["value"]
        tile = screen.query_one("#tile-backlog", Tile)
        assert f"{backlog:,}" in plain(tile.content)
        agents = {str(r.group) for r in expected["by_agent"] if r.group is not None}
        text = screen_text(app)
        assert agents and all(agent in text for agent in agents)
        tile.focus()
        await pilot.press("enter")
        assert not isinstance(app.screen, DashboardScreen)
        queue = app.screen.query_one("#queue", QueueTable)
        assert queue.drill is not None and queue.total == backlog
        shown = {int(str(key.value)) for key in queue.rows}
        open_ids = {
            r["id"]
            for r in console_store.all("SELECT id FROM tickets WHERE status IN ('open','pending')")
        }
        assert shown and shown <= open_ids
        assert "dashboard: Backlog" in str(queue.border_title)
        await pilot.press("escape")  # back to the filter
        assert queue.drill is None and "dashboard" not in str(queue.border_title)


async def test_an_agent_sees_only_their_own_tickets(console_store):
    _metrics, expected = _expected(console_store, "agent01", 30)
    app = make_app(console_store, role="agent", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_dashboard(pilot, app)
        await pilot.press("m")
        await wait_for(pilot, lambda: "…" not in plain(screen.query_one("#dash-title").content))
        assert "agent01's tickets only" in plain(screen.query_one("#dash-title").content)
        own_backlog = console_store.scalar(
            "SELECT count(*) FROM tickets WHERE status IN ('open','pending') AND assignee = ?",
            ("agent01",),
        )
        assert expected["tiles"]["backlog"]["value"] == own_backlog
        assert f"{own_backlog:,}" in plain(screen.query_one("#tile-backlog").content)
        table = screen.query_one("#dash-agents")
        rows = [plain(table.get_row(k)[0]).strip() for k in table.rows]
        assert rows == ["agent01"] or rows == []


async def test_a_figure_without_tickets_says_so_and_stays(console_store):
    app = make_app(console_store, role="supervisor", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_dashboard(pilot, app)
        screen.drill("followups_overdue")  # none in the demo cache
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")
        assert not isinstance(app.screen, DashboardScreen)


async def test_the_dashboard_fits_a_small_terminal_in_every_language(console_store):
    for lang, word in (("zh-Hans", "数据看板"), ("zh-Hant", "數據看板"), ("en", "Dashboard")):
        app = make_app(console_store, role="supervisor", lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _open_dashboard(pilot, app)
            assert word in plain(screen.query_one("#dash-title").content)
            tiles = list(screen.query(Tile))
            assert tiles[0].region.width >= 20  # two tiles a row at 80 columns, not slivers
            assert all(len(plain(tile.content).splitlines()) == 3 for tile in tiles)


async def test_closing_the_dashboard_leaves_an_in_memory_cache_open():
    from cs_console import demo
    from cs_console.clock import FixedClock
    from cs_console.store.db import Store

    store = Store.open(":memory:", FixedClock("2026-11-23T08:00:00Z"))
    demo.seed(store, tickets=40, seed_value=5)
    app = make_app(store, role="supervisor", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _open_dashboard(pilot, app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DashboardScreen)
        assert store.scalar("SELECT count(*) FROM tickets") == 40  # the console's own connection
    store.close()
