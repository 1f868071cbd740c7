"""Inbound: every message and ticket that reaches the cache from outside comes through here.

A customer's message, typed into RT, pulled by sync, or written by the demo, is triaged (allergy
and threat flags, sentiment, priority), resumes a ticket's paused SLA clock and is audited, in
one transaction. Tickets pulled from the backend get their SLA clock from the same policy as
local ones. The sync engine calls :class:`Inbound` through its ``Inbound`` protocol, inside its
own pull transaction, so a cursor only moves past what was stored this way.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from cs_console.clock import to_iso
from cs_console.policy.triage import Triage, triage
from cs_console.service.desk import MAX_MESSAGE_CHARS, Desk, clean_body
from cs_console.service.routing import Routing
from cs_console.service.work import UnitOfWork
from cs_console.sync.backends.base import RemoteMessage, RemoteTicket
from cs_console.sync.planning import RT_TO_STATUS, priority_from_rt
from cs_console.untrusted import is_blank, storable

_Record = TypeVar("_Record", RemoteMessage, RemoteTicket)

REMOTE_CHANNEL = "email"
ESCALATION_MARK = "[escalated]"  # how an escalation's note starts (service.desk, sync.planning)


def triage_changes(ticket: dict[str, Any], result: Triage) -> dict[str, Any]:
    """The ticket columns a triaged customer message changes."""
    tags = sorted(set(ticket.get("tags") or []) | set(result.tags))
    changes: dict[str, Any] = {"tags": tags, "priority": result.priority}
    if result.sentiment != "neutral":
        changes["sentiment"] = result.sentiment
    if result.allergy:
        changes["allergy"] = 1
    return changes


def escalated_elsewhere(direction: str, content: str) -> bool:
    """A pulled note that another console (or someone in RT) escalated the ticket: it is
    marked escalated here too, so this cache never escalates it a second time."""
    return direction == "note" and content.startswith(ESCALATION_MARK)


def _fit(text: str) -> str:
    """A pulled message longer than the cache keeps is cut, visibly, rather than refused: a
    refusal would stop every later message of the feed."""
    if len(text) <= MAX_MESSAGE_CHARS:
        return text
    marker = "\n…(truncated)"
    return text[: MAX_MESSAGE_CHARS - len(marker)] + marker


def _storable(record: _Record) -> _Record:
    """A pulled record with every text made storable (see ``untrusted.storable``): one bad
    code point from the backend must not stop the whole feed."""
    changes: dict[str, Any] = {}
    for item in dataclasses.fields(record):
        value = getattr(record, item.name)
        if isinstance(value, str):
            changes[item.name] = storable(value)
        elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            changes[item.name] = tuple(storable(v) for v in value)
    return dataclasses.replace(record, **changes)


class Inbound:
    """Applies what arrives from customers and the backend, as the desk's agent (or sync)."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.store = desk.store

    # -- customer messages ---------------------------------------------------------------

    def customer_message(
        self,
        ticket_id: int,
        body: str,
        author: str | None = None,
        *,
        created_at: str | None = None,
        remote_id: int | None = None,
        op_id: str | None = None,
        channel: str | None = None,
    ) -> Triage:
        """Store a customer's message: triage, flags, priority, the paused clock resumed."""
        body = clean_body(body)
        with self.desk.work() as work:
            ticket = work.ticket(ticket_id)
            result = triage(body, int(ticket["priority"]))
            changes = triage_changes(ticket, result)
            if ticket["status"] == "pending":
                changes.update(self.desk.status_changes(ticket, "open", work.now))
            work.add_message(
                ticket_id,
                "in",
                author or ticket.get("customer_id") or "customer",
                body,
                channel or ticket["channel"],
                created_at=created_at,
                remote_id=remote_id,
                op_id=op_id,
            )
            work.update_ticket(ticket, changes)
            work.audit("receive", ticket_id, {"triage": result.reasons(), "remote_id": remote_id})
        return result

    # -- from the backend (called by the sync engine inside its pull transaction) ---------

    def remote_message(self, ticket_id: int, message: RemoteMessage, direction: str) -> None:
        """A message pulled from the backend: the customer's goes through triage; an agent's
        reply or note (another console's, or typed in RT) is stored as it is."""
        message = _storable(message)
        remote_id = int(message.remote_id)
        content = _fit(message.content)
        if is_blank(content):
            return  # an empty mail part (or only invisible characters): nothing to read
        if direction == "in":
            self.customer_message(
                ticket_id,
                content,
                message.author,
                created_at=message.created,
                remote_id=remote_id,
                op_id=message.op_id,
                channel=REMOTE_CHANNEL,
            )
            return
        with self.desk.work() as work:
            ticket = work.ticket(ticket_id)
            work.add_message(
                ticket_id,
                direction,
                message.author,
                content,
                REMOTE_CHANNEL,
                created_at=message.created,
                remote_id=remote_id,
                op_id=message.op_id,
            )
            changes: dict[str, Any] = {}
            if direction == "out" and not ticket.get("first_response_at"):
                changes["first_response_at"] = message.created or work.stamp
            if escalated_elsewhere(direction, content) and not ticket["escalated"]:
                changes["escalated"] = 1
            if changes:
                work.update_ticket(ticket, changes)
            work.audit("pulled_message", ticket_id, {"remote_id": remote_id, "kind": direction})

    def remote_ticket(self, remote: RemoteTicket, local: dict[str, Any] | None) -> bool:
        """A ticket pulled from the backend: inserted, or its changed fields applied with the
        SLA clock paused, resumed or stopped as the status says. Returns whether it changed."""
        remote = _storable(remote)
        status = RT_TO_STATUS.get(remote.status, "open")
        owner = None if remote.owner in ("", "Nobody") else remote.owner
        fields: dict[str, Any] = {
            "subject": remote.subject or "(no subject)",
            "priority": priority_from_rt(remote.priority),
            "assignee": owner,
            "remote_updated_at": remote.last_updated,
        }
        with self.desk.work() as work:
            if local is None:
                self._insert_remote(work, remote, status, fields)
                return True
            ticket = work.ticket(int(local["id"]))
            changes = {k: v for k, v in fields.items() if ticket.get(k) != v}
            changes.update(self.desk.status_changes(ticket, status, work.now))
            if not changes:
                return False
            work.update_ticket(ticket, changes)
            work.audit("pulled_ticket", int(ticket["id"]), {"remote_id": remote.remote_id})
        return True

    def reminder_resolved(self, remote_id: int, who: str, when: str) -> bool:
        """A follow-up's RT reminder was resolved in RT: the follow-up is done here too
        (``Followups.done_in_rt``). False when it is not ours, or was done already."""
        from cs_console.service.followups import Followups

        followup_id = self.store.followup_of_reminder(remote_id)
        if followup_id is None:
            return False
        return Followups(self.desk).done_in_rt(followup_id, who, when)

    def closed_remotely(self, ticket_id: int, tag: str) -> None:
        """The backend deleted or merged the ticket: closed here, tagged why."""
        tag = storable(tag)
        with self.desk.work() as work:
            ticket = work.ticket(ticket_id)
            tags = sorted(set(ticket.get("tags") or []) | {tag})
            changes: dict[str, Any] = {"tags": tags}
            changes.update(self.desk.status_changes(ticket, "closed", work.now))
            work.update_ticket(ticket, changes)
            work.audit("closed_remotely", ticket_id, {"why": tag})

    def _insert_remote(
        self, work: UnitOfWork, remote: RemoteTicket, status: str, fields: dict[str, Any]
    ) -> None:
        ticket: dict[str, Any] = {
            **fields,
            "customer_id": self._customer_for(remote.requestors[0] if remote.requestors else None),
            "channel": REMOTE_CHANNEL,
            "category": "general",
            "status": status,
            "created_at": remote.created or remote.last_updated,
            "updated_at": work.stamp,
            "remote_id": int(remote.remote_id),
            "paused_seconds": 0,
            "tags": [],
        }
        if status == "pending":
            ticket["paused_at"] = work.stamp
        if status in ("resolved", "closed"):
            ticket["resolved_at"] = remote.last_updated
        routing = Routing(self.desk)
        placement = routing.placement(ticket, pulled=True)
        ticket.update(placement.changes)
        clock = self.desk.clock(ticket, work.now)
        ticket["sla_due"] = to_iso(clock.due) if clock.due else None
        ticket_id = self.store.insert_ticket(ticket)
        work.audit("pulled_ticket", ticket_id, {"remote_id": remote.remote_id, "new": True})
        routing.record(work, work.ticket(ticket_id), placement)

    def _customer_for(self, email: str | None) -> str | None:
        if not email:
            return None
        found = self.store.customer_by_email(email)
        if found:
            return found
        customer_id = f"rt:{email}"
        now = self.store.now_iso()
        self.store.insert_customer(
            {
                "id": customer_id,
                "name": email.split("@")[0],
                "email": email,
                "remote_id": email,
                "created_at": now,
                "updated_at": now,
            }
        )
        return customer_id


__all__ = ["Inbound", "triage_changes"]
