"""The contract between the sync engine and a ticket backend.

A backend turns outbox ops into remote changes and remote changes into plain records. It never
touches the local cache. Every push answers a :class:`PushResult` whose ``outcome`` tells the
engine what to do with the op:

``done``       the change exists remotely (``remote_ref`` names it); mark the op sent.
``rejected``   the backend refused it (400/403/404/415, or a 2xx whose messages say it failed);
               keep the op and show ``message`` to the agent. Never resend as is.
``conflict``   the record changed since the agent saw it (412 on ``If-Match``); the agent decides.
``uncertain``  we cannot know whether it happened (timeout, reset, 5xx, 429): reconcile with
               :meth:`Backend.find_by_op_id` before any resend; ``retry_after`` is a hint.
``auth``       credentials refused (401); ask for them again and keep the op.

The classification of HTTP answers lives here (:func:`classify_http`) so that every backend
speaking HTTP treats a status code the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable


class Outcome(StrEnum):
    DONE = "done"
    REJECTED = "rejected"
    CONFLICT = "conflict"
    UNCERTAIN = "uncertain"
    AUTH = "auth"


@dataclass(frozen=True)
class PushResult:
    """What happened to one pushed op."""

    outcome: Outcome
    remote_ref: str | None = None  # ticket id for creates, transaction id for replies/comments
    message: str = ""
    messages: tuple[str, ...] = ()  # the backend's own message list, verbatim
    warnings: tuple[str, ...] = ()  # done, but something was dropped (e.g. an unknown CF)
    etag: str | None = None  # the record's version after the change, when known
    retry_after: float | None = None  # seconds, from a Retry-After header
    status_code: int | None = None
    sent: bool = True  # False when the request surely never reached the server (connect failed)

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.DONE


# --- what the engine sends -------------------------------------------------------------------


@dataclass(frozen=True)
class NewTicket:
    op_id: str
    queue: str
    subject: str
    content: str
    requestor: str | None = None  # customer e-mail
    content_type: str = "text/plain"
    status: str | None = None
    priority: int | None = None
    custom_fields: dict[str, str | list[str]] = field(default_factory=dict)
    refers_to: tuple[str, ...] = ()  # remote ticket ids


@dataclass(frozen=True)
class NewReminder:
    """A follow-up as an RT reminder: a ticket of Type ``reminder`` that refers to the ticket it
    is about (none for a ticketless birthday greeting) and is due at ``due`` (UTC)."""

    op_id: str
    queue: str
    subject: str
    due: datetime
    refers_to: str | None = None  # the remote ticket id


@dataclass(frozen=True)
class Message:
    """A reply (correspond, the customer sees it) or a comment (internal)."""

    op_id: str
    ticket_id: str
    content: str
    content_type: str = "text/plain"
    subject: str | None = None
    status: str | None = None  # change status in the same transaction


@dataclass(frozen=True)
class FieldChange:
    op_id: str
    ticket_id: str
    fields: dict[str, Any]  # Status, Priority, Owner, Subject, Queue ...
    custom_fields: dict[str, str | list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class ReturnRequest:
    """A return or exchange: a ticket in the Returns queue that refers to the original ticket."""

    op_id: str
    original_ticket_id: str | None
    kind: str  # return | exchange
    order: str
    sku: str
    qty: int
    reason: str
    resolution: str = ""
    batch: str = ""
    amount: str = ""
    subject: str = ""
    content: str = ""
    requestor: str | None = None


@dataclass(frozen=True)
class Customer:
    email: str
    name: str = ""
    tier: str = ""
    points: int | None = None
    skin_type: str = ""
    allergies: str = ""


@dataclass(frozen=True)
class Order:
    order_no: str
    customer_email: str = ""
    placed_at: str = ""
    delivered_at: str = ""
    total: str = ""
    lines: str = ""  # "sku x qty @ price; ..." as exported


# --- what the engine receives ----------------------------------------------------------------


@dataclass(frozen=True)
class RemoteTicket:
    remote_id: str
    subject: str
    status: str
    queue: str
    owner: str
    requestors: tuple[str, ...]
    priority: int
    created: str  # UTC ISO-8601
    last_updated: str  # UTC ISO-8601
    custom_fields: dict[str, list[str]] = field(default_factory=dict)
    effective_id: str | None = None  # differs from remote_id when merged
    op_id: str | None = None
    is_return_request: bool = False  # a return/exchange request, kept in `returns`, not the queue


@dataclass(frozen=True)
class RemoteTransaction:
    """One entry of the backend's change feed (RT transactions)."""

    remote_id: str  # transaction id, increasing
    ticket_id: str
    type: str  # Create, Correspond, Comment, Status, Set, SetWatcher, AddLink, ...
    creator: str
    created: str
    field: str = ""
    old_value: str = ""
    new_value: str = ""
    op_id: str | None = None  # ClientOpId


