"""`n` in the console follows the routing rule: the agent gets a ticket of their skill group,
and at the load limit a warning instead of a ticket."""

from __future__ import annotations

from console_helpers import SIZE, make_app, wait_for

from cs_console.policy.routing import RoutingRule


async def test_take_next_gives_a_ticket_of_the_agents_group(console_store):
    app = make_app(console_store)  # agent01: pre-sale and after-sale in the demo team
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        ticket = console_store.ticket(app.screen.ticket_id)
        assert ticket["assignee"] == "agent01"
        assert ticket["skill_group"] in ("presale", "aftersale")


async def test_take_next_at_the_limit_warns_and_opens_nothing(console_store):
    app = make_app(console_store, lang="en")
    held = console_store.scalar(
        "SELECT count(*) FROM tickets WHERE assignee = 'agent01' AND status = 'open'"
    )
    assert held >= 1  # the demo team holds some already
    app.desk.routing = RoutingRule(max_load=held)
    ops = len(console_store.outbox())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        expected = (
            f"You already hold {held} open tickets (the limit is {held}); "
            "finish one before taking another."
        )
        await wait_for(pilot, lambda: expected in [str(n.message) for n in app._notifications])
        assert app.screen.ticket_id is None
    assert len(console_store.outbox()) == ops
