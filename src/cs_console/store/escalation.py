"""The tickets an auto-escalation round looks at."""

from __future__ import annotations

from typing import Any

from cs_console.store.base import Queries

# what the SLA policy needs of a ticket (service.desk.sla_facts), and nothing more
_FACTS = (
    "id, channel, category, topic, priority, status, created_at, first_response_at, "
    "resolved_at, paused_at, paused_seconds, escalated"
)


class EscalationQueries(Queries):
    def escalation_candidates(
        self,
        now_iso: str,
        created_before_iso: str,
        after: tuple[str, int] | None = None,
        limit: int = 500,
    ) -> list[dict[str, Any]]:
        """Open tickets not yet escalated whose clock is past due, created before
        ``created_before_iso`` (younger ones cannot be past their resolution target yet), in
        due order, one keyset page: ``limit`` rows after the (sla_due, id) ``after``. The policy
        decides which of them are past their resolution target."""
        due, last = after or ("", 0)
        return self.all(
            f"SELECT {_FACTS}, sla_due FROM tickets WHERE status = 'open' AND escalated = 0 "
            "AND sla_due < ? AND created_at < ? AND (sla_due > ? OR (sla_due = ? AND id > ?)) "
            "ORDER BY sla_due, id LIMIT ?",
            (now_iso, created_before_iso, due, due, last, limit),
        )
