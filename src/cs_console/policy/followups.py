"""Follow-up work: what a resolution creates (the callback, the first buyer's usage check), the
VIP birthday-month greeting, when each is due and overdue, and which outcome is an unhappy one."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cs_console.policy.numbers import number
from cs_console.policy.returns import SHOP_TZ

#: Kinds of follow-up (``followups.kind``).
KINDS = ("after_resolution", "first_purchase_usage", "birthday_greeting")
#: What a follow-up came to (``followups.outcome``): the customer was reached, did not answer,
#: or declined (the call, the survey, or the resolution).
OUTCOMES = ("reached", "no_answer", "declined")
#: Membership tiers that count as VIP (``customers.tier``) and get a birthday-month greeting.
VIP_TIERS = ("gold", "diamond")
#: A follow-up not done this long after it fell due is overdue.
OVERDUE_AFTER = timedelta(hours=24)
#: Satisfaction (1-5) at or below this is an unhappy callback.
UNHAPPY_AT_OR_BELOW = 2
SATISFACTION_RANGE = (1, 5)


@dataclass(frozen=True)
class FollowUp:
    kind: str  # one of KINDS
    due_at: datetime
    period: str | None = None  # the year of a birthday greeting (one per customer per year)


def followups_on_resolution(
    resolved_at: datetime,
    first_time_buyer: bool,
    delivered_at: datetime | None,
) -> list[FollowUp]:
    """A call 72 h after resolution; a 30-day usage check when this was the customer's first order."""
    tasks = [
        FollowUp(
            "after_resolution",
            resolved_at + timedelta(hours=number("followup_after_resolve_hours")),
        )
    ]
    if first_time_buyer:
        start = delivered_at or resolved_at
        tasks.append(
            FollowUp(
                "first_purchase_usage", start + timedelta(days=number("first_buyer_followup_days"))
            )
        )
    return tasks


def birthday_greeting(tier: str | None, birthday: str | None, now: datetime) -> FollowUp | None:
    """The greeting a VIP gets in their birthday month (in the shop's time zone), due on the
    birthday itself (the 28th for a 29 February birthday in a common year); None for any other
    tier, another month, or a birthday that is not a ``YYYY-MM-DD`` date."""
    if tier not in VIP_TIERS or not birthday:
        return None
    try:
        born = date.fromisoformat(birthday.strip()[:10])
    except ValueError:
        return None
    today = now.astimezone(SHOP_TZ).date()
    if born.month != today.month:
        return None
    day = min(born.day, calendar.monthrange(today.year, today.month)[1])
    local_midnight = datetime(today.year, today.month, day, tzinfo=SHOP_TZ)
    return FollowUp("birthday_greeting", local_midnight.astimezone(UTC), str(today.year))


def state(due_at: datetime, done: bool, now: datetime) -> str:
    """``done``, ``upcoming`` (not yet due), ``due``, or ``overdue`` (due more than
    :data:`OVERDUE_AFTER` ago and not done)."""
    if done:
        return "done"
    if due_at > now:
        return "upcoming"
    return "overdue" if now - due_at > OVERDUE_AFTER else "due"


def is_unhappy(outcome: str, satisfaction: int | None, comment: str | None) -> bool:
    """An unhappy follow-up: satisfaction 1-2, or the customer declined and said why (a
    complaint in the comment). Its ticket is reopened."""
    if satisfaction is not None and satisfaction <= UNHAPPY_AT_OR_BELOW:
        return True
    return outcome == "declined" and bool(comment and comment.strip())


def outcome_problems(outcome: str, satisfaction: int | None) -> list[tuple[str, dict[str, Any]]]:
    """What is wrong with a recorded outcome, as (i18n key, parameters); empty when it can be
    stored."""
    problems: list[tuple[str, dict[str, Any]]] = []
    if outcome not in OUTCOMES:
        problems.append(("err.followup.outcome", {"outcome": outcome, "choices": OUTCOMES}))
    low, high = SATISFACTION_RANGE
    if satisfaction is not None and not low <= satisfaction <= high:
        problems.append(("err.followup.satisfaction", {"value": satisfaction}))
    if outcome == "no_answer" and satisfaction is not None:
        problems.append(("err.followup.no_answer_score", {}))
    return problems
