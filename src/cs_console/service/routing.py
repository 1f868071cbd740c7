"""Routing applied: ``take-next`` by the agent's skill groups and load, and new tickets placed in
their skill group and given to the least loaded agent who takes it (``policy.routing``).

Every assignment made here is an ``assign`` op and an audit row in the caller's transaction,
like one made by hand; a new ticket's assignment is made by the system actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cs_console.policy.routing import Member, RoutingRule, at_limit, groups_of, pick, place
from cs_console.service.desk import SYSTEM_ACTOR, Desk, DeskError
from cs_console.service.work import UnitOfWork


@dataclass(frozen=True)
class TeamMember:
    """An agent with their skill groups, where those come from, and their open load."""

    member: Member
    name: str
    groups_from: str  # config | team | none (a generalist)

    def as_dict(self, rule: RoutingRule) -> dict[str, Any]:
        return {
            "id": self.member.id,
            "name": self.name,
            "role": self.member.role,
            "groups": list(self.member.groups),
            "groups_from": self.groups_from,
            "open": self.member.load,
            "max_load": rule.max_load,
            "at_limit": at_limit(rule, self.member.load),
            "gets_new_tickets": self.member.role in rule.assign_roles,
        }


@dataclass(frozen=True)
class Placement:
    """A new ticket's skill group and owner, decided before they are written."""

    changes: dict[str, Any]
    chosen: str | None
    detail: dict[str, Any]


class Routing:
    """The routing rule over one Desk's cache, for its agent."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.store = desk.store
        self.rule: RoutingRule = desk.routing

    # -- reading -------------------------------------------------------------------------

    def team(self) -> list[TeamMember]:
        """Every agent with their groups and open load, by id."""
        rows = self.store.routing_team()
        loads = self.store.open_loads([row["id"] for row in rows])
        team = []
        for row in rows:
            groups = groups_of(self.rule, row["id"], row["skill_groups"])
            source = "config" if row["id"] in self.rule.agents else "team" if groups else "none"
            member = Member(row["id"], row["role"], groups, loads[row["id"]])
            team.append(TeamMember(member, row["name"], source))
        return team

    def member(self, agent_id: str) -> Member:
        record = self.store.agent(agent_id) or {}
        recorded = record.get("skill_groups") or []
        groups = groups_of(self.rule, agent_id, recorded if isinstance(recorded, list) else [])
        load = self.store.open_loads([agent_id])[agent_id]
        return Member(agent_id, str(record.get("role") or "agent"), groups, load)

    def describe(self) -> dict[str, Any]:
        """The active rule and the team, as ``cs-console routing --json`` prints them."""
        rule = self.rule
        return {
            "rule": {
                "order": ["channel", "tier", "category", "default"],
                "channels": dict(rule.channels),
                "tiers": dict(rule.tiers),
                "categories": dict(rule.categories),
                "default_group": rule.default_group,
                "max_load": rule.max_load,
                "overflow": rule.overflow,
                "assign_roles": list(rule.assign_roles),
                "assign_pulled": rule.assign_pulled,
            },
            "agents": [item.as_dict(rule) for item in self.team()],
        }

    # -- take-next -----------------------------------------------------------------------

    def take_next(self) -> int | None:
        """The most urgent unassigned open ticket of the agent's groups, assigned to them (any
        group's when none waits in theirs and ``overflow`` is on); None when nothing waits.
        Refused at ``max_load`` open tickets."""
        desk = self.desk
        with desk.work() as work:
            me = self.member(desk.agent.id)
            if at_limit(self.rule, me.load):
                raise DeskError("routing.at_limit", load=me.load, limit=self.rule.max_load)
            ticket_id = self.store.next_unassigned_of(me.groups)
            overflow = False
            if ticket_id is None and me.groups and self.rule.overflow:
                ticket_id = self.store.next_unassigned_of(())
                overflow = ticket_id is not None
            if ticket_id is None:
                return None
            ticket = work.ticket(ticket_id)
            work.update_ticket(ticket, {"assignee": desk.agent.id})
            work.enqueue("assign", ticket, {"assignee": desk.agent.id})
            work.audit(
                "take_next",
                ticket_id,
                {
                    "assignee": desk.agent.id,
                    "skill_group": ticket.get("skill_group"),
                    "load": me.load,
                    "overflow": overflow,
                },
            )
        return ticket_id

    # -- new tickets ---------------------------------------------------------------------

    def route_new(self, work: UnitOfWork, ticket: dict[str, Any], *, pulled: bool) -> str | None:
        """Place a ticket that just arrived in its skill group and, when it has no owner yet,
        give it to the agent the rule picks (see ``policy.routing.ASSIGN_PULLED`` for a ticket
        pulled from RT). Runs inside the arrival's transaction. Returns the assignee chosen."""
        placement = self.placement(ticket, pulled=pulled)
        work.update_ticket(ticket, placement.changes)
        return self.record(work, ticket, placement)

    def placement(self, ticket: dict[str, Any], *, pulled: bool) -> Placement:
        """Where a ticket about to be stored goes (its fields to write), without writing: a
        caller that has not inserted it yet stores it placed, in one write instead of two."""
        customer = self.store.customer(ticket["customer_id"]) if ticket.get("customer_id") else None
        placed = place(
            self.rule, ticket["channel"], (customer or {}).get("tier"), ticket["category"]
        )
        changes: dict[str, Any] = {"skill_group": placed.group}
        chosen = None
        waiting = ticket["status"] == "open" and not ticket.get("assignee")
        if waiting and not (pulled and self.rule.assign_pulled == "off"):
            member = pick(self.rule, placed.group, [item.member for item in self.team()])
            if member is not None and (
                not pulled or self.rule.assign_pulled == "any" or member.id == self.desk.agent.id
            ):
                chosen = member.id
                changes["assignee"] = chosen
        detail = {"skill_group": placed.group, "by": placed.by, "value": placed.value}
        return Placement(changes, chosen, detail)

    def record(self, work: UnitOfWork, ticket: dict[str, Any], placement: Placement) -> str | None:
        """The assignment's op and the routing's audit row, for a stored ticket."""
        detail = dict(placement.detail)
        if placement.chosen is not None:
            work.enqueue("assign", ticket, {"assignee": placement.chosen})
            detail["assignee"] = placement.chosen
        work.audit("route", int(ticket["id"]), detail, actor=SYSTEM_ACTOR)
        return placement.chosen
