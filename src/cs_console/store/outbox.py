"""The outbox table: ops the service queues with each action, and the sync engine's
transitions of them (the op state machine is described in ``docs/rt.md``)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from cs_console.clock import to_iso
from cs_console.redact import redact
from cs_console.store.base import Queries, dumps

OP_STATES = ("pending", "in_flight", "uncertain", "done", "rejected", "conflict")
UNSENT_STATES = ("pending", "in_flight", "uncertain", "conflict")
ERROR_CHARS = 1000  # last_error keeps this much of a backend's error text


def stored_error(error: str | None) -> str | None:
    """An error text as ``last_error`` keeps it: redacted (the last line of defence: the backend
    redacts the secrets it knows, this masks anything shaped like one), then cut."""
    return None if error is None else redact(error)[:ERROR_CHARS]


class OutboxQueries(Queries):
    def outbox(self, states: Sequence[str] | None = None, limit: int = 500) -> list[dict[str, Any]]:
        if states:
            marks = ", ".join("?" for _ in states)
            return self.all(
                f"SELECT * FROM outbox WHERE state IN ({marks}) ORDER BY seq LIMIT ?",
                (*states, limit),
            )
        return self.all("SELECT * FROM outbox ORDER BY seq LIMIT ?", (limit,))

    def outbox_summary(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall()
        summary = {
            state: 0
            for state in ("pending", "in_flight", "uncertain", "done", "rejected", "conflict")
        }
        summary.update({row[0]: row[1] for row in rows})
        return summary

    def ops_of_ticket(self, ticket_id: int) -> list[dict[str, Any]]:
        return self.all("SELECT * FROM outbox WHERE ticket_id = ? ORDER BY seq", (ticket_id,))

    def op(self, seq: int) -> dict[str, Any] | None:
        return self.one("SELECT * FROM outbox WHERE seq = ?", (seq,))

    def insert_op(
        self,
        op_id: str,
        kind: str,
        ticket_id: int | None,
        payload: Mapping[str, Any],
        base_etag: str | None,
        at: str,
    ) -> None:
        self.conn.execute(
            "INSERT INTO outbox (op_id, kind, ticket_id, payload, base_etag, state, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
            (op_id, kind, ticket_id, dumps(dict(payload)), base_etag, at, at),
        )

    def unsent_tickets(self) -> set[int]:
        """Tickets with an op not yet done: their local state wins over a pull."""
        return {
            int(row[0])
            for row in self.conn.execute(
                "SELECT DISTINCT ticket_id FROM outbox WHERE ticket_id IS NOT NULL AND state IN "
                "('pending','in_flight','uncertain','conflict')"
            )
        }


def steps_done(op: dict[str, Any]) -> dict[int, str | None]:
    """The op's recorded finished steps: index -> remote ref."""
    raw = op.get("steps_done")
    if not raw:
        return {}
    try:
        return {int(k): v for k, v in json.loads(raw).items()}
    except (ValueError, AttributeError):
        return {}


