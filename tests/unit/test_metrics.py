"""Service metrics on small hand-built caches: each figure exact (policy.metrics, store.metrics,
service.metrics)."""

from __future__ import annotations

from datetime import time

import pytest
from metrics_fixture import add_team, at, figures, metrics, ticket

from cs_console.clock import parse_iso
from cs_console.policy import metrics as rules
from cs_console.policy.numbers import number
from cs_console.policy.sla import BusinessHours, SlaConfig
from cs_console.service.metrics import DISTRIBUTIONS, PeriodError, parse_period
from cs_console.store.db import Store

DAY = "2026-11-20T02:00:00Z"  # 10:00 in Shanghai, inside the November period


@pytest.fixture
def team(store: Store) -> Store:
    add_team(store)
    return store


def value(figs: dict, name: str):
    return figs[name]["value"]


def test_first_response_median_p90_and_attainment_per_channel(team: Store) -> None:
    ticket(team, DAY, replied=at(DAY, seconds=15), status="resolved", resolved=at(DAY, hours=1))
    ticket(team, DAY, replied=at(DAY, seconds=30), status="resolved", resolved=at(DAY, hours=1))
    ticket(team, DAY, channel="email", replied=at(DAY, seconds=3600))
    now = "2026-11-23T08:00:00Z"
    ticket(team, at(now, seconds=-60))  # unanswered chat, 60 s old: already late
    ticket(team, at(now, seconds=-5))  # unanswered chat, 5 s old: not counted yet
    figs = figures(metrics(team))
    assert value(figs, "first_response_median") == 30
    assert value(figs, "first_response_p90") == 3600
    attainment = figs["first_response_attainment"]
    assert (attainment["count"], attainment["of"], attainment["value"]) == (2, 4, 50.0)
    assert attainment["state"] == rules.RED
    chat = figures(metrics(team), by="channel")["chat"]
    assert value(chat, "first_response_median") == 15
    assert chat["first_response_median"]["target"] == 20
    assert chat["first_response_median"]["state"] == rules.GREEN
    assert chat["first_response_p90"]["state"] == rules.AMBER  # 30 s: within 50 % over 20 s
    assert figures(metrics(team), by="channel")["email"]["first_response_median"]["target"] == 14400


def test_paused_time_is_taken_off_resolution(team: Store) -> None:
    # priority normal: 72 h. Both took 80 h; the first waited 10 h on the customer.
    ticket(
        team,
        DAY,
        replied=at(DAY, seconds=10),
        status="resolved",
        resolved=at(DAY, hours=80),
        paused_seconds=36000,
    )
    ticket(team, DAY, replied=at(DAY, seconds=10), status="resolved", resolved=at(DAY, hours=80))
    figs = figures(metrics(team))
    sla = figs["sla_attainment"]
    assert (sla["count"], sla["of"], sla["value"]) == (1, 2, 50.0)
    assert value(figs, "resolution_median") == 70 * 3600
    assert value(figs, "resolution_p90") == 80 * 3600
    assert value(figs, "closure_rate") == 100.0


def test_open_ticket_past_its_resolution_target_counts_as_missed(team: Store) -> None:
    ticket(team, "2026-11-18T08:00:00Z", replied="2026-11-18T08:00:10Z")  # 5 days open, 72 h
    ticket(team, "2026-11-22T08:00:00Z", replied="2026-11-22T08:00:10Z")  # 1 day: not yet due
    figs = figures(metrics(team))
    assert (figs["sla_attainment"]["count"], figs["sla_attainment"]["of"]) == (0, 1)
    assert value(figs, "backlog") == 2
    assert value(figs, "backlog_age_max") == 5 * 86400
    assert value(figs, "backlog_age_median") == 86400
    assert value(figs, "closure_rate") == 0.0


