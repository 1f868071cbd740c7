"""The queue: console order, keyset pages, counts kept as rows change, and search.

Order is (status, sla_due, priority, id): open before waiting, breached first (the earliest
due times), then priority. A page starts after (or ends before) the key of a row already
shown, so page 5,000 costs what page 1 costs: each status is one range of an index, walked
from the key (no OFFSET). Counts come from ``queue_counts``, which triggers keep up to date
(migration 8), never from ``count(*)`` over the tickets.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cs_console.policy.queue import QueueFilter, queue_filter
from cs_console.store import metrics_slots, migrations
from cs_console.store.base import Queries, like_escape

QUEUE_COLUMNS = (
    "t.id, t.subject, t.channel, t.category, t.topic, t.priority, t.status, t.assignee, t.sentiment, "
    "t.tags, t.allergy, t.escalated, t.sla_due, t.created_at, t.first_response_at, t.paused_at, "
    "t.paused_seconds, t.resolved_at, t.customer_id, c.name AS customer_name, c.tier AS customer_tier"
)
STATUS_ORDER = ("closed", "open", "pending", "resolved")  # text order: how the index sorts them

#: Named sets of ticket ids a filter can ask for (small sets: a page sorts them in memory).
TICKET_SETS = {
    "awaiting_approval": "SELECT DISTINCT ticket_id FROM returns WHERE status = 'awaiting_approval'",
    # due depends on the time, so no trigger can keep its count: a range of followups_due
    "followups_due": "SELECT DISTINCT ticket_id FROM followups "
    "WHERE done_at IS NULL AND due_at <= :now AND ticket_id IS NOT NULL",
}
#: The counter each set keeps in queue_counts (sets without one are counted by a query).
SET_COUNTERS = {"awaiting_approval": "approvals"}
#: The tables a bulk load writes, whose secondary indexes are rebuilt once at its end.
BULK_TABLES = ("customers", "orders", "order_lines", "tickets", "messages")
#: The trigger that counts a ticket's agent replies per message (migration 10).
REPLIES_TRIGGER = "tickets_count_replies"

#: (status, sla_due, priority, id) of a row: where a page starts or ends.
Key = tuple[str, str | None, int, int]


def row_key(row: dict[str, Any]) -> Key:
    return (row["status"], row["sla_due"], int(row["priority"]), int(row["id"]))


class QueueQueries(Queries):
    # -- pages ---------------------------------------------------------------------------

    def queue_page(
        self,
        chosen: QueueFilter,
        agent_id: str | None,
        now_iso: str,
        *,
        after: Key | None = None,
        before: Key | None = None,
        inclusive: bool = False,
        limit: int = 200,
        text: str = "",
    ) -> list[dict[str, Any]]:
        """Up to ``limit`` rows of ``chosen`` in console order, after ``after`` (or the last
        ones before ``before``; ``inclusive`` takes the key's own row too). ``text`` narrows
        to tickets whose subject or customer name contains it."""
        where, params = self._where(chosen, agent_id, now_iso, text)
        backwards = before is not None
        key = before if backwards else after
        if chosen.ticket_set:
            return self._set_page(chosen, where, params, key, backwards, inclusive, limit)
        rows: list[dict[str, Any]] = []
        statuses = [s for s in STATUS_ORDER if chosen.statuses is None or s in chosen.statuses]
        segments = [(s, null) for s in statuses for null in (True, False)]
        if chosen.overdue:
            segments = [(s, null) for s, null in segments if not null]
        if backwards:
            segments.reverse()
        for status, null_due in segments:
            if key is not None and _segment_before(key, status, null_due, backwards):
                continue
            left = limit - len(rows)
            if left <= 0:
                break
            rows += self._segment(status, null_due, where, params, key, backwards, inclusive, left)
        return rows[::-1] if backwards else rows

    def _segment(
        self,
        status: str,
        null_due: bool,
        where: list[str],
        params: dict[str, Any],
        key: Key | None,
        backwards: bool,
        inclusive: bool,
        limit: int,
    ) -> list[dict[str, Any]]:
        """One status with its due times NULL or not: a single index range from the key."""
        conds = [*where, "t.status = :seg_status"]
        conds.append("t.sla_due IS NULL" if null_due else "t.sla_due IS NOT NULL")
        seg = {**params, "seg_status": status, "seg_limit": limit}
        if key is not None and key[0] == status and (key[1] is None) == null_due:
            op = ("<" if backwards else ">") + ("=" if inclusive else "")
            if null_due:
                conds.append(f"(t.priority, t.id) {op} (:k_pri, :k_id)")
            else:
                conds.append(f"(t.sla_due, t.priority, t.id) {op} (:k_due, :k_pri, :k_id)")
                # The same bound on sla_due alone, which SQLite takes as the start of the index
                # range even beside another bound (overdue's "< now"); backwards, "< now" is
                # implied by the key's own row and would start the walk at now instead.
                conds.append(f"t.sla_due {op[0]}= :k_due")
                if backwards:
                    conds = [c for c in conds if c != "t.sla_due < :now"]
            seg.update(k_due=key[1], k_pri=key[2], k_id=key[3])
        direction = " DESC" if backwards else ""
        order = ", ".join(f"t.{c}{direction}" for c in ("sla_due", "priority", "id"))
        return self._queue_rows(" AND ".join(conds), seg, f"ORDER BY {order} LIMIT :seg_limit")

    def _set_page(
        self,
        chosen: QueueFilter,
        where: list[str],
        params: dict[str, Any],
        key: Key | None,
        backwards: bool,
        inclusive: bool,
        limit: int,
    ) -> list[dict[str, Any]]:
        """A page of a small named set: read from the set, sorted in memory by SQLite."""
        sort_key = "(t.status, IFNULL(t.sla_due, ''), t.priority, t.id)"
        conds = list(where)
        params = {**params, "limit": limit}
        if key is not None:
            op = ("<" if backwards else ">") + ("=" if inclusive else "")
            conds.append(f"{sort_key} {op} (:k_status, :k_due, :k_pri, :k_id)")
            params.update(k_status=key[0], k_due=key[1] or "", k_pri=key[2], k_id=key[3])
        direction = " DESC" if backwards else ""
        order = ", ".join(
            f"{c}{direction}" for c in ("t.status", "IFNULL(t.sla_due, '')", "t.priority", "t.id")
        )
        members = TICKET_SETS[str(chosen.ticket_set)]
        rows = self._queue_rows(
            " AND ".join(conds) or "1",
            params,
            f"ORDER BY {order} LIMIT :limit",
            source=f"({members}) s CROSS JOIN tickets t ON t.id = s.ticket_id",
        )
        return rows[::-1] if backwards else rows

    def queue_row(self, ticket_id: int) -> dict[str, Any] | None:
        """One ticket in the queue's row shape, whatever its status (to update a row in place)."""
        rows = self._queue_rows("t.id = :id", {"id": ticket_id})
        return rows[0] if rows else None

    def in_ticket_set(self, name: str, ticket_id: int, now_iso: str | None = None) -> bool:
        members = TICKET_SETS[name]
        return bool(
            self.scalar(
                f"SELECT 1 FROM ({members}) WHERE ticket_id = :id LIMIT 1",
                {"id": ticket_id, "now": now_iso or self.now_iso()},
            )
        )

    def _queue_rows(
        self, where: str, params: dict[str, Any], tail: str = "", source: str = "tickets t"
    ) -> list[dict[str, Any]]:
        sql = (
            f"SELECT {QUEUE_COLUMNS} FROM {source} LEFT JOIN customers c ON c.id = t.customer_id "
            f"WHERE {where} {tail}"
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

    def _where(
        self, chosen: QueueFilter, agent_id: str | None, now_iso: str, text: str = ""
    ) -> tuple[list[str], dict[str, Any]]:
        where: list[str] = []
        params: dict[str, Any] = {"now": now_iso} if chosen.ticket_set else {}
        if chosen.ticket_set and chosen.statuses is not None:
            where.append(f"t.status IN ({', '.join(repr(s) for s in chosen.statuses)})")
        if chosen.assignee == "me":
            where.append("t.assignee = :agent")
            params["agent"] = agent_id
        elif chosen.assignee == "none":
            where.append("t.assignee IS NULL")
        if chosen.escalated:
            where.append("t.escalated = 1")
        if chosen.overdue:
            where.append("t.sla_due < :now")
            params["now"] = now_iso
        text = text.strip()
        if text:
            where.append(
                "(t.subject LIKE :pattern ESCAPE '\\' OR c.name LIKE :pattern ESCAPE '\\')"
            )
            params["pattern"] = f"%{like_escape(text)}%"
        return where, params

    # -- counts --------------------------------------------------------------------------

    def queue_total(self, chosen: QueueFilter, agent_id: str | None, now_iso: str) -> int:
        """How many tickets ``chosen`` holds, from the counters the triggers keep: a handful of
        primary-key reads whatever the cache's size (overdue adds the tickets due since the
        top of the current hour)."""
        statuses = chosen.statuses or STATUS_ORDER
        if chosen.ticket_set:
            counter = SET_COUNTERS.get(chosen.ticket_set)
            if counter and chosen.statuses is None and not (chosen.assignee or chosen.escalated):
                return self._counter(counter)
            return self._count_where(chosen, agent_id, now_iso)
        if chosen.overdue:
            if chosen.assignee or chosen.escalated or tuple(statuses) != ("open",):
                return self._count_where(chosen, agent_id, now_iso)
            hour = now_iso[:13]
            whole_hours = self.scalar(
                "SELECT IFNULL(sum(n), 0) FROM queue_counts WHERE bucket >= 'due:' AND bucket < ?",
                (f"due:{hour}",),
            )
            this_hour = self.scalar(
                "SELECT count(*) FROM tickets WHERE status = 'open' AND sla_due >= ? "
                "AND sla_due < ?",
                (hour, now_iso),
            )
            return int(whole_hours) + int(this_hour)
        if chosen.assignee and chosen.escalated:
            return self._count_where(chosen, agent_id, now_iso)
        if chosen.assignee == "me":
            buckets = [f"assignee:{s}:{agent_id}" for s in statuses]
        elif chosen.assignee == "none":
            buckets = [f"unassigned:{s}" for s in statuses]
        elif chosen.escalated:
            buckets = [f"escalated:{s}" for s in statuses]
        else:
            buckets = [f"status:{s}" for s in statuses]
        return sum(self._counter(b) for b in buckets)

    def queue_match_count(
        self, chosen: QueueFilter, agent_id: str | None, now_iso: str, text: str, cap: int
    ) -> int:
        """How many of ``chosen``'s tickets match a search, counted up to ``cap`` (a search
        scans; the caller shows ``cap+`` past it)."""
        where, params = self._where(chosen, agent_id, now_iso, text)
        if chosen.statuses is not None and not chosen.ticket_set:
            where.append(f"t.status IN ({', '.join(repr(s) for s in chosen.statuses)})")
        source = "tickets t"
        if chosen.ticket_set:
            source = (
                f"({TICKET_SETS[chosen.ticket_set]}) s CROSS JOIN tickets t ON t.id = s.ticket_id"
            )
        source += " LEFT JOIN customers c ON c.id = t.customer_id"
        params["cap"] = cap
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {' AND '.join(where) or '1'} LIMIT :cap)"
        return int(self.scalar(sql, params))

    def _count_where(self, chosen: QueueFilter, agent_id: str | None, now_iso: str) -> int:
        """Fallback for a combination no counter keeps: a count over the filter's index."""
        return self.queue_match_count(chosen, agent_id, now_iso, "", 2**62)

    def _counter(self, bucket: str) -> int:
        return int(self.scalar("SELECT n FROM queue_counts WHERE bucket = ?", (bucket,)) or 0)

    # -- the counters ----------------------------------------------------------------------

    @contextmanager
    def queue_counts_suspended(self) -> Iterator[None]:
        """For one bulk write: the per-row triggers are dropped and the counters are recounted
        once at the end, in the caller's transaction (a crash rolls all of it back)."""
        if not self.conn.in_transaction:
            raise RuntimeError("queue_counts_suspended needs the caller's transaction")
        for name in migrations.QUEUE_COUNT_TICKET_TRIGGERS:
            self.conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        try:
            yield
        finally:
            migrations.recount_queue(self.conn)
            for sql in migrations.QUEUE_COUNT_TICKET_TRIGGERS.values():
                self.conn.execute(sql)

    @contextmanager
    def bulk_tickets(self, replies_in_rows: bool = False) -> Iterator[None]:
        """For loading many tickets at once into the caller's transaction: the counters'
        triggers (queue counts, reply counts, metric slots) and the secondary indexes of the
        tables it writes (customers, orders, lines, tickets, messages) are dropped; at the end
        the replies are added to their tickets (before any index needs keeping; not when the
        caller wrote each new ticket's ``agent_replies`` itself, ``replies_in_rows``), the
        indexes rebuilt once from their own stored SQL, then the counters counted again (they
        may read the indexes): one grouped pass or sort instead of work per row. Crash-safe:
        schema changes roll back with the transaction."""
        if not self.conn.in_transaction:
            raise RuntimeError("bulk_tickets needs the caller's transaction")
        indexes = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join(repr(t) for t in BULK_TABLES)})"
        ).fetchall()
        for name, _sql in indexes:
            self.conn.execute(f'DROP INDEX "{name}"')
        try:
            with metrics_slots.slots_suspended(self.conn), self.queue_counts_suspended():
                try:
                    with self._replies_counted_once(count=not replies_in_rows):
                        yield
                finally:
                    self._rebuild_indexes(indexes)
        finally:
            self._rebuild_indexes(indexes)  # if a recount failed before they were

    def _rebuild_indexes(self, indexes: list[tuple[str, str]]) -> None:
        """The dropped indexes that are not there (again) yet: a counter's recount may build
        one itself (CREATE INDEX IF NOT EXISTS)."""
        present = {
            row[0]
            for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        for name, sql in indexes:
            if name not in present:
                self.conn.execute(sql)

    @contextmanager
    def _replies_counted_once(self, count: bool = True) -> Iterator[None]:
        """The per-message reply counter's trigger dropped, and (``count``) the replies of the
        messages written meanwhile added to their tickets in one grouped pass (what the
        trigger would have added row by row; before the slot recount, which reads
        ``agent_replies``). At 1M tickets that pass took 2.4 s."""
        found = self.conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (REPLIES_TRIGGER,),
        ).fetchone()
        if found is None:
            yield
            return
        before = int(self.conn.execute("SELECT IFNULL(max(id), 0) FROM messages").fetchone()[0])
        self.conn.execute(f"DROP TRIGGER {REPLIES_TRIGGER}")
        try:
            yield
        finally:
            if count:
                self.conn.execute(
                    "UPDATE tickets SET agent_replies = agent_replies + counted.n FROM (SELECT "
                    "ticket_id, count(*) AS n FROM messages WHERE id > ? AND direction = 'out' "
                    "GROUP BY ticket_id) AS counted WHERE counted.ticket_id = tickets.id",
                    (before,),
                )
            self.conn.execute(found[0])

    # -- the old entry points (by filter name) ----------------------------------------------

    def queue(
        self,
        filter_name: str = "all",
        agent_id: str | None = None,
        limit: int = 200,
        now_iso: str | None = None,
    ) -> list[dict[str, Any]]:
        """The first ``limit`` rows of a filter, by name (CLI, tests)."""
        return self.queue_page(
            queue_filter(filter_name), agent_id, now_iso or self.now_iso(), limit=limit
        )

    def queue_count(self, filter_name: str = "all", agent_id: str | None = None) -> int:
        return self.queue_total(queue_filter(filter_name), agent_id, self.now_iso())

    def search_queue(
        self, text: str, filter_name: str = "all", limit: int = 200, agent_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Rows whose number is ``text``, or whose subject or customer name contains it."""
        text = text.strip()
        if text.isdigit():
            row = self.queue_row(int(text)) if len(text) <= 18 else None
            return [row] if row else []
        return self.queue_page(
            queue_filter(filter_name), agent_id, self.now_iso(), limit=limit, text=text
        )


def _segment_before(key: Key, status: str, null_due: bool, backwards: bool) -> bool:
    """Whether the whole segment lies on the far side of ``key`` (already shown)."""
    here = (STATUS_ORDER.index(status), 0 if null_due else 1)
    at = (STATUS_ORDER.index(key[0]), 0 if key[1] is None else 1)
    return here > at if backwards else here < at
