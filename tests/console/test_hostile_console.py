"""Hostile text in every field a customer, the backend or a file controls (issue 10, items 1, 3,
9 and 13): the console shows it literally, nothing crashes, no action runs, the draft survives
a database that refuses to write."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from console_helpers import SIZE, make_app, plain, screen_text, wait_for
from textual.widgets import Static

from cs_console.kb.paths import default_kb_dir
from cs_console.tui.widgets.composer import Composer
from cs_console.tui.widgets.kb_panel import KbPanel
from cs_console.tui.widgets.profile import CustomerProfile
from cs_console.tui.widgets.queue import QueueTable

# Characters that must never reach the terminal from data (our own regex, not the product's).
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")

CLICK_CLOSE = "[@click=screen.set_status('closed')]Alice[/]"
SAMPLES = {
    "click-action": CLICK_CLOSE,
    "screenshot": "[@click=app.screenshot('{shot}')]拍照[/]",
    "markup": "[bold red]免费[/bold red][link=http://evil.example]点我[/link][$accent]x",
    "osc": "标题\x1b]0;pwned\x07剪贴板\x1b]52;c;Zm9v\x07清屏\x1b[2J",
    "c1-csi-bidi": "\x9b2J\u202eabc\u2066def\u200b\ufeff",
    "forged-line": "好的\r[approved] sup01 已批准",
    "broken-markup": "[/]][[[b]未闭合[",
}


def _hostile_customer(store, text: str) -> int:
    """Put ``text`` in every customer- and backend-controlled field of one ticket."""
    ticket = store.queue("all", limit=1)[0]
    ticket_id = int(ticket["id"])
    row = store.ticket(ticket_id)
    with store.transaction() as conn:
        conn.execute(
            "UPDATE customers SET name = ?, skin_type = ?, allergies = ?, birthday = ?, "
            "city = ? WHERE id = ?",
            (text, text, json.dumps([text, "酒精"]), text, text, row["customer_id"]),
        )
        conn.execute(
            "UPDATE tickets SET subject = ?, assignee = ?, tags = ? WHERE id = ?",
            (text, text, json.dumps([text]), ticket_id),
        )
        conn.execute(
            "INSERT INTO messages (ticket_id, direction, author, body, channel, created_at) "
            "VALUES (?, 'in', ?, ?, 'chat', '2026-11-23T07:59:00Z')",
            (ticket_id, text, text),
        )
        order_id = conn.execute(
            "SELECT id FROM orders WHERE customer_id = ? LIMIT 1", (row["customer_id"],)
        ).fetchone()
        if order_id:
            conn.execute("UPDATE orders SET channel = ? WHERE id = ?", (text, order_id[0]))
            conn.execute(
                "UPDATE order_lines SET batch_no = ? WHERE order_id = ?", (text, order_id[0])
            )
    return ticket_id


def _all_shown(app) -> str:
    """Everything the screen shows, including border titles and notifications."""
    parts = [screen_text(app)]
    for widget in app.screen.query("*"):
        for title in (widget.border_title, widget.border_subtitle):
            if title:
                parts.append(str(title))
    parts += [str(n.message) for n in app._notifications]
    return "\n".join(parts)


@pytest.mark.parametrize("name", sorted(SAMPLES))
async def test_hostile_fields_are_shown_literally_and_never_act(name, console_store, tmp_path):
    shot = tmp_path / "shot.svg"
    text = SAMPLES[name].replace("{shot}", str(shot))
    ticket_id = _hostile_customer(console_store, text)
    status_before = console_store.ticket(ticket_id)["status"]
    audit_before = console_store.scalar("SELECT count(*) FROM audit_log")
    app = make_app(console_store)
    async with app.run_test(size=SIZE) as pilot:
        queue = app.screen.query_one(QueueTable)
        queue.move_cursor(row=queue.get_row_index(str(ticket_id)))
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.ticket_id == ticket_id
        profile = app.screen.query_one(CustomerProfile)
        # click on the profile's title, where the customer's name is, and on its body
        await pilot.click(CustomerProfile, offset=(3, 0))
        await pilot.click(CustomerProfile, offset=(3, 1))
        await pilot.pause()
        shown = _all_shown(app)
        assert not RAW_CONTROL.search(shown), repr(RAW_CONTROL.search(shown))
        if "[" in text and "\x1b" not in text:
            assert text.split("\r")[0][:12] in shown  # the markup is there, as characters
        assert profile.border_title is not None
    assert app.return_code in (None, 0)
    assert console_store.ticket(ticket_id)["status"] == status_before  # no action ran
    assert not shot.exists()
    audit = console_store.all("SELECT action FROM audit_log WHERE id > ?", (audit_before,))
    assert {a["action"] for a in audit} <= {"phone_lookup"}


async def test_the_palette_shows_hostile_names_and_subjects_literally(console_store, tmp_path):
    shot = tmp_path / "palette.svg"
    text = f"Zed[@click=app.screenshot('{shot}')]x[/] \x1b]0;t\x07"
    ticket_id = _hostile_customer(console_store, text)
    app = make_app(console_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        for ch in "Zed":
            await pilot.press(ch)
        await pilot.pause(0.6)
        from textual.command import CommandList

        options = app.screen.query_one(CommandList)
        prompts = [
            getattr(p, "plain", str(p))
            for p in (options.get_option_at_index(i).prompt for i in range(options.option_count))
        ]
        hit = [p for p in prompts if "Zed" in p]
        assert hit and "[@click=" in hit[0] and "\x1b" not in hit[0]
        await pilot.press("enter")
        latest = console_store.latest_ticket_of(console_store.ticket(ticket_id)["customer_id"])
        await wait_for(pilot, lambda: getattr(app.screen, "ticket_id", None) == latest["id"])
    assert not shot.exists()


async def test_a_hostile_article_previews_and_inserts_as_text(console_store, tmp_path):
    kb = tmp_path / "kb"
    shutil.copytree(default_kb_dir(), kb)
    body = "正文\x1b]0;pwned\x07 [@click=app.quit]退出[/] " + "很长" * 3_000_000  # 6 MB
    (kb / "articles" / "hostile-zz.md").write_text(
        "+++\n"
        'slug = "hostile-zz"\n'
        'title = "Zzhostile [b]x[/b]"\n'
        'title_zh = "恶意测试 [@click=app.quit]"\n'
        'category = "after-sale"\n'
        'question = "[@click=app.quit]问\\u001b[2J"\n'
        'aliases = ["zzhostile", "zzhostile2", "zzhostile3"]\n'
        "+++\n\n"
        f"{body}\n\n"
        "## 话术 · [@click=app.quit]插入\n"
        "您好\x1b[2J{{customer_name}},[red]这是[/red]答复。{{cursor}}\n",
        encoding="utf-8",
    )
    app = make_app(console_store, kb_dir=kb)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        panel = app.screen.query_one(KbPanel)
        await wait_for(pilot, lambda: panel.engine is not None, timeout=60)
        await pilot.press("slash")
        for ch in "zzhostile":
            await pilot.press(ch)
        await wait_for(pilot, lambda: panel.hits and panel.hits[0].slug == "hostile-zz")
        await pilot.press("enter")
        await pilot.pause()
        box = panel.query_one("#kb-preview-box")
        preview = "\n".join(plain(w.content) for w in box.query(Static))  # title, answer, scripts
        assert "[@click=app.quit]退出[/]" in preview and "^[" in preview
        assert len(preview) < 100_000  # a 6 MB body is cut, not laid out whole
        await pilot.press("i")
        await pilot.pause()
        composer = app.screen.query_one(Composer)
        assert "\x1b" not in composer.text and "[red]这是[/red]答复" in composer.text
        shown = _all_shown(app)
        assert not RAW_CONTROL.search(shown)
    assert app.return_code in (None, 0)  # [@click=app.quit] never quit


@pytest.mark.parametrize("how", ["locked", "read-only"])
async def test_a_database_that_refuses_the_write_keeps_the_draft(how, console_store, tmp_path):
    app = make_app(console_store)
    blocker = None
    # a ticket no hard rule holds a plain reply on (an allergy one asks for stop-use advice)
    ticket_id = console_store.scalar(
        "SELECT id FROM tickets WHERE status = 'open' AND allergy = 0 ORDER BY id LIMIT 1"
    )
    async with app.run_test(size=SIZE) as pilot:
        app.screen.open_ticket(ticket_id)
        await pilot.pause()
        before = len(console_store.messages(ticket_id))
        await pilot.press("c")
        composer = app.screen.query_one(Composer)
        composer.load_text("您好,这条草稿不能丢")
        if how == "locked":
            import sqlite3

            console_store.conn.execute("PRAGMA busy_timeout = 50")
            blocker = sqlite3.connect(console_store.path, isolation_level=None)
            blocker.execute("BEGIN IMMEDIATE")
        else:
            console_store.conn.execute("PRAGMA query_only = ON")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert composer.text == "您好,这条草稿不能丢"
        messages = [str(n.message) for n in app._notifications]
        why = "另一个程序正在写缓存，没有及时完成" if how == "locked" else "缓存文件是只读的"
        assert f"未保存：{why}；什么都没改，请重试" in messages, messages
        if blocker is not None:
            blocker.execute("ROLLBACK")
            blocker.close()
        else:
            console_store.conn.execute("PRAGMA query_only = OFF")
        await pilot.press("ctrl+s")  # the same draft goes once the cache takes writes again
        await pilot.pause()
        assert len(console_store.messages(ticket_id)) == before + 1
        assert composer.text == ""
    assert app.return_code in (None, 0)


def test_kb_dir_is_untouched():
    assert Path(default_kb_dir(), "articles", "hostile-zz.md").exists() is False
