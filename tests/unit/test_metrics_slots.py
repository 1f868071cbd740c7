"""The slot counters (migration 12) against the exact per-ticket counts, figure by figure, for
every breakdown, after every kind of change a ticket goes through."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest
from metrics_fixture import add_team, at, metrics, ticket

from cs_console.policy import metrics as rules
from cs_console.service.metrics import Period
from cs_console.store.db import Store
from cs_console.store.metrics_slots import V12_COUNTS, recount_slots, slots_suspended

DAY = "2026-11-20T02:00:00Z"
ZONES = ("Asia/Shanghai", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns", "UTC")


def busy_cache(store: Store) -> dict[str, int]:
    """Tickets that went through reopens, pauses, reassignment, escalation, status back and
    forth, replies, a category change, a move in time and a delete."""
    add_team(store)
    ids = {
        "plain": ticket(store, DAY),
        "resolved": ticket(
            store, DAY, replied=at(DAY, seconds=30), status="resolved", resolved=at(DAY, hours=2)
        ),
        "paused": ticket(store, at(DAY, minutes=20), replied=at(DAY, minutes=21), status="pending"),
        "wechat": ticket(store, at(DAY, hours=5, minutes=40), channel="wechat", assignee=None),
        "complaint": ticket(store, "2026-11-21T15:50:00Z", category="complaint", priority=2),
        "late_night": ticket(store, "2026-11-22T18:29:59Z", skill_group=None),
        "gone": ticket(store, "2026-11-22T18:30:00Z", assignee="agent02"),
        "moved": ticket(store, "2026-11-10T09:00:00Z"),
    }
    with store.transaction():
        store.update_ticket(ids["resolved"], {"status": "open", "resolved_at": None})
        store.update_ticket(ids["resolved"], {"status": "closed", "resolved_at": at(DAY, hours=6)})
        store.update_ticket(ids["paused"], {"paused_at": at(DAY, hours=1), "paused_seconds": 600})
        store.update_ticket(ids["plain"], {"assignee": "agent02", "escalated": 1})
        store.update_ticket(ids["plain"], {"status": "pending"})
        store.update_ticket(ids["plain"], {"status": "open"})
        store.update_ticket(ids["complaint"], {"category": "after-sale", "escalated": 1})
        store.update_ticket(ids["moved"], {"created_at": "2026-11-19T23:45:00Z"})
        store.update_ticket(ids["wechat"], {"status": "resolved", "resolved_at": at(DAY, hours=7)})
        store.insert_message(ids["wechat"], "out", "agent01", "好的", "wechat", at(DAY, hours=6))
        store.conn.execute("DELETE FROM messages WHERE ticket_id = ?", (ids["gone"],))
        store.conn.execute("DELETE FROM tickets WHERE id = ?", (ids["gone"],))
    return ids


def exact(store: Store, scope, by: str) -> dict:
    return {
        key: {name: counts[name] for name in V12_COUNTS}
        for key, counts in store.metric_counts(scope, by).items()
    }


def slot_counts(store: Store, scope, by: str) -> dict:
    """Migration 12's counters (the event counters of 14 are tested in test_metrics_counters)."""
    return {
        key: {name: counts[name] for name in V12_COUNTS}
        for key, counts in store.metric_slot_counts(scope, by).items()
    }


def local_period(zone: str, start: str, end: str) -> Period:
    return Period(datetime.fromisoformat(start), datetime.fromisoformat(end), zone)


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("by", (*rules.BREAKDOWNS, "agent+hour+day", "channel+category+skill"))
def test_slot_counts_equal_the_exact_counts(store: Store, zone: str, by: str) -> None:
    busy_cache(store)
    m = metrics(store)
    for start, end in (
        ("2026-11-01T00:00:00+00:00", "2026-12-01T00:00:00+00:00"),  # everything
        ("2026-11-20T02:15:00+00:00", "2026-11-22T18:30:00+00:00"),  # quarter-hour bounds
        ("2025-01-01T00:00:00+00:00", "2025-01-02T00:00:00+00:00"),  # empty
    ):
        scope = m.scope(local_period(zone, start, end))
        assert slot_counts(store, scope, by) == exact(store, scope, by)


