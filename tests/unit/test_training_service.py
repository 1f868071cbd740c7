"""Practice shifts on a sandbox: follow-ups, grading on resolve, results in the real cache and
nothing else there; progress, readiness and promotion."""

from __future__ import annotations

import pytest
from training_fixture import products, scenarios

from cs_console import demo
from cs_console.clock import FixedClock
from cs_console.service.desk import Desk, DeskError
from cs_console.service.returns import Returns
from cs_console.service.session import sign_in
from cs_console.service.training import (
    Practice,
    Progress,
    Results,
    notes_for,
    scenarios_for,
)
from cs_console.store.db import Store
from cs_console.training.rubric import grade

NOW = "2026-11-23T08:00:00Z"


@pytest.fixture
def real(tmp_path):
    store = Store.open(tmp_path / "real.db", FixedClock(NOW))
    demo.seed(store, tickets=30, seed_value=3)
    yield store
    store.close()


@pytest.fixture
def fixtures(tmp_path):
    return scenarios(tmp_path / "training")


def _start(real, tmp_path, fixtures, agent="trainee01"):
    clock = FixedClock(NOW)
    box = Store.open(tmp_path / "sandbox.db", clock)
    trainee = sign_in(real, agent)
    desk = Practice(real, trainee, box, products()).start(fixtures)
    return desk, clock


def _counts(store):
    return {
        table: store.scalar(f"SELECT count(*) FROM {table}")
        for table in ("tickets", "messages", "outbox", "returns", "customers", "orders")
    }


def _work_allergy(desk, clock):
    ticket_id = next(t for t, s in desk.tickets.items() if s.slug == "fx-allergy")
    clock.advance(minutes=1)  # within wechat's 90 s first-response standard
    desk.reply(ticket_id, "您好,非常抱歉让您难受了。请您立即停用,如果加重请就医。麻烦发一下批号。")
    clock.advance(minutes=3)
    Returns(desk).request(ticket_id, [("SR-003", 1)], "allergy", "refund", batch_no="B2609C14")
    desk.reply(ticket_id, "已为您提交过敏退款。还有其他问题随时联系我们。")
    clock.advance(minutes=1)
    desk.set_status(ticket_id, "resolved")
    return ticket_id


def test_first_reply_counts_from_opening_the_ticket_against_the_channel(real, tmp_path, fixtures):
    desk, clock = _start(real, tmp_path, fixtures)
    ticket_id = next(t for t, s in desk.tickets.items() if s.slug == "fx-allergy")
    clock.advance(minutes=30)  # another ticket was worked first: this one's clock waits
    desk.ticket_view(ticket_id)
    clock.advance(seconds=180)  # wechat's standard is 90 s: 90 s over
    desk.reply(ticket_id, "您好,请先停用,加重请就医。麻烦发一下批号。还有其他问题随时联系我们。")
    clock.advance(minutes=1)
    desk.set_status(ticket_id, "resolved")
    feedback = desk.feedback[ticket_id]
    assert (feedback.minutes, feedback.first_response_seconds) == (4.0, 180.0)
    assert feedback.first_response_target == 90
    time = feedback.grade.line("time")
    # resolution 4 of 8 min: full; first reply 180 of 90 s: half; 0.6 * 1 + 0.4 * 0.5
    assert (time.score, time.missed) == (8.0, ("first reply 180/90 s",))


def test_sandbox_is_seeded_with_scenarios_as_tickets(real, tmp_path, fixtures):
    desk, _ = _start(real, tmp_path, fixtures)
    assert len(desk.tickets) == 2
    allergy = next(t for t, s in desk.tickets.items() if s.slug == "fx-allergy")
    view = desk.ticket_view(allergy)
    assert view["customer"]["name"] == "林晓"
    assert view["ticket"]["assignee"] == "trainee01"
    assert view["ticket"]["allergy"] == 1  # triaged like any inbound message
    line = view["order"]["lines"][0]
    assert (line["sku"], line["batch_no"]) == ("SR-003", "B2609C14")
    assert view["order"]["delivered_at"] == "2026-11-18T08:00:00Z"  # 5 days before now
    assert desk.agent.role == "trainee"  # from the real cache's agents table
    presale = next(t for t, s in desk.tickets.items() if s.slug == "fx-presale")
    assert desk.ticket(presale)["order_id"] is None


