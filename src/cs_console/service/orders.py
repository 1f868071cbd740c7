"""Orders from a shop-system CSV export into the local cache (and, when configured, into RT).

The export's columns are those :func:`cs_console.sync.orders.read_orders_csv` recognises; the
``lines`` cell reads ``SKU x QTY @ PRICE [#BATCH]; ...``. Every row is checked first; if any row
is bad, nothing is written and each problem is reported with its line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cs_console.clock import parse_iso, to_iso
from cs_console.store.db import Store

LINE = re.compile(
    r"^\s*(?P<sku>[A-Za-z0-9_.-]+)\s*[x×*]\s*(?P<qty>\d+)\s*@\s*(?P<price>\d+(?:\.\d+)?)"
    r"(?:\s*#\s*(?P<batch>[A-Za-z0-9_-]+))?\s*$"
)


@dataclass
class OrdersImport:
    rows: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    orders: list[Any] = field(default_factory=list)  # the parsed sync.orders.Order records


def check_orders(store: Store, path: str | Path) -> OrdersImport:
    """Parse and validate the export against the cache; writes nothing."""
    from cs_console.sync.orders import read_orders_csv

    result = OrdersImport()
    orders, problems = read_orders_csv(path)
    result.problems.extend(problems)
    known_skus = store.known_skus()
    seen: set[str] = set()
    for order in orders:
        where = f"{path}: order {order.order_no}"
        if order.order_no in seen:
            result.problems.append(f"{where}: appears twice in the file")
            continue
        seen.add(order.order_no)
        customer_id = store.customer_by_email(order.customer_email)
        if customer_id is None:
            result.problems.append(
                f"{where}: no customer with e-mail {order.customer_email!r} in the cache"
            )
            continue
        try:
            placed = to_iso(parse_iso(order.placed_at)) if order.placed_at else None
            delivered = to_iso(parse_iso(order.delivered_at)) if order.delivered_at else None
        except ValueError:
            result.problems.append(f"{where}: dates must be ISO-8601 (2026-11-20 14:30)")
            continue
        if placed is None:
            result.problems.append(f"{where}: placed_at is missing")
            continue
        parsed = []
        for index, text in enumerate(
            filter(None, (part.strip() for part in order.lines.split(";"))), start=1
        ):
            match = LINE.match(text)
            if not match:
                result.problems.append(
                    f"{where}: line {index} {text!r}: write SKU x QTY @ PRICE [#BATCH]"
                )
                break
            if match["sku"] not in known_skus:
                result.problems.append(f"{where}: line {index}: unknown SKU {match['sku']}")
                break
            parsed.append((index, match))
        else:
            if not parsed:
                result.problems.append(f"{where}: no order lines")
                continue
            total = sum(int(m["qty"]) * float(m["price"]) for _, m in parsed)
            paid = float(order.total) if order.total else total
            result.orders.append(order)
            result.rows.append(
                {
                    "id": order.order_no,
                    "customer_id": customer_id,
                    "channel": "import",
                    "store": None,
                    "placed_at": placed,
                    "promised_at": None,
                    "delivered_at": delivered,
                    "status": "delivered" if delivered else "placed",
                    "total": round(total, 2),
                    "discount": round(max(0.0, total - paid), 2),
                    "paid": round(paid, 2),
                    "tracking_no": None,
                    "remote_id": None,
                }
            )
            for index, match in parsed:
                result.lines.append(
                    {
                        "order_id": order.order_no,
                        "line_no": index,
                        "sku": match["sku"],
                        "qty": int(match["qty"]),
                        "unit_price": float(match["price"]),
                        "batch_no": match["batch"],
                    }
                )
    return result


def write_orders(store: Store, checked: OrdersImport) -> tuple[int, int]:
    """Insert new orders with their lines and refresh known orders' dates and amounts, in one
    transaction. A known order keeps its lines: returns refer to them. Returns (new, updated)."""
    known = store.order_ids()
    new_ids = {row["id"] for row in checked.rows if row["id"] not in known}
    with store.transaction():
        for row in checked.rows:
            if row["id"] not in new_ids:
                store.refresh_order(row)
        store.insert_rows("orders", (row for row in checked.rows if row["id"] in new_ids))
        store.insert_rows(
            "order_lines", (line for line in checked.lines if line["order_id"] in new_ids)
        )
    return len(new_ids), len(checked.rows) - len(new_ids)
