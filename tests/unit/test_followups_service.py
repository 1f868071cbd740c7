"""Follow-ups through the service: created on resolution and for VIP birthdays (once), listed
by state, recorded once with audit and outbox ops, and an unhappy one reopens the ticket."""

from __future__ import annotations

import json

import pytest

from cs_console.service.desk import Agent, Desk, DeskError
from cs_console.service.followups import Followups


@pytest.fixture
def work(seeded):
    desk = Desk(seeded, Agent("agent01", "小林", "agent"))
    return desk, Followups(desk)


def _resolve_open(desk, n: int = 0) -> int:
    ids = desk.store.all("SELECT id FROM tickets WHERE status = 'open' ORDER BY id")
    ticket_id = int(ids[n]["id"])
    desk.set_status(ticket_id, "resolved")
    return ticket_id


def _callback(desk, ticket_id: int) -> int:
    return int(
        desk.store.scalar(
            "SELECT id FROM followups WHERE ticket_id = ? AND kind = 'after_resolution'",
            (ticket_id,),
        )
    )


def test_resolving_creates_a_callback_72h_later_with_its_reminder_op(work):
    desk, followups = work
    ticket_id = _resolve_open(desk)
    rows = followups.listing(ticket_id=ticket_id)
    callback = next(r for r in rows if r["kind"] == "after_resolution")
    assert callback["due_at"] == "2026-11-26T08:00:00Z"
    assert callback["state"] == "upcoming"
    ops = [op for op in desk.store.ops_of_ticket(ticket_id) if op["kind"] == "create_reminder"]
    payloads = [json.loads(op["payload"]) for op in ops]
    assert {p["followup_id"] for p in payloads} == {r["id"] for r in rows}
    assert payloads[0]["due_at"] == rows[0]["due_at"]


def test_lists_by_state_as_time_passes(work, clock):
    desk, followups = work
    first = _resolve_open(desk, 0)
    clock.advance(hours=30)
    second = _resolve_open(desk, 0)
    clock.advance(hours=42)  # first's callback due now; second's in 30 h
    assert [
        r["ticket_id"] for r in followups.listing("due") if r["kind"] == "after_resolution"
    ] == [first]
    assert followups.listing("overdue") == []
    clock.advance(hours=24, seconds=1)
    assert [r["ticket_id"] for r in followups.listing("overdue")] == [first]
    states = {
        r["ticket_id"]: r["state"] for r in followups.listing() if r["kind"] == "after_resolution"
    }
    assert states == {first: "overdue", second: "upcoming"}
    clock.advance(hours=6)
    assert {r["ticket_id"] for r in followups.listing("due")} >= {first, second}


def test_mine_holds_my_tickets_and_ticketless_greetings(work):
    desk, followups = work
    ticket_id = _resolve_open(desk)
    desk.store.conn.execute("UPDATE tickets SET assignee = 'agent02' WHERE id = ?", (ticket_id,))
    assert [r for r in followups.listing(mine=True) if r["ticket_id"] == ticket_id] == []
    desk.store.conn.execute("UPDATE tickets SET assignee = 'agent01' WHERE id = ?", (ticket_id,))
    assert {r["ticket_id"] for r in followups.listing(mine=True)} == {ticket_id}


def test_a_happy_callback_is_recorded_audited_and_queued(work, clock):
    desk, followups = work
    ticket_id = _resolve_open(desk)
    clock.advance(hours=73)
    result = followups.record(_callback(desk, ticket_id), "reached", 5, "  很好用  ")
    assert (result.unhappy, result.reopened, result.not_reopened) == (False, False, None)
    row = result.followup
    assert (row["outcome"], row["satisfaction"], row["comment"], row["done_by"]) == (
        "reached",
        5,
        "很好用",
        "agent01",
    )
    assert row["done_at"] == "2026-11-26T09:00:00Z" and row["state"] == "done"
    assert desk.ticket(ticket_id)["status"] == "resolved"
    op = desk.store.one("SELECT * FROM outbox WHERE op_id = ?", (result.op_id,))
    assert op["kind"] == "resolve_reminder" and op["ticket_id"] == ticket_id
    assert json.loads(op["payload"])["followup_id"] == row["id"]
    audit = desk.store.audit(ticket_id, 1)[0]
    assert audit["action"] == "followup_done"
    assert audit["detail"]["satisfaction"] == 5 and audit["detail"]["reopened"] is False