@dataclass(frozen=True)
class RemoteMessage:
    remote_id: str  # transaction id
    ticket_id: str
    kind: str  # create | correspond | comment
    author: str
    created: str
    content: str
    content_type: str = "text/plain"
    subject: str = ""
    op_id: str | None = None


@dataclass(frozen=True)
class TicketPage:
    items: list[RemoteTicket]
    page: int
    more: bool  # ask for page + 1; False once a page came back empty or short
    skipped: int = 0  # malformed items logged and skipped


@dataclass(frozen=True)
class FeedPage:
    transactions: list[RemoteTransaction]
    messages: list[RemoteMessage]
    last_id: str | None  # the highest transaction id in this page (the next ``after_id``)
    more: bool
    skipped: int = 0
    # set when the page stops early because a message could not be read: ``last_id`` is the
    # transaction before it, so the next round reads that message again (it is never skipped)
    error: str | None = None


@dataclass(frozen=True)
class OpMatch:
    """Where an op id was found remotely."""

    kind: str  # ticket | transaction
    remote_id: str
    ticket_id: str


@dataclass(frozen=True)
class TeamMember:
    """An agent as the backend knows them: login name, display name, role (from groups)."""

    name: str
    real_name: str
    role: str


@runtime_checkable
class Backend(Protocol):
    """What the sync engine needs from a ticket system."""

    name: str

    # pull
    def pull_tickets(self, since: datetime | None, page: int = 1) -> TicketPage: ...
    def pull_transactions(self, after_id: str | int | None) -> FeedPage: ...
    def tickets_by_id(self, ticket_ids: list[str]) -> list[RemoteTicket]: ...

    # push (each takes one op; none retries on its own)
    def create_ticket(self, req: NewTicket) -> PushResult: ...
    def reply(self, req: Message) -> PushResult: ...
    def comment(self, req: Message) -> PushResult: ...
    def set_fields(self, req: FieldChange, if_match: str | None) -> PushResult: ...
    def create_return(self, req: ReturnRequest) -> PushResult: ...
    def create_reminder(self, req: NewReminder) -> PushResult: ...
    def upsert_customer(self, req: Customer) -> PushResult: ...
    def upsert_order(self, req: Order) -> PushResult: ...

    # reconciliation
    def find_by_op_id(self, op_id: str) -> list[OpMatch]: ...
    def duplicate_op_ids(self) -> dict[str, list[OpMatch]]: ...
    def current_etag(self, ticket_id: str) -> str | None:
        """The ticket's ETag now; None when the ticket does not exist. Raises when RT cannot
        say (an unreadable answer is never taken for "changed")."""
        ...

    def foreign_changes(
        self, ticket_id: str, after_etag: str | None, fields: Iterable[str] | None = None
    ) -> list[str]:
        """Transactions after ``after_etag`` by someone else (only those touching ``fields``,
        when given)."""
        ...

    def ticket_fields(self, ticket_id: str) -> dict[str, str]: ...

    # identity
    def team(self, known_names: dict[str, str] | None = None) -> list[TeamMember] | None:
        """Everyone in a team group with their role; None when the backend has no team groups
        (not bootstrapped for a team), so local roles cannot be confirmed. ``known_names``
        (login -> display name) spares looking up users already known."""
        ...


