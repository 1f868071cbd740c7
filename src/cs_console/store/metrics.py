"""The SQL of the service metrics: counts, distributions and drill-down ids over a period.

Every figure is a per-ticket predicate over the period's tickets (created in [start, end)),
written once in :data:`_PREDICATES` and used both to count (``sum(predicate)``) and to list the
tickets behind a figure (``WHERE predicate``). Times are SLA time: wall-clock seconds, or only
the seconds inside the business hours when they are set; paused time (waiting on the customer)
is taken off the resolution time. One range scan of ``tickets_metrics`` (migration 10) serves
each query; no table row is read. Definitions: README, "Service metrics".
"""

from __future__ import annotations

import functools
import json
import math
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cs_console.clock import parse_iso, to_iso
from cs_console.policy.metrics import (
    BACKLOG_AGE_BANDS,
    BACKLOG_STATUSES,
    CALLBACK_KIND,
    DONE_STATUSES,
    age_band,
    nearest_rank,
)
from cs_console.policy.metrics import SATISFIED_AT_OR_ABOVE as SATISFIED
from cs_console.policy.numbers import number
from cs_console.policy.sla import RETURN_TOPICS, SlaConfig
from cs_console.store.base import Queries
from cs_console.store.metrics_schema import METRIC_COLUMNS
from cs_console.store.metrics_slots import (
    CALLBACKS,
    FRT,
    OPEN_FOLLOWUPS,
    PAUSED_LATE,
    PENDING_COUNTS,
    RES,
    SLOT_COUNTS,
    SLOT_SECONDS,
    Targets,
    bucket_width,
    clock_sql,
    due_indexes,
    frt_target_sql,
    res_target_sql,
    stored_offset,
    stored_targets,
    use_offset,
    use_targets,
    value_indexes,
)

OVERDUE_FOLLOWUP_SECONDS = 24 * 3600  # policy.followups.OVERDUE_AFTER


@dataclass(frozen=True)
class MetricsScope:
    """What a metrics query covers: the period [start, end) as UTC ISO text, ``now``, one
    agent's tickets only (or everyone's), the local zone's UTC offset for hours and days, and
    the business hours (seconds into the local day, with their zone's offset) if SLA time
    counts only inside them."""

    start: str
    end: str
    now: str
    sla: SlaConfig
    agent: str | None = None
    offset_seconds: int = 8 * 3600
    business: tuple[int, int, int] | None = None  # (start, end, offset) in seconds


_COLUMNS = ", ".join(f"t.{column}" for column in ("id", *METRIC_COLUMNS))


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


_DONE = f"(t.status IN {_in(DONE_STATUSES)} AND t.resolved_at IS NOT NULL)"
_BACKLOG = f"(t.status IN {_in(BACKLOG_STATUSES)})"
_RETURN = (
    f"(t.topic IN {_in(tuple(sorted(RETURN_TOPICS)))} OR t.id IN (SELECT ticket_id FROM returns "
    "WHERE kind IN ('return', 'exchange')))"
)
_COMPLAINT_HIGH = "(t.category = 'complaint' AND t.priority <= 2)"
# CASE, not AND: SQLite would run the subquery for every ticket, complaint or not.
_REPEAT = (
    "(CASE WHEN t.category = 'complaint' AND t.customer_id IS NOT NULL THEN EXISTS (SELECT 1 "
    "FROM tickets p INDEXED BY tickets_complaints WHERE p.category = 'complaint' AND "
    "p.customer_id = t.customer_id AND p.created_at < t.created_at AND p.created_at >= "
    "strftime('%Y-%m-%dT%H:%M:%SZ', t.created_at, :repeat_window) AND p.id != t.id) ELSE 0 END)"
)

# name -> SQL predicate over the derived columns of one ticket (see _ticket_sql)
_PREDICATES: dict[str, str] = {
    "tickets": "1",
    "done": "done",
    "responded": "frt IS NOT NULL",
    "frt_late_open": "(frt IS NULL AND backlog AND running > frt_target)",
    "frt_met": "(frt IS NOT NULL AND frt <= frt_target)",
    "sla_late_open": "(backlog AND running > res_target)",
    "sla_met": "(done AND res <= res_target)",
    "fcr": "(done AND agent_replies = 1 AND reopens = 0)",
    "ever_resolved": "(done OR reopens > 0)",
    "reopened": "(reopens > 0)",
    "escalated": "(escalated = 1)",
    "return_due": "(is_return AND (done OR (backlog AND running > :return_target)))",
    "return_met": "(is_return AND done AND res <= :return_target)",
    "complaint_due": "(high_complaint AND (done OR (backlog AND running > :complaint_target)))",
    "complaint_met": "(high_complaint AND done AND res <= :complaint_target)",
    "complaints": "(category = 'complaint')",
    "repeat": "repeat",
}

# What the slot counters (migration 14) leave to be judged when read, over a few of the
# period's tickets: returns made so by a return or exchange request rather than their topic
# (the topic's are in the slots), name -> predicate; repeat complaints (_repeat_sql); and the
# backlog late by now (_LATE).
_REQUESTED_RETURNS = {
    "return_extra_done": "(is_return AND done)",
    "return_extra_met": _PREDICATES["return_met"],
    "return_late_extra": "(is_return AND backlog AND running > :return_target)",
}
#: the backlog's figures judged when read (see _late_sql), in its column order
_LATE = ("frt_late_open", "sla_late_open", "return_late_open", "complaint_late_open")
_FROM_SLOTS: tuple[str, ...] = (
    *("tickets", "done", "responded", "fcr", "ever_resolved", "reopened", "escalated"),
    *("complaints", "frt_met", "sla_met", "complaint_met"),
)

# figure -> the predicate of the tickets a drill-down lists (the ones that keep it off target)
DRILL: dict[str, str] = {
    "tickets": "tickets",
    "first_response_median": "responded",
    "first_response_p90": "responded",
    "first_response_attainment": "frt_missed",
    "resolution_median": "done",
    "resolution_p90": "done",
    "sla_attainment": "sla_missed",
    "fcr": "fcr_missed",
    "reopen_rate": "reopened",
    "escalation_rate": "escalated",
    "returns_within_target": "return_missed",
    "complaints_within_target": "complaint_missed",
    "closure_rate": "not_done",
    "repeat_complaint_rate": "repeat",
}
_DRILL_ONLY = {
    "frt_missed": "((frt IS NOT NULL AND frt > frt_target) OR {frt_late_open})",
    "sla_missed": "((done AND res > res_target) OR {sla_late_open})",
    "fcr_missed": "({done} AND NOT {fcr})",
    "return_missed": "({return_due} AND NOT {return_met})",
    "complaint_missed": "({complaint_due} AND NOT {complaint_met})",
    "not_done": "(NOT {done})",
}


def _predicate(name: str) -> str:
    if name in _PREDICATES:
        return _PREDICATES[name]
    return _DRILL_ONLY[name].format(**_PREDICATES)


@dataclass(frozen=True)
class BacklogSummary:
    """The backlog (open or pending now, created before the period's end): how many per
    group of each breakdown (``by``), and over all of it how many, the median and the oldest
    age (seconds, whole minutes, wall clock) and how many per band of
    ``policy.metrics.BACKLOG_AGE_BANDS``."""

    by: dict[str, dict[Any, int]]
    total: int
    median: int | None
    oldest: int | None
    bands: list[int]


