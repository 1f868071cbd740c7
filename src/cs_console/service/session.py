"""Opening the cache for a shell (console, CLI, a worker thread): a Desk on its own Store, for
an agent signed in from the agents table."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from cs_console.policy.routing import RoutingRule
from cs_console.policy.sla import SlaConfig
from cs_console.service.desk import Agent, Desk, DeskError
from cs_console.store.db import Store, StoreError

__all__ = ["StoreError", "UnknownAgent", "open_desk", "sign_in"]


class UnknownAgent(DeskError):
    """The agent id is not on the team this cache knows."""


def sign_in(store: Store, agent_id: str) -> Agent:
    """The agent with their name and role as the agents table has them (sync fills it from RT's
    team groups; the demo seeds it). Nothing a shell is told decides a role."""
    record = store.agent(agent_id)
    if record is None:
        known = tuple(sorted(store.agents_roles())) or "-"
        raise UnknownAgent("err.unknown_agent", agent=repr(agent_id), known=known)
    return Agent(str(record["id"]), str(record["name"]), str(record["role"]))


@contextmanager
def open_desk(
    path: str | os.PathLike[str],
    agent: Agent | str,
    sla_config: SlaConfig | None = None,
    routing: RoutingRule | None = None,
) -> Iterator[Desk]:
    """A Desk on the cache at ``path``, closed afterwards. ``agent`` is an id to sign in (a
    shell), or an Agent the caller vouches for (a worker acting for an agent already signed in,
    the sync engine). Raises StoreError for a file that is not a usable cache (nothing is
    written to it), UnknownAgent for an id that is not on the team."""
    store = Store.open(path)
    try:
        signed_in = sign_in(store, agent) if isinstance(agent, str) else agent
        yield Desk(store, signed_in, sla_config, routing)
    finally:
        store.close()
