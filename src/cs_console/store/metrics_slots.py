"""Migrations 12, 14 and 15: per-ticket counts of the service metrics kept in 15-minute slots,
and the dashboard's roll-ups of them in local hours and days.

``metric_slots`` holds, per (UTC 15-minute slot of ``created_at``, assignee, channel,
category, skill group), how many tickets there are and how many of them count for each
predicate that reads only the ticket's own row (:data:`SLOT_COUNTS`): migration 12's, which
do not move with the clock or the targets; migration 14's decided at an event against the
targets stored in ``metric_targets`` (answered or resolved within target); and the running
backlog's, which the due indexes (:func:`due_indexes`) turn into late and not late when read.
Triggers on ``tickets`` keep it as rows are inserted, changed and deleted; a change of targets
or of the counters' layout rebuilds the triggers and indexes and counts again with one
INSERT ... SELECT ... GROUP BY.

15 minutes: every zone's offset is a multiple of it, so a period between local times on the
quarter hour, and local hours and days, are whole slots. NULL assignee or skill group is kept
as '' (a primary key column cannot be NULL); the reader turns it back.

Migration 15 (:func:`apply_v15`) rolls them up for the dashboard in the local time of one UTC
offset (stored in ``metric_rollup``, counted again when it changes): the slot counters per
local hour and assignee with the backlog's own (``metric_hours``), the running backlog by the
hour it falls due (``metric_due``), callbacks and open follow-ups per hour (``metric_followups``)
and the first-response and resolution times per local day in buckets (``metric_times``, with
the indexes of the tickets by those times that make a median exact).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from cs_console.policy.numbers import number
from cs_console.policy.sla import RETURN_TOPICS, SlaConfig

SLOT_SECONDS = 900

_DONE = "({t}.status IN ('resolved', 'closed') AND {t}.resolved_at IS NOT NULL)"
_RETURN_TOPICS = "('" + "', '".join(sorted(RETURN_TOPICS)) + "')"
_HIGH_COMPLAINT = "({t}.category = 'complaint' AND {t}.priority <= 2)"

#: counter -> its 0/1 expression over one ticket row ({t}: NEW or OLD or a table alias); the
#: same predicates as ``store.metrics._PREDICATES`` of the same names. Migration 12's set.
V12_COUNTS: dict[str, str] = {
    "tickets": "1",
    "done": _DONE,
    "responded": "({t}.first_response_at IS NOT NULL)",
    "fcr": f"({_DONE} AND {{t}}.agent_replies = 1 AND {{t}}.reopens = 0)",
    "ever_resolved": f"({_DONE} OR {{t}}.reopens > 0)",
    "reopened": "({t}.reopens > 0)",
    "escalated": "({t}.escalated = 1)",
    "complaints": "({t}.category = 'complaint')",
}
#: migration 14's counters: figures decided once and for all at an event (the first reply,
#: the resolution), against the targets in ``metric_targets``. Only done or answered tickets
#: count here; the unanswered and unresolved ones are judged when read (store.metrics).
EVENT_COUNTS = (
    "frt_met",
    "sla_met",
    "return_topic_done",
    "return_topic_met",
    "complaint_done",
    "complaint_met",
)
_OPEN = "({t}.status IN ('open', 'pending') AND {t}.paused_at IS NULL)"
#: the backlog's tickets whose clock runs (not paused), per figure that can fall late: of
#: these, those not late yet are read from the due indexes (:func:`due_indexes`), so the late
#: ones are a subtraction; a paused ticket's lateness is judged when read.
PENDING_COUNTS: dict[str, str] = {
    "open_unanswered": f"({_OPEN} AND {{t}}.first_response_at IS NULL)",
    "open_running": _OPEN,
    "open_return_topic": f"(CASE WHEN {_OPEN} AND {{t}}.topic IN {_RETURN_TOPICS} THEN 1 ELSE 0 END)",
    "open_high_complaint": f"({_OPEN} AND {_HIGH_COMPLAINT})",
}
#: how the counters are laid out; a cache whose stored targets carry an older one is rebuilt
COUNTER_LAYOUT = 3
SLOT_COUNTS: tuple[str, ...] = (*V12_COUNTS, *EVENT_COUNTS, *PENDING_COUNTS)
_KEYS = ("slot", "assignee", "channel", "category", "skill_group")
#: the ticket columns the counters and keys read (an update of any other leaves them alone)
_READS = (
    "created_at",
    "assignee",
    "channel",
    "category",
    "skill_group",
    "status",
    "resolved_at",
    "first_response_at",
    "agent_replies",
    "reopens",
    "escalated",
)
_EVENT_READS = ("priority", "topic", "paused_seconds", "paused_at")


@dataclass(frozen=True)
class Targets:
    """What the event counters judge against: the SLA targets in seconds and the business
    hours (start, end, UTC offset; seconds) when SLA time counts only inside them."""

    first_response: tuple[tuple[str, int], ...]
    first_response_default: int
    by_priority: tuple[tuple[int, int], ...]
    priority_default: int
    returns: int
    complaint: int
    business: tuple[int, int, int] | None = None
    layout: int = COUNTER_LAYOUT

    @classmethod
    def of(cls, sla: SlaConfig, business: tuple[int, int, int] | None) -> Targets:
        return cls(
            tuple(sorted((str(k), int(v)) for k, v in sla.first_response.items())),
            int(sla.first_response_default),
            tuple(sorted((int(k), int(v)) for k, v in sla.resolution_by_priority.items())),
            int(sla.resolution_by_priority.get(3, 72 * 3600)),
            int(sla.returns_resolution),
            int(sla.high_priority_complaint),
            business,
        )

    def as_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Targets:
        raw = json.loads(text)
        business = raw["business"]
        return cls(
            tuple((str(k), int(v)) for k, v in raw["first_response"]),
            int(raw["first_response_default"]),
            tuple((int(k), int(v)) for k, v in raw["by_priority"]),
            int(raw["priority_default"]),
            int(raw["returns"]),
            int(raw["complaint"]),
            None if business is None else (int(business[0]), int(business[1]), int(business[2])),
            int(raw.get("layout", 1)),
        )


DEFAULT_TARGETS = Targets.of(SlaConfig(), None)


def _text(value: str) -> str:
    # Braces doubled: the counters' SQL is a str.format template over the row ({t}).
    return "'" + value.replace("'", "''").replace("{", "{{").replace("}", "}}") + "'"


def clock_sql(column: str, business: tuple[int, int, int] | None) -> str:
    """A moment as a position on the SLA clock, in seconds: Unix time, or the business seconds
    since the epoch (whole days of business hours plus the day's share) when hours are set."""
    if business is None:
        return f"unixepoch({column})"
    start, end, offset = business
    local = f"(unixepoch({column}) + {int(offset)})"
    length = int(end) - int(start)
    return f"({local} / 86400 * {length} + min(max({local} % 86400 - {int(start)}, 0), {length}))"


def frt_target_sql(targets: Targets, t: str) -> str:
    arms = " ".join(f"WHEN {_text(k)} THEN {v}" for k, v in targets.first_response)
    return f"CASE {t}.channel {arms} ELSE {targets.first_response_default} END"


def res_target_sql(targets: Targets, t: str) -> str:
    """The resolution target: returns' (or the priority's when shorter), high-priority
    complaints', else the priority's."""
    arms = " ".join(f"WHEN {k} THEN {v}" for k, v in targets.by_priority)
    by_priority = f"CASE {t}.priority {arms} ELSE {targets.priority_default} END"
    return (
        f"CASE WHEN {t}.topic IN {_RETURN_TOPICS} THEN min({targets.returns}, {by_priority}) "
        f"WHEN {_HIGH_COMPLAINT.format(t=t)} THEN {targets.complaint} ELSE {by_priority} END"
    )


def _counter_sql(targets: Targets) -> dict[str, str]:
    """Every counter's 0/1 expression over one row {t} (targets written in as numbers)."""
    clock = targets.business
    frt = f"{clock_sql('{t}.first_response_at', clock)} - {clock_sql('{t}.created_at', clock)}"
    res = (
        f"max({clock_sql('{t}.resolved_at', clock)} - {clock_sql('{t}.created_at', clock)} "
        "- {t}.paused_seconds, 0)"
    )
    topic = "({t}.topic IN " + _RETURN_TOPICS + ")"
    event = {
        "frt_met": f"{{t}}.first_response_at IS NOT NULL AND {frt} <= "
        + frt_target_sql(targets, "{t}"),
        "sla_met": f"{_DONE} AND {res} <= " + res_target_sql(targets, "{t}"),
        "return_topic_done": f"{topic} AND {_DONE}",
        "return_topic_met": f"{topic} AND {_DONE} AND {res} <= {targets.returns}",
        "complaint_done": f"{_HIGH_COMPLAINT} AND {_DONE}",
        "complaint_met": f"{_HIGH_COMPLAINT} AND {_DONE} AND {res} <= {targets.complaint}",
    }
    # CASE: a NULL (no topic, say) counts 0, never NULL (which would blank the sum).
    return (
        V12_COUNTS
        | {name: f"(CASE WHEN {sql} THEN 1 ELSE 0 END)" for name, sql in event.items()}
        | PENDING_COUNTS
    )


#: the key columns a due index carries after its due position (a not-late count groups by them)
DUE_KEYS = ("created_at", "assignee", "channel", "category", "skill_group")


def due_indexes(targets: Targets) -> dict[str, tuple[str, str]]:
    """name -> (due position, the rows it holds) over a row {t}: where on the clock each
    running backlog ticket falls late (creation + paused time + its target), for the counts
    of those not late yet. Wall-clock SLA only (empty with business hours)."""
    if targets.business is not None:
        return {}
    start = "unixepoch({t}.created_at) + {t}.paused_seconds + "
    return {
        "tickets_frt_due": (
            start + frt_target_sql(targets, "{t}"),
            f"{_OPEN} AND {{t}}.first_response_at IS NULL",
        ),
        "tickets_res_due": (start + f"({res_target_sql(targets, '{t}')})", _OPEN),
        "tickets_return_due": (
            start + str(targets.returns),
            f"{_OPEN} AND {{t}}.topic IN {_RETURN_TOPICS}",
        ),
        "tickets_complaint_due": (
            start + str(targets.complaint),
            f"{_OPEN} AND {_HIGH_COMPLAINT}",
        ),
    }


def _create_due_indexes(conn: sqlite3.Connection, targets: Targets) -> None:
    """The due indexes for ``targets``, and the paused backlog by creation (judged by row)."""
    conn.execute("DROP INDEX IF EXISTS tickets_paused")
    conn.execute(
        "CREATE INDEX tickets_paused ON tickets(created_at) WHERE status IN ('open', 'pending') "
        "AND paused_at IS NOT NULL"
    )
    for name in (
        "tickets_frt_due",
        "tickets_res_due",
        "tickets_return_due",
        "tickets_complaint_due",
    ):
        conn.execute(f"DROP INDEX IF EXISTS {name}")
    for name, (due, where) in due_indexes(targets).items():
        # Bare columns: an index expression takes no table name.
        bare_due, bare_where = (
            sql.format(t="tickets").replace("tickets.", "") for sql in (due, where)
        )
        conn.execute(
            f"CREATE INDEX {name} ON tickets({bare_due}, {', '.join(DUE_KEYS)}) WHERE {bare_where}"
        )


def _key_values(t: str) -> str:
    return (
        f"unixepoch({t}.created_at) / {SLOT_SECONDS}, ifnull({t}.assignee, ''), {t}.channel, "
        f"{t}.category, ifnull({t}.skill_group, '')"
    )


def _counts(counters: dict[str, str], t: str, sign: str) -> str:
    return ", ".join(f"{sign}{sql.format(t=t)}" for sql in counters.values())


def _columns(counters: dict[str, str]) -> str:
    return ", ".join((*_KEYS, *counters))


def _upsert(counters: dict[str, str], t: str, sign: str) -> str:
    add = ", ".join(f"{name} = {name} + excluded.{name}" for name in counters)
    # WHERE true: without it SQLite reads ON CONFLICT as a join constraint of the SELECT.
    return (
        f"INSERT INTO metric_slots ({_columns(counters)}) SELECT {_key_values(t)}, "
        f"{_counts(counters, t, sign)} WHERE true ON CONFLICT ({', '.join(_KEYS)}) "
        f"DO UPDATE SET {add};"
    )


def _triggers(counters: dict[str, str], reads: tuple[str, ...]) -> dict[str, str]:
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in reads)
    return {
        "metric_slots_insert": (
            "CREATE TRIGGER metric_slots_insert AFTER INSERT ON tickets BEGIN "
            f"{_upsert(counters, 'NEW', '')} END"
        ),
        "metric_slots_delete": (
            f"CREATE TRIGGER metric_slots_delete AFTER DELETE ON tickets BEGIN "
            f"{_upsert(counters, 'OLD', '-')} END"
        ),
        "metric_slots_update": (
            f"CREATE TRIGGER metric_slots_update AFTER UPDATE OF {', '.join(reads)} ON tickets "
            f"WHEN {changed} BEGIN {_upsert(counters, 'OLD', '-')} "
            f"{_upsert(counters, 'NEW', '')} END"
        ),
        # A slot row that counts no ticket goes: a group with no tickets is no group.
        "metric_slots_drop_empty": (
            "CREATE TRIGGER metric_slots_drop_empty AFTER UPDATE OF tickets ON metric_slots "
            "WHEN NEW.tickets = 0 BEGIN DELETE FROM metric_slots WHERE slot = NEW.slot AND "
            "assignee = NEW.assignee AND channel = NEW.channel AND category = NEW.category AND "
            "skill_group = NEW.skill_group; END"
        ),
    }


