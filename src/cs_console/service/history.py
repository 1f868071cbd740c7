"""Past conversations written in bulk (the demo's tickets, imports of older history).

Each ticket's customer messages are triaged by the same rule as a live message (tags, allergy
flag, sentiment, priority raised), its SLA due time comes from policy, and the tickets and
messages are written as plain tuples with ``executemany`` in chunks of a fixed size (memory does
not grow with the batch) plus ONE audit row, so a million tickets take a minute, not an hour.

Two ways in: :meth:`History.add` takes a ticket as a mapping and works everything out per
ticket; a generator that makes many tickets from few templates (the demo) builds the rows
itself with :meth:`History.read`, :func:`combined` and :meth:`History.due_after`, whose answers
are cached per template and per SLA case, and hands them to :meth:`History.add_row`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from cs_console.clock import to_iso
from cs_console.policy.sla import SlaFacts, active_clock
from cs_console.policy.triage import triage
from cs_console.service.desk import Desk
from cs_console.store.base import dumps

#: (direction, author, body, channel, created_at) of one message, oldest first
HistoryMessage = tuple[str, str, str, str | None, str]

#: The ticket columns :meth:`History.add_row` takes, in this order. The last five are what
#: History works out (:meth:`History.read` and :func:`combined`, :meth:`History.due_after`).
TICKET_COLUMNS = (
    "id",
    "subject",
    "customer_id",
    "order_id",
    "channel",
    "category",
    "topic",
    "status",
    "assignee",
    "skill_group",
    "escalated",
    "lang",
    "created_at",
    "updated_at",
    "first_response_at",
    "resolved_at",
    "paused_at",
    "paused_seconds",
    "priority",
    "sentiment",
    "tags",
    "allergy",
    "sla_due",
)
#: The message columns, in this order (the ticket's id first, then a :data:`HistoryMessage`).
MESSAGE_COLUMNS = ("ticket_id", "direction", "author", "body", "channel", "created_at")

#: What triage makes of a ticket's customer messages: (priority, sentiment, tags JSON, allergy)
Assessment = tuple[int, str, str, int]

#: Any moment will do as the start of a clock whose due time is a fixed offset from it.
_REFERENCE = datetime(2000, 1, 1, tzinfo=UTC)


#: What triage makes of one customer message: (tags, sentiment, priority it asks for)
Reading = tuple[tuple[str, ...], str, int]


@lru_cache(maxsize=4096)
def _triaged(body: str) -> Reading:
    return read(body)


def read(body: str) -> Reading:
    """Triage of one customer message, as a ticket's assessment needs it."""
    result = triage(body)
    return result.tags, result.sentiment, result.priority


@lru_cache(maxsize=256)
def _tags_json(tags: frozenset[str]) -> str:
    return dumps(sorted(tags))


def combined(
    readings: Iterable[Reading],
    priority: int,
    sentiment: str = "neutral",
    tags: Iterable[str] = (),
) -> Assessment:
    """A ticket's customer messages, oldest first, over the agent's ``priority`` (and
    ``sentiment`` and ``tags``, if any): tags gathered, the priority raised to the most urgent,
    the last mood that is not neutral."""
    gathered = set(tags)
    for found, mood, raised in readings:
        gathered.update(found)
        priority = min(priority, raised)
        if mood != "neutral":
            sentiment = mood
    return priority, sentiment, _tags_json(frozenset(gathered)), int("allergy" in gathered)