def test_reopens_counted_by_status_change_and_fcr(team: Store) -> None:
    once = ticket(
        team, DAY, replied=at(DAY, seconds=10), status="resolved", resolved=at(DAY, hours=2)
    )
    two_replies = ticket(
        team,
        DAY,
        replied=at(DAY, seconds=10),
        replies=2,
        status="resolved",
        resolved=at(DAY, hours=2),
    )
    reopened = ticket(
        team, DAY, replied=at(DAY, seconds=10), status="resolved", resolved=at(DAY, hours=2)
    )
    with team.transaction():
        team.update_ticket(reopened, {"status": "open", "resolved_at": None})
        team.update_ticket(reopened, {"status": "resolved", "resolved_at": at(DAY, hours=5)})
        team.insert_message(once, "note", "agent01", "internal", None, DAY)  # notes do not count
    assert team.ticket(reopened)["reopens"] == 1
    assert team.ticket(two_replies)["agent_replies"] == 2
    assert team.ticket(once)["agent_replies"] == 1
    figs = figures(metrics(team))
    assert (figs["fcr"]["count"], figs["fcr"]["of"]) == (1, 3)
    assert (figs["reopen_rate"]["count"], figs["reopen_rate"]["of"]) == (1, 3)
    assert figs["fcr"]["state"] == rules.RED
    m = metrics(team)
    assert m.ticket_ids(m.period("2026-11-01", "2026-11-30"), "fcr") == [two_replies, reopened]
    assert m.ticket_ids(m.period("2026-11-01", "2026-11-30"), "reopen_rate") == [reopened]


def test_business_hours_count_only_inside_them(team: Store) -> None:
    # 21:59:50 in Shanghai, answered at 09:00:05 the next morning: 15 s of business time.
    created = "2026-11-20T13:59:50Z"
    ticket(team, created, replied="2026-11-21T01:00:05Z")
    hours = SlaConfig(business_hours=BusinessHours(time(9), time(22), "Asia/Shanghai"))
    assert value(figures(metrics(team, sla=hours)), "first_response_median") == 15
    assert value(figures(metrics(team, sla=hours)), "first_response_attainment") == 100.0
    assert value(figures(metrics(team)), "first_response_median") == 11 * 3600 + 15
    assert value(figures(metrics(team)), "first_response_attainment") == 0.0


def test_hours_and_days_are_local_and_the_period_bounds_are_local_midnights(team: Store) -> None:
    ticket(team, "2026-11-22T15:59:59Z")  # 23:59:59 on the 22nd in Shanghai
    ticket(team, "2026-11-22T16:00:00Z")  # 00:00 on the 23rd
    ticket(team, "2026-11-23T01:30:00Z")  # 09:30 on the 23rd
    by_hour = figures(metrics(team), "2026-11-23", "2026-11-23", by="hour")
    assert {hour: value(f, "tickets") for hour, f in by_hour.items()} == {0: 1, 9: 1, 23: 0}
    assert value(by_hour[23], "backlog") == 1  # still open: the backlog counts it by its hour
    by_day = figures(metrics(team), "2026-11-22", "2026-11-23", by="day")
    assert {day: value(f, "tickets") for day, f in by_day.items()} == {
        "2026-11-22": 1,
        "2026-11-23": 2,
    }


def test_parse_period_reads_dates_in_the_zone_and_refuses_nonsense() -> None:
    now = parse_iso("2026-11-23T08:00:00Z")
    period = parse_period("2026-11-01", "2026-11-30", now)
    assert period.as_json() == {
        "from": "2026-10-31T16:00:00Z",
        "to": "2026-11-30T16:00:00Z",
        "zone": "Asia/Shanghai",
    }
    assert period.label() == "2026-11-01 .. 2026-11-30"
    today = parse_period(None, None, now, "Europe/London")
    assert today.as_json()["from"] == "2026-11-23T00:00:00Z"
    assert parse_period("2026-11-23T10:00Z", "2026-11-23T11:00Z", now).label() == (
        "2026-11-23 18:00 .. 2026-11-23 19:00"
    )
    with pytest.raises(PeriodError, match="not a date"):
        parse_period("2026-13-01", None, now)
    with pytest.raises(PeriodError, match="empty"):
        parse_period("2026-11-30", "2026-11-01", now)


def test_an_empty_period_gives_no_data_not_an_error(team: Store) -> None:
    ticket(team, DAY)
    m = metrics(team)
    report = m.report(m.period("2025-01-01", "2025-01-31"), "channel")
    figs = report.total.figures
    assert value(figs, "tickets") == 0
    assert report.rows == []
    assert figs["fcr"] == {
        "value": None,
        "target": 89.0,
        "state": rules.NO_DATA,
        "unit": rules.PERCENT,
        "count": 0,
        "of": 0,
    }
    assert figs["first_response_median"]["state"] == rules.NO_DATA


