"""A small cache with one ticket per return situation, dated relative to a pinned clock.

``build(store)`` writes agents, the demo catalogue (with known stock), customers, orders, lines
and one open ticket per scenario, and returns ``{scenario: ticket_id}``. Orders are placed and
delivered at fixed offsets from ``store.clock.now()`` so each verdict is exact.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from cs_console.clock import to_iso
from cs_console.demo.generator import AGENTS, PRODUCTS
from cs_console.store.db import Store

OUT_OF_STOCK = {"FD-103", "LS-407"}

# scenario: (channel, delivered days ago (None: not delivered), promised days ago,
#            [(sku, qty)], order-level discount, first customer message)
SCENARIOS: dict[str, tuple[str, float | None, float, list[tuple[str, int]], float, str]] = {
    "cosmetics": (
        "tmall",
        3,
        5,
        [("SR-003", 2), ("FD-100", 1), ("LS-101", 1)],
        60.0,
        "还没拆封,不想要了",
    ),
    "late_unopened": ("jd", 10, 12, [("SR-004", 1)], 0.0, "十天前收到的精华还没拆"),
    "stale": ("jd", 40, 42, [("MO-006", 1), ("FD-101", 1)], 0.0, "一个多月前买的"),
    "allergy": ("official", 5, 7, [("SR-003", 1)], 0.0, "用了精华脸又红又痒,还有点刺痛"),
    "leak": ("tmall", 20 / 24, 2, [("MO-007", 1)], 0.0, "乳液漏了一大半"),
    "leak_late": ("tmall", 4, 6, [("MO-007", 1)], 0.0, "前几天收到的乳液漏了"),
    "shade": ("tmall", 6, 8, [("FD-102", 1), ("CU-202", 1)], 0.0, "粉底色号太暗了"),
    "wrong": ("jd", 2, 4, [("TN-002", 1), ("LS-203", 1)], 0.0, "发错货了,还少了一件"),
    "wrong_nostock": ("jd", 2, 4, [("LS-407", 1)], 0.0, "口红发错色了"),
    "big": ("official", 2, 4, [("FD-100", 2), ("EY-005", 2)], 0.0, "没拆封,想全部退掉"),
    "clothes": ("mall-desk", 5, 5, [("AP-TS-M", 1), ("SH-RN-38", 1)], 0.0, "裤子小了能换吗"),
    "clothes_old": ("mall-desk", 20, 20, [("AP-TS-M", 1)], 0.0, "上个月买的T恤小了"),
    "earbuds": ("mall-desk", 3, 3, [("EL-EB-01", 1)], 0.0, "耳机才用几天就坏了"),
    "earbuds_10": ("mall-desk", 10, 10, [("EL-EB-01", 1)], 0.0, "耳机坏了"),
    "earbuds_100": ("mall-desk", 100, 100, [("EL-EB-01", 1)], 0.0, "耳机三个月坏了"),
    "earbuds_old": ("mall-desk", 400, 400, [("EL-EB-01", 1)], 0.0, "耳机一年多坏了"),
    "dryers": ("mall-desk", 2, 2, [("EL-HD-02", 2)], 0.0, "吹风机两台都坏了"),
    "late3": ("tmall", 0.5, 3.5, [("CL-001", 1)], 0.0, "晚了三天才到"),
    "late8": ("tmall", None, 8, [("CL-001", 1)], 0.0, "说好的日期过了一周多还没到"),
    "ontime": ("tmall", 3, 1, [("CL-001", 1)], 0.0, "到了"),
    "undelivered": ("tmall", None, -2, [("CL-001", 1)], 0.0, "还没到"),
}


def build(store: Store, now: datetime | None = None) -> dict[str, int]:
    now = now or store.clock.now()
    prices = {p.sku: p.price for p in PRODUCTS}
    tickets: dict[str, int] = {}
    with store.transaction() as conn:
        store.insert_rows(
            "agents",
            (
                {"id": a, "name": n, "role": r, "skill_groups": json.dumps(s)}
                for a, n, r, s in AGENTS
            ),
        )
        store.insert_rows(
            "products",
            (
                {**p.__dict__, "stock": 0 if p.sku in OUT_OF_STOCK else 50, "returnable": 1}
                for p in PRODUCTS
            ),
        )
        for number, (scenario, spec) in enumerate(SCENARIOS.items(), start=1):
            channel, delivered_ago, promised_ago, items, discount, text = spec
            customer_id = f"C{number:03d}"
            stamp = to_iso(now - timedelta(days=500))
            conn.execute(
                "INSERT INTO customers (id, name, tier, points, created_at, updated_at) "
                "VALUES (?, ?, 'member', 1000, ?, ?)",
                (customer_id, f"顾客{number}", stamp, stamp),
            )
            placed_ago = max(delivered_ago or 0, promised_ago) + 3
            if channel == "mall-desk":
                placed_ago = delivered_ago or 0
            placed = now - timedelta(days=placed_ago)
            delivered = now - timedelta(days=delivered_ago) if delivered_ago is not None else None
            total = sum(prices[sku] * qty for sku, qty in items)
            order_id = f"SO-{scenario}"
            conn.execute(
                "INSERT INTO orders (id, customer_id, channel, store, placed_at, promised_at, "
                "delivered_at, status, total, discount, paid, tracking_no) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    order_id,
                    customer_id,
                    channel,
                    "1F 服务台" if channel == "mall-desk" else None,
                    to_iso(placed),
                    to_iso(now - timedelta(days=promised_ago)),
                    to_iso(delivered) if delivered else None,
                    "delivered" if delivered else "shipped",
                    total,
                    discount,
                    round(total - discount, 2),
                    None if channel == "mall-desk" else f"SF{number:011d}",
                ),
            )
            for line_no, (sku, qty) in enumerate(items, start=1):
                conn.execute(
                    "INSERT INTO order_lines (order_id, line_no, sku, qty, unit_price, batch_no) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (order_id, line_no, sku, qty, prices[sku], f"B{number:02d}{line_no}"),
                )
            created = to_iso(now - timedelta(hours=1))
            cursor = conn.execute(
                "INSERT INTO tickets (subject, customer_id, order_id, channel, category, status, "
                "created_at, updated_at, first_response_at) "
                "VALUES (?, ?, ?, 'chat', 'after-sale', 'open', ?, ?, ?)",
                (scenario, customer_id, order_id, created, created, created),
            )
            ticket_id = int(cursor.lastrowid)
            conn.execute(
                "INSERT INTO messages (ticket_id, direction, author, body, channel, created_at) "
                "VALUES (?, 'in', ?, ?, 'chat', ?)",
                (ticket_id, customer_id, text, created),
            )
            tickets[scenario] = ticket_id
    return tickets


def counts(store: Store) -> dict[str, Any]:
    """Row counts an action may change, to prove that a refused one wrote nothing."""
    return {
        table: store.scalar(f"SELECT count(*) FROM {table}")
        for table in ("returns", "outbox", "audit_log", "allergy_cases", "messages")
    } | {
        "tickets": store.all("SELECT id, status, tags, updated_at FROM tickets ORDER BY id"),
        "points": store.all("SELECT id, points FROM customers ORDER BY id"),
    }