def stored_targets(conn: sqlite3.Connection) -> Targets:
    """The targets the counters hold (migration 14's table), the defaults before it."""
    row = conn.execute("SELECT config FROM metric_targets WHERE id = 1").fetchone()
    return DEFAULT_TARGETS if row is None else Targets.from_json(row[0])


def _recount(conn: sqlite3.Connection, counters: dict[str, str]) -> None:
    conn.execute("DELETE FROM metric_slots")
    sums = ", ".join(f"sum({sql.format(t='t')})" for sql in counters.values())
    conn.execute(
        f"INSERT INTO metric_slots ({_columns(counters)}) SELECT {_key_values('t')}, {sums} "
        "FROM tickets t GROUP BY 1, 2, 3, 4, 5"
    )


def _rebuild(conn: sqlite3.Connection, targets: Targets, indexes: bool = True) -> None:
    """The counters' columns, triggers and (unless not ``indexes``) due indexes for
    ``targets`` and every slot counted again (one grouped pass)."""
    counters = _counter_sql(targets)
    have = {row[1] for row in conn.execute("PRAGMA table_info(metric_slots)")}
    for name in SLOT_COUNTS:
        if name not in have:
            conn.execute(f"ALTER TABLE metric_slots ADD COLUMN {name} INTEGER NOT NULL DEFAULT 0")
    if indexes:
        _create_due_indexes(conn, targets)
    for name in _triggers(counters, _READS):
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    _recount(conn, counters)
    for sql in _triggers(counters, (*_READS, *_EVENT_READS)).values():
        conn.execute(sql)
    if _has_rollups(conn):
        _rebuild_rollups(conn, targets, stored_offset(conn), indexes)


