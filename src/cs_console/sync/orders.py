"""Orders into RT: each order is an asset in the ``Orders`` catalog, named by order number.

:func:`read_orders_csv` accepts a shop-system export (UTF-8, BOM allowed) with a header row;
recognised columns (case-insensitive, Chinese headers too): ``order_no``/``id``/``订单号``,
``customer_email``/``email``/``邮箱``, ``placed_at``/``下单时间``, ``delivered_at``/``签收时间``,
``total``/``金额``, ``lines``/``明细``. Bad rows are reported as ``file:line: message`` (the
physical line where the row starts; the header is line 1) and skipped; each problem is an
i18n ``Text`` (English as a string, said in the agent's language by the shell). A file that is not UTF-8
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

from cs_console.i18n import Items, Text
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
        return None, Text(
            "orders.read.not_utf8_at", name=name, byte=f"{data[offset]:02x}", offset=offset
        )


def read_order_rows(path: str | Path) -> tuple[list[OrderRow], list[str]]:
    """The orders of the export with their line numbers, and the problems found (see above)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return [], [Text("orders.read.cannot_read", path=path, error=exc.strerror or exc)]
    text, problem = decode_utf8(data, str(path))
    if text is None:
        return [], [problem or Text("orders.read.not_utf8", path=path)]
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
            choices = Items(ALIASES["order_no"])
            line = reader.line_num or 1
            return [], [Text("orders.read.no_order_column", path=path, line=line, choices=choices)]
        width = len(fieldnames or [])
        line = reader.line_num + 1
        for record in reader:
            lineno, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue  # a blank line
            if len(record) > width and any(cell.strip() for cell in record[width:]):
                problems.append(
                    Text(
                        "orders.read.too_many_cells",
                        path=path,
                        line=lineno,
                        cells=len(record),
                        width=width,
                    )
                )
                continue
            values = {k: (record[i] if i < len(record) else "").strip() for k, i in cols.items()}
            if not values["order_no"]:
                problems.append(Text("orders.read.empty_order_no", path=path, line=lineno))
                continue
            rows.append(OrderRow(lineno, Order(**values)))
    except csv.Error as exc:
        return [], [Text("orders.read.not_csv", path=path, line=reader.line_num, error=exc)]
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
            rep.problems.append(
                Text(
                    "orders.push.failed",
                    order=o.order_no,
                    outcome=res.outcome.value,
                    message=res.message,
                )
            )
    return rep
