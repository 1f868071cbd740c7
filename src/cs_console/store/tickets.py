"""Tickets, customers, agents, orders and messages: reads, and the writes the service makes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cs_console.store.base import Queries, check_identifier, decode, dumps, like_escape


class TicketQueries(Queries):
    def counts(self) -> dict[str, int]:
        tables = (
            "customers",
            "products",
            "orders",
            "order_lines",
            "tickets",
            "messages",
            "returns",
            "outbox",
        )
        return {table: self.scalar(f"SELECT count(*) FROM {table}") for table in tables}

    # -- reads used by the desk, the CLI and the console ---------------------------------

    def ticket(self, ticket_id: int) -> dict[str, Any] | None:
        row = self.one("SELECT * FROM tickets WHERE id = ?", (ticket_id,))
        return decode(row, "tags") if row else None

    def customer(self, customer_id: str) -> dict[str, Any] | None:
        row = self.one("SELECT * FROM customers WHERE id = ?", (customer_id,))
        return decode(row, "allergies") if row else None

    def agent(self, agent_id: str) -> dict[str, Any] | None:
        row = self.one("SELECT * FROM agents WHERE id = ?", (agent_id,))
        return decode(row, "skill_groups") if row else None

    def order(self, order_id: str) -> dict[str, Any] | None:
        order = self.one("SELECT * FROM orders WHERE id = ?", (order_id,))
        if order is not None:
            order["lines"] = self.order_lines(order_id)
        return order

    def order_lines(self, order_id: str) -> list[dict[str, Any]]:
        return self.all(
            "SELECT l.*, p.name AS product_name, p.shade, p.kind AS product_kind, p.line AS product_line "
            "FROM order_lines l JOIN products p ON p.sku = l.sku WHERE l.order_id = ? ORDER BY l.line_no",
            (order_id,),
        )

    def customer_orders(self, customer_id: str, limit: int = 20) -> list[dict[str, Any]]:
        orders = self.all(
            "SELECT * FROM orders WHERE customer_id = ? ORDER BY placed_at DESC LIMIT ?",
            (customer_id, limit),
        )
        for order in orders:
            order["lines"] = self.order_lines(order["id"])
        return orders

    def customer_tickets(self, customer_id: str, limit: int = 20) -> list[dict[str, Any]]:
        return self.all(
            "SELECT id, subject, status, category, topic, created_at, resolved_at FROM tickets "
            "WHERE customer_id = ? ORDER BY created_at DESC LIMIT ?",
            (customer_id, limit),
        )

    def messages(self, ticket_id: int) -> list[dict[str, Any]]:
        return self.all(
            "SELECT * FROM messages WHERE ticket_id = ? ORDER BY created_at, id", (ticket_id,)
        )

    def latest_agent_message(
        self, ticket_id: int, since: str, except_author: str, system: str = "system"
    ) -> dict[str, Any] | None:
        """The newest reply or note on the ticket since ``since`` by another agent (not
        ``except_author``, nor the console's own ``system`` notes such as auto-escalation)."""
        return self.one(
            "SELECT author, created_at FROM messages WHERE ticket_id = ? AND direction IN "
            "('out', 'note') AND created_at >= ? AND author NOT IN (?, ?) "
            "ORDER BY created_at DESC, id DESC LIMIT 1",
            (ticket_id, since, except_author, system),
        )

    def agent_names(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self.conn.execute("SELECT id, name FROM agents")}

    def first_supervisor(self) -> str | None:
        value = self.scalar("SELECT id FROM agents WHERE role = 'supervisor' ORDER BY id LIMIT 1")
        return str(value) if value is not None else None

    def ticket_brief(self, ticket_id: int) -> dict[str, Any] | None:
        return self.one("SELECT id, subject, status FROM tickets WHERE id = ?", (ticket_id,))

    def customers_by_phone_tail(self, digits: str, limit: int) -> list[dict[str, Any]]:
        return self.all(
            "SELECT id, name, phone, tier FROM customers WHERE phone LIKE ? ESCAPE '\\' LIMIT ?",
            (f"%{like_escape(digits)}", limit),
        )

    def customers_by_name(self, text: str, limit: int) -> list[dict[str, Any]]:
        return self.all(
            "SELECT id, name, phone, tier FROM customers WHERE name LIKE ? ESCAPE '\\' OR id = ? "
            "LIMIT ?",
            (f"%{like_escape(text)}%", text, limit),
        )

    def latest_ticket_of(self, customer_id: str) -> dict[str, Any] | None:
        """The customer's open ticket if any, else their newest."""
        return self.one(
            "SELECT id, subject, status FROM tickets WHERE customer_id = ? "
            "ORDER BY status = 'open' DESC, created_at DESC LIMIT 1",
            (customer_id,),
        )

    def next_unassigned_ticket(self) -> int | None:
        """The most urgent open ticket nobody holds (console order)."""
        value = self.scalar(
            "SELECT id FROM tickets WHERE status = 'open' AND assignee IS NULL "
            "ORDER BY sla_due, priority, id LIMIT 1"
        )
        return int(value) if value is not None else None

    def overdue_unescalated(self, now_iso: str) -> list[dict[str, Any]]:
        rows = self.all(
            "SELECT * FROM tickets WHERE status = 'open' AND escalated = 0 AND sla_due < ?",
            (now_iso,),
        )
        return [decode(row, "tags") for row in rows]

    def tickets_updated_since(self, since: str, limit: int = 500) -> list[int]:
        return [
            int(row[0])
            for row in self.conn.execute(
                "SELECT id FROM tickets WHERE updated_at > ? LIMIT ?", (since, limit)
            )
        ]

    def latest_update(self) -> str:
        return str(self.scalar("SELECT max(updated_at) FROM tickets") or "")

    def latest_inbound_body(self, ticket_id: int) -> str | None:
        value = self.scalar(
            "SELECT body FROM messages WHERE ticket_id = ? AND direction = 'in' "
            "ORDER BY created_at DESC, id DESC LIMIT 1",
            (ticket_id,),
        )
        return str(value) if value is not None else None

    def first_message_body(self, ticket_id: int) -> str | None:
        value = self.scalar(
            "SELECT body FROM messages WHERE ticket_id = ? ORDER BY id LIMIT 1", (ticket_id,)
        )
        return str(value) if value is not None else None

    def customer_order_count(self, customer_id: str) -> int:
        return int(
            self.scalar("SELECT count(*) FROM orders WHERE customer_id = ?", (customer_id,)) or 0
        )

    def customer_by_email(self, email: str) -> str | None:
        """The customer with this e-mail address, its case and surrounding spaces aside (the
        exact spelling first, then the oldest record)."""
        email = email.strip()
        value = self.scalar(
            "SELECT id FROM customers WHERE email = ? COLLATE NOCASE "
            "ORDER BY email = ? DESC, created_at, id LIMIT 1",
            (email, email),
        )
        return str(value) if value is not None else None

    # -- writes (inside the service's transaction) ----------------------------------------

    def insert_ticket(self, values: Mapping[str, Any]) -> int:
        columns = list(values)
        for column in columns:
            check_identifier(column)
        cursor = self.conn.execute(
            f"INSERT INTO tickets ({', '.join(columns)}) "
            f"VALUES ({', '.join(':' + c for c in columns)})",
            {k: _column_value(v) for k, v in values.items()},
        )
        return int(cursor.lastrowid or 0)

    def update_ticket(self, ticket_id: int, changes: Mapping[str, Any]) -> None:
        if not changes:
            return
        for column in changes:
            check_identifier(column)
        assignments = ", ".join(f"{column} = ?" for column in changes)
        self.conn.execute(
            f"UPDATE tickets SET {assignments} WHERE id = ?",
            (*(_column_value(v) for v in changes.values()), ticket_id),
        )

    def insert_message(
        self,
        ticket_id: int,
        direction: str,
        author: str,
        body: str,
        channel: str | None,
        created_at: str,
        op_id: str | None = None,
        remote_id: int | None = None,
    ) -> int:
        cursor = self.conn.execute(
            "INSERT INTO messages (ticket_id, direction, author, body, channel, created_at, "
            "op_id, remote_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (ticket_id, direction, author, body, channel, created_at, op_id, remote_id),
        )
        return int(cursor.lastrowid or 0)

    def set_message_op(self, message_id: int, op_id: str) -> None:
        self.conn.execute("UPDATE messages SET op_id = ? WHERE id = ?", (op_id, message_id))

    def insert_customer(self, values: Mapping[str, Any]) -> None:
        """A customer first seen in the backend (ignored when the id exists)."""
        columns = list(values)
        for column in columns:
            check_identifier(column)
        self.conn.execute(
            f"INSERT OR IGNORE INTO customers ({', '.join(columns)}) "
            f"VALUES ({', '.join(':' + c for c in columns)})",
            dict(values),
        )

    def add_followup(self, ticket_id: int, customer_id: str | None, kind: str, due_at: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO followups (ticket_id, customer_id, kind, due_at) "
            "VALUES (?, ?, ?, ?)",
            (ticket_id, customer_id, kind, due_at),
        )


def _column_value(value: Any) -> Any:
    """Lists and dicts (tags) are stored as JSON text."""
    if isinstance(value, list | dict | tuple):
        return dumps(list(value) if isinstance(value, tuple) else value)
    return value
