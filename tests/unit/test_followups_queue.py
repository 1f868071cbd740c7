"""The "followups" queue filter: tickets with a follow-up due now, whatever their status, with
a true count; a recorded follow-up leaves it."""

from __future__ import annotations

from cs_console.service.desk import Agent, Desk
from cs_console.service.followups import Followups


def test_the_filter_holds_tickets_whose_follow_up_is_due(seeded, clock):
    desk = Desk(seeded, Agent("agent01", "小林", "agent"))
    opened = [
        r["id"] for r in seeded.all("SELECT id FROM tickets WHERE status = 'open' ORDER BY id")
    ]
    first, second, third = opened[:3]
    desk.set_status(first, "resolved")
    desk.set_status(second, "resolved")
    clock.advance(hours=10)
    desk.set_status(third, "resolved")
    assert desk.queue("followups") == [] and desk.queue_count("followups") == 0
    clock.advance(hours=62)  # first and second due; third in 10 h
    rows = desk.queue("followups")
    assert {r["id"] for r in rows} == {first, second}
    assert {r["status"] for r in rows} == {"resolved"}
    assert desk.queue_count("followups") == 2
    assert desk.queues.belongs("followups", desk.queue_row(first))
    assert not desk.queues.belongs("followups", desk.queue_row(third))
    callback = Followups(desk).listing("due", ticket_id=first)[0]
    Followups(desk).record(callback["id"], "reached", 4)
    assert [r["id"] for r in desk.queue("followups")] == [second]
    assert desk.queue_count("followups") == 1
    assert not desk.queues.belongs("followups", desk.queue_row(first))
    page = desk.queues.page("followups", limit=1)
    assert [r["id"] for r in page.rows] == [second] and not page.more


def test_agents_may_use_it_and_search_narrows_it(seeded, clock):
    desk = Desk(seeded, Agent("agent01", "小林", "agent"))
    ticket_id = seeded.scalar("SELECT id FROM tickets WHERE status = 'open' ORDER BY id LIMIT 1")
    desk.set_status(ticket_id, "resolved")
    clock.advance(hours=72)
    assert "followups" in [f.name for f in desk.queues.filters()]
    subject = desk.ticket(ticket_id)["subject"]
    assert desk.queues.search_count("followups", subject[:3]) == 1
    assert desk.queues.search_count("followups", "no such words here") == 0
