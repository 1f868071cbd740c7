"""End to end against a real RT: pull into the cache, act offline, push once, survive faults."""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from engines import sync_engine
from faults import FaultTransport

from cs_console.cli.sync import sync as sync_cmd
from cs_console.clock import FixedClock
from cs_console.service.desk import Agent, Desk
from cs_console.sync.backends.base import NewTicket, Outcome
from cs_console.sync.backends.rt import RTBackend
from cs_console.sync.engine import FEED_CURSOR, TICKET_CURSOR

pytestmark = pytest.mark.rt

MESSAGE_KINDS = ("reply", "comment", "escalate")
CREATE_KINDS = ("return", "exchange", "create_ticket")


def engine_for(store, rt_ready, transport=None, clock=None, **kw):
    b = RTBackend(rt_ready["url"], token=rt_ready["token"], transport=transport, timeout=10)
    clock = clock or FixedClock(datetime.now(UTC))
    return sync_engine(store, b, clock=clock, rng=random.Random(1), **kw), b


def remote_ticket(
    admin, subject, body="顾客来信：我的面霜过敏了，脸上发红。", who="zhao.min@example.com"
):
    res = admin.create_ticket(
        NewTicket(
            op_id=str(uuid.uuid4()),
            queue="Customer Service",
            subject=subject,
            content=body,
            requestor=who,
        )
    )
    assert res.ok, res
    return res.remote_ref


def local_of(store, remote_id):
    return store.one("SELECT * FROM tickets WHERE remote_id = ?", (int(remote_id),))


def history_check(store, backend):
    """Every op the client considers done exists in RT exactly once; none lost."""
    done = store.all("SELECT * FROM outbox WHERE state = 'done'")
    for op in done:
        if op["kind"] in MESSAGE_KINDS + CREATE_KINDS:
            found = backend.find_by_op_id(op["op_id"])
            assert len(found) == 1, (op, found)
    assert backend.duplicate_op_ids() == {}
    return len(done)


def test_pull_creates_cache_rows_and_is_idempotent(store, admin, rt_ready):
    rid = remote_ticket(admin, "粉底液色号咨询")
    eng, b = engine_for(store, rt_ready)
    rep = eng.sync_once()
    assert not rep.errors, rep.errors
    t = local_of(store, rid)
    assert t and t["subject"] == "粉底液色号咨询" and t["status"] == "open"
    assert t["remote_etag"] and t["remote_etag"].isdigit()
    msgs = store.messages(t["id"])
    assert msgs and msgs[0]["body"].strip().startswith("顾客来信") and msgs[0]["direction"] == "in"
    assert store.sync_value(TICKET_CURSOR) and store.sync_value(FEED_CURSOR)
    again = eng.sync_once()
    assert again.pulled == 0  # the overlap re-reads, the dedupe drops
    assert store.scalar("SELECT count(*) FROM tickets WHERE remote_id = ?", (int(rid),)) == 1
    b.close()


def test_offline_actions_reach_rt_once_after_reconnect(store, admin, rt_ready, rt_server):
    rid = remote_ticket(admin, "换货：口红色号")
    eng, b = engine_for(store, rt_ready)
    eng.sync_once()
    t = local_of(store, rid)
    desk = Desk(store, Agent("cs-sync", "同步"))
    # offline: the backend is unreachable
    dead = sync_engine(store, RTBackend("http://127.0.0.1:9", token="x", timeout=2))
    desk.reply(t["id"], "您好，已为您安排换货，新口红明天发出。")
    desk.set_status(t["id"], "pending")
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO outbox (op_id, kind, ticket_id, payload, base_etag, state, created_at, "
            "updated_at) VALUES (?, 'exchange', ?, ?, NULL, 'pending', ?, ?)",
            (
                str(uuid.uuid4()),
                t["id"],
                json.dumps(
                    {
                        "order": "SO-88",
                        "sku": "LIP-07",
                        "qty": 1,
                        "reason": "色号不符",
                        "resolution": "换 LIP-05",
                        "kind": "exchange",
                    },
                    ensure_ascii=False,
                ),
                store.now_iso(),
                store.now_iso(),
            ),
        )
    off = dead.sync_once()
    assert off.offline and off.pending == 3 and off.pushed == 0
    # back online
    rep = eng.sync_once()
    assert rep.pushed == 3, (rep, store.outbox())
    assert rep.pending == rep.uncertain == rep.rejected == rep.conflicts == 0
    data, _ = b.get_ticket(rid)
    assert data["Status"] == "stalled"
    ops = {o["kind"]: o for o in store.outbox()}
    reply_found = b.find_by_op_id(ops["reply"]["op_id"])
    assert len(reply_found) == 1
    feed = b.pull_transactions(int(reply_found[0].remote_id) - 1)
    assert any(m.content.strip() == "您好，已为您安排换货，新口红明天发出。" for m in feed.messages)
    ret = b.find_by_op_id(ops["exchange"]["op_id"])
    assert len(ret) == 1
    ret_t, _ = b.get_ticket(ret[0].ticket_id)
    assert any(h.get("ref") == "refers-to" and h.get("id") == rid for h in ret_t["_hyperlinks"])
    # the reply's local message learnt its remote id; the pull does not duplicate it
    eng.sync_once()
    bodies = [m["body"] for m in store.messages(t["id"])]
    assert bodies.count("您好，已为您安排换货，新口红明天发出。") == 1
    assert history_check(store, b) == 3
    b.close()


