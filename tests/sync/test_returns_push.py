"""Returns filed through the real returns service reach RT's Returns queue once, with a decision."""

from __future__ import annotations

import random
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from engines import sync_engine

from cs_console.clock import FixedClock
from cs_console.service.desk import Agent, Desk
from cs_console.service.returns import Returns
from cs_console.store.db import Store
from cs_console.sync.backends.base import NewTicket
from cs_console.sync.backends.rt import RTBackend

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from returns_fixture import build  # noqa: E402

pytestmark = pytest.mark.rt


def test_return_and_supervisor_decision_reach_rt_once(rt_ready, rt_server, tmp_path):
    clock = FixedClock(datetime.now(UTC).replace(microsecond=0))
    with (
        Store.open(tmp_path / "c.db", clock) as store,
        RTBackend(rt_server.url, user="root", password=rt_server.root_auth[1]) as admin,
    ):
        tickets = build(store)
        local = tickets["big"]  # over an agent's limit: waits for a supervisor
        rt_id = admin.create_ticket(
            NewTicket(
                op_id=str(uuid.uuid4()),
                queue="Customer Service",
                subject="没拆封,想全部退掉",
                content="想全部退掉",
            )
        )
        with store.transaction() as conn:
            conn.execute(
                "UPDATE tickets SET remote_id = ? WHERE id = ?", (int(rt_id.remote_ref), local)
            )
        res = Returns(Desk(store, Agent("trainee01", "小陈", "trainee"))).request(
            local, lines=[("FD-100", 2)], reason="unopened"
        )
        assert res.status == "awaiting_approval"
        Returns(Desk(store, Agent("sup01", "王主管", "supervisor"))).approve(res.return_id, "同意")
        backend = RTBackend(rt_ready["url"], token=rt_ready["token"])
        eng = sync_engine(store, backend, clock=clock, rng=random.Random(0))
        rep = eng.sync_once()
        left = [
            (o["kind"], o["state"], o["last_error"]) for o in store.outbox() if o["state"] != "done"
        ]
        assert rep.pending == rep.rejected == rep.conflicts == rep.uncertain == 0, left
        row = store.one("SELECT * FROM returns WHERE id = ?", (res.return_id,))
        assert row["remote_id"]
        found = backend.find_by_op_id(row["op_id"])
        assert [m.kind for m in found] == ["ticket"]
        data, _ = backend.get_ticket(str(row["remote_id"]))
        cfs = {c["name"]: c["values"] for c in data["CustomFields"]}
        assert cfs["Order"] and cfs["SKU"] == ["FD-100"] and cfs["Qty"] == ["2"]
        assert data["Status"] == "open"  # approved
        assert any(
            h.get("ref") == "refers-to" and h.get("id") == rt_id.remote_ref
            for h in data["_hyperlinks"]
        )
        # the Returns ticket is not pulled into the agent's queue as a ticket of its own
        assert (
            store.scalar(
                "SELECT count(*) FROM tickets WHERE remote_id = ?", (int(row["remote_id"]),)
            )
            == 0
        )
        backend.close()
