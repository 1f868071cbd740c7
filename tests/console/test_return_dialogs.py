"""The one-key return, exchange and compensation dialogs, end to end through the store."""

from __future__ import annotations

import json

from console_helpers import SIZE, make_app, plain, wait_for
from textual.widgets import Select

from cs_console.tui.dialogs.returns import ApprovalDialog, ReturnDialog
from cs_console.tui.widgets.composer import Composer
from cs_console.tui.widgets.kb_panel import KbPanel


def _ticket_with_fresh_cosmetic_order(store, price_at_least: float = 0.0) -> int:
    """An open ticket whose order holds one cosmetic line delivered two days ago."""
    row = store.one(
        "SELECT t.id, t.order_id FROM tickets t JOIN orders o ON o.id = t.order_id "
        "WHERE t.status = 'open' AND o.channel != 'mall-desk' ORDER BY t.id LIMIT 1"
    )
    with store.transaction() as conn:
        conn.execute(
            "UPDATE orders SET delivered_at = '2026-11-21T08:00:00Z', placed_at = '2026-11-18T08:00:00Z', discount = 0 WHERE id = ?",
            (row["order_id"],),
        )
        conn.execute(
            "DELETE FROM order_lines WHERE order_id = ? AND line_no > 1", (row["order_id"],)
        )
        conn.execute(
            "UPDATE order_lines SET sku = 'FD-102', qty = 2, unit_price = ? WHERE order_id = ?",
            (max(359.0, price_at_least), row["order_id"]),
        )
        conn.execute("UPDATE tickets SET assignee = NULL WHERE id = ?", (row["id"],))
    return row["id"]


async def _open(pilot, app, ticket_id: int) -> None:
    panel = app.screen.query_one(KbPanel)
    await wait_for(pilot, lambda: panel.engine is not None)
    app.screen.open_ticket(ticket_id)
    await pilot.pause()


async def _choose(pilot, dialog, select_id: str, value: str) -> None:
    dialog.query_one(select_id, Select).value = value
    await pilot.pause()


async def test_return_unopened_files_once_and_drops_the_script(app, console_store):
    ticket_id = _ticket_with_fresh_cosmetic_order(console_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, ticket_id)
        await pilot.press("r")
        dialog = app.screen
        assert isinstance(dialog, ReturnDialog)
        assert dialog.picked  # the only line is picked already
        await _choose(pilot, dialog, "#rx-reason", "unopened")
        assert dialog.verdict is not None and dialog.verdict.allowed
        verdict_text = plain(dialog.query_one("#rx-verdict").content)
        assert "可以办理" in verdict_text and "359" in verdict_text
        await pilot.press("ctrl+s")
        assert not isinstance(app.screen, ReturnDialog)
        returns = console_store.all("SELECT * FROM returns WHERE ticket_id = ?", (ticket_id,))
        assert (
            len(returns) == 1
            and returns[0]["status"] == "approved"
            and returns[0]["amount"] == 359.0
        )
        ops = console_store.all(
            "SELECT * FROM outbox WHERE kind = 'create_return' AND ticket_id = ?", (ticket_id,)
        )
        assert len(ops) == 1 and json.loads(ops[0]["payload"])
        composer = app.screen.query_one(Composer)
        assert returns[0]["id"] in composer.text
        # the same request again: no second return, no second op
        await pilot.press("escape", "r")
        dialog = app.screen
        await _choose(pilot, dialog, "#rx-reason", "unopened")
        await pilot.press("ctrl+s")
        assert (
            console_store.scalar("SELECT count(*) FROM returns WHERE ticket_id = ?", (ticket_id,))
            == 1
        )
        assert (
            console_store.scalar(
                "SELECT count(*) FROM outbox WHERE kind = 'create_return' AND ticket_id = ?",
                (ticket_id,),
            )
            == 1
        )


