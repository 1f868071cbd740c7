"""Another agent wrote on the ticket a moment ago (pulled from RT): the header says so."""

from __future__ import annotations

from console_helpers import SIZE, make_app, screen_text

from cs_console.tui.widgets.queue import QueueTable


async def test_the_header_warns_when_another_agent_just_wrote(console_store):
    ticket_id = console_store.queue("all", limit=1)[0]["id"]
    with console_store.transaction() as conn:
        conn.execute(
            "INSERT INTO messages (ticket_id, direction, author, body, channel, created_at) "
            "VALUES (?, 'out', 'sup01', '我来处理', 'chat', '2026-11-23T07:57:00Z')",
            (ticket_id,),
        )
    app = make_app(console_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        queue = app.screen.query_one(QueueTable)
        queue.move_cursor(row=queue.get_row_index(str(ticket_id)))
        await pilot.press("enter")
        await pilot.pause()
        assert "王主管 wrote here 3 min ago" in screen_text(app)
        app.screen.desk.store.clock.advance(minutes=30)
        app.screen.open_ticket(ticket_id)
        await pilot.pause()
        assert "wrote here" not in screen_text(app)  # old news: no warning


async def test_the_consoles_own_note_is_no_collision(console_store):
    """An auto-escalation note (author ``system``) newer than another agent's reply: the
    header names the agent, and with the system's note alone it warns of nobody."""
    ticket_id = console_store.queue("all", limit=1)[0]["id"]
    insert = (
        "INSERT INTO messages (ticket_id, direction, author, body, channel, created_at) "
        "VALUES (?, ?, ?, 'x', NULL, ?)"
    )
    with console_store.transaction() as conn:
        conn.execute(insert, (ticket_id, "note", "system", "2026-11-23T07:59:00Z"))
    app = make_app(console_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.open_ticket(ticket_id)
        await pilot.pause()
        assert "wrote here" not in screen_text(app)
        with console_store.transaction() as conn:
            conn.execute(insert, (ticket_id, "out", "sup01", "2026-11-23T07:57:00Z"))
        app.screen.open_ticket(ticket_id)
        await pilot.pause()
        assert "王主管 wrote here 3 min ago" in screen_text(app)
