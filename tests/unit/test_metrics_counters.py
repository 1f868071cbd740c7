"""Migration 14's event counters (first response and SLA met, returns and high-priority
complaints done and within target) and the dashboard that reads them: the same figures as the
exact per-ticket queries, figure by figure, for every breakdown, zone and target setting."""

from __future__ import annotations

from datetime import time

import pytest
from metrics_fixture import add_team, at, metrics, ticket
from test_metrics_slots import DAY, ZONES, busy_cache, local_period

from cs_console.policy import metrics as rules
from cs_console.policy.sla import BusinessHours, SlaConfig
from cs_console.store.db import Store
from cs_console.store.metrics_slots import DEFAULT_TARGETS, Targets, stored_targets

HOURS = SlaConfig(business_hours=BusinessHours(time(9), time(22), "Asia/Shanghai"))
TIGHT = SlaConfig(
    first_response={"chat": 40, "wechat": 10, "it's": 5},
    returns_resolution=50 * 3600,
    high_priority_complaint=10 * 3600,
)


def request(store: Store, ticket_id: int, kind: str = "return") -> None:
    """A return (or exchange, compensation) request filed on the ticket."""
    with store.transaction() as conn:
        if not store.scalar("SELECT 1 FROM orders WHERE id = 'SO-1'"):
            conn.execute(
                "INSERT INTO orders (id, customer_id, channel, placed_at, status, total, "
                "discount, paid) VALUES ('SO-1', 'C1', 'online', ?, 'delivered', 1, 0, 1)",
                (DAY,),
            )
        conn.execute(
            "INSERT INTO returns (id, request_key, ticket_id, order_id, kind, reason, "
            "resolution, lines, status, created_by, created_at, updated_at) VALUES (?, ?, ?, "
            "'SO-1', ?, 'opened', 'refund', '[]', 'awaiting_approval', 'agent01', ?, ?)",
            (f"R{ticket_id}{kind}", f"k{ticket_id}{kind}", ticket_id, kind, DAY, DAY),
        )


def eventful_cache(store: Store) -> None:
    """The busy cache plus tickets each event counter and each read-time part decides."""
    busy_cache(store)
    late = at(DAY, hours=-1)
    ticket(store, late, replied=at(late, seconds=19))  # chat answered on time
    ticket(store, late, replied=at(late, seconds=21), channel="wechat")
    ticket(store, late, channel="phone")  # unanswered, long past 20 s
    for hours, topic in ((47, "return-unopened"), (49, "return-opened"), (3, None)):
        ticket(
            store,
            late,
            topic=topic,
            status="resolved",
            replied=at(late, seconds=5),
            resolved=at(late, hours=hours),
            paused_seconds=7200,
        )
    requested = ticket(store, late, status="resolved", resolved=at(late, hours=60))
    request(store, requested)
    request(store, requested, "exchange")  # two requests, one return ticket
    open_request = ticket(store, "2026-11-18T00:00:00Z", topic="order-status")
    request(store, open_request)
    request(store, ticket(store, late), "compensation")  # not a return
    ticket(store, "2026-11-19T00:00:00Z", topic="return-unopened")  # open, past 48 h
    for earlier, (resolved_after, priority) in enumerate(((23, 1), (25, 2), (30, 3))):
        created = at(late, hours=-earlier)  # the second and third repeat the first
        ticket(
            store,
            created,
            category="complaint",
            priority=priority,
            status="closed",
            resolved=at(created, hours=resolved_after),
            customer="C2",
        )
    ticket(store, "2026-11-17T00:00:00Z", category="complaint", priority=1, customer="C3")
    recent(store)
    with store.transaction():  # a late reply, a reopen, a new priority: recounted as they go
        store.update_ticket(requested + 1, {"first_response_at": at(DAY, hours=6)})
        store.update_ticket(requested, {"status": "open", "resolved_at": None})
        store.update_ticket(requested, {"status": "resolved", "resolved_at": at(late, hours=40)})
        store.update_ticket(open_request, {"priority": 1})