def recount_slots(conn: sqlite3.Connection) -> None:
    """Every slot counted again from the tickets as they stand (one grouped pass), and the
    roll-ups from them."""
    _recount(conn, _counter_sql(stored_targets(conn)))
    if _has_rollups(conn):
        _recount_rollups(conn, stored_targets(conn), stored_offset(conn))


def use_targets(conn: sqlite3.Connection, targets: Targets) -> bool:
    """Make the event counters judge against ``targets`` (in the caller's transaction): when
    they differ from the stored ones, store them, rebuild the triggers and recount. True when
    it recounted."""
    if stored_targets(conn) == targets:
        return False
    conn.execute(
        "INSERT INTO metric_targets (id, config) VALUES (1, ?) ON CONFLICT (id) "
        "DO UPDATE SET config = excluded.config",
        (targets.as_json(),),
    )
    _rebuild(conn, targets)
    return True


def apply_v12(conn: sqlite3.Connection) -> None:
    """The slot counters, filled from the existing tickets, and their triggers."""
    counters = ", ".join(f"{name} INTEGER NOT NULL DEFAULT 0" for name in V12_COUNTS)
    conn.execute(
        "CREATE TABLE metric_slots (slot INTEGER NOT NULL, assignee TEXT NOT NULL, "
        "channel TEXT NOT NULL, category TEXT NOT NULL, skill_group TEXT NOT NULL, "
        f"{counters}, PRIMARY KEY ({', '.join(_KEYS)})) WITHOUT ROWID"
    )
    _recount(conn, V12_COUNTS)
    for sql in _triggers(V12_COUNTS, _READS).values():
        conn.execute(sql)


