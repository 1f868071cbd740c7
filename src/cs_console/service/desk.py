"""The service layer: every agent action goes through a Desk.

Each action is ONE transaction that writes the new state, an outbox op (synced to the backend
later, exactly once) and an audit row. An invalid action raises :class:`DeskError` before
anything is written. No Textual here: the console and the CLI both call these methods.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cs_console.clock import parse_iso, to_iso
from cs_console.policy import roles
from cs_console.policy.queue import TICKET_CATEGORIES
from cs_console.policy.routing import RoutingRule
from cs_console.policy.sla import (
    SlaClock,
    SlaConfig,
    SlaFacts,
    active_clock,
    clock_seconds_between,
)
from cs_console.scripts.template import unfilled_prompts
from cs_console.service.errors import DeskError, Term
from cs_console.service.queue import QUEUE_FILTERS, Queue
from cs_console.service.work import UnitOfWork, unit_of_work
from cs_console.store.base import AuditLogTampered
from cs_console.store.db import Store
from cs_console.untrusted import is_blank, storable

if TYPE_CHECKING:  # the triage rules load with the first inbound message, not at launch
    from cs_console.policy.triage import Triage

STATUSES = ("open", "pending", "resolved", "closed")
PRIORITIES = {1: "urgent", 2: "high", 3: "normal", 4: "low"}
MAX_MESSAGE_CHARS = 100_000
MAX_SUBJECT_CHARS = 200
SYSTEM_ACTOR = "system"
PHONE_TAIL_DIGITS = 4
PHONE_FULL_DIGITS = 11  # a mainland mobile number; with a country code it still ends the same
CUSTOMER_TICKETS_SHOWN = 5  # a customer's tickets listed where they are looked up

__all__ = [
    "QUEUE_FILTERS",
    "Agent",
    "Desk",
    "DeskError",
    "UnfilledPrompts",
    "check_open",
    "mask_phone",
    "sla_facts",
]


class UnfilledPrompts(DeskError):
    """A reply still holds script prompts such as 【订单号】 (``prompts``, as shown)."""

    def __init__(self, prompts: list[str]) -> None:
        super().__init__("err.unfilled_prompts", prompts="、".join(prompts))
        self.prompts = prompts


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

    def __init__(
        self,
        store: Store,
        agent: Agent,
        sla_config: SlaConfig | None = None,
        routing: RoutingRule | None = None,
    ) -> None:
        self.store = store
        self.agent = agent
        self.sla_config = sla_config or SlaConfig()
        self.routing = routing or RoutingRule()  # [routing] of the config (service.routing)

    @property
    def can_approve(self) -> bool:
        """Whether this agent's role may decide returns waiting for approval."""
        return roles.can_approve(self.agent.role)

    def check_role_on_record(self, allowed: Callable[[str], bool], what: str) -> None:
        """Refuse unless the agents table (filled from RT by sync) gives this agent a role that
        may do ``what`` (an action code, labelled ``can.<what>``, e.g. ``decide_returns``). Called inside the action's transaction, so a role changed by the last
        sync counts, and the in-memory role a shell was started with is never the authority."""
        record = self.store.agent(self.agent.id)
        if record is None:
            raise DeskError("err.agent_not_on_record", agent=self.agent.id)
        if not allowed(record["role"]):
            raise DeskError(
                "err.supervisor_only",
                action=Term("can", what),
                agent=self.agent.id,
                role=Term("role", record["role"]),
            )

    @property
    def cache_path(self) -> str:
        """The cache file this desk works on (a worker thread opens its own connection)."""
        return self.store.path

    # -- the unit of work ----------------------------------------------------------------

    @contextmanager
    def work(self, actor: str | None = None) -> Iterator[UnitOfWork]:
        """One transaction for one action: state, outbox op and audit row (see service.work)."""
        try:
            with unit_of_work(
                self.store, actor or self.agent.id, self.now(), self.clock, _no_ticket
            ) as work:
                yield work
        except sqlite3.Error as exc:
            raise cache_unavailable(exc) from exc

    # -- reading -------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.store.clock.now()

    def ticket(self, ticket_id: int) -> dict[str, Any]:
        ticket = self.store.ticket(ticket_id)
        if ticket is None:
            raise _no_ticket(ticket_id)
        return ticket

    def clock(self, ticket: dict[str, Any], now: datetime | None = None) -> SlaClock:
        return active_clock(sla_facts(ticket), now or self.now(), self.sla_config)

    def sla_view(self, ticket: dict[str, Any]) -> dict[str, Any]:
        """The SLA clock as the CLI's JSON shows it."""
        clock = self.clock(ticket)
        return {
            "clock": clock.kind,
            "due": to_iso(clock.due) if clock.due else None,
            "remaining_seconds": clock.remaining_seconds,
            "state": clock.state,
        }

    def ticket_view(self, ticket_id: int) -> dict[str, Any]:
        """A ticket with its customer, order and lines, messages and SLA clock (the `ticket --json` shape)."""
        ticket = self.ticket(ticket_id)
        customer = self.store.customer(ticket["customer_id"]) if ticket.get("customer_id") else None
        if customer is not None:
            customer = dict(customer)
            customer["phone_masked"] = mask_phone(customer.pop("phone", None))
        return {
            "ticket": ticket,
            "sla": self.sla_view(ticket),
            "customer": customer,
            "order": self.store.order(ticket["order_id"]) if ticket.get("order_id") else None,
            "messages": self.store.messages(ticket_id),
        }

    def messages(self, ticket_id: int) -> list[dict[str, Any]]:
        return self.store.messages(ticket_id)

    def awaiting_reply(self, ticket_id: int) -> bool:
        """The customer spoke last: their latest message has had no reply since."""
        public = [m for m in self.messages(ticket_id) if m["direction"] in ("in", "out")]
        return bool(public) and public[-1]["direction"] == "in"

    def customer_history(
        self, customer_id: str, except_ticket: int | None = None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The customer's latest orders (with lines) and other tickets, for the profile."""
        orders = self.store.customer_orders(customer_id, limit=5)
        tickets = [
            p for p in self.store.customer_tickets(customer_id, limit=8) if p["id"] != except_ticket
        ]
        return orders, tickets

    @property
    def queues(self) -> Queue:
        """The queue's filters, keyset pages, counts and search (``service.queue``)."""
        return Queue(self)

    def queue(self, filter_name: str = "all", limit: int = 200) -> list[dict[str, Any]]:
        """The first rows of a queue filter in console order for this agent."""
        return self.queues.rows(filter_name, limit=limit)

    def queue_count(self, filter_name: str = "all") -> int:
        return self.queues.count(filter_name)

    def queue_row(self, ticket_id: int) -> dict[str, Any] | None:
        return self.store.queue_row(ticket_id)

    def search_queue(
        self, text: str, filter_name: str = "all", limit: int = 200
    ) -> list[dict[str, Any]]:
        return self.queues.page(filter_name, limit=limit, text=text).rows

    def author_names(self, ticket: dict[str, Any]) -> dict[str, str]:
        """Display names for message authors: agents by id, and the ticket's customer."""
        names = self.store.agent_names()
        names.setdefault(self.agent.id, self.agent.name)
        if ticket.get("customer_id"):
            customer = self.store.customer(ticket["customer_id"])
            if customer:
                names[customer["id"]] = customer["name"]
        return names

    def reveal_phone(self, customer_id: str) -> str | None:
        """The full phone number, for this agent's eyes; the reveal is audited."""
        customer = self.store.customer(customer_id)
        if customer is None:
            raise DeskError("err.no_customer", customer=customer_id)
        with self.work() as work:
            work.audit("reveal_phone", None, {"customer_id": customer_id})
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
            ticket = self.store.ticket_brief(int(query)) if len(query) <= 18 else None
            if ticket:
                found.append({"kind": "ticket", **ticket})
            found.extend(self._by_phone(query, limit))
        else:
            for customer in self.store.customers_by_name(query, limit):
                found.append(self._customer_hit(customer))
        return found[:limit]

    def _by_phone(self, digits: str, limit: int) -> list[dict[str, Any]]:
        """Customers by the last four digits or by the whole number, and nothing in between: a
        tail grown one digit at a time would spell out the masked middle. Every lookup is
        audited like a reveal (it tells whose number this is)."""
        if len(digits) != PHONE_TAIL_DIGITS and len(digits) < PHONE_FULL_DIGITS:
            return []
        customers = self.store.customers_by_phone_tail(digits, limit)
        with self.work() as work:
            work.audit(
                "phone_lookup",
                None,
                {"digits": len(digits), "customer_ids": [c["id"] for c in customers]},
            )
        return [self._customer_hit(c) for c in customers]

    def _customer_hit(self, customer: dict[str, Any]) -> dict[str, Any]:
        return {
            "kind": "customer",
            "id": customer["id"],
            "name": customer["name"],
            "tier": customer["tier"],
            "phone_masked": mask_phone(customer.get("phone")),
            "latest_ticket": self.store.latest_ticket_of(customer["id"]),
            # every recent ticket, active ones first: a customer who wrote twice is found twice
            "tickets": sorted(
                self.store.customer_tickets(customer["id"], limit=CUSTOMER_TICKETS_SHOWN),
                key=lambda row: (row["status"] != "open", row["status"] != "pending"),
            ),
        }

    def others_recently(self, ticket_id: int, minutes: int = 15) -> tuple[str, int] | None:
        """Another agent's latest reply or note on the ticket within ``minutes`` (as pulled from
        RT): who and how long ago. RT keeps no drafts, so a just-written message is the best
        collision warning it allows. The console's own notes (auto-escalation) are nobody about
        to reply, so they do not count."""
        since = to_iso(self.now() - timedelta(minutes=minutes))
        row = self.store.latest_agent_message(ticket_id, since, self.agent.id, SYSTEM_ACTOR)
        if row is None:
            return None
        names = self.store.agent_names()
        ago = max(0, int((self.now() - parse_iso(row["created_at"])).total_seconds() // 60))
        return names.get(row["author"], row["author"]), ago

    def sync_summary(self) -> dict[str, Any]:
        """What the header shows: online state, ops waiting, ops needing the agent's attention."""
        summary = self.store.outbox_summary()
        return {
            "online": self.store.sync_value("online"),
            "pending": summary["pending"] + summary["in_flight"],
            "attention": summary["uncertain"] + summary["rejected"] + summary["conflict"],
        }

    def outbox(
        self, states: tuple[str, ...] | None = None, limit: int = 500
    ) -> list[dict[str, Any]]:
        return self.store.outbox(states, limit=limit)

    # -- actions -------------------------------------------------------------------------

    def reply(self, ticket_id: int, body: str) -> int:
        """Send a reply to the customer. Returns the message id.

        Refused while the text still holds a script prompt such as 【订单号】: the customer
        would read the blank.
        """
        left = unfilled_prompts(body or "")
        if left:
            raise UnfilledPrompts(left)
        return self._message(ticket_id, body, "out", "reply")

    def note(self, ticket_id: int, body: str) -> int:
        """Add an internal note (never shown to the customer). Returns the message id."""
        return self._message(ticket_id, body, "note", "comment")

    def set_status(self, ticket_id: int, status: str) -> None:
        if status not in STATUSES:
            raise DeskError("err.unknown_status", status=repr(status), choices=STATUSES)
        with self.work() as work:
            ticket = work.ticket(ticket_id)
            old = ticket["status"]
            if status == old:
                raise DeskError(
                    "err.status_already", ticket=ticket_id, status=Term("status", status)
                )
            if old == "closed":
                raise DeskError("err.closed_status", ticket=ticket_id)
            work.update_ticket(ticket, self.status_changes(ticket, status, work.now))
            work.enqueue("set_status", ticket, {"status": status, "from": old})
            if status == "resolved":  # the callback's reminder goes to RT after the status
                from cs_console.service.followups import schedule_on_resolution

                schedule_on_resolution(self, work, ticket)
            work.audit("set_status", ticket_id, {"from": old, "to": status})

    def status_changes(self, ticket: dict[str, Any], status: str, now: datetime) -> dict[str, Any]:
        """The column changes of moving ``ticket`` to ``status``: the SLA clock pauses while it
        waits on the customer, resumes (keeping the paused time) and stops when resolved."""
        old = ticket["status"]
        if status == old:
            return {}
        changes: dict[str, Any] = {"status": status}
        if old == "pending":
            changes.update(self._resumed(ticket, now))
        if status == "pending":
            changes["paused_at"] = to_iso(now)
        if status in ("resolved", "closed"):
            changes["resolved_at"] = ticket.get("resolved_at") or to_iso(now)
        if status in ("open", "pending") and old == "resolved":
            changes["resolved_at"] = None
        return changes

    def set_priority(self, ticket_id: int, priority: int) -> None:
        if priority not in PRIORITIES:
            raise DeskError("err.priority_range", priority=repr(priority))
        with self.work() as work:
            ticket = work.ticket(ticket_id)
            check_open(ticket)
            old = ticket["priority"]
            work.update_ticket(ticket, {"priority": priority})
            work.enqueue("set_priority", ticket, {"priority": priority})
            work.audit("set_priority", ticket_id, {"from": old, "to": priority})

    def assign(self, ticket_id: int, agent_id: str | None) -> None:
        if agent_id is not None and self.store.agent(agent_id) is None:
            raise DeskError("err.no_agent", agent=agent_id)
        with self.work() as work:
            ticket = work.ticket(ticket_id)
            check_open(ticket)
            old = ticket["assignee"]
            work.update_ticket(ticket, {"assignee": agent_id})
            work.enqueue("assign", ticket, {"assignee": agent_id})
            work.audit("assign", ticket_id, {"from": old, "to": agent_id})

    def take_next(self) -> int | None:
        """Assign the most urgent unassigned open ticket of this agent's skill groups to them
        (routed by group and load, see ``service.routing``); None if nothing waits."""
        from cs_console.service.routing import Routing

        return Routing(self).take_next()

    def escalate(self, ticket_id: int, reason: str, *, actor: str | None = None) -> None:
        """Hand the ticket to a supervisor with a reason; raises priority to at least high."""
        reason = (reason or "").strip()
        if is_blank(reason):
            raise DeskError("err.escalation_reason", cli_hint="--reason")
        with self.work(actor) as work:
            ticket = work.ticket(ticket_id)
            check_open(ticket)
            if ticket["escalated"]:
                raise DeskError("err.already_escalated", ticket=ticket_id)
            supervisor = self.store.first_supervisor()
            changes: dict[str, Any] = {
                "escalated": 1,
                "priority": min(int(ticket["priority"]), 2),
            }
            if supervisor:
                changes["assignee"] = supervisor
            work.update_ticket(ticket, changes)
            payload = {"reason": reason, "assignee": supervisor}
            # every console escalating this RT ticket queues the same op id: RT gets one
            from cs_console.sync.planning import shared_op_id_for  # its RT types: not at launch

            shared = shared_op_id_for("escalate", payload, ticket.get("remote_id"))
            op_id = work.enqueue("escalate", ticket, payload, op_id=shared)
            work.add_message(
                ticket_id, "note", work.actor, f"[escalated] {reason}", None, op_id=op_id
            )
            work.audit("escalate", ticket_id, {"reason": reason, "to": supervisor})

    def auto_escalate(self) -> list[int]:
        """Escalate every unresolved ticket past its resolution target, once each, as the
        system (the rule sync rounds apply, see ``service.escalation``). Returns their ids."""
        from cs_console.service.escalation import AutoEscalation

        return [item.ticket_id for item in AutoEscalation(self, per_round=None).run()]

    def create_ticket(
        self,
        customer_id: str | None,
        subject: str,
        body: str,
        channel: str = "desk",
        category: str = "general",
    ) -> int:
        """A ticket opened here (a customer at the desk, a call): stored with the customer's
        words as its first message, triaged, its SLA clock started, and pushed to RT as a
        create op. Returns the local ticket id."""
        subject = " ".join((subject or "").split())
        if is_blank(subject):
            raise DeskError("err.subject_needed", cli_hint="--subject")
        if len(subject) > MAX_SUBJECT_CHARS:
            raise DeskError("err.subject_too_long", chars=len(subject), most=MAX_SUBJECT_CHARS)
        body = clean_body(body)
        if channel not in self.sla_config.first_response:
            known = tuple(sorted(self.sla_config.first_response))
            raise DeskError("err.unknown_channel", channel=repr(channel), choices=known)
        if category not in TICKET_CATEGORIES:
            raise DeskError(
                "err.unknown_category", category=repr(category), choices=TICKET_CATEGORIES
            )
        from cs_console.policy.triage import triage
        from cs_console.service.inbound import triage_changes
        from cs_console.service.routing import Routing

        with self.work() as work:
            if customer_id is not None and self.store.customer(customer_id) is None:
                raise DeskError("err.no_customer", customer=customer_id)
            ticket: dict[str, Any] = {
                "subject": subject,
                "customer_id": customer_id,
                "channel": channel,
                "category": category,
                "status": "open",
                "priority": 3,
                "created_at": work.stamp,
                "updated_at": work.stamp,
                "paused_seconds": 0,
                "tags": [],
            }
            result = triage(body, 3)
            ticket.update(triage_changes(ticket, result))
            clock = self.clock(ticket, work.now)
            ticket["sla_due"] = to_iso(clock.due) if clock.due else None
            ticket_id = self.store.insert_ticket(ticket)
            work.add_message(ticket_id, "in", customer_id or self.agent.id, body, channel)
            work.enqueue("create_ticket", work.ticket(ticket_id), {"body": body})
            work.audit(
                "create_ticket",
                ticket_id,
                {"channel": channel, "chars": len(body), "triage": result.reasons()},
            )
            Routing(self).route_new(work, work.ticket(ticket_id), pulled=False)
        return ticket_id

    def link_remote(self, ticket_id: int, remote_id: int) -> None:
        """Tie a local ticket to an existing RT ticket (made before the cache knew it): its
        queued replies and changes go to that ticket from now on."""
        if remote_id <= 0:
            raise DeskError("err.rt_number")
        with self.work() as work:
            ticket = work.ticket(ticket_id)
            if ticket.get("remote_id") is not None:
                raise DeskError("err.already_linked", ticket=ticket_id, remote=ticket["remote_id"])
            other = self.store.local_ticket_id(remote_id)
            if other is not None:
                raise DeskError("err.remote_taken", remote=remote_id, ticket=other)
            creating = [
                op["op_id"]
                for op in self.store.ops_of_ticket(ticket_id)
                if op["kind"] == "create_ticket" and op["state"] != "rejected"
            ]
            if creating:
                raise DeskError("err.being_created", ticket=ticket_id, op=creating[0])
            work.update_ticket(ticket, {"remote_id": remote_id})
            work.audit("link_remote", ticket_id, {"remote_id": remote_id})

    def receive(self, ticket_id: int, body: str, author: str | None = None) -> Triage:
        """A customer's message arrives: stored, triaged (tags, sentiment, priority), clock resumed."""
        from cs_console.service.inbound import Inbound

        return Inbound(self).customer_message(ticket_id, body, author)

    # -- internals -----------------------------------------------------------------------

    def _message(self, ticket_id: int, body: str, direction: str, kind: str) -> int:
        body = clean_body(body)
        with self.work() as work:
            ticket = work.ticket(ticket_id)
            if ticket["status"] == "closed":
                raise DeskError("err.closed_message", ticket=ticket_id)
            message_id = work.add_message(
                ticket_id, direction, self.agent.id, body, ticket["channel"]
            )
            changes: dict[str, Any] = {}
            if direction == "out" and not ticket.get("first_response_at"):
                changes["first_response_at"] = work.stamp
            work.update_ticket(ticket, changes)
            op_id = work.enqueue(kind, ticket, {"body": body, "message_id": message_id})
            self.store.set_message_op(message_id, op_id)
            self.store.drop_draft(ticket_id, self.agent.id)
            work.audit(kind, ticket_id, {"message_id": message_id, "chars": len(body)})
        return message_id

    def _resumed(self, ticket: dict[str, Any], now: datetime) -> dict[str, Any]:
        """Changes that restart a paused clock: the pause's SLA time is added to the total."""
        paused = int(ticket["paused_seconds"] or 0)
        if ticket.get("paused_at"):
            paused += clock_seconds_between(
                parse_iso(ticket["paused_at"]), now, self.sla_config.business_hours
            )
        return {"paused_at": None, "paused_seconds": paused}


class CacheUnavailable(DeskError):
    """The cache could not take the action (locked, read-only, damaged): nothing was written."""


def cache_unavailable(exc: Exception) -> CacheUnavailable:
    """What a database error means for the agent, in one line."""
    text = str(exc)
    if isinstance(exc, AuditLogTampered):
        # trying again will not help: the message says what to run
        return CacheUnavailable("err.audit_tampered", problems="; ".join(exc.problems))
    if "locked" in text or "busy" in text:
        return CacheUnavailable("err.not_saved", why=Term("cache", "locked"))
    if "readonly" in text or "read-only" in text:
        return CacheUnavailable("err.not_saved", why=Term("cache", "read_only"))
    return CacheUnavailable("err.not_saved", why=text)


def check_open(ticket: dict[str, Any]) -> None:
    """Refuse to act on a resolved or closed ticket."""
    if ticket["status"] in ("resolved", "closed"):
        raise DeskError(
            "err.reopen_first", ticket=ticket["id"], status=Term("status", ticket["status"])
        )


def _no_ticket(ticket_id: int) -> DeskError:
    return DeskError("err.no_ticket", ticket=ticket_id)


def clean_body(body: str) -> str:
    text = storable(body or "").strip()
    if is_blank(text):
        raise DeskError("err.message_empty")
    if len(text) > MAX_MESSAGE_CHARS:
        raise DeskError("err.message_too_long", chars=len(text), most=MAX_MESSAGE_CHARS)
    return text


def mask_phone(phone: str | None) -> str | None:
    """138****5678: the first three and last four digits stay visible."""
    if not phone:
        return phone
    digits = phone.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"
