"""Service metrics for the report CLI and the supervisor's dashboard.

:class:`Metrics` turns the store's counts and distributions into figures (value, target,
green/amber/red state, the counts behind a share) for a :class:`Period`, as one total row and
one row per group of a breakdown; :meth:`Metrics.ticket_ids` lists the tickets behind a figure
for a drill-down. Agents and trainees see only the tickets assigned to them; supervisors see
all. Figures are defined in ``policy.metrics`` and ``store.metrics``; the README's "Service
metrics" section says what each counts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from cs_console.clock import to_iso
from cs_console.policy import metrics as rules
from cs_console.policy.sla import SlaConfig
from cs_console.service.desk import Desk, DeskError
from cs_console.store.metrics import MetricsScope
from cs_console.store.metrics_slots import Targets

DEFAULT_ZONE = "Asia/Shanghai"  # the shop's zone (policy.returns.SHOP_TZ) when none is set
#: the dashboard's series
SERIES = ("agent", "hour", "day")
#: the figures that are distributions (the dashboard's tiles carry them, its series do not)
DISTRIBUTIONS = frozenset(
    {
        "first_response_median",
        "first_response_p90",
        "resolution_median",
        "resolution_p90",
        "backlog_age_median",
        "backlog_age_max",
    }
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class PeriodError(DeskError):
    """A period that cannot be read (bad date, from after to); the message says which."""


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC, and the zone its days and hours are read in."""

    start: datetime
    end: datetime
    zone: str

    def as_json(self) -> dict[str, str]:
        return {"from": to_iso(self.start), "to": to_iso(self.end), "zone": self.zone}

    def label(self) -> str:
        """``2026-11-01 .. 2026-11-30`` in local days (the end is exclusive, so the last day
        shown is the one before it), or local times when the bounds are not midnights."""
        zone = ZoneInfo(self.zone)
        start, end = self.start.astimezone(zone), self.end.astimezone(zone)
        if start.time() == time(0) and end.time() == time(0):
            return f"{start:%Y-%m-%d} .. {(end - timedelta(days=1)):%Y-%m-%d}"
        return f"{start:%Y-%m-%d %H:%M} .. {end:%Y-%m-%d %H:%M}"


def zone_of(sla: SlaConfig) -> str:
    """The configured time zone: the business hours' zone, else the shop's."""
    return sla.business_hours.tz if sla.business_hours else DEFAULT_ZONE


def parse_period(
    start: str | None, end: str | None, now: datetime, zone: str = DEFAULT_ZONE
) -> Period:
    """A period from CLI text. A date (``2026-11-01``) is a local day in ``zone``: ``start``
    from its midnight, ``end`` through its last second (the end day is included). A time with
    an offset or ``Z`` is exact; one without is local. Without ``start``, the period begins on
    ``end``'s day; without either, it is today."""
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    begin = _moment(start, tz, "--from", False) if start else None
    finish = _moment(end, tz, "--to", True) if end else None
    if begin is None:
        day = (finish - timedelta(seconds=1)).astimezone(tz).date() if finish else today
        begin = _midnight(day, tz)
    if finish is None:
        day = max(today, begin.astimezone(tz).date())
        finish = _midnight(day + timedelta(days=1), tz)
    if begin >= finish:
        raise PeriodError(
            "err.period_empty", start=start or to_iso(begin), end=end or to_iso(finish)
        )
    return Period(begin, finish, zone)


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tz).astimezone(UTC)


def _moment(text: str, tz: ZoneInfo, option: str, end_of_day: bool) -> datetime:
    text = text.strip()
    try:
        if _DATE.fullmatch(text):
            day = date.fromisoformat(text)
            return _midnight(day + timedelta(days=1) if end_of_day else day, tz)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise PeriodError("err.not_a_moment", option=option, text=repr(text)) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC)


@dataclass
class Row:
    """One line of a report: a group of the breakdown (or the total) and its figures."""

    group: Any
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"group": self.group, "figures": self.figures}


@dataclass
class Report:
    period: Period
    by: str
    agent: str | None  # only this agent's tickets (None: the whole team)
    total: Row
    rows: list[Row]
    backlog_age_bands: list[dict[str, Any]]
    allergy: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.period.as_json(),
            "by": self.by,
            "agent": self.agent,
            "total": self.total.as_json(),
            "rows": [row.as_json() for row in self.rows],
            "backlog_age_bands": self.backlog_age_bands,
            "allergy_batches": self.allergy,
        }