def apply_v14(conn: sqlite3.Connection) -> None:
    """The event counters (first response and SLA met, returns and high-priority complaints
    done and within target) and the running backlog's beside migration 12's, the default
    targets they judge against with their due indexes, and an index of the complaints by
    creation (repeat complaints read only those)."""
    conn.execute(
        "CREATE TABLE metric_targets (id INTEGER PRIMARY KEY CHECK (id = 1), config TEXT NOT NULL)"
    )
    conn.execute(
        "INSERT INTO metric_targets (id, config) VALUES (1, ?)", (DEFAULT_TARGETS.as_json(),)
    )
    conn.execute(
        "CREATE INDEX tickets_complaints_created ON tickets(created_at, customer_id) "
        "WHERE category = 'complaint'"
    )
    _rebuild(conn, DEFAULT_TARGETS)


@contextmanager
def slots_suspended(conn: sqlite3.Connection) -> Iterator[None]:
    """For one bulk write of many tickets, in the caller's transaction: the per-row triggers
    are dropped and the slots counted again once at the end (a crash rolls all of it back)."""
    if not conn.in_transaction:
        raise RuntimeError("slots_suspended needs the caller's transaction")
    for name in (*_triggers(V12_COUNTS, _READS), *_ROLLUP_TRIGGERS):
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    try:
        yield
    finally:
        # The due indexes are SQLite's to keep (a bulk load may rebuild them itself).
        _rebuild(conn, stored_targets(conn), indexes=False)


# -- migration 15: the dashboard's roll-ups, in local hours and days -----------------------

#: how the roll-ups are laid out; a cache whose stored offset row carries another is rebuilt
ROLLUP_LAYOUT = 5
#: times under it are kept exactly (seconds; minutes for resolution times); above, each
#: power of two is split in SUB_BUCKETS buckets (a bucket is under 1/32 of its lower bound wide)
EXACT_BELOW = 128
SUB_BUCKETS = 32
#: bucket_sql's ladder ends at 2**47 (4 million years of seconds); times above stay exact
BUCKET_LADDER_BITS = 47
#: metric_times.kind
FRT, RES = 0, 1
DEFAULT_OFFSET = 8 * 3600  # the shop's zone, Asia/Shanghai (service.metrics.DEFAULT_ZONE)
_ROLLUP_TRIGGERS = (
    "metric_rollup_insert",
    "metric_rollup_delete",
    "metric_rollup_update",
    "metric_hours_drop_empty",
    "metric_due_drop_empty",
    "metric_times_drop_empty",
    "metric_followups_insert",
    "metric_followups_delete",
    "metric_followups_update",
    "metric_followups_assignee",
    "metric_followups_drop_empty",
    *(
        f"metric_repeats_{when}_{what}"
        for when in ("before", "after")
        for what in ("insert", "update", "delete")
    ),
)
_VALUE_INDEXES = ("tickets_frt_value", "tickets_res_value")


def bucket_of(value: int) -> int:
    """The lower bound of the bucket ``value`` falls in (:data:`EXACT_BELOW`)."""
    if value < EXACT_BELOW:
        return value
    shift = value.bit_length() - SUB_BUCKETS.bit_length()
    return value >> shift << shift


def bucket_width(lower: int) -> int:
    """How many values the bucket starting at ``lower`` holds."""
    if lower < EXACT_BELOW:
        return 1
    return 1 << (lower.bit_length() - SUB_BUCKETS.bit_length())


def _bucket_as_sql(value: int) -> int:
    """:func:`bucket_of` as :func:`bucket_sql` computes it (whose ladder stops at 2**47)."""
    return bucket_of(value) if value < 1 << BUCKET_LADDER_BITS else value


def bucket_sql(value: str) -> str:
    """:func:`bucket_of` in SQL (a ladder of powers of two, integers only)."""
    arms = [f"WHEN {value} < {EXACT_BELOW} THEN {value}"]
    bits = EXACT_BELOW.bit_length()  # 2**(bits - 1) == EXACT_BELOW
    for top in range(bits, BUCKET_LADDER_BITS + 1):
        width = 1 << (top - SUB_BUCKETS.bit_length())
        arms.append(f"WHEN {value} < {1 << top} THEN {value} / {width} * {width}")
    return f"(CASE {' '.join(arms)} ELSE {value} END)"


def frt_value_sql(targets: Targets, t: str) -> str:
    """A first-response time in SLA seconds (store.metrics' ``frt``)."""
    clock = targets.business
    return f"({clock_sql(f'{t}.first_response_at', clock)} - {clock_sql(f'{t}.created_at', clock)})"


def res_minutes_sql(targets: Targets, t: str) -> str:
    """A resolution time in whole SLA minutes, paused time off (store.metrics' ``res / 60``)."""
    clock = targets.business
    return (
        f"(max({clock_sql(f'{t}.resolved_at', clock)} - {clock_sql(f'{t}.created_at', clock)} "
        f"- {t}.paused_seconds, 0) / 60)"
    )


def _hour_key(t: str, offset: int) -> str:
    return f"(unixepoch({t}.created_at) + {int(offset)}) / 3600"


def _day_key(t: str, offset: int) -> str:
    return f"(unixepoch({t}.created_at) + {int(offset)}) / 86400"


def _time_rows(targets: Targets) -> tuple[tuple[int, str, int, str], ...]:
    """(kind, its time over {t} in the unit it is bucketed in, seconds a unit, which rows have
    it) of ``metric_times``: first responses in seconds, resolutions in minutes."""
    return (
        (FRT, frt_value_sql(targets, "{t}"), 1, "{t}.first_response_at IS NOT NULL"),
        (RES, res_minutes_sql(targets, "{t}"), 60, _DONE),
    )


