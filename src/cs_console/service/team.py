"""The team as RT says it is: agents and their roles, written to the agents table by sync.

The agents table is the only place a role is read from (a shell signs the agent in from it, and
every supervisor action checks it again inside its transaction); RT's group membership is the
only thing that writes it. A role changed locally is still checked by RT's own rights when the
action is pushed, so editing the cache gives nothing RT would not allow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cs_console.clock import parse_iso, to_iso
from cs_console.service.desk import Desk
from cs_console.sync.backends.base import Backend

REFRESH_SECONDS = 300.0
REFRESHED_KEY = "team_refreshed_at"


@dataclass
class TeamChange:
    """What one refresh changed (empty lists: RT and the cache agreed)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def refresh_due(desk: Desk) -> bool:
    last = desk.store.sync_value(REFRESHED_KEY)
    if not last:
        return True
    return (desk.now() - parse_iso(last)).total_seconds() >= REFRESH_SECONDS


def refresh_team(desk: Desk, backend: Backend) -> TeamChange | None:
    """Read the team from ``backend`` and make the agents table match it, audited. None when
    the backend has no team groups (the table is left as it is)."""
    names = {agent_id: name for agent_id, (name, _role) in desk.store.agents_roles().items()}
    members = backend.team(names)
    if members is None:
        return None
    store = desk.store
    change = TeamChange()
    with desk.work() as work:
        known = store.agents_roles()
        wanted = {m.name: (m.real_name or m.name, m.role) for m in members}
        for agent_id, (_name, role) in wanted.items():
            if agent_id not in known:
                change.added.append(f"{agent_id} ({role})")
            elif known[agent_id][1] != role:
                change.changed.append(f"{agent_id}: {known[agent_id][1]} -> {role}")
        change.removed = sorted(set(known) - set(wanted))
        store.save_team(
            [(agent_id, name, role) for agent_id, (name, role) in wanted.items()],
            change.removed,
        )
        if change:
            work.audit(
                "team_from_rt",
                None,
                {"added": change.added, "changed": change.changed, "removed": change.removed},
            )
        store.set_sync_value(REFRESHED_KEY, to_iso(desk.now()))
    return change