def test_a_second_done_is_refused_and_writes_nothing(work):
    desk, followups = work
    followup_id = _callback(desk, _resolve_open(desk))
    followups.record(followup_id, "no_answer", comment="rang twice")
    before = desk.store.scalar("SELECT count(*) FROM outbox")
    with pytest.raises(DeskError) as refused:
        followups.record(followup_id, "reached", 5)
    assert str(refused.value) == (
        f"follow-up {followup_id} was already recorded (no answer) by agent01 at "
        "2026-11-23T08:00:00Z; an outcome is recorded once"
    )
    assert desk.store.scalar("SELECT count(*) FROM outbox") == before
    assert followups.get(followup_id)["outcome"] == "no_answer"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("maybe", None, None),
            "unknown outcome 'maybe'; choose from reached, no_answer, declined",
        ),
        (("reached", 0, None), "satisfaction must be 1 to 5, not 0"),
        (("reached", 6, None), "satisfaction must be 1 to 5, not 6"),
        (
            ("no_answer", 3, None),
            "a customer who did not answer gave no satisfaction score; leave it out",
        ),
        (("reached", 4, "x" * 2001), "the comment is too long (2001 characters, at most 2000)"),
    ],
)
def test_bad_outcomes_are_refused_with_the_rule(work, args, message):
    desk, followups = work
    followup_id = _callback(desk, _resolve_open(desk))
    with pytest.raises(DeskError) as refused:
        followups.record(followup_id, *args)
    assert str(refused.value) == message
    assert followups.get(followup_id)["done_at"] is None


def test_an_unknown_follow_up_is_named(work):
    with pytest.raises(DeskError, match="^follow-up 999 does not exist$"):
        work[1].record(999, "reached", 4)


@pytest.mark.parametrize(
    ("outcome", "satisfaction", "comment"),
    [("reached", 2, "还是过敏"), ("declined", None, "产品没用，要投诉")],
)
def test_an_unhappy_callback_reopens_the_ticket_through_set_status(
    work, outcome, satisfaction, comment
):
    desk, followups = work
    ticket_id = _resolve_open(desk)
    result = followups.record(_callback(desk, ticket_id), outcome, satisfaction, comment)
    assert (result.unhappy, result.reopened) == (True, True)
    ticket = desk.ticket(ticket_id)
    assert ticket["status"] == "open" and ticket["resolved_at"] is None
    assert ticket["sla_due"] is not None  # the clock runs again
    ops = desk.store.ops_of_ticket(ticket_id)
    assert [op["kind"] for op in ops[-3:]] == ["resolve_reminder", "set_status", "comment"]
    assert json.loads(ops[-2]["payload"])["status"] == "open"
    note = desk.messages(ticket_id)[-1]
    assert note["direction"] == "note" and note["body"].endswith(comment)
    actions = [row["action"] for row in desk.store.audit(ticket_id, 3)]
    assert actions == ["followup_done", "set_status", "set_status"]


def test_a_closed_ticket_is_not_reopened_and_the_result_says_so(work):
    desk, followups = work
    ticket_id = _resolve_open(desk)
    desk.set_status(ticket_id, "closed")
    result = followups.record(_callback(desk, ticket_id), "reached", 1)
    assert (result.unhappy, result.reopened, result.not_reopened) == (True, False, "closed")
    assert desk.ticket(ticket_id)["status"] == "closed"


def _vip(store, customer_id: str, tier: str, birthday: str) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO customers (id, name, tier, birthday, created_at, updated_at) "
            "VALUES (?, 'VIP', ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            (customer_id, tier, birthday),
        )


