"""Hypothesis: random interleavings of local actions, remote edits, faults, crashes with a
request on its way, agent decisions and syncs.

At the end (faults off, conflicts decided) every op is done or deliberately dropped, and every
done message op exists in RT exactly once; no op id exists twice.
"""

from __future__ import annotations

import contextlib
import random
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from engines import join_at_now, sync_engine
from faults import DyingBackend, FaultTransport, Killed
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from cs_console.clock import FixedClock
from cs_console.service.desk import Agent, Desk
from cs_console.store.db import Store
from cs_console.sync.backends.base import FieldChange, Message, NewTicket
from cs_console.sync.backends.rt import RTBackend

pytestmark = pytest.mark.rt

FAULTS = ["lost", "reset", "500", "500-after", "429", "429-bare", "timeout", "garbage"]


def test_random_interleavings(rt_ready, rt_server):
    admin = RTBackend(rt_server.url, user="root", password=rt_server.root_auth[1])

    class SyncMachine(RuleBasedStateMachine):
        @initialize()
        def setup(self):
            self.tmp = tempfile.TemporaryDirectory()
            self.store = Store.open(Path(self.tmp.name) / "c.db")
            self.ft = FaultTransport()
            self.clock = FixedClock(datetime.now(UTC))
            self.backend = RTBackend(
                rt_ready["url"], token=rt_ready["token"], transport=self.ft, timeout=10
            )
            self.engine = sync_engine(
                self.store, self.backend, clock=self.clock, rng=random.Random(0)
            )
            join_at_now(self.store, admin)
            self.remote = []
            self.late = []
            for i in range(2):
                r = admin.create_ticket(
                    NewTicket(
                        op_id=str(uuid.uuid4()),
                        queue="Customer Service",
                        subject=f"状态机 {i}",
                        content="你好",
                        requestor="sm@example.com",
                    )
                )
                self.remote.append(r.remote_ref)
            self.engine.sync_once()
            self.desk = Desk(self.store, Agent("cs-sync", "同步"))
            self.local = [
                self.store.one("SELECT id FROM tickets WHERE remote_id = ?", (int(r),))["id"]
                for r in self.remote
            ]

        @rule(i=st.integers(0, 1), text=st.text(min_size=1, max_size=30).filter(str.strip))
        def reply(self, i, text):
            self.desk.reply(self.local[i], "回复：" + text)

        @rule(i=st.integers(0, 1))
        def note(self, i):
            self.desk.note(self.local[i], "备注")

        @rule(i=st.integers(0, 1))
        def toggle_status(self, i):
            t = self.store.ticket(self.local[i])
            if t["status"] in ("open", "pending"):
                self.desk.set_status(t["id"], "pending" if t["status"] == "open" else "open")

        @rule(i=st.integers(0, 1), p=st.sampled_from([10, 60, 95]))
        def remote_edit(self, i, p):
            admin.set_fields(FieldChange("x", self.remote[i], {"Priority": p}), None)

        @rule(i=st.integers(0, 1))
        def remote_reply(self, i):
            admin.reply(
                Message(
                    op_id=str(uuid.uuid4()), ticket_id=self.remote[i], content="另一位客服的回复"
                )
            )

        @rule(i=st.integers(0, 1))
        def escalate(self, i):
            t = self.store.ticket(self.local[i])
            if t["status"] == "open" and not t["escalated"]:
                self.desk.escalate(t["id"], "顾客要求主管")

        @rule(i=st.integers(0, 1), status=st.sampled_from(["stalled", "open"]))
        def remote_status(self, i, status):
            admin.set_fields(FieldChange("x", self.remote[i], {"Status": status}), None)

        @rule(f=st.sampled_from(FAULTS))
        def fault(self, f):
            self.ft.fail_next(f)

        @rule()
        def crash_with_a_request_on_its_way(self):
            dying = DyingBackend(self.backend)
            engine = sync_engine(self.store, dying, clock=self.clock, rng=random.Random(2))
            with contextlib.suppress(Killed):
                engine.sync_once(pull=False)
            self.late.append(dying)

        @rule(keep_mine=st.booleans())
        def decide(self, keep_mine):
            for op in self.store.outbox(["conflict"])[:1]:
                self.engine.resolve_conflict(op["seq"], keep_mine=keep_mine)

        @rule()
        def sync(self):
            self.engine.sync_once()  # a new process: crash-left ops are still settling
            for dying in self.late:  # ... while the held requests land
                dying.land()
            self.late.clear()
            self.clock.advance(seconds=400)

        def teardown(self):
            if not hasattr(self, "store"):
                return
            try:
                self.ft.script.clear()
                for dying in self.late:
                    dying.land()
                for _ in range(10):
                    for op in self.store.outbox(["conflict"]):
                        self.engine.resolve_conflict(op["seq"], keep_mine=True)
                    rep = self.engine.sync_once()
                    self.clock.advance(seconds=400)
                    if rep.pending == rep.uncertain == rep.conflicts == 0:
                        break
                dropped = {
                    o["seq"]
                    for o in self.store.outbox(["rejected"])
                    if "dropped by the agent" in (o["last_error"] or "")
                }
                assert rep.pending == rep.uncertain == rep.conflicts == 0, [
                    (o["kind"], o["state"], o["last_error"])
                    for o in self.store.outbox()
                    if o["state"] != "done"
                ]
                rejected = [o for o in self.store.outbox(["rejected"]) if o["seq"] not in dropped]
                assert not rejected, [(o["kind"], o["last_error"]) for o in rejected]
                for op in self.store.outbox(["done"]):
                    if op["kind"] in ("reply", "comment", "note", "escalate"):
                        found = [
                            m
                            for m in self.backend.find_by_op_id(op["op_id"])
                            if m.kind == "transaction"
                        ]
                        assert len(found) == 1, (op, found)
            finally:
                self.backend.close()
                self.store.close()
                self.tmp.cleanup()

    try:
        run_state_machine_as_test(
            SyncMachine,
            settings=settings(
                max_examples=8,
                stateful_step_count=15,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            ),
        )
    finally:
        assert admin.duplicate_op_ids() == {}
        admin.close()
