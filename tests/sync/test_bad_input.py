"""Bad answers from the server are logged and skipped; the cache and cursors stay consistent.

No RT needed: an httpx MockTransport plays a misbehaving REST2.
"""

from __future__ import annotations

import json

import httpx
import pytest
from engines import sync_engine

from cs_console.service.desk import MAX_MESSAGE_CHARS as CACHE_MAX_CHARS
from cs_console.store.db import Store
from cs_console.sync.backends.rt import MAX_MESSAGE_CHARS, RTBackend
from cs_console.sync.engine import FEED_CURSOR, TICKET_CURSOR

GOOD = {
    "id": "7",
    "Subject": "好的工单",
    "Status": "open",
    "Queue": {"id": "1"},
    "Owner": {"id": "Nobody"},
    "Requestor": [{"id": "a@example.com"}],
    "Priority": "0",
    "Created": "2026-01-01T00:00:00Z",
    "LastUpdated": "2026-01-02T03:04:05Z",
    "CustomFields": [],
    "EffectiveId": {"id": "7"},
}


class FakeRT:
    def __init__(self) -> None:
        self.tickets: object = [
            GOOD,
            {"id": "8"},
            "not a dict",
            {**GOOD, "id": "x9", "Priority": "high"},
        ]
        self.tickets_raw: bytes | None = None
        self.txns: list = [
            {
                "id": "100",
                "ObjectId": "7",
                "Type": "Create",
                "Creator": {"id": "a@example.com"},
                "Created": "2026-01-01T00:00:00Z",
                "CustomFields": [],
            },
            {"id": "101", "Type": "Correspond"},  # no ObjectId
            {
                "id": "102",
                "ObjectId": "7",
                "Type": "Correspond",
                "Creator": {"id": "agent"},
                "Created": "2026-01-01T00:00:01Z",
                "CustomFields": [],
            },
        ]
        self.huge = "长" * (MAX_MESSAGE_CHARS + 10)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/REST/2.0")
        page = int(request.url.params.get("page", "1"))
        if path == "/queues/all":
            items = [{"id": "1", "Name": "Customer Service"}] if page == 1 else []
            return httpx.Response(200, json={"items": items})
        if path == "/tickets":
            if self.tickets_raw is not None:
                return httpx.Response(200, content=self.tickets_raw)
            return httpx.Response(200, json={"items": self.tickets if page == 1 else []})
        if path == "/transactions":
            after = int(request.url.params["query"].rsplit(">", 1)[1])
            return httpx.Response(
                200, json={"items": [t for t in self.txns if int(t["id"]) > after]}
            )
        if path.startswith("/transaction/"):
            tid = path.split("/")[2]
            content = self.huge if tid == "102" else "你好"
            return httpx.Response(
                200,
                json={"items": [{"ContentType": "text/plain", "Content": content, "Subject": ""}]},
            )
        return httpx.Response(404, json={"message": "Not Found"})


@pytest.fixture
def setup(tmp_path):
    fake = FakeRT()
    store = Store.open(tmp_path / "c.db")
    backend = RTBackend("http://rt.test", token="t", transport=httpx.MockTransport(fake))
    yield fake, store, sync_engine(store, backend)
    store.close()


def test_malformed_items_skipped(setup):
    fake, store, eng = setup
    rep = eng.sync_once()
    assert rep.skipped == 4  # three tickets, one transaction
    assert store.scalar("SELECT count(*) FROM tickets") == 1
    assert store.one("SELECT subject FROM tickets")["subject"] == "好的工单"
    assert store.sync_value(TICKET_CURSOR) == "2026-01-02T03:04:05Z"
    assert store.sync_value(FEED_CURSOR) == "102"
    bodies = [m["body"] for m in store.all("SELECT body FROM messages ORDER BY id")]
    assert bodies[0] == "你好"
    # the adapter cut it at its limit, the cache keeps a customer message to its own limit
    assert len(bodies[1]) <= CACHE_MAX_CHARS < MAX_MESSAGE_CHARS
    assert bodies[1].endswith("(truncated)")


@pytest.mark.parametrize("raw", [b"{not json", b'{"items": "nope"}', b"[]", b"\xff\xfe"])
def test_unreadable_page_changes_nothing(setup, raw):
    fake, store, eng = setup
    fake.tickets_raw = raw
    rep = eng.sync_once()
    assert rep.errors and not rep.offline
    assert store.scalar("SELECT count(*) FROM tickets") == 0
    assert store.sync_value(TICKET_CURSOR) is None


def test_second_sync_after_bad_page_recovers(setup):
    fake, store, eng = setup
    fake.tickets_raw = b"<html>proxy error</html>"
    eng.sync_once()
    fake.tickets_raw = None
    rep = eng.sync_once()
    assert store.scalar("SELECT count(*) FROM tickets") == 1
    assert json.dumps(rep.summary())
