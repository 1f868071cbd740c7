"""A customer's message typed into RT reaches the queue through the service layer: triaged
(allergy flag, priority raised) and a paused SLA clock restarted, exactly as Desk.receive."""

from __future__ import annotations

from test_engine import engine_for, local_of, remote_ticket

from cs_console.service.desk import Agent, Desk

CUSTOMER = "xu.qing@example.com"


def test_customer_message_pulled_from_rt_is_triaged_and_resumes_the_clock(
    store, admin, rt_ready, rt_server
):
    rid = remote_ticket(admin, "精华液咨询", body="请问这款精华液适合油皮吗?", who=CUSTOMER)
    eng, backend = engine_for(store, rt_ready)
    assert not eng.sync_once().errors
    ticket = local_of(store, rid)
    assert ticket["allergy"] == 0 and ticket["priority"] == 3

    desk = Desk(store, Agent("cs-sync", "同步"))
    desk.set_status(ticket["id"], "pending")  # waiting on the customer: the clock pauses
    assert not eng.sync_once().errors
    paused = store.ticket(ticket["id"])
    assert paused["status"] == "pending" and paused["paused_at"]
    assert desk.clock(paused).state == "paused"

    rt_server.customer_reply(rid, CUSTOMER, "用了两天脸上起红疹了,又痒又疼,怎么办?")
    report = eng.sync_once()
    assert not report.errors, report.errors

    after = store.ticket(ticket["id"])
    assert after["allergy"] == 1 and "allergy" in after["tags"]
    assert after["priority"] <= 2  # an allergy is at least high
    assert after["status"] == "open" and after["paused_at"] is None
    assert desk.clock(after).state != "paused"  # the clock runs again
    incoming = [m for m in store.messages(ticket["id"]) if m["direction"] == "in"]
    assert incoming[-1]["body"].startswith("用了两天脸上起红疹了")
    assert incoming[-1]["remote_id"] is not None
    audit = [row["action"] for row in store.audit(ticket["id"])]
    assert "receive" in audit

    again = eng.sync_once()  # pulled once: the next round adds nothing
    assert len([m for m in store.messages(ticket["id"]) if m["direction"] == "in"]) == len(incoming)
    assert not again.errors
    backend.close()
