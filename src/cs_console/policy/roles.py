"""Roles and what each may do alone. Refund limits come from the policy numbers."""

from __future__ import annotations

from collections.abc import Iterable

from cs_console.policy.numbers import number

ROLES = ("trainee", "agent", "supervisor")


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; choose from {', '.join(ROLES)}")
    return role


def refund_limit(role: str) -> float | None:
    """The largest refund this role approves alone; None means no limit."""
    check_role(role)
    if role == "supervisor":
        return None
    if role == "trainee":
        return float(number("trainee_refund_limit_yuan"))
    return float(number("agent_refund_limit_yuan"))


def needs_approval(role: str, amount: float, within_policy: bool) -> bool:
    """Above the role's limit, or any goodwill exception outside policy, waits for a supervisor."""
    if role == "supervisor":
        return False
    limit = refund_limit(role)
    return not within_policy or (limit is not None and amount > limit)


def can_approve(role: str) -> bool:
    return check_role(role) == "supervisor"


#: The RT groups a role comes from (``cs-console rt bootstrap`` creates them and their rights).
TEAM_GROUPS = {"supervisor": "cs-supervisors", "agent": "cs-agents", "trainee": "cs-trainees"}


def role_from_groups(groups: Iterable[str]) -> str | None:
    """The role RT's group membership gives; None when the user is in no team group.

    Supervisor membership is explicit and wins; a user left in both the trainee and the agent
    group counts as a trainee (a forgotten removal never grants more than was meant)."""
    member_of = set(groups)
    for role in ("supervisor", "trainee", "agent"):
        if TEAM_GROUPS[role] in member_of:
            return role
    return None
