"""An escalation of a ticket RT knows is queued under the op id every console derives from the
RT ticket number (stable across versions: consoles of two versions must agree), so the second
console's op is recognised in RT (tests/sync/test_two_consoles_rt.py); a ticket RT does not
know yet is this console's alone and gets a random op id."""

from __future__ import annotations

import json

from cs_console.service.desk import SYSTEM_ACTOR, Agent, Desk
from cs_console.sync.planning import is_shared


def _escalate_op(desk: Desk, ticket_id: int) -> dict:
    [op] = [o for o in desk.store.ops_of_ticket(ticket_id) if o["kind"] == "escalate"]
    return op


def test_escalating_an_rt_ticket_uses_the_shared_op_id(seeded):
    desk = Desk(seeded, Agent("agent01", "小林", "agent"))
    ids = [
        int(r["id"])
        for r in seeded.all(
            "SELECT id FROM tickets WHERE status = 'open' AND escalated = 0 ORDER BY id LIMIT 2"
        )
    ]
    with seeded.transaction() as conn:
        conn.execute("UPDATE tickets SET remote_id = 4242 WHERE id = ?", (ids[0],))
        conn.execute("UPDATE tickets SET remote_id = NULL WHERE id = ?", (ids[1],))
    for ticket_id in ids:
        desk.escalate(ticket_id, "SLA 已超时 5 分钟（自动升级）", actor=SYSTEM_ACTOR)

    shared, own = _escalate_op(desk, ids[0]), _escalate_op(desk, ids[1])
    assert shared["op_id"] == "681652ab-ef8c-520e-b79a-5e7709caa97e"
    assert is_shared(shared, seeded.ticket(ids[0]))
    assert json.loads(shared["payload"])["reason"] == "SLA 已超时 5 分钟（自动升级）"
    assert own["op_id"] != shared["op_id"] and not is_shared(own, seeded.ticket(ids[1]))
    # the note carries the op id too: the other console's comment, pulled, links to it
    [note] = [m for m in seeded.messages(ids[0]) if m["body"].startswith("[escalated]")]
    assert note["op_id"] == shared["op_id"]
