"""`cs-console followups` and `cs-console followup done|birthdays`: lists by state, records an
outcome once (one plain line for a second time), reopens on an unhappy callback."""

from __future__ import annotations

import json
from datetime import timedelta

import click
import pytest
from click.testing import CliRunner

from cs_console.cli.root import main
from cs_console.clock import FixedClock, SystemClock
from cs_console.policy.returns import SHOP_TZ
from cs_console.service.desk import Desk
from cs_console.service.session import sign_in
from cs_console.store.db import Store


@pytest.fixture
def db(tmp_path, monkeypatch):
    """A cache with three resolved tickets: callbacks overdue, due and upcoming (real time)."""
    monkeypatch.setenv("CS_CONSOLE_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("CS_CONSOLE_AGENT", "agent01")
    path = tmp_path / "cache.db"
    result = CliRunner().invoke(main, ["seed", "--db", str(path), "--tickets", "60", "--quiet"])
    assert result.exit_code == 0, result.output
    now = SystemClock().now()
    clock = FixedClock(now)
    ids = []
    with Store.open(path, clock) as store:
        desk = Desk(store, sign_in(store, "agent01"))
        opened = store.all("SELECT id FROM tickets WHERE status = 'open' ORDER BY id LIMIT 3")
        for row, days_ago in zip(opened, (5, 3.5, 0), strict=True):
            clock.set(now - timedelta(days=days_ago))
            desk.set_status(row["id"], "resolved")
            ids.append(row["id"])
    return path, ids


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def callbacks(db, *flags):
    path, _ = db
    result = run("followups", "--db", path, "--json", *flags)
    assert result.exit_code == 0, result.output
    return [r for r in json.loads(result.output) if r["kind"] == "after_resolution"]


def test_lists_by_state(db):
    _, (overdue, due, upcoming) = db
    assert [(r["ticket_id"], r["state"]) for r in callbacks(db)] == [
        (overdue, "overdue"),
        (due, "due"),
        (upcoming, "upcoming"),
    ]
    assert [r["ticket_id"] for r in callbacks(db, "--due")] == [overdue, due]
    assert [r["ticket_id"] for r in callbacks(db, "--overdue")] == [overdue]
    assert callbacks(db, "--done") == []


def test_text_lines_in_english(db):
    path, (overdue, *_rest) = db
    result = run("followups", "--db", path, "--overdue", "--lang", "en")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "overdue" in lines[0] and "callback" in lines[0] and f"#{overdue} " in lines[0]
    assert lines[-1] == f"{len(lines) - 1} follow-up(s)"


def test_done_records_once_and_a_second_time_is_one_line(db):
    path, (overdue, *_rest) = db
    followup_id = callbacks(db, "--overdue")[0]["id"]
    result = run(
        "followup",
        "done",
        followup_id,
        "--db",
        path,
        "--outcome",
        "reached",
        "--satisfaction",
        "5",
        "--comment",
        "很满意",
        "--json",
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert (out["unhappy"], out["reopened"], out["not_reopened"]) == (False, False, None)
    assert out["followup"]["satisfaction"] == 5 and out["followup"]["comment"] == "很满意"
    assert [r["id"] for r in callbacks(db, "--done")] == [followup_id]
    again = run(
        "followup", "done", followup_id, "--db", path, "--outcome", "no_answer", "--lang", "en"
    )
    assert again.exit_code == 1
    (line,) = again.output.strip().splitlines()
    assert line.startswith(
        f"Error: follow-up {followup_id} was already recorded (reached) by agent01"
    )
    assert line.endswith("an outcome is recorded once")


def test_an_unhappy_callback_reopens_its_ticket(db):
    path, (_overdue, due, _upcoming) = db
    followup_id = callbacks(db, "--due")[1]["id"]
    result = run(
        "followup",
        "done",
        followup_id,
        "--db",
        path,
        "--outcome",
        "declined",
        "--comment",
        "要投诉",
        "--lang",
        "en",
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        f"Follow-up #{followup_id} recorded; the customer is unhappy, so ticket #{due} is open "
        "again"
    )
    with Store.open(path) as store:
        assert store.ticket(due)["status"] == "open"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--outcome", "maybe"], "Invalid value for '--outcome'"),
        (["--outcome", "reached", "--satisfaction", "6"], "Invalid value for '--satisfaction'"),
        (
            ["--outcome", "no_answer", "--satisfaction", "3"],
            "Error: a customer who did not answer gave no satisfaction score; leave it out",
        ),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(db, args, message):
    path, _ = db
    followup_id = callbacks(db, "--overdue")[0]["id"]
    result = run("followup", "done", followup_id, "--db", path, "--lang", "en", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert callbacks(db, "--done") == []


def test_an_unknown_follow_up_is_one_line(db):
    path, _ = db
    result = run("followup", "done", 99999, "--db", path, "--outcome", "reached", "--lang", "en")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: follow-up 99999 does not exist"


def test_birthdays_creates_greetings_once(db):
    path, _ = db
    today = SystemClock().now().astimezone(SHOP_TZ)
    with Store.open(path) as store, store.transaction() as conn:
        conn.execute("UPDATE customers SET tier = 'member'")
        conn.execute(
            "UPDATE customers SET tier = 'diamond', birthday = ? WHERE id = "
            "(SELECT min(id) FROM customers)",
            (f"1990-{today.month:02d}-01",),
        )
    first = run("followup", "birthdays", "--db", path, "--json")
    assert first.exit_code == 0, first.output
    assert len(json.loads(first.output)) == 1
    again = run("followup", "birthdays", "--db", path, "--lang", "en")
    assert again.output.strip() == "0 birthday greeting(s) created"
    greetings = [
        r
        for r in json.loads(run("followups", "--db", path, "--json").output)
        if r["kind"] == "birthday_greeting"
    ]
    assert len(greetings) == 1 and greetings[0]["ticket_id"] is None


def test_the_queue_filter_lists_the_due_tickets(db):
    path, (overdue, due, upcoming) = db
    result = run("queue", "--db", path, "--filter", "followups", "--json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert {item["id"] for item in items} == {overdue, due}
    assert {item["status"] for item in items} == {"resolved"}


def test_help_explains_every_option():
    from cs_console.cli.followups import birthdays, done, followups

    for command in (followups, done, birthdays):
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, (command.name, param.name)
    done_help = run("followup", "done", "--help").output
    for option in ("--outcome", "--satisfaction", "--comment", "--json"):
        assert option in done_help
