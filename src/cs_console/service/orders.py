"""Orders from a shop-system CSV export into the local cache (and, when configured, into RT).

The export's columns are those :func:`cs_console.sync.orders.read_order_rows` recognises; the
``lines`` cell reads ``SKU x QTY @ PRICE [#BATCH]; ...``. :func:`check_orders` validates every
row and names each bad one as ``file:line: message`` (the physical line of the file, the header
being line 1); it reports all of them, and if there is any, nothing is written. A row problem is
an i18n ``Text``: English as a ``str``, said in the agent's language by the CLI.

What a row must be:

- an order number of at most 64 printable characters without spaces, once in the file;
- the customer's e-mail, which looks like one and belongs to a customer in the cache;
- ``placed_at`` (and ``delivered_at`` when given) ISO-8601 dates between the years 2000 and
  2100, delivery not before the purchase;
- between 1 and ``MAX_LINES`` items, each of a known SKU, a whole quantity from 1 to
  ``MAX_QTY`` and a price in yuan;
- money (prices, ``total``: the amount paid) a plain decimal number, not negative, at most two
  decimals and at most ``MAX_MONEY``; the amount paid is not more than the items add up to (it
  is the cap of every refund on the order), nor more than a known order's cached total;
- an order already in the cache belongs to the same customer: an export cannot move an order,
  or rewrite what another customer paid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cs_console.clock import parse_iso, to_iso
from cs_console.i18n import Text
from cs_console.store.db import Store

if TYPE_CHECKING:
    from cs_console.sync.backends.base import Order

MAX_QTY = 999
"""The most items of one SKU on an order line."""
MAX_LINES = 100
"""The most lines on one order."""
MAX_MONEY = Decimal("1000000")
"""The most yuan for a unit price, an order's items or the amount paid."""
MAX_ORDER_NO = 64
YEARS = (2000, 2100)

LINE = re.compile(
    r"^\s*(?P<sku>[A-Za-z0-9_.-]+)\s*[x×*]\s*(?P<qty>[^\s@#]+)\s*@\s*(?P<price>[^\s#]+)"
    r"(?:\s*#\s*(?P<batch>[A-Za-z0-9_-]+))?\s*$"
)
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_NOT_FINITE = {"nan", "snan", "inf", "infinity"}
_WHOLE = re.compile(r"[0-9]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_CENT = Decimal("0.01")


class ImportRefused(Exception):
    """:func:`write_orders` wrote nothing: the check had found problems, or the cache changed
    between the check and the write (an order moved to another customer)."""


@dataclass
class OrdersImport:
    rows: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)  # the records, for pushing to RT


def _shown(text: str) -> str:
    """File text for a message: as it is when printable and short, else escaped (``repr``)."""
    if text.isprintable() and len(text) <= MAX_ORDER_NO:
        return text
    return repr(text[:MAX_ORDER_NO]) + ("…" if len(text) > MAX_ORDER_NO else "")


def parse_money(text: str, what: str) -> tuple[Decimal | None, Text | None]:
    """``(amount, None)`` for a plain decimal in [0, MAX_MONEY] with at most 2 decimals, else
    ``(None, problem)``."""
    if not _DECIMAL.fullmatch(text):
        if text.lstrip("+-").lower() in _NOT_FINITE:
            return None, Text("orders.check.not_finite", what=what, text=repr(text))
        return None, Text("orders.check.not_number", what=what, text=repr(text))
    value = Decimal(text)
    if value < 0:
        return None, Text("orders.check.negative", what=what, text=text)
    if value > MAX_MONEY:
        return None, Text("orders.check.money_limit", what=what, text=text, limit=MAX_MONEY)
    if value != value.quantize(_CENT):
        return None, Text("orders.check.decimals", what=what, text=text)
    return value, None


