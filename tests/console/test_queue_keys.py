"""The queue in the console: filter keys, keyset paging (keys and arrows), live search."""

from __future__ import annotations

import pytest
from console_helpers import SIZE, make_app, wait_for

from cs_console import demo
from cs_console.clock import FixedClock
from cs_console.store.db import Store
from cs_console.tui.widgets.queue import FIRST_ROWS_MIN, PAGE_SIZE, QueueTable

PINNED = "2026-11-23T08:00:00Z"


@pytest.fixture
def big_store(tmp_path):
    """Enough active tickets for more than two pages of the queue."""
    store = Store.open(tmp_path / "big.db", FixedClock(PINNED))
    demo.seed(store, tickets=1100, seed_value=5)
    yield store
    store.close()


def shown(queue: QueueTable) -> list[int]:
    return [int(str(queue.get_row_at(i)[0])) for i in range(queue.row_count)]


async def test_number_keys_pick_filters_and_approvals_only_for_a_supervisor(console_store):
    pending = console_store.scalar("SELECT id FROM tickets WHERE status = 'pending' LIMIT 1")
    order = console_store.scalar("SELECT id FROM orders LIMIT 1")
    with console_store.transaction() as conn:
        conn.execute(
            "INSERT INTO returns (id, request_key, ticket_id, order_id, kind, reason, "
            "resolution, lines, status, created_by, created_at, updated_at) VALUES ('R1', 'k1', "
            "?, ?, 'return', 'opened', 'refund', '[]', 'awaiting_approval', 'agent01', ?, ?)",
            (pending, order, PINNED, PINNED),
        )
    sup = make_app(console_store, role="supervisor")
    async with sup.run_test(size=SIZE) as pilot:
        queue = sup.screen.query_one(QueueTable)
        await pilot.press("8")
        assert queue.filter_name == "approvals"
        assert shown(queue) == [pending]  # its ticket waits on the customer: still shown
        assert "1-1/1" in str(queue.border_title)
        await pilot.press("6")
        assert queue.filter_name == "waiting"
        await pilot.press("1")
        assert queue.filter_name == "all"
    agent = make_app(console_store, role="agent")
    async with agent.run_test(size=SIZE) as pilot:
        queue = agent.screen.query_one(QueueTable)
        await pilot.press("7")
        assert queue.filter_name == "followups"
        await pilot.press("1")
        await pilot.press("8")
        assert queue.filter_name == "all"  # no eighth filter for an agent: the key is hidden
        keys = {b.binding.action for b in agent.screen.active_bindings.values() if b.enabled}
        assert "pick_filter(6)" in keys and "pick_filter(7)" not in keys
        for _ in range(len(queue.filters)):
            await pilot.press("f")
            assert queue.filter_name != "approvals"


async def test_pages_by_keys_and_by_arrows_past_the_edges(big_store):
    app = make_app(big_store)
    total = big_store.queue_count("all")
    assert total > 2 * PAGE_SIZE
    everything = [r["id"] for r in big_store.queue("all", limit=total)]
    async with app.run_test(size=SIZE) as pilot:
        queue = app.screen.query_one(QueueTable)
        await wait_for(pilot, lambda: queue.row_count == PAGE_SIZE)
        assert shown(queue) == everything[:PAGE_SIZE]
        await pilot.press("]")
        assert shown(queue) == everything[PAGE_SIZE : 2 * PAGE_SIZE]
        assert f"{PAGE_SIZE + 1}-{2 * PAGE_SIZE}/{total}" in str(queue.border_title)
        await pilot.press("[")
        assert shown(queue) == everything[:PAGE_SIZE]
        queue.move_cursor(row=PAGE_SIZE - 1)
        await pilot.press("down")  # on the last row: the next page, from its first row
        assert shown(queue) == everything[PAGE_SIZE : 2 * PAGE_SIZE] and queue.cursor_row == 0
        await pilot.press("up")  # on the first row: back, onto the previous page's last row
        assert shown(queue) == everything[:PAGE_SIZE]
        assert queue.cursor_row == PAGE_SIZE - 1
        await pilot.press("up")
        assert queue.cursor_row == PAGE_SIZE - 2  # inside a page the arrows just move
        for _ in range(5):
            await pilot.press("]")
        assert shown(queue) == everything[-(total % PAGE_SIZE or PAGE_SIZE) :]  # stops at the end