class Metrics:
    """The figures one signed-in agent may see (their own, or a supervisor's whole team)."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.store = desk.store
        self.sla = desk.sla_config

    @property
    def zone(self) -> str:
        return zone_of(self.sla)

    def period(self, start: str | None = None, end: str | None = None) -> Period:
        """A period read in the configured zone (see :func:`parse_period`)."""
        return parse_period(start, end, self.desk.now(), self.zone)

    def today(self) -> Period:
        return self.period()

    @property
    def own_only(self) -> str | None:
        """The agent whose tickets alone count, unless the signed-in agent is a supervisor."""
        return None if rules.sees_team_figures(self.desk.agent.role) else self.desk.agent.id

    def scope(self, period: Period) -> MetricsScope:
        business = None
        hours = self.sla.business_hours
        if hours is not None:
            business = (
                hours.start.hour * 3600 + hours.start.minute * 60,
                hours.end.hour * 3600 + hours.end.minute * 60,
                _offset(hours.tz, period.start),
            )
        return MetricsScope(
            start=to_iso(period.start),
            end=to_iso(period.end),
            now=to_iso(self.desk.now()),
            sla=self.sla,
            agent=self.own_only,
            offset_seconds=_offset(period.zone, period.start),
            business=business,
        )

    # -- figures ---------------------------------------------------------------------------

    def report(self, period: Period, by: str = "all") -> Report:
        """Every figure for the period: the total, and one row per group of ``by``. The total
        is summed from the groups (they split the tickets), so a breakdown costs one pass."""
        if by not in rules.BREAKDOWNS:
            raise DeskError("err.unknown_breakdown", by=repr(by), choices=tuple(rules.BREAKDOWNS))
        scope = self._counted(self.scope(period))
        raw = self._raw(scope, by)
        total = raw.merged()
        return Report(
            period=period,
            by=by,
            agent=scope.agent,
            total=self._row("all", total, "all"),
            rows=[] if by == "all" else [self._row(key, raw, by) for key in raw.groups()],
            backlog_age_bands=_age_bands(total.backlog.get("all", [])),
            allergy=self.store.allergy_batches(scope),
        )

    def dashboard(self, period: Period) -> dict[str, Any]:
        """What the dashboard shows: the tiles (every figure of the period), the series by
        hour of day and by day, the table per agent, the backlog by age and the allergy
        batches. The series carry every figure but the distributions (first response and
        resolution median and p90, the backlog's median and oldest age), which are the
        tiles' (``report --by`` gives them per group); the tiles are the agents' rows summed."""
        scope = self._counted(self.scope(period))
        combined = "+".join(SERIES)
        counts = _split(self.store.metric_fast_counts(scope, combined), SERIES)
        followups = _split(self.store.followup_counts(scope, combined), SERIES)
        csat = _split(self.store.csat_counts(scope, combined), SERIES)
        backlog = self.store.backlog_summary(scope, SERIES)
        dist: dict[str, float | None] = dict(self.store.metric_percentiles(scope))
        dist |= {"backlog_age_median": backlog.median, "backlog_age_max": backlog.oldest}
        tiles = self._figures(
            _added(counts["agent"]),
            _added(followups["agent"]),
            _added(csat["agent"]),
            None,
            backlog.total,
            dist,
        )

        def rows(by: str) -> list[Row]:
            parts = (counts[by], backlog.by[by], followups[by], csat[by])
            keys = sorted(set().union(*parts), key=_order)
            return [
                Row(
                    key,
                    self._figures(
                        counts[by].get(key, {}),
                        followups[by].get(key, {}),
                        csat[by].get(key, {}),
                        None,
                        backlog.by[by].get(key, 0),
                        None,
                    ),
                )
                for key in keys
            ]

        return {
            "period": period,
            "agent": scope.agent,
            "tiles": tiles,
            "by_agent": rows("agent"),
            "by_hour": rows("hour"),
            "by_day": rows("day"),
            "backlog_age_bands": _bands(backlog.bands),
            "allergy": self.store.allergy_batches(scope),
        }

    def tiles(self, period: Period) -> dict[str, dict[str, Any]]:
        """The dashboard's tiles: each figure of the whole period with target and state."""
        return self.report(period).total.figures

    def ticket_ids(
        self, period: Period, figure: str, by: str = "all", group: Any = None, limit: int = 500
    ) -> list[int]:
        """The tickets behind a figure (for a drill-down into the queue): those that keep it
        off its target (late, missed, not resolved, reopened, escalated, repeats), or all it
        counts for volumes and times; within one group of ``by`` when given."""
        rules.figure(figure)
        scope = self.scope(period)
        if figure.startswith(("followups_", "csat")):
            return self.store.followup_ticket_ids(scope, figure, limit)
        return self.store.metric_ticket_ids(scope, figure, by, group, limit)

    def _counted(self, scope: MetricsScope) -> MetricsScope:
        """``scope``, with the slot counters judging against the configured SLA as it stands
        today (recounted once when the configuration changed). A period whose business hours
        fall at another UTC offset (daylight saving) is read exactly instead of recounting."""
        today = self.scope(self.today())
        self.store.use_metric_targets(Targets.of(today.sla, today.business))
        self.store.use_metric_offset(today.offset_seconds)
        return scope

    def _raw(self, scope: MetricsScope, by: str) -> _Raw:
        histograms = self.store.metric_histograms(scope, by)
        return _Raw(
            counts=self.store.metric_fast_counts(scope, by),
            frt=histograms["frt"],
            res=histograms["res"],
            backlog=self.store.backlog_ages(scope, by),
            followups=self.store.followup_counts(scope, by),
            csat=self.store.csat_counts(scope, by),
        )

    def _row(self, key: Any, raw: _Raw, by: str) -> Row:
        frt, res = raw.frt.get(key, []), raw.res.get(key, [])
        backlog = raw.backlog.get(key, [])
        dist = {
            "first_response_median": rules.nearest_rank(frt, 0.5),
            "first_response_p90": rules.nearest_rank(frt, 0.9),
            "resolution_median": rules.nearest_rank(res, 0.5),
            "resolution_p90": rules.nearest_rank(res, 0.9),
            "backlog_age_median": rules.nearest_rank(backlog, 0.5),
            "backlog_age_max": max((age for age, _count in backlog), default=None),
        }
        return Row(
            key,
            self._figures(
                raw.counts.get(key, {}),
                raw.followups.get(key, {}),
                raw.csat.get(key, {}),
                self.sla.first_response.get(key) if by == "channel" else None,
                sum(count for _age, count in backlog),
                dist,
            ),
        )

    def _figures(
        self,
        c: dict[str, int],
        followups: dict[str, int],
        csat: dict[str, int],
        channel_target: int | None,
        backlog: int,
        dist: dict[str, float | None] | None,
    ) -> dict[str, dict[str, Any]]:
        """Every figure of one group from its counts; the distributions' (``dist``, by
        figure name) only when given."""

        def n(name: str) -> int:
            return int(c.get(name, 0))

        shares = {
            "first_response_attainment": (n("frt_met"), n("responded") + n("frt_late_open")),
            "sla_attainment": (n("sla_met"), n("done") + n("sla_late_open")),
            "fcr": (n("fcr"), n("done")),
            "reopen_rate": (n("reopened"), n("ever_resolved")),
            "escalation_rate": (n("escalated"), n("tickets")),
            "returns_within_target": (n("return_met"), n("return_due")),
            "complaints_within_target": (n("complaint_met"), n("complaint_due")),
            "closure_rate": (n("done"), n("tickets")),
            "csat": (csat.get("satisfied", 0), csat.get("answered", 0)),
            "csat_response_rate": (csat.get("answered", 0), csat.get("callbacks", 0)),
            "repeat_complaint_rate": (n("repeat"), n("complaints")),
        }
        values: dict[str, float | None] = {
            "tickets": n("tickets"),
            "backlog": backlog,
            "followups_due": followups.get("due", 0),
            "followups_overdue": followups.get("overdue", 0),
            **(dist or {}),
        }
        out: dict[str, dict[str, Any]] = {}
        for fig in rules.FIGURES:
            if dist is None and fig.name in DISTRIBUTIONS:
                continue
            target = channel_target if fig.channel_target else fig.target
            entry: dict[str, Any] = {}
            if fig.name in shares:
                numerator, denominator = shares[fig.name]
                value = rules.share(numerator, denominator)
                entry = {"count": numerator, "of": denominator}
            else:
                value = values[fig.name]
            out[fig.name] = {
                "value": None if value is None else round(value, 2),
                "target": target,
                "state": rules.state(fig, value, target),
                "unit": fig.unit,
                **entry,
            }
        return out


@dataclass
class _Raw:
    """The store's numbers for one breakdown, by group: counts per predicate, distributions
    (value, tickets), follow-up and CSAT counts."""

    counts: dict[Any, dict[str, int]]
    frt: dict[Any, list[tuple[int, int]]]
    res: dict[Any, list[tuple[int, int]]]
    backlog: dict[Any, list[tuple[int, int]]]
    followups: dict[Any, dict[str, int]]
    csat: dict[Any, dict[str, int]]

    def groups(self) -> list[Any]:
        found = set(self.counts) | set(self.backlog) | set(self.followups) | set(self.csat)
        return sorted(found, key=_order)

    def merged(self) -> _Raw:
        """One group, ``all``: the sums of every group (counts add up, distributions join)."""

        def add(parts: dict[Any, dict[str, int]]) -> dict[Any, dict[str, int]]:
            total: dict[str, int] = {}
            for part in parts.values():
                for name, count in part.items():
                    total[name] = total.get(name, 0) + count
            return {"all": total}

        def join(parts: dict[Any, list[tuple[int, int]]]) -> dict[Any, list[tuple[int, int]]]:
            return {"all": [pair for part in parts.values() for pair in part]}

        return _Raw(
            add(self.counts),
            join(self.frt),
            join(self.res),
            join(self.backlog),
            add(self.followups),
            add(self.csat),
        )


def _split(
    counts: dict[Any, dict[str, int]], breakdowns: tuple[str, ...]
) -> dict[str, dict[Any, dict[str, int]]]:
    """Counts grouped by several breakdowns at once (keys: JSON arrays) summed per breakdown."""
    grouped: dict[str, dict[Any, list[dict[str, int]]]] = {by: {} for by in breakdowns}
    for text, values in counts.items():
        for by, key in zip(breakdowns, json.loads(text), strict=True):
            grouped[by].setdefault(key, []).append(values)
    return {
        by: {key: _summed(parts) for key, parts in groups.items()} for by, groups in grouped.items()
    }


def _summed(parts: list[dict[str, int]]) -> dict[str, int]:
    """The counts of several groups added up, name by name."""
    first = parts[0].keys()
    if len(parts) == 1:
        return dict(parts[0])
    if all(part.keys() == first for part in parts):  # the same names in every part
        return {name: sum(map(itemgetter(name), parts)) for name in first}
    names = dict.fromkeys(name for part in parts for name in part)
    return {name: sum(part.get(name, 0) for part in parts) for name in names}


def _added(parts: dict[Any, dict[str, int]]) -> dict[str, int]:
    """The counts of every group summed."""
    total: dict[str, int] = {}
    for part in parts.values():
        for name, count in part.items():
            total[name] = total.get(name, 0) + count
    return total


def _age_bands(backlog: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """The backlog's age distribution in bands (the dashboard's chart)."""
    counts = [0] * (len(rules.BACKLOG_AGE_BANDS) + 1)
    for age, count in backlog:
        counts[rules.age_band(age)] += count
    return _bands(counts)


def _bands(counts: list[int]) -> list[dict[str, Any]]:
    """Tickets per backlog age band, with the bands' bounds."""
    bounds = (0, *rules.BACKLOG_AGE_BANDS, None)
    return [
        {"from_seconds": bounds[i], "to_seconds": bounds[i + 1], "tickets": counts[i]}
        for i in range(len(counts))
    ]


def _offset(zone: str, at: datetime) -> int:
    """The zone's UTC offset in seconds at ``at`` (one offset for the whole period: exact for
    zones without daylight saving, such as the shop's)."""
    offset = at.astimezone(ZoneInfo(zone)).utcoffset()
    return int(offset.total_seconds()) if offset else 0


def _order(key: Any) -> tuple[int, Any]:
    if key is None:
        return (2, "")
    if isinstance(key, int):
        return (0, key)
    return (1, str(key))
