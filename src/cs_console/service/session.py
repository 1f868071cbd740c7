"""Opening the cache for a shell (console, CLI, a worker thread): a Desk on its own Store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from cs_console.policy.sla import SlaConfig
from cs_console.service.desk import Agent, Desk
from cs_console.store.db import Store, StoreError

__all__ = ["StoreError", "open_desk"]


@contextmanager
def open_desk(
    path: str | os.PathLike[str], agent: Agent, sla_config: SlaConfig | None = None
) -> Iterator[Desk]:
    """A Desk on the cache at ``path``, closed afterwards. Raises StoreError for a file that
    is not a usable cache (nothing is written to it)."""
    store = Store.open(path)
    try:
        yield Desk(store, agent, sla_config)
    finally:
        store.close()
