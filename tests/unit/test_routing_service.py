"""Routing applied: take-next by skill group and load, new tickets (made here or pulled from RT)
placed in their group and given to the least loaded agent who takes it; assignments are audited
assign ops like manual ones; the [routing] config and `cs-console routing`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cs_console import i18n
from cs_console.cli.root import main
from cs_console.clock import FixedClock
from cs_console.config import ConfigError, _build
from cs_console.policy.routing import RoutingRule
from cs_console.service.desk import Agent, Desk, DeskError
from cs_console.service.inbound import Inbound
from cs_console.service.routing import Routing
from cs_console.store.db import Store
from cs_console.sync.backends.base import RemoteTicket

NOW = "2026-11-23T08:00:00Z"
TEAM = [
    ("agent01", "小林", "agent", ["presale"]),
    ("agent02", "阿May", "agent", ["vip", "aftersale"]),
    ("agent03", "周周", "agent", ["mall"]),
    ("trainee01", "小陈", "trainee", ["presale"]),
    ("sup01", "王主管", "supervisor", []),
]
#: nobody is given new tickets on arrival: for take-next tests the tickets wait unassigned
WAITING = RoutingRule(assign_roles=())


@pytest.fixture(autouse=True)
def _english():
    i18n.set_language("en")
    yield
    i18n.set_language("zh-Hans")


@pytest.fixture
def clock():
    return FixedClock(NOW)


@pytest.fixture
def store(tmp_path, clock):
    with Store.open(tmp_path / "cache.db", clock) as store:
        with store.transaction() as conn:
            conn.executemany(
                "INSERT INTO agents (id, name, role, skill_groups) VALUES (?, ?, ?, ?)",
                [(a, n, r, json.dumps(g)) for a, n, r, g in TEAM],
            )
            for customer_id, tier in (("C1", "member"), ("C2", "diamond")):
                store.insert_customer(
                    {
                        "id": customer_id,
                        "name": customer_id,
                        "tier": tier,
                        "email": f"{customer_id.lower()}@example.com",
                        "created_at": NOW,
                        "updated_at": NOW,
                    }
                )
        yield store


def desk_of(store, agent_id="agent01", rule=None):
    record = store.agent(agent_id)
    return Desk(store, Agent(agent_id, record["name"], record["role"]), routing=rule)


def new_ticket(desk, category="pre-sale", channel="chat", customer="C1", clock=None):
    ticket_id = desk.create_ticket(customer, f"{category} {channel}", "请问一下", channel, category)
    if clock is not None:
        clock.advance(minutes=1)
    return ticket_id


def test_take_next_gives_the_most_urgent_ticket_of_the_agents_groups(store, clock):
    maker = desk_of(store, "sup01", WAITING)
    mall = new_ticket(maker, "mall", "desk", clock=clock)  # the most urgent overall
    presale = new_ticket(maker, "pre-sale", clock=clock)
    later = new_ticket(maker, "pre-sale", clock=clock)
    agent = desk_of(store, "agent01", WAITING)

    assert agent.take_next() == presale
    ticket = store.ticket(presale)
    assert (ticket["assignee"], ticket["skill_group"]) == ("agent01", "presale")
    audit = store.audit(presale)[0]
    assert (audit["action"], audit["actor"]) == ("take_next", "agent01")
    assert audit["detail"] == {
        "assignee": "agent01",
        "skill_group": "presale",
        "load": 0,
        "overflow": False,
    }
    op = store.ops_of_ticket(presale)[-1]
    assert (op["kind"], json.loads(op["payload"])["assignee"]) == ("assign", "agent01")
    assert agent.take_next() == later
    # nothing of theirs waits: overflow hands them the mall ticket, and says so
    assert agent.take_next() == mall
    assert store.audit(mall)[0]["detail"]["overflow"] is True
    assert agent.take_next() is None


def test_without_overflow_an_agent_only_takes_their_groups(store, clock):
    maker = desk_of(store, "sup01", WAITING)
    mall = new_ticket(maker, "mall", "desk", clock=clock)
    strict = RoutingRule(assign_roles=(), overflow=False)
    assert desk_of(store, "agent01", strict).take_next() is None
    assert desk_of(store, "agent03", strict).take_next() == mall


def test_a_generalist_and_an_unrouted_ticket_match_anyone(store, clock):
    maker = desk_of(store, "sup01", WAITING)
    vip = new_ticket(maker, "pre-sale", customer="C2", clock=clock)
    assert store.ticket(vip)["skill_group"] == "vip"
    assert desk_of(store, "sup01", WAITING).take_next() == vip  # sup01 has no group: takes any
    legacy = new_ticket(maker, "mall", "desk", clock=clock)
    with store.transaction() as conn:  # a ticket from before routing: no group yet
        conn.execute("UPDATE tickets SET skill_group = NULL WHERE id = ?", (legacy,))
    strict = RoutingRule(assign_roles=(), overflow=False)
    assert desk_of(store, "agent01", strict).take_next() == legacy


def test_take_next_is_refused_at_the_load_limit(store, clock):
    maker = desk_of(store, "sup01", WAITING)
    for _ in range(3):
        new_ticket(maker, clock=clock)
    rule = RoutingRule(assign_roles=(), max_load=2)
    agent = desk_of(store, "agent01", rule)
    assert agent.take_next() is not None and agent.take_next() is not None
    ops_before = len(store.outbox())
    with pytest.raises(DeskError) as refused:
        agent.take_next()
    assert refused.value.key == "routing.at_limit"
    assert str(refused.value) == (
        "You already hold 2 open tickets (the limit is 2); finish one before taking another."
    )
    assert len(store.outbox()) == ops_before
    i18n.set_language("zh-Hant")
    assert refused.value.message() == "你手上已有 2 張未結工單（上限 2 張），先處理完一張再接新單。"


def test_a_waiting_ticket_does_not_count_as_load(store, clock):
    maker = desk_of(store, "sup01", WAITING)
    first, second = new_ticket(maker, clock=clock), new_ticket(maker, clock=clock)
    agent = desk_of(store, "agent01", RoutingRule(assign_roles=(), max_load=1))
    assert agent.take_next() == first
    agent.set_status(first, "pending")  # waiting on the customer
    assert agent.take_next() == second


def test_a_ticket_made_here_goes_to_the_least_loaded_agent_of_its_group(store, clock):
    maker = desk_of(store, "agent03")
    first = new_ticket(maker, "pre-sale", clock=clock)
    second = new_ticket(maker, "pre-sale", clock=clock)
    third = new_ticket(maker, "pre-sale", clock=clock)
    # agent01 and trainee01 share pre-sale: 0 open each, then agent01 (id) holds one
    assert [store.ticket(t)["assignee"] for t in (first, second, third)] == [
        "agent01",
        "trainee01",
        "agent01",
    ]
    assert [op["kind"] for op in store.ops_of_ticket(first)] == ["create_ticket", "assign"]
    route = next(row for row in store.audit(first) if row["action"] == "route")
    assert route["actor"] == "system"
    assert route["detail"] == {
        "skill_group": "presale",
        "by": "category",
        "value": "pre-sale",
        "assignee": "agent01",
    }
    vip = new_ticket(maker, "after-sale", customer="C2", clock=clock)
    assert (store.ticket(vip)["skill_group"], store.ticket(vip)["assignee"]) == ("vip", "agent02")
    desk = new_ticket(maker, "pre-sale", channel="desk", customer="C2", clock=clock)
    assert (store.ticket(desk)["skill_group"], store.ticket(desk)["assignee"]) == (
        "mall",
        "agent03",
    )


def test_a_new_ticket_nobody_can_take_waits_in_its_group(store, clock):
    maker = desk_of(store, "agent01", RoutingRule(max_load=1))
    assert store.ticket(new_ticket(maker, "mall", "desk"))["assignee"] == "agent03"
    waiting = new_ticket(maker, "mall", "desk")  # agent03 is full; sup01 gets no new tickets
    ticket = store.ticket(waiting)
    assert (ticket["assignee"], ticket["skill_group"]) == (None, "mall")
    assert [op["kind"] for op in store.ops_of_ticket(waiting)] == ["create_ticket"]
    assert next(r for r in store.audit(waiting) if r["action"] == "route")["detail"] == {
        "skill_group": "mall",
        "by": "channel",
        "value": "desk",
    }


def _pulled(remote_id, status="open", owner="Nobody", who="c2@example.com"):
    return RemoteTicket(
        remote_id=str(remote_id),
        subject="pulled",
        status=status,
        queue="Customer Service",
        owner=owner,
        requestors=(who,),
        priority=50,
        created=NOW,
        last_updated=NOW,
    )


def _pull(store, agent_id, remote, rule=None):
    desk = desk_of(store, agent_id, rule)
    with store.transaction():  # the engine's pull transaction
        Inbound(desk).remote_ticket(remote, None)
    return store.ticket_by_remote(int(remote.remote_id))


def test_a_pulled_ticket_is_claimed_only_by_the_console_of_the_agent_it_goes_to(store):
    # the diamond customer's ticket is VIP: agent02's; agent01's console leaves it
    elsewhere = _pull(store, "agent01", _pulled(501))
    assert (elsewhere["skill_group"], elsewhere["assignee"]) == ("vip", None)
    assert store.ops_of_ticket(elsewhere["id"]) == []
    mine = _pull(store, "agent02", _pulled(502))
    assert (mine["skill_group"], mine["assignee"]) == ("vip", "agent02")
    assert [op["kind"] for op in store.ops_of_ticket(mine["id"])] == ["assign"]


def test_pulled_tickets_with_any_off_an_owner_or_closed(store):
    anyone = RoutingRule(assign_pulled="any")
    assert _pull(store, "agent01", _pulled(601), anyone)["assignee"] == "agent02"
    off = RoutingRule(assign_pulled="off")
    assert _pull(store, "agent02", _pulled(602), off)["assignee"] is None
    owned = _pull(store, "agent02", _pulled(603, owner="agent03"))
    assert owned["assignee"] == "agent03" and store.ops_of_ticket(owned["id"]) == []
    resolved = _pull(store, "agent02", _pulled(604, status="resolved"))
    assert resolved["assignee"] is None and resolved["skill_group"] == "vip"
    unknown = _pull(store, "agent01", _pulled(605, who="new@example.com"))
    assert (unknown["skill_group"], unknown["assignee"]) == ("presale", "agent01")


def test_routing_config_reads_and_refuses_by_key():
    rule = _build(
        {
            "routing": {
                "max_load": 5,
                "overflow": False,
                "assign_roles": ["agent"],
                "assign_pulled": "any",
                "default_group": "aftersale",
                "tiers": {"diamond": "vip"},
                "agents": {"agent01": ["vip", "mall"]},
            }
        },
        {},
        None,
    ).routing
    assert (rule.max_load, rule.overflow, rule.assign_roles, rule.assign_pulled) == (
        5,
        False,
        ("agent",),
        "any",
    )
    assert dict(rule.tiers) == {"diamond": "vip"}  # a table given replaces the default one
    assert dict(rule.channels) == {"desk": "mall"}  # the others keep theirs
    assert dict(rule.agents) == {"agent01": ("vip", "mall")}
    bad = [
        ({"tiers": {"gold": "vvip"}}, "routing.tiers.gold must be one of presale"),
        ({"channels": {"fax": "mall"}}, "routing.channels.fax: unknown; one of chat"),
        ({"categories": {"misc": "mall"}}, "routing.categories.misc: unknown"),
        ({"agents": {"agent01": "vip"}}, "routing.agents.agent01 must be a list of skill groups"),
        ({"assign_roles": ["boss"]}, "routing.assign_roles must be a list of trainee"),
        ({"assign_pulled": "all"}, "routing.assign_pulled must be one of self, any, off"),
        ({"max_load": 0}, "routing.max_load must be a positive whole number"),
        ({"overflow": "yes"}, "routing.overflow must be true or false"),
        ({"max_lod": 3}, r"unknown key 'max_lod' in \[routing\].*'max_load'"),
    ]
    for table, message in bad:
        with pytest.raises(ConfigError, match=message):
            _build({"routing": table}, {}, None)


def test_the_team_with_groups_and_loads(store, clock):
    maker = desk_of(store, "agent03", RoutingRule(agents={"sup01": ("vip",)}))
    new_ticket(maker, "pre-sale", customer="C2", clock=clock)  # vip: agent02
    team = {m.member.id: m for m in Routing(maker).team()}
    assert team["agent02"].member.load == 1 and team["agent01"].member.load == 0
    assert (team["sup01"].member.groups, team["sup01"].groups_from) == (("vip",), "config")
    assert team["agent01"].groups_from == "team"


def test_cli_routing_prints_the_rule_and_each_agent(store, tmp_path, clock, monkeypatch):
    maker = desk_of(store, "agent03")
    new_ticket(maker, "pre-sale", customer="C2", clock=clock)
    monkeypatch.setenv("CS_CONSOLE_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("[routing]\nmax_load = 1\n", encoding="utf-8")
    runner = CliRunner()
    shown = runner.invoke(main, ["--db", store.path, "--lang", "en", "routing", "--json"])
    assert shown.exit_code == 0, shown.output
    described = json.loads(shown.output)
    assert described["rule"]["max_load"] == 1
    assert described["rule"]["order"] == ["channel", "tier", "category", "default"]
    assert described["agents"][1] == {
        "id": "agent02",
        "name": "阿May",
        "role": "agent",
        "groups": ["vip", "aftersale"],
        "groups_from": "team",
        "open": 1,
        "max_load": 1,
        "at_limit": True,
        "gets_new_tickets": True,
    }
    text = runner.invoke(main, ["--db", store.path, "--lang", "en", "routing"])
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert lines[0].startswith("Routing rule (checked in order")
    assert "  channel: desk → mall desk" in lines
    assert "  tier: gold → VIP, diamond → VIP" in lines
    assert "  agent02  阿May  agent  groups: VIP, after-sale  open 1/1, at the limit" in lines
    assert "  sup01  王主管  supervisor  groups: all (no group set)  open 0/1" in lines


def test_a_requestor_is_the_customer_on_file_whatever_the_case_of_the_address(store):
    pulled = _pull(store, "agent02", _pulled(701, who="C2@Example.COM"))
    assert pulled["customer_id"] == "C2"  # the diamond customer's profile, so VIP
    assert pulled["skill_group"] == "vip"
    # an address on file nowhere makes one customer, found again in any case
    first = _pull(store, "agent01", _pulled(702, who="new.buyer@example.com"))
    again = _pull(store, "agent01", _pulled(703, who="New.Buyer@EXAMPLE.com"))
    assert first["customer_id"] == again["customer_id"] == "rt:new.buyer@example.com"
    assert store.scalar("SELECT count(*) FROM customers WHERE id LIKE 'rt:%'") == 1
