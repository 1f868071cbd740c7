"""The queue: console order, filters, counts and search."""

from __future__ import annotations

import json
from typing import Any

from cs_console.policy.queue import QUEUE_FILTERS
from cs_console.store.base import Queries, like_escape

QUEUE_COLUMNS = (
    "t.id, t.subject, t.channel, t.category, t.topic, t.priority, t.status, t.assignee, t.sentiment, "
    "t.tags, t.allergy, t.escalated, t.sla_due, t.created_at, t.first_response_at, t.paused_at, "
    "t.paused_seconds, t.resolved_at, t.customer_id, c.name AS customer_name, c.tier AS customer_tier"
)


class QueueQueries(Queries):
    def queue(
        self,
        filter_name: str = "all",
        agent_id: str | None = None,
        limit: int = 200,
        offset: int = 0,
        now_iso: str | None = None,
    ) -> list[dict[str, Any]]:
        """Tickets in console order: breached first, then by SLA due, then priority.

        Breached tickets have the earliest due times, so ordering by ``sla_due`` puts them
        first; the ``(status, sla_due)`` index serves that order without a sort.
        """
        where, params = self._queue_where(filter_name, agent_id, now_iso)
        params.update(limit=limit, offset=offset)
        return self._queue_rows(where, params, "LIMIT :limit OFFSET :offset")

    def queue_row(self, ticket_id: int) -> dict[str, Any] | None:
        """One ticket in the queue's row shape, whatever its status (to update a row in place)."""
        rows = self._queue_rows("t.id = :id", {"id": ticket_id})
        return rows[0] if rows else None

    def search_queue(
        self, text: str, filter_name: str = "all", limit: int = 200
    ) -> list[dict[str, Any]]:
        """Queue rows whose number is ``text``, or whose subject or customer name contains it."""
        text = text.strip()
        if text.isdigit():
            row = self.queue_row(int(text))
            return [row] if row else []
        status = "pending" if filter_name == "waiting" else "open"
        pattern = f"%{like_escape(text)}%"
        where = (
            "t.status = :status AND (t.subject LIKE :pattern ESCAPE '\\' "
            "OR c.name LIKE :pattern ESCAPE '\\')"
        )
        return self._queue_rows(
            where, {"status": status, "pattern": pattern, "limit": limit}, "LIMIT :limit"
        )

    def _queue_rows(
        self, where: str, params: dict[str, Any], tail: str = ""
    ) -> list[dict[str, Any]]:
        sql = (
            f"SELECT {QUEUE_COLUMNS} FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id "
            f"WHERE {where} ORDER BY t.sla_due, t.priority, t.id {tail}"
        )
        cursor = self.conn.cursor()
        cursor.row_factory = None  # plain tuples zipped with the names: the queue is a hot path
        rows = cursor.execute(sql, params).fetchall()
        names = [d[0] for d in cursor.description]
        out = []
        for values in rows:
            row = dict(zip(names, values, strict=True))
            tags = row["tags"]
            row["tags"] = [] if tags == "[]" else json.loads(tags)
            out.append(row)
        return out

    def queue_count(self, filter_name: str = "all", agent_id: str | None = None) -> int:
        where, params = self._queue_where(filter_name, agent_id, None)
        return self.scalar(f"SELECT count(*) FROM tickets t WHERE {where}", params)

    def _queue_where(
        self, filter_name: str, agent_id: str | None, now_iso: str | None
    ) -> tuple[str, dict[str, Any]]:
        if filter_name not in QUEUE_FILTERS:
            raise ValueError(
                f"unknown queue filter {filter_name!r}; choose from {', '.join(QUEUE_FILTERS)}"
            )
        where = ["t.status = :status"]
        params: dict[str, Any] = {"status": "pending" if filter_name == "waiting" else "open"}
        if filter_name == "mine":
            where.append("t.assignee = :agent")
            params["agent"] = agent_id
        elif filter_name == "unassigned":
            where.append("t.assignee IS NULL")
        elif filter_name == "escalated":
            where.append("t.escalated = 1")
        elif filter_name == "approval":
            where.append(
                "t.id IN (SELECT ticket_id FROM returns WHERE status = 'awaiting_approval')"
            )
        elif filter_name == "overdue":
            where.append("t.sla_due < :now")
            params["now"] = now_iso or self.now_iso()
        return " AND ".join(where), params
