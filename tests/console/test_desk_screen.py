"""Pilot tests: press keys as an agent would, assert on the screen and on the store."""

from __future__ import annotations

import json

from console_helpers import SIZE, make_app, plain, screen_text, wait_for

from cs_console.tui.dialogs.confirm import ConfirmDialog
from cs_console.tui.screens.help import HelpScreen
from cs_console.tui.widgets.composer import Composer
from cs_console.tui.widgets.kb_panel import KbPanel
from cs_console.tui.widgets.queue import QueueTable


async def test_queue_shows_open_tickets_in_console_order(app, console_store):
    async with app.run_test(size=SIZE) as pilot:
        queue = app.screen.query_one(QueueTable)
        expected = [str(r["id"]) for r in console_store.queue("all", limit=200)]
        shown = [str(queue.get_row_at(i)[0]) for i in range(queue.row_count)]
        assert shown == expected
        assert "全部" in str(queue.border_title)
        await pilot.press("f")
        assert queue.filter_name == "mine" and "我的" in str(queue.border_title)
        await pilot.press("f")
        assert queue.filter_name == "unassigned"
        assert all(
            console_store.ticket(int(queue.get_row_at(i)[0]))["assignee"] is None
            for i in range(queue.row_count)
        )


async def test_take_next_opens_ticket_with_customer_profile(app, console_store):
    # the most urgent unassigned ticket of agent01's skill groups (the demo team's): n routes
    head = console_store.ticket(console_store.next_unassigned_of(("presale", "aftersale")))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        screen = app.screen
        assert screen.ticket_id == head["id"]
        assert console_store.ticket(head["id"])["assignee"] == "agent01"
        text = screen_text(app)
        assert f"#{head['id']}" in text
        customer = console_store.customer(head["customer_id"])
        assert customer["name"] in text
        assert ("过敏原" in text) == bool(customer["allergies"])
        phone = customer["phone"]
        assert phone not in text and f"{phone[:3]}****{phone[-4:]}" in text


async def test_enter_on_a_queue_row_opens_it(app, console_store):
    async with app.run_test(size=SIZE) as pilot:
        queue = app.screen.query_one(QueueTable)
        await pilot.press("down", "down", "enter")
        assert app.screen.ticket_id == int(queue.get_row_at(2)[0])