def test_followup_arrives_its_delay_after_the_nth_reply(real, tmp_path, fixtures):
    desk, clock = _start(real, tmp_path, fixtures)
    ticket_id = next(t for t, s in desk.tickets.items() if s.slug == "fx-allergy")
    assert [m["direction"] for m in desk.messages(ticket_id)] == ["in"]
    desk.reply(ticket_id, "您好")
    assert [m["direction"] for m in desk.messages(ticket_id)] == ["in", "out"]
    clock.advance(seconds=19)
    assert desk.deliver_due() == []  # the scenario's follow-up takes 20 s
    clock.advance(seconds=1)
    assert desk.deliver_due() == [ticket_id]
    messages = desk.messages(ticket_id)
    assert [m["direction"] for m in messages] == ["in", "out", "in"]
    assert "B2609C14" in messages[-1]["body"]
    assert messages[-1]["created_at"] == "2026-11-23T08:00:20Z"
    desk.reply(ticket_id, "好的")
    clock.advance(minutes=5)
    assert desk.deliver_due() == []
    assert len(desk.messages(ticket_id)) == 4  # no second follow-up, none twice


def test_a_followup_for_a_graded_ticket_is_dropped(real, tmp_path, fixtures):
    desk, clock = _start(real, tmp_path, fixtures)
    ticket_id = next(t for t, s in desk.tickets.items() if s.slug == "fx-allergy")
    desk.reply(ticket_id, "您好,请停用。还有其他问题随时联系我们。")
    desk.set_status(ticket_id, "resolved")
    clock.advance(minutes=1)
    assert desk.deliver_due() == [] and desk.on_the_way == []
    assert desk.ticket(ticket_id)["status"] == "resolved"


def test_resolve_grades_and_records_in_the_real_cache_only(real, tmp_path, fixtures):
    before = _counts(real)
    desk, clock = _start(real, tmp_path, fixtures)
    seen = []
    desk.on_graded = seen.append
    ticket_id = _work_allergy(desk, clock)
    feedback = desk.feedback[ticket_id]
    assert seen == [feedback]
    assert feedback.grade.total == 100
    assert feedback.minutes == 5
    assert feedback.verdict == "allowed"
    assert any("allergy_report_days=30" in r for r in feedback.verdict_reasons)
    # nothing from training reaches the real cache's tickets, messages, outbox, returns ...
    assert _counts(real) == before
    # ... only the training result, with an audit row
    rows = real.all("SELECT trainee, scenario, total, minutes FROM training_results")
    assert rows == [
        {"trainee": "trainee01", "scenario": "fx-allergy", "total": 100.0, "minutes": 5.0}
    ]
    assert real.audit(limit=1)[0]["action"] == "training_graded"
    # and the sandbox's own outbox holds the practice ops, never pushed anywhere
    assert desk.store.scalar("SELECT count(*) FROM outbox") > 0
    desk.set_status(ticket_id, "closed")  # closing a graded ticket does not grade it again
    assert real.scalar("SELECT count(*) FROM training_results") == 1


def test_results_survive_the_sandbox_being_thrown_away(real, tmp_path, fixtures):
    desk, clock = _start(real, tmp_path, fixtures)
    _work_allergy(desk, clock)
    desk.store.close()
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"sandbox.db{suffix}").unlink(missing_ok=True)
    report = Progress(real, fixtures).report("trainee01")
    assert report["scenarios_done"] == ["fx-allergy"]


def test_a_poor_handling_says_what_was_missed(real, tmp_path, fixtures):
    desk, clock = _start(real, tmp_path, fixtures)
    ticket_id = next(t for t, s in desk.tickets.items() if s.slug == "fx-allergy")
    desk.reply(ticket_id, "这肯定是您自己皮肤的问题")
    clock.advance(minutes=30)
    desk.set_status(ticket_id, "resolved")
    g = desk.feedback[ticket_id].grade
    assert g.line("solution").score == 0
    assert g.line("facts").missed == ("停用", "就医", "批号")
    assert g.line("greeting").score == 0
    assert g.line("time").score < 10
    assert g.total < 30


def test_sandbox_must_be_new_and_another_file(real, tmp_path, fixtures):
    trainee = sign_in(real, "trainee01")
    with pytest.raises(DeskError, match="another file"):
        Practice(real, trainee, real, products()).start(fixtures)