def test_returns_complaints_escalations_and_repeat_complaints(team: Store) -> None:
    ticket(
        team,
        DAY,
        topic="return-unopened",
        status="resolved",
        replied=at(DAY, seconds=5),
        resolved=at(DAY, hours=47),
    )
    ticket(
        team,
        DAY,
        topic="return-unopened",
        status="resolved",
        replied=at(DAY, seconds=5),
        resolved=at(DAY, hours=49),
    )
    ticket(
        team,
        DAY,
        category="complaint",
        priority=2,
        status="resolved",
        replied=at(DAY, seconds=5),
        resolved=at(DAY, hours=23),
        escalated=1,
    )
    ticket(team, DAY, category="complaint", priority=3, customer="C2")  # normal: not high
    ticket(team, "2026-10-15T02:00:00Z", category="complaint", customer="C3")  # before period
    repeat = ticket(team, "2026-11-05T02:00:00Z", category="complaint", customer="C3")
    ticket(team, "2026-09-01T02:00:00Z", category="complaint", customer="C2")  # > 30 days
    figs = figures(metrics(team))
    assert (figs["returns_within_target"]["count"], figs["returns_within_target"]["of"]) == (1, 2)
    assert value(figs, "complaints_within_target") == 100.0
    assert (figs["escalation_rate"]["count"], figs["escalation_rate"]["of"]) == (1, 5)
    rep = figs["repeat_complaint_rate"]
    assert (rep["count"], rep["of"]) == (1, 3)
    m = metrics(team)
    assert m.ticket_ids(m.period("2026-11-01", "2026-11-30"), "repeat_complaint_rate") == [repeat]


def test_csat_and_follow_ups_from_callbacks(team: Store) -> None:
    rows = [
        ("after_resolution", "2026-11-21T00:00:00Z", "2026-11-21T01:00:00Z", 5),
        ("after_resolution", "2026-11-21T00:00:00Z", "2026-11-21T01:00:00Z", 4),
        ("after_resolution", "2026-11-21T00:00:00Z", "2026-11-21T01:00:00Z", 2),
        ("after_resolution", "2026-11-21T00:00:00Z", "2026-11-21T01:00:00Z", None),
        ("first_purchase_usage", "2026-11-23T06:00:00Z", None, None),  # due 2 h ago
        ("after_resolution", "2026-11-22T02:00:00Z", None, None),  # due 30 h ago: overdue
        ("after_resolution", "2026-11-25T00:00:00Z", None, None),  # not yet due
    ]
    for kind, due, done, score in rows:
        resolved = ticket(
            team, DAY, status="resolved", replied=at(DAY, seconds=5), resolved=at(DAY, hours=1)
        )
        with team.transaction():
            team.conn.execute(
                "INSERT INTO followups (ticket_id, customer_id, kind, due_at, done_at, "
                "satisfaction) VALUES (?, 'C1', ?, ?, ?, ?)",
                (resolved, kind, due, done, score),
            )
    figs = figures(metrics(team))
    assert (figs["csat"]["count"], figs["csat"]["of"]) == (2, 3)
    assert figs["csat"]["value"] == 66.67
    assert figs["csat"]["state"] == rules.RED
    assert (figs["csat_response_rate"]["count"], figs["csat_response_rate"]["of"]) == (3, 4)
    assert value(figs, "followups_due") == 2
    assert value(figs, "followups_overdue") == 1


def test_allergy_cases_by_batch_repeated_first(team: Store) -> None:
    t1 = ticket(team, DAY)
    with team.transaction():
        for sku, batch, customer in (
            ("SR-003", "B1", "C1"),
            ("SR-003", "B1", "C2"),
            ("MO-007", "B9", "C3"),
        ):
            team.conn.execute(
                "INSERT INTO allergy_cases (ticket_id, customer_id, sku, batch_no, symptoms, "
                "reported_at) VALUES (?, ?, ?, ?, '红肿', ?)",
                (t1, customer, sku, batch, DAY),
            )
    m = metrics(team)
    batches = m.report(m.period("2026-11-01", "2026-11-30")).allergy
    assert [(b["sku"], b["batch_no"], b["cases"], b["customers"]) for b in batches] == [
        ("SR-003", "B1", 2, 2),
        ("MO-007", "B9", 1, 1),
    ]
    assert batches[0]["ticket_ids"] == [t1]
    for agent, seen in (("agent01", batches), ("agent02", [])):  # the cases of their tickets
        own = metrics(team, agent)
        assert own.report(own.period("2026-11-01", "2026-11-30")).allergy == seen


