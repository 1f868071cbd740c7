"""A team on one RT (issue 15): consoles with their own caches and RT users act on the same
tickets under faults; at the end every op is in RT once, every message is in every cache once,
and every cache agrees with RT."""

from __future__ import annotations

import pytest
from team_sim import close, history_check, make_team, run_team, settle, shared_tickets

pytestmark = pytest.mark.rt


def test_three_consoles_on_shared_tickets_agree_with_rt_and_each_other(
    rt_server, rt_ready, admin, tmp_path
):
    team = make_team(rt_ready["url"], admin, rt_server.make_token, tmp_path, 3, "team-t")
    try:
        remotes = shared_tickets(admin, 3, "团队测试")
        stats = run_team(team, remotes, actions_each=12, seed=5, fault_rate=0.15)

        # two agents change the same ticket's status before either syncs: a real conflict for
        # the second, never a silent overwrite; the others' replies on it merge cleanly
        first, second = team[1], team[2]
        ticket = first.local[remotes[0]]
        now = first.store.ticket(ticket)["status"]
        a, b = [s for s in ("open", "pending", "resolved") if s != now][:2]
        first.desk.set_status(ticket, a)
        second.desk.set_status(second.local[remotes[0]], b)
        second.desk.reply(second.local[remotes[0]], "第二位客服:我来跟进")
        first.round()
        report = second.round()
        assert report.conflicts == 1, second.store.outbox(None)
        settle(team)  # the second console takes RT's version (its change is dropped, kept)

        checked = history_check(team, admin, remotes)
        assert stats["actions"] >= 20 and checked["message_ops_checked"] >= 8, (stats, checked)
        assert checked["dropped_by_agents"] >= 1
        assert (
            first.store.ticket(ticket)["status"]
            == a
            == second.store.ticket(second.local[remotes[0]])["status"]
        )
        # everyone saw everyone: each console holds every RT message of the shared tickets
        assert checked["messages"] >= 3 * len(remotes)
        # roles came from RT: the first console's user is a supervisor everywhere
        for console in team:
            roles = {k: v[1] for k, v in console.store.agents_roles().items()}
            assert roles["team-t00"] == "supervisor" and roles["team-t01"] == "agent"
    finally:
        close(team)
