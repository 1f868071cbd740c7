"""Returns, exchanges, compensation and allergy cases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cs_console.store.base import Queries, decode, dumps


class ReturnQueries(Queries):
    def products(self, skus: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Catalogue rows by SKU for the given SKUs (unknown ones are simply absent)."""
        wanted = sorted({s for s in skus if s})
        if not wanted:
            return {}
        marks = ", ".join("?" for _ in wanted)
        rows = self.all(f"SELECT * FROM products WHERE sku IN ({marks})", wanted)
        return {row["sku"]: row for row in rows}

    def return_row(self, return_id: str) -> dict[str, Any] | None:
        row = self.one("SELECT * FROM returns WHERE id = ?", (return_id,))
        return decode(row, "lines", "verdict") if row else None

    def return_by_key(self, request_key: str) -> dict[str, Any] | None:
        row = self.one("SELECT * FROM returns WHERE request_key = ?", (request_key,))
        return decode(row, "lines", "verdict") if row else None

    def order_returns(self, order_id: str) -> list[dict[str, Any]]:
        """Every return, exchange and compensation on an order, oldest first."""
        rows = self.all(
            "SELECT * FROM returns WHERE order_id = ? ORDER BY created_at, id", (order_id,)
        )
        return [decode(row, "lines", "verdict") for row in rows]

    def returns_awaiting_approval(self, limit: int = 200) -> list[dict[str, Any]]:
        """Requests waiting for a supervisor, oldest first, with their ticket and customer."""
        rows = self.all(
            "SELECT r.*, t.subject AS ticket_subject, t.priority AS ticket_priority, "
            "c.name AS customer_name FROM returns r JOIN tickets t ON t.id = r.ticket_id "
            "LEFT JOIN customers c ON c.id = t.customer_id "
            "WHERE r.status = 'awaiting_approval' ORDER BY r.created_at, r.id LIMIT ?",
            (limit,),
        )
        return [decode(row, "lines", "verdict") for row in rows]

    def returns_report(
        self, statuses: Sequence[str] | None = None, limit: int = 100_000
    ) -> list[dict[str, Any]]:
        """Returns for the quality team, newest first, one row per request."""
        where, params = "1", []
        if statuses:
            where = f"status IN ({', '.join('?' for _ in statuses)})"
            params = list(statuses)
        rows = self.all(
            f"SELECT * FROM returns WHERE {where} ORDER BY created_at DESC, id DESC LIMIT ?",
            (*params, limit),
        )
        return [decode(row, "lines", "verdict") for row in rows]

    def allergy_cases_report(self) -> list[dict[str, Any]]:
        """Allergy cases with product names; ``batch_cases`` counts cases on the same SKU and
        batch, so repeated complaints about one batch sort first."""
        return self.all(
            "SELECT a.id, a.ticket_id, a.customer_id, a.sku, p.name AS product, a.batch_no, "
            "a.symptoms, a.reported_at, a.outcome, a.return_id, "
            "count(*) OVER (PARTITION BY a.sku, a.batch_no) AS batch_cases "
            "FROM allergy_cases a LEFT JOIN products p ON p.sku = a.sku "
            "ORDER BY batch_cases DESC, a.sku, a.batch_no, a.reported_at, a.id"
        )

    def products_like(self, sku: str, same_line: bool) -> list[dict[str, Any]]:
        """In-stock products at the same price as ``sku``: another shade or size of the same
        product line (``same_line``), or any product of its kind, ``sku`` itself first."""
        original = self.one("SELECT * FROM products WHERE sku = ?", (sku,))
        if original is None:
            return []
        if same_line:
            return self.all(
                "SELECT * FROM products WHERE line IS ? AND kind = ? AND sku != ? AND stock > 0 "
                "AND abs(price - ?) < 0.005 ORDER BY sku",
                (original.get("line"), original["kind"], sku, original["price"]),
            )
        return self.all(
            "SELECT * FROM products WHERE kind = ? AND stock > 0 AND abs(price - ?) < 0.005 "
            "ORDER BY sku = ? DESC, sku",
            (original["kind"], original["price"], sku),
        )

    def last_return_number(self, prefix: str) -> int:
        """The highest running number of return ids starting with ``prefix`` (0 if none)."""
        value = self.scalar(
            "SELECT max(CAST(substr(id, ?) AS INTEGER)) FROM returns WHERE id LIKE ?",
            (len(prefix) + 1, prefix + "%"),
        )
        return int(value or 0)

    def insert_return(self, values: Mapping[str, Any]) -> bool:
        """Insert a return row; False when its UNIQUE request_key is already taken."""
        row = {k: dumps(v) if isinstance(v, list | dict) else v for k, v in values.items()}
        columns = ", ".join(row)
        marks = ", ".join(":" + k for k in row)
        cursor = self.conn.execute(
            f"INSERT INTO returns ({columns}) VALUES ({marks}) ON CONFLICT(request_key) DO NOTHING",
            row,
        )
        return cursor.rowcount == 1

    def set_return_op(self, return_id: str, op_id: str) -> None:
        self.conn.execute("UPDATE returns SET op_id = ? WHERE id = ?", (op_id, return_id))

    def decide_return(
        self, return_id: str, decision: str, by: str, note: str | None, at: str
    ) -> bool:
        """Approve or decline a waiting request; False when it was no longer waiting."""
        cursor = self.conn.execute(
            "UPDATE returns SET status = ?, approved_by = ?, approval_note = ?, updated_at = ? "
            "WHERE id = ? AND status = 'awaiting_approval'",
            (decision, by, note, at, return_id),
        )
        return cursor.rowcount == 1

    def awaiting_count(self, ticket_id: int) -> int:
        return int(
            self.scalar(
                "SELECT count(*) FROM returns WHERE ticket_id = ? AND status = 'awaiting_approval'",
                (ticket_id,),
            )
            or 0
        )

    def insert_allergy_case(self, values: Mapping[str, Any]) -> int:
        columns = ", ".join(values)
        marks = ", ".join(":" + k for k in values)
        cursor = self.conn.execute(
            f"INSERT INTO allergy_cases ({columns}) VALUES ({marks})", dict(values)
        )
        return int(cursor.lastrowid or 0)

    def set_allergy_outcome(self, return_id: str, outcome: str) -> None:
        self.conn.execute(
            "UPDATE allergy_cases SET outcome = ? WHERE return_id = ?", (outcome, return_id)
        )

    def allergy_case_of(self, return_id: str) -> int | None:
        value = self.scalar(
            "SELECT id FROM allergy_cases WHERE return_id = ? ORDER BY id LIMIT 1", (return_id,)
        )
        return int(value) if value is not None else None

    def credit_points(self, customer_id: str, points: int, at: str) -> None:
        self.conn.execute(
            "UPDATE customers SET points = points + ?, updated_at = ? WHERE id = ?",
            (points, at, customer_id),
        )

    def return_remote_id(self, return_id: str) -> tuple[bool, str | None]:
        """(known, remote id) of a return: whether it is in the cache and its RT ticket."""
        row = self.one("SELECT remote_id FROM returns WHERE id = ?", (return_id,))
        if row is None:
            return False, None
        return True, None if row["remote_id"] is None else str(row["remote_id"])

    # -- orders (imports) -------------------------------------------------------------

    def known_skus(self) -> set[str]:
        return {row[0] for row in self.conn.execute("SELECT sku FROM products")}

    def order_ids(self) -> set[str]:
        return {row[0] for row in self.conn.execute("SELECT id FROM orders")}

    def known_orders(self, order_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """``{id: {"customer_id", "total", "paid"}}`` for those of ``order_ids`` in the cache
        (an import checks who owns an order before it may refresh it)."""
        wanted = sorted(set(order_ids))
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), 500):  # below SQLite's bound-parameter limit
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for row in self.all(
                f"SELECT id, customer_id, total, paid FROM orders WHERE id IN ({marks})", chunk
            ):
                found[row["id"]] = row
        return found

    def refresh_order(self, row: Mapping[str, Any]) -> None:
        """A known order's dates, status and paid amount from a newer export. Its lines (and so
        its total) stay, so the order-level discount is what the total and the new amount paid
        leave: a refund takes its share off each line, and a stale one refunded too much."""
        self.conn.execute(
            "UPDATE orders SET placed_at = ?, delivered_at = ?, status = ?, paid = ?, "
            "discount = round(max(total - ?, 0), 2) WHERE id = ?",
            (
                row["placed_at"],
                row["delivered_at"],
                row["status"],
                row["paid"],
                row["paid"],
                row["id"],
            ),
        )
