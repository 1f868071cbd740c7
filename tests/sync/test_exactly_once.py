"""Issue 15's findings, each against a real RT: the duplicate and loss paths closed.

1 a crash with a write on its way settles before it is reconciled; 2 "keep mine" on a two-step
op resends only the missing step; 3 a faulted ETag read is no conflict, and a change to another
field merges; 4 a failed attachments read loses no message; 8 messages arrive while pushes fail;
9 a supervisor's decision leaves the support ticket's version alone.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from faults import FaultTransport
from test_engine import engine_for, local_of, remote_ticket

from cs_console.service.desk import Agent, Desk
from cs_console.sync.backends.base import FieldChange, Message

pytestmark = pytest.mark.rt

CUSTOMER = "he.lan@example.com"


def desk(store) -> Desk:
    return Desk(store, Agent("cs-sync", "同步"))


def transactions_with_op(backend, op_id: str) -> int:
    return len([m for m in backend.find_by_op_id(op_id) if m.kind == "transaction"])


def test_a_crash_with_the_write_on_its_way_settles_before_it_is_reconciled(store, admin, rt_ready):
    rid = remote_ticket(admin, "慢请求崩溃", who=CUSTOMER)
    eng, b = engine_for(store, rt_ready)
    eng.sync_once()
    ticket = local_of(store, rid)
    desk(store).reply(ticket["id"], "您好,已为您登记。")
    op = store.outbox(["pending"])[0]
    # the process marked the op in flight, sent the request and died; the request is slow
    eng.outbox.mark_in_flight(dict(op), eng.now() + timedelta(seconds=eng.settle_seconds))

    restarted, b2 = engine_for(store, rt_ready, clock=eng.clock)
    rep = restarted.sync_once()
    assert rep.pushed == 0 and store.op(op["seq"])["state"] == "in_flight"
    assert transactions_with_op(b2, op["op_id"]) == 0  # not resent while it may still land

    # ... and now the slow request lands in RT
    late = b2.reply(Message(op_id=op["op_id"], ticket_id=rid, content="您好,已为您登记。"))
    assert late.ok
    eng.clock.advance(seconds=restarted.settle_seconds + 1)
    rep = restarted.sync_once()
    assert rep.pushed == 1 and store.op(op["seq"])["state"] == "done"
    assert transactions_with_op(b2, op["op_id"]) == 1
    b.close()
    b2.close()


def test_keep_mine_on_an_escalation_sends_the_comment_once(store, admin, rt_ready):
    rid = remote_ticket(admin, "升级冲突", who=CUSTOMER)
    eng, b = engine_for(store, rt_ready)
    eng.sync_once()
    ticket = local_of(store, rid)
    desk(store).escalate(ticket["id"], "顾客要求主管处理")
    # another agent changes the priority meanwhile: the escalation's field step is a conflict
    assert admin.set_fields(FieldChange("x", rid, {"Priority": 10}), None).ok
    rep = eng.sync_once()
    assert rep.conflicts == 1
    op = store.outbox(["conflict"])[0]
    assert transactions_with_op(b, op["op_id"]) == 1  # the comment step is in RT

    eng.resolve_conflict(int(op["seq"]), keep_mine=True)
    rep = eng.sync_once()
    assert rep.conflicts == 0 and store.op(op["seq"])["state"] == "done"
    assert transactions_with_op(b, op["op_id"]) == 1  # not sent again
    assert int(b.get_ticket(rid)[0]["Priority"]) != 10  # ours, over theirs, as decided
    b.close()


def test_a_faulted_etag_read_is_no_conflict(store, admin, rt_ready):
    rid = remote_ticket(admin, "读取失败", who=CUSTOMER)
    faults = FaultTransport(
        match=lambda req: req.method == "GET" and req.url.path.endswith(f"/ticket/{rid}")
    )
    eng, b = engine_for(store, rt_ready, transport=faults)
    eng.sync_once()
    ticket = local_of(store, rid)
    desk(store).escalate(ticket["id"], "需要主管")  # its comment step moves the ETag: a 412
    faults.fail_next("500", "reset", "500", "500", "500", "500")
    rep = eng.sync_once()
    assert rep.conflicts == 0, store.outbox(None)
    for _ in range(5):
        if store.outbox(["done"]) and not store.outbox(["uncertain", "pending", "in_flight"]):
            break
        eng.clock.advance(seconds=600)
        rep = eng.sync_once()
        assert rep.conflicts == 0
    op = store.outbox(["done"])[-1]
    assert op["kind"] == "escalate" and transactions_with_op(b, op["op_id"]) == 1
    b.close()


def test_a_customer_message_after_an_op_was_queued_does_not_block_the_ticket(
    store, admin, rt_ready, rt_server
):
    rid = remote_ticket(admin, "顾客追问", who=CUSTOMER)
    eng, b = engine_for(store, rt_ready)
    eng.sync_once()
    ticket = local_of(store, rid)
    desk(store).set_status(ticket["id"], "pending")
    desk(store).set_priority(ticket["id"], 2)
    rt_server.customer_reply(rid, CUSTOMER, "请问什么时候能处理好?")
    rep = eng.sync_once()
    assert rep.conflicts == 0 and rep.pushed == 2, store.outbox(None)
    assert b.get_ticket(rid)[0]["Status"] == "stalled"
    b.close()


def test_a_failed_attachments_read_loses_no_message(store, admin, rt_ready, rt_server):
    rid = remote_ticket(admin, "附件读取失败", who=CUSTOMER)
    faults = FaultTransport(match=lambda req: req.url.path.endswith("/attachments"))
    eng, b = engine_for(store, rt_ready, transport=faults)
    eng.sync_once()
    ticket = local_of(store, rid)
    rt_server.customer_reply(rid, CUSTOMER, "第二条消息:不要丢")
    faults.fail_next("500", "500")  # the batch search, then the message read on its own
    rep = eng.sync_once()
    assert any("read again next round" in e for e in rep.errors), rep.errors
    rep = eng.sync_once()
    bodies = [m["body"] for m in store.messages(ticket["id"])]
    assert sum("第二条消息:不要丢" in body for body in bodies) == 1, bodies
    b.close()


def test_messages_arrive_while_pushes_fail(store, admin, rt_ready, rt_server):
    rid = remote_ticket(admin, "推送失败也要收消息", who=CUSTOMER)
    faults = FaultTransport()  # writes only
    eng, b = engine_for(store, rt_ready, transport=faults)
    eng.sync_once()
    ticket = local_of(store, rid)
    desk(store).reply(ticket["id"], "收到,马上处理")
    rt_server.customer_reply(rid, CUSTOMER, "还在吗?急!")
    faults.fail_next("reset")
    rep = eng.sync_once()
    assert not rep.offline  # one reset during a push is not "offline" when RT answers reads
    assert store.outbox(["pending"])  # the reply waits
    bodies = [m["body"] for m in store.messages(ticket["id"])]
    assert any("还在吗" in body for body in bodies)
    b.close()


def test_the_client_killed_mid_request_leaves_nothing_twice(store, admin, rt_ready):
    """kill -9 while the request is in the air: the answer never comes back, RT committed."""
    rid = remote_ticket(admin, "请求途中被杀", who=CUSTOMER)
    faults = FaultTransport()
    eng, b = engine_for(store, rt_ready, transport=faults)
    eng.sync_once()
    ticket = local_of(store, rid)
    desk(store).reply(ticket["id"], "第一条")
    desk(store).note(ticket["id"], "第二条")
    faults.fail_next("lost", "timeout")
    for _ in range(6):
        eng.sync_once()
        eng.clock.advance(seconds=eng.settle_seconds + 600)
    ops = store.outbox(None)
    assert all(o["state"] == "done" for o in ops), ops
    for o in ops:
        assert transactions_with_op(b, o["op_id"]) == 1
    b.close()


def test_conflicts_are_listed_and_decided_from_the_cli(store, admin, rt_ready, monkeypatch):
    from click.testing import CliRunner

    from cs_console.cli.root import main

    rid = remote_ticket(admin, "命令行决定冲突", who=CUSTOMER)
    eng, b = engine_for(store, rt_ready)
    eng.sync_once()
    ticket = local_of(store, rid)
    desk(store).set_status(ticket["id"], "resolved")
    assert admin.set_fields(FieldChange("x", rid, {"Status": "stalled"}), None).ok
    assert eng.sync_once().conflicts == 1
    seq = store.outbox(["conflict"])[0]["seq"]
    with store.transaction() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO agents (id, name, role) VALUES ('cs-sync', 's', 'agent')"
        )
    for name, value in (
        ("CS_CONSOLE_RT_URL", rt_ready["url"]),
        ("CS_CONSOLE_RT_TOKEN", rt_ready["token"]),
        ("CS_CONSOLE_AGENT", "cs-sync"),
    ):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("CS_CONSOLE_RT_USER", raising=False)
    runner = CliRunner()
    listed = runner.invoke(main, ["conflicts", "--db", store.path, "--json"])
    assert listed.exit_code == 0, listed.output
    assert [o["seq"] for o in json.loads(listed.output)] == [seq]
    decided = runner.invoke(main, ["conflict", str(seq), "--keep", "mine", "--db", store.path])
    assert decided.exit_code == 0, decided.output
    assert eng.sync_once().pushed == 2  # the status, then the callback's reminder behind it
    assert b.get_ticket(rid)[0]["Status"] == "resolved"
    again = runner.invoke(main, ["conflict", str(seq), "--keep", "theirs", "--db", store.path])
    assert again.exit_code == 1 and f"操作 {seq} 不在冲突中" in again.output
    audit = store.one("SELECT * FROM audit_log WHERE action = 'sync_conflict'")
    assert audit is not None and audit["actor"] == "cs-sync"
    b.close()


def test_taking_rts_version_brings_it_back_into_the_cache(store, admin, rt_ready):
    """A change dropped after a conflict must not stay on screen (found by the 20-console load:
    RT's ticket did not change again, so no pull ever brought its status back)."""
    rid = remote_ticket(admin, "放弃我的修改", who=CUSTOMER)
    eng, b = engine_for(store, rt_ready)
    eng.sync_once()
    ticket = local_of(store, rid)
    desk(store).set_status(ticket["id"], "resolved")
    assert admin.set_fields(FieldChange("x", rid, {"Status": "stalled"}), None).ok
    assert eng.sync_once().conflicts == 1
    assert store.ticket(ticket["id"])["status"] == "resolved"  # ours, until decided
    eng.resolve_conflict(int(store.outbox(["conflict"])[0]["seq"]), keep_mine=False)
    eng.sync_once()
    assert store.ticket(ticket["id"])["status"] == "pending"  # RT's stalled, read back
    b.close()
