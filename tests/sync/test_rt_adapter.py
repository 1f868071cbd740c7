"""The RT adapter against a real RT 5 (as the bootstrapped, non-superuser sync user)."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from faults import FaultTransport, SlowProxy

from cs_console.sync.backends.base import (
    Customer,
    FieldChange,
    Message,
    NewTicket,
    Order,
    Outcome,
    ReturnRequest,
)
from cs_console.sync.backends.rt import RTBackend, cut_subject, parse_rt_date

pytestmark = pytest.mark.rt

ZH_SUBJECT = "退货申请：粉底液色号不合适（订单 20240518）"
ZH_BODY = "您好，我的粉底液颜色太深了，想换成 01 象牙白。谢谢！\n第二行：敏感肌，含酒精吗？"


def op() -> str:
    return str(uuid.uuid4())


def new_ticket(backend: RTBackend, subject: str = ZH_SUBJECT, **kw) -> tuple[str, str]:
    op_id = op()
    res = backend.create_ticket(
        NewTicket(
            op_id=op_id,
            queue="Customer Service",
            subject=subject,
            content=ZH_BODY,
            requestor="li.na@example.com",
            **kw,
        )
    )
    assert res.outcome is Outcome.DONE, res
    assert res.warnings == ()
    return res.remote_ref, op_id


def test_create_and_read_back_chinese(backend):
    tid, op_id = new_ticket(backend)
    data, etag = backend.get_ticket(tid)
    assert data["Subject"] == ZH_SUBJECT
    assert etag and etag.isdigit()
    assert backend.find_by_op_id(op_id) == [backend.find_by_op_id(op_id)[0]]
    assert backend.find_by_op_id(op_id)[0].ticket_id == tid
    # the first message carries the body intact
    feed = backend.pull_transactions(int(etag) - 10)
    bodies = [m for m in feed.messages if m.ticket_id == tid and m.kind == "create"]
    assert bodies and bodies[0].content.strip() == ZH_BODY


def test_reply_comment_and_feed(backend):
    tid, _ = new_ticket(backend)
    base = int(backend.current_etag(tid))
    r_op, c_op = op(), op()
    reply = backend.reply(
        Message(op_id=r_op, ticket_id=tid, content="已为您登记换货，请保留包装。")
    )
    assert reply.outcome is Outcome.DONE, reply
    assert reply.remote_ref and int(reply.remote_ref) > base
    note = backend.comment(Message(op_id=c_op, ticket_id=tid, content="内部备注：批次 B2405"))
    assert note.outcome is Outcome.DONE, note
    feed = backend.pull_transactions(base)
    msgs = {m.op_id: m for m in feed.messages if m.ticket_id == tid}
    assert (
        msgs[r_op].kind == "correspond"
        and msgs[r_op].content.strip() == "已为您登记换货，请保留包装。"
    )
    assert msgs[c_op].kind == "comment" and "B2405" in msgs[c_op].content
    assert [m.kind for m in backend.find_by_op_id(r_op)] == ["transaction"]


def test_empty_reply_blocked_locally(backend):
    res = backend.reply(Message(op_id=op(), ticket_id="1", content="  \n "))
    assert res.outcome is Outcome.REJECTED and "empty" in res.message


def test_set_status_with_if_match_and_412(backend):
    tid, _ = new_ticket(backend)
    etag = backend.current_etag(tid)
    ok = backend.set_fields(FieldChange(op_id=op(), ticket_id=tid, fields={"Status": "open"}), etag)
    assert ok.outcome is Outcome.DONE, ok
    assert ok.etag and ok.etag != etag
    stale = backend.set_fields(
        FieldChange(op_id=op(), ticket_id=tid, fields={"Status": "resolved"}), etag
    )
    assert stale.outcome is Outcome.CONFLICT
    assert stale.status_code == 412
    assert backend.get_ticket(tid)[0]["Status"] == "open"


def test_success_answer_hiding_a_failure_is_rejected(backend):
    tid, _ = new_ticket(backend)
    res = backend.set_fields(
        FieldChange(op_id=op(), ticket_id=tid, fields={"Status": "bogus"}),
        backend.current_etag(tid),
    )
    assert res.status_code == 200
    assert res.outcome is Outcome.REJECTED
    assert "isn't a valid status" in res.message


def test_reply_to_missing_ticket_rejected(backend):
    res = backend.reply(Message(op_id=op(), ticket_id="999999", content="hello"))
    assert res.outcome is Outcome.REJECTED
    assert res.message  # RT's own words, shown to the agent


def test_bad_token_is_auth(rt_ready):
    with RTBackend(rt_ready["url"], token="1-1-deadbeef") as bad:
        res = bad.reply(Message(op_id=op(), ticket_id="1", content="x"))
    assert res.outcome is Outcome.AUTH


def test_subject_cut_to_200_utf8_bytes(backend):
    long = "敏感肌" * 40  # 360 bytes
    cut = cut_subject(long)
    assert len(cut.encode()) <= 200 and long.startswith(cut)
    tid, _ = new_ticket(backend, subject=long)
    assert backend.get_ticket(tid)[0]["Subject"] == cut


def test_pull_same_second_updates_not_lost(backend):
    a, _ = new_ticket(backend, subject="same second A")
    b, _ = new_ticket(backend, subject="same second B")
    ta = backend.get_ticket(a)[0]["LastUpdated"]
    since = parse_rt_date(ta)
    seen = set()
    for page in backend.iter_tickets(since):
        seen.update(t.remote_id for t in page.items)
    assert {a, b} <= seen


def test_pull_pages_until_empty(rt_ready):
    with RTBackend(rt_ready["url"], token=rt_ready["token"], per_page=2) as small:
        for _ in range(3):
            new_ticket(small, subject="paging")
        pages = list(small.iter_tickets(datetime.now(UTC) - timedelta(hours=1)))
    assert pages[-1].items == [] and not pages[-1].more
    assert all(len(p.items) <= 2 for p in pages)
    ids = [t.remote_id for p in pages for t in p.items]
    assert len(ids) == len(set(ids)) >= 3


def test_return_ticket_refers_to_original(backend):
    orig, _ = new_ticket(backend)
    op_id = op()
    res = backend.create_return(
        ReturnRequest(
            op_id=op_id,
            original_ticket_id=orig,
            kind="exchange",
            order="SO-20240518-001",
            sku="FDN-01",
            qty=1,
            reason="色号不合适",
            resolution="换 01 象牙白",
            batch="B2405",
            amount="329.00",
            requestor="li.na@example.com",
        )
    )
    assert res.outcome is Outcome.DONE, res
    assert res.warnings == ()
    data, _ = backend.get_ticket(res.remote_ref)
    cfs = {c["name"]: c["values"] for c in data["CustomFields"]}
    assert cfs["Order"] == ["SO-20240518-001"] and cfs["ReturnReason"] == ["色号不合适"]
    assert cfs["OpId"] == [op_id]
    assert any(h.get("ref") == "refers-to" and h.get("id") == orig for h in data["_hyperlinks"])


def test_create_with_unknown_cf_warns(backend):
    res = backend.create_ticket(
        NewTicket(
            op_id=op(),
            queue="Customer Service",
            subject="x",
            content="y",
            custom_fields={"NoSuchField": "1"},
        )
    )
    assert res.outcome is Outcome.DONE
    assert any("NoSuchField" in w for w in res.warnings)


def test_customer_and_order(backend):
    res = backend.upsert_customer(
        Customer(
            email="wang.fang@example.com",
            name="王芳",
            tier="gold",
            points=1200,
            skin_type="敏感肌",
            allergies="酒精",
        )
    )
    assert res.outcome is Outcome.DONE, res
    again = backend.upsert_customer(Customer(email="wang.fang@example.com", tier="platinum"))
    assert again.outcome is Outcome.DONE, again
    user = backend.client.get("/user/wang.fang@example.com").json()
    cfs = {c["name"]: c["values"] for c in user["CustomFields"]}
    assert cfs["Tier"] == ["platinum"] and cfs["Allergies"] == ["酒精"]
    o = backend.upsert_order(
        Order(
            order_no="SO-1",
            customer_email="wang.fang@example.com",
            total="329.00",
            lines="FDN-01 x1 @329.00",
        )
    )
    assert o.outcome is Outcome.DONE, o
    o2 = backend.upsert_order(Order(order_no="SO-1", total="300.00"))
    assert o2.outcome is Outcome.DONE and o2.remote_ref == o.remote_ref


# --- faults ---------------------------------------------------------------------------------


@pytest.fixture
def faulty(rt_ready):
    ft = FaultTransport()
    with RTBackend(rt_ready["url"], token=rt_ready["token"], transport=ft) as b:
        yield b, ft


def test_create_with_lost_response_is_found_by_op_id(faulty):
    b, ft = faulty
    ft.fail_next("lost")
    op_id = op()
    res = b.create_ticket(
        NewTicket(op_id=op_id, queue="Customer Service", subject="lost", content="退款申请")
    )
    assert res.outcome is Outcome.UNCERTAIN
    found = b.find_by_op_id(op_id)
    assert len(found) == 1 and found[0].kind == "ticket"  # it happened, exactly once


def test_reset_before_send_is_uncertain_and_absent(faulty):
    b, ft = faulty
    ft.fail_next("reset")
    op_id = op()
    res = b.create_ticket(
        NewTicket(op_id=op_id, queue="Customer Service", subject="r", content="c")
    )
    assert res.outcome is Outcome.UNCERTAIN
    assert b.find_by_op_id(op_id) == []


@pytest.mark.parametrize(
    "fault,retry",
    [
        ("500", None),
        ("500-after", None),
        ("429", 7.0),
        ("429-bare", None),
        ("timeout", None),
        ("garbage", None),
    ],
)
def test_server_faults_are_uncertain(faulty, fault, retry):
    b, ft = faulty
    tid, _ = new_ticket(b)
    ft.fail_next(fault)
    op_id = op()
    res = b.reply(Message(op_id=op_id, ticket_id=tid, content="稍等，正在为您查询"))
    assert res.outcome is Outcome.UNCERTAIN
    assert res.retry_after == retry
    applied = fault in ("500-after", "timeout", "garbage")
    assert len(b.find_by_op_id(op_id)) == (1 if applied else 0)


def test_slow_server_times_out_as_uncertain(rt_ready):
    port = int(rt_ready["url"].rsplit(":", 1)[1])
    proxy = SlowProxy(port)
    try:
        with RTBackend(proxy.url, token=rt_ready["token"], timeout=1.0) as b:
            tid, _ = new_ticket(b)
            proxy.mode, proxy.delay = "delay", 2.5
            op_id = op()
            t0 = time.monotonic()
            res = b.reply(Message(op_id=op_id, ticket_id=tid, content="slow"))
            assert res.outcome is Outcome.UNCERTAIN and time.monotonic() - t0 < 2.4
            proxy.mode = "drop"
            op2 = op()
            assert (
                b.reply(Message(op_id=op2, ticket_id=tid, content="dropped")).outcome
                is Outcome.UNCERTAIN
            )
            proxy.mode = "reset"
            op3 = op()
            assert (
                b.reply(Message(op_id=op3, ticket_id=tid, content="reset")).outcome
                is Outcome.UNCERTAIN
            )
            proxy.mode = "pass"
            time.sleep(1.5)  # the delayed one lands
            assert len(b.find_by_op_id(op_id)) == 1
            assert len(b.find_by_op_id(op2)) == 1
            assert b.find_by_op_id(op3) == []
    finally:
        proxy.close()


def test_unreachable_is_uncertain():
    with RTBackend("http://127.0.0.1:9", token="x", timeout=2) as b:
        res = b.reply(Message(op_id=op(), ticket_id="1", content="x"))
    assert res.outcome is Outcome.UNCERTAIN
    with pytest.raises(httpx.HTTPError):
        b2 = RTBackend("http://127.0.0.1:9", token="x", timeout=2)
        b2.find_by_op_id("x")


def test_password_login_uses_a_session(rt_server, rt_ready):
    """User/password logs in once; later requests ride the session cookie (no bcrypt each)."""
    with RTBackend(rt_server.url, user="root", password=rt_server.root_auth[1]) as b:
        tid, _ = new_ticket(b)
        assert any(c.startswith("RT_SID") for c in b.client.cookies)
        assert b.get_ticket(tid)[0]["Subject"] == ZH_SUBJECT
    with RTBackend(rt_server.url, user="root", password="wrong") as bad:
        res = bad.reply(Message(op_id=op(), ticket_id=tid, content="x"))
    assert res.outcome is Outcome.AUTH


def test_import_orders_csv(backend, tmp_path):
    from cs_console.sync.orders import push_orders, read_orders_csv

    f = tmp_path / "orders.csv"
    f.write_text(
        "\ufeff订单号,邮箱,金额,明细\nSO-9001,a@example.com,199.00,SKU-1 x1\n,b@x,1,\n"
        "SO-9002,b@example.com,59.90,SKU-2 x2\n",
        encoding="utf-8",
    )
    orders, problems = read_orders_csv(f)
    assert [o.order_no for o in orders] == ["SO-9001", "SO-9002"]
    assert problems and ":3:" in problems[0]
    assert push_orders(backend, orders).imported == 2
    assert push_orders(backend, orders).imported == 2  # again: updated, not duplicated
    found = backend.client.get(
        "/assets", params={"query": "Catalog = 'Orders' AND Name = 'SO-9001'"}
    )
    assert found.json()["count"] == 1
