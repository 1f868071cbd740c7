"""Migration 15's roll-ups (counters per local hour, times in buckets per local day) and what
the dashboard reads from them: the same figures as the exact per-ticket queries, for every
zone and target setting, after every kind of change a ticket goes through."""

from __future__ import annotations

import random
import sqlite3
from zoneinfo import ZoneInfo

import pytest
from metrics_fixture import add_team, at, metrics, ticket
from test_metrics_counters import HOURS, TIGHT, eventful_cache
from test_metrics_slots import DAY, ZONES, busy_cache

from cs_console.clock import parse_iso
from cs_console.policy.sla import SlaConfig
from cs_console.service.metrics import SERIES, parse_period
from cs_console.store.db import Store
from cs_console.store.metrics import MetricsScope
from cs_console.store.metrics_slots import (
    DEFAULT_OFFSET,
    Targets,
    _bucket_as_sql,
    bucket_of,
    bucket_sql,
    bucket_width,
    recount_slots,
    slots_suspended,
    stored_offset,
)

NOW = "2026-11-23T08:00:00Z"  # the fixture's clock
ROLLUPS = "SELECT * FROM metric_{} ORDER BY 1, 2, 3, 4"


def spread_cache(store: Store) -> None:
    """Tickets whose first-response and resolution times spread over many buckets, with
    clusters where the medians and p90 fall (several tickets in one wide bucket), and a
    backlog on both sides of every age band's edge."""
    add_team(store)
    rng = random.Random(15)
    agents = ("agent01", "agent02", None)
    for n in range(160):
        created = at("2026-11-16T00:00:00Z", minutes=rng.randrange(7 * 24 * 60 - 600))
        frt = rng.choice((rng.randrange(0, 200), rng.randrange(200, 40000), 3000 + n % 40))
        minutes = rng.choice((rng.randrange(1, 100), rng.randrange(100, 4000), 1500 + n % 50))
        done = n % 4 != 0
        ticket(
            store,
            created,
            channel=rng.choice(("chat", "wechat", "email", "desk")),
            priority=rng.choice((1, 2, 3, 4)),
            replied=at(created, seconds=frt) if n % 9 else None,
            status=rng.choice(("resolved", "closed")) if done else rng.choice(("open", "pending")),
            resolved=at(created, minutes=minutes, seconds=rng.randrange(60)) if done else None,
            paused_seconds=rng.choice((0, 0, 600, 5000)),
            assignee=agents[n % 3],
        )
    for edge in (3600, 4 * 3600, 24 * 3600, 72 * 3600):
        for seconds in (-61, -60, -59, -1, 0, 1, 59, 60, 61):
            ticket(store, at(NOW, seconds=seconds - edge), assignee=agents[seconds % 3])
    ticket(store, at(NOW, minutes=10))  # created after now (a clock ahead): age 0
    paused = ticket(store, at(NOW, hours=-5), status="pending", assignee="agent02")
    with store.transaction():
        store.update_ticket(paused, {"paused_at": at(NOW, hours=-4)})


def fitted(store: Store, m, zone: str, start: str, end: str) -> MetricsScope:
    """The scope of local days ``start`` .. ``end`` in ``zone``, with the counters and
    roll-ups counting in its targets and offset."""
    scope = m.scope(parse_period(start, end, parse_iso(NOW), zone))
    store.use_metric_targets(Targets.of(scope.sla, scope.business))
    store.use_metric_offset(scope.offset_seconds)
    return scope


def one_offset(scope: MetricsScope, zone: str) -> bool:
    """Whether the zone has one UTC offset over the period (St John's leaves daylight saving
    on 1 November: the month's end is then off the local hours of its start's offset)."""
    start, end = (parse_iso(bound).astimezone(ZoneInfo(zone)) for bound in (scope.start, scope.end))
    return start.utcoffset() == end.utcoffset()


DAYS = (
    ("2026-11-23", "2026-11-23"),  # today
    ("2026-11-17", "2026-11-23"),  # a week
    ("2026-11-01", "2026-11-30"),  # the month
    ("2026-11-18", "2026-11-19"),  # ends before now
    ("2025-01-01", "2025-01-01"),  # empty
)


@pytest.mark.parametrize("sla", (None, HOURS, TIGHT), ids=("wall", "business", "tight"))
@pytest.mark.parametrize("zone", ZONES)
def test_medians_and_p90_from_the_buckets_equal_the_exact_ones(
    store: Store, zone: str, sla: SlaConfig | None
) -> None:
    spread_cache(store)
    m = metrics(store, sla=sla)
    refined = 0
    for start, end in DAYS:
        scope = fitted(store, m, zone, start, end)
        assert store._rollups_fit(scope, 86400) == one_offset(scope, zone)
        fast = store.metric_percentiles(scope)
        assert fast == store.metric_percentiles(scope, exact=True)
        refined += sum(
            value is not None and bucket_width(int(value)) > 1 for value in fast.values()
        )
    assert refined >= 3  # the bucket's tickets were read, not only its bound