def test_remote_edit_makes_a_conflict(store, admin, rt_ready):
    """Another agent changed the field we change: the agent decides."""
    rid = remote_ticket(admin, "冲突测试")
    eng, b = engine_for(store, rt_ready)
    eng.sync_once()
    t = local_of(store, rid)
    Desk(store, Agent("cs-sync", "同步")).set_status(t["id"], "resolved")
    etag = admin.current_etag(rid)
    from cs_console.sync.backends.base import FieldChange

    assert admin.set_fields(FieldChange("x", rid, {"Status": "stalled"}), etag).ok
    rep = eng.sync_once()
    assert rep.conflicts == 1 and rep.pushed == 0
    op = store.outbox(["conflict"])[0]
    assert "changed in RT" in op["last_error"]
    assert b.get_ticket(rid)[0]["Status"] == "stalled"
    b.close()


def test_a_remote_edit_of_another_field_merges_cleanly(store, admin, rt_ready):
    """Someone else changed the priority; our status change is no conflict (issue 15, item 3)."""
    rid = remote_ticket(admin, "合并测试")
    eng, b = engine_for(store, rt_ready)
    eng.sync_once()
    t = local_of(store, rid)
    Desk(store, Agent("cs-sync", "同步")).set_status(t["id"], "resolved")
    etag = admin.current_etag(rid)
    from cs_console.sync.backends.base import FieldChange

    assert admin.set_fields(FieldChange("x", rid, {"Priority": 80}), etag).ok
    rep = eng.sync_once()
    assert rep.conflicts == 0 and rep.pushed == 2  # the status, then the callback's reminder
    data = b.get_ticket(rid)[0]
    assert data["Status"] == "resolved" and int(data["Priority"]) == 80
    b.close()


def test_rejection_is_kept_with_rts_message(store, admin, rt_ready):
    rid = remote_ticket(admin, "拒绝测试")
    eng, b = engine_for(store, rt_ready)
    eng.sync_once()
    t = local_of(store, rid)
    Desk(store, Agent("cs-sync", "同步")).assign(t["id"], None)
    with store.transaction() as conn:  # an owner RT does not know
        conn.execute(
            "UPDATE outbox SET payload = ? WHERE ticket_id = ?",
            (json.dumps({"assignee": "no-such-agent"}), t["id"]),
        )
    rep = eng.sync_once()
    assert rep.rejected == 1
    op = store.outbox(["rejected"])[0]
    assert op["last_error"]  # RT's words, shown to the agent
    b.close()


class Crash(Exception):
    pass


class CrashingBackend:
    """Delegates to a real backend; raises Crash before or after one chosen call."""

    def __init__(self, inner, when):
        self.inner, self.when = inner, when

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if name not in ("reply", "comment", "set_fields", "create_ticket", "create_return"):
            return attr

        def call(*a, **kw):
            if self.when == "before":
                raise Crash("killed before the request")
            res = attr(*a, **kw)
            if self.when == "after":
                raise Crash("killed after the server answered")
            return res

        return call


@pytest.mark.parametrize("when", ["before", "after"])
def test_client_killed_mid_push(store, admin, rt_ready, when):
    rid = remote_ticket(admin, f"崩溃测试 {when}")
    eng, b = engine_for(store, rt_ready)
    eng.sync_once()
    t = local_of(store, rid)
    Desk(store, Agent("cs-sync", "同步")).reply(t["id"], f"回复 {when}")
    crashing = sync_engine(store, CrashingBackend(b, when), clock=eng.clock)
    with pytest.raises(Crash):
        crashing.sync_once(pull=False)
    op = store.outbox()[-1]
    assert op["state"] == "in_flight"  # committed before the request left
    assert eng.sync_once().pushed == 0  # the request may still land: it settles first
    eng.clock.advance(seconds=eng.settle_seconds + 1)
    rep = eng.sync_once()
    assert rep.pushed == 1 and rep.pending == 0
    assert len(b.find_by_op_id(op["op_id"])) == 1
    b.close()


