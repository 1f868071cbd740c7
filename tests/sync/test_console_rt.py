"""The console against a real RT: its sync worker pulls a customer's ticket into the queue, the
agent answers with keys, and the next round puts the reply into RT once, Chinese intact."""

from __future__ import annotations

import sys
import time
import uuid
from pathlib import Path

import pytest
from engines import sync_engine

from cs_console import i18n
from cs_console.config import Config
from cs_console.service.desk import Agent, Desk
from cs_console.store.db import Store
from cs_console.sync.backends.base import NewTicket
from cs_console.sync.backends.rt import RTBackend
from cs_console.tui.app import ConsoleApp
from cs_console.tui.widgets.queue import QueueTable

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "console"))
from console_helpers import screen_text, wait_for  # noqa: E402

pytestmark = pytest.mark.rt


async def test_console_pulls_answers_and_pushes_once(tmp_path, rt_server, rt_ready, monkeypatch):
    monkeypatch.setenv("CS_CONSOLE_CACHE_DIR", str(tmp_path / "kbcache"))
    with RTBackend(rt_server.url, user="root", password=rt_server.root_auth[1]) as admin:
        created = admin.create_ticket(
            NewTicket(
                op_id=str(uuid.uuid4()),
                queue="Customer Service",
                subject="控制台同步:粉底色号",
                content="粉底液色号偏深,可以换吗?",
                requestor="lin.yue@example.com",
            )
        )
        assert created.ok, created
    store = Store.open(tmp_path / "cache.db")
    config = Config(db=store.path, agent_id="agent01")
    config.rt.url, config.rt.token = rt_ready["url"], rt_ready["token"]
    app = ConsoleApp(Desk(store, Agent("agent01", "小林")), config)
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await wait_for(pilot, lambda: "在线" in screen_text(app), timeout=60)
            local = store.one(
                "SELECT * FROM tickets WHERE remote_id = ?", (int(created.remote_ref),)
            )
            assert local is not None
            queue = app.screen.query_one(QueueTable)
            await wait_for(
                pilot,
                lambda: (
                    str(local["id"])
                    in [str(queue.get_row_at(i)[0]) for i in range(queue.row_count)]
                ),
            )
            app.screen.open_ticket(local["id"])
            await pilot.press("c")
            for ch in "您好,可以免费换一次色号":
                await pilot.press(ch)
            await pilot.press("ctrl+s")
            op = store.one("SELECT * FROM outbox WHERE kind = 'reply' ORDER BY seq DESC LIMIT 1")
            app.sync_round()
            deadline = time.monotonic() + 60
            while (
                store.one("SELECT state FROM outbox WHERE seq = ?", (op["seq"],))["state"] != "done"
            ):
                assert time.monotonic() < deadline, store.outbox()
                await pilot.pause(0.2)
    finally:
        i18n.set_language("zh-Hans")
        store.close()
    with RTBackend(rt_ready["url"], token=rt_ready["token"]) as backend:
        assert len(backend.find_by_op_id(op["op_id"])) == 1
        # a second, empty cache pulling from RT sees the reply with its Chinese text intact
        with Store.open(tmp_path / "fresh.db") as fresh:
            sync_engine(fresh, backend).sync_once(push=False)
            ticket = fresh.one(
                "SELECT id FROM tickets WHERE remote_id = ?", (int(created.remote_ref),)
            )
            bodies = [m["body"] for m in fresh.messages(ticket["id"])]
    assert "您好,可以免费换一次色号" in bodies, bodies