@pytest.mark.parametrize("agent", ("agent01", "agent02"))
def test_one_agents_medians_from_the_buckets(store: Store, agent: str) -> None:
    spread_cache(store)
    m = metrics(store, agent)
    for start, end in DAYS:
        scope = fitted(store, m, "Asia/Shanghai", start, end)
        assert store.metric_percentiles(scope) == store.metric_percentiles(scope, exact=True)
        summary = store.backlog_summary(scope, SERIES)
        assert summary == store.backlog_summary(scope, SERIES, exact=True)
        assert set(summary.by["agent"]) <= {agent}


@pytest.mark.parametrize("sla", (None, HOURS), ids=("wall", "business"))
@pytest.mark.parametrize("zone", ZONES)
def test_backlog_from_the_hours_equals_the_exact_one(
    store: Store, zone: str, sla: SlaConfig | None
) -> None:
    spread_cache(store)
    m = metrics(store, sla=sla)
    for start, end in DAYS:
        scope = fitted(store, m, zone, start, end)
        assert store._rollups_fit(scope, 3600)  # St John's month: off its days, on its hours
        for breakdowns in (SERIES, ("hour",), ()):
            fast = store.backlog_summary(scope, breakdowns)
            assert fast == store.backlog_summary(scope, breakdowns, exact=True)
    today = store.backlog_summary(fitted(store, m, zone, *DAYS[0]), SERIES)
    # 40 of the spread, 36 at the edges, one after now, one paused
    assert today.total == 78 and today.oldest is not None and today.median is not None
    # under 1 h: 4 of the 1 h edge's and the one after now; 1-4 h: 5 of the 1 h, 4 of the 4 h
    assert today.bands[:2] == [5, 9] and sum(today.bands) == today.total


@pytest.mark.parametrize("sla", (None, HOURS, TIGHT), ids=("wall", "business", "tight"))
@pytest.mark.parametrize("zone", ZONES)
def test_counts_from_the_hours_equal_the_exact_counts(
    store: Store, zone: str, sla: SlaConfig | None
) -> None:
    eventful_cache(store)
    for hours, replied in ((10, 3600), (1, None)):  # paused with exactly their target used
        paused = ticket(store, at(NOW, hours=-hours), status="pending", priority=1)
        paused_at = at(NOW, hours=-2) if replied else at(NOW, hours=-hours, seconds=20)
        with store.transaction():
            store.update_ticket(paused, {"paused_at": paused_at})
            if replied:
                store.update_ticket(paused, {"first_response_at": at(NOW, hours=-hours, seconds=5)})
    m = metrics(store, sla=sla)
    for start, end in DAYS:
        scope = fitted(store, m, zone, start, end)
        for by in ("agent+hour+day", "agent", "day", "all"):
            hours = store.metric_hour_counts(scope, by)
            assert hours == store.metric_slot_counts(scope, by)
            with store.metric_snapshot(scope):
                exact = store.metric_counts(scope, by)
            assert store.metric_fast_counts(scope, by) == exact


def test_dashboard_tiles_equal_the_report_and_read_the_rollups(store: Store) -> None:
    spread_cache(store)
    m = metrics(store)
    period = m.period("2026-11-17", "2026-11-23")
    board = m.dashboard(period)
    assert board["tiles"] == m.report(period).total.figures
    read: list[str] = []
    store.conn.set_trace_callback(read.append)
    try:
        assert m.dashboard(period) == board
    finally:
        store.conn.set_trace_callback(None)
    assert not any("tickets_metrics" in sql for sql in read)  # no pass over the period
    assert any("metric_times" in sql for sql in read)
    assert any("metric_hours" in sql for sql in read)


def test_triggers_keep_what_a_recount_finds(store: Store) -> None:
    eventful_cache(store)
    names = ("hours", "times", "due")
    kept = {name: store.conn.execute(ROLLUPS.format(name)).fetchall() for name in names}
    assert all(kept.values())
    assert all(row["tickets"] > 0 for row in kept["hours"])
    assert all(row["n"] > 0 for row in kept["times"])
    with store.transaction():
        recount_slots(store.conn)
    for name, rows in kept.items():
        counted = store.conn.execute(ROLLUPS.format(name)).fetchall()
        assert [tuple(row) for row in rows] == [tuple(row) for row in counted]


