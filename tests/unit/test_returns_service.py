"""The returns service (returns.py): one transaction per action, never twice, approvals."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from returns_fixture import build, counts

from cs_console.clock import FixedClock
from cs_console.policy.numbers import number
from cs_console.policy.returns import LineRequest
from cs_console.service.desk import Agent, Desk, DeskError
from cs_console.service.returns import Returns, request_key_for
from cs_console.store.db import Store

KB = Path(__file__).resolve().parents[2] / "kb_data"
AGENT = Agent("agent01", "小林", "agent")
TRAINEE = Agent("trainee01", "小陈", "trainee")
SUPERVISOR = Agent("sup01", "王主管", "supervisor")


@pytest.fixture
def rstore(clock: FixedClock):
    with Store.open(":memory:", clock) as store:
        store.tickets_by_scenario = build(store)  # type: ignore[attr-defined]
        yield store


@pytest.fixture
def T(rstore) -> dict[str, int]:
    return rstore.tickets_by_scenario


def as_(store: Store, agent: Agent = AGENT) -> Returns:
    return Returns(Desk(store, agent))


@contextmanager
def refused(text: str) -> Iterator[None]:
    """A refusal whose Chinese text says ``text`` (the rule's words), or whose English log
    text matches it; either way str() holds no Chinese (it is for logs)."""
    with pytest.raises(DeskError) as caught:
        yield
    said = caught.value.message("zh-Hans")
    assert text in said or re.search(text, str(caught.value)), (text, said, str(caught.value))
    assert not re.search(r"[\u4e00-\u9fff]", str(caught.value)), str(caught.value)


def ops(store: Store, kind: str | None = None) -> list[dict]:
    rows = store.outbox()
    return [r for r in rows if kind is None or r["kind"] == kind]


# -- each reason's verdict through the service ----------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "kwargs", "resolution", "amount"),
    [
        ("cosmetics", {"lines": [("SR-003", 1)], "reason": "unopened"}, "refund", None),
        (
            "late_unopened",
            {"lines": [("SR-004", 1)], "reason": "unopened", "to_sku": "SR-004"},
            "exchange",
            0,
        ),
        ("cosmetics", {"lines": [("SR-003", 1)], "reason": "quality"}, "refund", None),
        (
            "allergy",
            {"lines": [("SR-003", 1)], "reason": "allergy", "batch_no": "B041"},
            "refund",
            299.0,
        ),
        ("leak", {"lines": [("MO-007", 1)], "reason": "damaged", "photos": True}, "reissue", 0),
        (
            "shade",
            {"lines": [("FD-102", 1)], "reason": "wrong_shade", "to_sku": "FD-101"},
            "exchange",
            0,
        ),
        ("wrong", {"lines": [("TN-002", 1)], "reason": "wrong_item"}, "exchange", 0),
        ("wrong", {"lines": [("LS-203", 1)], "reason": "missing_item"}, "reissue", 0),
        ("wrong_nostock", {"lines": [("LS-407", 1)], "reason": "wrong_item"}, "refund", 229.0),
        (
            "clothes",
            {"lines": [("SH-RN-38", 1)], "reason": "size", "to_sku": "SH-RN-39"},
            "exchange",
            0,
        ),
        ("earbuds", {"lines": [("EL-EB-01", 1)], "reason": "faulty"}, "refund", 499.0),
        ("earbuds_10", {"lines": [("EL-EB-01", 1)], "reason": "faulty"}, "exchange", 0),
        ("earbuds_100", {"lines": [("EL-EB-01", 1)], "reason": "faulty"}, "repair", 0),
    ],
)
def test_each_reason_within_policy_is_approved_in_one_transaction(
    rstore, T, scenario, kwargs, resolution, amount
):
    returns = as_(rstore)
    before = counts(rstore)
    result = returns.request(T[scenario], **kwargs)
    assert result.created and result.status == "approved" and result.resolution == resolution
    assert result.verdict.within_policy and result.verdict.reasons
    if amount is not None:
        assert result.amount == amount
    after = counts(rstore)
    assert after["returns"] == before["returns"] + 1
    # the request's op, and the support ticket's move to "waiting on the customer"
    assert after["audit_log"] == before["audit_log"] + 1
    queued = rstore.outbox()[before["outbox"] :]
    assert [op["kind"] for op in queued] == ["create_return", "set_status"]
    assert json.loads(queued[1]["payload"])["status"] == "pending"
    row = rstore.return_row(result.return_id)
    assert (
        row["op_id"] == result.op_id
        and row["status"] == "approved"
        and row["approved_by"] == "agent01"
    )
    assert row["reason"] == kwargs["reason"] and row["verdict"]["reasons"]
    op = ops(rstore, "create_return")[-1]
    payload = json.loads(op["payload"])
    assert op["op_id"] == result.op_id and op["ticket_id"] == T[scenario]
    assert payload["return_id"] == result.return_id and payload["reason"] == kwargs["reason"]
    assert (
        payload["order"] == row["order_id"]
        and payload["qty"] == 1
        and payload["resolution"] == resolution
    )
    ticket = rstore.ticket(T[scenario])
    assert result.kind in ticket["tags"] and ticket["status"] == "pending" and ticket["paused_at"]
    audit = rstore.audit(T[scenario])[0]
    assert audit["action"] == "create_return" and audit["detail"]["return_id"] == result.return_id


def test_refund_amount_uses_the_discounted_line_price(rstore, T):
    result = as_(rstore).request(T["cosmetics"], [("SR-003", 2)], "unopened")
    order = rstore.order("SO-cosmetics")
    gross = 299.0 * 2
    share = order["discount"] * gross / order["total"]
    assert result.amount == round(gross - share, 2)
    assert result.lines[0]["amount"] == result.amount


def test_same_request_twice_is_one_return_and_one_op(rstore, T):
    returns = as_(rstore)
    first = returns.request(T["cosmetics"], [("SR-003", 1)], "unopened")
    before = counts(rstore)
    second = returns.request(T["cosmetics"], [("SR-003", 1)], "unopened")
    spelled_out = returns.request(T["cosmetics"], [("SR-003", 1)], "unopened", resolution="refund")
    assert second.return_id == first.return_id == spelled_out.return_id
    assert not second.created and not spelled_out.created
    assert second.op_id == first.op_id
    assert counts(rstore) == before
    assert len(ops(rstore, "create_return")) == 1


def test_a_second_request_over_held_lines_is_refused_clearly(rstore, T):
    returns = as_(rstore)
    first = returns.request(T["cosmetics"], [("SR-003", 2)], "unopened")
    before = counts(rstore)
    with pytest.raises(DeskError, match=first.return_id) as exc:
        returns.request(T["cosmetics"], [("SR-003", 1)], "quality")
    assert "只剩 0 件" in exc.value.message("zh-Hans")
    assert "only 0 can still be requested" in str(exc.value)
    assert counts(rstore) == before
    # another line of the same order is still free
    assert returns.request(T["cosmetics"], [("LS-101", 1)], "unopened").created


def test_request_key_is_enforced_by_the_database_not_only_a_lookup(rstore, T):
    returns = as_(rstore)
    first = returns.request(T["cosmetics"], [("SR-003", 1)], "unopened")
    # the look-up "misses", as if another process filed it between look-up and insert
    returns._live_key = lambda key, explicit: (key, None)
    again = returns.request(T["cosmetics"], [("SR-003", 1)], "unopened")
    # the insert hit UNIQUE(request_key): the existing return, and nothing else written
    assert again.return_id == first.return_id and not again.created
    assert rstore.scalar("SELECT count(*) FROM returns") == 1
    assert len(ops(rstore, "create_return")) == 1


def test_explicit_request_key_reused_for_a_different_request_is_refused(rstore, T):
    returns = as_(rstore)
    returns.request(T["cosmetics"], [("SR-003", 1)], "unopened", request_key="dialog-1")
    assert (
        returns.request(T["cosmetics"], [("SR-003", 1)], "unopened", request_key="dialog-1").created
        is False
    )
    with pytest.raises(DeskError, match="dialog-1"):
        returns.request(T["wrong"], [("TN-002", 1)], "wrong_item", request_key="dialog-1")


def test_default_key_covers_ticket_order_lines_reason_kind_resolution():
    a = request_key_for(1, "SO1", [(1, 1, None)], "unopened", "return", "refund")
    assert a == request_key_for(1, "SO1", [(1, 1, None)], "unopened", "return", "refund")
    for other in (
        request_key_for(2, "SO1", [(1, 1, None)], "unopened", "return", "refund"),
        request_key_for(1, "SO2", [(1, 1, None)], "unopened", "return", "refund"),
        request_key_for(1, "SO1", [(1, 2, None)], "unopened", "return", "refund"),
        request_key_for(1, "SO1", [(1, 1, None)], "quality", "return", "refund"),
        request_key_for(1, "SO1", [(1, 1, "X")], "unopened", "exchange", "exchange"),
    ):
        assert other != a


# -- approvals ------------------------------------------------------------------------------


def test_trainee_over_the_limit_waits_for_a_supervisor_who_approves(rstore, T):
    trainee = as_(rstore, TRAINEE)
    result = trainee.request(T["big"], [("FD-100", 2)], "unopened")
    assert result.amount > number("trainee_refund_limit_yuan")
    assert result.status == "awaiting_approval" and result.verdict.needs_approval
    assert any("trainee_refund_limit_yuan" in r for r in result.verdict.reasons)
    ticket = rstore.ticket(T["big"])
    assert "awaiting_approval" in ticket["tags"] and ticket["status"] == "open"
    waiting = as_(rstore, SUPERVISOR).awaiting_approval()
    assert [w["id"] for w in waiting] == [result.return_id]
    assert waiting[0]["ticket_subject"] == "big" and waiting[0]["customer_name"]
    with pytest.raises(DeskError, match="supervisor"):
        trainee.approve(result.return_id, "ok")
    with pytest.raises(DeskError, match="supervisor"):
        as_(rstore, AGENT).approve(result.return_id, "ok")
    supervisor = as_(rstore, SUPERVISOR)
    before = counts(rstore)
    approved = supervisor.approve(result.return_id, "核实无误")
    assert approved.status == "approved" and approved.approved_by == "sup01"
    assert approved.approval_note == "核实无误"
    after = counts(rstore)
    assert after["audit_log"] == before["audit_log"] + 1
    queued = [op["kind"] for op in rstore.outbox()[before["outbox"] :]]
    assert queued == ["approve_return", "set_status"]  # and the ticket now waits on the customer
    op = ops(rstore, "approve_return")[-1]
    assert json.loads(op["payload"])["create_op_id"] == result.op_id
    ticket = rstore.ticket(T["big"])
    assert "awaiting_approval" not in ticket["tags"] and ticket["status"] == "pending"
    assert supervisor.awaiting_approval() == []
    # approving again changes nothing
    assert supervisor.approve(result.return_id, "again").status == "approved"
    assert counts(rstore) == after


def test_trainee_under_the_limit_is_approved_at_once(rstore, T):
    result = as_(rstore, TRAINEE).request(
        T["wrong_nostock"], [("LS-407", 1)], "unopened", resolution="exchange", to_sku="LS-101"
    )
    assert result.status == "approved" and result.amount == 0


def test_agent_over_agent_limit_waits(rstore, T):
    result = as_(rstore).request(T["dryers"], [("EL-HD-02", 2)], "faulty")
    assert (
        result.amount > number("agent_refund_limit_yuan") and result.status == "awaiting_approval"
    )
    assert (
        as_(rstore, SUPERVISOR).request(T["big"], [("FD-100", 2), ("EY-005", 2)], "unopened").status
        == "approved"
    )


def test_goodwill_outside_policy_waits_and_is_declined_with_a_reason(rstore, T):
    returns = as_(rstore)
    before = counts(rstore)
    with pytest.raises(DeskError, match="goodwill"):
        returns.request(T["stale"], [("MO-006", 1)], "opened")
    assert counts(rstore) == before
    result = returns.request(T["stale"], [("MO-006", 1)], "opened", goodwill=True)
    assert result.status == "awaiting_approval" and not result.verdict.within_policy
    supervisor = as_(rstore, SUPERVISOR)
    with pytest.raises(DeskError, match="reason"):
        supervisor.decline(result.return_id, "  ")
    declined = supervisor.decline(result.return_id, "已拆封且超过质量问题期限")
    assert declined.status == "declined" and declined.approval_note == "已拆封且超过质量问题期限"
    assert ops(rstore, "decline_return")
    assert "awaiting_approval" not in rstore.ticket(T["stale"])["tags"]
    with pytest.raises(DeskError, match="declined"):
        supervisor.approve(result.return_id, "")
    # the declined request frees its line: the same request again is a new return
    again = returns.request(T["stale"], [("MO-006", 1)], "opened", goodwill=True)
    assert again.created and again.return_id != result.return_id
    assert again.request_key == f"{result.request_key}#2"
    assert (
        returns.request(T["stale"], [("MO-006", 1)], "opened", goodwill=True).return_id
        == again.return_id
    )


def test_unknown_return_cannot_be_approved(rstore):
    with pytest.raises(DeskError, match="does not exist"):
        as_(rstore, SUPERVISOR).approve("RMA-nope", "")


# -- allergy ---------------------------------------------------------------------------------


def test_allergy_writes_the_case_with_batch_symptoms_and_outcome(rstore, T):
    result = as_(rstore).request(T["allergy"], [("SR-003", 1)], "allergy", batch_no="B041")
    assert result.allergy_case_id is not None
    case = rstore.one("SELECT * FROM allergy_cases WHERE id = ?", (result.allergy_case_id,))
    assert case["sku"] == "SR-003" and case["batch_no"] == "B041"
    assert "红" in case["symptoms"] and case["return_id"] == result.return_id
    assert case["outcome"] == "refund: approved"
    ticket = rstore.ticket(T["allergy"])
    assert ticket["allergy"] == 1 and "allergy" in ticket["tags"]
    assert "allergy_case" in result.verdict.flags and result.verdict.advice


def test_allergy_without_batch_writes_nothing(rstore, T):
    before = counts(rstore)
    with refused("批号"):
        as_(rstore).request(T["allergy"], [("SR-003", 1)], "allergy")
    assert counts(rstore) == before


def test_allergy_case_outcome_follows_the_decision(rstore, T):
    trainee = as_(rstore, TRAINEE)
    result = trainee.request(
        T["allergy"], [("SR-003", 1)], "allergy", batch_no="B041", symptoms="脸颊红肿"
    )
    assert result.status == "awaiting_approval"
    case_id = result.allergy_case_id
    assert (
        rstore.scalar("SELECT symptoms FROM allergy_cases WHERE id = ?", (case_id,)) == "脸颊红肿"
    )
    as_(rstore, SUPERVISOR).decline(result.return_id, "批号不符")
    assert (
        rstore.scalar("SELECT outcome FROM allergy_cases WHERE id = ?", (case_id,))
        == "refund: declined"
    )


# -- errors write nothing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "kwargs", "message"),
    [
        (None, {"lines": [("SR-003", 1)], "reason": "unopened"}, "does not exist"),
        ("cosmetics", {"lines": [("NOPE-1", 1)], "reason": "unopened"}, "not on order"),
        ("cosmetics", {"lines": [("SR-003", 1)], "reason": "bogus"}, "unknown reason"),
        (
            "cosmetics",
            {"lines": [("SR-003", 1)], "reason": "unopened", "resolution": "teleport"},
            "unknown resolution",
        ),
        ("cosmetics", {"lines": [("SR-003", 3)], "reason": "unopened"}, "只购买了 2 件"),
        ("cosmetics", {"lines": [("SR-003", 0)], "reason": "unopened"}, "大于 0"),
        ("leak", {"lines": [("MO-007", 1)], "reason": "damaged"}, "照片"),
        ("leak_late", {"lines": [("MO-007", 1)], "reason": "damaged", "photos": True}, "48"),
        (
            "shade",
            {"lines": [("FD-102", 1)], "reason": "wrong_shade", "to_sku": "FD-103"},
            "库存不足",
        ),
        ("shade", {"lines": [("FD-102", 1)], "reason": "wrong_shade"}, "目标 SKU"),
        ("clothes", {"lines": [("SH-RN-38", 1)], "reason": "size", "to_sku": "AP-TS-L"}, "同一"),
        ("earbuds_old", {"lines": [("EL-EB-01", 1)], "reason": "faulty"}, "保修期"),
        ("cosmetics", {"lines": [("SR-003", 1)], "reason": "delay"}, "compensate"),
    ],
)
def test_refused_requests_write_nothing(rstore, T, scenario, kwargs, message):
    before = counts(rstore)
    with refused(message):
        as_(rstore).request(T[scenario] if scenario else 9999, **kwargs)
    assert counts(rstore) == before


def test_closed_or_orderless_ticket_is_refused(rstore, T):
    rstore.conn.execute("UPDATE tickets SET status = 'closed' WHERE id = ?", (T["cosmetics"],))
    with pytest.raises(DeskError, match="closed"):
        as_(rstore).request(T["cosmetics"], [("SR-003", 1)], "unopened")
    rstore.conn.execute("UPDATE tickets SET order_id = NULL WHERE id = ?", (T["wrong"],))
    with pytest.raises(DeskError, match="no order"):
        as_(rstore).request(T["wrong"], [("TN-002", 1)], "wrong_item")


# -- compensation ----------------------------------------------------------------------------


def test_delay_points_are_credited_once(rstore, T):
    returns = as_(rstore)
    customer = rstore.ticket(T["late3"])["customer_id"]
    points = rstore.customer(customer)["points"]
    first = returns.compensate(T["late3"], "points")
    assert (
        first.status == "approved"
        and first.amount == number("delay_points")
        and first.kind == "compensation"
    )
    assert rstore.customer(customer)["points"] == points + number("delay_points")
    again = returns.compensate(T["late3"], "points")
    assert again.return_id == first.return_id and not again.created
    assert rstore.customer(customer)["points"] == points + number("delay_points")
    op = ops(rstore, "create_return")
    payload = json.loads(op[0]["payload"])
    assert len(op) == 1 and payload["amount"] == number("delay_points")
    assert payload["kind"] == "compensation" and payload["resolution"] == "points"
    assert payload["return_id"] == first.return_id and op[0]["op_id"] == first.op_id
    with refused("已发放过延误补偿"):
        returns.compensate(T["late3"], "points", amount=100)


def test_delay_coupon_and_wrong_kind(rstore, T):
    returns = as_(rstore)
    with refused("优惠券"):
        returns.compensate(T["late8"], "points")
    coupon = returns.compensate(T["late8"], "coupon")
    assert coupon.amount == number("delay_coupon_yuan") and coupon.status == "approved"
    script = returns.reply_script(coupon.return_id)
    assert script.scripts == (("delivery-delay", "延误补偿（优惠券）"),)
    assert script.context["coupon_code"].startswith("CP")
    with refused("不属于延误"):
        returns.compensate(T["ontime"], "points")


def test_goodwill_compensation_waits_then_credits_on_approval(rstore, T):
    returns = as_(rstore)
    customer = rstore.ticket(T["ontime"])["customer_id"]
    points = rstore.customer(customer)["points"]
    result = returns.compensate(
        T["ontime"], "points", amount=300, reason="goodwill", note="服务态度补偿"
    )
    assert result.status == "awaiting_approval"
    assert rstore.customer(customer)["points"] == points
    as_(rstore, SUPERVISOR).approve(result.return_id, "同意")
    assert rstore.customer(customer)["points"] == points + 300


def test_compensation_checks_its_inputs(rstore, T):
    returns = as_(rstore)
    with pytest.raises(DeskError, match="points or coupon"):
        returns.compensate(T["late3"], "cash")
    with pytest.raises(DeskError, match="reason"):
        returns.compensate(T["late3"], "points", reason="mood")
    with refused("整数"):
        returns.compensate(T["late3"], "points", amount=1.5, reason="goodwill")


# -- for the dialog --------------------------------------------------------------------------


def test_preview_writes_nothing_and_updates_with_choices(rstore, T):
    returns = as_(rstore, TRAINEE)
    before = counts(rstore)
    v = returns.preview(T["shade"], [("FD-102", 1)], "wrong_shade")
    assert not v.allowed and v.missing == ("to_sku",)
    v = returns.preview(T["shade"], [("FD-102", 1)], "wrong_shade", to_sku="FD-101")
    assert v.allowed and v.resolution == "exchange"
    v = returns.preview(T["cosmetics"], [("SR-003", 1)], "unopened")
    assert v.allowed and v.needs_approval  # trainee, 283 yuan
    v = returns.preview(T["cosmetics"], [LineRequest(1, 9)], "unopened")
    assert not v.allowed
    assert counts(rstore) == before


def test_lines_and_targets_prefill_the_dialog(rstore, T):
    returns = as_(rstore)
    lines = returns.lines(T["cosmetics"])
    assert [line["sku"] for line in lines] == ["SR-003", "FD-100", "LS-101"]
    assert lines[0]["remaining"] == 2 and "allergy" in lines[0]["reasons"]
    returns.request(T["cosmetics"], [("SR-003", 1)], "unopened")
    assert returns.lines(T["cosmetics"])[0]["remaining"] == 1
    shades = [p["sku"] for p in returns.targets(T["shade"], "FD-102", "wrong_shade")]
    assert "FD-101" in shades and "FD-103" not in shades and "FD-102" not in shades
    assert all(s.startswith("FD-") for s in shades)
    sizes = [p["sku"] for p in returns.targets(T["clothes"], "SH-RN-38", "size")]
    assert sizes and all(s.startswith("SH-RN-") for s in sizes) and "SH-RN-38" not in sizes
    assert returns.lines(T["earbuds"])[0]["reasons"][0] == "faulty"


def test_reply_script_fills_the_return_number(rstore, T):
    from cs_console.kb.loader import load_kb

    articles = load_kb(KB).by_slug()
    returns = as_(rstore)
    cases = [
        returns.request(T["cosmetics"], [("SR-003", 1)], "unopened"),
        returns.request(T["shade"], [("FD-102", 1)], "wrong_shade", to_sku="FD-101"),
        returns.request(T["allergy"], [("SR-003", 1)], "allergy", batch_no="B041"),
        returns.request(T["leak"], [("MO-007", 1)], "damaged", photos=True),
        returns.request(T["wrong"], [("TN-002", 1)], "wrong_item"),
        returns.request(T["wrong"], [("LS-203", 1)], "missing_item"),
        returns.request(T["clothes"], [("SH-RN-38", 1)], "size", to_sku="SH-RN-39"),
        returns.request(T["earbuds"], [("EL-EB-01", 1)], "faulty"),
        returns.request(T["earbuds_100"], [("EL-EB-01", 1)], "faulty"),
        returns.request(T["late_unopened"], [("SR-004", 1)], "unopened", to_sku="SR-004"),
        returns.compensate(T["late3"], "points"),
    ]
    for result in cases:
        script = returns.reply_script(result.return_id)
        assert script.scripts, result.reason
        for slug, title in script.scripts:
            assert any(s.title == title for s in articles[slug].scripts), (slug, title)
        text = script.render(articles).text
        assert text.strip()
        assert script.context["order_no"] == result.order_id
    first = returns.reply_script(cases[0].return_id)
    rendered = first.render(articles).text
    assert cases[0].return_id in rendered and "【退换货单号】" not in rendered
    allergy = returns.reply_script(cases[2].return_id)
    assert "B041" in allergy.render(articles).text


def test_an_exchange_confirmation_states_the_chosen_shade_and_asks_nothing(rstore, T):
    from cs_console.kb.loader import load_kb

    articles = load_kb(KB).by_slug()
    returns = as_(rstore)
    exchange = returns.request(T["shade"], [("FD-102", 1)], "wrong_shade", to_sku="FD-101")
    script = returns.reply_script(exchange.return_id)
    target = rstore.products(["FD-101"])["FD-101"]
    assert script.context["to_shade"] == target["shade"]
    text = script.render(articles).text
    assert target["shade"] in text
    assert "【" not in text and "哪个色号" not in text and "？" not in text and "?" not in text


def test_returns_service_imports_without_textual():
    probe = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'textual' or name.startswith('textual.'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import cs_console.service.returns, cs_console.cli.returns, cs_console.policy.returns\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# -- property: through the real store, repeated requests never over-return ------------------------


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["cosmetics", "big", "wrong", "earbuds", "dryers"]),
            st.integers(0, 2),  # which line of the order
            st.integers(1, 3),  # quantity
            st.sampled_from(
                ["unopened", "quality", "wrong_item", "missing_item", "faulty", "opened"]
            ),
            st.booleans(),  # goodwill
            st.sampled_from([AGENT, TRAINEE, SUPERVISOR]),
            st.booleans(),  # a supervisor declines the newest waiting request afterwards
        ),
        min_size=1,
        max_size=10,
    )
)
def test_property_service_never_returns_beyond_bought_or_paid(clock, steps):
    with Store.open(":memory:", clock) as store:
        tickets = build(store)
        # a supervisor never decides a request they filed: a second one declines
        store.insert_rows("agents", [{"id": "sup02", "name": "李主管", "role": "supervisor"}])
        second = Agent("sup02", "李主管", "supervisor")
        for scenario, index, qty, reason, goodwill, agent, decline in steps:
            order = store.order(f"SO-{scenario}")
            line = order["lines"][index % len(order["lines"])]
            request = ([(line["sku"], qty)], reason)
            verdict = as_(store, agent).preview(tickets[scenario], *request, goodwill=goodwill)
            if not verdict.allowed:
                # refused (the service says why), or this very request was filed already (the
                # same return comes back); either way nothing is written
                before = counts(store)
                try:
                    same = as_(store, agent).request(tickets[scenario], *request, goodwill=goodwill)
                except DeskError as exc:
                    assert reason in str(exc)
                else:
                    assert not same.created and same.reason == reason
                assert counts(store) == before
            else:
                first = as_(store, agent).request(tickets[scenario], *request, goodwill=goodwill)
                again = as_(store, agent).request(tickets[scenario], *request, goodwill=goodwill)
                assert again.return_id == first.return_id and not again.created
            waiting = store.returns_awaiting_approval()
            if decline and waiting:
                as_(store, second).decline(waiting[-1]["id"], "不同意")
        assert store.scalar(
            "SELECT count(*) FROM outbox WHERE kind = 'create_return'"
        ) == store.scalar("SELECT count(*) FROM returns")
        for scenario in tickets:
            order = store.order(f"SO-{scenario}")
            active = [r for r in store.order_returns(order["id"]) if r["status"] != "declined"]
            for line in order["lines"]:
                held = sum(
                    i["qty"] for r in active for i in r["lines"] if i["line_id"] == line["id"]
                )
                assert held <= line["qty"]
            refunded = sum(r["amount"] for r in active if r["resolution"] == "refund")
            assert refunded <= order["paid"] + 1e-6


def test_every_confirmation_script_the_service_names_is_published():
    from cs_console.kb.loader import load_kb
    from cs_console.service.returns import _SCRIPTS

    articles = load_kb(KB).by_slug()
    for (reason, resolution), scripts in _SCRIPTS.items():
        for slug, title in scripts:
            assert any(s.title == title for s in articles[slug].scripts), (reason, resolution)


def test_a_ticket_links_only_an_order_of_its_own_customer(rstore, T):
    returns = as_(rstore)
    ticket = rstore.ticket(T["cosmetics"])
    mine = [o["id"] for o in returns.customer_orders(T["cosmetics"])]
    assert ticket["order_id"] in mine
    theirs = rstore.scalar(
        "SELECT id FROM orders WHERE customer_id != ? LIMIT 1", (ticket["customer_id"],)
    )
    with pytest.raises(DeskError):
        returns.link_order(T["cosmetics"], theirs)
    with pytest.raises(DeskError):
        returns.link_order(T["cosmetics"], "NO-SUCH-ORDER")
    assert rstore.ticket(T["cosmetics"])["order_id"] == ticket["order_id"]
    assert returns.link_order(T["cosmetics"], ticket["order_id"]) is False  # already linked