@dataclass
class History:
    """Buffers tickets with their messages and writes them in chunks; call :meth:`close`."""

    desk: Desk
    now: datetime | None = None  # the clock's "now" for SLA due times (default: the desk's)
    chunk: int = 20_000
    written_tickets: int = 0
    written_messages: int = 0
    _tickets: list[tuple[Any, ...]] = field(default_factory=list)
    _messages: list[tuple[Any, ...]] = field(default_factory=list)
    #: where full chunks go instead of the desk's store: (table, columns, rows), e.g. to the
    #: process that writes them (``written_*`` then count what was handed over)
    sink: Callable[[str, Sequence[str], list[tuple[Any, ...]]], None] | None = None
    #: each ticket row carries its count of agent replies (the ``out`` messages), for a bulk
    #: load whose reply counter is suspended and not counted again at its end
    #: (``Store.bulk_tickets(replies_in_rows=True)``); otherwise the counter's trigger counts
    replies_in_rows: bool = False
    _read: dict[Hashable, Reading] = field(default_factory=dict)
    _due: dict[tuple[Any, ...], int | None] = field(default_factory=dict)

    def add(self, ticket: Mapping[str, Any], messages: Sequence[HistoryMessage]) -> None:
        """One ticket (every column of :data:`TICKET_COLUMNS` but the five History works out;
        ``priority`` as the agent set it, ``tags`` and ``sentiment`` optional) and its
        conversation, everything worked out for this ticket alone."""
        given = set(ticket) - {"tags", "sentiment"}
        missing = set(TICKET_COLUMNS[:-5]) - given
        unknown = given - set(TICKET_COLUMNS)
        if missing or unknown:
            raise ValueError(f"history: missing {sorted(missing)}, unknown {sorted(unknown)}")
        priority, sentiment, tags, allergy = combined(
            [_triaged(m[2]) for m in messages if m[0] == "in"],
            int(ticket.get("priority") or 3),
            ticket.get("sentiment") or "neutral",
            ticket.get("tags") or (),
        )
        clock = self.desk.clock(
            {**ticket, "priority": priority, "sentiment": sentiment}, self.now or self.desk.now()
        )
        worked_out = (priority, sentiment, tags, allergy, to_iso(clock.due) if clock.due else None)
        self.add_row(
            tuple(ticket[c] for c in TICKET_COLUMNS[:-5]) + worked_out,
            [(ticket["id"], *m) for m in messages],
        )

    def read(self, key: Hashable | None, body: str) -> Reading:
        """:func:`read` of one customer message, cached under ``key`` (``None``: not cached).
        The caller promises that every message it gives the same key reads the same (one
        template with the same fields, which triage can read), so the cache holds an entry per
        template and fields, not per message."""
        if key is None:
            return read(body)
        found = self._read.get(key)
        if found is None:
            found = self._read[key] = read(body)
        return found

    def due_after(
        self,
        channel: str,
        category: str,
        topic: str | None,
        priority: int,
        status: str,
        answered: bool,
        resolved: bool,
        paused_seconds: int = 0,
    ) -> int | None:
        """Seconds from the ticket's creation to its SLA due time (``None``: the clock is
        stopped), as policy's active clock gives it, cached per case. Only for a desk without
        business hours, where a due time is a fixed offset from the clock's start."""
        key = (channel, category, topic, priority, status, answered, resolved, paused_seconds)
        if key in self._due:
            return self._due[key]
        config = self.desk.sla_config
        if config.business_hours is not None:
            raise ValueError("due_after: with business hours a due time is no fixed offset")
        facts = SlaFacts(
            channel=channel,
            category=category,
            topic=topic,
            priority=priority,
            status=status,
            created_at=_REFERENCE,
            first_response_at=_REFERENCE if answered else None,
            resolved_at=_REFERENCE if resolved else None,
            paused_seconds=paused_seconds,
        )
        due = active_clock(facts, self.now or self.desk.now(), config).due
        offset = None if due is None else (due - _REFERENCE).total_seconds()
        if offset is not None and offset != int(offset):
            raise ValueError(f"due_after: {offset} s is not whole seconds")
        self._due[key] = found = None if offset is None else int(offset)
        return found

    def add_row(self, ticket: tuple[Any, ...], messages: Sequence[tuple[Any, ...]]) -> None:
        """One ticket as a :data:`TICKET_COLUMNS` tuple and its messages as
        :data:`MESSAGE_COLUMNS` tuples; written when a chunk is full."""
        if self.replies_in_rows:
            ticket = (*ticket, sum(1 for m in messages if m[1] == "out"))
        self._tickets.append(ticket)
        self._messages.extend(messages)
        if len(self._tickets) >= self.chunk:
            self.flush()

    @property
    def ticket_columns(self) -> tuple[str, ...]:
        """The columns of the ticket rows written."""
        return (*TICKET_COLUMNS, "agent_replies") if self.replies_in_rows else TICKET_COLUMNS

    def flush(self) -> None:
        if self.sink is not None:
            if self._tickets:
                self.sink("tickets", self.ticket_columns, self._tickets)
                self.sink("messages", MESSAGE_COLUMNS, self._messages)
            self.written_tickets += len(self._tickets)
            self.written_messages += len(self._messages)
            self._tickets, self._messages = [], []  # the sink may keep the lists
            return
        store = self.desk.store
        with store.transaction():
            self.written_tickets += store.insert_tuples(
                "tickets", self.ticket_columns, self._tickets
            )
            self.written_messages += store.insert_tuples(
                "messages", MESSAGE_COLUMNS, self._messages
            )
        self._tickets.clear()
        self._messages.clear()

    def close(self, source: str) -> None:
        """Write what is buffered and audit the batch."""
        self.flush()
        self.audit(source, self.written_tickets, self.written_messages)

    def audit(self, source: str, tickets: int, messages: int) -> None:
        """The batch's one audit row (what was written, from where)."""
        with self.desk.work() as work:
            work.audit(
                "history_imported",
                None,
                {"source": source, "tickets": tickets, "messages": messages},
            )
