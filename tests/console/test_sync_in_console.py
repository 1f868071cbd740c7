"""Inside the console, sync runs in a worker; the header shows online/offline and changed rows
update in place. The backend here is a stand-in; tests/sync drives the real RT."""

from __future__ import annotations

from contextlib import contextmanager

from console_helpers import SIZE, make_app, screen_text, wait_for

from cs_console.store.db import Store
from cs_console.sync.engine import SyncReport
from cs_console.tui.widgets.queue import QueueTable


def _install_fake_sync(monkeypatch, offline: bool, edit=None):
    rounds = []

    class FakeBackend:
        def team(self, known_names=None):
            return None  # no team groups: the agents table stays as it is

    @contextmanager
    def backend_for(settings):
        yield FakeBackend()

    class FakeEngine:
        def __init__(self, store: Store, backend, **options):
            self.store = store

        def sync_once(self, **options):
            rounds.append(1)
            if edit:
                edit(self.store)
            return SyncReport(offline=offline)

    monkeypatch.setattr("cs_console.service.sync.backend_for", backend_for)
    # these rounds are about what the header and rows show; escalation (which hands overdue
    # demo tickets to the supervisor) has its own test, test_auto_escalation.py
    monkeypatch.setattr("cs_console.service.escalation.AutoEscalation.run", lambda self: [])
    monkeypatch.setattr("cs_console.service.sync.SyncEngine", FakeEngine)
    return rounds


async def test_offline_backend_shows_offline_and_keeps_working(monkeypatch, console_store):
    rounds = _install_fake_sync(monkeypatch, offline=True)
    app = make_app(console_store)
    app.config.rt.url = "http://127.0.0.1:9"
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: rounds and "离线" in screen_text(app))
        await pilot.press("n")  # the console keeps working offline
        assert app.screen.ticket_id is not None


async def test_pulled_changes_update_rows_in_place(monkeypatch, console_store):
    target = console_store.queue("all", limit=3)[2]["id"]

    def edit(store):
        with store.transaction() as conn:
            conn.execute(
                "UPDATE tickets SET subject = '远端改过的主题', updated_at = '2099-01-01T00:00:00Z' WHERE id = ?",
                (target,),
            )

    rounds = _install_fake_sync(monkeypatch, offline=False, edit=edit)
    app = make_app(console_store)
    app.config.rt.url = "http://127.0.0.1:9"
    async with app.run_test(size=SIZE) as pilot:
        queue = app.screen.query_one(QueueTable)
        rows_before = queue.row_count
        await wait_for(pilot, lambda: rounds and "在线" in screen_text(app))
        await wait_for(
            pilot, lambda: "远端改过的主题" in str(queue.get_cell(str(target), "subject"))
        )
        assert queue.row_count == rows_before


async def test_a_backend_url_without_credentials_is_said_once_in_the_language(
    monkeypatch, console_store
):
    for name in ("CS_CONSOLE_RT_TOKEN", "CS_CONSOLE_RT_USER", "CS_CONSOLE_RT_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("cs_console.service.escalation.AutoEscalation.run", lambda self: [])
    app = make_app(console_store)
    app.config.rt.url = "http://127.0.0.1:9"
    app.config.rt.token = app.config.rt.user = app.config.rt.password = None
    said = "请设置 CS_CONSOLE_RT_TOKEN，或"
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: any(said in str(n.message) for n in app._notifications))
        # the first round may still be returning: a second one now would cancel it (the
        # sync group is exclusive), so wait for it before asking again
        await wait_for(
            pilot, lambda: not any(w.is_running for w in app.workers if w.group == "sync")
        )
        second = app.sync_round()  # a second round with the same problem says nothing new
        await second.wait()
        await pilot.pause()
        told = [n for n in app._notifications if said in str(n.message)]
        assert len(told) == 1 and told[0].severity == "error"
        assert "CS_CONSOLE_RT_TOKEN" in str(told[0].message)
