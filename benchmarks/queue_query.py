"""The queue on a large cache: page 1, page 50 (keyset), the count and a filter switch, per
filter, beside a bare indexed SELECT of 200 ids measured in the same run.

    uv run python benchmarks/queue_query.py [--tickets 1000000] [--db PATH]

``--tickets 10000`` is the CI size; ``--db`` takes a cache seeded before (benchmarks/ingest.py
--keep PATH). The target (DESIGN.md 8) is "constant in the number of tickets": compare the
figures of a 10k and a 1M run; each is printed beside the floor of its own run.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cs_console import demo
from cs_console.clock import FixedClock
from cs_console.service.desk import Agent, Desk
from cs_console.service.queue import QUEUE_FILTERS
from cs_console.store.db import Store

PAGE = 200


def timed(fn: Callable[[], object], runs: int = 100) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="an existing cache (default: seed a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        clock = FixedClock("2026-11-23T08:00:00Z")
        with Store.open(path, clock) as store:
            if not args.db:
                demo.seed(store, tickets=args.tickets)
            queue = Desk(store, Agent("agent01", "小林", "agent")).queues
            supervisor = Desk(store, Agent("sup01", "王主管", "supervisor")).queues
            total = store.scalar("SELECT max(id) FROM tickets")
            print(f"{total:,} tickets; 'all' holds {queue.count('all'):,}")

            def floor() -> object:
                return store.conn.execute(
                    "SELECT id FROM tickets WHERE status = 'open' ORDER BY sla_due LIMIT 200"
                ).fetchall()

            base = timed(floor)
            print(f"{'ms (median / p95)':<26}{'page 1':>14}{'page 50':>14}{'count':>14}")
            print(f"{'floor: bare indexed SELECT':<26}{base[0]:>8.3f}/{base[1]:<5.2f}")
            for chosen in QUEUE_FILTERS:
                name = chosen.name
                q = supervisor if chosen.allowed else queue
                first = timed(lambda n=name, q=q: q.page(n, limit=PAGE), runs=50)
                key = None
                page = q.page(name, limit=PAGE)
                for _ in range(49):  # walk to page 50 by keys, as the console does
                    if not page.more:
                        break
                    key = page.last
                    page = q.page(name, after=key, limit=PAGE)
                deep = timed(lambda n=name, k=key, q=q: q.page(n, after=k, limit=PAGE), runs=50)
                count = timed(lambda n=name, q=q: q.count(n))
                print(
                    f"{'queue ' + name:<26}{first[0]:>8.3f}/{first[1]:<5.2f}"
                    f"{deep[0]:>8.3f}/{deep[1]:<5.2f}{count[0]:>8.3f}/{count[1]:<5.2f}"
                )
            switch = timed(lambda: (queue.page("mine", limit=PAGE), queue.count("mine")), runs=50)
            print(f"{'filter switch (page+count)':<26}{switch[0]:>8.3f}/{switch[1]:<5.2f}")
    print(
        "target (DESIGN.md 8): page, count and filter switch constant in the number of "
        "tickets (keyset pages, counters kept by triggers); compare with a --tickets 10000 run"
    )


if __name__ == "__main__":
    main()
