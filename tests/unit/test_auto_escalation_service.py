"""Auto-escalation: every ticket past its resolution target goes to a supervisor once, as the
system, audited and queued for RT; never twice (restart, two stores on one file, escalated by
hand or in another console); sync rounds do it, offline too."""

from __future__ import annotations

import json

import pytest

from cs_console import i18n
from cs_console.clock import FixedClock
from cs_console.config import ConfigError, _build
from cs_console.service.desk import Agent, Desk
from cs_console.service.escalation import AutoEscalation, Overdue, notice
from cs_console.service.inbound import Inbound
from cs_console.service.sync import SyncService
from cs_console.store.db import Store
from cs_console.sync.backends.base import RemoteMessage
from cs_console.sync.engine import SyncReport

T0 = "2026-11-20T08:00:00Z"
NORMAL_TARGET_HOURS = 72  # priority 3 (normal), SlaConfig's default


@pytest.fixture(autouse=True)
def _english():
    i18n.set_language("en")
    yield
    i18n.set_language("zh-Hans")


def _team(store: Store) -> None:
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO agents (id, name, role) VALUES (?, ?, ?)",
            [("agent01", "小林", "agent"), ("sup01", "王主管", "supervisor")],
        )


def _ticket(desk: Desk, subject: str, answered: bool = True) -> int:
    ticket_id = desk.create_ticket(None, subject, "请问这款精华适合敏感肌吗", channel="chat")
    if answered:
        desk.reply(ticket_id, "您好,适合的。")
    return ticket_id


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def path(tmp_path):
    return tmp_path / "cache.db"


@pytest.fixture
def desk(path, clock):
    store = Store.open(path, clock)
    _team(store)
    yield Desk(store, Agent("agent01", "小林"))
    store.close()


def _escalate_ops(store: Store) -> list[dict]:
    return store.all("SELECT * FROM outbox WHERE kind = 'escalate' ORDER BY seq")


def test_overdue_ticket_goes_to_a_supervisor_once_as_the_system(desk, clock):
    late = _ticket(desk, "精华适合敏感肌吗")
    clock.advance(hours=1)
    on_time = _ticket(desk, "粉底色号")
    clock.advance(hours=NORMAL_TARGET_HOURS - 1, minutes=30)

    done = AutoEscalation(desk).run()

    assert done == [Overdue(late, 30)]
    ticket = desk.ticket(late)
    assert (ticket["escalated"], ticket["assignee"], ticket["priority"]) == (1, "sup01", 2)
    assert desk.ticket(on_time)["escalated"] == 0
    reason = "SLA breached by 30 min (escalated automatically)"
    note = desk.messages(late)[-1]
    assert (note["direction"], note["author"], note["body"]) == (
        "note",
        "system",
        f"[escalated] {reason}",
    )
    audit = desk.store.audit(late)[0]
    assert (audit["actor"], audit["action"]) == ("system", "escalate")
    assert audit["detail"] == {"reason": reason, "to": "sup01"}
    ops = _escalate_ops(desk.store)
    assert [(op["ticket_id"], op["state"]) for op in ops] == [(late, "pending")]
    assert json.loads(ops[0]["payload"]) == {
        "reason": reason,
        "assignee": "sup01",
        "actor": "system",
    }
    assert AutoEscalation(desk).run() == []
    clock.advance(hours=1)  # the second ticket is now 30 min late too; the first stays done
    assert AutoEscalation(desk).run() == [Overdue(on_time, 30)]
    assert len(_escalate_ops(desk.store)) == 2


def test_reason_is_in_the_interface_language(desk, clock):
    ticket_id = _ticket(desk, "精华适合敏感肌吗")
    clock.advance(hours=NORMAL_TARGET_HOURS, minutes=1, seconds=1)
    i18n.set_language("zh-Hant")
    assert AutoEscalation(desk).run() == [Overdue(ticket_id, 2)]  # minutes round up
    assert desk.messages(ticket_id)[-1]["body"] == "[escalated] SLA 已逾時 2 分鐘（自動升級）"


