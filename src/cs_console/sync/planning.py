"""Outbox ops -> backend requests, and the op state machine over the ``outbox`` table.

An op (a row written by the desk in the same transaction as the agent's action) becomes one or
more *steps*. Steps that create something remote carry the op id (ticket CF ``OpId`` or
transaction CF ``ClientOpId``) so an uncertain outcome can be reconciled by searching for it;
field changes are idempotent and reconciled by comparing the ticket's current values.

States: ``pending`` -> ``in_flight`` (committed before the request leaves) -> ``done`` |
``rejected`` | ``conflict`` | ``uncertain`` (reconciled before any resend). An ``in_flight`` op
found at start-up means the client died mid-push: it is treated as ``uncertain``.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cs_console.clock import parse_iso
from cs_console.store.db import Store
from cs_console.sync.backends.base import (
    FieldChange,
    Message,
    NewReminder,
    NewTicket,
    ReturnRequest,
)

OPEN_STATES = ("pending", "in_flight", "uncertain")
ATTENTION_STATES = ("rejected", "conflict")

STATUS_TO_RT = {"open": "open", "pending": "stalled", "resolved": "resolved", "closed": "resolved"}
RT_TO_STATUS = {
    "new": "open",
    "open": "open",
    "stalled": "pending",
    "resolved": "resolved",
    "rejected": "closed",
    "deleted": "closed",
}
PRIORITY_TO_RT = {1: 90, 2: 70, 3: 50, 4: 20}
RETURN_KINDS = ("return", "exchange", "compensation", "create_return", "return_request")
REMINDER_KINDS = ("create_reminder", "resolve_reminder")
REMINDER_QUEUE = "Customer Service"
#: Follow-up kinds a ticket has at most one of (in the cache, and so in RT).
ONE_PER_TICKET = ("after_resolution", "first_purchase_usage")
_SHARED = uuid.UUID("6f1d3c2e-8a4b-5c7d-9e0f-13579bdf2468")  # the namespace of shared op ids


def shared_op_id(what: str, remote_ticket: int | str) -> str:
    """The op id of a change every console makes the same way, once per RT ticket: an
    escalation (``what`` = ``escalate``) or a follow-up's reminder (``create_reminder:KIND``).
    Two consoles that both make it queue the same id, so the second finds the first's in RT by
    that id (``SyncEngine.push_op`` looks before sending) instead of sending it again."""
    return str(uuid.uuid5(_SHARED, f"{what}:{int(remote_ticket)}"))


def shared_op_id_for(kind: str, payload: dict[str, Any], remote_ticket: Any) -> str | None:
    """The shared op id of an op of ``kind`` on a ticket RT knows, or None when the op is
    this console's own (any other kind, a ticket not in RT yet, a follow-up kind a ticket may
    have more than once)."""
    if remote_ticket is None:
        return None
    if kind == "escalate":
        return shared_op_id("escalate", remote_ticket)
    if kind == "create_reminder" and payload.get("kind") in ONE_PER_TICKET:
        return shared_op_id(f"create_reminder:{payload['kind']}", remote_ticket)
    return None


def is_shared(op: dict[str, Any], ticket: dict[str, Any] | None) -> bool:
    """Whether ``op`` carries the shared op id of its change (another console may have made
    it already)."""
    if op["kind"] not in ("escalate", "create_reminder"):
        return False
    if ticket is None or ticket.get("remote_id") is None:
        return False
    try:
        payload = json.loads(op["payload"]) if isinstance(op["payload"], str) else op["payload"]
    except ValueError:
        return False
    return op["op_id"] == shared_op_id_for(op["kind"], payload or {}, ticket["remote_id"])


def priority_from_rt(value: int) -> int:
    if value >= 80:
        return 1
    if value >= 60:
        return 2
    if value >= 30 or value == 0:  # 0 is RT's "not set"
        return 3
    return 4


class Blocked(Exception):
    """The op cannot be sent yet (e.g. its ticket is not in the backend yet)."""


class Invalid(Exception):
    """The op can never be sent as it is (unknown kind, bad payload): rejected locally."""


@dataclass(frozen=True)
class Step:
    """One backend call of an op. ``marker``: how to find it remotely after an uncertain outcome."""

    action: str  # create_ticket | create_return | create_reminder | reply | comment | set_fields
    request: Any
    marker: str  # "ticket" | "transaction" | "fields"


def plan(op: dict[str, Any], store: Store) -> list[Step]:
    """The steps that carry out ``op``, in order."""
    try:
        payload = json.loads(op["payload"]) if isinstance(op["payload"], str) else op["payload"]
    except ValueError as exc:
        raise Invalid(f"payload is not JSON: {exc}") from exc
    kind = op["kind"]
    op_id = op["op_id"]
    ticket = store.ticket(op["ticket_id"]) if op.get("ticket_id") is not None else None
    if kind == "create_ticket":
        if ticket is None:
            raise Invalid("create_ticket without a local ticket")
        first = store.first_message_body(int(ticket["id"]))
        customer = store.customer(ticket["customer_id"]) if ticket.get("customer_id") else None
        return [
            Step(
                "create_ticket",
                NewTicket(
                    op_id=op_id,
                    queue=payload.get("queue") or "Customer Service",
                    subject=ticket["subject"],
                    content=payload.get("body") or first or ticket["subject"],
                    requestor=(customer or {}).get("email"),
                    status=STATUS_TO_RT.get(ticket["status"]),
                    priority=PRIORITY_TO_RT.get(int(ticket["priority"])),
                ),
                "ticket",
            )
        ]
    if kind in REMINDER_KINDS:
        return _reminder_steps(op, payload, ticket, store)
    if ticket is None:
        raise Invalid(f"{kind}: ticket {op.get('ticket_id')} is not in the cache")
    remote = ticket.get("remote_id")
    if kind in RETURN_KINDS:
        return [Step("create_return", _return_request(op, payload, ticket, store), "ticket")]
    if kind in ("approve_return", "decline_return"):
        return _decision_steps(op, payload, store)
    if remote is None:
        raise Blocked(f"ticket {ticket['id']} is not in RT yet")
    tid = str(remote)
    if kind in ("reply", "comment", "note"):
        body = payload.get("body", "")
        if not str(body).strip():
            raise Invalid("empty message blocked")
        return [
            Step(
                "reply" if kind == "reply" else "comment",
                Message(op_id=op_id, ticket_id=tid, content=body),
                "transaction",
            )
        ]
    if kind == "set_status":
        status = payload.get("status")
        if status not in STATUS_TO_RT:
            raise Invalid(f"unknown status {status!r}")
        return [
            Step("set_fields", FieldChange(op_id, tid, {"Status": STATUS_TO_RT[status]}), "fields")
        ]
    if kind == "set_priority":
        p = int(payload.get("priority", 3))
        return [
            Step("set_fields", FieldChange(op_id, tid, {"Priority": PRIORITY_TO_RT[p]}), "fields")
        ]
    if kind == "assign":
        owner = payload.get("assignee") or "Nobody"
        return [Step("set_fields", FieldChange(op_id, tid, {"Owner": owner}), "fields")]
    if kind == "escalate":
        fields: dict[str, Any] = {"Priority": PRIORITY_TO_RT[min(int(ticket["priority"]), 2)]}
        if payload.get("assignee"):
            fields["Owner"] = payload["assignee"]
        return [
            Step(
                "comment",
                Message(
                    op_id=op_id, ticket_id=tid, content=f"[escalated] {payload.get('reason', '')}"
                ),
                "transaction",
            ),
            Step("set_fields", FieldChange(op_id, tid, fields), "fields"),
        ]
    raise Invalid(f"unknown op kind {kind!r}")


def _reminder_steps(
    op: dict[str, Any], payload: dict[str, Any], ticket: dict[str, Any] | None, store: Store
) -> list[Step]:
    """A follow-up as an RT reminder: created on its ticket (found again by ``OpId``), and
    when done, the outcome as a comment on the reminder and the reminder resolved."""
    followup = store.followup(int(payload.get("followup_id") or 0))
    if followup is None:
        raise Invalid(f"follow-up {payload.get('followup_id')} is not in the cache")
    if op["kind"] == "create_reminder":
        parent = None
        if ticket is not None:
            if ticket.get("remote_id") is None:
                raise Blocked(f"ticket {ticket['id']} is not in RT yet")
            parent = str(ticket["remote_id"])
        who = followup.get("customer_name") or followup.get("customer_id") or ""
        subject = f"[{followup['kind']}] {who}".strip()
        if followup.get("period"):
            subject += f" {followup['period']}"
        return [
            Step(
                "create_reminder",
                NewReminder(
                    op_id=op["op_id"],
                    queue=REMINDER_QUEUE,
                    subject=subject,
                    due=parse_iso(str(payload.get("due_at") or followup["due_at"])),
                    refers_to=parent,
                ),
                "ticket",
            )
        ]
    remote = followup.get("remote_id")
    if remote is None:
        if store.reminder_create_state(int(followup["id"])) in (None, "rejected"):
            raise Invalid(f"follow-up {followup['id']} has no reminder in RT to resolve")
        raise Blocked(f"the reminder of follow-up {followup['id']} is not in RT yet")
    rid = str(remote)
    score = f" {payload['satisfaction']}/5" if payload.get("satisfaction") else ""
    text = f"[{payload.get('outcome')}{score}] {payload.get('comment') or ''}".strip()
    return [
        Step("comment", Message(op_id=op["op_id"], ticket_id=rid, content=text), "transaction"),
        Step("set_fields", FieldChange(op["op_id"], rid, {"Status": "resolved"}), "fields"),
    ]


def _decision_steps(op: dict[str, Any], payload: dict[str, Any], store: Store) -> list[Step]:
    """A supervisor's decision on a return: a comment on the Returns ticket and its status."""
    known, remote = store.return_remote_id(str(payload.get("return_id")))
    if not known:
        raise Invalid(f"return {payload.get('return_id')} is not in the cache")
    if remote is None:
        raise Blocked(f"return {payload.get('return_id')} is not in RT yet")
    tid = remote
    approved = payload.get("decision") == "approved"
    text = f"[{'approved' if approved else 'declined'}] {payload.get('note') or ''}".strip()
    return [
        Step("comment", Message(op_id=op["op_id"], ticket_id=tid, content=text), "transaction"),
        Step(
            "set_fields",
            FieldChange(op["op_id"], tid, {"Status": "open" if approved else "rejected"}),
            "fields",
        ),
    ]