async def test_the_first_page_is_a_screenful_and_the_rest_follows(monkeypatch, big_store):
    """At launch only the rows a screen shows are read and drawn; the rest of the page comes
    after that frame (issue 16: 200 rows of cells cost 17 ms of the launch)."""
    sizes: list[int] = []
    show = QueueTable._show

    def recording(self: QueueTable, page, *args, **kwargs) -> None:
        sizes.append(len(page.rows))
        show(self, page, *args, **kwargs)

    monkeypatch.setattr(QueueTable, "_show", recording)
    everything = [r["id"] for r in big_store.queue("all", limit=2 * PAGE_SIZE)]
    app = make_app(big_store)
    async with app.run_test(size=SIZE) as pilot:
        queue = app.screen.query_one(QueueTable)
        await wait_for(pilot, lambda: queue.row_count == PAGE_SIZE)
        assert FIRST_ROWS_MIN <= sizes[0] <= SIZE[1]
        assert shown(queue) == everything[:PAGE_SIZE]
        assert f"1-{PAGE_SIZE}/" in str(queue.border_title)
        await pilot.press("]")
        assert shown(queue) == everything[PAGE_SIZE : 2 * PAGE_SIZE]  # pages stay whole


async def test_paging_before_the_rest_of_the_first_page_came_completes_it_first(
    monkeypatch, big_store
):
    # the rest never comes by itself here: only the agent's keys bring it
    monkeypatch.setattr(QueueTable, "call_after_refresh", lambda self, *a, **k: True)
    everything = [r["id"] for r in big_store.queue("all", limit=2 * PAGE_SIZE)]
    app = make_app(big_store)
    async with app.run_test(size=SIZE) as pilot:
        queue = app.screen.query_one(QueueTable)
        await wait_for(pilot, lambda: queue.row_count > 0)
        short = queue.row_count
        assert short < PAGE_SIZE
        queue.move_cursor(row=short - 1)
        await pilot.press("down")  # past the short page's last row: the rest, then one down
        assert queue.row_count == PAGE_SIZE and queue.cursor_row == short
        assert shown(queue) == everything[:PAGE_SIZE]
    app = make_app(big_store)
    async with app.run_test(size=SIZE) as pilot:
        queue = app.screen.query_one(QueueTable)
        await wait_for(pilot, lambda: queue.row_count > 0)
        # a ticket added to the short page meanwhile (a sync round) is not shown twice
        queue.refresh_ticket(everything[queue.row_count + 3])
        await pilot.press("]")
        assert shown(queue) == everything[PAGE_SIZE : 2 * PAGE_SIZE]
        assert f"{PAGE_SIZE + 1}-{2 * PAGE_SIZE}/" in str(queue.border_title)
        await pilot.press("[")
        assert shown(queue) == everything[:PAGE_SIZE]


async def test_search_is_live_paged_and_cleared_by_escape(big_store):
    word = "退款"
    with big_store.transaction() as conn:  # a word in more subjects than one page holds
        conn.execute("UPDATE tickets SET subject = subject || ' 退款' WHERE id % 2 = 0")
    matches = [
        r["id"]
        for r in big_store.queue("all", limit=10_000)
        if word in r["subject"] or word in (r["customer_name"] or "")
    ]
    assert len(matches) > PAGE_SIZE
    app = make_app(big_store)
    async with app.run_test(size=SIZE) as pilot:
        queue = app.screen.query_one(QueueTable)
        await pilot.press("ctrl+f")
        await pilot.press(*word)  # no enter: the search runs after a pause in typing
        await wait_for(pilot, lambda: queue.search == word and not queue.searching)
        await wait_for(pilot, lambda: shown(queue) == matches[:PAGE_SIZE])
        assert f"1-{PAGE_SIZE}/{len(matches)}" in str(queue.border_title)
        queue.focus()
        await pilot.press("]")
        await wait_for(pilot, lambda: shown(queue) == matches[PAGE_SIZE : 2 * PAGE_SIZE])
        await pilot.press("[")
        await wait_for(pilot, lambda: shown(queue) == matches[:PAGE_SIZE])
        await pilot.press("escape")  # on the searched queue: clears the search
        await wait_for(pilot, lambda: queue.search == "")
        assert shown(queue) == [r["id"] for r in big_store.queue("all", limit=PAGE_SIZE)]


async def test_hostile_search_text_stays_literal_in_the_title(console_store):
    app = make_app(console_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        queue = app.screen.query_one(QueueTable)
        await pilot.press("ctrl+f")
        await pilot.press(*"[b]x")
        await wait_for(pilot, lambda: queue.search == "[b]x" and not queue.searching)
        from rich.text import Text

        assert "[b]x" in Text.from_markup(str(queue.border_title)).plain  # shown, not obeyed
        assert queue.row_count == 0