async def test_verdict_updates_as_choices_change(app, console_store):
    ticket_id = _ticket_with_fresh_cosmetic_order(console_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, ticket_id)
        await pilot.press("r")
        dialog = app.screen
        dialog.query_one("#rx-batch").value = ""  # the line's batch, pre-filled, cleared
        await _choose(pilot, dialog, "#rx-reason", "allergy")
        assert "batch_no" in dialog.verdict.missing
        dialog.query_one("#rx-batch").value = "B2409C07"
        await pilot.pause()
        assert not dialog.verdict.missing
        assert "allergy_case" in dialog.verdict.flags
        await pilot.press("escape")
        assert console_store.scalar("SELECT count(*) FROM returns") == 0


async def test_space_and_plus_pick_lines_and_quantities(app, console_store):
    ticket_id = _ticket_with_fresh_cosmetic_order(console_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, ticket_id)
        await pilot.press("r")
        dialog = app.screen
        line_id = dialog.order_lines[0]["line_id"]
        await pilot.press("space")
        assert dialog.picked[line_id] == 0
        await pilot.press("space", "plus", "plus", "plus")
        assert dialog.picked[line_id] == 2  # never beyond what was bought


async def test_exchange_checks_the_target_against_stock(app, console_store):
    ticket_id = _ticket_with_fresh_cosmetic_order(console_store)
    with console_store.transaction() as conn:
        conn.execute("UPDATE products SET stock = 5 WHERE sku = 'FD-103'")
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, ticket_id)
        await pilot.press("x")
        dialog = app.screen
        await _choose(pilot, dialog, "#rx-reason", "wrong_shade")
        target = dialog.query_one("#rx-target", Select)
        options = [value for _, value in target._options if value != Select.NULL]
        assert "FD-103" in options and "FD-102" not in options
        await _choose(pilot, dialog, "#rx-target", "FD-103")
        assert dialog.verdict.allowed
        await pilot.press("ctrl+s")
        row = console_store.one("SELECT * FROM returns WHERE ticket_id = ?", (ticket_id,))
        assert row["kind"] == "exchange" and json.loads(row["lines"])[0]["to_sku"] == "FD-103"


async def test_trainee_large_refund_waits_for_a_supervisor_who_approves(console_store):
    ticket_id = _ticket_with_fresh_cosmetic_order(console_store, price_at_least=600.0)
    trainee = make_app(console_store, role="trainee")
    async with trainee.run_test(size=SIZE) as pilot:
        await _open(pilot, trainee, ticket_id)
        await pilot.press("r")
        dialog = trainee.screen
        await _choose(pilot, dialog, "#rx-reason", "unopened")
        assert dialog.verdict.needs_approval
        await pilot.press("ctrl+s")
        row = console_store.one("SELECT * FROM returns WHERE ticket_id = ?", (ticket_id,))
        assert row["status"] == "awaiting_approval"
        await pilot.press("a")  # a trainee cannot decide
        assert not isinstance(trainee.screen, ApprovalDialog)
    supervisor = make_app(console_store, role="supervisor")
    async with supervisor.run_test(size=SIZE) as pilot:
        from cs_console.tui.widgets.queue import QueueTable

        queue = supervisor.screen.query_one(QueueTable)
        queue.set_filter("approval")
        await pilot.pause()
        assert [str(queue.get_row_at(i)[0]) for i in range(queue.row_count)] == [str(ticket_id)]
        await _open(pilot, supervisor, ticket_id)
        await pilot.press("a")
        assert isinstance(supervisor.screen, ApprovalDialog)
        for ch in "同意":
            await pilot.press(ch)
        await pilot.press("ctrl+s")
        row = console_store.one("SELECT * FROM returns WHERE ticket_id = ?", (ticket_id,))
        assert row["status"] == "approved" and row["approved_by"] == "sup01"