#: metric_hours' counters beside the slots': the whole backlog (paused or not), and the paused
#: backlog late (a paused ticket's clock stands still: its lateness is the row's alone), per
#: figure that can fall late, in the order of store.metrics._LATE
_BACKLOG = "({t}.status IN ('open', 'pending'))"
PAUSED_LATE = ("paused_frt_late", "paused_sla_late", "paused_return_late", "paused_complaint_late")
HOUR_COUNTS: tuple[str, ...] = (*SLOT_COUNTS, "backlog", *PAUSED_LATE, "repeats")


def _hour_counters(targets: Targets) -> dict[str, str]:
    clock = targets.business
    paused = "({t}.status IN ('open', 'pending') AND {t}.paused_at IS NOT NULL)"
    running = (
        f"max({clock_sql('{t}.paused_at', clock)} - {clock_sql('{t}.created_at', clock)} "
        "- {t}.paused_seconds, 0)"
    )
    late = {
        "paused_frt_late": f"{{t}}.first_response_at IS NULL AND {running} > "
        + frt_target_sql(targets, "{t}"),
        "paused_sla_late": f"{running} > ({res_target_sql(targets, '{t}')})",
        "paused_return_late": f"{{t}}.topic IN {_RETURN_TOPICS} AND {running} > {targets.returns}",
        "paused_complaint_late": f"{_HIGH_COMPLAINT} AND {running} > {targets.complaint}",
    }
    return (
        _counter_sql(targets)
        | {"backlog": _BACKLOG}
        | {name: f"(CASE WHEN {paused} AND {sql} THEN 1 ELSE 0 END)" for name, sql in late.items()}
    )


def _due_rows(targets: Targets) -> tuple[tuple[int, str, str], ...]:
    """(kind, due position, the rows) of ``metric_due``: the running backlog by the hour it
    falls late, one kind per due index (wall-clock SLA only)."""
    return tuple(
        (kind, due, where) for kind, (due, where) in enumerate(due_indexes(targets).values())
    )


def _rollup_statements(targets: Targets, offset: int, t: str, sign: str) -> str:
    counters = _hour_counters(targets)
    names = ", ".join(counters)
    add = ", ".join(f"{name} = {name} + excluded.{name}" for name in counters)
    out = [
        f"INSERT INTO metric_hours (hour, assignee, {names}) SELECT {_hour_key(t, offset)}, "
        f"ifnull({t}.assignee, ''), {_counts(counters, t, sign)} WHERE true "
        f"ON CONFLICT (hour, assignee) DO UPDATE SET {add};"
    ]
    for kind, value, unit, where in _time_rows(targets):
        out.append(
            f"INSERT INTO metric_times (day, assignee, kind, bucket, n) SELECT "
            f"{_day_key(t, offset)}, ifnull({t}.assignee, ''), {kind}, "
            f"{bucket_sql(value.format(t=t))} * {unit}, {sign}1 WHERE {where.format(t=t)} "
            "ON CONFLICT (day, assignee, kind, bucket) DO UPDATE SET n = n + excluded.n;"
        )
    for kind, due, where in _due_rows(targets):
        out.append(
            f"INSERT INTO metric_due (kind, hour, assignee, due_hour, n) SELECT {kind}, "
            f"{_hour_key(t, offset)}, ifnull({t}.assignee, ''), ({due.format(t=t)}) / 3600, "
            f"{sign}1 WHERE {where.format(t=t)} ON CONFLICT (kind, hour, assignee, due_hour) "
            "DO UPDATE SET n = n + excluded.n;"
        )
    return " ".join(out)


def _rollup_triggers(targets: Targets, offset: int) -> dict[str, str]:
    reads = (*_READS, *_EVENT_READS)
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in reads)
    new, old = (_rollup_statements(targets, offset, t, s) for t, s in (("NEW", ""), ("OLD", "-")))
    return {
        "metric_rollup_insert": (
            f"CREATE TRIGGER metric_rollup_insert AFTER INSERT ON tickets BEGIN {new} END"
        ),
        "metric_rollup_delete": (
            f"CREATE TRIGGER metric_rollup_delete AFTER DELETE ON tickets BEGIN {old} END"
        ),
        "metric_rollup_update": (
            f"CREATE TRIGGER metric_rollup_update AFTER UPDATE OF {', '.join(reads)} ON tickets "
            f"WHEN {changed} BEGIN {old} {new} END"
        ),
        "metric_hours_drop_empty": (
            "CREATE TRIGGER metric_hours_drop_empty AFTER UPDATE OF tickets ON metric_hours "
            "WHEN NEW.tickets = 0 BEGIN DELETE FROM metric_hours WHERE hour = NEW.hour AND "
            "assignee = NEW.assignee; END"
        ),
        "metric_due_drop_empty": (
            "CREATE TRIGGER metric_due_drop_empty AFTER UPDATE OF n ON metric_due "
            "WHEN NEW.n = 0 BEGIN DELETE FROM metric_due WHERE kind = NEW.kind AND "
            "hour = NEW.hour AND assignee = NEW.assignee AND due_hour = NEW.due_hour; END"
        ),
        "metric_times_drop_empty": (
            "CREATE TRIGGER metric_times_drop_empty AFTER UPDATE OF n ON metric_times "
            "WHEN NEW.n = 0 BEGIN DELETE FROM metric_times WHERE day = NEW.day AND "
            "assignee = NEW.assignee AND kind = NEW.kind AND bucket = NEW.bucket; END"
        ),
    }


#: metric_followups.what: callbacks made (by the hour they were made), follow-ups not done (by
#: the hour they fall due)
CALLBACKS, OPEN_FOLLOWUPS = 0, 1
_CALLBACK = "'after_resolution'"  # policy.metrics.CALLBACK_KIND
_FOLLOWUP_ADD = (
    "ON CONFLICT (what, hour, assignee) DO UPDATE SET n = n + excluded.n, "
    "answered = answered + excluded.answered, satisfied = satisfied + excluded.satisfied;"
)