def test_never_twice_across_a_restart(desk, path, clock):
    ticket_id = _ticket(desk, "精华适合敏感肌吗")
    clock.advance(hours=NORMAL_TARGET_HOURS + 2)
    assert AutoEscalation(desk).run() == [Overdue(ticket_id, 120)]
    desk.store.close()
    with Store.open(path, clock) as reopened:
        again = Desk(reopened, Agent("agent01", "小林"))
        assert AutoEscalation(again).run() == []
        assert len(_escalate_ops(reopened)) == 1
        assert reopened.scalar("SELECT count(*) FROM audit_log WHERE action = 'escalate'") == 1
    desk.store = Store.open(path, clock)  # for the fixture's close


def test_two_stores_on_one_file_escalate_it_once(desk, path, clock):
    ticket_id = _ticket(desk, "精华适合敏感肌吗")
    clock.advance(hours=NORMAL_TARGET_HOURS + 1)
    with Store.open(path, clock) as other_store:
        other = AutoEscalation(Desk(other_store, Agent("agent01", "小林")))
        seen_by_other = other.overdue()  # both processes see the ticket overdue ...
        assert seen_by_other == [Overdue(ticket_id, 60)]
        assert AutoEscalation(desk).run() == [Overdue(ticket_id, 60)]
        assert other.escalate(seen_by_other) == []  # ... the second finds it escalated
    assert len(_escalate_ops(desk.store)) == 1
    assert [m["body"].startswith("[escalated]") for m in desk.messages(ticket_id)].count(True) == 1


def test_a_ticket_escalated_by_hand_is_left_alone(desk, clock):
    ticket_id = _ticket(desk, "精华适合敏感肌吗")
    clock.advance(hours=NORMAL_TARGET_HOURS + 1)
    desk.escalate(ticket_id, "顾客要求主管处理")
    assert AutoEscalation(desk).run() == []
    assert [json.loads(op["payload"])["reason"] for op in _escalate_ops(desk.store)] == [
        "顾客要求主管处理"
    ]


def test_waiting_resolved_and_unanswered_young_tickets_are_not_escalated(desk, clock):
    waiting = _ticket(desk, "等顾客回复")
    desk.set_status(waiting, "pending")
    resolved = _ticket(desk, "已解决")
    desk.set_status(resolved, "resolved")
    unanswered = _ticket(desk, "还没回复", answered=False)
    clock.advance(hours=NORMAL_TARGET_HOURS - 1)
    # the unanswered one breached its 20 s first response long ago, but not its resolution
    assert desk.clock(desk.ticket(unanswered)).state == "breached"
    assert AutoEscalation(desk).run() == []
    clock.advance(hours=2)
    assert AutoEscalation(desk).run() == [Overdue(unanswered, 60)]


def test_a_round_escalates_at_most_per_round_most_overdue_first(desk, clock):
    first = _ticket(desk, "一")
    clock.advance(minutes=10)
    second = _ticket(desk, "二")
    clock.advance(minutes=10)
    third = _ticket(desk, "三")
    clock.advance(hours=NORMAL_TARGET_HOURS, minutes=5)
    capped = AutoEscalation(desk, per_round=2)
    assert capped.run() == [Overdue(first, 25), Overdue(second, 15)]
    assert capped.run() == [Overdue(third, 5)]


def test_pulled_escalation_note_from_another_console_counts(desk, clock):
    ticket_id = _ticket(desk, "精华适合敏感肌吗")
    clock.advance(hours=NORMAL_TARGET_HOURS + 1)
    note = RemoteMessage(
        remote_id="9001",
        ticket_id="77",
        kind="comment",
        author="agent02",
        created="2026-11-23T09:00:00Z",
        content="[escalated] SLA 已超时 60 分钟（自动升级）",
    )
    Inbound(desk).remote_message(ticket_id, note, "note")
    assert desk.ticket(ticket_id)["escalated"] == 1
    assert AutoEscalation(desk).run() == []
    assert _escalate_ops(desk.store) == []


