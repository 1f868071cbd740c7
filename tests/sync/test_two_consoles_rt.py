"""Two consoles (two caches) on one real RT make a once-per-ticket change once: an overdue
ticket both escalate within one round gets one escalation, and a complaint resolved on both
gets one 72-hour callback. Both queue the change under the same op id
(``planning.shared_op_id``); the second finds the first's in RT by it and sends nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from engines import SYNC_AGENT, join_at_now
from test_engine import local_of, remote_ticket
from test_followups_rt import reminders_of

from cs_console.clock import FixedClock
from cs_console.service.desk import Desk
from cs_console.service.escalation import AutoEscalation
from cs_console.service.followups import Followups
from cs_console.service.sync import SyncService
from cs_console.store.db import Store
from cs_console.sync.backends.rt import RTBackend

pytestmark = pytest.mark.rt


@pytest.fixture
def consoles(tmp_path, rt_ready):
    """Two consoles' caches and sync services on one RT, on one clock."""
    clock = FixedClock(datetime.now(UTC))
    opened = []
    for name in ("a", "b"):
        store = Store.open(tmp_path / f"{name}.db", clock)
        backend = RTBackend(rt_ready["url"], token=rt_ready["token"], timeout=10)
        join_at_now(store, backend)
        opened.append((store, backend, SyncService(Desk(store, SYNC_AGENT), backend)))
    yield clock, opened
    for store, backend, _ in opened:
        backend.close()
        store.close()


def _escalation_comments(backend: RTBackend, rid: str) -> list[str]:
    return [
        str(tx["id"])
        for tx in backend._search_all(
            "/transactions",
            f"ObjectType = 'RT::Ticket' AND ObjectId = {int(rid)} AND Type = 'Comment'",
            "id",
        )
    ]


def test_two_consoles_escalate_an_overdue_ticket_once(consoles, admin):
    clock, [(a_store, a_rt, a), (b_store, b_rt, b)] = consoles
    rid = remote_ticket(admin, "两台控制台:面霜过敏", body="用了面霜脸上发红,一直没人回。")
    for console in (a, b):
        assert console.round().escalated == []  # both pull it, not late yet
    clock.advance(days=6)
    # within one round: each console escalates before it has seen the other's escalation
    a_done = AutoEscalation(a.desk).run()
    b_done = AutoEscalation(b.desk).run()
    a_id, b_id = local_of(a_store, rid)["id"], local_of(b_store, rid)["id"]
    assert a_id in [i.ticket_id for i in a_done] and b_id in [i.ticket_id for i in b_done]
    escalations = "SELECT * FROM outbox WHERE kind = 'escalate' AND ticket_id = ?"
    [a_op], [b_op] = a_store.all(escalations, (a_id,)), b_store.all(escalations, (b_id,))
    assert a_op["op_id"] == b_op["op_id"]

    assert not a.round().report.errors
    comments_after_a = _escalation_comments(admin, rid)
    b_round = b.round()
    assert not b_round.report.errors, b_round.report.errors
    assert b_store.op(b_op["seq"])["state"] == "done"
    assert _escalation_comments(admin, rid) == comments_after_a  # B sent nothing
    [match] = admin.find_by_op_id(a_op["op_id"])
    assert match.kind == "transaction"
    assert admin.find_by_op_id(b_op["op_id"]) == [match]
    # B's own note is A's, once: linked to A's comment by the op id, not pulled a second time
    b.round()
    ticket = local_of(b_store, rid)
    notes = [m for m in b_store.messages(ticket["id"]) if m["body"].startswith("[escalated]")]
    assert [m["remote_id"] for m in notes] == [int(match.remote_id)]


def test_a_complaint_resolved_on_two_consoles_gets_one_callback(consoles, admin):
    clock, [(a_store, a_rt, a), (b_store, b_rt, b)] = consoles
    rid = remote_ticket(admin, "两台控制台:投诉回访", body="快递把礼盒压坏了,我要投诉。")
    for console in (a, b):
        assert not console.round().report.errors
    a_ticket, b_ticket = local_of(a_store, rid), local_of(b_store, rid)
    # both agents resolve it before either console has seen the other's resolution
    a.desk.set_status(a_ticket["id"], "resolved")
    b.desk.set_status(b_ticket["id"], "resolved")
    [a_cb] = Followups(a.desk).listing(ticket_id=a_ticket["id"])
    [b_cb] = Followups(b.desk).listing(ticket_id=b_ticket["id"])
    assert (a_cb["kind"], b_cb["kind"]) == ("after_resolution", "after_resolution")

    assert not a.round().report.errors
    [reminder] = reminders_of(admin, rid)
    b_round = b.round()
    assert not b_round.report.errors, b_round.report.errors
    assert [r["id"] for r in reminders_of(admin, rid)] == [reminder["id"]]
    # B's callback is RT's one reminder: done there, it resolves that reminder
    assert Followups(b.desk).get(b_cb["id"])["remote_id"] == int(reminder["id"])
    [b_create] = b_store.all(
        "SELECT * FROM outbox WHERE kind = 'create_reminder' AND ticket_id = ?", (b_ticket["id"],)
    )
    assert b_create["state"] == "done"
    assert [m.remote_id for m in admin.find_by_op_id(b_create["op_id"])] == [str(reminder["id"])]


def test_resolve_reopen_resolve_schedules_one_callback(consoles, admin):
    clock, [(a_store, a_rt, a), _] = consoles
    rid = remote_ticket(admin, "回访只一次:重开再解决", body="面膜过期了,要退货。")
    assert not a.round().report.errors
    ticket = local_of(a_store, rid)
    a.desk.set_status(ticket["id"], "resolved")
    assert not a.round().report.errors
    clock.advance(hours=1)
    a.desk.set_status(ticket["id"], "open")  # the customer writes back
    clock.advance(hours=1)
    a.desk.set_status(ticket["id"], "resolved")
    assert not a.round().report.errors
    assert len(Followups(a.desk).listing(ticket_id=ticket["id"])) == 1
    assert len(reminders_of(admin, rid)) == 1
    creates = a_store.all(
        "SELECT state FROM outbox WHERE kind = 'create_reminder' AND ticket_id = ?", (ticket["id"],)
    )
    assert [op["state"] for op in creates] == ["done"]
