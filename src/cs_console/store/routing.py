"""What routing reads: the team with its skill groups, open loads, the next ticket of a group."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from cs_console.store.base import Queries


class RoutingQueries(Queries):
    def routing_team(self) -> list[dict[str, Any]]:
        """Every agent: id, name, role and skill_groups (a list; [] when none is recorded)."""
        team = []
        for row in self.all("SELECT id, name, role, skill_groups FROM agents ORDER BY id"):
            try:
                groups = json.loads(row["skill_groups"] or "[]")
            except ValueError:
                groups = []
            row["skill_groups"] = [g for g in groups if isinstance(g, str)]
            team.append(row)
        return team

    def open_loads(self, agent_ids: Sequence[str]) -> dict[str, int]:
        """Open tickets assigned to each of ``agent_ids`` (0 for none), off the assignee index."""
        loads = dict.fromkeys(agent_ids, 0)
        for agent_id in agent_ids:
            loads[agent_id] = int(
                self.scalar(
                    "SELECT count(*) FROM tickets WHERE assignee = ? AND status = 'open'",
                    (agent_id,),
                )
            )
        return loads

    def next_unassigned_of(self, groups: Sequence[str]) -> int | None:
        """The most urgent open ticket nobody holds whose skill group is one of ``groups`` or
        not set yet (console order); any group's when ``groups`` is empty."""
        if not groups:
            value = self.scalar(
                "SELECT id FROM tickets WHERE status = 'open' AND assignee IS NULL "
                "ORDER BY sla_due, priority, id LIMIT 1"
            )
        else:
            marks = ", ".join("?" for _ in groups)
            value = self.scalar(
                "SELECT id FROM tickets WHERE status = 'open' AND assignee IS NULL "
                f"AND (skill_group IN ({marks}) OR skill_group IS NULL) "
                "ORDER BY sla_due, priority, id LIMIT 1",
                tuple(groups),
            )
        return int(value) if value is not None else None
