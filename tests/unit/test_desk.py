import json

import pytest

from cs_console.service.desk import Agent, Desk, DeskError, mask_phone
from cs_console.store.db import Store


def _open_ticket(desk, **where):
    clause = " AND ".join(f"{k} = ?" for k in where) or "1"
    return desk.store.scalar(
        f"SELECT id FROM tickets WHERE status = 'open' AND {clause} ORDER BY id LIMIT 1",
        tuple(where.values()),
    )


def _counts(store):
    return (
        store.scalar("SELECT count(*) FROM messages"),
        store.scalar("SELECT count(*) FROM outbox"),
        store.scalar("SELECT count(*) FROM audit_log"),
    )


def test_reply_writes_message_outbox_and_audit_together(desk):
    ticket_id = _open_ticket(desk)
    before = _counts(desk.store)
    message_id = desk.reply(ticket_id, "您好,已为您查询。")
    assert _counts(desk.store) == (before[0] + 1, before[1] + 1, before[2] + 1)
    op = desk.store.one("SELECT * FROM outbox ORDER BY seq DESC LIMIT 1")
    assert op["kind"] == "reply" and op["state"] == "pending" and op["ticket_id"] == ticket_id
    assert len(op["op_id"]) == 36
    payload = json.loads(op["payload"])
    assert payload["body"] == "您好,已为您查询。" and payload["message_id"] == message_id
    assert (
        desk.store.one("SELECT op_id FROM messages WHERE id = ?", (message_id,))["op_id"]
        == op["op_id"]
    )
    audit = desk.store.audit(ticket_id)[0]
    assert audit["action"] == "reply" and audit["actor"] == "agent01"


def test_first_reply_stops_first_response_clock(desk):
    ticket_id = desk.store.scalar(
        "SELECT id FROM tickets WHERE status='open' AND first_response_at IS NULL LIMIT 1"
    )
    assert desk.clock(desk.ticket(ticket_id)).kind == "first_response"
    desk.reply(ticket_id, "在的")
    ticket = desk.ticket(ticket_id)
    assert ticket["first_response_at"] == desk.store.now_iso()
    assert desk.clock(ticket).kind == "resolution"
    assert ticket["sla_due"] == desk.ticket(ticket_id)["sla_due"]


@pytest.mark.parametrize("body", ["", "   \n\t"])
def test_empty_reply_is_refused_and_nothing_written(desk, body):
    ticket_id = _open_ticket(desk)
    before = _counts(desk.store)
    with pytest.raises(DeskError, match="empty"):
        desk.reply(ticket_id, body)
    assert _counts(desk.store) == before


def test_reply_to_closed_or_unknown_ticket_is_refused(desk):
    closed = desk.store.scalar("SELECT id FROM tickets WHERE status='closed' LIMIT 1")
    before = _counts(desk.store)
    with pytest.raises(DeskError, match="closed"):
        desk.reply(closed, "hello")
    with pytest.raises(DeskError, match="does not exist"):
        desk.reply(999999, "hello")
    with pytest.raises(DeskError, match="does not exist"):
        desk.note(999999, "hello")
    assert _counts(desk.store) == before


def test_note_is_internal(desk):
    ticket_id = _open_ticket(desk)
    message_id = desk.note(ticket_id, "客户上次也反映过")
    assert (
        desk.store.one("SELECT direction FROM messages WHERE id = ?", (message_id,))["direction"]
        == "note"
    )
    assert desk.store.one("SELECT kind FROM outbox ORDER BY seq DESC LIMIT 1")["kind"] == "comment"
    assert desk.ticket(ticket_id)["first_response_at"] == desk.store.scalar(
        "SELECT first_response_at FROM tickets WHERE id=?", (ticket_id,)
    )


def test_pending_pauses_and_resolved_stops_the_clock(desk, clock):
    ticket_id = _open_ticket(desk)
    desk.reply(ticket_id, "请提供订单号")
    remaining_before = desk.clock(desk.ticket(ticket_id)).remaining_seconds
    desk.set_status(ticket_id, "pending")
    clock.advance(hours=5)
    paused = desk.clock(desk.ticket(ticket_id))
    assert paused.state == "paused" and paused.remaining_seconds == remaining_before
    desk.receive(ticket_id, "订单号是 SO123")
    ticket = desk.ticket(ticket_id)
    assert ticket["status"] == "open" and ticket["paused_seconds"] == 5 * 3600
    assert desk.clock(ticket).remaining_seconds == remaining_before
    desk.set_status(ticket_id, "resolved")
    clock.advance(days=30)
    stopped = desk.clock(desk.ticket(ticket_id))
    assert stopped.state == "stopped" and stopped.remaining_seconds is None
    assert desk.ticket(ticket_id)["sla_due"] is None
    kinds = {
        r["kind"]
        for r in desk.store.all("SELECT kind FROM followups WHERE ticket_id = ?", (ticket_id,))
    }
    assert "after_resolution" in kinds


