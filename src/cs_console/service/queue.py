"""The queue as the console and the CLI see it: filters, keyset pages, counts and search.

The filters themselves are pure data (``policy.queue.QUEUE_FILTERS``, one entry each); this
module applies them for the signed-in agent. Pages are keyset pages: the next one starts after
the last row shown, the previous one ends before the first, so paging costs the same on page 1
and page 5,000. Counts come from counters the store keeps as rows change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cs_console.clock import to_iso
from cs_console.policy.queue import FILTER_NAMES, QUEUE_FILTERS, QueueFilter, queue_filter
from cs_console.store.queue import Key, row_key

if TYPE_CHECKING:
    from cs_console.service.desk import Desk

__all__ = [
    "FILTER_NAMES",
    "QUEUE_FILTERS",
    "SEARCH_COUNT_CAP",
    "Key",
    "Queue",
    "QueueFilter",
    "QueuePage",
    "queue_filter",
    "row_key",
]

#: A search counts its matches up to this many (it scans); past it the header says "10000+".
SEARCH_COUNT_CAP = 10_000


@dataclass(frozen=True)
class QueuePage:
    """Rows of one page, and whether more lie after (``more``) and before (``earlier``)."""

    rows: list[dict[str, Any]]
    more: bool
    earlier: bool

    @property
    def first(self) -> Key | None:
        return row_key(self.rows[0]) if self.rows else None

    @property
    def last(self) -> Key | None:
        return row_key(self.rows[-1]) if self.rows else None


class Queue:
    """The queue for the desk's agent."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def filters(self) -> tuple[QueueFilter, ...]:
        """The filters this agent may use (others are hidden, e.g. approvals for an agent)."""
        return tuple(f for f in QUEUE_FILTERS if f.usable_by(self.desk.agent.role))

    def filter(self, name: str) -> QueueFilter:
        """The filter ``name`` (or an alias); refused when this agent's role may not use it."""
        from cs_console.service.errors import DeskError, Term

        try:
            chosen = queue_filter(name)
        except ValueError:
            raise DeskError("err.unknown_filter", name=repr(name), choices=FILTER_NAMES) from None
        if not chosen.usable_by(self.desk.agent.role):
            raise DeskError(
                "err.filter_for_supervisors",
                filter=Term(*chosen.label_key.split(".", 1)),
                agent=self.desk.agent.id,
                role=Term("role", self.desk.agent.role),
            )
        return chosen

    def page(
        self,
        name: str = "all",
        *,
        after: Key | None = None,
        before: Key | None = None,
        inclusive: bool = False,
        limit: int = 200,
        text: str = "",
    ) -> QueuePage:
        """A page of a filter (optionally narrowed by a search): the first, the one after
        ``after``, or the one before ``before``. A number as ``text`` finds that ticket."""
        chosen = self.filter(name)
        text = text.strip()
        if text.isdigit():
            row = self.desk.store.queue_row(int(text)) if len(text) <= 18 else None
            return QueuePage([row] if row else [], False, False)
        now = self._now()
        store = self.desk.store
        agent = self.desk.agent.id
        rows = store.queue_page(
            chosen,
            agent,
            now,
            after=after,
            before=before,
            inclusive=inclusive,
            limit=limit + 1,
            text=text,
        )
        backwards = before is not None
        beyond = len(rows) > limit
        if beyond:
            rows = rows[1:] if backwards else rows[:limit]
        if backwards:
            later = bool(rows) and bool(
                store.queue_page(chosen, agent, now, after=row_key(rows[-1]), limit=1, text=text)
            )
            return QueuePage(rows, later, beyond)
        earlier = bool(rows) and bool(
            store.queue_page(chosen, agent, now, before=row_key(rows[0]), limit=1, text=text)
        )
        return QueuePage(rows, beyond, earlier)

    def count(self, name: str = "all") -> int:
        """How many tickets the filter holds (from the store's counters: constant time)."""
        return self.desk.store.queue_total(self.filter(name), self.desk.agent.id, self._now())

    def search_count(self, name: str, text: str, cap: int = SEARCH_COUNT_CAP) -> int:
        """How many of the filter's tickets a search matches, up to ``cap``."""
        text = text.strip()
        if text.isdigit():
            return 1 if len(text) <= 18 and self.desk.store.queue_row(int(text)) else 0
        chosen = self.filter(name)
        return self.desk.store.queue_match_count(chosen, self.desk.agent.id, self._now(), text, cap)

    def rows(self, name: str = "all", limit: int = 200) -> list[dict[str, Any]]:
        """The first ``limit`` rows of a filter."""
        return self.page(name, limit=limit).rows

    def rows_of(self, ticket_ids: list[int]) -> list[dict[str, Any]]:
        """Queue rows of these tickets, in the order given (a drill-down from a figure)."""
        rows = (self.desk.store.queue_row(int(ticket_id)) for ticket_id in ticket_ids)
        return [row for row in rows if row is not None]

    def belongs(self, name: str, row: dict[str, Any]) -> bool:
        """Whether a ticket row (``store.queue_row``) is in the filter now (to update in place)."""
        chosen = queue_filter(name)
        if chosen.ticket_set:
            member = self.desk.store.in_ticket_set(chosen.ticket_set, row["id"], self._now())
            row = {**row, "in_set": member}
        return chosen.matches(row, self.desk.agent.id, self._now())

    def on_own_connection(self) -> Queue:
        """The same queue over a second connection to the cache, for a worker thread (reads
        there never wait on the console's own statements). In memory there is only one."""
        if self.desk.cache_path == ":memory:":
            return self
        from cs_console.service.desk import Desk
        from cs_console.store.db import Store

        store = Store.open(self.desk.cache_path, self.desk.store.clock)
        return Queue(Desk(store, self.desk.agent, self.desk.sla_config))

    def close(self) -> None:
        """Close a connection made by :meth:`on_own_connection`."""
        self.desk.store.close()

    def _now(self) -> str:
        return to_iso(self.desk.now())