@pytest.mark.parametrize("seed", [20241123, 7, 99])
def test_fault_run_nothing_lost_nothing_twice(store, admin, rt_ready, seed):
    """Many ops through random faults; at the end every op is in RT exactly once."""
    rng = random.Random(seed)
    ids = [remote_ticket(admin, f"故障批次 {i}") for i in range(4)]
    ft = FaultTransport()
    clock = FixedClock(datetime.now(UTC))
    eng, b = engine_for(store, rt_ready, transport=ft, clock=clock)
    eng.sync_once()
    desk = Desk(store, Agent("cs-sync", "同步"))
    locals_ = [local_of(store, r)["id"] for r in ids]
    n_ops = 0
    for i in range(36):
        tid = locals_[i % 4]
        r = rng.random()
        if r < 0.6:
            desk.reply(tid, f"第 {i} 条回复：请稍候，我们正在处理。")
        elif r < 0.8:
            desk.note(tid, f"内部备注 {i}")
        else:
            status = store.ticket(tid)["status"]
            desk.set_status(tid, "pending" if status == "open" else "open")
        n_ops += 1
    faults = ["lost", "reset", "500", "500-after", "429", "429-bare", "timeout", "garbage"]
    ft.random_faults(rng, 0.4, faults, reads=0.1)
    rounds = 0
    while rounds < 300:
        rounds += 1
        rep = eng.sync_once(pull=False)
        clock.advance(seconds=400)  # past any backoff / Retry-After
        if rep.pending == rep.uncertain == 0:
            break
    ft.rng = None
    ft.script.clear()
    rep = eng.sync_once(sweep=True)
    left = [
        (o["kind"], o["state"], o["last_error"]) for o in store.outbox() if o["state"] != "done"
    ]
    assert rep.pending == rep.uncertain == rep.rejected == rep.conflicts == 0, left
    assert rep.duplicates == {}
    assert history_check(store, b) == n_ops
    final = {r: b.get_ticket(r)[0]["Status"] for r in ids}
    for r, loc in zip(ids, locals_, strict=True):  # the last status each agent set is in RT
        assert final[r] == {"open": "open", "pending": "stalled"}[store.ticket(loc)["status"]]
    assert sum(ft.applied.values()) >= 10
    print(
        f"fault run: {n_ops} ops, {rounds} rounds, {sum(ft.applied.values())} faults applied "
        f"({dict(ft.applied)}), lost 0, duplicated 0"
    )
    b.close()


def test_backoff_honours_retry_after(store, admin, rt_ready):
    rid = remote_ticket(admin, "429 测试")
    ft = FaultTransport()
    clock = FixedClock(datetime.now(UTC))
    eng, b = engine_for(store, rt_ready, transport=ft, clock=clock, backoff_base=0.1)
    eng.sync_once()
    Desk(store, Agent("cs-sync", "同步")).reply(local_of(store, rid)["id"], "限流测试")
    ft.fail_next("429")
    rep = eng.sync_once(pull=False)
    assert rep.uncertain == 1
    clock.advance(seconds=5)
    assert eng.sync_once(pull=False).uncertain == 1  # Retry-After: 7 not yet over
    clock.advance(seconds=3)
    rep = eng.sync_once(pull=False)
    assert rep.pushed == 1 and rep.uncertain == 0
    b.close()


def test_cli_sync_once_json(store, admin, rt_ready, tmp_path, monkeypatch):
    remote_ticket(admin, "CLI 同步")
    monkeypatch.setenv("CS_CONSOLE_RT_URL", rt_ready["url"])
    monkeypatch.setenv("CS_CONSOLE_RT_TOKEN", rt_ready["token"])
    store.close()
    res = CliRunner().invoke(sync_cmd, ["--once", "--json", "--db", str(tmp_path / "cache.db")])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output.strip().splitlines()[-1])
    assert set(out) == {"pulled", "pushed", "pending", "uncertain", "rejected", "conflicts"}
    assert out["pulled"] >= 1


def test_cli_sync_offline_exit_code(tmp_path, monkeypatch):
    monkeypatch.setenv("CS_CONSOLE_RT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("CS_CONSOLE_RT_TOKEN", "x")
    res = CliRunner().invoke(sync_cmd, ["--once", "--json", "--db", str(tmp_path / "c.db")])
    assert res.exit_code == 2
    assert json.loads(res.output.strip().splitlines()[0])["pending"] == 0


def test_outcome_enum_values():
    assert [o.value for o in Outcome] == ["done", "rejected", "conflict", "uncertain", "auth"]