class OutboxTable:
    """The sync engine's transitions of ``outbox`` rows (the service only inserts)."""

    def __init__(self, store: OutboxQueries) -> None:
        self.store = store

    def ops_to_consider(self) -> list[dict[str, Any]]:
        return self.store.all(
            "SELECT * FROM outbox WHERE state IN ('pending','in_flight','uncertain','conflict') "
            "ORDER BY seq"
        )

    def counts(self) -> dict[str, int]:
        return self.store.outbox_summary()

    def _set(self, op: dict[str, Any], **cols: Any) -> None:
        cols["updated_at"] = self.store.now_iso()
        sets = ", ".join(f"{k} = ?" for k in cols)
        with self.store.transaction() as conn:
            conn.execute(f"UPDATE outbox SET {sets} WHERE seq = ?", (*cols.values(), op["seq"]))
        op.update(cols)

    def mark_in_flight(self, op: dict[str, Any], settle_until: datetime) -> None:
        """Committed before the request leaves. ``settle_until``: if this process dies with the
        request on its way, the op is not looked for in RT before then (the request may still
        land); the outcome this process records replaces it."""
        self._set(
            op,
            state="in_flight",
            attempts=int(op["attempts"]) + 1,
            next_attempt_at=to_iso(settle_until),
        )

    def record_step(self, op: dict[str, Any], index: int, ref: str | None) -> None:
        """Step ``index`` of the op is in RT (as ``ref``): committed at once, so no later attempt
        sends it again."""
        done = steps_done(op)
        done[index] = ref
        self._set(op, steps_done=json.dumps({str(k): v for k, v in done.items()}))

    def mark_uncertain(self, op: dict[str, Any], error: str, retry_at: datetime) -> None:
        self._set(
            op,
            state="uncertain",
            last_error=stored_error(error),
            next_attempt_at=to_iso(retry_at),
        )

    def mark_pending(
        self, op: dict[str, Any], error: str | None, retry_at: datetime | None = None
    ) -> None:
        self._set(
            op,
            state="pending",
            last_error=error and stored_error(error),
            next_attempt_at=to_iso(retry_at) if retry_at else None,
        )

    def mark_rejected(self, op: dict[str, Any], error: str) -> None:
        self._set(op, state="rejected", last_error=stored_error(error), next_attempt_at=None)

    def mark_conflict(self, op: dict[str, Any], error: str) -> None:
        self._set(op, state="conflict", last_error=stored_error(error), next_attempt_at=None)

    def mark_done(
        self,
        op: dict[str, Any],
        remote_ref: str | None,
        note: str | None,
        step_refs: list[tuple[str, str | None]],
    ) -> None:
        """Done, plus the remote ids learnt, in one transaction."""
        now = self.store.now_iso()
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET state = 'done', remote_ref = ?, last_error = ?, "
                "next_attempt_at = NULL, updated_at = ? WHERE seq = ?",
                (remote_ref, note and stored_error(note), now, op["seq"]),
            )
            payload = json.loads(op["payload"]) if isinstance(op["payload"], str) else {}
            for action, ref in step_refs:
                if ref is None:
                    continue
                if action in ("reply", "comment") and payload.get("message_id"):
                    conn.execute(
                        "UPDATE messages SET remote_id = ? WHERE id = ? AND remote_id IS NULL",
                        (int(ref), payload["message_id"]),
                    )
                elif action == "create_ticket" and op.get("ticket_id") is not None:
                    conn.execute(
                        "UPDATE tickets SET remote_id = ? WHERE id = ? AND remote_id IS NULL",
                        (int(ref), op["ticket_id"]),
                    )
                elif action == "create_reminder" and payload.get("followup_id"):
                    conn.execute(
                        "UPDATE followups SET remote_id = ? WHERE id = ? AND remote_id IS NULL",
                        (int(ref), payload["followup_id"]),
                    )
                elif action == "create_return" and payload.get("return_id"):
                    conn.execute(
                        "UPDATE returns SET remote_id = ? WHERE id = ? AND remote_id IS NULL",
                        (int(ref), payload["return_id"]),
                    )
        op.update(state="done", remote_ref=remote_ref)

    def adopt_etag(self, ticket_id: int, old: str | None, new: str) -> None:
        """Our own change moved the ticket from ``old`` to ``new``: later ops build on ``new``."""
        with self.store.transaction() as conn:
            conn.execute("UPDATE tickets SET remote_etag = ? WHERE id = ?", (new, ticket_id))
            conn.execute(
                "UPDATE outbox SET base_etag = ? WHERE ticket_id = ? AND state IN "
                "('pending','uncertain','in_flight') AND (base_etag IS ? OR base_etag IS NULL)",
                (new, ticket_id, old),
            )

    def reopen_conflict(self, seq: int, etag: str | None) -> None:
        """Keep mine: the conflicted op goes out again over RT's current version ``etag``."""
        self.store.conn.execute(
            "UPDATE outbox SET state = 'pending', base_etag = ?, last_error = NULL, "
            "next_attempt_at = NULL, updated_at = ? WHERE seq = ? AND state = 'conflict'",
            (etag, self.store.now_iso(), seq),
        )
