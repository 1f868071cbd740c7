"""Queue filters: each one counts exactly what it shows, through inserts, updates and deletes;
keyset pages walk every row once in both directions; the CLI's and the console's names agree."""

from __future__ import annotations

import json
import random

import pytest

from cs_console.policy.queue import QUEUE_FILTERS, queue_filter
from cs_console.service.desk import Agent, Desk, DeskError
from cs_console.service.queue import Queue
from cs_console.store import migrations

SUPERVISOR = Agent("sup01", "王主管", "supervisor")
AGENT = Agent("agent01", "小林", "agent")


def walk(queue: Queue, name: str, size: int, text: str = "") -> list[int]:
    """Every row of a filter, page by page forward (keyset)."""
    ids: list[int] = []
    page = queue.page(name, limit=size, text=text)
    ids += [r["id"] for r in page.rows]
    while page.more:
        page = queue.page(name, after=page.last, limit=size, text=text)
        ids += [r["id"] for r in page.rows]
    return ids


def walk_back(queue: Queue, name: str, size: int, last_page_first) -> list[int]:
    ids: list[int] = []
    page = queue.page(name, before=last_page_first, inclusive=True, limit=size)
    ids = [r["id"] for r in page.rows] + ids
    while page.earlier:
        page = queue.page(name, before=page.first, limit=size)
        ids = [r["id"] for r in page.rows] + ids
    return ids


def expected(desk: Desk, name: str) -> list[int]:
    """What the filter should hold, by its definition applied to every ticket row."""
    chosen = queue_filter(name)
    now = desk.store.now_iso()
    members = {
        "awaiting_approval": "SELECT ticket_id FROM returns WHERE status='awaiting_approval'",
        "followups_due": "SELECT ticket_id FROM followups WHERE done_at IS NULL AND due_at <= ?",
    }.get(chosen.ticket_set or "", "SELECT NULL AS ticket_id WHERE ? IS NULL")
    in_set = {r["ticket_id"] for r in desk.store.all(members, (now,) if "?" in members else ())}
    rows = []
    for row in desk.store.all("SELECT * FROM tickets"):
        row["in_set"] = row["id"] in in_set
        if chosen.matches(row, desk.agent.id, now):
            rows.append(row)
    rows.sort(key=lambda r: (r["status"], r["sla_due"] or "", r["priority"], r["id"]))
    return [r["id"] for r in rows]


def check_all(desk: Desk, size: int = 7) -> None:
    queue = desk.queues
    for chosen in QUEUE_FILTERS:
        ids = walk(queue, chosen.name, size)
        assert ids == expected(desk, chosen.name), chosen.name
        assert queue.count(chosen.name) == len(ids), chosen.name
    counters = dict(desk.store.conn.execute("SELECT bucket, n FROM queue_counts").fetchall())
    with desk.store.transaction() as conn:
        migrations.recount_queue(conn)
        recounted = dict(conn.execute("SELECT bucket, n FROM queue_counts").fetchall())
    assert counters == recounted


def add_return(store, ticket_id: int, rid: str, status: str = "awaiting_approval") -> None:
    order = store.scalar("SELECT id FROM orders LIMIT 1")
    store.conn.execute(
        "INSERT INTO returns (id, request_key, ticket_id, order_id, kind, reason, resolution, "
        "lines, status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 'return', "
        "'opened', 'refund', '[]', ?, 'agent01', ?, ?)",
        (rid, rid, ticket_id, order, status, store.now_iso(), store.now_iso()),
    )


@pytest.fixture
def sup(seeded) -> Desk:
    return Desk(seeded, SUPERVISOR)


def test_every_filter_counts_what_it_shows_through_changes(sup):
    store = sup.store
    check_all(sup)
    rng = random.Random(11)
    ids = [r["id"] for r in store.all("SELECT id FROM tickets")]
    for step in range(40):
        ticket = rng.choice(ids)
        kind = step % 6
        with store.transaction() as conn:
            if kind == 0:
                conn.execute(
                    "UPDATE tickets SET status = ? WHERE id = ?",
                    (rng.choice(("open", "pending", "resolved", "closed")), ticket),
                )
            elif kind == 1:
                conn.execute(
                    "UPDATE tickets SET assignee = ? WHERE id = ?",
                    (rng.choice((None, "agent01", "sup01", "agent02")), ticket),
                )
            elif kind == 2:
                conn.execute("UPDATE tickets SET escalated = 1 - escalated WHERE id = ?", (ticket,))
            elif kind == 3:
                conn.execute(
                    "UPDATE tickets SET sla_due = ? WHERE id = ?",
                    (rng.choice(("2026-11-23T07:30:00Z", "2026-11-23T09:00:00Z", None)), ticket),
                )
            elif kind == 4:
                add_return(store, ticket, f"R{step}", rng.choice(("awaiting_approval", "approved")))
            else:
                conn.execute(
                    "UPDATE returns SET status = CASE status WHEN 'awaiting_approval' "
                    "THEN 'declined' ELSE 'awaiting_approval' END WHERE id = (SELECT id FROM "
                    "returns ORDER BY random() LIMIT 1)"
                )
        check_all(sup)
    victim = ids[-1]
    with store.transaction() as conn:
        for table in ("messages", "returns", "followups", "drafts"):
            conn.execute(f"DELETE FROM {table} WHERE ticket_id = ?", (victim,))
        conn.execute("DELETE FROM tickets WHERE id = ?", (victim,))
    check_all(sup)


