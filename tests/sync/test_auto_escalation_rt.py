"""Auto-escalation against the real RT: a pulled ticket past its resolution target is escalated
by the sync round and its note reaches RT once; a restart, a second store on the file and a
second cache (another console) pulling the note never escalate it again."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from engines import SYNC_AGENT
from test_engine import local_of, remote_ticket

from cs_console.clock import FixedClock
from cs_console.service.desk import Desk
from cs_console.service.sync import SyncService
from cs_console.store.db import Store
from cs_console.sync.backends.rt import RTBackend

pytestmark = pytest.mark.rt

REASON = re.compile(r"^\[escalated\] SLA 已超时 \d+ 分钟（自动升级）$")


def _escalation_notes(store: Store, ticket_id: int) -> list[str]:
    return [m["body"] for m in store.messages(ticket_id) if m["body"].startswith("[escalated]")]


def test_overdue_ticket_is_escalated_in_rt_once(tmp_path, admin, rt_ready):
    rid = remote_ticket(admin, "自动升级:面霜过敏", body="用了面霜脸上发红发痒,怎么办?")
    clock = FixedClock(datetime.now(UTC))
    path = tmp_path / "cache.db"
    with (
        RTBackend(rt_ready["url"], token=rt_ready["token"], timeout=10) as backend,
        Store.open(path, clock) as store,
    ):
        service = SyncService(Desk(store, SYNC_AGENT), backend)
        assert service.round().escalated == []  # pulled, not yet late
        local = local_of(store, rid)
        assert local is not None and local["escalated"] == 0
        clock.advance(days=6)  # past every resolution target

        done = service.round()

        assert [item.ticket_id for item in done.escalated] == [local["id"]]
        assert not done.report.errors, done.report.errors
        ops = store.all("SELECT * FROM outbox WHERE kind = 'escalate'")
        assert [op["state"] for op in ops] == ["done"]  # pushed in the same round
        assert len(backend.find_by_op_id(ops[0]["op_id"])) == 1
        [note] = _escalation_notes(store, local["id"])
        assert REASON.match(note), note
        with Store.open(path, clock) as second:  # a restart, or another process on the file
            assert SyncService(Desk(second, SYNC_AGENT), backend).round().escalated == []
        assert service.round().escalated == []
        assert store.scalar("SELECT count(*) FROM outbox WHERE kind = 'escalate'") == 1

        # another agent's console: its cache pulls the ticket with the note, and leaves it be
        with Store.open(tmp_path / "other.db", clock) as other:
            elsewhere = SyncService(Desk(other, SYNC_AGENT), backend).round()
            assert elsewhere.escalated == []
            there = local_of(other, rid)
            assert there["escalated"] == 1
            assert _escalation_notes(other, there["id"]) == [note]
            assert other.scalar("SELECT count(*) FROM outbox WHERE kind = 'escalate'") == 0
