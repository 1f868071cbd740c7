"""Past conversations written in bulk (the demo's tickets, imports of older history).

Each ticket's customer messages are triaged by the same rule as a live message (tags, allergy
flag, sentiment, priority raised), its SLA due time comes from policy, and the whole batch is
written with ``executemany`` plus ONE audit row, so a hundred thousand tickets take seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from cs_console.clock import to_iso
from cs_console.policy.triage import triage
from cs_console.service.desk import Desk
from cs_console.store.base import dumps

#: (direction, author, body, channel, created_at) of one message, oldest first
HistoryMessage = tuple[str, str, str, str | None, str]


@lru_cache(maxsize=4096)
def _triaged(body: str) -> tuple[tuple[str, ...], str, int]:
    result = triage(body)
    return result.tags, result.sentiment, result.priority


@dataclass
class History:
    """Buffers tickets with their messages and writes them in chunks; call :meth:`close`."""

    desk: Desk
    now: datetime | None = None  # the clock's "now" for SLA due times (default: the desk's)
    chunk: int = 20_000
    written_tickets: int = 0
    written_messages: int = 0
    _tickets: list[dict[str, Any]] = field(default_factory=list)
    _messages: list[dict[str, Any]] = field(default_factory=list)

    def add(self, ticket: dict[str, Any], messages: Sequence[HistoryMessage]) -> None:
        """One ticket (its columns, ``priority`` as the agent set it) and its conversation."""
        tags: set[str] = set(ticket.get("tags") or ())
        priority = int(ticket.get("priority") or 3)
        sentiment = ticket.get("sentiment") or "neutral"
        for direction, _author, body, _channel, _at in messages:
            if direction != "in":
                continue
            found, mood, raised = _triaged(body)
            tags.update(found)
            priority = min(priority, raised)
            if mood != "neutral":
                sentiment = mood
        row = {
            **ticket,
            "priority": priority,
            "sentiment": sentiment,
            "tags": dumps(sorted(tags)),
            "allergy": int("allergy" in tags),
        }
        clock = self.desk.clock({**row, "tags": sorted(tags)}, self.now or self.desk.now())
        row["sla_due"] = to_iso(clock.due) if clock.due else None
        self._tickets.append(row)
        for direction, author, body, channel, at in messages:
            self._messages.append(
                {
                    "ticket_id": ticket["id"],
                    "direction": direction,
                    "author": author,
                    "body": body,
                    "channel": channel,
                    "created_at": at,
                }
            )
        if len(self._tickets) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        store = self.desk.store
        with store.transaction():
            self.written_tickets += store.insert_rows("tickets", self._tickets)
            self.written_messages += store.insert_rows("messages", self._messages)
        self._tickets.clear()
        self._messages.clear()

    def close(self, source: str) -> None:
        """Write what is buffered and audit the batch."""
        self.flush()
        with self.desk.work() as work:
            work.audit(
                "history_imported",
                None,
                {
                    "source": source,
                    "tickets": self.written_tickets,
                    "messages": self.written_messages,
                },
            )