# --- classification --------------------------------------------------------------------------

#: Messages RT puts in a 2xx answer although the change did not happen.
FAILURE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"permission denied",
        r"isn't a valid status",
        r"is not a valid status",
        r"does not exist",
        r"doesn't exist",
        r"\bcould not\b",
        r"\bcouldn't\b",
        r"\bunable to\b",
        r"\bnot found\b",
        r"\binvalid\b",
        r"\bfailed\b",
        r"\bno permission\b",
        r"you are not allowed",
        r"can't be set",
        r"illegal value",
    )
)


def failure_messages(messages: Iterable[str]) -> list[str]:
    """The entries of a backend's message list that report a failure."""
    return [m for m in messages if any(p.search(m) for p in FAILURE_PATTERNS)]


def message_list(body: Any) -> list[str]:
    """RT answers updates with a JSON list of strings (sometimes nested one level)."""
    out: list[str] = []
    if isinstance(body, str):
        return [body]
    if isinstance(body, dict):
        msg = body.get("message")
        return [str(msg)] if msg else []
    if isinstance(body, Sequence):
        for item in body:
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, Sequence):
                out.extend(str(x) for x in item if isinstance(x, str))
    return out


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    from datetime import UTC

    now = now or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def classify_http(
    status: int, body: Any, headers: dict[str, str] | None = None
) -> PushResult | None:
    """Map a non-2xx answer to a result; None for 2xx (the caller parses the body).

    400/403/404/405/409/415/422 are rejected with the server's message, 401 is auth, 412 a
    conflict, 429 and 5xx uncertain (the request may or may not have been applied).
    """
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    if 200 <= status < 300:
        return None
    msgs = tuple(message_list(body))
    text = "; ".join(msgs) or f"HTTP {status}"
    retry = parse_retry_after(headers.get("retry-after"))
    if status == 401 or (status == 302 and "login" in text.lower()):
        return PushResult(Outcome.AUTH, message=text, messages=msgs, status_code=status)
    if status == 412:
        return PushResult(Outcome.CONFLICT, message=text, messages=msgs, status_code=status)
    if status == 429 or status == 408 or status >= 500:
        return PushResult(
            Outcome.UNCERTAIN,
            message=plain_http_status(status, text),
            messages=msgs,
            retry_after=retry,
            status_code=status,
        )
    return PushResult(Outcome.REJECTED, message=text, messages=msgs, status_code=status)


def plain_transport_error(exc: BaseException) -> str:
    """A transport failure in words an agent can act on (the exception's own text after it)."""
    import httpx

    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout):
        what = "RT could not be reached in time"
    elif isinstance(exc, httpx.ConnectError):
        what = "RT could not be reached (no connection)"
    elif isinstance(exc, httpx.TimeoutException):
        what = "RT did not answer in time (the change may have been made)"
    elif isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        what = "the connection to RT broke (the change may have been made)"
    else:
        what = "talking to RT failed"
    return f"{what}: {detail}"


def plain_http_status(status: int, text: str) -> str:
    """An HTTP error answer in words, with RT's own message."""
    if status == 429:
        return f"RT asked us to slow down (429); retried later: {text}"
    if status == 408 or status >= 500:
        return f"RT had a problem answering ({status}); retried later: {text}"
    return text


def uncertain(exc: BaseException) -> PushResult:
    """A transport error: the request may have been applied, unless the connection never opened
    (``ConnectError``: refused, DNS failure, unreachable), which ``sent=False`` records."""
    import httpx

    return PushResult(
        Outcome.UNCERTAIN,
        message=plain_transport_error(exc),
        sent=not isinstance(exc, httpx.ConnectError),
    )
