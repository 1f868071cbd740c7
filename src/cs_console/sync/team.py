"""Who is on the team, read from RT: the members of the team groups and the role each gives.

REST2 shows a group's members to anyone with SeeGroup on it (``GET /group/N`` lists them),
which ``rt bootstrap`` grants to the team; listing ``/group/N/members`` would need
AdminGroupMembership, which an agent must not have (it would let them join cs-supervisors).
"""

from __future__ import annotations

from typing import Any

import httpx

from cs_console.policy.roles import TEAM_GROUPS, role_from_groups
from cs_console.sync.backends.base import TeamMember


def group_ids(client: httpx.Client) -> dict[str, int]:
    """The ids of the team groups that exist, by name."""
    found: dict[str, int] = {}
    for name in TEAM_GROUPS.values():
        r = client.post(
            "/groups",
            json=[{"field": "Name", "value": name}, {"field": "Domain", "value": "UserDefined"}],
        )
        r.raise_for_status()
        for item in r.json().get("items") or []:
            found[name] = int(item["id"])
    return found


def fetch_team(
    client: httpx.Client, known_names: dict[str, str] | None = None
) -> list[TeamMember] | None:
    """Every user in a team group, with their role; None when RT has none of the groups.
    A group lists its users by login name; only users not in ``known_names`` (login -> display
    name) are looked up for their display name, so a refresh costs a request per group."""
    ids = group_ids(client)
    if not ids:
        return None
    groups_of: dict[str, set[str]] = {}
    for group, gid in ids.items():
        for member in _user_members(client, gid):
            groups_of.setdefault(member, set()).add(group)
    team = []
    known = known_names or {}
    for user_id, groups in sorted(groups_of.items()):
        role = role_from_groups(groups)
        if role is not None and user_id in known:
            team.append(TeamMember(user_id, known[user_id], role))
            continue
        record = _json(client, f"/user/{user_id}")
        if role is None or not record.get("Name"):
            continue
        team.append(TeamMember(str(record["Name"]), str(record.get("RealName") or ""), role))
    return team


def _user_members(client: httpx.Client, group_id: int) -> set[str]:
    """The users directly in a group, by the id REST2 gives them (their login name)."""
    members = _json(client, f"/group/{group_id}").get("Members") or []
    return {str(m["id"]) for m in members if m.get("type") == "user"}


def _json(client: httpx.Client, path: str) -> dict[str, Any]:
    r = client.get(path)
    r.raise_for_status()
    body = r.json()
    return body if isinstance(body, dict) else {}


def enrol(client: httpx.Client, name: str, role: str, real_name: str = "") -> list[str]:
    """Make RT user ``name`` (created privileged if missing) a member of exactly the team group
    of ``role``; needs an RT administrator's credentials. Returns what changed."""
    ids = group_ids(client)
    wanted = TEAM_GROUPS[role]
    if wanted not in ids:
        raise LookupError(f"RT has no group {wanted}; run `cs-console rt bootstrap` first")
    done: list[str] = []
    r = client.get(f"/user/{name}")
    if r.status_code == 404:
        created = client.post(
            "/user",
            # UTC, like the sync user: the pull cursor compares RT's times as UTC
            json={"Name": name, "RealName": real_name or name, "Privileged": 1, "Timezone": "UTC"},
        )
        created.raise_for_status()
        done.append(f"user {name} created")
        r = client.get(f"/user/{name}")
    r.raise_for_status()
    user_id = int(r.json()["id"])
    for group, gid in ids.items():
        members = _user_members(client, gid)
        member = name in members or str(user_id) in members
        if group == wanted and not member:
            client.put(f"/group/{gid}/members", json=[user_id]).raise_for_status()
            done.append(f"{name} added to {group}")
        elif group != wanted and member:
            client.delete(f"/group/{gid}/member/{user_id}").raise_for_status()
            done.append(f"{name} removed from {group}")
    return done
