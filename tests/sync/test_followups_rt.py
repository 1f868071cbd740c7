"""Follow-ups reach RT as reminders (tickets of Type reminder, RefersTo their ticket, Due at the
follow-up's due time), exactly once: a lost answer is reconciled by the op id, never resent; a
recorded outcome resolves the reminder; an unhappy one reopens the ticket in RT too."""

from __future__ import annotations

import pytest
from faults import FaultTransport
from test_engine import engine_for, history_check, local_of, remote_ticket

from cs_console.clock import parse_iso
from cs_console.service.desk import Agent, Desk
from cs_console.service.followups import Followups
from cs_console.sync.backends.rt import parse_rt_date

pytestmark = pytest.mark.rt

CUSTOMER = "callback.test@example.com"


def reminders_of(backend, remote_id: str) -> list[dict]:
    """The reminders RT lists on a ticket (RT's own reminder query)."""
    return list(
        backend._search_all(
            "/tickets", f"Type = 'reminder' AND RefersTo = {int(remote_id)}", "id,Status,Due"
        )
    )


def resolved_with_callback(store, admin, rt_ready, subject, transport=None):
    rid = remote_ticket(admin, subject, who=CUSTOMER)
    eng, b = engine_for(store, rt_ready, transport=transport)
    eng.sync_once()
    ticket = local_of(store, rid)
    desk = Desk(store, Agent("cs-sync", "同步"))
    desk.set_status(ticket["id"], "resolved")
    callback = Followups(desk).listing(ticket_id=ticket["id"])[0]
    return rid, ticket, desk, callback, eng, b


def test_a_callback_becomes_one_reminder_and_done_resolves_it(store, admin, rt_ready):
    rid, ticket, desk, callback, eng, b = resolved_with_callback(store, admin, rt_ready, "回访提醒")
    rep = eng.sync_once()
    assert rep.rejected == 0 and rep.uncertain == 0, store.outbox(None)
    row = Followups(desk).get(callback["id"])
    assert row["remote_id"] is not None
    got, _ = b.get_ticket(str(row["remote_id"]))
    assert got["Type"] == "reminder"
    assert parse_rt_date(got["Due"]) == parse_iso(callback["due_at"])
    refers = [h["id"] for h in got["_hyperlinks"] if h.get("ref") == "refers-to"]
    assert [str(r) for r in refers] == [rid]
    assert [str(r["id"]) for r in reminders_of(b, rid)] == [str(row["remote_id"])]
    assert b.get_ticket(rid)[0]["Status"] == "resolved"
    eng.sync_once()  # the reminder is never pulled back as a ticket of its own
    assert (
        store.scalar("SELECT count(*) FROM tickets WHERE remote_id = ?", (row["remote_id"],)) == 0
    )

    result = Followups(desk).record(callback["id"], "reached", 5, "用着很好")
    rep = eng.sync_once()
    assert store.one("SELECT state FROM outbox WHERE op_id = ?", (result.op_id,)) == {
        "state": "done"
    }
    reminder, _ = b.get_ticket(str(row["remote_id"]))
    assert reminder["Status"] == "resolved"
    notes = [m for m in b.find_by_op_id(result.op_id) if m.kind == "transaction"]
    assert len(notes) == 1 and notes[0].ticket_id == str(row["remote_id"])
    assert b.get_ticket(rid)[0]["Status"] == "resolved"  # a happy callback leaves it resolved
    assert history_check(store, b) == 3  # create_reminder, set_status, resolve_reminder
    create = store.one("SELECT op_id FROM outbox WHERE kind = 'create_reminder'")
    assert [m.kind for m in b.find_by_op_id(create["op_id"])] == ["ticket"]
    b.close()


def test_a_lost_answer_on_the_create_makes_no_second_reminder(store, admin, rt_ready):
    faults = FaultTransport(
        match=lambda req: req.method == "POST" and req.url.path.endswith("/ticket")
    )
    rid, ticket, desk, callback, eng, b = resolved_with_callback(
        store, admin, rt_ready, "回访丢失应答", transport=faults
    )
    faults.fail_next("lost")  # RT creates the reminder; its answer never arrives
    eng.sync_once()
    op = store.one(
        "SELECT * FROM outbox WHERE kind = 'create_reminder' AND ticket_id = ?", (ticket["id"],)
    )
    assert op["state"] == "uncertain" and faults.applied["lost"] == 1
    for _ in range(4):
        eng.clock.advance(seconds=eng.settle_seconds + 600)
        eng.sync_once()
        if store.op(op["seq"])["state"] == "done":
            break
    assert store.op(op["seq"])["state"] == "done"
    found = b.find_by_op_id(op["op_id"])
    assert [m.kind for m in found] == ["ticket"]
    assert len(reminders_of(b, rid)) == 1
    assert Followups(desk).get(callback["id"])["remote_id"] == int(found[0].remote_id)
    assert b.duplicate_op_ids() == {}
    b.close()


def test_an_unhappy_callback_reopens_the_ticket_in_rt(store, admin, rt_ready):
    rid, ticket, desk, callback, eng, b = resolved_with_callback(
        store, admin, rt_ready, "不满意回访"
    )
    eng.sync_once()
    result = Followups(desk).record(callback["id"], "reached", 1, "还是过敏")
    assert result.reopened
    rep = eng.sync_once()
    assert rep.rejected == 0 and rep.conflicts == 0, store.outbox(None)
    assert b.get_ticket(rid)[0]["Status"] == "open"
    reminder = Followups(desk).get(callback["id"])["remote_id"]
    assert b.get_ticket(str(reminder))[0]["Status"] == "resolved"
    assert store.outbox(["pending", "uncertain", "in_flight", "conflict", "rejected"]) == []
    b.close()


def test_a_ticketless_birthday_greeting_is_a_reminder_of_its_own(store, rt_ready):
    eng, b = engine_for(store, rt_ready)
    desk = Desk(store, Agent("cs-sync", "同步"))
    now = eng.clock.now()
    from cs_console.policy.returns import SHOP_TZ

    month = now.astimezone(SHOP_TZ).month
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO customers (id, name, tier, birthday, created_at, updated_at) "
            "VALUES ('VIPX', '钻石顾客', 'diamond', ?, '2026-01-01T00:00:00Z', "
            "'2026-01-01T00:00:00Z')",
            (f"1990-{month:02d}-01",),
        )
    store.clock = eng.clock  # the desk's time is the engine's
    (greeting,) = Followups(desk).create_birthday_greetings(force=True)
    rep = eng.sync_once()
    assert rep.rejected == 0, store.outbox(None)
    remote = Followups(desk).get(greeting)["remote_id"]
    got, _ = b.get_ticket(str(remote))
    assert got["Type"] == "reminder" and "钻石顾客" in got["Subject"]
    Followups(desk).record(greeting, "reached", 5)
    eng.sync_once()
    assert b.get_ticket(str(remote))[0]["Status"] == "resolved"
    b.close()
