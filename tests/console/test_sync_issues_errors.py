"""The sync issues dialog when a decision cannot be made: the cache locked by another program
(CacheUnavailable) or no backend for "keep mine". The agent is told why in their language and
the conflict stays in the list, undecided: nothing is lost."""

from __future__ import annotations

import sqlite3

import pytest
from console_helpers import SIZE, wait_for

from cs_console.store import db
from cs_console.tui.dialogs.sync_issues import SyncIssuesDialog

LOCKED = {
    "zh-Hans": "未保存：另一个程序正在写缓存，没有及时完成；什么都没改，请重试",
    "zh-Hant": "未儲存：另一個程式正在寫入快取，沒有及時完成；什麼都沒改，請重試",
    "en": "not saved: another program is writing to the cache and did not finish in time; "
    "nothing was changed, try again",
}
NO_BACKEND = {
    "zh-Hans": "没有配置后台：请设置 CS_CONSOLE_RT_URL（或配置文件里的 [rt] url）",
    "zh-Hant": "沒有設定後台：請設定 CS_CONSOLE_RT_URL（或設定檔裡的 [rt] url）",
    "en": "no backend: set CS_CONSOLE_RT_URL (or [rt] url in the config)",
}


def _conflict(store) -> int:
    seq = store.scalar("SELECT max(seq) FROM outbox")
    with store.transaction() as conn:
        conn.execute(
            "UPDATE outbox SET state = 'conflict', last_error = '412 changed in RT' WHERE seq = ?",
            (seq,),
        )
    return seq


def _state(store, seq: int) -> str:
    return store.one("SELECT state FROM outbox WHERE seq = ?", (seq,))["state"]


async def _open_on_conflict(app, pilot, store) -> tuple[SyncIssuesDialog, int]:
    await pilot.press("n")
    app.screen.desk.set_priority(app.screen.ticket_id, 1)
    seq = _conflict(store)
    await pilot.press("s")
    dialog = app.screen
    assert isinstance(dialog, SyncIssuesDialog)
    table = dialog.query_one("#issues")
    table.move_cursor(row=table.get_row_index(str(seq)))
    return dialog, seq


def _errors(app) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
async def test_a_locked_cache_is_said_and_the_conflict_stays(console_store, monkeypatch, lang):
    from console_helpers import make_app

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)
    app = make_app(console_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        dialog, seq = await _open_on_conflict(app, pilot, console_store)
        other = sqlite3.connect(console_store.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            await pilot.press("d")
            await wait_for(pilot, lambda: bool(_errors(app)))
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert _errors(app) == [LOCKED[lang]]
        assert _state(console_store, seq) == "conflict"
        assert app.screen is dialog and dialog.ops[0]["seq"] == seq
        assert not [row for row in console_store.audit() if row["action"] == "sync_conflict"]


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
async def test_keep_mine_without_a_backend_says_how_to_configure_one(console_store, lang):
    from console_helpers import make_app

    app = make_app(console_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        _, seq = await _open_on_conflict(app, pilot, console_store)
        await pilot.press("m")
        await wait_for(pilot, lambda: bool(_errors(app)))
        assert _errors(app) == [NO_BACKEND[lang]]
        assert _state(console_store, seq) == "conflict"