def _followup_parts(f: str, offset: int) -> tuple[tuple[int, str, str, str, str], ...]:
    """(what, its hour, answered, satisfied, which follow-ups) of ``metric_followups`` over
    one follow-up row ``f``."""
    hour = "(unixepoch({f}.{column}) + {offset}) / 3600"
    return (
        (
            CALLBACKS,
            hour.format(f=f, column="done_at", offset=int(offset)),
            f"({f}.satisfaction IS NOT NULL)",
            f"ifnull({f}.satisfaction >= 4, 0)",  # policy.metrics.SATISFIED_AT_OR_ABOVE
            f"{f}.kind = {_CALLBACK} AND {f}.done_at IS NOT NULL",
        ),
        (
            OPEN_FOLLOWUPS,
            hour.format(f=f, column="due_at", offset=int(offset)),
            "0",
            "0",
            f"{f}.done_at IS NULL",
        ),
    )


def _followup_statements(offset: int, f: str, sign: str) -> str:
    agent = f"ifnull((SELECT a.assignee FROM tickets a WHERE a.id = {f}.ticket_id), '')"
    return " ".join(
        "INSERT INTO metric_followups (what, hour, assignee, n, answered, satisfied) SELECT "
        f"{what}, {hour}, {agent}, {sign}1, {sign}{answered}, {sign}{satisfied} WHERE {where} "
        + _FOLLOWUP_ADD
        for what, hour, answered, satisfied, where in _followup_parts(f, offset)
    )


def _followup_triggers(offset: int) -> dict[str, str]:
    reads = ("ticket_id", "kind", "due_at", "done_at", "satisfaction")
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in reads)
    new, old = (_followup_statements(offset, f, s) for f, s in (("NEW", ""), ("OLD", "-")))
    parts = " UNION ALL ".join(
        f"SELECT {what} AS what, {hour} AS hour, {answered} AS answered, {satisfied} AS "
        f"satisfied FROM followups f WHERE f.ticket_id = NEW.id AND {where}"
        for what, hour, answered, satisfied, where in _followup_parts("f", offset)
    )
    moved = " ".join(
        "INSERT INTO metric_followups (what, hour, assignee, n, answered, satisfied) SELECT "
        f"c.what, c.hour, ifnull({t}.assignee, ''), {sign}1, {sign}c.answered, "
        f"{sign}c.satisfied FROM ({parts}) AS c WHERE true " + _FOLLOWUP_ADD
        for t, sign in (("OLD", "-"), ("NEW", ""))
    )
    return {
        "metric_followups_insert": (
            f"CREATE TRIGGER metric_followups_insert AFTER INSERT ON followups BEGIN {new} END"
        ),
        "metric_followups_delete": (
            f"CREATE TRIGGER metric_followups_delete AFTER DELETE ON followups BEGIN {old} END"
        ),
        "metric_followups_update": (
            f"CREATE TRIGGER metric_followups_update AFTER UPDATE OF {', '.join(reads)} ON "
            f"followups WHEN {changed} BEGIN {old} {new} END"
        ),
        # a ticket given to another agent takes its follow-ups along
        "metric_followups_assignee": (
            "CREATE TRIGGER metric_followups_assignee AFTER UPDATE OF assignee ON tickets "
            f"WHEN OLD.assignee IS NOT NEW.assignee BEGIN {moved} END"
        ),
        "metric_followups_drop_empty": (
            "CREATE TRIGGER metric_followups_drop_empty AFTER UPDATE OF n ON metric_followups "
            "WHEN NEW.n = 0 BEGIN DELETE FROM metric_followups WHERE what = NEW.what AND "
            "hour = NEW.hour AND assignee = NEW.assignee; END"
        ),
    }


#: repeat complaints (store.metrics._REPEAT): a complaint whose customer opened another in the
#: window before it. A complaint's change can turn those of the window after it (same customer)
#: into repeats or back: the triggers take their count off before the change and add it again
#: after, over the complaints the old and the new row reach.
_REPEAT_WINDOW = "'+{days} days'"


def _repeat_statements(offset: int, days: int, sign: str, rows: tuple[str, ...]) -> str:
    """metric_hours.repeats of the complaints ``rows`` (NEW, OLD) reach: those of the same
    customer created from the row's creation to the window's length after it (the row itself
    among them while it is in the table), each with its repeat status as the table stands.
    No index is named: a bulk load may drop and rebuild the complaints' indexes while these
    triggers stand (the planner takes ``tickets_complaints`` when it is there)."""
    window = _REPEAT_WINDOW.format(days=int(days))
    reach = " OR ".join(
        f"(x.customer_id = {r}.customer_id AND x.created_at >= {r}.created_at AND x.created_at "
        f"<= strftime('%Y-%m-%dT%H:%M:%SZ', {r}.created_at, {window}))"
        for r in rows
    )
    return (
        "INSERT INTO metric_hours (hour, assignee, repeats) SELECT "
        f"{_hour_key('x', offset)}, ifnull(x.assignee, ''), {sign}count(*) FROM tickets x "
        f"WHERE x.category = 'complaint' AND x.customer_id IS NOT NULL AND ({reach}) AND "
        "EXISTS (SELECT 1 FROM tickets p WHERE p.category = "
        "'complaint' AND p.customer_id = x.customer_id AND p.created_at < x.created_at AND "
        f"p.created_at >= strftime('%Y-%m-%dT%H:%M:%SZ', x.created_at, '-{int(days)} days') "
        "AND p.id != x.id) GROUP BY 1, 2 ON CONFLICT (hour, assignee) DO UPDATE SET "
        "repeats = repeats + excluded.repeats;"
    )


