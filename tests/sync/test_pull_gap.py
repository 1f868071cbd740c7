"""The same-second pull gap: RT's LastUpdated counts whole seconds, so a change made in the
second of our last read carries the LastUpdated we stored and the ticket search passes it over
as seen. The change feed shows it: the ticket is read again in the same round."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from engines import sync_engine
from test_engine import local_of

from cs_console.clock import FixedClock
from cs_console.sync.backends.base import FeedPage, RemoteTicket, RemoteTransaction, TicketPage
from cs_console.sync.engine import TICKET_CURSOR


class SecondsRT:
    """A backend stub with the RT adapter's pull semantics: tickets updated at or after
    ``since`` less an overlap, stamped with whole-second LastUpdated; a transaction per change
    in the feed."""

    overlap = timedelta(seconds=2)

    def __init__(self) -> None:
        self.tickets: dict[str, RemoteTicket] = {}
        self.feed: list[RemoteTransaction] = []

    def put(self, remote_id: str, second: str, **fields: str) -> None:
        old = self.tickets.get(remote_id) or RemoteTicket(
            remote_id=remote_id,
            subject=f"色号咨询 {remote_id}",
            status="open",
            queue="Customer Service",
            owner="Nobody",
            requestors=("zhao.min@example.com",),
            priority=50,
            created="2026-12-02T09:00:00Z",
            last_updated=second,
        )
        self.tickets[remote_id] = dataclasses.replace(old, last_updated=second, **fields)
        for name, value in fields.items():
            self.feed.append(
                RemoteTransaction(
                    str(len(self.feed) + 1),
                    remote_id,
                    "Set",
                    "cs-route-b",
                    second,
                    field=name.capitalize(),
                    new_value=value,
                )
            )

    def pull_tickets(self, since: datetime | None, page: int = 1) -> TicketPage:
        items = [
            t
            for t in sorted(self.tickets.values(), key=lambda t: (t.last_updated, t.remote_id))
            if since is None or datetime.fromisoformat(t.last_updated) >= since - self.overlap
        ]
        return TicketPage(items if page == 1 else [], page, more=page == 1 and bool(items))

    def tickets_by_id(self, ids: list[str]) -> list[RemoteTicket]:
        return [self.tickets[i] for i in ids if i in self.tickets]

    def pull_transactions(self, after_id: str | int | None) -> FeedPage:
        new = [tx for tx in self.feed if int(tx.remote_id) > int(after_id or 0)]
        return FeedPage(new, [], new[-1].remote_id if new else None, more=False)


class Counting:
    """The engine's inbound handler, counting the tickets it is asked to apply."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.asked: list[str] = []

    def remote_ticket(self, remote, local):
        self.asked.append(remote.remote_id)
        return self.inner.remote_ticket(remote, local)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def _engine(store, rt):
    engine = sync_engine(store, rt, clock=FixedClock(datetime(2026, 12, 2, 10, 0, 9, tzinfo=UTC)))
    counting = Counting(engine.inbound)
    engine.inbound = counting
    return engine, counting


def test_a_second_change_within_the_second_of_the_last_read_is_applied(store):
    rt = SecondsRT()
    rt.put("7", "2026-12-02T10:00:05Z")
    engine, _ = _engine(store, rt)
    assert engine.sync_once().pulled == 1
    assert store.sync_value(TICKET_CURSOR) == "2026-12-02T10:00:05Z"
    # another console takes the ticket in that same second: LastUpdated does not move
    rt.put("7", "2026-12-02T10:00:05Z", owner="cs-route-b")
    report = engine.sync_once()
    assert (report.pulled, report.errors) == (1, [])
    assert local_of(store, "7")["assignee"] == "cs-route-b"
    # read again with nothing new: the field comparison finds no change
    assert engine.sync_once().pulled == 0


def test_a_ticket_read_again_unchanged_keeps_what_the_cache_added(store):
    """Re-reading a ticket RT did not change must not compare it field by field: the cache
    holds what RT does not know (the priority triage raised for an allergy)."""
    rt = SecondsRT()
    rt.put("7", "2026-12-02T10:00:05Z")
    rt.put("8", "2026-12-02T10:00:04Z")
    engine, counting = _engine(store, rt)
    assert engine.sync_once().pulled == 2
    with store.transaction() as conn:  # what triage of an allergy message does locally
        conn.execute("UPDATE tickets SET priority = 1 WHERE remote_id = 7")
    counting.asked.clear()
    assert engine.sync_once().pulled == 0  # both read again (the overlap), neither applied
    assert counting.asked == []
    assert local_of(store, "7")["priority"] == 1
    rt.put("8", "2026-12-02T10:00:05Z", owner="cs-route-b")  # #8 changes in #7's second
    assert engine.sync_once().pulled == 1
    assert counting.asked == ["8", "8"]  # by the search (newer), then the feed's re-read
    assert (local_of(store, "7")["priority"], local_of(store, "8")["assignee"]) == (
        1,
        "cs-route-b",
    )
