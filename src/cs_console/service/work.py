"""The unit of work: one agent action (or one inbound message) as ONE transaction.

Everything an action writes goes through a :class:`UnitOfWork`: the ticket's new state (with
its SLA due time recomputed), the outbox op that will carry it to the backend, and the audit
row. The transaction is ``BEGIN IMMEDIATE``, so preconditions read through :meth:`ticket` inside
it cannot change before the commit (two consoles cannot both escalate one ticket).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from cs_console.clock import to_iso
from cs_console.policy.sla import SlaClock
from cs_console.store.db import Store


class UnitOfWork:
    """Writes of one action, made by ``actor`` at ``now``; use :func:`unit_of_work`."""

    def __init__(
        self,
        store: Store,
        actor: str,
        now: datetime,
        clock_of: Callable[[dict[str, Any]], SlaClock],
        missing: Callable[[int], Exception],
    ) -> None:
        self.store = store
        self.actor = actor
        self.now = now
        self._clock_of = clock_of
        self._missing = missing

    @property
    def stamp(self) -> str:
        return to_iso(self.now)

    def ticket(self, ticket_id: int) -> dict[str, Any]:
        """The ticket as it is inside this transaction (raises when it does not exist)."""
        ticket = self.store.ticket(ticket_id)
        if ticket is None:
            raise self._missing(ticket_id)
        return ticket

    def update_ticket(self, ticket: dict[str, Any], changes: dict[str, Any]) -> None:
        """Write ``changes`` plus the recomputed SLA due time; ``ticket`` is updated in place."""
        merged = {**ticket, **changes}
        clock = self._clock_of(merged)
        changes = {
            **changes,
            "sla_due": to_iso(clock.due) if clock.due else None,
            "updated_at": self.stamp,
        }
        self.store.update_ticket(int(ticket["id"]), changes)
        ticket.update(merged)

    def add_message(
        self,
        ticket_id: int,
        direction: str,
        author: str,
        body: str,
        channel: str | None,
        *,
        created_at: str | None = None,
        remote_id: int | None = None,
        op_id: str | None = None,
    ) -> int:
        return self.store.insert_message(
            ticket_id,
            direction,
            author,
            body,
            channel,
            created_at or self.stamp,
            op_id=op_id,
            remote_id=remote_id,
        )

    def enqueue(
        self,
        kind: str,
        ticket: dict[str, Any] | None,
        payload: dict[str, Any],
        op_id: str | None = None,
    ) -> str:
        """Queue the op that carries this change to the backend; returns its op id (``op_id``:
        a shared one, see ``sync.planning.shared_op_id``; default a new UUID)."""
        op_id = op_id or str(uuid.uuid4())
        self.store.insert_op(
            op_id,
            kind,
            int(ticket["id"]) if ticket is not None else None,
            {**payload, "actor": self.actor},
            ticket.get("remote_etag") if ticket is not None else None,
            self.stamp,
        )
        return op_id

    def audit(
        self,
        action: str,
        ticket_id: int | None,
        detail: dict[str, Any],
        actor: str | None = None,
    ) -> None:
        self.store.add_audit(self.stamp, actor or self.actor, action, ticket_id, detail)


@contextmanager
def unit_of_work(
    store: Store,
    actor: str,
    now: datetime,
    clock_of: Callable[[dict[str, Any]], SlaClock],
    missing: Callable[[int], Exception],
) -> Iterator[UnitOfWork]:
    """A :class:`UnitOfWork` inside one transaction: all of it is written, or none."""
    with store.transaction():
        yield UnitOfWork(store, actor, now, clock_of, missing)