def test_birthday_greetings_once_per_vip_per_year(work, clock):
    desk, followups = work
    with desk.store.transaction() as conn:  # the seed's own November VIPs stay out of the way
        conn.execute("UPDATE customers SET tier = 'member'")
    _vip(desk.store, "V1", "gold", "1990-11-30")
    _vip(desk.store, "V2", "diamond", "1988-11-02")
    _vip(desk.store, "V3", "silver", "1990-11-10")
    _vip(desk.store, "V4", "gold", "1990-12-10")
    created = followups.create_birthday_greetings()
    rows = {r["customer_id"]: r for r in followups.listing(customer_id=None) if r["period"]}
    assert sorted(rows) == ["V1", "V2"] and len(created) == 2
    assert rows["V1"]["due_at"] == "2026-11-29T16:00:00Z" and rows["V1"]["state"] == "upcoming"
    assert rows["V2"]["state"] == "overdue" and rows["V2"]["ticket_id"] is None
    assert followups.create_birthday_greetings() == []  # checked today already
    assert followups.create_birthday_greetings(force=True) == []  # the period is unique
    ops = desk.store.all("SELECT payload FROM outbox WHERE kind = 'create_reminder'")
    assert sorted(json.loads(op["payload"])["customer_id"] for op in ops) == ["V1", "V2"]
    clock.set("2027-11-05T00:00:00Z")
    assert len(followups.create_birthday_greetings()) == 2  # next year: again
    assert followups.listing("all", customer_id="V1")[1]["period"] == "2027"


def test_a_greeting_is_due_on_any_ticket_of_its_customer(work, clock):
    desk, followups = work
    ticket = desk.store.one("SELECT id, customer_id FROM tickets ORDER BY id LIMIT 1")
    with desk.store.transaction() as conn:
        conn.execute("UPDATE customers SET tier = 'member'")
        conn.execute(
            "UPDATE customers SET tier = 'gold', birthday = '1990-11-20' WHERE id = ?",
            (ticket["customer_id"],),
        )
    (greeting,) = followups.create_birthday_greetings()
    due = followups.due_on_ticket(ticket["id"])
    assert [(r["id"], r["kind"], r["state"]) for r in due] == [
        (greeting, "birthday_greeting", "overdue")
    ]
    result = followups.record(greeting, "reached", 5)
    assert result.reopened is False and followups.due_on_ticket(ticket["id"]) == []
    op = desk.store.one("SELECT * FROM outbox WHERE op_id = ?", (result.op_id,))
    assert op["ticket_id"] is None


def test_resolve_reopen_resolve_keeps_one_callback_and_one_reminder_op(work, clock):
    desk, followups = work
    ticket_id = _resolve_open(desk)
    first = _callback(desk, ticket_id)
    clock.advance(hours=2)
    desk.set_status(ticket_id, "open")
    clock.advance(hours=2)
    desk.set_status(ticket_id, "resolved")
    assert [
        r["id"] for r in followups.listing(ticket_id=ticket_id) if r["kind"] == "after_resolution"
    ] == [first]
    creates = [
        json.loads(op["payload"])["followup_id"]
        for op in desk.store.ops_of_ticket(ticket_id)
        if op["kind"] == "create_reminder"
        and json.loads(op["payload"])["kind"] == "after_resolution"
    ]
    assert creates == [first]


def test_a_callback_on_an_rt_ticket_carries_the_op_id_every_console_derives(work):
    """Two caches resolving the same RT ticket queue the callback's reminder under one op id
    (found in RT by the second, see tests/sync/test_two_consoles_rt.py); a ticket RT does not
    know yet gets an op id of its own."""
    from cs_console.sync.planning import shared_op_id

    desk, _ = work
    ids = [
        int(r["id"])
        for r in desk.store.all("SELECT id FROM tickets WHERE status = 'open' ORDER BY id LIMIT 2")
    ]
    with desk.store.transaction() as conn:
        conn.execute("UPDATE tickets SET remote_id = 4242 WHERE id = ?", (ids[0],))
        conn.execute("UPDATE tickets SET remote_id = NULL WHERE id = ?", (ids[1],))
    for ticket_id in ids:
        desk.set_status(ticket_id, "resolved")

    def reminder_op(ticket_id):
        return next(
            op["op_id"]
            for op in desk.store.ops_of_ticket(ticket_id)
            if op["kind"] == "create_reminder"
            and json.loads(op["payload"])["kind"] == "after_resolution"
        )

    assert reminder_op(ids[0]) == shared_op_id("create_reminder:after_resolution", 4242)
    assert reminder_op(ids[0]) == "be9d9225-08d2-5c54-ae7e-d9e9175a94c5"  # stable across versions
    assert reminder_op(ids[1]) != shared_op_id("create_reminder:after_resolution", 4242)
