"""The follow-up dialog: `u` on an open ticket with a callback due records the outcome in the
store; an unhappy callback reopens the ticket."""

from __future__ import annotations

import json

from console_helpers import SIZE, make_app, plain, screen_text, wait_for
from textual.widgets import Input, Select

from cs_console.service.desk import Desk
from cs_console.service.session import sign_in
from cs_console.tui.dialogs.followup import FollowupDialog
from cs_console.tui.widgets.kb_panel import KbPanel


def _resolved_with_callback_due(store) -> int:
    """An open ticket resolved by agent01 through the desk, the clock moved past its callback."""
    ticket_id = int(
        store.scalar("SELECT id FROM tickets WHERE status = 'open' ORDER BY id LIMIT 1")
    )
    Desk(store, sign_in(store, "agent01")).set_status(ticket_id, "resolved")
    store.clock.advance(hours=73)
    return ticket_id


async def _open(pilot, app, ticket_id: int) -> None:
    panel = app.screen.query_one(KbPanel)
    await wait_for(pilot, lambda: panel.engine is not None)
    app.screen.open_ticket(ticket_id)
    await pilot.pause()


async def test_unhappy_callback_is_recorded_and_reopens_the_ticket(app, console_store):
    ticket_id = _resolved_with_callback_due(console_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, ticket_id)
        header = plain(app.screen.query_one("#ticket-header").content)
        assert "回访到期：结案回访（按 u 记录）" in header
        await pilot.press("u")
        dialog = app.screen
        assert isinstance(dialog, FollowupDialog)
        assert dialog.followup["kind"] == "after_resolution"
        dialog.query_one("#followup-satisfaction", Select).value = 2
        await pilot.pause()
        dialog.query_one("#followup-comment", Input).focus()
        await pilot.press(*"still red")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FollowupDialog)
        header = plain(app.screen.query_one("#ticket-header").content)
        assert "回访到期" not in header
    row = console_store.one(
        "SELECT outcome, satisfaction, comment, done_by, done_at FROM followups "
        "WHERE ticket_id = ? AND kind = 'after_resolution'",
        (ticket_id,),
    )
    assert row == {
        "outcome": "reached",
        "satisfaction": 2,
        "comment": "still red",
        "done_by": "agent01",
        "done_at": "2026-11-26T09:00:00Z",
    }
    ticket = console_store.ticket(ticket_id)
    assert ticket["status"] == "open" and ticket["resolved_at"] is None
    kinds = [op["kind"] for op in console_store.ops_of_ticket(ticket_id)]
    assert kinds[-4:] == ["create_reminder", "resolve_reminder", "set_status", "comment"]
    reopen = json.loads(console_store.ops_of_ticket(ticket_id)[-2]["payload"])
    assert (reopen["from"], reopen["status"]) == ("resolved", "open")
    audit = console_store.one(
        "SELECT actor, detail FROM audit_log WHERE action = 'followup_done' AND ticket_id = ?",
        (ticket_id,),
    )
    assert audit["actor"] == "agent01"
    assert json.loads(audit["detail"])["reopened"] is True


async def test_happy_callback_leaves_the_ticket_resolved_and_nothing_due(app, console_store):
    ticket_id = _resolved_with_callback_due(console_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, ticket_id)
        await pilot.press("u")
        dialog = app.screen
        assert isinstance(dialog, FollowupDialog)
        dialog.query_one("#followup-satisfaction", Select).value = 5
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FollowupDialog)
        await pilot.press("u")
        await pilot.pause()
        assert not isinstance(app.screen, FollowupDialog)
        messages = [n.message for n in app._notifications]
        assert messages[-1] == "这张工单没有到期的回访"
    assert console_store.ticket(ticket_id)["status"] == "resolved"
    assert (
        console_store.scalar(
            "SELECT satisfaction FROM followups WHERE ticket_id = ? AND kind = 'after_resolution'",
            (ticket_id,),
        )
        == 5
    )


async def test_a_refusal_shows_in_the_dialog_and_writes_nothing(app, console_store):
    ticket_id = _resolved_with_callback_due(console_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, ticket_id)
        await pilot.press("u")
        dialog = app.screen
        dialog.query_one("#followup-outcome", Select).value = "no_answer"
        dialog.query_one("#followup-satisfaction", Select).value = 4
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FollowupDialog)
        assert "未接通的顾客没有给出满意度" in plain(
            app.screen.query_one("#followup-problem").content
        )
        await pilot.press("escape")
        await pilot.pause()
    assert console_store.scalar("SELECT count(*) FROM followups WHERE done_at IS NOT NULL") == 0


async def test_the_dialog_fits_80x24_in_english(console_store):
    ticket_id = _resolved_with_callback_due(console_store)
    app = make_app(console_store, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, ticket_id)
        await pilot.press("u")
        await pilot.pause()
        text = screen_text(app)
        assert "Follow-up #" in text and "callback, due 2026-11-26 08:00" in text
        assert "Customer: " in text
        hint = app.screen.query(".rx-keys").first()
        assert hint.region.bottom <= 24 and hint.region.height >= 1
