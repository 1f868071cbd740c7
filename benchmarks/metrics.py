"""The supervisor dashboard's figures on a large cache, beside one ``SELECT count(*) FROM
tickets`` measured in the same run.

    uv run python benchmarks/metrics.py [--tickets 1000000] [--db PATH] [--runs 3]

``--tickets 10000`` is the CI size; ``--db`` takes a cache seeded before (benchmarks/ingest.py
--keep PATH; the demo clock is 2026-11-23T08:00:00Z). The seeded tickets span 60 days; the
demo has no callbacks or allergy cases, so this adds them (a callback with a score for a third
of the resolved tickets, an allergy case per allergy ticket) when the cache has none. The
dashboard (``Metrics.dashboard``: every figure, the series by hour and by day, the agent table,
backlog ages, allergy batches) is timed for today, the last 7 days, the last 30 days and the
whole cache, each in local days (the bounds on local midnights). Target (DESIGN.md 8): <= 1 s.
Beside each, its parts: the counters per local hour alone (migration 15's ``metric_hours``),
every count (those plus what is judged when read: the backlog not late yet, requested returns,
repeat complaints), the medians and p90 (buckets per day, then one bucket's tickets), the
backlog (count, median, oldest, age bands), follow-ups and CSAT, and the allergy batches, each
with its ratio to count(*).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from cs_console import demo
from cs_console.clock import FixedClock, parse_iso
from cs_console.service.desk import Agent, Desk
from cs_console.service.metrics import Metrics
from cs_console.store.db import Store
from cs_console.store.metrics import MetricsScope

NOW = "2026-11-23T08:00:00Z"
TARGET_SECONDS = 1.0
SERIES = ("agent", "hour", "day")  # the dashboard's breakdowns
BY = "+".join(SERIES)


def timed(fn: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def add_callbacks_and_allergy_cases(store: Store) -> None:
    """What the demo does not seed: callbacks with satisfaction, and allergy cases."""
    if store.scalar("SELECT count(*) FROM followups") or store.scalar(
        "SELECT count(*) FROM allergy_cases"
    ):
        return
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO followups (ticket_id, customer_id, kind, due_at, done_at, outcome, "
            "satisfaction) SELECT id, customer_id, 'after_resolution', "
            "strftime('%Y-%m-%dT%H:%M:%SZ', resolved_at, '+72 hours'), "
            "CASE WHEN id % 7 = 0 THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%SZ', resolved_at, "
            "'+73 hours') END, CASE WHEN id % 7 = 0 THEN NULL ELSE 'reached' END, "
            "CASE WHEN id % 7 = 0 THEN NULL ELSE 1 + (id * 7919) % 5 END "
            "FROM tickets WHERE resolved_at IS NOT NULL AND id % 3 = 0"
        )
        conn.execute(
            "INSERT INTO allergy_cases (ticket_id, customer_id, sku, batch_no, symptoms, "
            "reported_at) SELECT t.id, t.customer_id, l.sku, l.batch_no, 'redness', t.created_at "
            "FROM tickets t JOIN order_lines l ON l.order_id = t.order_id AND l.line_no = 1 "
            "WHERE t.allergy = 1"
        )


def followups_and_csat(store: Store, scope: MetricsScope) -> None:
    store.followup_counts(scope, BY)
    store.csat_counts(scope, BY)


def local_day(metrics: Metrics, moment: str) -> str:
    """The day of a stored moment in the configured zone."""
    return str(parse_iso(moment).astimezone(ZoneInfo(metrics.zone)).date())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="an existing cache (default: seed a temporary one)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per figure (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        clock = FixedClock(NOW)
        with Store.open(path, clock) as store:
            if not args.db:
                demo.seed(store, tickets=args.tickets)
            add_callbacks_and_allergy_cases(store)
            total = store.scalar("SELECT count(*) FROM tickets")
            followups = store.scalar("SELECT count(*) FROM followups")
            cases = store.scalar("SELECT count(*) FROM allergy_cases")
            print(f"{total:,} tickets, {followups:,} follow-ups, {cases:,} allergy cases")
            floor = timed(lambda: store.scalar("SELECT count(*) FROM tickets"), args.runs)
            metrics = Metrics(Desk(store, Agent("sup01", "王主管", "supervisor")))
            oldest = store.scalar("SELECT min(created_at) FROM tickets")
            today = date.fromisoformat(local_day(metrics, NOW))
            periods = [
                ("today", metrics.today()),
                ("last 7 days", metrics.period(str(today - timedelta(days=6)), str(today))),
                ("last 30 days", metrics.period(str(today - timedelta(days=29)), str(today))),
                ("whole cache", metrics.period(local_day(metrics, oldest), str(today))),
            ]
            print(f"{'what':<36}{'tickets':>10}{'seconds':>10}{'x count(*)':>12}  target <= 1 s")
            print(f"{'floor: SELECT count(*) FROM tickets':<36}{total:>10,}{floor:>10.3f}")
            for name, period in periods:
                board = metrics.dashboard(period)
                seconds = timed(lambda p=period: metrics.dashboard(p), args.runs)
                verdict = "meets" if seconds <= TARGET_SECONDS else "MISSES"
                print(
                    f"{'dashboard, ' + name:<36}{board['tiles']['tickets']['value']:>10,}"
                    f"{seconds:>10.3f}{seconds / floor:>12.0f}  {verdict}"
                )
                scope = metrics.scope(period)
                for label, part in (
                    ("hour counters", lambda s=scope: store.metric_hour_counts(s, BY)),
                    ("every count", lambda s=scope: store.metric_fast_counts(s, BY)),
                    ("medians and p90", lambda s=scope: store.metric_percentiles(s)),
                    ("backlog", lambda s=scope: store.backlog_summary(s, SERIES)),
                    ("follow-ups and CSAT", lambda s=scope: followups_and_csat(store, s)),
                    ("allergy batches", lambda s=scope: store.allergy_batches(s)),
                ):
                    seconds = timed(part, args.runs)
                    print(
                        f"{'  of it: ' + label:<36}{'':>10}{seconds:>10.3f}{seconds / floor:>12.0f}"
                    )
            agent = Metrics(Desk(store, Agent("agent01", "小林", "agent")))
            seconds = timed(lambda: agent.dashboard(agent.today()), args.runs)
            print(f"{'dashboard, today, one agent':<36}{'':>10}{seconds:>10.3f}")
            drill = timed(
                lambda: metrics.ticket_ids(periods[0][1], "sla_attainment", limit=200), args.runs
            )
            print(f"{'drill-down, today, SLA misses':<36}{'':>10}{drill:>10.3f}")


if __name__ == "__main__":
    main()
