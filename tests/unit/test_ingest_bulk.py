"""The bulk seed drops the per-row triggers and indexes and counts once at the end: the cache it
leaves must be the one the per-row triggers would have left, row for row."""

from contextlib import nullcontext

from cs_console import demo
from cs_console.clock import FixedClock
from cs_console.store.db import Store

TABLES = ("tickets", "messages", "queue_counts", "metric_slots", "customers", "orders")
SCHEMA = "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY 2"


def _dump(store: Store) -> dict[str, list[tuple[object, ...]]]:
    dump = {
        t: [tuple(r) for r in store.conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2")]
        for t in TABLES
    }
    dump["schema"] = [tuple(r) for r in store.conn.execute(SCHEMA)]
    return dump


def test_bulk_seed_leaves_what_the_per_row_triggers_leave(monkeypatch) -> None:
    clock = FixedClock("2026-11-23T08:00:00Z")
    with Store.open(":memory:", clock) as bulk, Store.open(":memory:", clock) as per_row:
        demo.seed(bulk, tickets=400, seed_value=5)
        monkeypatch.setattr(per_row, "bulk_tickets", nullcontext)
        demo.seed(per_row, tickets=400, seed_value=5)
        bulk_dump, row_dump = _dump(bulk), _dump(per_row)
        assert bulk_dump == row_dump
        replies = bulk.scalar("SELECT sum(agent_replies) FROM tickets")
        assert replies == bulk.scalar("SELECT count(*) FROM messages WHERE direction = 'out'")
        assert replies > 200
        assert bulk.scalar("SELECT sum(tickets) FROM metric_slots") == 400


def test_bulk_write_adds_new_replies_to_tickets_already_counted() -> None:
    clock = FixedClock("2026-11-23T08:00:00Z")
    with Store.open(":memory:", clock) as store:
        demo.seed(store, tickets=30, seed_value=5)
        ticket = store.scalar("SELECT id FROM tickets WHERE agent_replies = 1 LIMIT 1")
        with store.transaction(), store.bulk_tickets():
            for _ in range(2):
                store.insert_message(ticket, "out", "agent01", "您好", "wechat", store.now_iso())
            store.insert_message(ticket, "in", "C000001", "谢谢", "wechat", store.now_iso())
        assert store.scalar("SELECT agent_replies FROM tickets WHERE id = ?", (ticket,)) == 3
        with store.transaction():
            store.insert_message(ticket, "out", "agent01", "再见", "wechat", store.now_iso())
        assert store.scalar("SELECT agent_replies FROM tickets WHERE id = ?", (ticket,)) == 4
