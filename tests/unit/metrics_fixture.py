"""Hand-built caches for the metrics tests: tickets with exactly the times a figure needs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from cs_console.clock import parse_iso, to_iso
from cs_console.policy.sla import SlaConfig
from cs_console.service.desk import Agent, Desk
from cs_console.service.metrics import Metrics
from cs_console.store.db import Store

TEAM = (
    ("agent01", "小林", "agent"),
    ("agent02", "阿May", "agent"),
    ("sup01", "王主管", "supervisor"),
)


def add_team(store: Store) -> None:
    with store.transaction():
        for agent_id, name, role in TEAM:
            store.conn.execute(
                "INSERT INTO agents (id, name, role) VALUES (?, ?, ?)", (agent_id, name, role)
            )
        for customer in ("C1", "C2", "C3"):
            store.conn.execute(
                "INSERT INTO customers (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
                (customer, customer, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"),
            )


def at(base: str, **delta: float) -> str:
    return to_iso(parse_iso(base) + timedelta(**delta))


def ticket(
    store: Store,
    created: str,
    *,
    channel: str = "chat",
    category: str = "pre-sale",
    status: str = "open",
    priority: int = 3,
    replied: str | None = None,
    replies: int | None = None,
    resolved: str | None = None,
    paused_seconds: int = 0,
    assignee: str | None = "agent01",
    customer: str | None = "C1",
    topic: str | None = None,
    escalated: int = 0,
    skill_group: str | None = "presale",
) -> int:
    """A ticket with its replies (``replies`` messages out, the first at ``replied``)."""
    with store.transaction():
        ticket_id = store.insert_ticket(
            {
                "subject": "test",
                "customer_id": customer,
                "channel": channel,
                "category": category,
                "topic": topic,
                "priority": priority,
                "status": status,
                "assignee": assignee,
                "skill_group": skill_group,
                "escalated": escalated,
                "created_at": created,
                "updated_at": created,
                "first_response_at": replied,
                "resolved_at": resolved,
                "paused_seconds": paused_seconds,
            }
        )
        store.insert_message(ticket_id, "in", customer or "walk-in", "hello", channel, created)
        for _n in range(replies if replies is not None else (1 if replied else 0)):
            store.insert_message(
                ticket_id, "out", assignee or "agent01", "hi", channel, replied or created
            )
    return ticket_id


def metrics(store: Store, agent: str = "sup01", sla: SlaConfig | None = None) -> Metrics:
    record = {a[0]: a for a in TEAM}[agent]
    return Metrics(Desk(store, Agent(record[0], record[1], record[2]), sla))


def figures(m: Metrics, start: str = "2026-11-01", end: str = "2026-11-30", by: str = "all") -> Any:
    report = m.report(m.period(start, end), by)
    return report.total.figures if by == "all" else {row.group: row.figures for row in report.rows}