async def test_compensation_for_a_late_delivery(app, console_store):
    ticket_id = _ticket_with_fresh_cosmetic_order(console_store)
    with console_store.transaction() as conn:
        conn.execute(
            "UPDATE orders SET promised_at = '2026-11-14T08:00:00Z' WHERE id = (SELECT order_id FROM tickets WHERE id = ?)",
            (ticket_id,),
        )
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, ticket_id)
        await pilot.press("k")
        dialog = app.screen
        await _choose(pilot, dialog, "#rx-reason", "delay")
        await _choose(pilot, dialog, "#rx-resolution", "points")
        await pilot.press("ctrl+s")  # 7 days late earns a coupon, not points: refused with the rule
        assert "优惠券" in plain(dialog.query_one("#rx-verdict").content)
        assert console_store.scalar("SELECT count(*) FROM returns") == 0
        await _choose(pilot, dialog, "#rx-resolution", "coupon")
        await pilot.press("ctrl+s")
        row = console_store.one("SELECT * FROM returns WHERE ticket_id = ?", (ticket_id,))
        assert row is not None and row["kind"] == "compensation" and row["resolution"] == "coupon"


async def test_the_batch_on_the_line_is_filled_in(app, console_store):
    ticket_id = _ticket_with_fresh_cosmetic_order(console_store)
    order_id = console_store.scalar("SELECT order_id FROM tickets WHERE id = ?", (ticket_id,))
    with console_store.transaction() as conn:
        conn.execute("UPDATE order_lines SET batch_no = 'B77X' WHERE order_id = ?", (order_id,))
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, ticket_id)
        await pilot.press("r")
        dialog = app.screen
        assert dialog.query_one("#rx-batch").value == "B77X"
        await _choose(pilot, dialog, "#rx-reason", "allergy")
        assert dialog.verdict is not None and "batch_no" not in dialog.verdict.missing


async def test_hints_follow_what_is_chosen(app, console_store):
    ticket_id = _ticket_with_fresh_cosmetic_order(console_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, ticket_id)
        await pilot.press("r")
        dialog = app.screen
        verdict = lambda: plain(dialog.query_one("#rx-verdict").content)  # noqa: E731
        assert dialog.picked and "请选择原因" in verdict()  # the one line is picked already
        await pilot.press("space")  # unpicked
        assert "用空格选择" in verdict()
        await pilot.press("escape", "k")
        dialog = app.screen
        assert isinstance(dialog, ReturnDialog) and dialog.kind == "compensation"
        assert "用空格" not in verdict() and "请选择原因" in verdict()
        await _choose(pilot, dialog, "#rx-reason", "delay")
        assert "延误补偿" in verdict()


async def test_another_order_of_the_customer_can_be_picked(app, console_store):
    ticket_id = _ticket_with_fresh_cosmetic_order(console_store)
    ticket = console_store.one("SELECT * FROM tickets WHERE id = ?", (ticket_id,))
    other = console_store.one(
        "SELECT o.id FROM orders o JOIN order_lines l ON l.order_id = o.id "
        "WHERE o.customer_id = ? AND o.id != ? LIMIT 1",
        (ticket["customer_id"], ticket["order_id"]),
    )
    if other is None:  # give the customer a second order
        with console_store.transaction() as conn:
            conn.execute(
                "INSERT INTO orders (id, customer_id, channel, placed_at, delivered_at, status, "
                "total, paid) SELECT 'SO-SECOND', customer_id, channel, placed_at, delivered_at, "
                "status, total, paid "
                "FROM orders WHERE id = ?",
                (ticket["order_id"],),
            )
            conn.execute(
                "INSERT INTO order_lines (order_id, line_no, sku, qty, unit_price) "
                "VALUES ('SO-SECOND', 1, 'SR-003', 1, 199)"
            )
        other_id = "SO-SECOND"
    else:
        other_id = other["id"]
    with console_store.transaction() as conn:
        conn.execute("UPDATE tickets SET order_id = NULL WHERE id = ?", (ticket_id,))
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, ticket_id)
        await pilot.press("r")
        dialog = app.screen
        assert not dialog.order_lines
        assert "先在上方选择顾客的订单" in plain(dialog.query_one("#rx-verdict").content)
        assert dialog.query_one("#rx-order", Select).has_focus  # where the hint points
        await _choose(pilot, dialog, "#rx-order", other_id)
        assert dialog.order_lines
        linked = console_store.scalar("SELECT order_id FROM tickets WHERE id = ?", (ticket_id,))
        assert linked == other_id
        audit = console_store.scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'link_order' AND ticket_id = ?",
            (ticket_id,),
        )
        assert audit == 1
