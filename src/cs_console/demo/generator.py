"""Deterministic demo data for a cosmetics brand's service team and a shopping-mall desk.

The same ``seed`` and ``now`` always give the same cache. Sizes go from a handful of tickets to
hundreds of thousands; everything is written in one transaction with ``executemany`` so that
100k tickets take seconds.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import marshal
import os
import random
import signal
import sys
import threading
from array import array
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from itertools import accumulate
from string import Formatter
from typing import Any, NamedTuple

from cs_console.demo.catalogue import CHANNELS, ORDER_TOPICS, SKILL_GROUPS, TOPIC_CATEGORY
from cs_console.policy.sla import SlaConfig
from cs_console.service.desk import SYSTEM_ACTOR, Agent, Desk
from cs_console.service.history import Assessment, History, Reading, combined
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
def _texts() -> tuple[dict[str, list[tuple[str, str]]], list[str], dict[str, list[str]], list[str]]:
    """Topic texts, customer follow-ups, first replies per category and later replies."""
    try:
        from cs_console.demo import texts as demo_texts

        return (
            demo_texts.TOPIC_TEXTS,
            demo_texts.FOLLOW_UPS,
            demo_texts.AGENT_REPLIES,
            demo_texts.LATER_REPLIES,
        )
    except ImportError:  # pragma: no cover - the module ships with the package
        return {}, ["好的,谢谢"], {}, []


#: of the resolved tickets, those that took a second reply (not solved at first contact: the
#: dashboard's first-contact resolution read 100 % on a demo where every one took one)
LATER_REPLY_SHARE = 0.12


class _Draws:
    """The draws of ``random.Random``'s ``choice``, ``randrange``, ``choices`` and ``sample``,
    made the same way from the same generator (so the same seed gives the same data), without
    their layers of argument checks: the seed makes tens of millions of them."""

    def __init__(self, rng: random.Random) -> None:
        getrandbits = rng.getrandbits
        self.random = rng.random

        def below(n: int) -> int:
            """``Random._randbelow``: an int in [0, n), n > 0."""
            k = n.bit_length()
            r = getrandbits(k)
            while r >= n:
                r = getrandbits(k)
            return r

        self.below = below

    def sample(self, population: Sequence[Any], k: int) -> list[Any]:
        """``Random.sample(population, k)`` for k <= 5 (its set size is then fixed)."""
        if k == 0:  # no draw
            return []
        n = len(population)
        if not 0 < k <= min(n, 5):
            raise ValueError("sample: 0 <= k <= 5 and k <= len(population)")
        below = self.below
        if n <= 21:  # Random.sample's ``setsize`` for k <= 5: the pool method
            pool = list(population)
            result = []
            for i in range(k):
                j = below(n - i)
                result.append(pool[j])
                pool[j] = pool[n - i - 1]
            return result
        selected: set[int] = set()
        picked = []
        for _ in range(k):
            j = below(n)
            while j in selected:
                j = below(n)
            selected.add(j)
            picked.append(population[j])
        return picked


def _weights(pairs: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int], float, int]:
    """What ``Random.choices(population, weights)`` draws from: population, cumulative weights,
    their total, the last index (``_weighted`` is ``population[bisect(cum, random() * total,
    0, hi)]``)."""
    population = [p[0] for p in pairs]
    cum_weights = list(accumulate(p[1] for p in pairs))
    return population, cum_weights, cum_weights[-1] + 0.0, len(population) - 1


US = 1_000_000  # microseconds in a second
DAY_US = 86_400 * US
HOUR_US = 3_600 * US
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@cache
def _times_of_day() -> list[str]:
    """``HH:MM:SSZ`` of every second of a day."""
    return [f"{h:02d}:{m:02d}:{s:02d}Z" for h in range(24) for m in range(60) for s in range(60)]


class _Days(dict[int, tuple[str, str, str]]):
    """Day number since 1970 -> (``YYYY-MM-DDT``, ``YYYYMMDD``, ``yymm``), made on first use."""

    def __missing__(self, day: int) -> tuple[str, str, str]:
        text = (_EPOCH + timedelta(days=day)).strftime("%Y-%m-%d")
        found = self[day] = (text + "T", text.replace("-", ""), text[2:4] + text[5:7])
        return found


def _divide_nearest(a: int, b: int) -> int:
    """``a / b`` rounded half to even, as ``timedelta`` divides and multiplies by a float."""
    q, r = divmod(a, b)
    if 2 * r > b or (2 * r == b and q % 2 == 1):
        q += 1
    return q


#: SQLite's page cache for a seed: the index builds at its end cost about the same with 64 MiB
#: as with 256 MiB (measured at 1M tickets), and the peak then no longer grows with the seed.
BULK_CACHE_KIB = 65_536

#: The pipe's buffer between the generating child and the writer: with Linux's default 64 KiB
#: each chunk (~2.5 MB) took dozens of hand-overs, each waiting for the other process to get
#: a core, and on a loaded machine the parallel seed was slower than one process.
PIPE_BYTES = 1 << 20

#: Where generated rows go: (table, columns, rows as tuples in ``columns`` order), a chunk at
#: a time.
Emit = Callable[[str, Sequence[str], list[tuple[Any, ...]]], None]


def seed(
    store: Store,
    *,
    customers: int | None = None,
    tickets: int = 200,
    seed_value: int = 7,
    now: datetime | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    parallel: bool = False,
) -> dict[str, int]:
    """Fill an empty cache with demo data. Returns rows written per table.

    The rows are generated a chunk at a time and written as they come (memory does not grow
    with the tickets beyond about 300 bytes per customer); with ``parallel`` (where a process
    can fork) they are generated in a child process while this one writes them. Either way the
    same seed gives the same rows. Not the default: on the shared 2-core machine one process
    was faster (1M tickets: 82.5 s in-process, 92.6 s parallel, one after the other)."""
    if store.counts()["tickets"]:
        raise ValueError(f"{store.path} already holds tickets; seed an empty cache (a new --db)")
    now = now or store.clock.now()
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass an aware (UTC) datetime")
    now = now.astimezone(UTC)
    customers = customers or max(20, tickets // 4)
    report = progress or (lambda stage, done, total: None)
    parallel = parallel and _can_fork()
    written = dict.fromkeys(("agents", "products", *TABLE_COLUMNS, "tickets", "messages"), 0)
    # the seed writes each ticket's reply count (the bulk load then counts none again)
    history = History(
        Desk(store, Agent(SYSTEM_ACTOR, "demo"), SlaConfig()), now=now, replies_in_rows=True
    )

    def write(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        written[table] += store.insert_tuples(table, columns, rows)
        if table == "customers":
            report("customers", written["customers"], customers)
        elif table == "messages":  # the last of a chunk of tickets
            report("tickets", written["tickets"], tickets)

    def generate(emit: Emit) -> None:
        _generate(history, seed_value, customers, tickets, now, emit)

    with (
        store.bulk_cache(BULK_CACHE_KIB),
        store.transaction(),
        store.bulk_tickets(replies_in_rows=history.replies_in_rows),
    ):
        if parallel:
            _through_child(generate, write)
        else:
            generate(write)
        history.audit("demo", written["tickets"], written["messages"])
    if not tickets:
        report("tickets", 0, 0)
    return written


def _can_fork() -> bool:
    """Whether a child process can be forked safely here (Linux, no other thread running)."""
    return sys.platform == "linux" and threading.active_count() == 1


def _through_child(generate: Callable[[Emit], None], write: Emit) -> None:
    """``generate`` run in a forked child that sends each chunk down a pipe (``marshal``: plain
    tuples of str, int, float and None, the same Python on both ends, twice as fast as pickle to
    write); this process writes them as they arrive. A failure on either side stops both (the
    child is killed and the caller's transaction rolls back)."""
    read_fd, write_fd = os.pipe()
    with contextlib.suppress(OSError, AttributeError):  # a pipe as big as Linux lets it be
        fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; coverage does not follow it
        code = 1
        try:
            os.close(read_fd)
            with open(write_fd, "wb", buffering=1 << 20) as out:

                def send(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
                    marshal.dump((table, tuple(columns), rows), out)

                try:
                    generate(send)
                    marshal.dump(None, out)
                except Exception as exc:  # noqa: BLE001 - told to the parent, which raises
                    marshal.dump(("", (), repr(exc)), out)
            code = 0
        finally:  # never the parent's cleanups (its open cache) in the child
            os._exit(code)
    os.close(write_fd)
    try:
        with open(read_fd, "rb", buffering=1 << 20) as inp:
            while (chunk := marshal.load(inp)) is not None:
                table, columns, rows = chunk
                if not table:
                    raise RuntimeError(f"the seed's generator failed: {rows}")
                write(table, columns, rows)
    except EOFError as exc:
        raise RuntimeError("the seed's generator stopped before its last row") from exc
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.waitpid(pid, 0)


def _generate(
    history: History,
    seed_value: int,
    customers: int,
    tickets: int,
    now: datetime,
    emit: Emit,
) -> None:
    """Every row of the demo, in the order of its random draws, handed to ``emit`` a chunk at
    a time: agents, products, then customers with their orders and lines, then tickets with
    their messages (through ``history``, which works out triage and SLA)."""
    rng = random.Random(seed_value)
    emit(
        "agents",
        ("id", "name", "role", "skill_groups"),
        [(a, n, r, json.dumps(s)) for a, n, r, s in AGENTS],
    )
    columns = (*Product.__dataclass_fields__, "stock", "returnable")
    emit(
        "products",
        columns,
        [(*astuple(p), rng.randrange(0, 400), 1) for p in PRODUCTS],
    )
    now_us = (now - _EPOCH) // timedelta(microseconds=1)
    draws = _Draws(rng)

    def write(chunk: dict[str, list[tuple[Any, ...]]]) -> None:
        for table, rows in chunk.items():
            emit(table, TABLE_COLUMNS[table], rows)

    brief = _customers_and_orders(draws, customers, now_us, write)
    history.sink = emit
    # a stream of its own, so every other row is what the same seed always gave
    later = random.Random(f"{seed_value}:later-replies")
    _write_tickets(history, draws, tickets, brief, now_us, later)


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

#: In a brief's times: the customer has no order of that kind.
NO_ORDER = -(2**63)


class _Brief(NamedTuple):
    """What writing tickets needs of the customers, orders and lines already written, by
    customer number (the id is ``C`` and the number from 1): the name, and the latest order at
    the mall desk and the latest online (the only ones a ticket is ever about, see
    :func:`_write_tickets`): when it was placed (whole seconds since 1970, or
    :data:`NO_ORDER`) and ``id|sku|batch|sku|batch...``, read only for the order a ticket is
    about. Memory grows with customers only, by about 300 bytes each."""

    names: list[str]
    mall_at: array[int]
    mall: list[str]
    online_at: array[int]
    online: list[str]


CHUNK_CUSTOMERS = 20_000


@cache
def _allergies_json(allergies: tuple[str, ...]) -> str:
    return json.dumps(list(allergies), ensure_ascii=False)


def _customers_and_orders(
    draws: _Draws,
    count: int,
    now_us: int,
    write: Callable[[dict[str, list[tuple[Any, ...]]]], None],
) -> _Brief:
    """Customers with their orders and lines as column tuples, handed to ``write`` a chunk at
    a time (the random draws in the same order as always: the same seed gives the same data).
    Times are whole microseconds since 1970 (what ``datetime`` arithmetic gives, exactly)."""
    below, random_ = draws.below, draws.random
    sample = draws.sample
    days, clock = _Days(), _times_of_day()
    brief = _Brief([], array("q"), [], array("q"), [])
    customers: list[tuple[Any, ...]] = []
    orders: list[tuple[Any, ...]] = []
    lines: list[tuple[Any, ...]] = []
    line_id = 0
    cosmetics = [p for p in PRODUCTS if p.kind == "cosmetic"]
    mall_goods = [p for p in PRODUCTS if p.kind != "cosmetic"]
    n_given, n_surnames, n_en = len(GIVEN), len(SURNAMES), len(EN_NAMES)
    tiers, tier_cum, tier_total, tier_hi = _weights(TIERS)
    # timedelta * (number / order_count), exactly: the float's ratio, rounded half to even
    shares = {(n, c): (n / c).as_integer_ratio() for c in range(1, 5) for n in range(c)}
    now_s = now_us // US
    day, second = divmod(now_s, 86_400)
    updated_at = days[day][0] + clock[second]
    latest_placed = now_us - 2 * HOUR_US
    for index in range(count):
        customer_id = f"C{index + 1:06d}"
        first_us = now_us - (5 + below(895)) * DAY_US
        allergies = sample(ALLERGENS, (0, 0, 0, 0, 1, 1, 2)[below(7)])
        birthday = f"{1965 + below(41)}-{1 + below(12):02d}-{1 + below(28):02d}"
        day, second = divmod(first_us // US, 86_400)
        first_at = days[day][0] + clock[second]
        if random_() < 0.03:
            name = EN_NAMES[below(n_en)]
        else:
            given = GIVEN[below(n_given)]
            if random_() < 0.7:
                given += GIVEN[below(n_given)]
            name = SURNAMES[below(n_surnames)] + given
        phone = f"1{'3456789'[below(7)]}{below(10**9):09d}"
        email = f"user{index + 1}@example.com" if random_() < 0.4 else None
        tier = tiers[bisect(tier_cum, random_() * tier_total, 0, tier_hi)]
        customers.append(
            (
                customer_id,
                name,
                phone,
                email,
                tier,
                below(20000),
                SKIN_TYPES[below(5)],
                _allergies_json(tuple(allergies)),
                birthday,
                first_at,
                CITIES[below(12)],
                None,
                first_at,
                updated_at,
            )
        )
        order_count = (1, 1, 2, 2, 3, 4)[below(6)]
        mall, mall_at, online, online_at = "", NO_ORDER, "", NO_ORDER
        for number in range(order_count):
            a, b = shares[number, order_count]
            placed_us = first_us + _divide_nearest((now_us - first_us) * a, b) + below(48) * HOUR_US
            if number == order_count - 1 and random_() < 0.7:
                # most customers write about a recent order: delivered days, not months, ago
                back = (2 + below(10)) * DAY_US
                placed_us = now_us - back - below(24) * HOUR_US
            placed_us = min(placed_us, latest_placed)
            channel = ORDER_CHANNELS[below(6)]
            pool = mall_goods if channel == "mall-desk" else cosmetics
            placed_s = placed_us // US
            day, second = divmod(placed_s, 86_400)
            placed_day = days[day]
            order_id = f"SO{placed_day[1]}{index + 1:06d}{number}"
            total = 0.0
            kept: list[str] = []
            for line_no, product in enumerate(sample(pool, (1, 1, 2, 3)[below(4)]), start=1):
                qty = (1, 1, 1, 2)[below(4)]
                line_id += 1
                total += product.price * qty
                made = days[(placed_us - (30 + below(370)) * DAY_US) // DAY_US][2]
                batch_no = f"B{made}{'ABCDEFGH'[below(8)]}{1 + below(98):02d}"
                lines.append(
                    (line_id, order_id, line_no, product.sku, qty, product.price, batch_no)
                )
                kept += (product.sku, batch_no)
            discount = round(total * (0, 0, 0.05, 0.1)[below(4)], 2)
            in_store = channel in ("store-counter", "mall-desk")
            delivered_us = placed_us if in_store else placed_us + (1 + below(5)) * DAY_US
            if delivered_us < now_us:
                d_day, d_second = divmod(delivered_us // US, 86_400)
                delivered_at: str | None = days[d_day][0] + clock[d_second]
            else:
                delivered_at = None
            p_day, p_second = divmod(placed_s + 3 * 86_400, 86_400)
            orders.append(
                (
                    order_id,
                    customer_id,
                    channel,
                    "1F 服务台" if channel == "mall-desk" else ("专柜" if in_store else None),
                    placed_day[0] + clock[second],
                    days[p_day][0] + clock[p_second],
                    delivered_at,
                    "delivered" if delivered_at else "shipped",
                    round(total, 2),
                    discount,
                    round(total - discount, 2),
                    None if in_store else f"SF{10**11 + below(9 * 10**11)}",
                    None,
                )
            )
            # the latest of each kind; of orders placed in the same second, the first
            if channel == "mall-desk":
                if placed_s > mall_at:
                    mall, mall_at = "|".join((order_id, *kept)), placed_s
            elif placed_s > online_at:
                online, online_at = "|".join((order_id, *kept)), placed_s
        brief.names.append(name)
        brief.mall_at.append(mall_at)
        brief.mall.append(mall)
        brief.online_at.append(online_at)
        brief.online.append(online)
        if len(customers) >= CHUNK_CUSTOMERS or index == count - 1:
            write({"customers": customers, "orders": orders, "order_lines": lines})
            customers, orders, lines = [], [], []
    return brief


RECENT_ORDER_DAYS = 21


def _write_tickets(
    history: History,
    draws: _Draws,
    count: int,
    brief: _Brief,
    now_us: int,
    later: random.Random,
) -> None:
    """The tickets and their messages, through :class:`History` (triage and SLA due times
    worked out once per template and per SLA case, see :meth:`History.read`). ``later`` draws
    which resolved tickets took a second reply, and which, apart from the other draws."""
    below, random_ = draws.below, draws.random
    days, clock = _Days(), _times_of_day()
    topic_texts, follow_ups, agent_replies, later_replies = _texts()
    topics = list(TOPIC_CATEGORY)
    n_topics = len(topics)
    products = {p.sku: p for p in PRODUCTS}
    uses = {topic: [_fields_used(m) for _s, m in texts] for topic, texts in topic_texts.items()}
    sla = history.desk.sla_config
    agents = [a[0] for a in AGENTS if a[2] != "supervisor"]
    n_agents = len(agents)
    read, due_after, add_row = history.read, history.due_after, history.add_row
    assessments: dict[tuple[tuple[Reading, ...], int], Assessment] = {}
    statuses, status_cum, status_total, status_hi = _weights(STATUS_WEIGHTS)
    n_customers = len(brief.names)
    names = brief.names
    recent_s = now_us // US - RECENT_ORDER_DAYS * 86_400
    n_channels = len(CHANNELS)
    default_replies = ["{customer}您好,我是{agent},正在为您查询。"]
    n_follow_ups = len(follow_ups)
    first_response = sla.first_response
    first_response_default = sla.first_response_default
    for ticket_id in range(1, count + 1):
        topic = topics[below(n_topics)]
        category = TOPIC_CATEGORY[topic]
        status = statuses[bisect(status_cum, random_() * status_total, 0, status_hi)]
        live = status in ("open", "pending")
        # someone writing today about an order writes about a recent one: a few draws find a
        # customer whose latest order fits, so a newcomer's first return is not a refusal
        about_order = topic in ORDER_TOPICS
        placed_at, packed = (
            (brief.mall_at, brief.mall) if category == "mall" else (brief.online_at, brief.online)
        )
        placed = NO_ORDER
        for _ in range(8 if about_order and live else 1):
            customer = below(n_customers)
            placed = placed_at[customer] if about_order else NO_ORDER
            if placed != NO_ORDER and placed >= recent_s:
                break
        order_id: str | None = None
        line: tuple[str, str] | None = None
        if placed != NO_ORDER:
            parts = packed[customer].split("|")
            order_id = parts[0]
            if len(parts) > 1:
                at = 1 + 2 * below((len(parts) - 1) // 2)
                line = (parts[at], parts[at + 1])
        product = products[line[0]] if line else PRODUCTS[below(11)]
        at_desk = category == "mall" and random_() < 0.6
        channel = "desk" if at_desk else CHANNELS[below(n_channels)]
        answered = status != "open" or random_() < 0.6
        if live and not answered:
            # unanswered tickets are fresh: seconds to minutes old, a few already late
            target = first_response.get(channel, 90)
            stop = int(target * (1.3 if random_() < 0.8 else 6)) + 4
            age_s = 3 + below(stop - 3)
        elif live:
            age_s = (5 + below(60 * 60 - 5)) * 60
        else:
            age_s = (60 + below(60 * 24 * 60 - 60)) * 60
        created_us = now_us - age_s * US
        choices = topic_texts.get(topic) or []
        if not choices:
            choices = [(topic, f"关于{topic}想咨询一下")]
            uses[topic] = [_fields_used(choices[0][1])]
        template = below(len(choices))
        subject, opening = choices[template]
        days_field = 2 + below(7)
        fields = {
            "product": product.name,
            "order_no": order_id if order_id is not None else "(订单号忘了)",
            "shade": product.shade or "02 自然色",
            "days": days_field,
            "batch_no": line[1] if line else "B2409C07",
        }
        subject, opening = _filled(subject, opening, fields)
        priority = 2 if random_() < 0.1 else 3  # raised by an agent; triage may raise it more
        lang = "en" if opening.isascii() else "zh-Hans"
        # most first replies meet the channel's target (the mall desk's reached it 82 % of the time)
        target = first_response.get(channel, first_response_default)
        if random_() < 0.82:
            reply_after = 3 + below(target - 2)
        else:
            reply_after = target + 1 + below(2 * target - 1)
        responded_us: int | None = None
        if answered:
            responded_us = min(created_us + reply_after * US, now_us)
        resolved_us: int | None = None
        if status in ("resolved", "closed"):
            resolved_us = min(now_us, created_us + (1 + below(59)) * HOUR_US)
        paused_us: int | None = None
        if status == "pending":
            start_us = created_us if responded_us is None else responded_us
            paused_us = start_us + _divide_nearest(now_us - start_us, 2)
        assignee = agents[below(n_agents)] if status != "open" or random_() < 0.5 else None
        customer_id = f"C{customer + 1:06d}"
        created_s = created_us // US
        day, second = divmod(created_s, 86_400)
        created_at = days[day][0] + clock[second]
        first_response_at = resolved_at = paused_at = None
        if responded_us is not None:
            day, second = divmod(responded_us // US, 86_400)
            first_response_at = days[day][0] + clock[second]
        if resolved_us is not None:
            day, second = divmod(resolved_us // US, 86_400)
            resolved_at = days[day][0] + clock[second]
        if paused_us is not None:
            day, second = divmod(paused_us // US, 86_400)
            paused_at = days[day][0] + clock[second]
        messages: list[tuple[Any, ...]] = [
            (ticket_id, "in", customer_id, opening, channel, created_at)
        ]
        follow_up = -1
        if first_response_at is not None:
            replies = agent_replies.get(category) or default_replies
            replier = assignee or agents[ticket_id % n_agents]
            reply = replies[below(len(replies))].format(
                customer=names[customer], agent=AGENT_NAMES[replier]
            )
            messages.append((ticket_id, "out", replier, reply, channel, first_response_at))
            if random_() < 0.4 and follow_ups:
                assert responded_us is not None
                later_us = min(now_us, responded_us + (1 + below(119)) * 60 * US)
                follow_up = below(n_follow_ups)
                day, second = divmod(later_us // US, 86_400)
                messages.append(
                    (
                        ticket_id,
                        "in",
                        customer_id,
                        follow_ups[follow_up],
                        channel,
                        days[day][0] + clock[second],
                    )
                )
        if (
            resolved_us is not None
            and responded_us is not None
            and later_replies
            and later.random() < LATER_REPLY_SHARE
        ):
            again_us = responded_us + (resolved_us - responded_us) * 2 // 3
            day, second = divmod(again_us // US, 86_400)
            text = later_replies[later.randrange(len(later_replies))]
            messages.append(
                (
                    ticket_id,
                    "out",
                    replier,
                    text.format(customer=names[customer], agent=AGENT_NAMES[replier]),
                    channel,
                    days[day][0] + clock[second],
                )
            )
        # what triage reads in an opening is its template and the fields it uses; an order
        # or batch number is the ticket's own (digits are signs too: 12315), so such an
        # opening is read for itself
        uses_product, uses_days, uses_order, uses_batch = uses[topic][template]
        own = (uses_order and order_id is not None) or (uses_batch and line is not None)
        reading = read(
            None
            if own
            else (
                topic,
                template,
                product.sku if uses_product else None,
                days_field if uses_days else 0,
            ),
            opening,
        )
        readings = (
            (reading, read(follow_up, follow_ups[follow_up])) if follow_up >= 0 else (reading,)
        )
        assessed = assessments.get((readings, priority))
        if assessed is None:  # a few hundred cases: readings are few
            assessed = assessments[readings, priority] = combined(readings, priority)
        priority, sentiment, tags, allergy = assessed
        after = due_after(
            channel,
            category,
            topic,
            priority,
            status,
            responded_us is not None,
            resolved_us is not None,
        )
        if after is None:
            sla_due = None
        else:
            day, second = divmod(created_s + after, 86_400)
            sla_due = days[day][0] + clock[second]
        add_row(
            (
                ticket_id,
                subject,
                customer_id,
                order_id,
                channel,
                category,
                topic,
                status,
                assignee,
                SKILL_GROUPS[category],
                0,
                lang,
                created_at,
                resolved_at or first_response_at or created_at,
                first_response_at,
                resolved_at,
                paused_at,
                0,
                priority,
                sentiment,
                tags,
                allergy,
                sla_due,
            ),
            messages,
        )
    history.flush()


def _filled(subject: str, message: str, fields: dict[str, Any]) -> tuple[str, str]:
    """A topic text's subject and message with the ticket's fields (as written, if one does
    not fit)."""
    try:
        return subject.format(**fields), message.format(**fields)
    except (KeyError, IndexError, ValueError):
        return subject, message


@cache
def _fields_used(message: str) -> tuple[bool, bool, bool, bool]:
    """Whether a topic text's message uses the product (its name or shade), the day count, the
    order number and the batch number."""
    try:
        names = {name for _text, name, _spec, _conv in Formatter().parse(message) if name}
    except ValueError:  # a text that does not parse is written as it is (see _filled)
        names = set()
    return (
        bool(names & {"product", "shade"}),
        "days" in names,
        "order_no" in names,
        "batch_no" in names,
    )