def test_a_round_without_a_backend_escalates_and_queues_for_rt(desk, clock):
    ticket_id = _ticket(desk, "精华适合敏感肌吗")
    clock.advance(hours=NORMAL_TARGET_HOURS + 1)
    done = SyncService(desk, None).round()  # no backend (the demo): nothing pushed or pulled
    assert (done.report.offline, done.report.errors) == (False, [])
    assert desk.store.sync_value("online") is None  # the header says neither online nor offline
    assert done.escalated == [Overdue(ticket_id, 60)]
    assert ticket_id in done.changed
    assert [op["state"] for op in _escalate_ops(desk.store)] == ["pending"]
    assert SyncService(desk, None).round().escalated == []


def test_an_online_round_pushes_its_escalations_at_once(desk, clock, monkeypatch):
    ticket_id = _ticket(desk, "精华适合敏感肌吗")
    clock.advance(hours=NORMAL_TARGET_HOURS + 1)
    passes: list[dict] = []

    def sync_once(self, **options):
        passes.append(options)
        return SyncReport(pushed=len(passes), pending=0)

    monkeypatch.setattr("cs_console.sync.engine.SyncEngine.sync_once", sync_once)
    monkeypatch.setattr("cs_console.service.sync.refresh_due", lambda desk: False)
    done = SyncService(desk, object()).round()  # type: ignore[arg-type]
    assert done.escalated == [Overdue(ticket_id, 60)]
    assert passes == [{}, {"pull": False}]
    assert done.report.pushed == 3  # the round's 1 and the escalation pass's 2
    passes.clear()
    assert SyncService(desk, object()).round().escalated == []  # type: ignore[arg-type]
    assert passes == [{}]  # nothing escalated: no extra pass


def test_auto_off_in_the_config_stops_it(desk, clock):
    _ticket(desk, "精华适合敏感肌吗")
    clock.advance(hours=NORMAL_TARGET_HOURS + 1)
    settings = _build({"escalation": {"auto": False}}, {}, None).escalation
    service = SyncService(desk, None, auto_escalate=settings.auto)
    assert service.round().escalated == []
    assert _escalate_ops(desk.store) == []


def test_escalation_config_defaults_and_refusals():
    settings = _build({}, {}, None).escalation
    assert (settings.auto, settings.per_round) == (True, 200)
    assert _build({"escalation": {"per_round": 5}}, {}, None).escalation.per_round == 5
    with pytest.raises(ConfigError, match=r"escalation.auto must be true or false, not 'yes'"):
        _build({"escalation": {"auto": "yes"}}, {}, None)
    with pytest.raises(ConfigError, match=r"unknown key 'autos' in \[escalation\].*'auto'"):
        _build({"escalation": {"autos": True}}, {}, None)
    with pytest.raises(ConfigError, match="escalation.per_round must be a positive whole number"):
        _build({"escalation": {"per_round": 0}}, {}, None)


def test_notice_names_the_count_and_the_first_ids():
    items = [Overdue(n, 5) for n in (12, 15, 3, 40, 41, 42)]
    assert notice(items[:2]) == (
        "2 overdue ticket(s) escalated to a supervisor automatically: #12, #15"
    )
    assert notice(items) == (
        "6 overdue ticket(s) escalated to a supervisor automatically: #12, #15, #3, #40, #41…"
    )
    i18n.set_language("zh-Hans")
    assert notice(items[:2]) == "2 张超时工单已自动升级给主管：#12、#15"


def test_cli_auto_escalate_applies_the_same_rule(desk, clock):
    ticket_id = _ticket(desk, "精华适合敏感肌吗")
    clock.advance(hours=NORMAL_TARGET_HOURS, minutes=45)
    assert desk.auto_escalate() == [ticket_id]
    assert desk.messages(ticket_id)[-1]["body"] == (
        "[escalated] SLA breached by 45 min (escalated automatically)"
    )
    assert desk.auto_escalate() == []
