"""The demo's orders fit its tickets (issue 11, item 10): a newcomer's first `r` on the demo
queue can succeed, and every return reason for goods can be tried somewhere on the demo."""

from __future__ import annotations

from cs_console.service.desk import Desk, DeskError
from cs_console.service.returns import Returns
from cs_console.service.session import sign_in

GOODS_REASONS = {"unopened", "quality", "allergy", "damaged", "wrong_item", "missing_item"}


def _allowed(returns: Returns, ticket_id: int) -> set[str]:
    """The reasons a return of one item of a line is allowed for (evidence at hand)."""
    found: set[str] = set()
    for line in returns.lines(ticket_id):
        for reason in line["reasons"]:
            try:
                verdict = returns.preview(
                    ticket_id, [(line["sku"], 1)], reason, batch_no=line["batch_no"], photos=True
                )
            except DeskError:
                continue
            if verdict.allowed:
                found.add(reason)
    return found


def test_the_first_order_in_the_queue_and_every_goods_reason_can_be_tried(console_store):
    desk = Desk(console_store, sign_in(console_store, "agent01"))
    returns = Returns(desk)
    queue = console_store.queue("all", limit=200)  # in console order
    with_order = [row["id"] for row in queue if desk.ticket(row["id"]).get("order_id")]
    assert with_order
    assert _allowed(returns, with_order[0])  # not refused on every reason
    tried: set[str] = set()
    for ticket_id in with_order:
        tried |= _allowed(returns, ticket_id)
    assert tried >= GOODS_REASONS, GOODS_REASONS - tried
