"""Deterministic demo data for a cosmetics brand's service team and a shopping-mall desk.

The same ``seed`` and ``now`` always give the same cache. Sizes go from a handful of tickets to
hundreds of thousands; everything is written in one transaction with ``executemany`` so that
100k tickets take seconds.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from itertools import accumulate
from typing import Any, NamedTuple

from cs_console.demo.catalogue import CHANNELS, ORDER_TOPICS, SKILL_GROUPS, TOPIC_CATEGORY
from cs_console.policy.sla import SlaConfig
from cs_console.service.desk import SYSTEM_ACTOR, Agent, Desk
from cs_console.service.history import History
from cs_console.store.db import Store

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈任姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "静敏丽娟艳芳娜秀英慧婷雪琳晶颖倩欣怡佳悦雯琪涵梦瑶萱晨宇浩然子轩博文睿思彤诗蕾小雨明华伟强磊洋勇军杰涛斌超"
EN_NAMES = (
    "Emily Chan",
    "Grace Wong",
    "Kenji Sato",
    "Anna Müller",
    "Sophie Martin",
    "Daniel Lee",
    "Yuki Tanaka",
)
CITIES = (
    "上海",
    "北京",
    "杭州",
    "广州",
    "深圳",
    "成都",
    "南京",
    "武汉",
    "苏州",
    "香港",
    "台北",
    "西安",
)
TIERS = (("member", 55), ("silver", 25), ("gold", 14), ("diamond", 6))
SKIN_TYPES = ("干性", "油性", "混合性", "中性", "敏感肌")
ALLERGENS = ("酒精", "香精", "水杨酸", "烟酰胺", "果酸", "尼泊金酯", "羊毛脂", "薰衣草精油")
ORDER_CHANNELS = ("tmall", "jd", "official", "wechat-mini", "store-counter", "mall-desk")
STATUS_WEIGHTS = (("open", 34), ("pending", 10), ("resolved", 44), ("closed", 12))

AGENTS = (
    ("agent01", "小林", "agent", ["presale", "aftersale"]),
    ("agent02", "阿May", "agent", ["aftersale", "vip"]),
    ("agent03", "周周", "agent", ["mall"]),
    ("trainee01", "小陈", "trainee", ["presale"]),
    ("sup01", "王主管", "supervisor", ["aftersale", "vip", "mall"]),
)
AGENT_NAMES = {a[0]: a[1] for a in AGENTS}


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    name_en: str
    kind: str
    line: str
    shade: str | None
    price: float


def _catalogue() -> list[Product]:
    items: list[Product] = []
    base = [
        ("CL", "氨基酸洁面乳", "Amino Acid Cleanser", "cleanser", 129.0),
        ("TN", "舒缓保湿爽肤水", "Soothing Hydrating Toner", "toner", 169.0),
        ("SR", "烟酰胺焕亮精华", "Niacinamide Brightening Serum", "serum", 299.0),
        ("SR", "玻尿酸补水精华", "Hyaluronic Hydrating Serum", "serum", 269.0),
        ("EY", "多肽紧致眼霜", "Peptide Firming Eye Cream", "eye-cream", 329.0),
        ("MO", "神经酰胺修护面霜", "Ceramide Barrier Cream", "moisturiser", 259.0),
        ("MO", "清爽控油乳液", "Oil-Control Lotion", "moisturiser", 189.0),
        ("SS", "轻薄防晒乳 SPF50+ PA++++", "Light Sunscreen SPF50+ PA++++", "sunscreen", 179.0),
        ("MR", "温和卸妆油", "Gentle Cleansing Oil", "makeup-remover", 149.0),
        ("MK", "修护面膜(5片装)", "Repair Sheet Mask x5", "mask", 99.0),
        ("TR", "敏感肌试用装套盒", "Sensitive Skin Trial Kit", "trial", 59.0),
    ]
    for index, (prefix, name, name_en, line, price) in enumerate(base):
        items.append(
            Product(f"{prefix}-{index + 1:03d}", name, name_en, "cosmetic", line, None, price)
        )
    for shade in ("00 瓷白", "01 象牙白", "02 自然色", "03 小麦色", "04 健康色"):
        code = shade.split()[0]
        items.append(
            Product(
                f"FD-1{code}",
                f"持妆粉底液 {shade}",
                f"Long-wear Foundation {code}",
                "cosmetic",
                "foundation",
                shade,
                359.0,
            )
        )
        items.append(
            Product(
                f"CU-2{code}",
                f"水光气垫 {shade}",
                f"Dewy Cushion {code}",
                "cosmetic",
                "cushion",
                shade,
                289.0,
            )
        )
    for shade in ("#101 奶茶", "#203 正红", "#305 豆沙", "#407 枫叶", "#509 砖红"):
        code = shade.split()[0][1:]
        items.append(
            Product(
                f"LS-{code}",
                f"丝绒口红 {shade}",
                f"Velvet Lipstick {code}",
                "cosmetic",
                "lipstick",
                shade,
                229.0,
            )
        )
    for size in ("S", "M", "L", "XL"):
        items.append(
            Product(
                f"AP-TS-{size}",
                f"纯棉T恤 {size}码",
                f"Cotton T-shirt {size}",
                "clothing",
                "clothing",
                size,
                199.0,
            )
        )
    for size in ("36", "37", "38", "39", "40", "41", "42"):
        items.append(
            Product(
                f"SH-RN-{size}",
                f"轻跑运动鞋 {size}码",
                f"Running Shoes {size}",
                "shoes",
                "shoes",
                size,
                599.0,
            )
        )
    items.append(
        Product(
            "EL-EB-01",
            "无线蓝牙耳机",
            "Wireless Earbuds",
            "electronics",
            "electronics",
            None,
            499.0,
        )
    )
    items.append(
        Product(
            "EL-HD-02",
            "负离子吹风机",
            "Ionic Hair Dryer",
            "electronics",
            "electronics",
            None,
            899.0,
        )
    )
    items.append(
        Product(
            "EL-PB-03",
            "20000mAh 充电宝",
            "20000mAh Power Bank",
            "electronics",
            "electronics",
            None,
            199.0,
        )
    )
    return items


PRODUCTS = _catalogue()


@cache
def _texts() -> tuple[dict[str, list[tuple[str, str]]], list[str], dict[str, list[str]]]:
    try:
        from cs_console.demo import texts as demo_texts

        return demo_texts.TOPIC_TEXTS, demo_texts.FOLLOW_UPS, demo_texts.AGENT_REPLIES
    except ImportError:  # pragma: no cover - the module ships with the package
        return {}, ["好的,谢谢"], {}


@cache
def _population(pairs: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    return [p[0] for p in pairs], list(accumulate(p[1] for p in pairs))


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    # cum_weights are what ``choices`` makes of weights=: the same draw, without the lists
    population, cum_weights = _population(pairs)
    return rng.choices(population, cum_weights=cum_weights)[0]


def _iso(moment: datetime) -> str:
    """``clock.to_iso`` for the UTC times the seed computes (``now`` is made UTC first)."""
    return moment.isoformat(timespec="seconds")[:19] + "Z"


def _name(rng: random.Random) -> str:
    if rng.random() < 0.03:
        return rng.choice(EN_NAMES)
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def _batch(rng: random.Random, when: datetime) -> str:
    return f"B{when:%y%m}{rng.choice('ABCDEFGH')}{rng.randrange(1, 99):02d}"


def seed(
    store: Store,
    *,
    customers: int | None = None,
    tickets: int = 200,
    seed_value: int = 7,
    now: datetime | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, int]:
    """Fill an empty cache with demo data. Returns rows written per table."""
    if store.counts()["tickets"]:
        raise ValueError(f"{store.path} already holds tickets; seed an empty cache (a new --db)")
    now = now or store.clock.now()
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass an aware (UTC) datetime")
    now = now.astimezone(UTC)
    rng = random.Random(seed_value)
    customers = customers or max(20, tickets // 4)
    report = progress or (lambda stage, done, total: None)
    written: dict[str, int] = {}
    with store.bulk_cache(), store.transaction(), store.bulk_tickets():
        _seed_all(store, rng, customers, tickets, now, report, written)
    return written


def _seed_all(
    store: Store,
    rng: random.Random,
    customers: int,
    tickets: int,
    now: datetime,
    report: Callable[[str, int, int], None],
    written: dict[str, int],
) -> None:
    with store.transaction():
        written["agents"] = store.insert_rows(
            "agents",
            (
                {"id": a, "name": n, "role": r, "skill_groups": json.dumps(s)}
                for a, n, r, s in AGENTS
            ),
        )
        written["products"] = store.insert_rows(
            "products",
            ({**p.__dict__, "stock": rng.randrange(0, 400), "returnable": 1} for p in PRODUCTS),
        )
        brief = _Brief()
        for table in TABLE_COLUMNS:
            written[table] = 0

        def write(chunk: dict[str, list[tuple[Any, ...]]]) -> None:
            """A chunk of customers with their orders and lines: written as plain tuples, then
            only what the tickets need is kept."""
            brief.add(chunk)
            for table, rows in chunk.items():
                written[table] += store.insert_tuples(table, TABLE_COLUMNS[table], rows)
            report("customers", len(brief.customers), customers)

        _customers_and_orders(rng, customers, now, write)
        ticket_count, message_count = _write_tickets(
            store, rng, tickets, brief.customers, brief.orders, brief.lines, now, report
        )
        written["tickets"] = ticket_count
        written["messages"] = message_count


class _Customer(NamedTuple):
    id: str
    name: str


class _Order(NamedTuple):
    id: str
    channel: str
    placed_at: str


class _Line(NamedTuple):
    sku: str
    batch_no: str


CUSTOMER_COLUMNS = (
    "id",
    "name",
    "phone",
    "email",
    "tier",
    "points",
    "skin_type",
    "allergies",
    "birthday",
    "first_purchase_at",
    "city",
    "remote_id",
    "created_at",
    "updated_at",
)
ORDER_COLUMNS = (
    "id",
    "customer_id",
    "channel",
    "store",
    "placed_at",
    "promised_at",
    "delivered_at",
    "status",
    "total",
    "discount",
    "paid",
    "tracking_no",
    "remote_id",
)
LINE_COLUMNS = ("id", "order_id", "line_no", "sku", "qty", "unit_price", "batch_no")
TABLE_COLUMNS = {
    "customers": CUSTOMER_COLUMNS,
    "orders": ORDER_COLUMNS,
    "order_lines": LINE_COLUMNS,
}
# where the brief's fields stand in those tuples
_C_ID, _C_NAME = 0, 1
_O_ID, _O_CUSTOMER, _O_CHANNEL, _O_PLACED = 0, 1, 2, 4
_L_ORDER, _L_SKU, _L_BATCH = 1, 3, 6


@dataclass
class _Brief:
    """What writing tickets needs of the customers, orders and lines already written: each
    customer's latest order at the mall desk and latest online (the only ones a ticket is ever
    about, see :func:`_latest_fitting`) with their lines, so memory grows with customers only."""

    customers: list[_Customer] = field(default_factory=list)
    orders: dict[str, list[_Order]] = field(default_factory=dict)
    lines: dict[str, list[_Line]] = field(default_factory=dict)

    def add(self, chunk: dict[str, list[tuple[Any, ...]]]) -> None:
        for c in chunk["customers"]:
            self.customers.append(_Customer(c[_C_ID], c[_C_NAME]))
        kept: set[str] = set()
        latest: dict[tuple[str, bool], _Order] = {}
        for o in chunk["orders"]:
            order = _Order(o[_O_ID], o[_O_CHANNEL], o[_O_PLACED])
            where = (o[_O_CUSTOMER], order.channel == "mall-desk")
            held = latest.get(where)
            if held is None or order.placed_at > held.placed_at:  # max() keeps the first of ties
                latest[where] = order
        for (customer_id, _at_mall), order in latest.items():
            self.orders.setdefault(customer_id, []).append(order)
            kept.add(order.id)
        for line in chunk["order_lines"]:
            if line[_L_ORDER] in kept:
                self.lines.setdefault(line[_L_ORDER], []).append(
                    _Line(line[_L_SKU], line[_L_BATCH])
                )


CHUNK_CUSTOMERS = 20_000


@cache
def _allergies_json(allergies: tuple[str, ...]) -> str:
    return json.dumps(list(allergies), ensure_ascii=False)


def _customers_and_orders(
    rng: random.Random,
    count: int,
    now: datetime,
    write: Callable[[dict[str, list[tuple[Any, ...]]]], None],
) -> None:
    """Customers with their orders and lines as column tuples, handed to ``write`` a chunk at
    a time (the random draws in the same order as always: the same seed gives the same data)."""
    customers: list[tuple[Any, ...]] = []
    orders: list[tuple[Any, ...]] = []
    lines: list[tuple[Any, ...]] = []
    line_id = 0
    cosmetics = [p for p in PRODUCTS if p.kind == "cosmetic"]
    mall_goods = [p for p in PRODUCTS if p.kind != "cosmetic"]
    updated_at = _iso(now)
    for index in range(count):
        customer_id = f"C{index + 1:06d}"
        first_purchase = now - timedelta(days=rng.randrange(5, 900))
        allergies = rng.sample(ALLERGENS, k=rng.choice((0, 0, 0, 0, 1, 1, 2)))
        birthday = (
            f"{rng.randrange(1965, 2006)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        )
        first_at = _iso(first_purchase)
        customers.append(
            (
                customer_id,
                _name(rng),
                _phone(rng),
                f"user{index + 1}@example.com" if rng.random() < 0.4 else None,
                _weighted(rng, TIERS),
                rng.randrange(0, 20000),
                rng.choice(SKIN_TYPES),
                _allergies_json(tuple(allergies)),
                birthday,
                first_at,
                rng.choice(CITIES),
                None,
                first_at,
                updated_at,
            )
        )
        order_count = rng.choice((1, 1, 2, 2, 3, 4))
        for number in range(order_count):
            placed = (
                first_purchase
                + (now - first_purchase) * (number / order_count)
                + timedelta(hours=rng.randrange(0, 48))
            )
            if number == order_count - 1 and rng.random() < 0.7:
                # most customers write about a recent order: delivered days, not months, ago
                placed = now - timedelta(days=rng.randrange(2, 12), hours=rng.randrange(0, 24))
            placed = min(placed, now - timedelta(hours=2))
            channel = rng.choice(ORDER_CHANNELS)
            pool = mall_goods if channel == "mall-desk" else cosmetics
            order_id = f"SO{placed:%Y%m%d}{index + 1:06d}{number}"
            total = 0.0
            for line_no, product in enumerate(
                rng.sample(pool, k=rng.choice((1, 1, 2, 3))), start=1
            ):
                qty = rng.choice((1, 1, 1, 2))
                line_id += 1
                total += product.price * qty
                made = placed - timedelta(days=rng.randrange(30, 400))
                lines.append(
                    (line_id, order_id, line_no, product.sku, qty, product.price, _batch(rng, made))
                )
            discount = round(total * rng.choice((0, 0, 0.05, 0.1)), 2)
            in_store = channel in ("store-counter", "mall-desk")
            delivered = placed if in_store else placed + timedelta(days=rng.randrange(1, 6))
            delivered_at = _iso(delivered) if delivered < now else None
            orders.append(
                (
                    order_id,
                    customer_id,
                    channel,
                    "1F 服务台" if channel == "mall-desk" else ("专柜" if in_store else None),
                    _iso(placed),
                    _iso(placed + timedelta(days=3)),
                    delivered_at,
                    "delivered" if delivered_at else "shipped",
                    round(total, 2),
                    discount,
                    round(total - discount, 2),
                    None if in_store else f"SF{rng.randrange(10**11, 10**12)}",
                    None,
                )
            )
        if len(customers) >= CHUNK_CUSTOMERS or index == count - 1:
            write({"customers": customers, "orders": orders, "order_lines": lines})
            customers, orders, lines = [], [], []


RECENT_ORDER_DAYS = 21


def _latest_fitting(orders: list[_Order], category: str, topic: str) -> _Order | None:
    """The order a ticket on ``topic`` is about: the customer's latest at the mall desk for a
    mall ticket, online otherwise; none for a topic that needs no order."""
    if topic not in ORDER_TOPICS:
        return None
    at_mall = category == "mall"
    fitting = [o for o in orders if (o.channel == "mall-desk") == at_mall]
    return max(fitting, key=lambda o: o.placed_at) if fitting else None


def _write_tickets(
    store: Store,
    rng: random.Random,
    count: int,
    customers: list[_Customer],
    orders_by_customer: dict[str, list[_Order]],
    lines_by_order: dict[str, list[_Line]],
    now: datetime,
    report: Callable[[str, int, int], None],
) -> tuple[int, int]:
    topic_texts, follow_ups, agent_replies = _texts()
    topics = list(TOPIC_CATEGORY)
    products = {p.sku: p for p in PRODUCTS}
    sla = SlaConfig()
    agents = [a[0] for a in AGENTS if a[2] != "supervisor"]
    history = History(Desk(store, Agent(SYSTEM_ACTOR, "demo"), sla), now=now)
    recent = _iso(now - timedelta(days=RECENT_ORDER_DAYS))
    for ticket_id in range(1, count + 1):
        topic = rng.choice(topics)
        category = TOPIC_CATEGORY[topic]
        status = _weighted(rng, STATUS_WEIGHTS)
        # someone writing today about an order writes about a recent one: a few draws find a
        # customer whose latest order fits, so a newcomer's first return is not a refusal
        draws = 8 if topic in ORDER_TOPICS and status in ("open", "pending") else 1
        for _ in range(draws):
            customer = rng.choice(customers)
            order = _latest_fitting(orders_by_customer.get(customer.id, []), category, topic)
            if order is not None and order.placed_at >= recent:
                break
        order_lines = lines_by_order.get(order.id, []) if order else []
        line: _Line | None = rng.choice(order_lines) if order_lines else None
        product = products[line.sku] if line else rng.choice(PRODUCTS[:11])
        channel = "desk" if category == "mall" and rng.random() < 0.6 else rng.choice(CHANNELS)
        answered = status != "open" or rng.random() < 0.6
        if status in ("open", "pending") and not answered:
            # unanswered tickets are fresh: seconds to minutes old, a few already late
            target = sla.first_response.get(channel, 90)
            age = timedelta(
                seconds=rng.randrange(3, int(target * (1.3 if rng.random() < 0.8 else 6)) + 4)
            )
        elif status in ("open", "pending"):
            age = timedelta(minutes=rng.randrange(5, 60 * 60))
        else:
            age = timedelta(minutes=rng.randrange(60, 60 * 24 * 60))
        created = now - age
        subject, opening = _opening(rng, topic_texts, topic, product, order, line)
        priority = 2 if rng.random() < 0.1 else 3  # raised by an agent; triage may raise it more
        lang = "en" if opening.isascii() else "zh-Hans"
        # most first replies meet the channel's target (the mall desk's reached it 82 % of the time)
        target = sla.first_response.get(channel, sla.first_response_default)
        reply_after = (
            rng.randrange(3, target + 1)
            if rng.random() < 0.82
            else rng.randrange(target + 1, target * 3)
        )
        first_response = created + timedelta(seconds=reply_after) if answered else None
        if first_response and first_response > now:
            first_response = now
        resolved = None
        if status in ("resolved", "closed"):
            resolved = min(now, created + timedelta(hours=rng.randrange(1, 60)))
        paused_at = (
            (first_response or created) + (now - (first_response or created)) / 2
            if status == "pending"
            else None
        )
        assignee = rng.choice(agents) if status != "open" or rng.random() < 0.5 else None
        ticket = {
            "id": ticket_id,
            "subject": subject,
            "customer_id": customer.id,
            "order_id": order.id if order else None,
            "channel": channel,
            "category": category,
            "topic": topic,
            "priority": priority,
            "status": status,
            "assignee": assignee,
            "skill_group": SKILL_GROUPS[category],
            "escalated": 0,
            "lang": lang,
            "created_at": _iso(created),
            "updated_at": _iso(resolved or first_response or created),
            "first_response_at": _iso(first_response) if first_response else None,
            "resolved_at": _iso(resolved) if resolved else None,
            "paused_at": _iso(paused_at) if paused_at else None,
            "paused_seconds": 0,
        }
        messages = [("in", customer.id, opening, channel, _iso(created))]
        if first_response:
            replies = agent_replies.get(category) or ["{customer}您好,我是{agent},正在为您查询。"]
            replier = assignee or agents[ticket_id % len(agents)]
            reply = rng.choice(replies).format(customer=customer.name, agent=AGENT_NAMES[replier])
            messages.append(("out", replier, reply, channel, _iso(first_response)))
            if rng.random() < 0.4 and follow_ups:
                later = min(now, first_response + timedelta(minutes=rng.randrange(1, 120)))
                messages.append(("in", customer.id, rng.choice(follow_ups), channel, _iso(later)))
        history.add(ticket, messages)
        if ticket_id % 20_000 == 0:
            report("tickets", ticket_id, count)
    history.close("demo")
    report("tickets", count, count)
    return count, history.written_messages


def _opening(
    rng: random.Random,
    topic_texts: dict[str, list[tuple[str, str]]],
    topic: str,
    product: Product,
    order: _Order | None,
    line: _Line | None,
) -> tuple[str, str]:
    choices = topic_texts.get(topic) or [(topic, f"关于{topic}想咨询一下")]
    subject, message = rng.choice(choices)
    fields = {
        "product": product.name,
        "order_no": order.id if order else "(订单号忘了)",
        "shade": product.shade or "02 自然色",
        "days": rng.randrange(2, 9),
        "batch_no": line.batch_no if line else "B2409C07",
    }
    try:
        return subject.format(**fields), message.format(**fields)
    except (KeyError, IndexError, ValueError):
        return subject, message
