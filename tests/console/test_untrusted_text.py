"""Customer and backend text is shown literally: markup and escapes change nothing."""

from __future__ import annotations

from console_helpers import SIZE, plain, screen_text

from cs_console.tui.widgets.conversation import Conversation
from cs_console.tui.widgets.queue import QueueTable
from cs_console.tui.widgets.safe import clean, literal

HOSTILE = "[bold red]免费[/bold red] [link=http://evil.example]点我[/link] \x1b[31m红\x1b[0m \x1b]0;pwned\x07 \u202eabc"


def _hostile_ticket(store):
    ticket_id = store.queue("all", limit=1)[0]["id"]
    with store.transaction() as conn:
        conn.execute("UPDATE tickets SET subject = ? WHERE id = ?", (HOSTILE, ticket_id))
        conn.execute(
            "INSERT INTO messages (ticket_id, direction, author, body, channel, created_at) VALUES (?, 'in', ?, ?, 'chat', ?)",
            (ticket_id, "[blink]x[/blink]", HOSTILE, "2026-11-23T07:59:00Z"),
        )
    return ticket_id


def test_clean_makes_controls_visible():
    assert clean("a\x1b[31mb") == "a^[[31mb"
    assert "\x07" not in clean("\x07") and "\u202e" not in clean("\u202e")
    assert literal("[bold]x[/bold]").plain == "[bold]x[/bold]"
    assert clean("line1\nline2") == "line1\nline2"


async def test_markup_and_escapes_in_tickets_are_literal(app, console_store):
    ticket_id = _hostile_ticket(console_store)
    async with app.run_test(size=SIZE) as pilot:
        queue = app.screen.query_one(QueueTable)
        subject_cell = plain(queue.get_cell(str(ticket_id), "subject"))
        assert "[bold red]" in subject_cell and "\x1b" not in subject_cell
        await pilot.press("enter")
        assert app.screen.ticket_id == ticket_id
        text = screen_text(app)
        assert "[bold red]免费[/bold red]" in text
        assert "[link=http://evil.example]点我[/link]" in text
        assert "^[[31m" in text and "\x1b" not in text and "\x07" not in text
        assert "[blink]x[/blink]" in text


async def test_a_one_megabyte_message_does_not_freeze_the_screen(app, console_store):
    ticket_id = console_store.queue("all", limit=1)[0]["id"]
    huge = ("很长的消息" * 50 + "\n") * 4000  # about 1 MB of text
    with console_store.transaction() as conn:
        conn.execute(
            "INSERT INTO messages (ticket_id, direction, author, body, channel, created_at) VALUES (?, 'in', 'c', ?, 'chat', ?)",
            (ticket_id, huge, "2026-11-23T07:59:30Z"),
        )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        conversation = app.screen.query_one(Conversation)
        text = screen_text(app)
        assert str(len(huge)) in text  # the "first N of M characters" notice
        assert len(text) < 200_000
        await pilot.press("n")  # still responsive
        assert app.screen.ticket_id is not None and conversation.is_mounted