def test_a_new_offset_is_stored_and_counted_again(store: Store) -> None:
    busy_cache(store)
    assert stored_offset(store.conn) == DEFAULT_OFFSET
    hours = "SELECT min(hour) FROM metric_hours"
    shanghai = store.scalar(hours)
    assert store.use_metric_offset(-3 * 3600 - 1800) is True
    # the oldest ticket, 23:45Z: 07:45 in Shanghai, 20:15 the day before in St John's
    assert store.scalar(hours) == shanghai - 11
    assert store.use_metric_offset(-3 * 3600 - 1800) is False
    scope = fitted(store, metrics(store), "America/St_Johns", "2026-11-10", "2026-11-22")
    assert store._rollups_fit(scope, 86400)
    assert stored_offset(store.conn) == -3 * 3600 - 1800
    with store.transaction():
        store.conn.execute("UPDATE metric_rollup SET layout = layout - 1")
    assert stored_offset(store.conn) is None  # an older layout: not read until rebuilt
    assert not store._rollups_fit(scope, 3600)
    assert store.use_metric_offset(scope.offset_seconds) is True


def test_a_period_off_the_hours_or_in_another_offset_reads_the_tickets(store: Store) -> None:
    spread_cache(store)
    m = metrics(store)
    scope = fitted(store, m, "Asia/Kolkata", "2026-11-17", "2026-11-23")
    shanghai = m.scope(parse_period("2026-11-17", "2026-11-23", parse_iso(NOW), "Asia/Shanghai"))
    assert not store._rollups_fit(shanghai, 3600)  # counted at +5:30
    off_hours = MetricsScope(
        "2026-11-17T00:30:00Z", "2026-11-23T00:00:00Z", NOW, scope.sla, None, 8 * 3600
    )
    for other in (shanghai, off_hours):
        assert store.metric_percentiles(other) == store.metric_percentiles(other, exact=True)
        assert store.backlog_summary(other, SERIES) == store.backlog_summary(
            other, SERIES, exact=True
        )


def test_buckets_in_sql_and_here_agree(store: Store) -> None:
    values = [*range(-3, 300), *(int(1.07**k) for k in range(60, 400)), 2**31, 2**40 + 5]
    sql = "SELECT " + ", ".join(bucket_sql(str(v)) for v in values[:500])
    assert list(store.conn.execute(sql).fetchone()) == [bucket_of(v) for v in values[:500]]
    sql = "SELECT " + ", ".join(bucket_sql(str(v)) for v in values[500:])
    assert list(store.conn.execute(sql).fetchone()) == [bucket_of(v) for v in values[500:]]
    # the recount buckets times in Python as the triggers' SQL does, past its ladder's end too
    huge = [2**46 + 3, 2**47 - 1, 2**47, 2**50 + 7]
    sql = "SELECT " + ", ".join(bucket_sql(str(v)) for v in huge)
    assert list(store.conn.execute(sql).fetchone()) == [_bucket_as_sql(v) for v in huge]
    for v in values:
        lower = bucket_of(v)
        assert lower <= v < lower + bucket_width(lower)
        assert bucket_width(lower) == 1 or bucket_width(lower) * 32 <= lower
    assert [bucket_of(v) for v in (127, 128, 131, 132, 255, 256, 263, 264)] == [
        127,
        128,
        128,
        132,
        252,
        256,
        256,
        264,
    ]


def test_a_bulk_write_with_the_triggers_suspended_counts_the_rollups(store: Store) -> None:
    add_team(store)
    with store.transaction(), slots_suspended(store.conn):
        for minute in range(0, 120, 7):
            store.insert_ticket(
                {
                    "subject": "bulk",
                    "channel": "app",
                    "category": "pre-sale",
                    "status": "resolved",
                    "created_at": at(DAY, minutes=minute),
                    "first_response_at": at(DAY, minutes=minute, seconds=minute),
                    "resolved_at": at(DAY, hours=3),
                    "updated_at": DAY,
                }
            )
        assert store.scalar("SELECT count(*) FROM metric_hours") == 0
    assert store.scalar("SELECT sum(tickets) FROM metric_hours") == 18
    assert store.scalar("SELECT count(*) FROM metric_hours") == 2  # 10:00 and 11:00 local
    assert store.scalar("SELECT sum(n) FROM metric_times") == 36  # a response, a resolution
    ticket(store, DAY, replied=at(DAY, seconds=3))  # the triggers are back
    assert store.scalar("SELECT sum(tickets) FROM metric_hours") == 19


