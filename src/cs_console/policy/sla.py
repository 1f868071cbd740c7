"""SLA clocks: targets, due times, pauses and the state an agent sees.

Pure functions over plain values; the caller passes ``now``. Two clocks run per ticket: first
response (until the first agent reply) and resolution (until resolved). The clock pauses while
the ticket waits on the customer (``paused_at`` set) and stops for good once resolved, so a
resolved ticket can never show a running, breaching clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo

from cs_console.policy.numbers import number

AT_RISK_FRACTION = 0.20

RETURN_TOPICS = frozenset(
    {
        "return-unopened",
        "return-opened",
        "exchange-wrong-shade",
        "damaged-or-leaking-parcel",
        "wrong-or-missing-item",
        "allergy-reaction-handling",
        "clothing-size-exchange",
        "electronics-fault-return",
        "return-shipping-cost",
        "refund-timeline",
    }
)


def _zone(name: str) -> tzinfo:
    """The time zone ``name`` (zoneinfo loads with the first business hours, not at launch)."""
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


@dataclass(frozen=True)
class BusinessHours:
    """Hours during which SLA time counts, every day, in a local time zone."""

    start: time
    end: time
    tz: str = "Asia/Shanghai"

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise ValueError("business hours: start must be before end")
        _zone(self.tz)


@dataclass(frozen=True)
class SlaConfig:
    """Targets in seconds. Defaults follow the teams' own service standards."""

    first_response: dict[str, int] = field(
        default_factory=lambda: {
            "chat": 20,
            "phone": 20,
            "wechat": 90,
            "app": 90,
            "social": 90,
            "desk": 300,
            "email": 4 * 3600,
        }
    )
    first_response_default: int = 90
    resolution_by_priority: dict[int, int] = field(
        default_factory=lambda: {1: 8 * 3600, 2: 24 * 3600, 3: 72 * 3600, 4: 120 * 3600}
    )
    returns_resolution: int = field(default_factory=lambda: number("return_close_hours") * 3600)
    high_priority_complaint: int = field(
        default_factory=lambda: number("high_priority_complaint_hours") * 3600
    )
    business_hours: BusinessHours | None = None


@dataclass(frozen=True)
class SlaFacts:
    """What the clocks need to know about a ticket."""

    channel: str
    category: str
    topic: str | None
    priority: int
    status: str
    created_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    paused_at: datetime | None = None
    paused_seconds: int = 0


@dataclass(frozen=True)
class SlaClock:
    kind: str  # first_response | resolution
    target_seconds: int
    due: datetime | None
    remaining_seconds: int | None  # negative when breached; None when stopped
    state: str  # ok | at_risk | breached | paused | stopped


def first_response_target(facts: SlaFacts, config: SlaConfig) -> int:
    return config.first_response.get(facts.channel, config.first_response_default)


def resolution_target(facts: SlaFacts, config: SlaConfig) -> int:
    if facts.topic in RETURN_TOPICS:
        return min(
            config.returns_resolution, config.resolution_by_priority.get(facts.priority, 10**9)
        )
    if facts.category == "complaint" and facts.priority <= 2:
        return config.high_priority_complaint
    return config.resolution_by_priority.get(facts.priority, config.resolution_by_priority[3])


def add_clock_seconds(start: datetime, seconds: int, hours: BusinessHours | None) -> datetime:
    """The moment ``seconds`` of SLA time after ``start`` (business time when hours are set)."""
    if hours is None:
        return start + timedelta(seconds=seconds)
    zone = _zone(hours.tz)
    moment = start.astimezone(zone)
    left = float(seconds)
    while True:
        day_start = moment.replace(
            hour=hours.start.hour, minute=hours.start.minute, second=0, microsecond=0
        )
        day_end = moment.replace(
            hour=hours.end.hour, minute=hours.end.minute, second=0, microsecond=0
        )
        if moment < day_start:
            moment = day_start
        if moment >= day_end:
            moment = day_start + timedelta(days=1)
            continue
        available = (day_end - moment).total_seconds()
        if left <= available:
            return (moment + timedelta(seconds=left)).astimezone(start.tzinfo)
        left -= available
        moment = day_start + timedelta(days=1)


def clock_seconds_between(start: datetime, end: datetime, hours: BusinessHours | None) -> int:
    """SLA seconds elapsed between two moments (only business time when hours are set)."""
    if end <= start:
        return 0
    if hours is None:
        return int((end - start).total_seconds())
    zone = _zone(hours.tz)
    moment = start.astimezone(zone)
    finish = end.astimezone(zone)
    total = 0.0
    while moment < finish:
        day_start = moment.replace(
            hour=hours.start.hour, minute=hours.start.minute, second=0, microsecond=0
        )
        day_end = moment.replace(
            hour=hours.end.hour, minute=hours.end.minute, second=0, microsecond=0
        )
        lo = max(moment, day_start)
        hi = min(finish, day_end)
        if hi > lo:
            total += (hi - lo).total_seconds()
        moment = day_start + timedelta(days=1)
    return int(total)


def active_clock(facts: SlaFacts, now: datetime, config: SlaConfig | None = None) -> SlaClock:
    """The clock an agent watches now: first response until answered, then resolution."""
    config = config or SlaConfig()
    if facts.status in ("resolved", "closed") or facts.resolved_at is not None:
        return SlaClock("resolution", resolution_target(facts, config), None, None, "stopped")
    if facts.first_response_at is None:
        kind, target = "first_response", first_response_target(facts, config)
    else:
        kind, target = "resolution", resolution_target(facts, config)
    due = add_clock_seconds(facts.created_at, target + facts.paused_seconds, config.business_hours)
    if facts.paused_at is not None:
        remaining = clock_seconds_between(facts.paused_at, due, config.business_hours)
        if due < facts.paused_at:
            remaining = -clock_seconds_between(due, facts.paused_at, config.business_hours)
        return SlaClock(kind, target, due, remaining, "paused")
    if now <= due:
        remaining = clock_seconds_between(now, due, config.business_hours)
    else:
        remaining = -clock_seconds_between(due, now, config.business_hours)
    if remaining < 0:
        state = "breached"
    elif remaining < target * AT_RISK_FRACTION:
        state = "at_risk"
    else:
        state = "ok"
    return SlaClock(kind, target, due, remaining, state)


def resolution_due(facts: SlaFacts, config: SlaConfig | None = None) -> datetime:
    config = config or SlaConfig()
    return add_clock_seconds(
        facts.created_at,
        resolution_target(facts, config) + facts.paused_seconds,
        config.business_hours,
    )


def needs_auto_escalation(
    facts: SlaFacts, escalated: bool, now: datetime, config: SlaConfig | None = None
) -> bool:
    """An unresolved, not yet escalated ticket past its resolution target goes to a supervisor."""
    if escalated or facts.status in ("resolved", "closed") or facts.paused_at is not None:
        return False
    return now > resolution_due(facts, config)


def format_remaining(seconds: int | None) -> str:
    """``12:05``, ``3h04m``, ``2d05h``; negative (breached) with a leading minus; ``--`` stopped."""
    if seconds is None:
        return "--"
    sign = "-" if seconds < 0 else ""
    left = abs(int(seconds))
    if left < 3600:
        return f"{sign}{left // 60:02d}:{left % 60:02d}"
    if left < 86400:
        return f"{sign}{left // 3600}h{(left % 3600) // 60:02d}m"
    return f"{sign}{left // 86400}d{(left % 86400) // 3600:02d}h"
