"""The sync engine as the product wires it: through the service, so pulled messages are
triaged and clocks restart (tests that build an engine use this, never a bare SyncEngine)."""

from __future__ import annotations

from cs_console.service.desk import Agent, Desk
from cs_console.service.sync import SyncService
from cs_console.sync.engine import SyncEngine

SYNC_AGENT = Agent("cs-sync", "同步")


def sync_engine(store, backend, **options) -> SyncEngine:
    return SyncService(Desk(store, SYNC_AGENT), backend, **options).engine