def test_the_migration_counts_the_rollups_of_existing_tickets(tmp_path) -> None:
    path = tmp_path / "old.db"
    with Store.open(path) as store:
        eventful_cache(store)
        before = {n: store.conn.execute(ROLLUPS.format(n)).fetchall() for n in ("hours", "times")}
        before = {n: [tuple(row) for row in rows] for n, rows in before.items()}
    conn = sqlite3.connect(path)  # back to version 14
    for name in ("insert", "delete", "update"):
        conn.execute(f"DROP TRIGGER metric_rollup_{name}")
    for name in ("rollup", "hours", "times"):
        conn.execute(f"DROP TABLE metric_{name}")
    conn.execute("DROP INDEX tickets_frt_value")
    conn.execute("DROP INDEX tickets_res_value")
    conn.execute("DELETE FROM migrations WHERE version = 15")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        for name, rows in before.items():
            after = store.conn.execute(ROLLUPS.format(name)).fetchall()
            assert [tuple(row) for row in after] == rows
        assert len(before["hours"]) > 10 and len(before["times"]) > 10
        assert stored_offset(store.conn) == DEFAULT_OFFSET


def test_repeat_complaints_at_the_windows_edges(store: Store) -> None:
    add_team(store)
    for customer, created in (
        ("C1", "2026-10-20T02:00:00Z"),
        ("C1", "2026-11-19T02:00:00Z"),  # 30 days after: a repeat
        ("C2", "2026-10-20T02:00:00Z"),
        ("C2", "2026-11-19T02:00:01Z"),  # 30 days and a second after: not one
        ("C3", "2026-11-20T05:00:00Z"),
        ("C3", "2026-11-20T05:00:00Z"),  # the same second: neither repeats the other
        ("C3", "2026-11-20T05:00:01Z"),  # a repeat
        (None, "2026-11-20T05:00:02Z"),  # no customer: never
    ):
        ticket(store, created, category="complaint", customer=customer)
    ticket(store, "2026-11-20T06:00:00Z", customer="C3")  # not a complaint
    m = metrics(store)
    scope = fitted(store, m, "Asia/Shanghai", "2026-11-01", "2026-11-30")
    with store.metric_snapshot(scope):
        exact = store.metric_counts(scope, "agent+hour+day")
    fast = store.metric_fast_counts(scope, "agent+hour+day")
    assert fast == exact
    assert sum(counts["repeat"] for counts in fast.values()) == 2
    allergy = store.allergy_batches(scope)
    with store.transaction() as conn:  # a cache whose roll-ups predate the covering indexes
        conn.execute("DROP INDEX tickets_complaints_window")
        conn.execute("DROP INDEX allergy_cases_batches")
    assert store.metric_fast_counts(scope, "agent+hour+day") == exact
    assert store.allergy_batches(scope) == allergy


def followup(store: Store, ticket_id: int | None, kind: str, due: str, **done: object) -> int:
    with store.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO followups (ticket_id, customer_id, kind, due_at, done_at, satisfaction) "
            "VALUES (?, 'C1', ?, ?, ?, ?)",
            (ticket_id, kind, due, done.get("done_at"), done.get("satisfaction")),
        )
        return int(cursor.lastrowid or 0)


