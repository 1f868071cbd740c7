"""The palette finds a customer by name and offers each of their tickets, not only the latest."""

from __future__ import annotations

from console_helpers import SIZE, make_app, wait_for
from textual.command import CommandList


async def test_every_ticket_of_a_customer_found_by_name(console_store):
    customer_id = console_store.scalar(
        "SELECT customer_id FROM tickets GROUP BY customer_id HAVING count(*) >= 2 LIMIT 1"
    )
    with console_store.transaction() as conn:
        conn.execute("UPDATE customers SET name = 'Quillon Vask' WHERE id = ?", (customer_id,))
    tickets = {
        r["id"]
        for r in console_store.all("SELECT id FROM tickets WHERE customer_id = ?", (customer_id,))
    }
    app = make_app(console_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        for ch in "Quillon":
            await pilot.press(ch)
        options = app.screen.query_one(CommandList)
        await wait_for(pilot, lambda: options.option_count >= min(len(tickets), 5))
        prompts = [
            str(getattr(options.get_option_at_index(i).prompt, "plain", ""))
            for i in range(options.option_count)
        ]
        shown = {tid for tid in tickets if any(f"#{tid} " in p for p in prompts)}
        assert len(shown) == min(len(tickets), 5), prompts
        await pilot.press("down", "enter")  # the second one opens
        await wait_for(pilot, lambda: getattr(app.screen, "ticket_id", None) in tickets)