def test_agents_see_only_their_own_tickets(team: Store) -> None:
    ticket(team, DAY, assignee="agent01")
    ticket(team, DAY, assignee="agent02")
    ticket(team, DAY, assignee=None)
    assert value(figures(metrics(team, "agent01")), "tickets") == 1
    assert value(figures(metrics(team, "sup01")), "tickets") == 3
    by_agent = figures(metrics(team, "sup01"), by="agent")
    assert {k: value(f, "tickets") for k, f in by_agent.items()} == {
        "agent01": 1,
        "agent02": 1,
        None: 1,
    }
    assert list(figures(metrics(team, "agent02"), by="agent")) == ["agent02"]


def test_each_breakdown_groups_its_own_column(team: Store) -> None:
    ticket(team, DAY, channel="chat", category="pre-sale", skill_group="presale")
    ticket(team, DAY, channel="wechat", category="after-sale", skill_group="aftersale")
    ticket(team, DAY, channel="wechat", category="after-sale", skill_group="aftersale")
    m = metrics(team)
    for by, expected in (
        ("channel", {"chat": 1, "wechat": 2}),
        ("category", {"pre-sale": 1, "after-sale": 2}),
        ("skill", {"presale": 1, "aftersale": 2}),
    ):
        assert {k: value(f, "tickets") for k, f in figures(m, by=by).items()} == expected


def test_state_rule_green_amber_red() -> None:
    closure = rules.figure("closure_rate")  # 95 %, amber down to 90 %
    assert rules.state(closure, 95.0) == rules.GREEN
    assert rules.state(closure, 90.0) == rules.AMBER
    assert rules.state(closure, 89.9) == rules.RED
    repeat = rules.figure("repeat_complaint_rate")  # at most 1.2 %, amber to 1.7 %
    assert rules.state(repeat, 1.2) == rules.GREEN
    assert rules.state(repeat, 1.7) == rules.AMBER
    assert rules.state(repeat, 1.8) == rules.RED
    assert rules.state(rules.figure("tickets"), 10) == rules.NO_TARGET
    assert rules.state(closure, None) == rules.NO_DATA
    assert rules.figure("csat").target == 96.5
    assert rules.figure("fcr").target == 89.0
    with pytest.raises(KeyError, match="unknown figure"):
        rules.figure("happiness")


def test_targets_come_from_the_policy_numbers_the_sla_uses() -> None:
    sla = SlaConfig()
    assert sla.first_response["chat"] == number("first_response_chat_seconds") == 20
    assert sla.first_response["wechat"] == number("first_response_text_seconds") == 90
    assert sla.returns_resolution == number("return_close_hours") * 3600
    assert sla.high_priority_complaint == number("high_priority_complaint_hours") * 3600


def test_nearest_rank_percentiles() -> None:
    assert rules.nearest_rank([(1, 1), (2, 1), (3, 1), (4, 1)], 0.5) == 2
    assert rules.nearest_rank([(4, 1), (1, 3)], 0.9) == 4
    assert rules.nearest_rank([], 0.5) is None


def test_migration_counts_reopens_already_in_the_audit_log(tmp_path) -> None:
    import sqlite3

    path = tmp_path / "old.db"
    with Store.open(path) as store:
        add_team(store)
        ticket_id = ticket(
            store, DAY, replied=at(DAY, seconds=5), status="resolved", resolved=at(DAY, hours=1)
        )
        metrics(store).desk.set_status(ticket_id, "open")  # audited: resolved -> open
    # back to version 9 (the audit row stays), then migrate again: the counts come back
    conn = sqlite3.connect(path)
    for statement in (
        *(f"DROP TRIGGER metric_rollup_{name}" for name in ("insert", "delete", "update")),
        *(f"DROP TRIGGER metric_followups_{n}" for n in ("insert", "delete", "update", "assignee")),
        *(
            f"DROP TRIGGER metric_repeats_{when}_{what}"
            for when in ("before", "after")
            for what in ("insert", "update", "delete")
        ),
        *(f"DROP TABLE metric_{n}" for n in ("rollup", "hours", "times", "due", "followups")),
        *(
            f"DROP INDEX {name}"
            for name in (
                "tickets_frt_value",
                "tickets_res_value",
                "tickets_complaints_window",
                "allergy_cases_batches",
                "tickets_complaints_created",
                "tickets_paused",
                *(f"tickets_{due}_due" for due in ("frt", "res", "return", "complaint")),
            )
        ),
        "DROP TABLE metric_targets",
        "DELETE FROM migrations WHERE version IN (14, 15)",
        *(f"DROP TRIGGER metric_slots_{name}" for name in ("insert", "delete", "update")),
        "DROP TABLE metric_slots",  # migration 12 reads the counters: it goes first
        "DELETE FROM migrations WHERE version = 12",
        "DROP TRIGGER tickets_count_reopens",
        "DROP TRIGGER tickets_count_replies",
        "DROP INDEX tickets_metrics",
        "DROP INDEX tickets_backlog",
        "DROP INDEX tickets_complaints",
        "DROP INDEX allergy_cases_reported",
        "ALTER TABLE tickets DROP COLUMN agent_replies",
        "ALTER TABLE tickets DROP COLUMN reopens",
        "DELETE FROM migrations WHERE version = 10",
    ):
        conn.execute(statement)
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        row = store.ticket(ticket_id)
        assert (row["reopens"], row["agent_replies"]) == (1, 1)