async def test_find_answer_insert_script_and_send_through_outbox(app, console_store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        ticket_id = app.screen.ticket_id
        panel = app.screen.query_one(KbPanel)
        await wait_for(pilot, lambda: panel.engine is not None)
        await pilot.press("slash", "g", "u", "o", "m", "i", "n")
        await wait_for(pilot, lambda: bool(panel.hits))
        assert panel.hits[0].slug == "allergy-reaction-handling"
        await pilot.press("enter")
        assert panel.previewing == "allergy-reaction-handling"
        await pilot.press("i")
        composer = app.screen.query_one(Composer)
        assert composer.has_focus
        customer = console_store.customer(console_store.ticket(ticket_id)["customer_id"])
        assert composer.text.startswith(customer["name"]) and "{{" not in composer.text
        # fill any prompt the ticket could not, then send
        composer.load_text(composer.text.replace("【", "").replace("】", ""))
        before = console_store.scalar("SELECT count(*) FROM outbox")
        await pilot.press("ctrl+s")
        assert console_store.scalar("SELECT count(*) FROM outbox") == before + 1
        op = console_store.one("SELECT * FROM outbox ORDER BY seq DESC LIMIT 1")
        assert op["kind"] == "reply" and op["ticket_id"] == ticket_id
        assert json.loads(op["payload"])["body"] == composer_text_sent(console_store, ticket_id)
        assert composer.text == ""
        assert "2 待同步" in screen_text(app)  # the take-next assignment and the reply


def composer_text_sent(store, ticket_id):
    return store.scalar(
        "SELECT body FROM messages WHERE ticket_id = ? ORDER BY id DESC LIMIT 1", (ticket_id,)
    )


async def test_send_is_refused_while_prompts_are_unfilled(app, console_store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        composer = app.screen.query_one(Composer)
        composer.load_text("您好,您的退货单号是【退换货单号】")
        composer.focus()
        before = console_store.scalar("SELECT count(*) FROM outbox")
        await pilot.press("ctrl+s")
        assert console_store.scalar("SELECT count(*) FROM outbox") == before


async def test_scripts_stack_and_cursor_lands_on_marker(app, console_store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        panel = app.screen.query_one(KbPanel)
        await wait_for(pilot, lambda: panel.engine is not None)
        await pilot.press("slash", "g", "u", "o", "m", "i", "n")
        await wait_for(pilot, lambda: bool(panel.hits))
        await pilot.press("enter", "i")
        composer = app.screen.query_one(Composer)
        first = composer.text
        await pilot.press("f3")
        panel.query_one("#kb-query").value = ""
        await pilot.press("s", "h", "a", "o", "d", "e", "n", "g")
        await wait_for(pilot, lambda: bool(panel.hits) and panel.hits[0].slug == "script-hold")
        await pilot.press("enter", "i")
        assert composer.text.startswith(first.rstrip()) and "\n\n" in composer.text
        assert len(composer.text) > len(first)


async def test_note_mode_writes_an_internal_note(app, console_store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "c")
        await pilot.press("ctrl+t")
        for ch in "客户是老顾客":
            await pilot.press(ch)
        await pilot.press("ctrl+s")
        message = console_store.one("SELECT * FROM messages ORDER BY id DESC LIMIT 1")
        assert message["direction"] == "note" and message["body"] == "客户是老顾客"
        assert (
            console_store.one("SELECT kind FROM outbox ORDER BY seq DESC LIMIT 1")["kind"]
            == "comment"
        )


async def test_escalate_with_reason(app, console_store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        ticket_id = app.screen.ticket_id
        await pilot.press("e")
        await pilot.press("enter")  # empty reason is refused
        assert not console_store.ticket(ticket_id)["escalated"]
        for ch in "要求主管":
            await pilot.press(ch)
        await pilot.press("enter")
        ticket = console_store.ticket(ticket_id)
        assert ticket["escalated"] == 1 and ticket["assignee"] == "sup01"
        assert (
            console_store.one("SELECT kind FROM outbox ORDER BY seq DESC LIMIT 1")["kind"]
            == "escalate"
        )


async def test_resolve_and_wait_keys(app, console_store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        ticket_id = app.screen.ticket_id
        await pilot.press("ctrl+w")
        assert console_store.ticket(ticket_id)["status"] == "pending"
        queue = app.screen.query_one(QueueTable)
        # "all" holds waiting tickets too (issue 11): the row stays, its clock shown paused
        assert str(ticket_id) in [str(queue.get_row_at(i)[0]) for i in range(queue.row_count)]
        assert queue.get_cell(str(ticket_id), "sla").style == "dim"
        await pilot.press("ctrl+d")
        if isinstance(app.screen, ConfirmDialog):  # the customer spoke last: resolving asks
            await pilot.press("y")
        assert console_store.ticket(ticket_id)["status"] == "resolved"


async def test_reveal_phone_is_audited(app, console_store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        customer = console_store.customer(console_store.ticket(app.screen.ticket_id)["customer_id"])
        assert customer["phone"] not in screen_text(app)
        await pilot.press("v")
        assert customer["phone"] in screen_text(app)
        assert console_store.audit()[0]["action"] == "reveal_phone"


async def test_return_and_exchange_keys_answer(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")  # no ticket yet: asks for one
        await pilot.press("n", "r")
        await pilot.pause()
        assert app.screen.ticket_id is not None


async def test_help_lists_the_focused_panes_keys(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "c", "f1")
        assert isinstance(app.screen, HelpScreen)
        text = plain(app.screen.query_one("Static").content)
        assert "发送" in text and "^s" in text
        assert "升级" not in text  # `e` types in the reply box (see test_shift_drafts_keys)
        assert "Cursor up" not in text  # only the console's own, translated bindings
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_finds_a_ticket_by_number(app, console_store):
    target = console_store.queue("all", limit=5)[3]["id"]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        for ch in str(target):
            await pilot.press(ch)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: getattr(app.screen, "ticket_id", None) == target)


async def test_english_interface(console_store):
    app = make_app(console_store, lang="en")
    async with app.run_test(size=SIZE):
        text = screen_text(app)
        assert "Queue · all" in text and "队列" not in text


async def test_keys_can_be_rebound_from_config(console_store):
    app = make_app(console_store, keys={"escalate": "ctrl+e"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "ctrl+e")
        from cs_console.tui.dialogs.escalate import EscalateDialog

        assert isinstance(app.screen, EscalateDialog)


async def test_sla_countdown_updates_cells_in_place(app, console_store):
    async with app.run_test(size=SIZE) as pilot:
        queue = app.screen.query_one(QueueTable)
        keys = [str(queue.get_row_at(i)[0]) for i in range(queue.row_count)]
        first_key = next(k for k in keys if ":" in queue.get_cell(k, "sla").plain)  # under an hour
        before = queue.get_cell(first_key, "sla").plain
        rows_before = queue.row_count
        console_store.clock.advance(minutes=7)
        queue.tick()
        await pilot.pause()
        assert queue.get_cell(first_key, "sla").plain != before
        assert queue.row_count == rows_before


async def test_every_binding_has_an_id_and_a_tooltip(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        classes = {type(node) for node in [app.screen, *app.screen.query("*")]}
        ours = [
            binding
            for cls in classes
            for klass in cls.__mro__
            if klass.__module__.startswith("cs_console") and "BINDINGS" in vars(klass)
            for binding in vars(klass)["BINDINGS"]
        ]
        assert len(ours) >= 15
        for binding in ours:
            assert binding.id, binding
            assert binding.tooltip and binding.tooltip.startswith("key."), binding
        shown = [b for _, b in app.screen._bindings if b.id == "escalate"]
        assert shown and shown[0].tooltip == "带原因转给主管"


async def test_console_starts_with_the_valid_articles_and_says_what_was_skipped(
    console_store, tmp_path
):
    import shutil

    from cs_console.kb.paths import default_kb_dir

    kb = tmp_path / "kb"
    shutil.copytree(default_kb_dir(), kb)
    (kb / "articles" / "broken.md").write_text(
        "+++\nslug = \n+++\nno front matter value\n", encoding="utf-8"
    )
    (kb / "articles" / "binary.md").write_bytes(b"\xff\xfe\x00garbage")
    app = make_app(console_store, kb_dir=kb)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.screen.query_one(KbPanel)
        await wait_for(pilot, lambda: panel.engine is not None)
        await pilot.pause()
        status = plain(panel.query_one("#kb-status").content)
        assert "跳过 2" in status and "broken.md" in status
        assert len(panel.engine.articles) == 70
