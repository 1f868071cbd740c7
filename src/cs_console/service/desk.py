"""The service layer: every agent action goes through a Desk.

Each action is ONE transaction that writes the new state, an outbox op (synced to the backend
later, exactly once) and an audit row. An invalid action raises :class:`DeskError` before
anything is written. No Textual here: the console and the CLI both call these methods.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cs_console.clock import parse_iso, to_iso
from cs_console.policy import roles
from cs_console.policy.followups import followups_on_resolution
from cs_console.policy.sla import (
    SlaClock,
    SlaConfig,
    SlaFacts,
    active_clock,
    clock_seconds_between,
    needs_auto_escalation,
)
from cs_console.policy.triage import Triage, triage
from cs_console.store.db import Store, like_escape

STATUSES = ("open", "pending", "resolved", "closed")
PRIORITIES = {1: "urgent", 2: "high", 3: "normal", 4: "low"}
MAX_MESSAGE_CHARS = 100_000
SYSTEM_ACTOR = "system"


class DeskError(Exception):
    """An action that cannot be done; the message says why, and nothing was written."""


@dataclass(frozen=True)
class Agent:
    id: str
    name: str
    role: str = "agent"

    def __post_init__(self) -> None:
        roles.check_role(self.role)


def sla_facts(ticket: dict[str, Any]) -> SlaFacts:
    def when(key: str) -> datetime | None:
        value = ticket.get(key)
        return parse_iso(value) if value else None

    return SlaFacts(
        channel=ticket["channel"],
        category=ticket["category"],
        topic=ticket.get("topic"),
        priority=int(ticket["priority"]),
        status=ticket["status"],
        created_at=parse_iso(ticket["created_at"]),
        first_response_at=when("first_response_at"),
        resolved_at=when("resolved_at"),
        paused_at=when("paused_at"),
        paused_seconds=int(ticket.get("paused_seconds") or 0),
    )


class Desk:
    """Agent actions over one Store, performed as ``agent``."""

    def __init__(self, store: Store, agent: Agent, sla_config: SlaConfig | None = None) -> None:
        self.store = store
        self.agent = agent
        self.sla_config = sla_config or SlaConfig()

    # -- reading -------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.store.clock.now()

    def ticket(self, ticket_id: int) -> dict[str, Any]:
        ticket = self.store.ticket(ticket_id)
        if ticket is None:
            raise DeskError(f"ticket {ticket_id} does not exist")
        return ticket

    def clock(self, ticket: dict[str, Any], now: datetime | None = None) -> SlaClock:
        return active_clock(sla_facts(ticket), now or self.now(), self.sla_config)

    def ticket_view(self, ticket_id: int) -> dict[str, Any]:
        """A ticket with its customer, order and lines, messages and SLA clock (the `ticket --json` shape)."""
        ticket = self.ticket(ticket_id)
        clock = self.clock(ticket)
        customer = self.store.customer(ticket["customer_id"]) if ticket.get("customer_id") else None
        if customer is not None:
            customer = dict(customer)
            customer["phone_masked"] = mask_phone(customer.pop("phone", None))
        return {
            "ticket": ticket,
            "sla": {
                "clock": clock.kind,
                "due": to_iso(clock.due) if clock.due else None,
                "remaining_seconds": clock.remaining_seconds,
                "state": clock.state,
            },
            "customer": customer,
            "order": self.store.order(ticket["order_id"]) if ticket.get("order_id") else None,
            "messages": self.store.messages(ticket_id),
        }

    def author_names(self, ticket: dict[str, Any]) -> dict[str, str]:
        """Display names for message authors: agents by id, and the ticket's customer."""
        names = {row["id"]: row["name"] for row in self.store.all("SELECT id, name FROM agents")}
        names.setdefault(self.agent.id, self.agent.name)
        if ticket.get("customer_id"):
            customer = self.store.customer(ticket["customer_id"])
            if customer:
                names[customer["id"]] = customer["name"]
        return names

    def record_decision(self, seq: int, decision: str) -> None:
        """Audit the agent's decision on a sync conflict (the sync engine changed the op)."""
        op = self.store.one("SELECT op_id, ticket_id, kind FROM outbox WHERE seq = ?", (seq,))
        with self.store.transaction():
            self._audit(
                "sync_conflict",
                op["ticket_id"] if op else None,
                {"seq": seq, "decision": decision, **(op or {})},
            )

    def reveal_phone(self, customer_id: str) -> str | None:
        """The full phone number, for this agent's eyes; the reveal is audited."""
        customer = self.store.customer(customer_id)
        if customer is None:
            raise DeskError(f"customer {customer_id} does not exist")
        with self.store.transaction():
            self._audit("reveal_phone", None, {"customer_id": customer_id})
        return customer.get("phone")

    def script_context(self, ticket_id: int) -> dict[str, Any]:
        """Values for reply-script placeholders from a ticket; missing ones stay absent (prompts)."""
        ticket = self.ticket(ticket_id)
        context: dict[str, Any] = {
            "agent_name": self.agent.name,
            "ticket_no": str(ticket["id"]),
            "date": self.now().astimezone().strftime("%Y-%m-%d"),
        }
        customer = self.store.customer(ticket["customer_id"]) if ticket.get("customer_id") else None
        if customer:
            context.update(
                customer_name=customer["name"], points=customer["points"], tier=customer["tier"]
            )
        order = self.store.order(ticket["order_id"]) if ticket.get("order_id") else None
        if order:
            context.update(
                order_no=order["id"], tracking_no=order.get("tracking_no"), store=order.get("store")
            )
            if order["lines"]:
                line = order["lines"][0]
                context.update(
                    product=line["product_name"],
                    shade=line.get("shade"),
                    batch_no=line.get("batch_no"),
                )
        return {key: value for key, value in context.items() if value not in (None, "")}

    def find(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Tickets and customers by ticket number, customer name or phone tail (for the palette)."""
        query = query.strip()
        if not query:
            return []
        found: list[dict[str, Any]] = []
        if query.isdigit():
            ticket = self.store.one(
                "SELECT id, subject, status FROM tickets WHERE id = ?", (int(query),)
            )
            if ticket:
                found.append({"kind": "ticket", **ticket})
            if len(query) >= 4:
                for customer in self.store.all(
                    "SELECT id, name, phone, tier FROM customers WHERE phone LIKE ? LIMIT ?",
                    (f"%{like_escape(query)}", limit),
                ):
                    found.append(self._customer_hit(customer))
        else:
            for customer in self.store.all(
                "SELECT id, name, phone, tier FROM customers WHERE name LIKE ? ESCAPE '\\' OR id = ? LIMIT ?",
                (f"%{like_escape(query)}%", query, limit),
            ):
                found.append(self._customer_hit(customer))
        return found[:limit]

    def _customer_hit(self, customer: dict[str, Any]) -> dict[str, Any]:
        latest = self.store.one(
            "SELECT id, subject, status FROM tickets WHERE customer_id = ? "
            "ORDER BY status = 'open' DESC, created_at DESC LIMIT 1",
            (customer["id"],),
        )
        return {
            "kind": "customer",
            "id": customer["id"],
            "name": customer["name"],
            "tier": customer["tier"],
            "phone_masked": mask_phone(customer.get("phone")),
            "latest_ticket": latest,
        }

    def sync_summary(self) -> dict[str, Any]:
        """What the header shows: online state, ops waiting, ops needing the agent's attention."""
        summary = self.store.outbox_summary()
        return {
            "online": self.store.sync_value("online"),
            "pending": summary["pending"] + summary["in_flight"],
            "attention": summary["uncertain"] + summary["rejected"] + summary["conflict"],
        }

    # -- actions -------------------------------------------------------------------------

    def reply(self, ticket_id: int, body: str) -> int:
        """Send a reply to the customer. Returns the message id."""
        return self._message(ticket_id, body, "out", "reply")

    def note(self, ticket_id: int, body: str) -> int:
        """Add an internal note (never shown to the customer). Returns the message id."""
        return self._message(ticket_id, body, "note", "comment")

    def set_status(self, ticket_id: int, status: str) -> None:
        if status not in STATUSES:
            raise DeskError(f"unknown status {status!r}; choose from {', '.join(STATUSES)}")
        ticket = self.ticket(ticket_id)
        old = ticket["status"]
        if status == old:
            raise DeskError(f"ticket {ticket_id} is already {status}")
        if old == "closed":
            raise DeskError(f"ticket {ticket_id} is closed; a closed ticket cannot change status")
        now = self.now()
        changes: dict[str, Any] = {"status": status}
        if old == "pending":
            changes.update(self._resumed(ticket, now))
        if status == "pending":
            changes["paused_at"] = to_iso(now)
        if status in ("resolved", "closed"):
            changes["resolved_at"] = ticket.get("resolved_at") or to_iso(now)
        if status in ("open", "pending") and old in ("resolved",):
            changes["resolved_at"] = None
        with self.store.transaction() as conn:
            self._update_ticket(conn, ticket, changes)
            if status == "resolved":
                self._schedule_followups(conn, ticket, now)
            self._enqueue(conn, "set_status", ticket, {"status": status, "from": old})
            self._audit("set_status", ticket_id, {"from": old, "to": status})

    def set_priority(self, ticket_id: int, priority: int) -> None:
        if priority not in PRIORITIES:
            raise DeskError(f"priority must be 1 (urgent) to 4 (low), not {priority!r}")
        ticket = self.ticket(ticket_id)
        self._check_open(ticket)
        with self.store.transaction() as conn:
            self._update_ticket(conn, ticket, {"priority": priority})
            self._enqueue(conn, "set_priority", ticket, {"priority": priority})
            self._audit("set_priority", ticket_id, {"from": ticket["priority"], "to": priority})

    def assign(self, ticket_id: int, agent_id: str | None) -> None:
        ticket = self.ticket(ticket_id)
        self._check_open(ticket)
        if agent_id is not None and self.store.agent(agent_id) is None:
            raise DeskError(f"agent {agent_id} does not exist")
        with self.store.transaction() as conn:
            self._update_ticket(conn, ticket, {"assignee": agent_id})
            self._enqueue(conn, "assign", ticket, {"assignee": agent_id})
            self._audit("assign", ticket_id, {"from": ticket["assignee"], "to": agent_id})

    def take_next(self) -> int | None:
        """Assign the most urgent unassigned open ticket to this agent; None if the queue is empty."""
        with self.store.transaction() as conn:
            row = conn.execute(
                "SELECT id FROM tickets WHERE status = 'open' AND assignee IS NULL "
                "ORDER BY sla_due, priority, id LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            ticket = self.ticket(row[0])
            self._update_ticket(conn, ticket, {"assignee": self.agent.id})
            self._enqueue(conn, "assign", ticket, {"assignee": self.agent.id})
            self._audit("take_next", ticket["id"], {"assignee": self.agent.id})
        return int(ticket["id"])

    def escalate(self, ticket_id: int, reason: str, *, actor: str | None = None) -> None:
        """Hand the ticket to a supervisor with a reason; raises priority to at least high."""
        reason = (reason or "").strip()
        if not reason:
            raise DeskError("an escalation needs a reason")
        ticket = self.ticket(ticket_id)
        self._check_open(ticket)
        if ticket["escalated"]:
            raise DeskError(f"ticket {ticket_id} is already escalated")
        supervisor = self.store.scalar(
            "SELECT id FROM agents WHERE role = 'supervisor' ORDER BY id LIMIT 1"
        )
        changes = {"escalated": 1, "priority": min(int(ticket["priority"]), 2)}
        if supervisor:
            changes["assignee"] = supervisor
        who = actor or self.agent.id
        with self.store.transaction() as conn:
            self._update_ticket(conn, ticket, changes)
            self._insert_message(conn, ticket_id, "note", who, f"[escalated] {reason}", None)
            self._enqueue(conn, "escalate", ticket, {"reason": reason, "assignee": supervisor})
            self._audit("escalate", ticket_id, {"reason": reason, "to": supervisor}, actor=who)

    def auto_escalate(self) -> list[int]:
        """Escalate every unresolved ticket past its resolution target. Returns their ids."""
        now = self.now()
        candidates = self.store.all(
            "SELECT * FROM tickets WHERE status = 'open' AND escalated = 0 AND sla_due < ?",
            (to_iso(now),),
        )
        escalated = []
        for ticket in candidates:
            if needs_auto_escalation(sla_facts(ticket), False, now, self.sla_config):
                self.escalate(int(ticket["id"]), "resolution target passed", actor=SYSTEM_ACTOR)
                escalated.append(int(ticket["id"]))
        return escalated

    def receive(self, ticket_id: int, body: str, author: str | None = None) -> Triage:
        """A customer's message arrives: stored, triaged (tags, sentiment, priority), clock resumed."""
        body = _clean_body(body)
        ticket = self.ticket(ticket_id)
        result = triage(body, int(ticket["priority"]))
        tags = sorted(set(ticket["tags"]) | set(result.tags))
        changes: dict[str, Any] = {
            "tags": json.dumps(tags, ensure_ascii=False),
            "priority": result.priority,
        }
        if result.sentiment != "neutral":
            changes["sentiment"] = result.sentiment
        if result.allergy:
            changes["allergy"] = 1
        if ticket["status"] == "pending":
            changes["status"] = "open"
            changes.update(self._resumed(ticket, self.now()))
        with self.store.transaction() as conn:
            self._insert_message(
                conn,
                ticket_id,
                "in",
                author or ticket.get("customer_id") or "customer",
                body,
                ticket["channel"],
            )
            self._update_ticket(conn, ticket, changes)
            self._audit("receive", ticket_id, {"triage": result.reasons()})
        return result

    # -- internals -----------------------------------------------------------------------

    def _message(self, ticket_id: int, body: str, direction: str, kind: str) -> int:
        body = _clean_body(body)
        ticket = self.ticket(ticket_id)
        if ticket["status"] == "closed":
            raise DeskError(
                f"ticket {ticket_id} is closed; open a new ticket to contact the customer"
            )
        now = self.now()
        with self.store.transaction() as conn:
            message_id = self._insert_message(
                conn, ticket_id, direction, self.agent.id, body, ticket["channel"]
            )
            changes: dict[str, Any] = {}
            if direction == "out" and not ticket.get("first_response_at"):
                changes["first_response_at"] = to_iso(now)
            self._update_ticket(conn, ticket, changes)
            op_id = self._enqueue(conn, kind, ticket, {"body": body, "message_id": message_id})
            conn.execute("UPDATE messages SET op_id = ? WHERE id = ?", (op_id, message_id))
            self._audit(kind, ticket_id, {"message_id": message_id, "chars": len(body)})
        return message_id

    def _resumed(self, ticket: dict[str, Any], now: datetime) -> dict[str, Any]:
        """Changes that restart a paused clock: the pause's SLA time is added to the total."""
        paused = int(ticket["paused_seconds"] or 0)
        if ticket.get("paused_at"):
            paused += clock_seconds_between(
                parse_iso(ticket["paused_at"]), now, self.sla_config.business_hours
            )
        return {"paused_at": None, "paused_seconds": paused}

    def _check_open(self, ticket: dict[str, Any]) -> None:
        if ticket["status"] in ("resolved", "closed"):
            raise DeskError(f"ticket {ticket['id']} is {ticket['status']}; reopen it first")

    def _insert_message(
        self,
        conn: sqlite3.Connection,
        ticket_id: int,
        direction: str,
        author: str,
        body: str,
        channel: str | None,
    ) -> int:
        cursor = conn.execute(
            "INSERT INTO messages (ticket_id, direction, author, body, channel, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (ticket_id, direction, author, body, channel, to_iso(self.now())),
        )
        return int(cursor.lastrowid)

    def _update_ticket(
        self, conn: sqlite3.Connection, ticket: dict[str, Any], changes: dict[str, Any]
    ) -> None:
        """Write changes plus the recomputed SLA due time; ``ticket`` is updated in place."""
        merged = {**ticket, **changes}
        if isinstance(merged.get("tags"), str):
            merged["tags"] = json.loads(merged["tags"])
        clock = self.clock(merged)
        changes = {
            **changes,
            "sla_due": to_iso(clock.due) if clock.due else None,
            "updated_at": to_iso(self.now()),
        }
        assignments = ", ".join(f"{column} = ?" for column in changes)
        conn.execute(
            f"UPDATE tickets SET {assignments} WHERE id = ?", (*changes.values(), ticket["id"])
        )
        ticket.update(merged)

    def _enqueue(
        self, conn: sqlite3.Connection, kind: str, ticket: dict[str, Any], payload: dict[str, Any]
    ) -> str:
        op_id = str(uuid.uuid4())
        now = to_iso(self.now())
        conn.execute(
            "INSERT INTO outbox (op_id, kind, ticket_id, payload, base_etag, state, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
            (
                op_id,
                kind,
                ticket["id"],
                json.dumps({**payload, "actor": self.agent.id}, ensure_ascii=False),
                ticket.get("remote_etag"),
                now,
                now,
            ),
        )
        return op_id

    def _audit(
        self, action: str, ticket_id: int | None, detail: dict[str, Any], actor: str | None = None
    ) -> None:
        self.store.conn.execute(
            "INSERT INTO audit_log (at, actor, action, ticket_id, detail) VALUES (?, ?, ?, ?, ?)",
            (
                to_iso(self.now()),
                actor or self.agent.id,
                action,
                ticket_id,
                json.dumps(detail, ensure_ascii=False),
            ),
        )

    def _schedule_followups(
        self, conn: sqlite3.Connection, ticket: dict[str, Any], now: datetime
    ) -> None:
        first_time = False
        delivered = None
        if ticket.get("customer_id") and ticket.get("order_id"):
            orders = conn.execute(
                "SELECT count(*) FROM orders WHERE customer_id = ?", (ticket["customer_id"],)
            ).fetchone()[0]
            first_time = orders == 1
            row = conn.execute(
                "SELECT delivered_at FROM orders WHERE id = ?", (ticket["order_id"],)
            ).fetchone()
            delivered = parse_iso(row[0]) if row and row[0] else None
        for task in followups_on_resolution(now, first_time, delivered):
            conn.execute(
                "INSERT OR IGNORE INTO followups (ticket_id, customer_id, kind, due_at) VALUES (?, ?, ?, ?)",
                (ticket["id"], ticket.get("customer_id"), task.kind, to_iso(task.due_at)),
            )


def _clean_body(body: str) -> str:
    text = (body or "").strip()
    if not text:
        raise DeskError("the message is empty")
    if len(text) > MAX_MESSAGE_CHARS:
        raise DeskError(
            f"the message is too long ({len(text)} characters, at most {MAX_MESSAGE_CHARS})"
        )
    return text


def mask_phone(phone: str | None) -> str | None:
    """138****5678: the first three and last four digits stay visible."""
    if not phone:
        return phone
    digits = phone.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"
