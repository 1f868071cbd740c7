"""Ops that need the agent: shown with the backend's message; a conflict is the agent's call."""

from __future__ import annotations

from console_helpers import SIZE, plain, wait_for

from cs_console.tui.dialogs.sync_issues import SyncIssuesDialog


def _mark(store, state, error):
    seq = store.scalar("SELECT max(seq) FROM outbox")
    with store.transaction() as conn:
        conn.execute(
            "UPDATE outbox SET state = ?, last_error = ? WHERE seq = ?", (state, error, seq)
        )
    return seq


async def test_rejected_and_conflicting_ops_are_listed_and_a_conflict_can_be_dropped(
    app, console_store
):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        desk = app.screen.desk
        desk.reply(app.screen.ticket_id, "第一条")
        rejected = _mark(console_store, "rejected", "Permission Denied")
        desk.set_priority(app.screen.ticket_id, 1)
        conflict = _mark(console_store, "conflict", "412 Precondition Failed: changed in RT")
        app.screen.query_one("#topbar").refresh_status()
        await pilot.pause()
        await pilot.press("s")
        dialog = app.screen
        assert isinstance(dialog, SyncIssuesDialog)
        table = dialog.query_one("#issues")
        rows = [
            " ".join(plain(c).strip() for c in table.get_row(str(seq)))
            for seq in (rejected, conflict)
        ]
        assert "Permission Denied" in rows[0] and "被拒绝" in rows[0]
        assert "412" in rows[1] and "冲突" in rows[1]
        table.move_cursor(row=table.get_row_index(str(conflict)))
        await pilot.press("d")  # take theirs: no backend needed (decided in a worker)
        await wait_for(
            pilot,
            lambda: (
                console_store.one("SELECT state FROM outbox WHERE seq = ?", (conflict,))["state"]
                == "rejected"
            ),
        )
        assert console_store.audit()[0]["action"] == "sync_conflict"
        assert (
            console_store.one("SELECT state FROM outbox WHERE seq = ?", (rejected,))["state"]
            == "rejected"
        )
