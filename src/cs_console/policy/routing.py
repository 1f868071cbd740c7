"""Routing: which skill group a ticket belongs to, and which agent takes it. Pure data and rules.

A ticket's group is decided by the first of these that names one: its **channel** (a customer
at the mall's service desk is served there), the customer's **tier** (VIPs go to the VIP
group), its **category** (pre-sale questions, after-sale problems, ...), else
``default_group``. An agent takes tickets of their groups; an agent with no group is a
generalist who takes any. Nobody is given more than ``max_load`` open tickets: ``take-next``
refuses at the limit, and a new ticket goes to the least loaded agent of its group below it
(specialists before generalists, then by id), or waits unassigned for ``take-next``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

SKILL_GROUPS = ("presale", "aftersale", "vip", "mall")
TIERS = ("member", "silver", "gold", "diamond")
#: how a console assigns the new tickets it pulls from RT: ``self`` claims only those the rule
#: gives its own agent (each agent's console does the same, so a ticket is claimed once and
#: nobody away is handed work); ``any`` assigns for the whole team (one sync process for all);
#: ``off`` leaves them unassigned for take-next.
ASSIGN_PULLED = ("self", "any", "off")


def _frozen(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class RoutingRule:
    """The rule a supervisor reads in ``[routing]`` (see ``config.py``); defaults below."""

    channels: Mapping[str, str] = field(default_factory=lambda: _frozen({"desk": "mall"}))
    tiers: Mapping[str, str] = field(
        default_factory=lambda: _frozen({"gold": "vip", "diamond": "vip"})
    )
    categories: Mapping[str, str] = field(
        default_factory=lambda: _frozen(
            {
                "pre-sale": "presale",
                "after-sale": "aftersale",
                "systems": "aftersale",
                "membership": "vip",
                "mall": "mall",
                "complaint": "aftersale",
                "general": "presale",
            }
        )
    )
    default_group: str = "presale"
    agents: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    max_load: int = 25  # open tickets (not those waiting on the customer) an agent holds
    overflow: bool = True  # take-next offers other groups' tickets when none waits in yours
    assign_roles: tuple[str, ...] = ("agent", "trainee")  # who new tickets are assigned to
    assign_pulled: str = "self"

    def __post_init__(self) -> None:
        named = [
            self.default_group,
            *self.channels.values(),
            *self.tiers.values(),
            *self.categories.values(),
        ]
        named += [group for groups in self.agents.values() for group in groups]
        unknown = sorted({group for group in named if group not in SKILL_GROUPS})
        if unknown:
            raise ValueError(
                f"unknown skill group {', '.join(unknown)}; one of {', '.join(SKILL_GROUPS)}"
            )
        if self.max_load < 1:
            raise ValueError("max_load must be at least 1")
        if self.assign_pulled not in ASSIGN_PULLED:
            raise ValueError(f"assign_pulled must be one of {', '.join(ASSIGN_PULLED)}")


@dataclass(frozen=True)
class Placement:
    """A ticket's skill group and what decided it: ``channel``, ``tier``, ``category`` or
    ``default``, with the value that matched."""

    group: str
    by: str
    value: str | None = None


def place(rule: RoutingRule, channel: str, tier: str | None, category: str) -> Placement:
    """The skill group of a ticket on ``channel`` from a customer of ``tier`` about ``category``."""
    if channel in rule.channels:
        return Placement(rule.channels[channel], "channel", channel)
    if tier is not None and tier in rule.tiers:
        return Placement(rule.tiers[tier], "tier", tier)
    if category in rule.categories:
        return Placement(rule.categories[category], "category", category)
    return Placement(rule.default_group, "default")


@dataclass(frozen=True)
class Member:
    """An agent as routing sees them: role, skill groups (empty: a generalist) and open load."""

    id: str
    role: str
    groups: tuple[str, ...]
    load: int


def groups_of(rule: RoutingRule, agent_id: str, recorded: Iterable[str]) -> tuple[str, ...]:
    """An agent's skill groups: the config's list when it names them, else the team table's."""
    if agent_id in rule.agents:
        return tuple(rule.agents[agent_id])
    return tuple(group for group in recorded if group in SKILL_GROUPS)


def takes(member_groups: tuple[str, ...], group: str | None) -> bool:
    """Whether an agent of ``member_groups`` takes a ticket of ``group`` (None: not routed yet,
    anyone's)."""
    return not member_groups or group is None or group in member_groups


def at_limit(rule: RoutingRule, load: int) -> bool:
    return load >= rule.max_load


def pick(rule: RoutingRule, group: str, team: Iterable[Member]) -> Member | None:
    """Who a new ticket of ``group`` goes to: an agent of an assignable role who takes the
    group and is below the limit; specialists before generalists, then the least loaded, then
    by id (so every console that applies the rule to the same team picks the same agent)."""
    fit = [
        member
        for member in team
        if member.role in rule.assign_roles
        and takes(member.groups, group)
        and not at_limit(rule, member.load)
    ]
    if not fit:
        return None
    return min(fit, key=lambda member: (not member.groups, member.load, member.id))