def test_scenarios_for_slug_and_set(fixtures):
    assert [s.slug for s in scenarios_for(fixtures)] == ["fx-allergy"]  # basics by default
    assert [s.slug for s in scenarios_for(fixtures, set_name="all")] == ["fx-allergy", "fx-presale"]
    with pytest.raises(DeskError, match="no scenario"):
        scenarios_for(fixtures, "nope")
    with pytest.raises(DeskError, match="sets:"):
        scenarios_for(fixtures, set_name="vip")


def test_readiness_and_promotion(real, tmp_path, fixtures):
    progress = Progress(real, fixtures, pass_mark=80, ready_set="basics")
    sup = Desk(real, sign_in(real, "sup01"))
    with pytest.raises(DeskError, match="not ready"):
        progress.promote(sup, "trainee01")
    desk, clock = _start(real, tmp_path, fixtures)
    _work_allergy(desk, clock)
    report = progress.report("trainee01")
    assert report["ready"]["ready"] and report["ready"]["passed"] == ["fx-allergy"]
    agent = Desk(real, sign_in(real, "agent01"))
    with pytest.raises(DeskError, match="only a supervisor"):
        progress.promote(agent, "trainee01")
    assert real.agent("trainee01")["role"] == "trainee"
    progress.promote(sup, "trainee01")
    assert real.agent("trainee01")["role"] == "agent"
    row = real.audit(limit=1)[0]
    assert row["action"] == "training_promote" and row["actor"] == "sup01"
    with pytest.raises(DeskError, match="not a trainee"):
        progress.promote(sup, "trainee01")


def test_report_averages_weakest_and_quizzes(real, fixtures):
    results = Results(real, sign_in(real, "trainee01"))
    allergy, presale = fixtures
    results.record("trainee01", presale, grade_for(presale, ["你好"]), 3)
    results.record("trainee01", allergy, grade_for(allergy, ["您好,请停用就医,批号?"]), 9)
    results.record_quiz("trainee01", 7, [{"right": True}, {"right": False}])
    report = Progress(real, fixtures).report("trainee01")
    assert report["attempts"] == 2
    assert report["lines"]["greeting"]["average"] == 10
    assert report["lines"]["greeting"]["first_half"] == 10
    assert [w["category"] for w in report["weakest"]][0] in ("after-sale", "pre-sale")
    assert report["quizzes"] == {
        "taken": 1,
        "average_percent": 50.0,
        "last": {"correct": 1, "questions": 2, "taken_at": NOW},
    }


def grade_for(scenario, replies):
    from cs_console.service.training import handling_of
    from cs_console.training.rubric import Actions

    return grade(handling_of(scenario), replies, Actions(minutes=1))


@pytest.mark.parametrize(
    ("lang", "has", "lacks"),
    [
        ("zh-Hans", "先请顾客**立即停用**", "stop using"),
        ("zh-Hant", "先請顧客**立即停用**", "请"),
        ("en", "Ask her to **stop using** it first", "停用"),
    ],
)
def test_notes_speak_the_trainees_language(fixtures, lang, has, lacks):
    allergy = next(s for s in fixtures if s.slug == "fx-allergy")
    notes = notes_for(allergy, lang)
    assert has in notes and lacks not in notes and "## English" not in notes


def test_a_zh_hant_quiz_is_the_same_quiz_in_traditional_characters(tmp_path, monkeypatch):
    from kb_fixture import write_kb

    from cs_console.service.knowledge import to_traditional
    from cs_console.service.training import quiz_questions

    kb = write_kb(tmp_path / "kb")
    simplified = quiz_questions(kb, 6, 7, "zh-Hans")
    traditional = quiz_questions(kb, 6, 7, "zh-Hant")
    assert [q.answer for q in traditional] == [q.answer for q in simplified]
    assert [q.text for q in traditional] == [to_traditional(q.text) for q in simplified]
    assert [q.choices for q in traditional] == [
        tuple(to_traditional(c) for c in q.choices) for q in simplified
    ]
    assert any(q.text != t.text for q, t in zip(simplified, traditional, strict=True))
    assert all("应" not in q.explanation and "后" not in q.explanation for q in traditional)


def test_titles_in_the_trainees_language():
    from cs_console.service.training import in_language

    titles = ("Redness after a serum", "用精华后脸红")
    assert [in_language(*titles, lang) for lang in ("zh-Hans", "zh-Hant", "en")] == [
        "用精华后脸红",
        "用精華後臉紅",
        "Redness after a serum",
    ]