def recent(store: Store) -> None:
    """Open tickets just before now (the fixture's clock): some not late yet, some paused."""
    now = "2026-11-23T08:00:00Z"
    ticket(store, at(now, seconds=-10))  # chat, 10 s unanswered: within 20 s
    ticket(store, at(now, seconds=-30), channel="wechat")  # within 90 s
    ticket(store, at(now, seconds=-30))  # chat: late
    ticket(store, at(now, hours=-2), priority=1, replied=at(now, hours=-2, seconds=5))
    ticket(store, at(now, hours=-9), priority=1, replied=at(now, hours=-9, seconds=5))  # > 8 h
    ticket(store, at(now, hours=-1), topic="return-opened", paused_seconds=600)
    ticket(store, at(now, hours=-1), category="complaint", priority=2, customer="C3")
    paused = ticket(store, at(now, hours=-3), status="pending", channel="email")
    late_paused = ticket(store, at(now, hours=-30), status="pending", priority=1)
    with store.transaction():
        store.update_ticket(paused, {"paused_at": at(now, hours=-2)})  # 1 h of 4 h: on time
        store.update_ticket(late_paused, {"paused_at": at(now, hours=-20)})  # 10 h of 8 h


PERIODS = (
    ("2026-11-01T00:00:00+00:00", "2026-12-01T00:00:00+00:00"),
    ("2026-11-20T02:15:00+00:00", "2026-11-22T18:30:00+00:00"),
    ("2025-01-01T00:00:00+00:00", "2025-01-02T00:00:00+00:00"),
)


@pytest.mark.parametrize("sla", (None, HOURS, TIGHT), ids=("wall", "business", "tight"))
@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("by", (*rules.BREAKDOWNS, "agent+hour+day"))
def test_counted_figures_equal_the_exact_counts(
    store: Store, zone: str, by: str, sla: SlaConfig | None
) -> None:
    eventful_cache(store)
    m = metrics(store, sla=sla)
    for start, end in PERIODS:
        scope = m.scope(local_period(zone, start, end))
        store.use_metric_targets(Targets.of(scope.sla, scope.business))
        with store.metric_snapshot(scope):
            exact = store.metric_counts(scope, by)
        assert store.metric_fast_counts(scope, by) == exact


def test_the_cache_exercises_every_counted_figure(store: Store) -> None:
    eventful_cache(store)
    m = metrics(store)
    scope = m.scope(local_period("UTC", *PERIODS[0]))
    assert store.metric_fast_counts(scope, "all")["all"] == {
        "tickets": 30,
        "done": 9,
        "responded": 10,
        "frt_late_open": 12,
        "frt_met": 7,
        "sla_late_open": 12,
        "sla_met": 8,
        "fcr": 4,
        "ever_resolved": 9,
        "reopened": 2,
        "escalated": 2,
        "return_due": 5,
        "return_met": 3,
        "complaint_due": 3,
        "complaint_met": 1,
        "complaints": 5,
        "repeat": 3,
    }


def test_new_targets_are_stored_and_everything_recounted_once(store: Store) -> None:
    eventful_cache(store)
    assert stored_targets(store.conn) == DEFAULT_TARGETS
    m = metrics(store, sla=TIGHT)
    period = local_period("UTC", *PERIODS[0])
    counted = "SELECT sum(complaint_met), sum(return_topic_met) FROM metric_slots"
    assert tuple(store.conn.execute(counted).fetchone()) == (1, 2)
    m.report(period)
    tight = Targets.of(TIGHT, None)
    assert stored_targets(store.conn) == tight
    # 23 h is past 10 h; 45 h and 47 h are within 50 h
    assert tuple(store.conn.execute(counted).fetchone()) == (0, 2)
    assert store.use_metric_targets(tight) is False
    ticket(store, at(DAY, hours=1), replied=at(DAY, hours=1, seconds=30))  # 30 s <= 40 s
    scope = m.scope(period)
    with store.metric_snapshot(scope):
        exact = store.metric_counts(scope, "channel")
    assert store.metric_fast_counts(scope, "channel") == exact


