"""Follow-ups as work: the 72-hour callback after a resolution, the first buyer's 30-day usage
check and the VIP birthday-month greeting, listed for the agent and closed with an outcome.

Every write is one unit of work (``Desk.work``): the follow-up row, an outbox op that carries it
to RT as a reminder on the ticket (``create_reminder`` / ``resolve_reminder``) and an audit row.
An unhappy outcome (satisfaction 1-2, or declined with a complaint) reopens the ticket through
``Desk.set_status`` in the same transaction, so the reopen syncs like any status change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cs_console.clock import parse_iso, to_iso
from cs_console.policy import followups as policy
from cs_console.policy.returns import SHOP_TZ
from cs_console.service.errors import DeskError, Term
from cs_console.service.work import UnitOfWork
from cs_console.store.followups import SELECTIONS
from cs_console.untrusted import is_blank, storable

if TYPE_CHECKING:
    from cs_console.service.desk import Desk

MAX_COMMENT_CHARS = 2000
#: The sync-state key holding the shop-local day birthday greetings were last looked for.
BIRTHDAYS_CHECKED = "followups.birthdays_checked"

__all__ = ["SELECTIONS", "FollowupResult", "Followups", "schedule_on_resolution"]


@dataclass(frozen=True)
class FollowupResult:
    """What recording an outcome did: ``reopened`` when the ticket went back to open;
    ``not_reopened`` says why an unhappy one could not reopen it (e.g. ``closed``)."""

    followup: dict[str, Any]
    unhappy: bool
    reopened: bool
    not_reopened: str | None
    op_id: str


class Followups:
    """Follow-up work for the desk's agent."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    # -- reading ---------------------------------------------------------------------------

    def listing(
        self,
        selection: str = "open",
        *,
        mine: bool = False,
        customer_id: str | None = None,
        ticket_id: int | None = None,
        limit: int = 200,
    ) -> list[dict[str, Any]]:
        """Follow-ups of ``selection`` (open, due, overdue, done, all), soonest due first, each
        with its ``state`` (upcoming, due, overdue, done); ``mine``: on tickets this agent holds
        (a ticketless birthday greeting is everyone's)."""
        if selection not in SELECTIONS:
            raise DeskError("err.followup.unknown_list", selection=selection, choices=SELECTIONS)
        now = self.desk.now()
        rows = self.desk.store.followups(
            selection,
            to_iso(now),
            to_iso(now - policy.OVERDUE_AFTER),
            assignee=self.desk.agent.id if mine else None,
            customer_id=customer_id,
            ticket_id=ticket_id,
            limit=limit,
        )
        return [self._with_state(row, now) for row in rows]

    def get(self, followup_id: int) -> dict[str, Any]:
        row = self.desk.store.followup(followup_id)
        if row is None:
            raise DeskError("err.followup.missing", id=followup_id)
        return self._with_state(row, self.desk.now())

    def due_on_ticket(self, ticket_id: int) -> list[dict[str, Any]]:
        """What is due on a ticket now: its own follow-ups and its customer's ticketless ones."""
        ticket = self.desk.ticket(ticket_id)
        now = self.desk.now()
        rows = self.desk.store.followups_due_on(ticket_id, ticket.get("customer_id"), to_iso(now))
        return [self._with_state(row, now) for row in rows]

    # -- recording an outcome --------------------------------------------------------------

    def record(
        self,
        followup_id: int,
        outcome: str,
        satisfaction: int | None = None,
        comment: str | None = None,
    ) -> FollowupResult:
        """Close a follow-up with what it came to, once. An unhappy one reopens its ticket (with
        a note saying why); a closed ticket cannot be reopened, which the result says."""
        for key, params in policy.outcome_problems(outcome, satisfaction):
            raise DeskError(key, **params)
        text = None if comment is None or is_blank(comment) else storable(comment).strip()
        if text is not None and len(text) > MAX_COMMENT_CHARS:
            raise DeskError("err.followup.comment_long", chars=len(text), limit=MAX_COMMENT_CHARS)
        desk = self.desk
        with desk.work() as work:
            row = desk.store.followup(followup_id)
            if row is None:
                raise DeskError("err.followup.missing", id=followup_id)
            if row["done_at"] is not None:
                raise DeskError(
                    "err.followup.already",
                    id=followup_id,
                    outcome=Term("outcome", row["outcome"] or "in_rt"),
                    who=row["done_by"],
                    at=row["done_at"],
                )
            desk.store.record_followup_outcome(
                followup_id, outcome, satisfaction, text, work.actor, work.stamp
            )
            ticket = work.ticket(int(row["ticket_id"])) if row["ticket_id"] is not None else None
            op_id = work.enqueue(
                "resolve_reminder",
                ticket,
                {
                    "followup_id": followup_id,
                    "outcome": outcome,
                    "satisfaction": satisfaction,
                    "comment": text,
                },
            )
            unhappy = policy.is_unhappy(outcome, satisfaction, text)
            reopened, why_not = False, None
            if unhappy and ticket is not None:
                reopened, why_not = self._reopen(work, ticket, row, outcome, satisfaction, text)
            work.audit(
                "followup_done",
                ticket["id"] if ticket is not None else None,
                {
                    "followup_id": followup_id,
                    "kind": row["kind"],
                    "outcome": outcome,
                    "satisfaction": satisfaction,
                    "comment_chars": len(text or ""),
                    "reopened": reopened,
                },
            )
        return FollowupResult(self.get(followup_id), unhappy, reopened, why_not, op_id)

    def _reopen(
        self,
        work: UnitOfWork,
        ticket: dict[str, Any],
        row: dict[str, Any],
        outcome: str,
        satisfaction: int | None,
        comment: str | None,
    ) -> tuple[bool, str | None]:
        """Reopen an unhappy follow-up's ticket (inside the caller's unit of work) with an
        internal note that says why, for whoever picks it up."""
        status = ticket["status"]
        if status in ("open", "pending"):
            return False, "already_open"
        if status == "closed":
            return False, "closed"
        ticket_id = int(ticket["id"])
        self.desk.set_status(ticket_id, "open")
        score = f" {satisfaction}/5" if satisfaction is not None else ""
        body = f"[follow-up {row['id']} {row['kind']}] {outcome}{score}" + (
            f": {comment}" if comment else ""
        )
        fresh = work.ticket(ticket_id)
        message_id = work.add_message(ticket_id, "note", work.actor, body, None)
        note_op = work.enqueue("comment", fresh, {"body": body, "message_id": message_id})
        self.desk.store.set_message_op(message_id, note_op)
        return True, None

    def done_in_rt(self, followup_id: int, who: str, when: str | None) -> bool:
        """Someone resolved the follow-up's reminder in RT (its web UI): done here too, by
        them, with no outcome (none was recorded). Called by the pull, in its transaction.
        False when it was done already (here, or by an earlier pull)."""
        desk = self.desk
        with desk.work() as work:
            row = desk.store.followup(followup_id)
            if row is None or row["done_at"] is not None:
                return False
            who = storable(who).strip() or "rt"
            done_at = to_iso(parse_iso(when)) if when else work.stamp
            desk.store.followup_done_remotely(followup_id, who, done_at)
            work.audit(
                "followup_done_in_rt",
                row["ticket_id"],
                {"followup_id": followup_id, "kind": row["kind"], "by": who},
            )
        return True

    # -- creating follow-ups ---------------------------------------------------------------

    def create_birthday_greetings(self, force: bool = False) -> list[int]:
        """A greeting for every VIP whose birthday month it is (shop time), once per customer
        per year (the unique period makes a second run a no-op). Looked for once a shop-local
        day unless ``force``; the sync round and console start call this. Returns new ids."""
        desk = self.desk
        now = desk.now()
        today = now.astimezone(SHOP_TZ).date().isoformat()
        if not force and desk.store.sync_value(BIRTHDAYS_CHECKED) == today:
            return []
        created: list[int] = []
        with desk.work() as work:
            month = now.astimezone(SHOP_TZ).month
            for customer in desk.store.customers_born_in_month(month, policy.VIP_TIERS):
                task = policy.birthday_greeting(customer["tier"], customer["birthday"], now)
                if task is None:
                    continue
                new = add_followup(work, None, customer["id"], task)
                if new is not None:
                    created.append(new)
            desk.store.set_sync_value(BIRTHDAYS_CHECKED, today)
            if created:
                work.audit("birthday_greetings", None, {"created": len(created)})
        return created

    def _with_state(self, row: dict[str, Any], now: datetime) -> dict[str, Any]:
        row = dict(row)
        row["state"] = policy.state(parse_iso(row["due_at"]), row["done_at"] is not None, now)
        return row


