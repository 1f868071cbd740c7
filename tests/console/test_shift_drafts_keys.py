"""A whole shift without surprises (issue 11): drafts kept, quitting asks, resolve confirms,
help tells the truth, tab fills prompts, the palette lands on the ticket, agents see only what
they may do."""

from __future__ import annotations

from console_helpers import SIZE, make_app, plain, wait_for

from cs_console.service.desk import Desk
from cs_console.service.session import sign_in
from cs_console.tui.dialogs.confirm import ConfirmDialog
from cs_console.tui.screens.help import HelpScreen
from cs_console.tui.widgets.composer import Composer
from cs_console.tui.widgets.queue import QueueTable


def _two_open_tickets(store) -> tuple[int, int]:
    rows = store.queue("all", limit=2)
    return rows[0]["id"], rows[1]["id"]


def _screen_rows(app) -> list[str]:
    """The terminal's rows as text, read from the screenshot."""
    import html
    import re

    rows: dict[str, list[tuple[float, str]]] = {}
    svg = app.export_screenshot()
    for x, y, text in re.findall(
        r'<text class="[^"]*" x="([0-9.]+)" y="([0-9.]+)"[^>]*>(.*?)</text>', svg
    ):
        rows.setdefault(y, []).append((float(x), html.unescape(text).replace("\xa0", " ")))
    return [
        "".join(text for _x, text in sorted(row))
        for _y, row in sorted(rows.items(), key=lambda r: float(r[0]))
    ]


async def _open(pilot, app, ticket_id: int) -> None:
    app.screen.open_ticket(ticket_id)
    await pilot.pause()


async def test_a_draft_survives_moving_to_another_ticket_and_back(app, console_store):
    first, second = _two_open_tickets(console_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, first)
        await pilot.press("c", *"您好,稍等")
        await _open(pilot, app, second)
        composer = app.screen.query_one(Composer)
        assert composer.text == ""
        await _open(pilot, app, first)
        assert composer.text == "您好,稍等"
    assert console_store.draft(first, "agent01")["body"] == "您好,稍等"


async def test_a_draft_is_in_the_cache_shortly_after_typing_so_a_crash_keeps_it(app, console_store):
    first, _ = _two_open_tickets(console_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, first)
        await pilot.press("c", *"abc")
        await wait_for(pilot, lambda: console_store.draft(first, "agent01") is not None)
        assert console_store.draft(first, "agent01")["body"] == "abc"
        # the process "dies" here: a new console on the same cache shows the draft
    again = make_app(console_store)
    async with again.run_test(size=SIZE) as pilot:
        await _open(pilot, again, first)
        assert again.screen.query_one(Composer).text == "abc"


async def test_a_draft_keeps_note_mode_and_is_dropped_when_sent(app, console_store):
    first, second = _two_open_tickets(console_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, first)
        await pilot.press("c", "ctrl+t", *"内部")
        await _open(pilot, app, second)
        await _open(pilot, app, first)
        composer = app.screen.query_one(Composer)
        assert composer.note and composer.text == "内部"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert console_store.draft(first, "agent01") is None
        assert composer.text == ""


async def test_drafts_are_the_agents_own(console_store):
    first, _ = _two_open_tickets(console_store)
    from cs_console.service.drafts import Drafts

    Drafts(Desk(console_store, sign_in(console_store, "agent01"))).save(first, "mine")
    other = Drafts(Desk(console_store, sign_in(console_store, "agent02")))
    assert other.get(first) is None and other.unsent() == []


