"""Ingest throughput: seed N tickets (with customers, orders, lines, messages) and print rows/s
beside the raw executemany floor measured in the same run on the same machine.

    uv run python benchmarks/ingest.py [--tickets 100000]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

from cs_console import demo
from cs_console.clock import FixedClock
from cs_console.store.db import Store


def raw_floor(path: Path, rows: int) -> float:
    """Rows/s of a bare executemany of similar-width rows into a plain table, one transaction."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT, c TEXT, d TEXT, e INTEGER, f TEXT, g TEXT)"
    )
    data = [
        (i, f"subject {i}", "C000123", "wechat", 3, "2026-11-23T08:00:00Z", "一段中文消息内容" * 3)
        for i in range(rows)
    ]
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)", data)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return rows / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        clock = FixedClock("2026-11-23T08:00:00Z")
        started = time.perf_counter()
        with Store.open(path, clock) as store:
            counts = demo.seed(store, tickets=args.tickets)
        elapsed = time.perf_counter() - started
        rows = sum(counts.values())
        floor = raw_floor(Path(tmp) / "floor.db", rows)
    print(f"seed {args.tickets} tickets: {rows} rows in {elapsed:.2f} s")
    print(f"{'what':<34}{'rows/s':>12}")
    print(f"{'cs-console seed (generate + write)':<34}{rows / elapsed:>12,.0f}")
    print(f"{'raw executemany floor':<34}{floor:>12,.0f}")
    print("target (DESIGN.md 8): >= 50,000 rows/s")


if __name__ == "__main__":
    main()
