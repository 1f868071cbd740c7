"""On the demo cache (no RT URL) the console's periodic round still escalates overdue tickets
on its own: the supervisor sees the notification arrive and the queue rows flagged, the ops
wait in the outbox (nothing to push them to) and the header never says offline."""

from __future__ import annotations

from console_helpers import AGENT_FOR_ROLE, SIZE, screen_text, wait_for
from test_auto_escalation import PINNED, _only_two_overdue

from cs_console.clock import FixedClock
from cs_console.config import Config
from cs_console.service.desk import Desk
from cs_console.service.session import sign_in
from cs_console.tui.app import ConsoleApp
from cs_console.tui.widgets.queue import QueueTable


def _demo_app(store):
    agent_id = AGENT_FOR_ROLE["supervisor"]
    config = Config(db=store.path, lang="zh-Hans", agent_id=agent_id)
    return ConsoleApp(Desk(store, sign_in(store, agent_id)), config, demo=True)


async def test_the_demo_console_escalates_overdue_tickets_on_its_own(monkeypatch, console_store):
    first, second = _only_two_overdue(console_store)
    monkeypatch.setattr("cs_console.store.db.SystemClock", lambda: FixedClock(PINNED))
    app = _demo_app(console_store)
    assert app.config.rt.url is None
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: any("升级" in str(n.message) for n in app._notifications), timeout=30
        )
        messages = [str(n.message) for n in app._notifications]
        assert f"2 张超时工单已自动升级给主管：#{first}、#{second}" in messages
        queue = app.screen.query_one(QueueTable)
        await wait_for(pilot, lambda: "↑" in str(queue.get_cell(str(first), "flags")))
        assert "↑" in str(queue.get_cell(str(second), "flags"))
        assert "离线" not in screen_text(app)
    assert console_store.sync_value("online") is None
    for ticket_id in (first, second):
        assert (
            console_store.ticket(ticket_id)["escalated"],
            console_store.ticket(ticket_id)["assignee"],
        ) == (1, "sup01")
    ops = console_store.all("SELECT ticket_id, state FROM outbox WHERE kind = 'escalate'")
    assert sorted((op["ticket_id"], op["state"]) for op in ops) == [
        (first, "pending"),
        (second, "pending"),
    ]
