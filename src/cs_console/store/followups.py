"""Follow-ups: the callbacks, usage checks and birthday greetings agents work through."""

from __future__ import annotations

from typing import Any

from cs_console.store.base import Queries

FOLLOWUP_COLUMNS = (
    "f.id, f.ticket_id, f.customer_id, f.kind, f.due_at, f.done_at, f.outcome, f.satisfaction, "
    "f.comment, f.done_by, f.remote_id, f.period, t.subject AS ticket_subject, "
    "t.status AS ticket_status, t.assignee AS ticket_assignee, c.name AS customer_name, "
    "c.tier AS customer_tier"
)
_SOURCE = (
    "followups f LEFT JOIN tickets t ON t.id = f.ticket_id "
    "LEFT JOIN customers c ON c.id = f.customer_id"
)
#: Which follow-ups a list holds: ``due_before`` is now, ``overdue_before`` now less the grace.
_SELECTIONS = {
    "open": "f.done_at IS NULL",
    "due": "f.done_at IS NULL AND f.due_at <= :due_before",
    "overdue": "f.done_at IS NULL AND f.due_at < :overdue_before",
    "done": "f.done_at IS NOT NULL",
    "all": "1",
}
SELECTIONS = tuple(_SELECTIONS)


class FollowupQueries(Queries):
    def insert_followup(
        self,
        ticket_id: int | None,
        customer_id: str | None,
        kind: str,
        due_at: str,
        period: str | None = None,
    ) -> int | None:
        """A new follow-up (in the caller's transaction); None when it exists already (the same
        ticket and kind, or the same customer, kind and period)."""
        cursor = self.conn.execute(
            "INSERT OR IGNORE INTO followups (ticket_id, customer_id, kind, due_at, period) "
            "VALUES (?, ?, ?, ?, ?)",
            (ticket_id, customer_id, kind, due_at, period),
        )
        return int(cursor.lastrowid or 0) if cursor.rowcount else None

    def followup(self, followup_id: int) -> dict[str, Any] | None:
        return self.one(f"SELECT {FOLLOWUP_COLUMNS} FROM {_SOURCE} WHERE f.id = ?", (followup_id,))

    def followups(
        self,
        selection: str,
        now_iso: str,
        overdue_before: str,
        *,
        assignee: str | None = None,
        customer_id: str | None = None,
        ticket_id: int | None = None,
        limit: int = 200,
    ) -> list[dict[str, Any]]:
        """Follow-ups of one selection (``SELECTIONS``), soonest due first; narrowed to tickets
        held by ``assignee`` (a ticketless greeting is everyone's), one customer or one ticket."""
        where = [_SELECTIONS[selection]]
        params: dict[str, Any] = {
            "due_before": now_iso,
            "overdue_before": overdue_before,
            "limit": limit,
        }
        if assignee is not None:
            where.append("(f.ticket_id IS NULL OR t.assignee = :assignee)")
            params["assignee"] = assignee
        if customer_id is not None:
            where.append("f.customer_id = :customer")
            params["customer"] = customer_id
        if ticket_id is not None:
            where.append("f.ticket_id = :ticket")
            params["ticket"] = ticket_id
        return self.all(
            f"SELECT {FOLLOWUP_COLUMNS} FROM {_SOURCE} WHERE {' AND '.join(where)} "
            "ORDER BY f.due_at, f.id LIMIT :limit",
            params,
        )

    def followups_due_on(
        self, ticket_id: int, customer_id: str | None, now_iso: str
    ) -> list[dict[str, Any]]:
        """What is due now on a ticket: its own follow-ups, and its customer's ticketless ones
        (a birthday greeting, which always has a period), soonest first. Two index lookups:
        the console's header asks every second."""
        pending = "f.done_at IS NULL AND f.due_at <= :now"
        return self.all(
            f"SELECT {FOLLOWUP_COLUMNS} FROM {_SOURCE} WHERE f.ticket_id = :ticket AND {pending} "
            f"UNION ALL SELECT {FOLLOWUP_COLUMNS} FROM {_SOURCE} WHERE f.customer_id = :customer "
            f"AND f.period IS NOT NULL AND f.ticket_id IS NULL AND {pending} "
            "ORDER BY 5, 1",  # due_at, id (a compound SELECT sorts by position)
            {"now": now_iso, "ticket": ticket_id, "customer": customer_id},
        )

    def record_followup_outcome(
        self,
        followup_id: int,
        outcome: str,
        satisfaction: int | None,
        comment: str | None,
        done_by: str,
        done_at: str,
    ) -> bool:
        """Mark a follow-up done with what it came to; False when it was done already."""
        cursor = self.conn.execute(
            "UPDATE followups SET done_at = ?, outcome = ?, satisfaction = ?, comment = ?, "
            "done_by = ? WHERE id = ? AND done_at IS NULL",
            (done_at, outcome, satisfaction, comment, done_by, followup_id),
        )
        return cursor.rowcount > 0

    def followup_of_reminder(self, remote_id: int) -> int | None:
        """The follow-up whose RT reminder is ticket ``remote_id`` (None: not a reminder of ours)."""
        value = self.scalar("SELECT id FROM followups WHERE remote_id = ?", (remote_id,))
        return None if value is None else int(value)

    def followup_done_remotely(self, followup_id: int, done_by: str, done_at: str) -> bool:
        """Mark a follow-up done because its reminder was resolved in RT: no outcome is known
        (nor satisfaction: CSAT does not count it). False when it was done already."""
        cursor = self.conn.execute(
            "UPDATE followups SET done_at = ?, done_by = ? WHERE id = ? AND done_at IS NULL",
            (done_at, done_by, followup_id),
        )
        return cursor.rowcount > 0

    def set_followup_remote(self, followup_id: int, remote_id: int) -> None:
        self.conn.execute(
            "UPDATE followups SET remote_id = ? WHERE id = ?", (remote_id, followup_id)
        )

    def customers_born_in_month(self, month: int, tiers: tuple[str, ...]) -> list[dict[str, Any]]:
        """Customers of ``tiers`` whose birthday (``YYYY-MM-DD``) falls in ``month``."""
        marks = ", ".join("?" for _ in tiers)
        return self.all(
            f"SELECT id, tier, birthday FROM customers WHERE tier IN ({marks}) "
            "AND substr(birthday, 6, 2) = ? ORDER BY id",
            (*tiers, f"{month:02d}"),
        )

    def reminder_create_state(self, followup_id: int) -> str | None:
        """The outbox state of the op that creates this follow-up's RT reminder (None: none)."""
        value = self.scalar(
            "SELECT state FROM outbox WHERE kind = 'create_reminder' "
            "AND json_extract(payload, '$.followup_id') = ? ORDER BY seq DESC LIMIT 1",
            (followup_id,),
        )
        return None if value is None else str(value)