def add_followup(
    work: UnitOfWork, ticket: dict[str, Any] | None, customer_id: str | None, task: policy.FollowUp
) -> int | None:
    """Store one follow-up and queue its RT reminder (inside ``work``); None if it exists."""
    ticket_id = int(ticket["id"]) if ticket is not None else None
    due_at = to_iso(task.due_at)
    new = work.store.insert_followup(ticket_id, customer_id, task.kind, due_at, task.period)
    if new is not None:
        payload = {
            "followup_id": new,
            "kind": task.kind,
            "due_at": due_at,
            "customer_id": customer_id,
        }
        # a callback made by two consoles (each resolved the ticket) is one reminder in RT
        remote = ticket.get("remote_id") if ticket is not None else None
        from cs_console.sync.planning import shared_op_id_for  # its RT types: not at launch

        shared = shared_op_id_for("create_reminder", payload, remote)
        work.enqueue("create_reminder", ticket, payload, op_id=shared)
    return new


def schedule_on_resolution(desk: Desk, work: UnitOfWork, ticket: dict[str, Any]) -> list[int]:
    """The follow-ups a resolution creates (policy ``followups_on_resolution``): the callback,
    and the usage check when this was the customer's first order. Returns the new ids."""
    store = desk.store
    first_time = False
    delivered = None
    if ticket.get("customer_id") and ticket.get("order_id"):
        first_time = store.customer_order_count(ticket["customer_id"]) == 1
        order = store.order(ticket["order_id"])
        delivered = parse_iso(order["delivered_at"]) if order and order["delivered_at"] else None
    created = []
    for task in policy.followups_on_resolution(work.now, first_time, delivered):
        new = add_followup(work, ticket, ticket.get("customer_id"), task)
        if new is not None:
            created.append(new)
    return created