def parse_qty(text: str) -> tuple[int | None, Text | None]:
    """``(quantity, None)`` for a whole number from 1 to MAX_QTY, else ``(None, problem)``."""
    if not _WHOLE.fullmatch(text):
        return None, Text("orders.check.qty_not_whole", text=repr(text))
    if len(text.lstrip("0")) > len(str(MAX_QTY)) or int(text) > MAX_QTY:
        return None, Text("orders.check.qty_limit", text=_shown(text), limit=MAX_QTY)
    if int(text) < 1:
        return None, Text("orders.check.qty_zero")
    return int(text), None


def parse_moment(text: str, what: str) -> tuple[str | None, Text | None]:
    """``(UTC ISO text, None)`` for an ISO-8601 date in the allowed years, else a problem."""
    try:
        moment = parse_iso(text)
    except (ValueError, OverflowError):
        return None, Text("orders.check.not_date", what=what, text=repr(text))
    if not YEARS[0] <= moment.year <= YEARS[1]:
        return None, Text("orders.check.years", what=what, text=text, first=YEARS[0], last=YEARS[1])
    return to_iso(moment), None


def looks_like_email(text: str) -> bool:
    return len(text) <= 254 and text.isprintable() and _EMAIL.fullmatch(text) is not None


def _ownership(row: dict[str, Any], known: dict[str, dict[str, Any]], paid: Decimal) -> Text | None:
    """Why a known order may not be refreshed from this row, or ``None``."""
    cached = known.get(row["id"])
    if cached is None:
        return None
    if cached["customer_id"] != row["customer_id"]:
        return Text("orders.check.other_customer")
    if paid > Decimal(str(cached["total"])).quantize(_CENT):
        return Text("orders.check.over_cached_total", paid=paid, cached=f"{cached['total']:.2f}")
    return None


def check_orders(store: Store, path: str | Path) -> OrdersImport:
    """Parse and validate the export against the cache; writes nothing."""
    from cs_console.sync.orders import read_order_rows

    result = OrdersImport()
    records, problems = read_order_rows(path)
    result.problems.extend(problems)
    known_skus = store.known_skus()
    known = store.known_orders([record.order.order_no for record in records])
    seen: dict[str, int] = {}
    for record in records:
        where = Text(
            "orders.check.where", path=path, line=record.line, order=_shown(record.order.order_no)
        )
        if record.order.order_no in seen:
            also = Text("orders.check.twice", line=seen[record.order.order_no])
            result.problems.append(Text("orders.check.row", where=where, message=also))
            continue
        seen[record.order.order_no] = record.line
        found, row, lines = _check_row(store, record.order, known_skus, known)
        if found:
            result.problems.extend(
                Text("orders.check.row", where=where, message=message) for message in found
            )
        elif row is not None:
            result.orders.append(record.order)
            result.rows.append(row)
            result.lines.extend(lines)
    return result