def test_invalid_status_and_priority_write_nothing(desk):
    ticket_id = _open_ticket(desk)
    before = _counts(desk.store)
    with pytest.raises(DeskError, match="unknown status"):
        desk.set_status(ticket_id, "done")
    with pytest.raises(DeskError, match="priority"):
        desk.set_priority(ticket_id, 9)
    with pytest.raises(DeskError, match="does not exist"):
        desk.assign(ticket_id, "ghost")
    assert _counts(desk.store) == before


def test_priority_and_assign_write_outbox(desk):
    ticket_id = _open_ticket(desk)
    desk.set_priority(ticket_id, 1)
    desk.assign(ticket_id, "agent02")
    ticket = desk.ticket(ticket_id)
    assert ticket["priority"] == 1 and ticket["assignee"] == "agent02"
    kinds = [
        r["kind"]
        for r in desk.store.all(
            "SELECT kind FROM outbox WHERE ticket_id = ? ORDER BY seq", (ticket_id,)
        )
    ]
    assert kinds == ["set_priority", "assign"]


def test_take_next_takes_the_head_of_the_unassigned_queue(desk):
    head = desk.store.queue("unassigned", limit=1)[0]["id"]
    assert desk.take_next() == head
    assert desk.ticket(head)["assignee"] == "agent01"
    assert desk.take_next() != head


def test_take_next_on_empty_queue(store):
    assert Desk(store, Agent("a", "A")).take_next() is None


def test_escalate_goes_to_a_supervisor_with_reason(desk):
    ticket_id = _open_ticket(desk)
    with pytest.raises(DeskError, match="reason"):
        desk.escalate(ticket_id, " ")
    desk.escalate(ticket_id, "客户要求主管处理")
    ticket = desk.ticket(ticket_id)
    assert ticket["escalated"] == 1 and ticket["assignee"] == "sup01" and ticket["priority"] <= 2
    assert desk.store.one("SELECT kind FROM outbox ORDER BY seq DESC LIMIT 1")["kind"] == "escalate"
    with pytest.raises(DeskError, match="already escalated"):
        desk.escalate(ticket_id, "again")


def test_auto_escalation_of_tickets_past_resolution_target(desk, clock):
    # the newest open ticket: well inside its resolution target at the pinned clock
    ticket_id = desk.store.scalar(
        "SELECT id FROM tickets WHERE status = 'open' ORDER BY created_at DESC LIMIT 1"
    )
    desk.reply(ticket_id, "处理中")
    assert ticket_id not in desk.auto_escalate()
    clock.advance(days=6)
    escalated = desk.auto_escalate()
    assert ticket_id in escalated
    audit = desk.store.audit(ticket_id)[0]
    assert audit["action"] == "escalate" and audit["actor"] == "system"


def test_receive_triages_allergy_and_anger(desk):
    ticket_id = _open_ticket(desk)
    result = desk.receive(ticket_id, "用了你们的精华脸上红肿刺痛,我要投诉!")
    ticket = desk.ticket(ticket_id)
    assert result.allergy and ticket["allergy"] == 1
    assert "allergy" in ticket["tags"] and "angry" in ticket["tags"]
    assert ticket["sentiment"] == "angry" and ticket["priority"] <= 2


def test_reveal_phone_is_audited_and_view_masks_it(desk):
    ticket_id = _open_ticket(desk)
    view = desk.ticket_view(ticket_id)
    customer = view["customer"]
    assert "phone" not in customer and "****" in customer["phone_masked"]
    phone = desk.reveal_phone(customer["id"])
    assert phone[:3] == customer["phone_masked"][:3] and phone[-4:] == customer["phone_masked"][-4:]
    assert desk.store.audit()[0]["action"] == "reveal_phone"


def test_mask_phone():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""
    assert mask_phone("12345") == "*****"


def test_trainee_role_is_checked():
    with pytest.raises(ValueError, match="unknown role"):
        Agent("x", "X", "boss")


def test_a_pulled_message_longer_than_the_cache_keeps_is_cut_not_refused():
    from cs_console.service.desk import MAX_MESSAGE_CHARS
    from cs_console.service.inbound import Inbound
    from cs_console.sync.backends.base import RemoteMessage

    with Store.open(":memory:") as store:
        desk = Desk(store, Agent("cs-sync", "同步"))
        ticket_id = store.insert_ticket(
            {
                "subject": "long",
                "channel": "email",
                "category": "general",
                "priority": 3,
                "status": "open",
                "created_at": store.now_iso(),
                "updated_at": store.now_iso(),
                "tags": [],
            }
        )
        huge = "脸上起红疹了。" * (MAX_MESSAGE_CHARS // 4)
        message = RemoteMessage("901", "77", "correspond", "c@example.com", store.now_iso(), huge)
        Inbound(desk).remote_message(ticket_id, message, "in")
        body = store.messages(ticket_id)[-1]["body"]
        assert len(body) <= MAX_MESSAGE_CHARS and body.endswith("(truncated)")
        assert store.ticket(ticket_id)["allergy"] == 1