async def test_quitting_with_an_unsent_draft_asks_and_no_keeps_the_console(app, console_store):
    first, _ = _two_open_tickets(console_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, first)
        await pilot.press("c", *"hi", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert f"#{first}" in app.screen.question
        box = app.screen.query_one("#dialog").region  # in the middle, not over the top bar
        assert abs(box.center[0] - SIZE[0] // 2) <= 1 and box.y > 0
        rows = [row.strip("█▀▄ ") for row in _screen_rows(app)]
        assert "1张工单有未发送的回复草稿" in "".join(rows)  # not "1" on a line of its own
        assert "1" not in rows
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog) and app.is_running
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
    assert app.return_code == 0
    assert console_store.draft(first, "agent01")["body"] == "hi"


async def test_quitting_without_drafts_does_not_ask(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


def _unanswered(store) -> int:
    desk = Desk(store, sign_in(store, "agent01"))
    return next(r["id"] for r in store.queue("all", limit=50) if desk.awaiting_reply(r["id"]))


async def test_resolving_an_unanswered_ticket_asks_first(app, console_store):
    ticket_id = _unanswered(console_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, ticket_id)
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert console_store.ticket(ticket_id)["status"] != "resolved"
        await pilot.press("ctrl+d", "y")
        await pilot.pause()
        assert console_store.ticket(ticket_id)["status"] == "resolved"


async def test_resolving_after_a_reply_does_not_ask(app, console_store):
    ticket_id = _unanswered(console_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, ticket_id)
        app.screen.desk.reply(ticket_id, "您好,已为您处理")
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        assert console_store.ticket(ticket_id)["status"] == "resolved"


async def test_help_in_the_reply_box_shows_what_keys_do_there(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "c", "f1")
        assert isinstance(app.screen, HelpScreen)
        text = plain(app.screen.query_one("Static").content)
        assert "发送" in text and "^s" in text  # the composer's own
        assert "在这里编辑文字" in text  # ctrl+d / ctrl+w delete here, not resolve / wait
        assert "升级" not in text  # `e` types an "e" in the reply box
        assert "Cursor up" not in text


async def test_help_on_the_queue_offers_the_letter_keys(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        text = plain(app.screen.query_one("Static").content)
        assert "升级" in text and "接下一单" in text


async def test_tab_selects_the_next_prompt_in_the_reply(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "c")
        composer = app.screen.query_one(Composer)
        composer.load_text("您的订单【订单号】的【商品名称】已寄出")
        composer.move_cursor((0, 0))
        await pilot.press("tab")
        assert composer.selected_text == "【订单号】"
        await pilot.press("tab")
        assert composer.selected_text == "【商品名称】"
        await pilot.press(*"面霜")
        assert composer.text == "您的订单【订单号】的面霜已寄出"


async def test_tab_leaves_the_reply_box_when_no_prompt_is_left(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "c", *"ok", "tab")
        assert not app.screen.query_one(Composer).has_focus


async def test_the_palette_opens_a_ticket_with_focus_on_the_conversation(app, console_store):
    target = console_store.queue("all", limit=5)[3]["id"]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "c")  # typing a reply somewhere else first
        await pilot.press("ctrl+p", *str(target))
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.ticket_id == target)
        await pilot.pause()
        assert app.screen.focused is not None and app.screen.focused.id == "conversation"
        await pilot.press("x")  # acts (the exchange dialog), does not type an "x"
        await pilot.pause()
        assert "x" not in app.screen_stack[1].query_one(Composer).text


async def test_approvals_key_is_hidden_from_agents_and_shown_to_supervisors(console_store):
    agent = make_app(console_store, role="agent")
    async with agent.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert "approvals" not in {b.binding.id for b in agent.screen.active_bindings.values()}
    supervisor = make_app(console_store, role="supervisor")
    async with supervisor.run_test(size=SIZE):
        ids = {b.binding.id for b in supervisor.screen.active_bindings.values()}
        assert "approvals" in ids


async def test_queue_still_focused_after_start(app):
    async with app.run_test(size=SIZE):
        assert isinstance(app.screen.focused, QueueTable)


async def test_an_empty_escalation_reason_says_what_is_missing(app, console_store):
    from textual.widgets import Static

    from cs_console.tui.dialogs.escalate import EscalateDialog

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "e", "space", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EscalateDialog)
        problem = app.screen.query_one("#escalate-problem", Static)
        assert "原因" in str(problem.render())
        assert not console_store.ticket(app.screen_stack[1].ticket_id)["escalated"]


async def test_a_ticket_with_a_draft_is_marked_in_the_queue(app, console_store):
    first, _ = _two_open_tickets(console_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, first)
        await pilot.press("c", *"hi")
        app.screen._flush_draft()
        queue = app.screen.query_one(QueueTable)
        assert "✎" in queue.get_cell(str(first), "flags").plain
        await pilot.press("backspace", "backspace")
        app.screen._flush_draft()
        assert "✎" not in queue.get_cell(str(first), "flags").plain
