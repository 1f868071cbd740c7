"""Ingest throughput: seed N tickets (with customers, orders, lines, messages) and print rows/s
beside the raw executemany floor measured in the same run on the same machine, the time of each
stage (and this process's CPU in it: the rest is waiting for a core, the generating child or the
disk) and the peak RSS of this process and of the child that generates the rows (with
``--parallel``). Rows are the rows the seed writes (what triggers would write is not counted: the bulk
load suspends them and counts once at the end).

    uv run python benchmarks/ingest.py [--tickets 1000000] [--keep PATH] [--parallel]

``--tickets 10000`` is the CI size. ``--keep PATH`` leaves the seeded cache there (the queue and
startup benchmarks take it with ``--db``).
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import tempfile
import time
from pathlib import Path

from cs_console import demo
from cs_console.clock import FixedClock
from cs_console.store.db import Store

TARGET_RATIO = 0.25  # DESIGN.md 8: ingest >= 0.25x the raw executemany floor


def raw_floor(path: Path, rows: int) -> float:
    """Rows/s of a bare executemany of similar-width rows into a plain table, one transaction,
    the rows streamed from a generator (as the seed streams them)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT, c TEXT, d TEXT, e INTEGER, f TEXT, g TEXT)"
    )
    data = (
        (i, f"subject {i}", "C000123", "wechat", 3, "2026-11-23T08:00:00Z", "一段中文消息内容" * 3)
        for i in range(rows)
    )
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)", data)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return rows / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--tickets", type=int, default=1_000_000, help="tickets to seed (default 1,000,000)"
    )
    parser.add_argument("--keep", type=Path, help="seed this new cache and leave it there")
    parser.add_argument(
        "--parallel",
        action="store_true",
        help="generate the rows in a child process while this one writes them",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # the floor before and after the seed: on a shared machine one run of it swings with
        # the load of the moment (236k-595k rows/s at 1M tickets in one session)
        floor_before = raw_floor(Path(tmp) / "floor0.db", args.tickets * 5)
        path = args.keep or Path(tmp) / "bench.db"
        clock = FixedClock("2026-11-23T08:00:00Z")
        started = time.perf_counter()
        cpu_started = time.process_time()
        stages: dict[str, float] = {}
        cpu: dict[str, float] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if done >= total:  # when each stage ended, from the start
                stages.setdefault(stage, time.perf_counter() - started)
                cpu.setdefault(stage, time.process_time() - cpu_started)

        with Store.open(path, clock) as store:
            counts = demo.seed(
                store, tickets=args.tickets, progress=progress, parallel=args.parallel
            )
        elapsed = time.perf_counter() - started
        cpu_total = time.process_time() - cpu_started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # the generator's child process, when the seed forks one (the largest child waited for)
        child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rows = sum(counts.values())
        floor_after = raw_floor(Path(tmp) / "floor.db", rows)
    floor = (floor_before + floor_after) / 2
    rate = rows / elapsed
    print(
        f"seed {args.tickets:,} tickets: {rows:,} rows in {elapsed:.1f} s, peak RSS "
        f"{peak_mb:,.0f} MB"
        + (f" (the generating child's: {child_mb:,.0f} MB)" if args.parallel else "")
    )
    customers_s = stages.get("customers", 0.0)
    tickets_s = stages.get("tickets", customers_s) - customers_s
    print(
        f"stages: customers, orders, lines {customers_s:.1f} s; tickets and messages "
        f"{tickets_s:.1f} s; indexes and counters rebuilt, commit "
        f"{elapsed - customers_s - tickets_s:.1f} s"
    )
    cpu_customers = cpu.get("customers", 0.0)
    cpu_tickets = cpu.get("tickets", cpu_customers) - cpu_customers
    print(
        f"cpu of this process: {cpu_customers:.1f} s, {cpu_tickets:.1f} s, "
        f"{cpu_total - cpu_customers - cpu_tickets:.1f} s (wall minus cpu: waiting for a core "
        "or the disk)"
    )
    print(f"{'what':<40}{'rows/s':>12}{'ratio':>8}")
    print(f"{'cs-console seed (generate + write)':<40}{rate:>12,.0f}{rate / floor:>8.2f}")
    print(f"{'floor: raw executemany, same rows':<40}{floor:>12,.0f}{1:>8.2f}")
    print(
        f"  (the mean of the floor before the seed, {floor_before:,.0f}, and after, "
        f"{floor_after:,.0f}: ratios {rate / floor_before:.2f} / {rate / floor_after:.2f})"
    )
    verdict = "meets" if rate / floor >= TARGET_RATIO else "MISSES"
    print(f"target: >= {TARGET_RATIO}x the floor ({floor * TARGET_RATIO:,.0f} rows/s): {verdict}")


if __name__ == "__main__":
    main()
