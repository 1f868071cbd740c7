"""Two consoles on one cache (issue 10, items 9 and 12): preconditions are read under the write
lock, so the second of two escalations is refused; a cache locked past the busy timeout is one
line from the CLI, with nothing written."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from click.testing import CliRunner

from cs_console import demo
from cs_console.cli.root import main
from cs_console.clock import FixedClock
from cs_console.service.desk import Agent, Desk, DeskError
from cs_console.store.db import Store


@pytest.fixture
def cache(tmp_path):
    path = tmp_path / "shared.db"
    with Store.open(path, FixedClock("2026-11-23T08:00:00Z")) as store:
        demo.seed(store, tickets=20, seed_value=2)
    return path


def test_the_second_of_two_simultaneous_escalations_is_refused(cache):
    first = Desk(Store.open(cache), Agent("agent01", "小林"))
    second = Desk(Store.open(cache), Agent("agent02", "阿May"))
    ticket_id = first.store.one("SELECT id FROM tickets WHERE escalated = 0 AND status = 'open'")[
        "id"
    ]
    outcome: dict[str, object] = {}

    def other_console() -> None:
        try:
            second.escalate(ticket_id, "顾客要求主管")
            outcome["second"] = "escalated"
        except DeskError as exc:
            outcome["second"] = str(exc)

    # the first console holds the write lock while it escalates; the second starts meanwhile
    with first.work() as work:
        racer = threading.Thread(target=other_console)
        racer.start()
        racer.join(timeout=0.5)  # it waits for the lock: it has not read the ticket yet
        assert racer.is_alive()
        ticket = work.ticket(ticket_id)
        work.update_ticket(ticket, {"escalated": 1})
        work.enqueue("escalate", ticket, {"reason": "第一位"})
        work.audit("escalate", ticket_id, {"reason": "第一位"})
    racer.join(timeout=10)
    assert outcome["second"] == f"ticket {ticket_id} is already escalated"
    ops = first.store.all(
        "SELECT * FROM outbox WHERE ticket_id = ? AND kind = 'escalate'", (ticket_id,)
    )
    assert len(ops) == 1
    first.store.close()
    second.store.close()


def test_a_cache_locked_past_the_busy_timeout_is_one_line_from_the_cli(
    cache, monkeypatch, tmp_path
):
    monkeypatch.setenv("CS_CONSOLE_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    monkeypatch.setattr("cs_console.store.db.BUSY_TIMEOUT_MS", 100)
    blocker = sqlite3.connect(cache, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with Store.open(cache) as store:
            before = store.scalar("SELECT count(*) FROM messages")
            ticket_id = store.one("SELECT id FROM tickets WHERE status = 'open'")["id"]
        result = CliRunner().invoke(
            main,
            [
                "--lang",
                "en",
                "reply",
                "--db",
                str(cache),
                "--ticket",
                str(ticket_id),
                "--body",
                "您好",
            ],
        )
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "another program is writing" in result.output
    assert "Traceback" not in result.output
    with Store.open(cache) as store:
        assert store.scalar("SELECT count(*) FROM messages") == before
