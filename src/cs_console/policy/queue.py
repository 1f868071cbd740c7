"""The queue's filters, defined once: what each one holds, in pure data.

The service (``service.queue``) pages and counts them, the store turns a definition into SQL
(``store.queue``), the console and the CLI show the same names. A new filter is one entry in
``QUEUE_FILTERS`` (and, for a criterion none of the fields below express, one named ticket set
in ``store.queue.TICKET_SETS``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cs_console.policy import roles

#: Tickets someone still works on: open, or waiting on the customer (SLA clock paused).
ACTIVE = ("open", "pending")


@dataclass(frozen=True)
class QueueFilter:
    """One queue view. Rows come in console order: status (open before waiting), SLA due,
    priority, id."""

    name: str
    label_key: str  # i18n key of the name shown in the console
    statuses: tuple[str, ...] | None = ACTIVE  # None: any status
    assignee: str | None = None  # "me": the signed-in agent's; "none": nobody's
    escalated: bool = False
    overdue: bool = False  # the SLA due time has passed (a paused clock is never overdue)
    ticket_set: str | None = None  # a named set of ticket ids (store.queue.TICKET_SETS)
    allowed: Callable[[str], bool] | None = None  # who may use it, by role; None: everyone
    aliases: tuple[str, ...] = ()

    def usable_by(self, role: str) -> bool:
        return self.allowed is None or self.allowed(role)

    def matches(self, row: Mapping[str, Any], agent_id: str, now_iso: str) -> bool:
        """Whether a ticket row belongs here (``in_set``: its membership of ``ticket_set``)."""
        if self.statuses is not None and row["status"] not in self.statuses:
            return False
        if self.assignee == "me" and row["assignee"] != agent_id:
            return False
        if self.assignee == "none" and row["assignee"] is not None:
            return False
        if self.escalated and not row["escalated"]:
            return False
        if self.overdue and not (row["sla_due"] is not None and row["sla_due"] < now_iso):
            return False
        return not self.ticket_set or bool(row.get("in_set"))


QUEUE_FILTERS: tuple[QueueFilter, ...] = (
    QueueFilter("all", "filter.all"),
    QueueFilter("mine", "filter.mine", assignee="me"),
    QueueFilter("unassigned", "filter.unassigned", statuses=("open",), assignee="none"),
    QueueFilter("escalated", "filter.escalated", escalated=True),
    QueueFilter("overdue", "filter.overdue", statuses=("open",), overdue=True),
    QueueFilter("waiting", "filter.waiting", statuses=("pending",)),
    # tickets with a follow-up due now (callbacks and usage checks), whatever their status
    QueueFilter("followups", "filter.followups", statuses=None, ticket_set="followups_due"),
    # every request a supervisor must decide, whatever its ticket's status (as `returns --awaiting`)
    QueueFilter(
        "approvals",
        "filter.approval",
        statuses=None,
        ticket_set="awaiting_approval",
        allowed=roles.can_approve,
        aliases=("approval",),
    ),
)

FILTER_NAMES = tuple(f.name for f in QUEUE_FILTERS)
_BY_NAME = {name: f for f in QUEUE_FILTERS for name in (f.name, *f.aliases)}


def queue_filter(name: str) -> QueueFilter:
    """The filter called ``name`` (or one of its aliases); ValueError names the choices."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(
            f"unknown queue filter {name!r}; choose from {', '.join(FILTER_NAMES)}"
        ) from None


#: Ticket categories (the knowledge base's sections, and ``general`` for pulled tickets).
TICKET_CATEGORIES = (
    "pre-sale",
    "after-sale",
    "systems",
    "membership",
    "mall",
    "complaint",
    "general",
)
