"""The queue query on a large cache: median and p95 per filter, beside a bare indexed SELECT.

uv run python benchmarks/queue_query.py [--tickets 100000] [--db PATH]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from cs_console import demo
from cs_console.clock import FixedClock
from cs_console.store.db import Store


def timed(fn, runs: int = 200) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="an existing cache (default: seed a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        clock = FixedClock("2026-11-23T08:00:00Z")
        with Store.open(path, clock) as store:
            if not args.db:
                demo.seed(store, tickets=args.tickets)
            total = store.scalar("SELECT count(*) FROM tickets")
            print(f"{total} tickets, {store.queue_count('all')} open")
            print(f"{'query (200 rows)':<28}{'median ms':>10}{'p95 ms':>10}")
            floor = timed(
                lambda: store.conn.execute(
                    "SELECT id FROM tickets WHERE status = 'open' ORDER BY sla_due LIMIT 200"
                ).fetchall()
            )
            print(f"{'floor: bare indexed SELECT':<28}{floor[0]:>10.3f}{floor[1]:>10.3f}")
            for name in ("all", "mine", "unassigned", "escalated", "overdue"):
                med, p95 = timed(lambda n=name: store.queue(n, "agent01", limit=200))
                print(f"{'queue ' + name:<28}{med:>10.3f}{p95:>10.3f}")
    print("target (DESIGN.md 8): <= 2 ms")


if __name__ == "__main__":
    main()