def followups_cache(store: Store) -> list[int]:
    """Follow-ups due on both sides of now and of now less 24 h, callbacks with and without
    a score, on tickets that change hands, some without a ticket, some done, one gone."""
    add_team(store)
    agents = ("agent01", "agent02", None)
    made = []
    for edge in (0, -86400):
        for n, seconds in enumerate((-3601, -60, -1, 0, 1, 60, 3599)):
            owner = ticket(store, at(NOW, days=-3), assignee=agents[n % 3])
            made.append(owner)
            followup(store, owner, "after_resolution", at(NOW, seconds=edge + seconds))
            followup(store, None, "first_purchase_usage", at(NOW, seconds=edge + seconds + 7))
    for n, hours in enumerate((-30, -5, -1, 2)):
        for score in (None, 2, 4, 5):
            owner = ticket(store, at(NOW, days=-4), assignee=agents[(n + (score or 0)) % 3])
            made.append(owner)
            done = at(NOW, hours=hours, minutes=score or 0)
            followup(store, owner, "after_resolution", done, done_at=done, satisfaction=score)
            followup(store, owner, "first_purchase_usage", at(done, days=-1), done_at=done)
    callback = followup(store, None, "first_purchase_usage", at(NOW, days=-5))
    gone = followup(store, None, "first_purchase_usage", at(NOW, days=-6))
    with store.transaction() as conn:
        conn.execute(
            "UPDATE followups SET done_at = ?, satisfaction = 5 WHERE id = ?",
            (at(NOW, hours=-3), callback),
        )
        conn.execute("UPDATE followups SET satisfaction = 3 WHERE id = ?", (callback,))
        conn.execute("UPDATE followups SET kind = 'after_resolution' WHERE id = ?", (callback,))
        conn.execute("UPDATE followups SET ticket_id = ? WHERE id = ?", (made[-1], callback - 1))
        conn.execute("DELETE FROM followups WHERE id = ?", (gone,))
        store.update_ticket(made[0], {"assignee": "agent02"})
        store.update_ticket(made[2], {"assignee": "agent01"})
        store.update_ticket(made[-1], {"assignee": None})
    return made


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("agent", ("sup01", "agent02"))
def test_followups_and_csat_from_the_hours_equal_the_exact_counts(
    store: Store, zone: str, agent: str
) -> None:
    followups_cache(store)
    m = metrics(store, agent)
    for start, end in (*DAYS, ("2026-11-22", "2026-11-22"), ("2026-11-24", "2026-11-25")):
        scope = fitted(store, m, zone, start, end)
        assert store._rollups_fit(scope, 3600)
        for by in ("agent+hour+day", "agent", "hour", "all"):
            fast = store.followup_counts(scope, by)
            assert fast == store.followup_counts(scope, by, exact=True)
            assert store.csat_counts(scope, by) == store.csat_counts(scope, by, exact=True)
    week = fitted(store, m, zone, "2026-11-17", "2026-11-23")
    due = store.followup_counts(week, "all").get("all", {"due": 0, "overdue": 0})
    if agent == "sup01":
        # due by now: 4 + 2 around now (the second kind 7 s later), all 14 a day before;
        # overdue: 3 + 2 of those more than 24 h before now
        assert due == {"due": 20, "overdue": 5}
        assert store.csat_counts(week, "all")["all"]["callbacks"] >= 5


def test_followup_triggers_keep_what_a_recount_finds(store: Store) -> None:
    followups_cache(store)
    query = "SELECT * FROM metric_followups ORDER BY 1, 2, 3"
    kept = [tuple(row) for row in store.conn.execute(query)]
    assert kept and all(row[3] > 0 for row in kept)
    with store.transaction():
        recount_slots(store.conn)
    assert [tuple(row) for row in store.conn.execute(query)] == kept


def test_repeat_complaints_follow_every_change(store: Store) -> None:
    """Complaints inserted out of order, deleted, moved in time, to another customer and out
    of the category: the counted repeats stay those the exact query finds."""
    add_team(store)
    m = metrics(store)
    scope = fitted(store, m, "Asia/Shanghai", "2026-10-01", "2026-11-30")

    def check() -> int:
        with store.metric_snapshot(scope):
            exact = store.metric_counts(scope, "agent+hour+day")
        assert store.metric_fast_counts(scope, "agent+hour+day") == exact
        counted = [tuple(row) for row in store.conn.execute(ROLLUPS.format("hours"))]
        with store.transaction():
            recount_slots(store.conn)
        assert [tuple(row) for row in store.conn.execute(ROLLUPS.format("hours"))] == counted
        return sum(counts["repeat"] for counts in exact.values())

    later = ticket(store, "2026-11-20T05:00:00Z", category="complaint", customer="C1")
    ticket(store, "2026-11-25T05:00:00Z", category="complaint", customer="C1")
    assert check() == 1  # the latest repeats the later
    earlier = ticket(store, "2026-11-01T05:00:00Z", category="complaint", customer="C1")
    assert check() == 2  # inserted before them: now the later repeats it too
    with store.transaction():
        store.update_ticket(later, {"category": "after-sale"})
    assert check() == 1  # the latest is 24 days after the earlier
    with store.transaction():
        store.update_ticket(earlier, {"created_at": "2026-10-20T05:00:00Z"})
    assert check() == 0  # 36 days before: no longer in the window
    with store.transaction():
        store.update_ticket(later, {"category": "complaint", "assignee": "agent02"})
        store.update_ticket(earlier, {"customer_id": "C2"})
    assert check() == 1
    with store.transaction():
        store.conn.execute("DELETE FROM messages WHERE ticket_id = ?", (later,))
        store.conn.execute("DELETE FROM tickets WHERE id = ?", (later,))
    assert check() == 0
    ticket(store, "2026-11-20T05:00:00Z", category="complaint", customer="C3")
    ticket(store, "2026-10-21T05:00:00Z", category="complaint", customer="C3")
    assert check() == 1  # inserted exactly 30 days before: the later one repeats it
