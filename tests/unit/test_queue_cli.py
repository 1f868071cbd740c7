"""The CLI's queue filters: the console's names, `approval` as an alias, approvals for
supervisors only (one line for anyone else), and the same tickets as `returns --awaiting`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cs_console.cli.root import main
from cs_console.store.db import Store


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("CS_CONSOLE_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    path = tmp_path / "cache.db"
    result = CliRunner().invoke(main, ["seed", "--db", str(path), "--tickets", "120", "--quiet"])
    assert result.exit_code == 0, result.output
    with Store.open(path) as store, store.transaction() as conn:
        pending = store.scalar("SELECT id FROM tickets WHERE status = 'pending' LIMIT 1")
        order = store.scalar("SELECT id FROM orders LIMIT 1")
        now = store.now_iso()
        conn.execute(
            "INSERT INTO returns (id, request_key, ticket_id, order_id, kind, reason, "
            "resolution, lines, status, created_by, created_at, updated_at) VALUES ('R1', 'k1', "
            "?, ?, 'return', 'opened', 'refund', '[]', 'awaiting_approval', 'agent01', ?, ?)",
            (pending, order, now, now),
        )
    return path


def run(*args, agent=None):
    env = {"CS_CONSOLE_AGENT": agent} if agent else {}
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def test_approvals_for_a_supervisor_by_either_name_match_returns_awaiting(db):
    shown = {}
    for name in ("approvals", "approval"):
        result = run("queue", "--db", db, "--filter", name, "--json", agent="sup01")
        assert result.exit_code == 0, result.output
        shown[name] = [item["id"] for item in json.loads(result.output)]
    assert shown["approvals"] == shown["approval"] and len(shown["approvals"]) == 1
    awaiting = run("returns", "--db", db, "--awaiting", "--json")
    assert [r["ticket_id"] for r in json.loads(awaiting.output)] == shown["approvals"]
    item = json.loads(
        run("queue", "--db", db, "--filter", "approvals", "--json", agent="sup01").output
    )[0]
    assert item["status"] == "pending"  # its ticket waits on the customer, and is still listed


def test_an_agent_is_refused_approvals_in_one_line(db):
    result = run("queue", "--db", db, "--filter", "approvals", "--lang", "en")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: the approvals queue is for supervisors (agent01 is agent)"
    ]
    result = run("queue", "--db", db, "--filter", "approvals", "--lang", "zh-Hant")
    assert result.output.strip().splitlines() == [
        "錯誤：「待審批」佇列只給主管用（agent01 是客服）"
    ]


def test_all_lists_waiting_tickets_after_open_ones(db):
    items = json.loads(run("queue", "--db", db, "--json", "--limit", "500").output)
    statuses = [item["status"] for item in items]
    assert "pending" in statuses and statuses == sorted(statuses)
