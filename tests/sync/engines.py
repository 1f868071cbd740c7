"""The sync engine as the product wires it: through the service, so pulled messages are
triaged and clocks restart (tests that build an engine use this, never a bare SyncEngine)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cs_console.service.desk import Agent, Desk
from cs_console.service.sync import SyncService
from cs_console.sync.engine import FEED_CURSOR, TICKET_CURSOR, SyncEngine

SYNC_AGENT = Agent("cs-sync", "同步")


def sync_engine(store, backend, **options) -> SyncEngine:
    return SyncService(Desk(store, SYNC_AGENT), backend, **options).engine


def join_at_now(store, admin) -> None:
    """Start a new cache's pull cursors at RT's present, as if it had pulled everything before.

    The session's RT holds every earlier test's tickets; a fresh cache would pull them all on
    its first round and, once a test moves its clock on by days, escalate each of them (79 s of
    one two-console test in a full run, 3.5 s alone). Tests of what a first pull brings keep a
    cache without this."""
    newest = admin._get_json(
        "/transactions",
        query="ObjectType = 'RT::Ticket' AND id > 0",
        orderby="id",
        order="DESC",
        per_page=1,
        page=1,
        fields="id",
    )
    items = newest.get("items") or []
    since = datetime.now(UTC) - timedelta(seconds=2)
    with store.transaction():
        store.set_sync_value(TICKET_CURSOR, since.strftime("%Y-%m-%dT%H:%M:%SZ"))
        if items:
            store.set_sync_value(FEED_CURSOR, str(int(items[0]["id"])))
