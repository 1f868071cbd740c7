from datetime import UTC, datetime, time, timedelta

from cs_console.policy.sla import (
    BusinessHours,
    SlaConfig,
    SlaFacts,
    active_clock,
    add_clock_seconds,
    clock_seconds_between,
    format_remaining,
    needs_auto_escalation,
)

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def facts(**kw):
    base = dict(
        channel="chat",
        category="pre-sale",
        topic="skin-type-dry",
        priority=3,
        status="open",
        created_at=T0,
    )
    base.update(kw)
    return SlaFacts(**base)


def test_chat_first_response_in_seconds_and_text_channels_90s():
    assert active_clock(facts(), T0).target_seconds == 20
    assert active_clock(facts(channel="wechat"), T0).target_seconds == 90
    assert active_clock(facts(channel="app"), T0).target_seconds == 90


def test_at_risk_under_20_percent_and_breached_negative():
    f = facts(channel="wechat")
    assert active_clock(f, T0 + timedelta(seconds=60)).state == "ok"
    assert active_clock(f, T0 + timedelta(seconds=75)).state == "at_risk"
    late = active_clock(f, T0 + timedelta(seconds=100))
    assert late.state == "breached" and late.remaining_seconds == -10
    assert format_remaining(late.remaining_seconds) == "-00:10"


def test_returns_closed_in_48h_and_high_priority_complaints_in_24h():
    answered = T0 + timedelta(seconds=5)
    assert (
        active_clock(
            facts(topic="return-unopened", category="after-sale", first_response_at=answered), T0
        ).target_seconds
        == 48 * 3600
    )
    assert (
        active_clock(
            facts(
                topic="staff-attitude-complaint",
                category="complaint",
                priority=2,
                first_response_at=answered,
            ),
            T0,
        ).target_seconds
        == 24 * 3600
    )


def test_clock_pauses_while_waiting_on_customer():
    answered = T0 + timedelta(seconds=5)
    paused = facts(first_response_at=answered, paused_at=T0 + timedelta(hours=1), status="pending")
    a = active_clock(paused, T0 + timedelta(hours=2))
    b = active_clock(paused, T0 + timedelta(days=10))
    assert (
        a.state == b.state == "paused" and a.remaining_seconds == b.remaining_seconds == 71 * 3600
    )
    resumed = facts(first_response_at=answered, paused_seconds=3600 * 10)
    assert active_clock(resumed, T0 + timedelta(hours=11)).remaining_seconds == 71 * 3600


def test_resolved_clock_is_stopped_forever():
    done = facts(status="resolved", resolved_at=T0 + timedelta(hours=1))
    clock = active_clock(done, T0 + timedelta(days=400))
    assert clock.state == "stopped" and clock.due is None and clock.remaining_seconds is None
    assert not needs_auto_escalation(done, False, T0 + timedelta(days=400))


def test_business_hours_skip_the_night():
    hours = BusinessHours(time(9), time(22), "Asia/Shanghai")
    late = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)  # 21:30 local
    due = add_clock_seconds(late, 3600, hours)
    assert due == datetime(2026, 11, 24, 1, 30, tzinfo=UTC)  # 09:30 local next day
    assert clock_seconds_between(late, due, hours) == 3600
    config = SlaConfig(business_hours=hours)
    f = facts(channel="email", created_at=late)
    assert active_clock(f, late + timedelta(hours=10), config).remaining_seconds == 4 * 3600 - 1800


def test_auto_escalation_only_past_resolution_target():
    f = facts(first_response_at=T0 + timedelta(seconds=5))
    assert not needs_auto_escalation(f, False, T0 + timedelta(hours=71))
    assert needs_auto_escalation(f, False, T0 + timedelta(hours=73))
    assert not needs_auto_escalation(f, True, T0 + timedelta(hours=73))


def test_format_remaining():
    assert format_remaining(65) == "01:05"
    assert format_remaining(3 * 3600 + 4 * 60) == "3h04m"
    assert format_remaining(-(2 * 86400 + 5 * 3600)) == "-2d05h"
    assert format_remaining(None) == "--"