def _repeat_triggers(offset: int, days: int) -> dict[str, str]:
    columns = ("category", "customer_id", "created_at", "assignee")
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    complaint = {
        "insert": "NEW.category = 'complaint'",
        "update": f"(OLD.category = 'complaint' OR NEW.category = 'complaint') AND ({changed})",
        "delete": "OLD.category = 'complaint'",
    }
    rows = {"insert": ("NEW",), "update": ("OLD", "NEW"), "delete": ("OLD",)}
    out = {}
    for when, sign in (("before", "-"), ("after", "")):
        for what in ("insert", "update", "delete"):
            name = f"metric_repeats_{when}_{what}"
            of = f"UPDATE OF {', '.join(columns)}" if what == "update" else what.upper()
            out[name] = (
                f"CREATE TRIGGER {name} {when.upper()} {of} ON tickets WHEN {complaint[what]} "
                f"BEGIN {_repeat_statements(offset, days, sign, rows[what])} END"
            )
    return out


def value_indexes(targets: Targets) -> dict[str, tuple[str, str]]:
    """name -> (the time, the rows it holds) over a row {t}: the tickets in order of their
    first-response and resolution times, where the dashboard reads a bucket's tickets for the
    exact median and p90."""
    return {
        "tickets_frt_value": (frt_value_sql(targets, "{t}"), "{t}.first_response_at IS NOT NULL"),
        "tickets_res_value": (f"({res_minutes_sql(targets, '{t}')} * 60)", _DONE),
    }


def _create_value_indexes(conn: sqlite3.Connection, targets: Targets) -> None:
    for name in _VALUE_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {name}")
    for name, (value, where) in value_indexes(targets).items():
        bare_value, bare_where = (
            sql.format(t="tickets").replace("tickets.", "") for sql in (value, where)
        )
        conn.execute(
            f"CREATE INDEX {name} ON tickets({bare_value}, created_at, assignee) WHERE {bare_where}"
        )


def _has_rollups(conn: sqlite3.Connection) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'metric_rollup'"
        ).fetchone()
        is not None
    )


def stored_offset(conn: sqlite3.Connection) -> int | None:
    """The UTC offset (seconds) whose local hours and days the roll-ups count in; None before
    migration 15 or when their layout is older than this program's."""
    if not _has_rollups(conn):
        return None
    row = conn.execute("SELECT utc_offset, layout FROM metric_rollup WHERE id = 1").fetchone()
    return None if row is None or row[1] != ROLLUP_LAYOUT else int(row[0])


def _recount_rollups(conn: sqlite3.Connection, targets: Targets, offset: int | None) -> None:
    """metric_hours and metric_times from the tickets (one grouped pass each)."""
    if offset is None:
        return
    for table in ("metric_hours", "metric_times", "metric_due", "metric_followups"):
        conn.execute(f"DELETE FROM {table}")
    # the slot counters from the slots (a slot lies inside one local hour); the backlog's
    # own from one pass of the backlog
    sums = ", ".join(f"sum({name})" for name in SLOT_COUNTS)
    conn.execute(
        f"INSERT INTO metric_hours (hour, assignee, {', '.join(SLOT_COUNTS)}) SELECT "
        f"(s.slot * {SLOT_SECONDS} + {int(offset)}) / 3600, s.assignee, {sums} "
        "FROM metric_slots s GROUP BY 1, 2"
    )
    extra = {name: sql for name, sql in _hour_counters(targets).items() if name not in SLOT_COUNTS}
    sums = ", ".join(f"sum({sql.format(t='t')})" for sql in extra.values())
    conn.execute(
        f"INSERT INTO metric_hours (hour, assignee, {', '.join(extra)}) SELECT "
        f"{_hour_key('t', offset)}, ifnull(t.assignee, ''), {sums} FROM tickets t "
        f"WHERE {_BACKLOG.format(t='t')} GROUP BY 1, 2 ON CONFLICT (hour, assignee) "
        f"DO UPDATE SET {', '.join(f'{name} = excluded.{name}' for name in extra)}"
    )
    # the times counted by (day, assignee, exact value) here, not by GROUP BY: at 1M tickets
    # SQLite sorted the 0.7M first responses into their 0.2M groups in 2.6 s, a dict took 0.55
    for kind, value, unit, where in _time_rows(targets):
        exact = Counter(
            conn.execute(
                f"SELECT {_day_key('t', offset)}, ifnull(t.assignee, ''), {value.format(t='t')} "
                f"FROM tickets t WHERE {where.format(t='t')}"
            )
        )
        buckets: Counter[tuple[Any, str, int | None]] = Counter()
        for (day, assignee, time), n in exact.items():
            buckets[day, assignee, None if time is None else _bucket_as_sql(time) * unit] += n
        conn.executemany(
            "INSERT INTO metric_times (day, assignee, kind, bucket, n) VALUES (?, ?, ?, ?, ?)",
            ((day, assignee, kind, bucket, n) for (day, assignee, bucket), n in buckets.items()),
        )
    for what, hour, answered, satisfied, where in _followup_parts("f", offset):
        conn.execute(
            "INSERT INTO metric_followups (what, hour, assignee, n, answered, satisfied) "
            f"SELECT {what}, {hour}, ifnull(t.assignee, ''), count(*), sum({answered}), "
            f"sum({satisfied}) FROM followups f LEFT JOIN tickets t ON t.id = f.ticket_id "
            f"WHERE {where} GROUP BY 1, 2, 3"
        )
    # repeat complaints in one ordered pass of each customer's complaints (a window function)
    window = _repeat_days() * 86400
    conn.execute(
        "INSERT INTO metric_hours (hour, assignee, repeats) SELECT hour, assignee, sum(r) FROM "
        f"(SELECT {_hour_key('t', offset)} AS hour, ifnull(t.assignee, '') AS assignee, "
        "count(*) OVER (PARTITION BY t.customer_id ORDER BY unixepoch(t.created_at) RANGE "
        f"BETWEEN {window} PRECEDING AND 1 PRECEDING) > 0 AS r FROM tickets t "
        "WHERE t.category = 'complaint' AND t.customer_id IS NOT NULL) "
        "GROUP BY 1, 2 ON CONFLICT (hour, assignee) DO UPDATE SET repeats = excluded.repeats"
    )
    # every kind of the running backlog in one pass (each ticket read once)
    rows = _due_rows(targets)
    if rows:
        kinds = " UNION ALL ".join(f"SELECT {kind} AS kind" for kind, _due, _where in rows)
        due = " ".join(f"WHEN {kind} THEN {d.format(t='t')}" for kind, d, _where in rows)
        which = " ".join(f"WHEN {kind} THEN {w.format(t='t')}" for kind, _d, w in rows)
        conn.execute(
            "INSERT INTO metric_due (kind, hour, assignee, due_hour, n) SELECT k.kind, "
            f"{_hour_key('t', offset)}, ifnull(t.assignee, ''), (CASE k.kind {due} END) / 3600, "
            f"count(*) FROM tickets t CROSS JOIN ({kinds}) AS k WHERE {_OPEN.format(t='t')} "
            f"AND (CASE k.kind {which} END) GROUP BY 1, 2, 3, 4"
        )