def test_slot_counts_by_local_hour_in_a_half_hour_zone(store: Store) -> None:
    busy_cache(store)
    m = metrics(store)
    scope = m.scope(
        local_period("Asia/Kolkata", "2026-11-01T00:00:00+05:30", "2026-12-01T00:00:00+00:00")
    )
    by_hour = store.metric_slot_counts(scope, "hour")
    # 18:29:59Z is 23:59:59 in Kolkata; 02:00Z 07:30; 23:45Z (the moved ticket) 05:15
    assert {hour: c["tickets"] for hour, c in by_hour.items()} == {
        5: 1,
        7: 3,
        13: 1,
        21: 1,
        23: 1,
    }
    assert slot_counts(store, scope, "all")["all"] == {
        "tickets": 7,
        "done": 2,
        "responded": 2,
        "fcr": 1,
        "ever_resolved": 2,
        "reopened": 1,
        "escalated": 2,
        "complaints": 0,
    }


def test_one_agent_sees_only_their_own_slots(store: Store) -> None:
    busy_cache(store)
    m = metrics(store, "agent02")
    scope = m.scope(
        local_period("Asia/Shanghai", "2026-11-01T00:00:00+08:00", "2026-12-01T00:00:00+00:00")
    )
    assert slot_counts(store, scope, "agent") == exact(store, scope, "agent")
    assert list(store.metric_slot_counts(scope, "agent")) == ["agent02"]


def test_triggers_keep_what_a_recount_finds_and_empty_slots_go(store: Store) -> None:
    busy_cache(store)
    kept = store.conn.execute("SELECT * FROM metric_slots ORDER BY 1, 2, 3, 4, 5").fetchall()
    assert all(row["tickets"] > 0 for row in kept)
    with store.transaction():
        recount_slots(store.conn)
    counted = store.conn.execute("SELECT * FROM metric_slots ORDER BY 1, 2, 3, 4, 5").fetchall()
    assert [tuple(row) for row in kept] == [tuple(row) for row in counted]


def test_a_period_off_the_quarter_hour_is_refused(store: Store) -> None:
    m = metrics(store)
    scope = m.scope(local_period("UTC", "2026-11-20T02:10:00+00:00", "2026-11-21T00:00:00+00:00"))
    with pytest.raises(ValueError, match="15-minute slot boundary"):
        store.metric_slot_counts(scope, "all")


def test_the_migration_fills_the_slots_from_existing_tickets(tmp_path) -> None:
    path = tmp_path / "old.db"
    with Store.open(path) as store:
        busy_cache(store)
        before = store.conn.execute("SELECT * FROM metric_slots ORDER BY 1, 2, 3, 4, 5").fetchall()
        before = [tuple(row) for row in before]
    conn = sqlite3.connect(path)  # back to version 11: no slots, no targets
    for name in ("insert", "delete", "update", "drop_empty"):
        conn.execute(f"DROP TRIGGER metric_slots_{name}")
    conn.execute("DROP TABLE metric_slots")
    conn.execute("DROP TABLE metric_targets")
    conn.execute("DROP INDEX tickets_complaints_created")
    conn.execute("DELETE FROM migrations WHERE version IN (12, 14)")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        after = store.conn.execute("SELECT * FROM metric_slots ORDER BY 1, 2, 3, 4, 5").fetchall()
        assert [tuple(row) for row in after] == before
        assert len(before) == 7


def test_a_bulk_write_with_the_triggers_suspended_ends_counted(store: Store) -> None:
    add_team(store)
    with store.transaction(), slots_suspended(store.conn):
        for minute in range(0, 60, 7):
            store.insert_ticket(
                {
                    "subject": "bulk",
                    "channel": "app",
                    "category": "pre-sale",
                    "status": "open",
                    "created_at": at(DAY, minutes=minute),
                    "updated_at": DAY,
                }
            )
        assert store.scalar("SELECT count(*) FROM metric_slots") == 0
    assert store.scalar("SELECT sum(tickets) FROM metric_slots") == 9
    assert store.scalar("SELECT count(*) FROM metric_slots") == 4  # :00, :15, :30, :45
    with pytest.raises(RuntimeError, match="caller's transaction"), slots_suspended(store.conn):
        pass
