"""Orders into RT: each order is an asset in the ``Orders`` catalog, named by order number.

:func:`read_orders_csv` accepts a shop-system export (UTF-8, BOM allowed) with a header row;
recognised columns (case-insensitive, Chinese headers too): ``order_no``/``id``/``订单号``,
``customer_email``/``email``/``邮箱``, ``placed_at``/``下单时间``, ``delivered_at``/``签收时间``,
``total``/``金额``, ``lines``/``明细``. Bad rows are reported with their line number and skipped.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cs_console.sync.backends.base import Order, Outcome

ALIASES = {
    "order_no": ("order_no", "order", "id", "order_id", "订单号"),
    "customer_email": ("customer_email", "email", "邮箱"),
    "placed_at": ("placed_at", "下单时间"),
    "delivered_at": ("delivered_at", "签收时间"),
    "total": ("total", "amount", "金额"),
    "lines": ("lines", "明细"),
}


@dataclass
class ImportReport:
    imported: int = 0
    problems: list[str] = field(default_factory=list)


def read_orders_csv(path: str | Path) -> tuple[list[Order], list[str]]:
    orders: list[Order] = []
    problems: list[str] = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
        cols = {}
        for key, names in ALIASES.items():
            for n in names:
                if n in header:
                    cols[key] = header[n]
                    break
        if "order_no" not in cols:
            return [], [
                f"{path}:1: no order number column (one of {', '.join(ALIASES['order_no'])})"
            ]
        for lineno, row in enumerate(reader, start=2):
            values = {k: (row.get(c) or "").strip() for k, c in cols.items()}
            if not values["order_no"]:
                problems.append(f"{path}:{lineno}: empty order number, row skipped")
                continue
            orders.append(Order(**values))
    return orders, problems


def push_orders(backend, orders: Iterable[Order]) -> ImportReport:
    rep = ImportReport()
    for o in orders:
        res = backend.upsert_order(o)
        if res.outcome is Outcome.DONE:
            rep.imported += 1
        else:
            rep.problems.append(f"order {o.order_no}: {res.outcome.value}: {res.message}")
    return rep