def test_dashboard_tiles_series_agents_and_drill_down(team: Store) -> None:
    late = ticket(team, DAY, replied=at(DAY, seconds=45), assignee="agent02")
    ticket(team, at(DAY, hours=3), replied=at(DAY, hours=3, seconds=5), assignee="agent01")
    m = metrics(team)
    period = m.period("2026-11-01", "2026-11-30")
    board = m.dashboard(period)
    assert board["tiles"] == m.report(period).total.figures
    assert board["tiles"]["first_response_attainment"]["value"] == 50.0
    assert [(row.group, row.figures["tickets"]["value"]) for row in board["by_agent"]] == [
        ("agent01", 1),
        ("agent02", 1),
    ]
    assert [row.group for row in board["by_hour"]] == [10, 13]
    assert [row.group for row in board["by_day"]] == ["2026-11-20"]
    assert [band["tickets"] for band in board["backlog_age_bands"]] == [0, 0, 0, 0, 2]  # > 3 d
    assert m.ticket_ids(period, "first_response_attainment") == [late]
    assert m.ticket_ids(period, "tickets", "agent", "agent01") == [late + 1]
    assert m.ticket_ids(period, "backlog", "hour", 13) == [late + 1]


def test_only_supervisors_see_the_team() -> None:
    assert rules.sees_team_figures("supervisor")
    assert not rules.sees_team_figures("agent")
    assert not rules.sees_team_figures("trainee")
    with pytest.raises(ValueError, match="unknown role"):
        rules.sees_team_figures("boss")


def test_a_report_leaves_no_temporary_table_and_snapshots_do_not_mix(team: Store) -> None:
    ticket(team, DAY)
    m = metrics(team)
    november = m.scope(m.period("2026-11-01", "2026-11-30"))
    m.report(m.period("2026-11-01", "2026-11-30"), "agent")
    assert team.scalar("SELECT count(*) FROM temp.sqlite_master WHERE name = 'metric_facts'") == 0
    with team.metric_snapshot(november):
        assert team.metric_counts(november, "all")["all"]["tickets"] == 1
        october = m.scope(m.period("2026-10-01", "2026-10-31"))
        with (
            pytest.raises(RuntimeError, match="another metrics snapshot"),
            team.metric_snapshot(october),
        ):
            pass


def test_dashboard_series_in_one_pass_equal_each_breakdown_alone(team: Store) -> None:
    ticket(team, DAY, replied=at(DAY, seconds=45), assignee="agent02", category="complaint")
    ticket(
        team,
        at(DAY, hours=3),
        replied=at(DAY, hours=3, seconds=5),
        status="resolved",
        resolved=at(DAY, hours=5),
        customer="C2",
    )
    ticket(team, "2026-11-21T12:00:00Z", assignee=None, channel="wechat")
    with team.transaction():
        team.conn.execute(
            "INSERT INTO followups (ticket_id, customer_id, kind, due_at, done_at, satisfaction) "
            "VALUES (2, 'C2', 'after_resolution', '2026-11-21T00:00:00Z', "
            "'2026-11-21T03:00:00Z', 5), (1, 'C1', 'after_resolution', '2026-11-22T00:00:00Z', "
            "NULL, NULL)"
        )
    m = metrics(team)
    period = m.period("2026-11-01", "2026-11-30")
    board = m.dashboard(period)
    for by, rows in (("agent", "by_agent"), ("hour", "by_hour"), ("day", "by_day")):
        alone = [
            (r.group, {k: v for k, v in r.figures.items() if k not in DISTRIBUTIONS})
            for r in m.report(period, by).rows
        ]
        assert [(r.group, r.figures) for r in board[rows]] == alone  # the series: no medians
    assert set(board["tiles"]) == {fig.name for fig in rules.FIGURES}
    assert board["tiles"]["csat"]["value"] == 100.0
    assert board["tiles"]["followups_overdue"]["value"] == 1