def _repeat_days() -> int:
    return int(number("repeat_complaint_days"))


def _rebuild_rollups(
    conn: sqlite3.Connection, targets: Targets, offset: int | None, indexes: bool = True
) -> None:
    """The roll-ups' triggers (and value indexes unless not ``indexes``) for ``targets`` and
    ``offset``, counted again (the slots must be counted already)."""
    for name in _ROLLUP_TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    if offset is None:
        return
    _rollup_tables(conn)
    if indexes:
        _create_value_indexes(conn, targets)
    _recount_rollups(conn, targets, offset)
    for sql in (
        *_rollup_triggers(targets, offset).values(),
        *_followup_triggers(offset).values(),
        *_repeat_triggers(offset, _repeat_days()).values(),
    ):
        conn.execute(sql)


def use_offset(conn: sqlite3.Connection, offset: int) -> bool:
    """Make the roll-ups count in the local hours and days of UTC ``offset`` (seconds; in the
    caller's transaction): when it differs from the stored one (or the layout is older), store
    it and count them again. True when it recounted."""
    if stored_offset(conn) == offset:
        return False
    conn.execute(
        "INSERT INTO metric_rollup (id, utc_offset, layout) VALUES (1, ?, ?) ON CONFLICT (id) "
        "DO UPDATE SET utc_offset = excluded.utc_offset, layout = excluded.layout",
        (int(offset), ROLLUP_LAYOUT),
    )
    _rebuild_rollups(conn, stored_targets(conn), int(offset))
    return True


def _rollup_tables(conn: sqlite3.Connection) -> None:
    """The roll-ups' tables as this layout has them (a column or table an older one lacks is
    added; they are counted again after), and the indexes that let the few passes left read
    no table row: repeat complaints by customer with the breakdowns' keys, allergy cases by
    report with their batch."""
    conn.execute(
        "CREATE INDEX IF NOT EXISTS tickets_complaints_window ON tickets(customer_id, "
        "created_at, assignee, channel, skill_group) WHERE category = 'complaint'"
    )
    conn.execute(
        "CREATE INDEX IF NOT EXISTS allergy_cases_batches ON allergy_cases(reported_at, sku, "
        "batch_no, customer_id, ticket_id)"
    )
    counters = ", ".join(f"{name} INTEGER NOT NULL DEFAULT 0" for name in HOUR_COUNTS)
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS metric_hours (hour INTEGER NOT NULL, assignee TEXT NOT NULL, "
        f"{counters}, PRIMARY KEY (hour, assignee)) WITHOUT ROWID"
    )
    have = {row[1] for row in conn.execute("PRAGMA table_info(metric_hours)")}
    for name in HOUR_COUNTS:
        if name not in have:
            conn.execute(f"ALTER TABLE metric_hours ADD COLUMN {name} INTEGER NOT NULL DEFAULT 0")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS metric_times (day INTEGER NOT NULL, assignee TEXT NOT NULL, "
        "kind INTEGER NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL, "
        "PRIMARY KEY (day, assignee, kind, bucket)) WITHOUT ROWID"
    )
    conn.execute(
        "CREATE TABLE IF NOT EXISTS metric_followups (what INTEGER NOT NULL, "
        "hour INTEGER NOT NULL, assignee TEXT NOT NULL, n INTEGER NOT NULL, "
        "answered INTEGER NOT NULL, satisfied INTEGER NOT NULL, "
        "PRIMARY KEY (what, hour, assignee)) WITHOUT ROWID"
    )
    conn.execute(
        "CREATE TABLE IF NOT EXISTS metric_due (kind INTEGER NOT NULL, hour INTEGER NOT NULL, "
        "assignee TEXT NOT NULL, due_hour INTEGER NOT NULL, n INTEGER NOT NULL, "
        "PRIMARY KEY (kind, hour, assignee, due_hour)) WITHOUT ROWID"
    )


def apply_v15(conn: sqlite3.Connection) -> None:
    """The dashboard's roll-ups in the shop zone's local time: every slot counter per local
    hour and assignee (``metric_hours``), the first-response and resolution times per local
    day and assignee in buckets (``metric_times``), and the indexes of the tickets by those
    times (``tickets_frt_value``, ``tickets_res_value``)."""
    conn.execute(
        "CREATE TABLE metric_rollup (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "utc_offset INTEGER NOT NULL, layout INTEGER NOT NULL)"
    )
    use_offset(conn, DEFAULT_OFFSET)
