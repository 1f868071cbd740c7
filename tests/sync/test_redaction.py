"""A server that echoes the request's credentials: the token and password never reach
``outbox.last_error``, the round's errors or the ``outbox`` listing.

No RT needed: an httpx MockTransport plays an RT behind a proxy that echoes headers back.
"""

from __future__ import annotations

import httpx
import pytest
from click.testing import CliRunner
from engines import SYNC_AGENT, sync_engine

from cs_console.cli.root import main
from cs_console.service.desk import Desk
from cs_console.store.db import Store
from cs_console.sync.backends.base import Outcome, PushResult
from cs_console.sync.backends.rt import RTBackend

TOKEN = "1-14-0f1e2d3c4b5a69788796a5b4"
PASSWORD = "correct-horse-7"

TICKET = {
    "id": "7",
    "Subject": "面霜过敏",
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


class EchoingRT:
    """Pulls one ticket; answers every write with the request's headers in its error."""

    def __init__(self, status: int = 400) -> None:
        self.status = status
        self.writes = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/REST/2.0")
        page = int(request.url.params.get("page", "1"))
        if request.method != "GET":
            self.writes += 1
            echoed = "; ".join(f"{k}: {v}" for k, v in request.headers.items())
            return httpx.Response(self.status, json={"message": f"bad request ({echoed})"})
        if path == "/queues/all":
            return httpx.Response(
                200, json={"items": [{"id": "1", "Name": "Customer Service"}] if page == 1 else []}
            )
        if path == "/tickets":
            return httpx.Response(200, json={"items": [TICKET] if page == 1 else []})
        if path == "/transactions":
            return httpx.Response(200, json={"items": []})
        return httpx.Response(404, json={"message": "Not Found"})


@pytest.fixture
def cache(tmp_path):
    with Store.open(tmp_path / "cache.db") as store:
        yield store


def reply_once(store: Store, backend) -> None:
    """Pull the ticket, reply to it, push the reply."""
    eng = sync_engine(store, backend)
    eng.sync_once()
    ticket = store.one("SELECT id FROM tickets WHERE remote_id = 7")
    Desk(store, SYNC_AGENT).reply(ticket["id"], "您好，请停用并拍照给我们。")
    return eng.sync_once(pull=False)


@pytest.mark.parametrize(
    "credentials",
    [{"token": TOKEN}, {"user": "cs-sync", "password": PASSWORD, "session": False}],
    ids=["token", "basic"],
)
def test_an_echoed_credential_is_not_stored(cache, credentials):
    rt = EchoingRT()
    backend = RTBackend("http://rt.test", transport=httpx.MockTransport(rt), **credentials)
    rep = reply_once(cache, backend)
    assert rt.writes == 1 and rep.rejected == 1
    stored = cache.scalar("SELECT last_error FROM outbox WHERE state = 'rejected'")
    assert "bad request" in stored and "authorization: " in stored.lower()
    assert TOKEN not in stored and PASSWORD not in stored and "***" in stored
    assert "Y3Mtc3luYz" not in stored  # base64 of "cs-sync:..."
    assert not any(TOKEN in e or PASSWORD in e for e in rep.errors)


def test_the_outbox_listing_shows_no_token(cache, tmp_path, monkeypatch):
    backend = RTBackend("http://rt.test", token=TOKEN, transport=httpx.MockTransport(EchoingRT()))
    reply_once(cache, backend)
    monkeypatch.setenv("CS_CONSOLE_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["outbox", "--db", cache.path])
    assert result.exit_code == 0, result.output
    assert "bad request" in result.output and TOKEN not in result.output


def test_the_store_masks_a_credential_a_backend_forgot(cache):
    """The last line of defence: a backend that redacts nothing still stores no header value."""

    class Leaky:
        def __init__(self, inner: RTBackend) -> None:
            self.inner = inner

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def reply(self, req):
            return PushResult(
                Outcome.REJECTED,
                message=f"refused: Authorization: Bearer {TOKEN}; see https://u:{PASSWORD}@rt.test",
            )

    inner = RTBackend("http://rt.test", token="t", transport=httpx.MockTransport(EchoingRT()))
    rep = reply_once(cache, Leaky(inner))
    assert rep.rejected == 1
    stored = cache.scalar("SELECT last_error FROM outbox WHERE state = 'rejected'")
    assert stored.endswith(": refused: Authorization: Bearer ***; see https://u:***@rt.test")
    assert stored.startswith("reply on ticket #")  # which change it concerns


def test_an_uncertain_answer_is_stored_redacted(cache):
    rt = EchoingRT(status=503)
    backend = RTBackend("http://rt.test", token=TOKEN, transport=httpx.MockTransport(rt))
    rep = reply_once(cache, backend)
    assert rep.uncertain == 1
    stored = cache.scalar("SELECT last_error FROM outbox WHERE state = 'uncertain'")
    assert "authorization: token ***" in stored and TOKEN not in stored


def test_a_pull_error_does_not_print_the_url_password(cache):
    """httpx quotes the URL, userinfo and all, in its status errors."""

    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"message": "Not Found"})

    backend = RTBackend(f"http://cs-sync:{PASSWORD}@rt.test", transport=httpx.MockTransport(refuse))
    rep = sync_engine(cache, backend).sync_once()
    assert rep.errors and any("404" in e for e in rep.errors)
    assert not any(PASSWORD in e for e in rep.errors)