def _return_request(
    op: dict[str, Any], payload: dict[str, Any], ticket: dict[str, Any], store: Store
) -> ReturnRequest:
    row = None
    if payload.get("return_id"):
        row = store.return_row(str(payload["return_id"]))
    row = {**(row or {}), **payload}
    lines = row.get("lines")
    if isinstance(lines, str):
        try:
            lines = json.loads(lines)
        except ValueError:
            lines = []
    lines = lines or [{}]
    sku = ",".join(str(ln.get("sku", "")) for ln in lines if ln.get("sku")) or row.get("sku", "")
    qty = sum(int(ln.get("qty", 0) or 0) for ln in lines) or int(row.get("qty", 1) or 1)
    customer = store.customer(ticket["customer_id"]) if ticket.get("customer_id") else None
    kind = row.get("kind") or op["kind"]
    return ReturnRequest(
        op_id=op["op_id"],
        original_ticket_id=str(ticket["remote_id"]) if ticket.get("remote_id") else None,
        kind=kind if kind not in ("create_return", "return_request") else "return",
        order=str(row.get("order_id") or row.get("order") or ""),
        sku=sku,
        qty=qty,
        reason=str(row.get("reason") or ""),
        resolution=str(row.get("resolution") or ""),
        batch=str(row.get("batch_no") or row.get("batch") or ""),
        amount=str(row.get("amount") or ""),
        subject=str(payload.get("subject") or ""),
        content=str(payload.get("content") or ""),
        requestor=(customer or {}).get("email"),
    )


def backoff_seconds(
    attempts: int,
    retry_after: float | None = None,
    *,
    base: float = 2.0,
    cap: float = 300.0,
    rng: random.Random | None = None,
) -> float:
    """Exponential backoff with full jitter in [d/2, d]; never sooner than Retry-After."""
    rng = rng or random.Random()
    d = min(cap, base * (2 ** max(0, attempts - 1)))
    d = d / 2 + rng.random() * d / 2
    if retry_after is not None:
        d = max(d, retry_after)
    return d


def due(op: dict[str, Any], now: datetime) -> bool:
    at = op.get("next_attempt_at")
    return not at or parse_iso(at) <= now


def later(now: datetime, seconds: float) -> datetime:
    return now + timedelta(seconds=seconds)