def test_a_period_off_the_slots_or_other_targets_read_the_exact_counts(store: Store) -> None:
    eventful_cache(store)
    m = metrics(store, sla=TIGHT)  # the stored targets are the defaults
    for start, end in (PERIODS[0], ("2026-11-20T02:10:00+00:00", "2026-11-21T00:00:00+00:00")):
        scope = m.scope(local_period("UTC", start, end))
        assert store.metric_fast_counts(scope, "agent") == store.metric_counts(scope, "agent")
    assert stored_targets(store.conn) == DEFAULT_TARGETS


@pytest.mark.parametrize("agent", ("sup01", "agent02"))
def test_dashboard_and_report_figures_equal_the_exact_queries(
    store: Store, agent: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    eventful_cache(store)
    add_callbacks(store)
    m = metrics(store, agent)
    period = m.period("2026-11-01", "2026-11-30")
    board = m.dashboard(period)
    report = m.report(period, "channel")
    with monkeypatch.context() as patch:
        patch.setattr(store, "metric_fast_counts", store.metric_counts)
        assert m.dashboard(period) == board
        assert m.report(period, "channel") == report
    assert board["tiles"]["tickets"]["value"] == (30 if agent == "sup01" else 1)


def add_callbacks(store: Store) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO followups (ticket_id, customer_id, kind, due_at, done_at, satisfaction) "
            "VALUES (2, 'C1', 'after_resolution', '2026-11-21T00:00:00Z', "
            "'2026-11-21T03:00:00Z', 3)"
        )


def test_a_cache_without_tickets_has_its_targets(store: Store) -> None:
    add_team(store)
    assert stored_targets(store.conn) == DEFAULT_TARGETS
    assert Targets.from_json(DEFAULT_TARGETS.as_json()) == DEFAULT_TARGETS


def test_counters_of_an_older_layout_are_rebuilt_on_first_use(store: Store) -> None:
    eventful_cache(store)
    with store.transaction() as conn:
        conn.execute("UPDATE metric_targets SET config = json_remove(config, '$.layout')")
        conn.execute("UPDATE metric_slots SET open_unanswered = 0")
    assert stored_targets(store.conn).layout == 1
    m = metrics(store)
    scope = m.scope(local_period("UTC", *PERIODS[0]))
    exact = store.metric_counts(scope, "agent")
    assert store.metric_fast_counts(scope, "agent") == exact  # the exact counts meanwhile
    assert store.use_metric_targets(DEFAULT_TARGETS) is True
    unanswered = store.scalar(
        "SELECT count(*) FROM tickets WHERE status IN ('open', 'pending') AND paused_at IS NULL "
        "AND first_response_at IS NULL"
    )
    assert unanswered == 13
    assert store.scalar("SELECT sum(open_unanswered) FROM metric_slots") == unanswered
    assert store.metric_fast_counts(scope, "agent") == exact


def test_a_summer_period_in_a_daylight_saving_zone_is_read_exactly(store: Store) -> None:
    eventful_cache(store)
    berlin = SlaConfig(business_hours=BusinessHours(time(9), time(18), "Europe/Berlin"))
    m = metrics(store, sla=berlin)
    summer = m.period("2026-07-01", "2026-07-31")
    m.report(summer)
    # today (November) is at +1:00: the counters judge in that offset, July (+2:00) exactly
    assert stored_targets(store.conn) == Targets.of(berlin, (9 * 3600, 18 * 3600, 3600))
    scope = m.scope(summer)
    assert scope.business == (9 * 3600, 18 * 3600, 7200)
    assert store.metric_fast_counts(scope, "day") == store.metric_counts(scope, "day")
    november = m.scope(m.period("2026-11-01", "2026-11-30"))
    with store.metric_snapshot(november):
        exact = store.metric_counts(november, "agent")
    assert store.metric_fast_counts(november, "agent") == exact