def _check_row(
    store: Store, order: Order, known_skus: set[str], known: dict[str, dict[str, Any]]
) -> tuple[list[Text], dict[str, Any] | None, list[dict[str, Any]]]:
    """``(problems, order row, line rows)`` for one order of the export."""
    found: list[Text] = []
    if len(order.order_no) > MAX_ORDER_NO or not order.order_no.isprintable():
        found.append(Text("orders.check.order_no_long", limit=MAX_ORDER_NO))
    elif any(ch.isspace() for ch in order.order_no):
        found.append(Text("orders.check.order_no_space"))

    customer_id = None
    if not order.customer_email:
        found.append(Text("orders.check.missing", field="customer_email"))
    elif not looks_like_email(order.customer_email):
        found.append(Text("orders.check.not_email", text=repr(order.customer_email)))
    else:
        customer_id = store.customer_by_email(order.customer_email)
        if customer_id is None:
            found.append(Text("orders.check.no_customer", text=repr(order.customer_email)))

    placed = delivered = None
    if not order.placed_at:
        found.append(Text("orders.check.missing", field="placed_at"))
    else:
        placed, problem = parse_moment(order.placed_at, "placed_at")
        found.extend(filter(None, [problem]))
    if order.delivered_at:
        delivered, problem = parse_moment(order.delivered_at, "delivered_at")
        found.extend(filter(None, [problem]))
        if placed and delivered and delivered < placed:
            found.append(
                Text(
                    "orders.check.delivered_first",
                    delivered=order.delivered_at,
                    placed=order.placed_at,
                )
            )

    items: list[tuple[int, str, int, Decimal, str | None]] = []
    texts = [part.strip() for part in order.lines.split(";") if part.strip()]
    if not texts:
        found.append(Text("orders.check.no_lines"))
    elif len(texts) > MAX_LINES:
        found.append(Text("orders.check.many_lines", count=len(texts), limit=MAX_LINES))
    for index, text in enumerate(texts[:MAX_LINES], start=1):
        match = LINE.match(text)
        if not match:
            found.append(Text("orders.check.bad_item", index=index, text=repr(text)))
            continue
        if match["sku"] not in known_skus:
            unknown = Text("orders.check.unknown_sku", sku=match["sku"])
            found.append(Text("orders.check.item", index=index, message=unknown))
        qty, qty_problem = parse_qty(match["qty"])
        price, price_problem = parse_money(match["price"], "price")
        found.extend(
            Text("orders.check.item", index=index, message=p)
            for p in (qty_problem, price_problem)
            if p
        )
        if qty is not None and price is not None:
            items.append((index, match["sku"], qty, price, match["batch"]))

    total = sum((qty * price for _i, _s, qty, price, _b in items), Decimal(0))
    if total > MAX_MONEY:
        found.append(Text("orders.check.lines_limit", total=total, limit=MAX_MONEY))
    paid: Decimal | None = total
    if order.total:
        paid, problem = parse_money(order.total, "total")
        found.extend(filter(None, [problem]))
    if found or paid is None:
        return found, None, []
    if paid > total:
        return (
            [Text("orders.check.over_lines", paid=order.total, total=f"{total:.2f}")],
            None,
            [],
        )

    row = {
        "id": order.order_no,
        "customer_id": customer_id,
        "channel": "import",
        "store": None,
        "placed_at": placed,
        "promised_at": None,
        "delivered_at": delivered,
        "status": "delivered" if delivered else "placed",
        "total": float(total),
        "discount": float(total - paid),
        "paid": float(paid),
        "tracking_no": None,
        "remote_id": None,
    }
    problem = _ownership(row, known, paid)
    if problem:
        return [problem], None, []
    lines = [
        {
            "order_id": order.order_no,
            "line_no": index,
            "sku": sku,
            "qty": qty,
            "unit_price": float(price),
            "batch_no": batch,
        }
        for index, sku, qty, price, batch in items
    ]
    return [], row, lines


def write_orders(store: Store, checked: OrdersImport) -> tuple[int, int]:
    """Insert new orders with their lines and refresh known orders' dates and amounts, in one
    transaction. A known order keeps its lines: returns refer to them. Returns (new, updated).

    Who owns each order is read again inside the transaction; if another process moved one in
    between, :class:`ImportRefused` is raised and nothing is written."""
    if checked.problems:
        raise ImportRefused(Text("orders.check.refused", n=len(checked.problems)))
    with store.transaction():
        known = store.known_orders([row["id"] for row in checked.rows])
        for row in checked.rows:
            problem = _ownership(row, known, Decimal(str(row["paid"])).quantize(_CENT))
            if problem:
                raise ImportRefused(
                    Text("orders.check.moved", order=_shown(row["id"]), why=problem)
                )
        new_ids = {row["id"] for row in checked.rows if row["id"] not in known}
        for row in checked.rows:
            if row["id"] not in new_ids:
                store.refresh_order(row)
        store.insert_rows("orders", (row for row in checked.rows if row["id"] in new_ids))
        store.insert_rows(
            "order_lines", (line for line in checked.lines if line["order_id"] in new_ids)
        )
    return len(new_ids), len(checked.rows) - len(new_ids)
