"""The console's sync round escalates overdue tickets on its own, with RT unreachable, and the
agent sees a notification with the count and the ticket numbers; the queue rows update."""

from __future__ import annotations

from console_helpers import SIZE, make_app, screen_text, wait_for

from cs_console.clock import FixedClock
from cs_console.store.db import Store
from cs_console.tui.widgets.queue import QueueTable

PINNED = "2026-11-23T08:00:00Z"  # the console fixtures' clock (tests/console/conftest.py)


def _only_two_overdue(store: Store) -> tuple[int, int]:
    """Every ticket counts as escalated but two answered normal-priority ones, made 3 h and
    1 h past their 72 h resolution target at the pinned clock."""
    first, second = (
        row["id"]
        for row in store.all(
            "SELECT id FROM tickets WHERE status = 'open' AND assignee IS NULL ORDER BY id LIMIT 2"
        )
    )
    with store.transaction() as conn:
        conn.execute("UPDATE tickets SET escalated = 1")
        for ticket_id, created in (
            (first, "2026-11-20T05:00:00Z"),
            (second, "2026-11-20T07:00:00Z"),
        ):
            conn.execute(
                "UPDATE tickets SET escalated = 0, priority = 3, topic = NULL, category = 'pre-sale', "
                "created_at = ?, first_response_at = ?, paused_at = NULL, paused_seconds = 0, "
                "sla_due = '2026-11-23T00:00:00Z' WHERE id = ?",
                (created, created, ticket_id),
            )
    return first, second


async def test_sync_round_escalates_and_notifies(monkeypatch, console_store):
    first, second = _only_two_overdue(console_store)
    # the worker opens its own connection: give it the console's pinned clock
    monkeypatch.setattr("cs_console.store.db.SystemClock", lambda: FixedClock(PINNED))
    app = make_app(console_store, role="supervisor")
    app.config.rt.url = "http://127.0.0.1:9"  # nothing listens there: the round is offline
    app.config.rt.token = "unused"
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: any("升级" in str(n.message) for n in app._notifications), timeout=30
        )
        messages = [str(n.message) for n in app._notifications]
        assert f"2 张超时工单已自动升级给主管：#{first}、#{second}" in messages
        await wait_for(pilot, lambda: "离线" in screen_text(app))
        queue = app.screen.query_one(QueueTable)
        await wait_for(pilot, lambda: "↑" in str(queue.get_cell(str(first), "flags")))
    for ticket_id, minutes in ((first, 180), (second, 60)):
        ticket = console_store.ticket(ticket_id)
        assert (ticket["escalated"], ticket["assignee"]) == (1, "sup01")
        note = console_store.messages(ticket_id)[-1]
        assert (note["author"], note["body"]) == (
            "system",
            f"[escalated] SLA 已超时 {minutes} 分钟（自动升级）",
        )
    ops = console_store.all("SELECT ticket_id, state FROM outbox WHERE kind = 'escalate'")
    assert sorted((op["ticket_id"], op["state"]) for op in ops) == sorted(
        [(first, "pending"), (second, "pending")]
    )
