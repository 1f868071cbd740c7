"""Migration 10: what the service metrics need at a million tickets.

Two counters on each ticket, kept by triggers so every path that writes (the desk, pulls from
RT, follow-ups, imports) counts the same way:

- ``agent_replies``: replies to the customer (``messages.direction = 'out'``; notes do not
  count). First-contact resolution reads it.
- ``reopens``: how often the ticket went from resolved or closed back to open or pending.
  Nothing recorded a reopen as such before; the status change is where it is counted now.
  Existing caches get it from the audit log's ``set_status`` rows.

Indexes: ``tickets_metrics`` covers every column a period's figures read, so a period is one
range scan of the index (no table rows, no sort); ``tickets_backlog`` the unresolved tickets;
``tickets_complaints`` a customer's earlier complaints (repeat complaints);
``allergy_cases_reported`` the period's allergy cases.
"""

from __future__ import annotations

import sqlite3

#: the columns of ``tickets_metrics``, in index order (store.metrics reads only these)
METRIC_COLUMNS = (
    "created_at",
    "channel",
    "category",
    "skill_group",
    "assignee",
    "status",
    "priority",
    "topic",
    "first_response_at",
    "resolved_at",
    "paused_at",
    "paused_seconds",
    "escalated",
    "agent_replies",
    "reopens",
    "customer_id",
)

STATEMENTS = (
    "ALTER TABLE tickets ADD COLUMN agent_replies INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE tickets ADD COLUMN reopens INTEGER NOT NULL DEFAULT 0",
    "UPDATE tickets SET agent_replies = counted.n FROM (SELECT ticket_id, count(*) AS n "
    "FROM messages WHERE direction = 'out' GROUP BY ticket_id) AS counted "
    "WHERE counted.ticket_id = tickets.id",
    # Only well-formed detail is read (CASE: json_extract raises on malformed JSON).
    "UPDATE tickets SET reopens = counted.n FROM (SELECT ticket_id, count(*) AS n FROM ("
    "SELECT ticket_id, CASE WHEN json_valid(detail) THEN json_extract(detail, '$.from') END "
    "AS old, CASE WHEN json_valid(detail) THEN json_extract(detail, '$.to') END AS new "
    "FROM audit_log WHERE action = 'set_status' AND ticket_id IS NOT NULL) "
    "WHERE old IN ('resolved', 'closed') AND new IN ('open', 'pending') GROUP BY ticket_id) "
    "AS counted WHERE counted.ticket_id = tickets.id",
    "CREATE TRIGGER tickets_count_replies AFTER INSERT ON messages "
    "WHEN NEW.direction = 'out' BEGIN "
    "UPDATE tickets SET agent_replies = agent_replies + 1 WHERE id = NEW.ticket_id; END",
    "CREATE TRIGGER tickets_count_reopens AFTER UPDATE OF status ON tickets "
    "WHEN OLD.status IN ('resolved', 'closed') AND NEW.status IN ('open', 'pending') BEGIN "
    "UPDATE tickets SET reopens = reopens + 1 WHERE id = NEW.id; END",
    f"CREATE INDEX tickets_metrics ON tickets({', '.join(METRIC_COLUMNS)})",
    "CREATE INDEX tickets_backlog ON tickets(created_at, channel, category, skill_group, "
    "assignee, status) WHERE status IN ('open', 'pending')",
    "CREATE INDEX tickets_complaints ON tickets(customer_id, created_at) "
    "WHERE category = 'complaint'",
    "CREATE INDEX allergy_cases_reported ON allergy_cases(reported_at)",
)


def apply_v10(conn: sqlite3.Connection) -> None:
    """Reply and reopen counters with their triggers, and the metrics indexes (see above)."""
    for statement in STATEMENTS:
        conn.execute(statement)