def test_approvals_include_waiting_tickets_and_match_returns_awaiting(sup):
    store = sup.store
    pending = store.scalar("SELECT id FROM tickets WHERE status = 'pending' LIMIT 1")
    opened = store.scalar("SELECT id FROM tickets WHERE status = 'open' LIMIT 1")
    with store.transaction():
        add_return(store, pending, "RW1")
        add_return(store, opened, "RW2")
        add_return(store, opened, "RW3")  # two requests on one ticket: one row, counted once
    rows = sup.queue("approvals")
    assert {r["id"] for r in rows} == {pending, opened}
    assert sup.queue_count("approvals") == 2
    awaiting = {r["ticket_id"] for r in store.returns_report(("awaiting_approval",))}
    assert awaiting == {r["id"] for r in rows}


def test_all_and_escalated_include_waiting_tickets(sup):
    store = sup.store
    pending = store.scalar("SELECT id FROM tickets WHERE status = 'pending' LIMIT 1")
    with store.transaction() as conn:
        conn.execute("UPDATE tickets SET escalated = 1 WHERE id = ?", (pending,))
    assert pending in [r["id"] for r in sup.queue("all", limit=500)]
    assert pending in [r["id"] for r in sup.queue("escalated", limit=500)]
    statuses = [r["status"] for r in sup.queue("all", limit=500)]
    assert statuses == sorted(statuses)  # open first, then waiting


def test_keyset_pages_forward_and_back_with_ties_and_empty_due(sup):
    store = sup.store
    with store.transaction() as conn:  # many rows with the same due time and priority
        conn.execute(
            "UPDATE tickets SET sla_due = '2026-11-23T08:30:00Z', priority = 3 "
            "WHERE status = 'open' AND id % 3 = 0"
        )
        closed = store.scalar("SELECT id FROM tickets WHERE status = 'resolved' LIMIT 1")
        conn.execute("UPDATE tickets SET sla_due = NULL WHERE id = ?", (closed,))
        add_return(store, closed, "RN1")  # approvals holds a ticket whose clock stopped
    for name in ("all", "approvals", "mine", "waiting"):
        for size in (1, 4, 9):
            forward = walk(sup.queues, name, size)
            assert forward == expected(sup, name)
            if forward:
                last_row = store.queue_row(forward[-1])
                from cs_console.service.queue import row_key

                assert walk_back(sup.queues, name, size, row_key(last_row)) == forward


def test_names_aliases_and_roles(seeded):
    agent = Desk(seeded, AGENT)
    sup = Desk(seeded, SUPERVISOR)
    assert "approvals" not in [f.name for f in agent.queues.filters()]
    assert [f.name for f in sup.queues.filters()][-1] == "approvals"
    assert queue_filter("approval").name == "approvals"  # the CLI's old name still works
    with pytest.raises(DeskError, match="supervisors"):
        agent.queue("approvals")
    with pytest.raises(DeskError, match="unknown queue filter"):
        agent.queue("bogus")


def test_search_is_paged_and_counted_like_the_queue(sup):
    from collections import Counter

    subjects = [r["subject"] for r in sup.queue("all", limit=500)]
    word = Counter(ch for s in subjects for ch in set(s) if not ch.isspace()).most_common(1)[0][0]
    found = walk(sup.queues, "all", 3, text=word)
    every = [
        r["id"]
        for r in sup.store.queue_page(
            queue_filter("all"), sup.agent.id, sup.store.now_iso(), limit=10_000
        )
        if word in r["subject"] or word in (r["customer_name"] or "")
    ]
    assert found == every and len(found) > 3
    assert sup.queues.search_count("all", word) == len(found)
    assert sup.queues.search_count("all", word, cap=2) == 2
    assert walk(sup.queues, "all", 3, text="%") == []  # wildcards are literal


def test_bulk_load_with_counters_suspended_recounts_once(store):
    desk = Desk(store, SUPERVISOR)
    row = {
        "subject": "s",
        "channel": "chat",
        "category": "general",
        "status": "open",
        "created_at": "2026-11-23T07:00:00Z",
        "updated_at": "2026-11-23T07:00:00Z",
        "sla_due": "2026-11-23T07:10:00Z",
        "tags": json.dumps([]),
    }
    with store.transaction(), store.queue_counts_suspended():
        store.insert_rows("tickets", [dict(row, id=i) for i in range(1, 51)])
        assert store.scalar("SELECT count(*) FROM queue_counts") == 0  # no per-row triggers
    assert desk.queue_count("all") == 50 and desk.queue_count("overdue") == 50
    triggers = {
        r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
    }
    assert set(migrations.QUEUE_COUNT_TICKET_TRIGGERS) <= triggers
