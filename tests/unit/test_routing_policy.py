"""The routing rule, pure: a ticket's skill group (channel, then tier, then category, then the
default) and who a new ticket goes to (specialists first, least loaded, below the limit)."""

from __future__ import annotations

import pytest

from cs_console.policy.routing import (
    Member,
    Placement,
    RoutingRule,
    at_limit,
    groups_of,
    pick,
    place,
    takes,
)

RULE = RoutingRule()


@pytest.mark.parametrize(
    ("channel", "tier", "category", "expected"),
    [
        ("desk", "diamond", "complaint", Placement("mall", "channel", "desk")),
        ("chat", "diamond", "pre-sale", Placement("vip", "tier", "diamond")),
        ("wechat", "gold", "after-sale", Placement("vip", "tier", "gold")),
        ("chat", "member", "after-sale", Placement("aftersale", "category", "after-sale")),
        ("app", None, "membership", Placement("vip", "category", "membership")),
        ("email", "silver", "general", Placement("presale", "category", "general")),
        ("email", "silver", "unheard-of", Placement("presale", "default")),
    ],
)
def test_placement_follows_channel_then_tier_then_category(channel, tier, category, expected):
    assert place(RULE, channel, tier, category) == expected


def test_a_rule_with_its_own_tables():
    rule = RoutingRule(channels={}, tiers={"diamond": "vip"}, categories={}, default_group="mall")
    assert place(rule, "desk", "gold", "pre-sale") == Placement("mall", "default")
    assert place(rule, "desk", "diamond", "pre-sale") == Placement("vip", "tier", "diamond")


def test_an_unknown_group_or_a_bad_limit_is_refused():
    with pytest.raises(ValueError, match="unknown skill group vvip; one of presale"):
        RoutingRule(tiers={"diamond": "vvip"})
    with pytest.raises(ValueError, match="unknown skill group sales"):
        RoutingRule(agents={"agent01": ("sales",)})
    with pytest.raises(ValueError, match="max_load must be at least 1"):
        RoutingRule(max_load=0)
    with pytest.raises(ValueError, match="assign_pulled must be one of self, any, off"):
        RoutingRule(assign_pulled="all")


def test_agent_groups_come_from_the_config_else_the_team_table():
    rule = RoutingRule(agents={"agent01": ("vip",)})
    assert groups_of(rule, "agent01", ["presale"]) == ("vip",)
    assert groups_of(rule, "agent02", ["aftersale", "bogus"]) == ("aftersale",)
    assert groups_of(rule, "agent03", []) == ()
    assert takes((), "vip") and takes(("presale",), None)
    assert takes(("presale",), "presale") and not takes(("presale",), "vip")


def test_pick_prefers_specialists_then_the_least_loaded_then_the_id():
    team = [
        Member("generalist", "agent", (), 0),
        Member("b-vip", "agent", ("vip",), 3),
        Member("a-vip", "agent", ("vip", "presale"), 3),
        Member("c-vip", "agent", ("vip",), 5),
        Member("presale", "agent", ("presale",), 0),
    ]
    assert pick(RULE, "vip", team) == team[2]  # 3 open, and a < b
    assert pick(RULE, "mall", team) == team[0]  # nobody has mall: the generalist
    assert pick(RULE, "presale", team) == team[4]


def test_pick_skips_full_agents_and_roles_that_get_no_new_tickets():
    rule = RoutingRule(max_load=4)
    team = [
        Member("sup01", "supervisor", ("vip",), 0),
        Member("full", "agent", ("vip",), 4),
        Member("room", "trainee", ("vip",), 3),
    ]
    assert at_limit(rule, 4) and not at_limit(rule, 3)
    assert pick(rule, "vip", team) == team[2]
    assert pick(rule, "vip", team[:2]) is None
    assert pick(RoutingRule(assign_roles=("supervisor",)), "vip", team) == team[0]