class MetricsQueries(Queries):
    """Counts per group, distributions and drill-down ids for :mod:`cs_console.service.metrics`."""

    _metric_snapshot: MetricsScope | None = None

    @contextmanager
    def metric_snapshot(self, scope: MetricsScope) -> Iterator[None]:
        """The period's tickets read once into a temporary table (their clock positions and
        flags computed once per ticket), for every query of one report or dashboard refresh;
        dropped afterwards. Nested calls for the same scope share it."""
        if self._metric_snapshot == scope:
            yield
            return
        if self._metric_snapshot is not None:
            raise RuntimeError("another metrics snapshot is open on this connection")
        sql, params = _facts_sql(scope)
        self.conn.execute("DROP TABLE IF EXISTS temp.metric_facts")
        self.conn.execute(f"CREATE TEMP TABLE metric_facts AS {sql}", params)
        self._metric_snapshot = scope
        try:
            yield
        finally:
            self._metric_snapshot = None
            self.conn.execute("DROP TABLE IF EXISTS temp.metric_facts")

    def metric_counts(self, scope: MetricsScope, by: str) -> dict[Any, dict[str, int]]:
        """{group: {predicate: how many of the period's tickets}} for every predicate."""
        sums = ", ".join(f"sum({sql}) AS {name}" for name, sql in _PREDICATES.items())
        sql, params = _ticket_sql(scope, by, f"k, {sums}", "GROUP BY k")
        out: dict[Any, dict[str, int]] = {}
        with self.metric_snapshot(scope):
            rows = self.conn.execute(sql, params).fetchall()
        for row in rows:
            values = dict(row)
            key = values.pop("k")
            out[key] = {name: int(value or 0) for name, value in values.items()}
        return out

    def use_metric_targets(self, targets: Targets) -> bool:
        """The slot counters judge against ``targets`` from now on (a recount when they
        change; True then). A cache that cannot be written now (locked by another writer,
        read-only) keeps its counters: the figures then come from the exact queries."""
        if stored_targets(self.conn) == targets:
            return False
        try:
            with self.transaction() as conn:
                return use_targets(conn, targets)
        except sqlite3.OperationalError:
            return False

    def metric_fast_counts(self, scope: MetricsScope, by: str) -> dict[Any, dict[str, int]]:
        """:meth:`metric_counts`, the same figures, from the slot counters plus the few
        tickets judged when read (the backlog's, the requested returns', the complaints').
        Exact counts instead when the period is not on slot boundaries or
        the counters hold other targets than the scope's."""
        targets = Targets.of(scope.sla, scope.business)
        if not _on_slots(scope) or stored_targets(self.conn) != targets:
            return self.metric_counts(scope, by)
        read: dict[Any, dict[str, int]] = {}
        # Grouped by the raw columns and local hour, keys made in Python (a JSON key and a
        # date per ticket in SQL cost more than the figures).
        columns = _group_columns(by, _FACT_HOUR, lambda part: _key(part, ""))
        groups = ", ".join(dict.fromkeys(columns))
        indexes = due_indexes(targets)
        # With due indexes, the running backlog's late = pending (slots) - not late yet.
        pending = dict(zip(_LATE, PENDING_COUNTS, strict=True)) if indexes else {}
        hourly = set(by.split("+")) <= _HOUR_BREAKDOWNS and self._rollups_fit(scope, 3600)
        if hourly and indexes:
            # the paused backlog's lateness counted per hour; the not late yet from the hour
            # each ticket falls due, only the current hour's read from the due index
            slots = self.metric_hour_counts(scope, by, (*SLOT_COUNTS, *PAUSED_LATE, "repeats"))
            for key, counts in slots.items():
                late = dict(zip(_LATE, (counts[name] for name in PAUSED_LATE), strict=True))
                read.setdefault(key, {}).update(late)
            not_late = self._not_late_by_hours(scope, by, indexes)
        else:
            slots = (
                self.metric_hour_counts(scope, by, (*SLOT_COUNTS, "repeats"))
                if hourly
                else self.metric_slot_counts(scope, by)
            )
            late_sql, late_columns = _late_sql(scope, targets, by, paused_only=bool(indexes))
            rows = self.conn.execute(late_sql, _base_params(scope))
            for key, counts in _fold(by, late_columns, rows, _LATE).items():
                read.setdefault(key, {}).update(counts)
            not_late = {}
            for figure, (name, (due, where)) in zip(pending, indexes.items(), strict=True):
                sql, not_late_columns = _not_late_sql(scope, name, due, where, by)
                rows = self.conn.execute(sql, _base_params(scope))
                for key, counts in _fold(by, not_late_columns, rows, ("n",)).items():
                    not_late.setdefault(key, {})[figure] = counts["n"]
        for key, figures in not_late.items():
            bucket = read.setdefault(key, {})
            for figure, n in figures.items():
                bucket[figure] = bucket.get(figure, 0) - n
        if hourly:  # counted per hour as complaints change
            for key, counts in slots.items():
                read.setdefault(key, {})["repeat"] = counts.pop("repeats")
        else:
            index = "tickets_complaints_window"
            repeat_sql, repeat_columns = _repeat_sql(
                scope, by, index if self._has_index(index) else "tickets_complaints"
            )
            rows = self.conn.execute(repeat_sql, _base_params(scope))
            for key, counts in _fold(by, repeat_columns, rows, ("repeat",)).items():
                read.setdefault(key, {}).update(counts)
        sums = ", ".join(f"sum({sql}) AS {name}" for name, sql in _REQUESTED_RETURNS.items())
        sql, params = _ticket_sql(scope, by, f"{groups}, {sums}", f"GROUP BY {groups}", "returns")
        rows = self.conn.execute(sql, params)
        for key, counts in _fold(by, columns, rows, tuple(_REQUESTED_RETURNS)).items():
            read.setdefault(key, {}).update(counts)
        out: dict[Any, dict[str, int]] = {}
        for key, counts in slots.items():
            extra = read.get(key, {})

            def more(name: str, extra: dict[str, int] = extra) -> int:
                return extra.get(name, 0)

            def late_of(figure: str, counts: dict[str, int] = counts) -> int:
                return more(figure) + (counts[pending[figure]] if pending else 0)

            figures = {name: counts[name] for name in _FROM_SLOTS}
            figures |= {
                "frt_late_open": late_of("frt_late_open"),
                "sla_late_open": late_of("sla_late_open"),
                "return_due": counts["return_topic_done"]
                + more("return_extra_done")
                + more("return_late_extra")
                + late_of("return_late_open"),
                "return_met": counts["return_topic_met"] + more("return_extra_met"),
                "complaint_due": counts["complaint_done"] + late_of("complaint_late_open"),
                "repeat": more("repeat"),
            }
            out[key] = {name: figures[name] for name in _PREDICATES}
        return out

    def metric_slot_counts(self, scope: MetricsScope, by: str) -> dict[Any, dict[str, int]]:
        """{group: {counter: tickets}} for the counters of ``metric_slots`` (migration 12),
        read from the slots instead of the tickets: the same figures as :meth:`metric_counts`
        gives for those names, breakdowns joined by ``+`` included. The period's bounds must
        fall on slot boundaries. Hours and days come from one local-hour number per slot,
        turned into keys here (cheaper than a key expression per slot row in SQL)."""
        first, last = (_slot_of(moment) for moment in (scope.start, scope.end))
        columns = _group_columns(by, _LOCAL_HOUR, _slot_key)
        sums = ", ".join(f"sum({name}) AS {name}" for name in SLOT_COUNTS)
        groups = ", ".join(dict.fromkeys(columns))
        sql = (
            f"SELECT {groups}, {sums} FROM metric_slots s WHERE s.slot >= :first "
            f"AND s.slot < :last {_agent_filter(scope).replace('t.', 's.')} GROUP BY {groups}"
        )
        params = _base_params(scope) | {"first": first, "last": last}
        return _fold(by, columns, self.conn.execute(sql, params), SLOT_COUNTS)

    def use_metric_offset(self, offset: int) -> bool:
        """The roll-ups (migration 15) count in the local hours and days of UTC ``offset``
        from now on (a recount when it changes; True then); a cache that cannot be written
        keeps them (the dashboard then reads the slots and the tickets)."""
        if stored_offset(self.conn) == offset:
            return False
        try:
            with self.transaction() as conn:
                return use_offset(conn, offset)
        except sqlite3.OperationalError:
            return False

    def _has_index(self, name: str) -> bool:
        """Whether migration 15's index ``name`` is there yet (a cache whose roll-ups were
        laid out before it gets it on their next rebuild)."""
        row = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
        ).fetchone()
        return row is not None

    def _index_if(self, name: str) -> str:
        return f"INDEXED BY {name}" if self._has_index(name) else ""

    def _rollups_fit(self, scope: MetricsScope, unit: int) -> bool:
        """Whether the roll-ups answer for ``scope``: they count in its zone's offset and
        against its targets, and its bounds fall on local ``unit`` (hour or day) boundaries."""
        offset = stored_offset(self.conn)
        if offset is None or offset != scope.offset_seconds:
            return False
        if stored_targets(self.conn) != Targets.of(scope.sla, scope.business):
            return False
        return all(
            (int(parse_iso(bound).timestamp()) + offset) % unit == 0
            for bound in (scope.start, scope.end)
        )

    def metric_hour_counts(
        self, scope: MetricsScope, by: str, names: tuple[str, ...] = SLOT_COUNTS
    ) -> dict[Any, dict[str, int]]:
        """:meth:`metric_slot_counts` from the roll-up per local hour and assignee (breakdowns
        of agent, hour and day only; the bounds on local hours of the stored offset), for the
        counters ``names`` (those of the slots, or more of ``HOUR_COUNTS``)."""
        first, last = (_local_hour(scope, moment) for moment in (scope.start, scope.end))
        columns = _group_columns(by, "h.hour", _hour_key)
        sums = ", ".join(f"sum({name}) AS {name}" for name in names)
        groups = ", ".join(dict.fromkeys(columns))
        sql = (
            f"SELECT {groups}, {sums} FROM metric_hours h WHERE h.hour >= :first "
            f"AND h.hour < :last {_agent_filter(scope).replace('t.', 'h.')} GROUP BY {groups}"
        )
        params = _base_params(scope) | {"first": first, "last": last}
        return _fold(by, columns, self.conn.execute(sql, params), names)

    def _not_late_by_hours(
        self, scope: MetricsScope, by: str, indexes: dict[str, tuple[str, str]]
    ) -> dict[Any, dict[str, int]]:
        """{group: {late figure: the running backlog not late yet}}: from ``metric_due`` the
        tickets falling due after the current hour, and from each due index those falling
        due between now and the hour's end."""
        now = int(parse_iso(scope.now).timestamp())
        first, last = (_local_hour(scope, moment) for moment in (scope.start, scope.end))
        columns = _group_columns(by, "h.hour", _hour_key)
        groups = ", ".join(dict.fromkeys(columns))
        params = _base_params(scope) | {"first": first, "last": last, "due": now // 3600}
        out: dict[Any, dict[str, int]] = {}
        for kind, (figure, (name, (due, where))) in enumerate(
            zip(_LATE, indexes.items(), strict=True)
        ):
            sql = (
                f"SELECT {groups}, sum(n) FROM metric_due h WHERE h.kind = {kind} AND "
                f"h.hour >= :first AND h.hour < :last AND h.due_hour > :due "
                f"{_agent_filter(scope).replace('t.', 'h.')} GROUP BY {groups}"
            )
            for key, counts in _fold(by, columns, self.conn.execute(sql, params), ("n",)).items():
                out.setdefault(key, {})[figure] = counts["n"]
            sql, edge_columns = _not_late_sql(
                scope, name, due, where, by, now // 3600 * 3600 + 3600
            )
            rows = self.conn.execute(sql, _base_params(scope))
            for key, counts in _fold(by, edge_columns, rows, ("n",)).items():
                bucket = out.setdefault(key, {})
                bucket[figure] = bucket.get(figure, 0) + counts["n"]
        return out

    def metric_percentiles(
        self, scope: MetricsScope, exact: bool = False
    ) -> dict[str, float | None]:
        """The whole period's first-response and resolution median and p90 (the figures of
        those names), exact. From the roll-up of times in buckets per local day, the bucket
        that holds each rank, then that bucket's tickets from the index of the tickets by
        their time (``tickets_frt_value``, ``tickets_res_value``); from every ticket of the
        period when ``exact`` or when the roll-ups do not answer (see :meth:`_rollups_fit`)."""
        names = {
            "frt": ("first_response_median", "first_response_p90"),
            "res": ("resolution_median", "resolution_p90"),
        }
        out: dict[str, float | None] = {}
        if exact or not self._rollups_fit(scope, 86400):
            histograms = self.metric_histograms(scope, "all")
            for time_name, (median, p90) in names.items():
                pairs = histograms[time_name].get("all", [])
                out[median] = nearest_rank(pairs, 0.5)
                out[p90] = nearest_rank(pairs, 0.9)
            return out
        first, last = (_local_hour(scope, moment) // 24 for moment in (scope.start, scope.end))
        sql = (
            "SELECT kind, bucket, sum(n) FROM metric_times h WHERE h.day >= :first AND "
            f"h.day < :last {_agent_filter(scope).replace('t.', 'h.')} GROUP BY kind, bucket"
        )
        params = _base_params(scope) | {"first": first, "last": last}
        buckets: dict[int, list[tuple[int, int]]] = {FRT: [], RES: []}
        for row_kind, bucket, n in self.conn.execute(sql, params):
            if n:
                buckets[int(row_kind)].append((int(bucket), int(n)))
        indexes = value_indexes(stored_targets(self.conn))
        for kind, name, unit in ((FRT, "frt", 1), (RES, "res", 60)):
            pairs = sorted(buckets[kind])
            index = f"tickets_{name}_value"
            value, where = (sql.format(t="t") for sql in indexes[index])
            for fraction, figure in zip((0.5, 0.9), names[name], strict=True):
                out[figure] = self._rank_value(scope, pairs, fraction, unit, index, value, where)
        return out

    def _rank_value(
        self,
        scope: MetricsScope,
        pairs: list[tuple[int, int]],
        fraction: float,
        unit: int,
        index: str,
        value: str,
        where: str,
    ) -> float | None:
        """The nearest-rank value at ``fraction`` of buckets (lower bound, tickets): the
        bucket holding the rank, then the rank's ticket within it from ``index``."""
        total = sum(n for _bucket, n in pairs)
        if total == 0:
            return None
        rank = max(1, math.ceil(fraction * total))
        seen = 0
        for lower, n in pairs:
            if seen + n >= rank:
                width = bucket_width(lower // unit) * unit
                if width == unit:
                    return lower  # one value (to the second, or the minute)
                sql = (
                    f"SELECT {value} FROM tickets t INDEXED BY {index} WHERE {where} "
                    f"AND {value} >= :low "
                    f"AND {value} < :high AND t.created_at >= :start AND t.created_at < :end "
                    f"{_agent_filter(scope)} ORDER BY {value} LIMIT 1 OFFSET :skip"
                )
                params = _base_params(scope) | {
                    "low": lower,
                    "high": lower + width,
                    "skip": rank - seen - 1,
                }
                row = self.conn.execute(sql, params).fetchone()
                if row is None:  # pragma: no cover - the roll-up counts those tickets
                    raise RuntimeError(f"{index}: bucket {lower} holds fewer tickets than counted")
                return int(row[0])
            seen += n
        return None  # pragma: no cover - seen reaches total

    def metric_histograms(
        self, scope: MetricsScope, by: str
    ) -> dict[str, dict[Any, list[tuple[int, int]]]]:
        """{"frt" | "res": {group: [(seconds, tickets)]}}: first-response times (exact seconds)
        and resolution times (SLA time less pauses, to the minute, rounded down)."""
        out: dict[str, dict[Any, list[tuple[int, int]]]] = {"frt": {}, "res": {}}
        for name, value, where in (
            ("frt", "frt", "frt IS NOT NULL"),
            ("res", "res / 60 * 60", "done"),
        ):
            # Outside a snapshot: straight from the covering index (one range scan).
            sql, params = _ticket_sql(
                scope,
                by,
                f"k, {value} AS v, count(*) AS n",
                f"AND {where} GROUP BY k, v",
                inline=self._metric_snapshot != scope,
            )
            rows = self.conn.execute(sql, params).fetchall()
            for key, v, n in rows:
                out[name].setdefault(key, []).append((int(v), int(n)))
        return out

    def backlog_ages_by(
        self, scope: MetricsScope, breakdowns: tuple[str, ...]
    ) -> dict[str, dict[Any, list[tuple[int, int]]]]:
        """{breakdown: :meth:`backlog_ages` of it}, for several breakdowns from one pass."""
        columns = _moment_columns("+".join(breakdowns), "t.created_at")
        groups = ", ".join(dict.fromkeys(columns))
        sql = (
            f"SELECT {groups}, max(0, (unixepoch(:now) - unixepoch(t.created_at)) / 60) * 60 "
            f"AS v, count(*) FROM tickets t INDEXED BY tickets_backlog WHERE t.status IN "
            f"{_in(BACKLOG_STATUSES)} AND t.created_at < :end {_agent_filter(scope)} "
            f"GROUP BY {groups}, v"
        )
        return _split_values(breakdowns, columns, self.conn.execute(sql, _base_params(scope)))

    def metric_ticket_ids(
        self, scope: MetricsScope, figure: str, by: str = "all", group: Any = None, limit: int = 500
    ) -> list[int]:
        """The ids of the tickets behind ``figure`` (see :data:`DRILL`), oldest first; within one
        group of the breakdown ``by`` when ``group`` is given."""
        if figure.startswith("backlog"):
            return self._backlog_ids(scope, by, group, limit)
        where = f"AND {_predicate(DRILL[figure])}"
        if group is not None:
            where += " AND k IS :group"
        # Outside a snapshot the tickets are read in index order and the scan stops at ``limit``.
        inline = self._metric_snapshot != scope
        sql, params = _ticket_sql(
            scope, by, "t.id", f"{where} ORDER BY t.created_at, t.id", inline=inline
        )
        params |= {"group": group, "limit": limit}
        return [int(row[0]) for row in self.conn.execute(f"{sql} LIMIT :limit", params)]

    # -- the backlog: unresolved now, created before the period's end ----------------------

    def backlog_ages(self, scope: MetricsScope, by: str) -> dict[Any, list[tuple[int, int]]]:
        """{group: [(age in whole minutes, tickets)]}: tickets open or pending now, created
        before the period's end, by wall-clock age."""
        key = _key(by, "t.created_at")
        sql = (
            f"SELECT {key} AS k, (unixepoch(:now) - unixepoch(t.created_at)) / 60 AS v, count(*) "
            f"FROM tickets t INDEXED BY tickets_backlog WHERE t.status IN {_in(BACKLOG_STATUSES)} "
            f"AND t.created_at < :end {_agent_filter(scope)} GROUP BY k, v"
        )
        out: dict[Any, list[tuple[int, int]]] = {}
        for k, v, n in self.conn.execute(sql, _base_params(scope)):
            out.setdefault(k, []).append((max(0, int(v)) * 60, int(n)))
        return out

    def backlog_summary(
        self, scope: MetricsScope, breakdowns: tuple[str, ...], exact: bool = False
    ) -> BacklogSummary:
        """The backlog (open or pending now, created before the period's end) per group of
        each breakdown, and over all of it its median and oldest age and its age bands. From
        the roll-up per local hour (a breakdown of agent, hour or day; the period's end on a
        local hour): the counts summed, the oldest ticket and the median's and each band
        edge's hour read from ``tickets_backlog``; from every backlog ticket when ``exact`` or
        when the roll-ups do not answer."""
        if exact or not set(breakdowns) <= _HOUR_BREAKDOWNS or not self._rollups_fit(scope, 3600):
            return self._backlog_summary_exact(scope, breakdowns)
        params = _base_params(scope) | {"last": _local_hour(scope, scope.end)}
        sql = (
            "SELECT h.hour, nullif(h.assignee, ''), sum(h.backlog) FROM metric_hours h WHERE "
            f"h.hour < :last {_agent_filter(scope).replace('t.', 'h.')} GROUP BY 1, 2 "
            "HAVING sum(h.backlog) > 0"
        )
        hours: dict[int, int] = {}
        by: dict[str, dict[Any, int]] = {name: {} for name in breakdowns}
        for hour, agent, n in self.conn.execute(sql, params):
            hours[int(hour)] = hours.get(int(hour), 0) + int(n)
            for name in breakdowns:
                key = agent if name == "agent" else _slot_part(name, hour)
                by[name][key] = by[name].get(key, 0) + int(n)
        total = sum(hours.values())
        if total == 0:
            return BacklogSummary(by, 0, None, None, [0] * (len(BACKLOG_AGE_BANDS) + 1))
        now = int(parse_iso(scope.now).timestamp())
        backlog = (
            f"FROM tickets t INDEXED BY tickets_backlog WHERE t.status IN {_in(BACKLOG_STATUSES)} "
            f"{_agent_filter(scope)} AND t.created_at >= :low AND t.created_at < :high"
        )
        oldest_sql = f"SELECT unixepoch(t.created_at) {backlog} ORDER BY t.created_at LIMIT 1"
        oldest = self.conn.execute(oldest_sql, params | {"low": "", "high": scope.end})
        # the median: the rank's hour counted from the newest, then its ticket in that hour
        rank = max(1, math.ceil(0.5 * total))
        seen = 0
        median = None
        for hour in sorted(hours, reverse=True):
            if seen + hours[hour] >= rank:
                low, high = (_hour_start(scope, h) for h in (hour, hour + 1))
                row = self.conn.execute(
                    f"SELECT unixepoch(t.created_at) {backlog} ORDER BY t.created_at DESC "
                    "LIMIT 1 OFFSET :skip",
                    params | {"low": low, "high": high, "skip": rank - seen - 1},
                ).fetchone()
                median = _age(now, int(row[0]))
                break
            seen += hours[hour]
        # a band's upper edge: younger than it is created after now less the edge
        end = int(parse_iso(scope.end).timestamp())
        younger = []
        for edge in BACKLOG_AGE_BANDS:
            since = now - edge + 1
            if since >= end:
                younger.append(0)
                continue
            hour = (since + scope.offset_seconds) // 3600
            until = min(end, (hour + 1) * 3600 - scope.offset_seconds)
            count = sum(n for h, n in hours.items() if h > hour)
            count += self.conn.execute(
                f"SELECT count(*) {backlog}",
                params | {"low": _iso(since), "high": _iso(until)},
            ).fetchone()[0]
            younger.append(int(count))
        bands = [b - a for a, b in zip([0, *younger], [*younger, total], strict=True)]
        return BacklogSummary(by, total, median, _age(now, int(oldest.fetchone()[0])), bands)

    def _backlog_summary_exact(
        self, scope: MetricsScope, breakdowns: tuple[str, ...]
    ) -> BacklogSummary:
        ages = (
            self.backlog_ages_by(scope, breakdowns)
            if breakdowns
            else {"all": self.backlog_ages(scope, "all")}
        )
        first = next(iter(ages.values()))
        pairs = [pair for groups in first.values() for pair in groups]
        bands = [0] * (len(BACKLOG_AGE_BANDS) + 1)
        for age, n in pairs:
            bands[age_band(age)] += n
        median = nearest_rank(pairs, 0.5)
        return BacklogSummary(
            {
                name: {key: sum(n for _age, n in values) for key, values in groups.items()}
                for name, groups in ages.items()
                if name in breakdowns
            },
            sum(n for _age, n in pairs),
            None if median is None else int(median),
            max((age for age, _n in pairs), default=None),
            bands,
        )

    def _backlog_ids(self, scope: MetricsScope, by: str, group: Any, limit: int) -> list[int]:
        key = _key(by, "t.created_at")
        params = _base_params(scope) | {"group": group, "limit": limit}
        sql = (
            f"SELECT t.id FROM tickets t INDEXED BY tickets_backlog WHERE t.status IN "
            f"{_in(BACKLOG_STATUSES)} AND t.created_at < :end {_agent_filter(scope)} "
            + (f"AND {key} IS :group " if group is not None else "")
            + "ORDER BY t.created_at, t.id LIMIT :limit"
        )
        return [int(row[0]) for row in self.conn.execute(sql, params)]

    # -- follow-ups and CSAT ---------------------------------------------------------------

    def followup_counts(
        self, scope: MetricsScope, by: str, exact: bool = False
    ) -> dict[Any, dict[str, int]]:
        """{group: {"due", "overdue"}}: follow-ups not done, due before the period's end and
        by now; overdue when due more than 24 h ago. From the roll-up of open follow-ups per
        local hour they fall due (a breakdown of agent, hour or day; the period's end on a
        local hour), with only now's hour and the overdue edge's hour read; from every
        follow-up when ``exact`` or when the roll-ups do not answer."""
        if not exact and set(by.split("+")) <= _HOUR_BREAKDOWNS and self._rollups_fit(scope, 3600):
            return self._followup_counts_by_hours(scope, by)
        return self._followup_rows(scope, by)

    def _followup_rows(
        self, scope: MetricsScope, by: str, low: str | None = None, high: str | None = None
    ) -> dict[Any, dict[str, int]]:
        """:meth:`followup_counts` read from the follow-ups (due in [low, high) if given)."""
        columns = _moment_columns(by, "f.due_at")
        groups = ", ".join(dict.fromkeys(columns))
        within = "" if low is None else "AND f.due_at >= :low AND f.due_at < :high"
        sql = (
            f"SELECT {groups}, count(*) AS due, sum(unixepoch(f.due_at) < unixepoch(:now) - "
            f"{OVERDUE_FOLLOWUP_SECONDS}) AS overdue FROM followups f LEFT JOIN tickets t ON "
            "t.id = f.ticket_id WHERE f.done_at IS NULL AND f.due_at < :end AND f.due_at <= :now "
            f"{within} {_agent_filter(scope)} GROUP BY {groups}"
        )
        rows = self.conn.execute(sql, _base_params(scope) | {"low": low, "high": high})
        return _fold(by, columns, rows, ("due", "overdue"))

    def _followup_counts_by_hours(self, scope: MetricsScope, by: str) -> dict[Any, Any]:
        now = int(parse_iso(scope.now).timestamp())
        last = _local_hour(scope, scope.end)
        now_hour, overdue_hour = (
            (moment + scope.offset_seconds) // 3600
            for moment in (now, now - OVERDUE_FOLLOWUP_SECONDS)
        )
        before = min(now_hour, last)
        columns = _group_columns(by, "h.hour", _hour_key)
        groups = ", ".join(dict.fromkeys(columns))
        # whole hours before now's: every follow-up due then counts, overdue those before the
        # overdue edge's hour
        sql = (
            f"SELECT {groups}, sum(h.n), sum(CASE WHEN h.hour < :overdue THEN h.n ELSE 0 END) "
            f"FROM metric_followups h WHERE h.what = {OPEN_FOLLOWUPS} AND h.hour < :before "
            f"{_agent_filter(scope).replace('t.', 'h.')} GROUP BY {groups}"
        )
        params = _base_params(scope) | {"before": before, "overdue": overdue_hour}
        out = _fold(by, columns, self.conn.execute(sql, params), ("due", "overdue"))
        # ticket by ticket: now's hour (due and overdue), the overdue edge's (overdue only:
        # its follow-ups are counted as due above)
        edges: list[tuple[int, tuple[str, ...]]] = []
        if now_hour < last:
            edges.append((now_hour, ("due", "overdue")))
        if overdue_hour < before:
            edges.append((overdue_hour, ("overdue",)))
        for hour, names in edges:
            low, high = (_hour_start(scope, h) for h in (hour, hour + 1))
            for key, counts in self._followup_rows(scope, by, low, high).items():
                bucket = out.setdefault(key, {"due": 0, "overdue": 0})
                for name in names:
                    bucket[name] += counts[name]
        return out

    def csat_counts(
        self, scope: MetricsScope, by: str, exact: bool = False
    ) -> dict[Any, dict[str, int]]:
        """{group: {"callbacks", "answered", "satisfied"}}: after-resolution callbacks done in
        the period; answered when a satisfaction (1-5) was recorded; satisfied at 4 or 5. From
        the roll-up per local hour they were made (a breakdown of agent, hour or day; bounds
        on local hours); from every callback when ``exact`` or when the roll-ups do not answer."""
        names = ("callbacks", "answered", "satisfied")
        if not exact and set(by.split("+")) <= _HOUR_BREAKDOWNS and self._rollups_fit(scope, 3600):
            first, last = (_local_hour(scope, moment) for moment in (scope.start, scope.end))
            columns = _group_columns(by, "h.hour", _hour_key)
            groups = ", ".join(dict.fromkeys(columns))
            sql = (
                f"SELECT {groups}, sum(h.n), sum(h.answered), sum(h.satisfied) FROM "
                f"metric_followups h WHERE h.what = {CALLBACKS} AND h.hour >= :first AND "
                f"h.hour < :last {_agent_filter(scope).replace('t.', 'h.')} GROUP BY {groups}"
            )
            params = _base_params(scope) | {"first": first, "last": last}
            return _fold(by, columns, self.conn.execute(sql, params), names)
        columns = _moment_columns(by, "f.done_at")
        groups = ", ".join(dict.fromkeys(columns))
        sql = (
            f"SELECT {groups}, count(*), count(f.satisfaction), "
            f"sum(f.satisfaction >= {SATISFIED}) FROM followups f LEFT JOIN tickets t "
            f"ON t.id = f.ticket_id WHERE f.kind = '{CALLBACK_KIND}' AND f.done_at >= :start "
            f"AND f.done_at < :end {_agent_filter(scope)} GROUP BY {groups}"
        )
        rows = self.conn.execute(sql, _base_params(scope))
        return _fold(by, columns, rows, ("callbacks", "answered", "satisfied"))

    def followup_ticket_ids(self, scope: MetricsScope, figure: str, limit: int = 500) -> list[int]:
        """Tickets behind the follow-up figures (``followups_due``, ``followups_overdue``,
        ``csat``: answered below 4, ``csat_response_rate``: done without an answer)."""
        conditions = {
            "followups_due": "f.done_at IS NULL AND f.due_at < :end AND f.due_at <= :now",
            "followups_overdue": (
                "f.done_at IS NULL AND f.due_at < :end AND unixepoch(f.due_at) < "
                f"unixepoch(:now) - {OVERDUE_FOLLOWUP_SECONDS}"
            ),
            "csat": f"f.kind = '{CALLBACK_KIND}' AND f.done_at >= :start AND f.done_at < :end "
            f"AND f.satisfaction < {SATISFIED}",
            "csat_response_rate": f"f.kind = '{CALLBACK_KIND}' AND f.done_at >= :start AND "
            "f.done_at < :end AND f.satisfaction IS NULL",
        }
        sql = (
            "SELECT DISTINCT f.ticket_id FROM followups f JOIN tickets t ON t.id = f.ticket_id "
            f"WHERE {conditions[figure]} {_agent_filter(scope)} ORDER BY f.ticket_id LIMIT :limit"
        )
        params = _base_params(scope) | {"limit": limit}
        return [int(row[0]) for row in self.conn.execute(sql, params)]

    # -- allergy cases -----------------------------------------------------------------------

    def allergy_batches(self, scope: MetricsScope, limit: int = 200) -> list[dict[str, Any]]:
        """Allergy cases reported in the period by product and batch, repeated batches first."""
        sql = (
            "SELECT a.sku, p.name AS product, a.batch_no, count(*) AS cases, "
            "count(DISTINCT a.customer_id) AS customers, min(a.reported_at) AS first_reported, "
            "max(a.reported_at) AS last_reported, group_concat(a.ticket_id) AS ticket_ids "
            f"FROM allergy_cases a {self._index_if('allergy_cases_batches')} LEFT JOIN products p "
            "ON p.sku = a.sku "
            + ("LEFT JOIN tickets t ON t.id = a.ticket_id " if scope.agent is not None else "")
            + f"WHERE a.reported_at >= :start AND a.reported_at < :end {_agent_filter(scope)} "
            "GROUP BY a.sku, a.batch_no ORDER BY cases DESC, a.sku, a.batch_no LIMIT :limit"
        )
        rows = self.all(sql, _base_params(scope) | {"limit": limit})
        for row in rows:
            ids = str(row.pop("ticket_ids") or "")
            row["ticket_ids"] = sorted({int(i) for i in ids.split(",") if i})
        return rows


# -- SQL building ----------------------------------------------------------------------------


def _base_params(scope: MetricsScope) -> dict[str, Any]:
    params: dict[str, Any] = {
        "start": scope.start,
        "end": scope.end,
        "now": scope.now,
        "agent": scope.agent,
        "off": scope.offset_seconds,
        "day_shift": f"{scope.offset_seconds:+d} seconds",
        "repeat_window": f"-{number('repeat_complaint_days')} days",
        "return_target": scope.sla.returns_resolution,
        "complaint_target": scope.sla.high_priority_complaint,
    }
    if scope.business is not None:
        start, end, offset = scope.business
        params.update(b_start=start, b_len=end - start, b_off=offset)
    return params


def _agent_filter(scope: MetricsScope) -> str:
    return "AND t.assignee = :agent" if scope.agent is not None else ""


def _key(by: str, moment: str, ticket: str = "t") -> str:
    """The group expression of a breakdown; hours and days in the configured zone. Several
    breakdowns joined by ``+`` (``agent+hour+day``) group by all of them at once, the key a
    JSON array (one pass that the caller sums up per breakdown)."""
    if "+" in by:
        return f"json_array({', '.join(_key(part, moment, ticket) for part in by.split('+'))})"
    keys = {
        "all": "'all'",
        "channel": f"{ticket}.channel",
        "category": f"{ticket}.category",
        "skill": f"{ticket}.skill_group",
        "agent": f"{ticket}.assignee",
        "hour": f"((unixepoch({moment}) + :off) % 86400) / 3600",
        "day": f"date({moment}, :day_shift)",
    }
    try:
        return keys[by]
    except KeyError:
        raise ValueError(f"unknown breakdown {by!r}; one of {', '.join(keys)}") from None


def _slot_of(moment: str) -> int:
    """The 15-minute slot a period bound starts; ValueError when it is not on a boundary."""
    seconds = int(parse_iso(moment).timestamp())
    if seconds % SLOT_SECONDS:
        raise ValueError(f"{moment} is not on a {SLOT_SECONDS // 60}-minute slot boundary")
    return seconds // SLOT_SECONDS


_HOUR_BREAKDOWNS = {"all", "agent", "hour", "day"}


def _hour_start(scope: MetricsScope, hour: int) -> str:
    """The UTC moment a local hour (counted from the epoch) starts, as stored text."""
    return _iso(hour * 3600 - scope.offset_seconds)


def _iso(seconds: int) -> str:
    return to_iso(datetime.fromtimestamp(seconds, UTC))


def _age(now: int, created: int) -> int:
    """A backlog ticket's wall-clock age in whole minutes, as seconds (never below 0)."""
    return max(0, now - created) // 60 * 60


def _local_hour(scope: MetricsScope, moment: str) -> int:
    """A moment's local hour counted from the epoch (the roll-ups' ``hour``; ``// 24`` its day)."""
    return (int(parse_iso(moment).timestamp()) + scope.offset_seconds) // 3600


def _hour_key(by: str) -> str:
    """:func:`_key` over ``metric_hours`` (alias ``h``) for the parts that are not times."""
    return {"all": "'all'", "agent": "nullif(h.assignee, '')"}[by]


#: a slot's local hour, counted from the epoch (its hour of day and its day, in SQL or here)
_LOCAL_HOUR = f"(s.slot * {SLOT_SECONDS} + :off) / 3600"


def _group_columns(by: str, local_hour: str, key: Callable[[str], str]) -> list[str]:
    """The SQL column of each part of a breakdown: the local hour (counted from the epoch)
    for hours and days, else ``key(part)``."""
    return [local_hour if part in ("hour", "day") else key(part) for part in by.split("+")]


def _moment_columns(by: str, moment: str) -> list[str]:
    """:func:`_group_columns` over the tickets ``t`` with hours and days of ``moment``."""
    return _group_columns(
        by, f"((unixepoch({moment}) + :off) / 3600)", lambda part: _key(part, moment)
    )


def _fold(
    by: str, columns: list[str], rows: Iterable[Any], names: tuple[str, ...]
) -> dict[Any, dict[str, int]]:
    """Rows of (the distinct ``columns``..., one count per name) summed into the keys of
    :func:`_key` (a JSON array for a breakdown joined by ``+``)."""
    parts = tuple(by.split("+"))
    distinct = tuple(dict.fromkeys(columns))
    position = {column: index for index, column in enumerate(distinct)}
    picks = tuple(position[column] for column in columns)
    width = len(distinct)
    out: dict[Any, dict[str, int]] = {}
    for row in rows:
        key = _group_key(parts, picks, tuple(row[:width]))
        counts = [int(value or 0) for value in row[width:]]
        bucket = out.get(key)
        if bucket is None:
            out[key] = dict(zip(names, counts, strict=True))
        else:
            for name, count in zip(names, counts, strict=True):
                bucket[name] += count
    return out


@functools.lru_cache(maxsize=1 << 16)
def _group_key(parts: tuple[str, ...], picks: tuple[int, ...], raw: tuple[Any, ...]) -> Any:
    """The key of :func:`_key` for a row's raw group columns (the same ones recur in every
    pass of one refresh: made once)."""
    values = [_slot_part(part, raw[pick]) for part, pick in zip(parts, picks, strict=True)]
    if len(parts) == 1:
        return values[0]
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False)


#: a fact row's local hour counted from the epoch (see _ticket_sql: ``u0`` is its creation)
_FACT_HOUR = "((t.u0 + :off) / 3600)"


def _split_values(
    breakdowns: tuple[str, ...], columns: list[str], rows: Iterable[Any]
) -> dict[str, dict[Any, list[tuple[int, int]]]]:
    """Rows of (the distinct ``columns``..., value, tickets) as (value, tickets) pairs per
    group of each breakdown (values summed within a group)."""
    position = {column: index for index, column in enumerate(dict.fromkeys(columns))}
    width = len(position)
    counts: dict[str, dict[Any, dict[int, int]]] = {by: {} for by in breakdowns}
    for row in rows:
        value, tickets = int(row[width]), int(row[width + 1])
        for by, column in zip(breakdowns, columns, strict=True):
            values = counts[by].setdefault(_slot_part(by, row[position[column]]), {})
            values[value] = values.get(value, 0) + tickets
    return {
        by: {key: sorted(values.items()) for key, values in groups.items()}
        for by, groups in counts.items()
    }


def _slot_part(part: str, value: Any) -> Any:
    if part == "hour":
        return int(value) % 24
    if part == "day":
        return (date(1970, 1, 1) + timedelta(days=int(value) // 24)).isoformat()
    return value


def _slot_key(by: str) -> str:
    """:func:`_key` over ``metric_slots`` (alias ``s``): the slot's start stands for the
    ticket's creation, '' for a NULL assignee or skill group."""
    if "+" in by:
        return f"json_array({', '.join(_slot_key(part) for part in by.split('+'))})"
    moment = f"s.slot * {SLOT_SECONDS}"
    keys = {
        "all": "'all'",
        "channel": "s.channel",
        "category": "s.category",
        "skill": "nullif(s.skill_group, '')",
        "agent": "nullif(s.assignee, '')",
        "hour": f"(({moment} + :off) % 86400) / 3600",
        "day": f"date({moment}, 'unixepoch', :day_shift)",
    }
    try:
        return keys[by]
    except KeyError:
        raise ValueError(f"unknown breakdown {by!r}; one of {', '.join(keys)}") from None


def _clock(column: str, scope: MetricsScope) -> str:
    """A moment as a position on the SLA clock, in seconds: Unix time, or the business seconds
    since the epoch (whole days of business hours plus today's share) when hours are set."""
    if scope.business is None:
        return f"unixepoch({column})"
    local = f"(unixepoch({column}) + :b_off)"
    return f"({local} / 86400 * :b_len + min(max({local} % 86400 - :b_start, 0), :b_len))"


def _case(
    column: str, targets: Mapping[Any, int], default: int, prefix: str
) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {}
    arms = []
    for index, (value, seconds) in enumerate(sorted(targets.items(), key=lambda kv: str(kv[0]))):
        params[f"{prefix}{index}"] = value
        arms.append(f"WHEN :{prefix}{index} THEN {int(seconds)}")
    return f"CASE {column} {' '.join(arms)} ELSE {int(default)} END", params


def _late_sql(
    scope: MetricsScope, targets: Targets, by: str, paused_only: bool
) -> tuple[str, list[str]]:
    """The period's backlog late by now (:data:`_LATE`; returns by their topic only: the
    requested ones are the ``returns`` source's), grouped by ``by``'s raw columns: one pass
    of the covering index with the targets written in as numbers and now's clock position
    computed once (the predicates of the same names in :data:`_PREDICATES`); only the paused
    tickets when ``paused_only``."""
    hours = targets.business
    columns = _moment_columns(by, "t.created_at")
    groups = ", ".join(dict.fromkeys(columns))
    stop = f"CASE WHEN t.paused_at IS NULL THEN {_position(scope.now, hours)} ELSE "
    stop += f"{clock_sql('t.paused_at', hours)} END"
    running = f"max({stop} - {clock_sql('t.created_at', hours)} - t.paused_seconds, 0)"
    sums = (
        f"sum(t.first_response_at IS NULL AND {running} > {frt_target_sql(targets, 't')}), "
        f"sum({running} > {res_target_sql(targets, 't')}), "
        f"sum(t.topic IN {_in(tuple(sorted(RETURN_TOPICS)))} AND {running} > {targets.returns}), "
        f"sum({_COMPLAINT_HIGH} AND {running} > {targets.complaint})"
    )
    sql = (
        f"SELECT {groups}, {sums} FROM tickets t INDEXED BY "
        f"{'tickets_paused' if paused_only else 'tickets_metrics'} WHERE {_BACKLOG} "
        f"AND t.created_at >= :start AND t.created_at < :end {_agent_filter(scope)} "
        + ("AND t.paused_at IS NOT NULL " if paused_only else "")
        + f"GROUP BY {groups}"
    )
    return sql, columns


def _repeat_sql(scope: MetricsScope, by: str, index: str) -> tuple[str, list[str]]:
    """The period's repeat complaints (:data:`_REPEAT`), in one ordered pass of a customer's
    complaints (``index``: ``tickets_complaints_window`` covers the keys) from the window's
    length before the period: a complaint repeats when its customer has another in the window
    before it (a window function counting them, instead of a look-up per complaint)."""
    columns = _moment_columns(by, "t.created_at")
    groups = ", ".join(dict.fromkeys(columns))
    window = int(number("repeat_complaint_days")) * 86400
    since = _iso(int(parse_iso(scope.start).timestamp()) - window)
    # every key but the category (a complaint's) is in tickets_complaints_window
    keys = "t.created_at, t.assignee, t.channel, t.skill_group, 'complaint' AS category"
    sql = (
        f"SELECT {groups}, sum(t.repeat) FROM (SELECT {keys}, count(*) OVER (PARTITION BY "
        f"t.customer_id ORDER BY unixepoch(t.created_at) RANGE BETWEEN {window} PRECEDING AND "
        f"1 PRECEDING) > 0 AS repeat FROM tickets t INDEXED BY {index} WHERE "
        "t.category = 'complaint' AND t.customer_id IS NOT NULL AND t.created_at >= "
        f"'{since}' AND t.created_at < :end) AS t WHERE t.created_at >= :start "
        f"{_agent_filter(scope)} GROUP BY {groups}"
    )
    return sql, columns


def _not_late_sql(
    scope: MetricsScope, name: str, due: str, where: str, by: str, before: int | None = None
) -> tuple[str, list[str]]:
    """The period's running backlog not late yet by one due index (see
    ``metrics_slots.due_indexes``): its range from now on (up to ``before``), grouped by
    ``by``'s raw columns."""
    columns = _moment_columns(by, "t.created_at")
    groups = ", ".join(dict.fromkeys(columns))
    now = int(parse_iso(scope.now).timestamp())
    until = "" if before is None else f"AND {due.format(t='t')} < {int(before)} "
    sql = (
        f"SELECT {groups}, count(*) FROM tickets t INDEXED BY {name} WHERE "
        f"{where.format(t='t')} AND {due.format(t='t')} >= {now} {until}AND t.created_at >= :start "
        f"AND t.created_at < :end {_agent_filter(scope)} GROUP BY {groups}"
    )
    return sql, columns


def _position(moment: str, business: tuple[int, int, int] | None) -> int:
    """:func:`clock_sql` of one moment, in Python."""
    seconds = int(parse_iso(moment).timestamp())
    if business is None:
        return seconds
    start, end, offset = business
    local = seconds + offset
    return local // 86400 * (end - start) + min(max(local % 86400 - start, 0), end - start)


#: the period's tickets a facts query reads: all (from the covering index), or a subset
_SOURCES = {
    "": "FROM tickets t INDEXED BY tickets_metrics WHERE 1",
    # the covering index, not tickets_backlog: most of a recent period can be backlog, and
    # reading each of those rows from the table costs 5x the scan of the covering index.
    "backlog": f"FROM tickets t INDEXED BY tickets_metrics WHERE {_BACKLOG}",
    "returns": "FROM tickets t WHERE t.id IN (SELECT ticket_id FROM returns WHERE kind IN "
    f"('return', 'exchange')) AND ifnull(t.topic, '') NOT IN {_in(tuple(sorted(RETURN_TOPICS)))}",
}


def _on_slots(scope: MetricsScope) -> bool:
    return all(
        int(parse_iso(bound).timestamp()) % SLOT_SECONDS == 0 for bound in (scope.start, scope.end)
    )


def _facts_sql(scope: MetricsScope, only: str = "") -> tuple[str, dict[str, Any]]:
    """One row per ticket of the period, read from ``tickets_metrics`` alone: its columns,
    ``u0`` (creation, Unix seconds), the clock positions ``c0`` (created), ``c1`` (first reply),
    ``c2`` (resolved, when done), ``c3`` (now or the pause, when unresolved), the flags
    ``done``, ``backlog``, ``is_return``, ``high_complaint``, ``repeat`` and the targets
    ``frt_target``, ``res_target``. Each expression is computed once per ticket."""
    sla = scope.sla
    frt_target, params = _case("t.channel", sla.first_response, sla.first_response_default, "ch")
    by_priority, priority_params = _case(
        "t.priority", sla.resolution_by_priority, sla.resolution_by_priority.get(3, 72 * 3600), "pr"
    )
    params |= priority_params
    topics = _in(tuple(sorted(RETURN_TOPICS)))
    res_target = (
        f"CASE WHEN t.topic IN {topics} THEN min(:return_target, {by_priority}) "
        f"WHEN {_COMPLAINT_HIGH} THEN :complaint_target ELSE {by_priority} END"
    )
    sql = (
        f"SELECT {_COLUMNS}, unixepoch(t.created_at) AS u0, {_DONE} AS done, "
        f"{_BACKLOG} AS backlog, {_clock('t.created_at', scope)} AS c0, "
        f"{_clock('t.first_response_at', scope)} AS c1, "
        f"CASE WHEN {_DONE} THEN {_clock('t.resolved_at', scope)} END AS c2, "
        f"CASE WHEN {_BACKLOG} THEN {_clock('coalesce(t.paused_at, :now)', scope)} END AS c3, "
        f"{frt_target} AS frt_target, {res_target} AS res_target, {_RETURN} AS is_return, "
        f"{_COMPLAINT_HIGH} AS high_complaint, {_REPEAT} AS repeat "
        f"{_SOURCES[only]} AND t.created_at >= :start AND t.created_at < :end "
        f"{_agent_filter(scope)}"
    )
    return sql, _base_params(scope) | params


def _ticket_sql(
    scope: MetricsScope, by: str, select: str, tail: str, only: str = "", inline: bool = False
) -> tuple[str, dict[str, Any]]:
    """SELECT ``select`` over the snapshot of the period's tickets (aliased ``t``, see
    :func:`_facts_sql`) with ``k`` (the group), ``frt``, ``res`` (less paused time) and
    ``running`` (SLA time so far of an unresolved ticket); ``tail`` follows the WHERE
    (``AND ...`` conditions, GROUP BY, ORDER BY). Read inside :meth:`metric_snapshot`, or
    straight from the tickets when ``inline`` or ``only`` (a subset, see :data:`_SOURCES`)."""
    key = _key(by, "t.created_at").replace("unixepoch(t.created_at)", "t.u0")
    source, params = "temp.metric_facts", _base_params(scope)
    if inline or only:
        facts, params = _facts_sql(scope, only)
        source = f"({facts})"
    derived = (
        f"SELECT *, {key} AS k, c1 - c0 AS frt, max(c2 - c0 - paused_seconds, 0) AS res, "
        f"max(c3 - c0 - paused_seconds, 0) AS running FROM {source} AS t"
    )
    return f"SELECT {select} FROM ({derived}) AS t WHERE 1 {tail}", params
