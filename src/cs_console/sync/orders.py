"""Orders into RT: each order is an asset in the ``Orders`` catalog, named by order number.

:func:`read_orders_csv` accepts a shop-system export (UTF-8, BOM allowed) with a header row;
recognised columns (case-insensitive, Chinese headers too): ``order_no``/``id``/``订单号``,
``customer_email``/``email``/``邮箱``, ``placed_at``/``下单时间``, ``delivered_at``/``签收时间``,
``total``/``金额``, ``lines``/``明细``. Bad rows are reported as ``file:line: message`` (the
physical line where the row starts; the header is line 1) and skipped. A file that is not UTF-8
(a GBK export, say) is one problem that names the first bad byte and reads no row.

This reader checks the shape of the file only; :func:`cs_console.service.orders.check_orders`
validates each value against the cache before anything is written.
"""

from __future__ import annotations

import codecs
import csv
import io
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


@dataclass(frozen=True)
class OrderRow:
    """One order of the export and the physical line of the file where its row starts."""

    line: int
    order: Order


def decode_utf8(data: bytes, name: str) -> tuple[str | None, str | None]:
    """``(text, None)`` for UTF-8 (a leading BOM dropped), else ``(None, problem)`` naming the
    first byte that is not UTF-8 and its offset in the file."""
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[start:].decode("utf-8"), None
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        return None, (
            f"{name}: not UTF-8 (byte 0x{data[offset]:02x} at offset {offset}); "
            "save it as UTF-8 and retry"
        )


def read_order_rows(path: str | Path) -> tuple[list[OrderRow], list[str]]:
    """The orders of the export with their line numbers, and the problems found (see above)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return [], [f"{path}: cannot read: {exc.strerror or exc}"]
    text, problem = decode_utf8(data, str(path))
    if text is None:
        return [], [problem or f"{path}: not UTF-8"]
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[OrderRow] = []
    problems: list[str] = []
    try:
        fieldnames = next(reader, None)
        while fieldnames == []:  # blank lines before the header
            fieldnames = next(reader, None)
        header = {h.strip().lower(): i for i, h in reversed(list(enumerate(fieldnames or [])))}
        cols: dict[str, int] = {}
        for key, names in ALIASES.items():
            for n in names:
                if n in header:
                    cols[key] = header[n]
                    break
        if "order_no" not in cols:
            choices = ", ".join(ALIASES["order_no"])
            return [], [f"{path}:{reader.line_num or 1}: no order number column (one of {choices})"]
        width = len(fieldnames or [])
        line = reader.line_num + 1
        for record in reader:
            lineno, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue  # a blank line
            if len(record) > width and any(cell.strip() for cell in record[width:]):
                problems.append(
                    f"{path}:{lineno}: {len(record)} cells but the header has {width}, row skipped"
                )
                continue
            values = {k: (record[i] if i < len(record) else "").strip() for k, i in cols.items()}
            if not values["order_no"]:
                problems.append(f"{path}:{lineno}: empty order number, row skipped")
                continue
            rows.append(OrderRow(lineno, Order(**values)))
    except csv.Error as exc:
        return [], [f"{path}:{reader.line_num}: not a CSV file: {exc}"]
    return rows, problems


def read_orders_csv(path: str | Path) -> tuple[list[Order], list[str]]:
    """The orders of the export (without line numbers) and the problems found."""
    rows, problems = read_order_rows(path)
    return [row.order for row in rows], problems


def push_orders(backend, orders: Iterable[Order]) -> ImportReport:
    rep = ImportReport()
    for o in orders:
        res = backend.upsert_order(o)
        if res.outcome is Outcome.DONE:
            rep.imported += 1
        else:
            rep.problems.append(f"order {o.order_no}: {res.outcome.value}: {res.message}")
    return rep
