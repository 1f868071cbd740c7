"""Routing against the real RT: a new RT ticket pulled by the console of the agent the rule
picks is claimed once (its Owner reaches RT); another agent's console pulling it leaves it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from test_engine import local_of, remote_ticket

from cs_console.clock import FixedClock
from cs_console.policy.routing import RoutingRule
from cs_console.service.desk import Agent, Desk
from cs_console.service.sync import SyncService
from cs_console.store.db import Store
from cs_console.sync.backends.rt import RTBackend
from cs_console.sync.team import enrol

pytestmark = pytest.mark.rt

PICKED, OTHER = "cs-route-a", "cs-route-b"
# the picked agent is the one pre-sale specialist; everyone else on the team is a generalist
RULE = RoutingRule(agents={PICKED: ("presale",)})


@pytest.fixture(scope="module")
def tokens(rt_server, rt_ready):
    with RTBackend(rt_server.url, user="root", password=rt_server.root_auth[1]) as admin:
        for name in (PICKED, OTHER):
            enrol(admin.client, name, "agent", real_name=name.upper())
    return {name: rt_server.make_token(name, f"{name} console") for name in (PICKED, OTHER)}


def _console(path, clock, agent_id, rt_ready, token):
    store = Store.open(path, clock)
    backend = RTBackend(rt_ready["url"], token=token, timeout=10)
    return (
        store,
        backend,
        SyncService(Desk(store, Agent(agent_id, agent_id), routing=RULE), backend),
    )


def test_a_pulled_ticket_is_claimed_by_the_picked_agents_console_once(
    tmp_path, admin, rt_ready, tokens
):
    clock = FixedClock(datetime.now(UTC))
    other_store, other_backend, other = _console(
        tmp_path / "other.db", clock, OTHER, rt_ready, tokens[OTHER]
    )
    mine_store, mine_backend, mine = _console(
        tmp_path / "mine.db", clock, PICKED, rt_ready, tokens[PICKED]
    )
    try:
        for console in (other, mine):  # each console reads the team from RT first
            assert not console.round().report.errors
        rid = remote_ticket(admin, "路由:粉底色号", body="请问粉底液哪个色号适合黄皮?")
        assert not other.round().report.errors  # pulls it: not OTHER's to claim
        seen_by_other = local_of(other_store, rid)
        assert (seen_by_other["skill_group"], seen_by_other["assignee"]) == ("presale", None)
        assert other_store.ops_of_ticket(seen_by_other["id"]) == []

        # no pause: a change in the second of OTHER's last read is still read (engine.settled)
        first = mine.round()  # pulls the ticket and claims it for PICKED
        assert not first.report.errors, first.report.errors
        claimed = local_of(mine_store, rid)
        assert (claimed["skill_group"], claimed["assignee"]) == ("presale", PICKED)
        [op] = [o for o in mine_store.ops_of_ticket(claimed["id"]) if o["kind"] == "assign"]
        assert not mine.round().report.errors  # the next round pushes the claim
        assert mine_store.op(op["seq"])["state"] == "done"
        fields, _ = admin.get_ticket(rid)
        assert fields["Owner"]["id"] == PICKED

        clock.advance(seconds=5)
        assert not other.round().report.errors  # OTHER's cache learns the owner from RT
        assert local_of(other_store, rid)["assignee"] == PICKED
        assert other_store.ops_of_ticket(seen_by_other["id"]) == []
        assert mine.round().report.errors == []
        assert [o["kind"] for o in mine_store.ops_of_ticket(claimed["id"])] == ["assign"]
    finally:
        for store, backend in ((other_store, other_backend), (mine_store, mine_backend)):
            backend.close()
            store.close()
