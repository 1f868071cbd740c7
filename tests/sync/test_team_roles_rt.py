"""Roles come from RT (issue 10, item 4): the team groups fill the agents table, and a supervisor
action made from a cache that lies about a role is refused by RT's own rights when pushed."""

from __future__ import annotations

import random
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cs_console.clock import FixedClock
from cs_console.service.desk import Agent, Desk, DeskError
from cs_console.service.returns import Returns
from cs_console.service.session import UnknownAgent, sign_in
from cs_console.service.sync import SyncService
from cs_console.store.db import Store
from cs_console.sync.backends.base import NewTicket
from cs_console.sync.backends.rt import RTBackend
from cs_console.sync.team import enrol

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from returns_fixture import build  # noqa: E402

pytestmark = pytest.mark.rt

SUP, AGENT, TRAINEE = "cs-sup-a", "cs-agent-a", "cs-trainee-a"


@pytest.fixture(scope="module")
def team(rt_server, rt_ready):
    """Three RT users on the team, each with their own token (one RT user per agent)."""
    with RTBackend(rt_server.url, user="root", password=rt_server.root_auth[1]) as admin:
        for name, role in ((SUP, "supervisor"), (AGENT, "agent"), (TRAINEE, "trainee")):
            enrol(admin.client, name, role, real_name=name.upper())
    return {name: rt_server.make_token(name, f"{name} console") for name in (SUP, AGENT, TRAINEE)}


def service_for(store: Store, url: str, token: str, who: str) -> SyncService:
    return SyncService(Desk(store, Agent(who, who)), RTBackend(url, token=token))


def test_the_team_and_its_roles_come_from_rt_groups(team, rt_ready, rt_server, store):
    with pytest.raises(UnknownAgent, match=AGENT):
        sign_in(store, AGENT)
    service = service_for(store, rt_ready["url"], team[AGENT], AGENT)
    change = service.refresh_team()
    assert change is not None
    roles = {k: v[1] for k, v in store.agents_roles().items()}
    assert roles[SUP] == "supervisor" and roles[AGENT] == "agent" and roles[TRAINEE] == "trainee"
    assert sign_in(store, AGENT).role == "agent" and sign_in(store, AGENT).name == AGENT.upper()

    with RTBackend(rt_server.url, user="root", password=rt_server.root_auth[1]) as admin:
        assert enrol(admin.client, AGENT, "supervisor") == [
            f"{AGENT} added to cs-supervisors",
            f"{AGENT} removed from cs-agents",
        ]
        try:
            change = service.refresh_team()
            assert change is not None and change.changed == [f"{AGENT}: agent -> supervisor"]
            assert sign_in(store, AGENT).role == "supervisor"
            audit = store.one(
                "SELECT * FROM audit_log WHERE action = 'team_from_rt' ORDER BY id DESC"
            )
            assert audit is not None and "agent -> supervisor" in audit["detail"]
        finally:
            enrol(admin.client, AGENT, "agent")
    assert service.refresh_team() is not None
    assert sign_in(store, AGENT).role == "agent"
    service.engine.backend.close()  # type: ignore[union-attr]


def test_an_approval_from_a_cache_that_lies_about_the_role_is_refused_by_rt(
    team, rt_ready, rt_server, tmp_path
):
    clock = FixedClock(datetime.now(UTC).replace(microsecond=0))
    with (
        Store.open(tmp_path / "c.db", clock) as store,
        RTBackend(rt_server.url, user="root", password=rt_server.root_auth[1]) as admin,
    ):
        tickets = build(store)
        local = tickets["big"]  # over a trainee's limit: waits for a supervisor
        rt_id = admin.create_ticket(
            NewTicket(
                op_id=str(uuid.uuid4()),
                queue="Customer Service",
                subject="想全部退掉",
                content="没拆封",
            )
        )
        with store.transaction() as conn:
            conn.execute(
                "UPDATE tickets SET remote_id = ? WHERE id = ?", (int(rt_id.remote_ref), local)
            )
            # someone edited the cache: the agent is a "supervisor" here, not in RT
            conn.execute(
                "INSERT INTO agents (id, name, role) VALUES (?, ?, 'supervisor')", (AGENT, AGENT)
            )
        filed = Returns(Desk(store, sign_in(store, "trainee01"))).request(
            local, lines=[("FD-100", 2)], reason="unopened"
        )
        assert filed.status == "awaiting_approval"
        Returns(Desk(store, sign_in(store, AGENT))).approve(filed.return_id, "同意")

        service = SyncService(
            Desk(store, Agent(AGENT, AGENT)),
            RTBackend(rt_ready["url"], token=team[AGENT]),
            clock=clock,
            rng=random.Random(0),
        )
        service.engine.sync_once()
        ops = {o["kind"]: o for o in store.outbox(None)}
        assert ops["create_return"]["state"] == "done"  # filing is an agent's right
        decision = ops["approve_return"]
        assert decision["state"] == "rejected", decision
        assert "permission" in (decision["last_error"] or "").lower() or "403" in (
            decision["last_error"] or ""
        )
        row = store.return_row(filed.return_id)
        assert row is not None and row["remote_id"]
        data, _ = admin.get_ticket(str(row["remote_id"]))
        assert data["Status"] == "new"  # RT never saw the approval
        comments = admin.client.get(
            f"/ticket/{row['remote_id']}/history", params={"fields": "Type,Content"}
        ).json()
        assert not any("[approved]" in str(t.get("Content")) for t in comments.get("items", []))

        # the next sync reads the team from RT: the cache's lie is corrected (and the demo
        # team, which RT does not know, is gone), and the console refuses the action itself
        service.refresh_team()
        assert sign_in(store, AGENT).role == "agent"
        with pytest.raises(UnknownAgent):
            sign_in(store, "trainee01")
        with pytest.raises(DeskError, match="only a supervisor"):
            Returns(Desk(store, sign_in(store, AGENT))).decline(filed.return_id, "不同意")
        service.engine.backend.close()  # type: ignore[union-attr]
