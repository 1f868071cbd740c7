"""The follow-up rules: birthday-month greetings for VIPs, due and overdue, unhappy outcomes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cs_console.policy import followups as policy


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_vip_in_their_birthday_month_is_greeted_on_the_birthday_shop_time():
    task = policy.birthday_greeting("gold", "1990-12-15", at("2026-12-02T08:00:00"))
    assert task == policy.FollowUp("birthday_greeting", at("2026-12-14T16:00:00"), "2026")


def test_the_month_is_the_shops_not_utc():
    # 30 November 17:00 UTC is 1 December 01:00 in Shanghai: December birthdays count
    task = policy.birthday_greeting("diamond", "1985-12-01", at("2026-11-30T17:00:00"))
    assert task is not None and task.due_at == at("2026-11-30T16:00:00")
    assert policy.birthday_greeting("diamond", "1985-11-30", at("2026-11-30T17:00:00")) is None


@pytest.mark.parametrize(
    ("tier", "birthday"),
    [
        ("member", "1990-12-15"),
        ("silver", "1990-12-15"),
        ("gold", "1990-11-15"),
        ("gold", None),
        ("gold", "15/12/1990"),
        ("gold", ""),
    ],
)
def test_no_greeting_for_other_tiers_months_or_unreadable_birthdays(tier, birthday):
    assert policy.birthday_greeting(tier, birthday, at("2026-12-02T08:00:00")) is None


def test_29_february_is_greeted_on_the_28th_in_a_common_year():
    task = policy.birthday_greeting("gold", "2000-02-29", at("2027-02-03T00:00:00"))
    assert task is not None and task.due_at == at("2027-02-27T16:00:00")
    assert task.period == "2027"


def test_states_upcoming_due_overdue_done():
    due = at("2026-11-26T08:00:00")
    assert policy.state(due, False, due - timedelta(seconds=1)) == "upcoming"
    assert policy.state(due, False, due) == "due"
    assert policy.state(due, False, due + timedelta(hours=24)) == "due"
    assert policy.state(due, False, due + timedelta(hours=24, seconds=1)) == "overdue"
    assert policy.state(due, True, due + timedelta(days=9)) == "done"


@pytest.mark.parametrize(
    ("outcome", "satisfaction", "comment", "unhappy"),
    [
        ("reached", 1, None, True),
        ("reached", 2, "", True),
        ("reached", 3, "meh", False),
        ("reached", 5, None, False),
        ("declined", None, "产品没用", True),
        ("declined", None, "   ", False),
        ("declined", None, None, False),
        ("no_answer", None, "rang twice", False),
    ],
)
def test_unhappy_is_a_low_score_or_a_declined_complaint(outcome, satisfaction, comment, unhappy):
    assert policy.is_unhappy(outcome, satisfaction, comment) is unhappy


def test_outcome_problems_name_each_rule():
    assert policy.outcome_problems("reached", 5) == []
    assert policy.outcome_problems("maybe", None) == [
        ("err.followup.outcome", {"outcome": "maybe", "choices": policy.OUTCOMES})
    ]
    assert policy.outcome_problems("reached", 6) == [("err.followup.satisfaction", {"value": 6})]
    assert policy.outcome_problems("no_answer", 3) == [("err.followup.no_answer_score", {})]
