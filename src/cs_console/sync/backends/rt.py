"""Request Tracker 5 over REST2 (``/REST/2.0``), with httpx.

Written against RT 5.0.3 from Debian; DESIGN.md section 5 lists the behaviours relied on:
one-second ``LastUpdated`` (so ``>=`` with an overlap), the cursor sent as
``YYYY-MM-DD HH:MM:SS`` UTC, ``per_page`` capped at 100, ETag = latest transaction id, failures
answered as 200/201 with a message list, creates that silently drop unknown CFs or links, and no
idempotency keys (hence the ``OpId`` ticket CF and the ``ClientOpId`` transaction CF).

Every push method sends exactly one write request and never retries: retrying is the engine's
decision, after reconciling with :meth:`RTBackend.find_by_op_id`.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import json
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, Concatenate, ParamSpec

import httpx

from cs_console.redact import redact
from cs_console.sync.backends.base import (
    Customer,
    FeedPage,
    FieldChange,
    Message,
    NewReminder,
    NewTicket,
    OpMatch,
    Order,
    Outcome,
    PushResult,
    RemoteMessage,
    RemoteTicket,
    RemoteTransaction,
    ReturnRequest,
    TeamMember,
    TicketPage,
    classify_http,
    failure_messages,
    message_list,
    uncertain,
)

log = logging.getLogger(__name__)

PER_PAGE = 100  # RT caps per_page at 100
SUBJECT_MAX_BYTES = 200  # RT cuts subjects to 200 UTF-8 bytes; we cut first, cleanly
DEFAULT_OVERLAP = timedelta(seconds=2)
MAX_MESSAGE_CHARS = 1_000_000  # longer bodies are cut (and logged): the cache is not a mail archive
UNSET_DATE = "1970-01-01T00:00:00Z"

# Names of what `cs-console rt bootstrap` creates (see sync/bootstrap.py).
SUPPORT_QUEUE = "Customer Service"
RETURNS_QUEUE = "Returns"
ORDERS_CATALOG = "Orders"
CF_OP_ID = "OpId"  # ticket CF, global
CF_CLIENT_OP_ID = "ClientOpId"  # transaction CF, global
# Ticket searches see only Type = 'ticket' unless the query names a type; our ops also create
# reminders (follow-ups), which reconciliation and the duplicate sweep must find too.
OUR_TYPES = "(Type = 'ticket' OR Type = 'reminder')"
RETURN_CFS = {  # ReturnRequest attribute -> ticket CF on the Returns queue
    "kind": "ReturnKind",
    "order": "Order",
    "sku": "SKU",
    "qty": "Qty",
    "reason": "ReturnReason",
    "resolution": "Resolution",
    "batch": "Batch",
    "amount": "Amount",
}
USER_CFS = {"tier": "Tier", "points": "Points", "skin_type": "SkinType", "allergies": "Allergies"}
ORDER_CFS = {
    "customer_email": "CustomerEmail",
    "placed_at": "PlacedAt",
    "delivered_at": "DeliveredAt",
    "total": "OrderTotal",
    "lines": "OrderLines",
}

TICKET_FIELDS = (
    "Subject,Status,Queue,Owner,Requestor,Priority,Created,LastUpdated,CustomFields,EffectiveId"
)
TXN_FIELDS = "ObjectId,ObjectType,Type,Field,OldValue,NewValue,Creator,Created,CustomFields"
MESSAGE_TYPES = {"Create": "create", "Correspond": "correspond", "Comment": "comment"}
_SUCCESS_HINT = re.compile(r"\bchanged from\b|\badded\b|\bcreated\b|\bset to\b", re.IGNORECASE)
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_SAFE_VALUE = re.compile(r"^[A-Za-z0-9_.:@+-]{1,200}$")


def cut_subject(subject: str, limit: int = SUBJECT_MAX_BYTES) -> str:
    """Cut to ``limit`` UTF-8 bytes without splitting a character."""
    raw = subject.replace("\r", " ").replace("\n", " ").encode("utf-8")
    if len(raw) <= limit:
        return subject.replace("\r", " ").replace("\n", " ")
    return raw[:limit].decode("utf-8", "ignore")


def rt_cursor(when: datetime) -> str:
    """RT's own date syntax, in UTC. RT misreads '...T...Z' (midnight) and garbage (1970)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def parse_rt_date(value: str | None) -> datetime | None:
    if not value or value == UNSET_DATE:
        return None
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def quote_value(value: str) -> str:
    """A value for a TicketSQL/TransactionSQL string literal."""
    if not _SAFE_VALUE.match(value):
        value = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{value}'"


def rt_failures(messages: list[str]) -> list[str]:
    """Messages that report a failure; echoes of user text inside quotes are ignored."""
    out = []
    for m in messages:
        if _SUCCESS_HINT.search(m) and not re.search(r"unable to|could not", m, re.I):
            continue
        if failure_messages([_QUOTED.sub("''", m)]):
            out.append(m)
    return out


def _ref_id(value: Any) -> str:
    """RT serialises references as {"id": ..., "type": ..., "_url": ...}."""
    if isinstance(value, dict):
        return str(value.get("id", ""))
    return "" if value is None else str(value)


def _cf_map(items: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if isinstance(items, list):
        for cf in items:
            if isinstance(cf, dict) and "name" in cf:
                out[str(cf["name"])] = [str(v) for v in cf.get("values") or []]
    elif isinstance(items, dict):  # older shape: {"id": [values]}
        for k, v in items.items():
            out[str(k)] = [str(x) for x in (v if isinstance(v, list) else [v])]
    return out


def _first_value(cfs: dict[str, list[str]], name: str) -> str | None:
    """The first value of a custom field, or None when it has none."""
    values = cfs.get(name)
    return values[0] if values else None


#: Transaction types that change a field without naming it in ``Field``.
_FIELD_OF_TYPE = {
    "Status": "Status",
    "Take": "Owner",
    "Untake": "Owner",
    "Give": "Owner",
    "Steal": "Owner",
    "Force": "Owner",
    "SetWatcher": "Owner",
    "Set": "",
    "CustomField": "",
    "Told": "Told",
}


def _touches(transaction: dict[str, Any], fields: set[str]) -> bool:
    kind = str(transaction.get("Type") or "")
    field = str(transaction.get("Field") or "") or _FIELD_OF_TYPE.get(kind, "")
    return field in fields


def _etag(resp: httpx.Response) -> str | None:
    tag = resp.headers.get("etag")
    return tag.strip('"') if tag else None


_P = ParamSpec("_P")


def _redacted(
    push: Callable[Concatenate[RTBackend, _P], PushResult],
) -> Callable[Concatenate[RTBackend, _P], PushResult]:
    """A push method whose result carries no secret: its texts are stored in
    ``outbox.last_error`` and shown, and a server may echo the request's credentials."""

    @functools.wraps(push)
    def wrapper(self: RTBackend, /, *args: _P.args, **kwargs: _P.kwargs) -> PushResult:
        return self.redact_result(push(self, *args, **kwargs))

    return wrapper


class RTBackend:
    """The RT 5 REST2 adapter. ``transport`` lets tests inject faults."""

    name = "rt"

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        overlap: timedelta = DEFAULT_OVERLAP,
        per_page: int = PER_PAGE,
        transport: httpx.BaseTransport | None = None,
        support_queue: str = SUPPORT_QUEUE,
        session: bool = True,
    ) -> None:
        headers = {"Accept": "application/json"}
        auth = None
        if token:
            headers["Authorization"] = f"token {token}"
        elif user is not None:
            auth = httpx.BasicAuth(user, password or "")
        base = url.rstrip("/")
        if not base.endswith("/REST/2.0"):
            base += "/REST/2.0"
        self.base_url = base
        self.user = user
        self.overlap = overlap
        self.per_page = min(per_page, PER_PAGE)
        self.support_queue = support_queue
        self.client = httpx.Client(
            base_url=base,
            headers=headers,
            auth=auth,
            timeout=timeout,
            transport=transport,
            event_hooks={"request": [self._before_request]},
        )
        self._queue_names: dict[str, str] = {}
        # RT checks a password or token with bcrypt on *every* REST2 request (~0.24 s at the
        # default BcryptCost 12). With a user and password we log in once through the web login
        # and send its session cookie, which REST2 checks first (~0.01 s); basic auth stays as
        # the fallback when the session expires. Tokens cannot open a session.
        self._password = password
        self._session = session and bool(user) and not token
        self._session_at: float | None = None
        self._timeout = timeout
        basic = (
            base64.b64encode(f"{user}:{password}".encode()).decode() if user and password else None
        )
        self._secrets = tuple(value for value in (token, password, basic) if value)

    SESSION_TTL = 600.0

    def _before_request(self, request: httpx.Request) -> None:
        import time

        if not self._session:
            return
        now = time.monotonic()
        if self._session_at is not None and now - self._session_at < self.SESSION_TTL:
            return
        self._session_at = now
        root = self.base_url[: -len("/REST/2.0")]
        try:
            with httpx.Client(timeout=self._timeout) as web:
                web.post(
                    f"{root}/NoAuth/Login.html",
                    data={"user": self.user or "", "pass": self._password or ""},
                )
                # RT answers the login form the same way on success and failure; ask REST2.
                if web.get(f"{self.base_url}/queues/all").status_code != 200:
                    log.info("RT web login refused; using basic auth")
                    return
                for cookie in web.cookies.jar:
                    if cookie.name.startswith("RT_SID") and cookie.value is not None:
                        self.client.cookies.set(cookie.name, cookie.value)
                        request.headers["Cookie"] = f"{cookie.name}={cookie.value}"
        except httpx.HTTPError as exc:  # the request itself will report the problem
            log.info("RT web login failed: %s", self.redact(str(exc)))
            self._session_at = None

    # --- plumbing --------------------------------------------------------------------------

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> RTBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _get(self, path: str, **params: Any) -> httpx.Response:
        return self.client.get(path, params=params or None)

    def redact(self, text: str) -> str:
        """``text`` without this backend's credentials or anything shaped like one."""
        return redact(text, self._secrets)

    def redact_result(self, result: PushResult) -> PushResult:
        """``result`` with every text it carries redacted."""
        return dataclasses.replace(
            result,
            message=self.redact(result.message),
            messages=tuple(self.redact(m) for m in result.messages),
            warnings=tuple(self.redact(w) for w in result.warnings),
        )

    def _raise_for_status(self, r: httpx.Response) -> None:
        """``raise_for_status`` with a redacted text (it quotes the URL, userinfo and all)."""
        try:
            r.raise_for_status()
        except httpx.HTTPStatusError as exc:
            text = self.redact(str(exc))
            if text == str(exc):
                raise
            raise httpx.HTTPStatusError(text, request=exc.request, response=exc.response) from None

    def _get_json(self, path: str, **params: Any) -> Any:
        r = self._get(path, **params)
        self._raise_for_status(r)
        return r.json()

    def _send(
        self, method: str, path: str, payload: Any, headers: dict[str, str] | None = None
    ) -> tuple[httpx.Response | None, Any, PushResult | None]:
        """One write. Returns (response, parsed body, failure result or None)."""
        try:
            r = self.client.request(method, path, json=payload, headers=headers)
        except httpx.HTTPError as exc:  # timeouts, resets, refused, DNS: may have happened
            return None, None, uncertain(exc)
        try:
            body = r.json() if r.content else None
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = r.text[:2000]
            if 200 <= r.status_code < 300:
                # a 2xx we cannot read: we cannot tell what happened
                return (
                    r,
                    body,
                    PushResult(
                        Outcome.UNCERTAIN,
                        message=f"unreadable {r.status_code} answer",
                        status_code=r.status_code,
                    ),
                )
        bad = classify_http(r.status_code, body, dict(r.headers))
        return r, body, bad

    def whoami(self) -> dict[str, Any]:
        """The authenticated user (used to check credentials and the time zone)."""
        r = self._get("/queues/all")
        if r.status_code == 401:
            raise PermissionError("RT refused the credentials (401)")
        self._raise_for_status(r)
        name = self.user
        if name:
            return self._get_json(f"/user/{name}")
        return {}

    def team(self, known_names: dict[str, str] | None = None) -> list[TeamMember] | None:
        """The team groups' members and their roles (see ``cs_console.sync.team``)."""
        from cs_console.sync.team import fetch_team

        return fetch_team(self.client, known_names)

    def queue_name(self, queue_id: str) -> str:
        if queue_id not in self._queue_names:
            try:
                for page in range(1, 50):
                    data = self._get_json("/queues/all", fields="Name", per_page=100, page=page)
                    items = data.get("items") or []
                    for q in items:
                        self._queue_names[str(q.get("id"))] = str(q.get("Name", q.get("id")))
                    if not items:
                        break
            except (httpx.HTTPError, ValueError) as exc:
                log.warning("queue names: %s", self.redact(str(exc)))
        return self._queue_names.get(queue_id, queue_id)

    # --- pull ------------------------------------------------------------------------------

    def pull_tickets(self, since: datetime | None, page: int = 1) -> TicketPage:
        """One page of tickets updated at or after ``since - overlap`` (all when None).

        Order is LastUpdated then id, so a page boundary never skips a same-second update; the
        caller dedupes by (id, LastUpdated) and stops when ``more`` is False (empty page).
        """
        query = "id > 0" if since is None else f"LastUpdated >= '{rt_cursor(since - self.overlap)}'"
        data = self._get_json(
            "/tickets",
            query=query,
            orderby=["LastUpdated", "id"],
            order=["ASC", "ASC"],
            per_page=self.per_page,
            page=page,
            fields=TICKET_FIELDS,
        )
        raw = data.get("items") if isinstance(data, dict) else None
        if not isinstance(raw, list):
            raise ValueError(f"tickets page {page}: no item list in answer")
        items, skipped = [], 0
        for it in raw:
            try:
                items.append(self._ticket(it))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                skipped += 1
                log.warning("skipping malformed ticket %r: %s", str(it)[:200], exc)
        return TicketPage(items=items, page=page, more=bool(raw), skipped=skipped)

    def tickets_by_id(self, ticket_ids: list[str]) -> list[RemoteTicket]:
        """These tickets as RT has them now, whatever their LastUpdated (100 a request)."""
        found: list[RemoteTicket] = []
        for start in range(0, len(ticket_ids), PER_PAGE):
            chunk = [str(int(i)) for i in ticket_ids[start : start + PER_PAGE]]
            data = self._get_json(
                "/tickets",
                query=" OR ".join(f"id = {i}" for i in chunk),
                per_page=PER_PAGE,
                fields=TICKET_FIELDS,
            )
            for it in data.get("items") or [] if isinstance(data, dict) else []:
                try:
                    found.append(self._ticket(it))
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    log.warning("skipping malformed ticket %r: %s", str(it)[:200], exc)
        return found

    def iter_tickets(self, since: datetime | None) -> Iterator[TicketPage]:
        page = 1
        while True:
            p = self.pull_tickets(since, page)
            yield p
            if not p.more:
                return
            page += 1

    def _ticket(self, it: dict[str, Any]) -> RemoteTicket:
        cfs = _cf_map(it.get("CustomFields"))
        requestors = it.get("Requestor") or []
        parse_rt_date(str(it["LastUpdated"]))  # raises ValueError on a malformed date
        queue = self.queue_name(_ref_id(it.get("Queue")))
        return RemoteTicket(
            remote_id=str(int(it["id"])),
            subject=str(it.get("Subject") or ""),
            status=str(it["Status"]),
            queue=queue,
            owner=_ref_id(it.get("Owner")),
            requestors=tuple(_ref_id(r) for r in requestors if r),
            priority=int(it.get("Priority") or 0),
            created=str(it.get("Created") or ""),
            last_updated=str(it["LastUpdated"]),
            custom_fields=cfs,
            effective_id=_ref_id(it.get("EffectiveId")) or None,
            op_id=_first_value(cfs, CF_OP_ID),
            is_return_request=queue == RETURNS_QUEUE,
        )

    def pull_transactions(self, after_id: str | int | None) -> FeedPage:
        """Ticket transactions with id > ``after_id``, oldest first, with message bodies."""
        after = int(after_id or 0)
        data = self._get_json(
            "/transactions",
            query=f"ObjectType = 'RT::Ticket' AND id > {after}",
            orderby="id",
            order="ASC",
            per_page=self.per_page,
            page=1,
            fields=TXN_FIELDS,
        )
        raw = data.get("items") if isinstance(data, dict) else None
        if not isinstance(raw, list):
            raise ValueError("transactions: no item list in answer")
        txns: list[RemoteTransaction] = []
        msgs: list[RemoteMessage] = []
        skipped = 0
        last = None
        batch = self._attachments_batch(
            [
                int(it["id"])
                for it in raw
                if isinstance(it, dict)
                and it.get("Type") in MESSAGE_TYPES
                and str(it.get("id", "")).isdigit()
            ]
        )
        for it in raw:
            try:
                tid = str(int(it["id"]))
                cfs = _cf_map(it.get("CustomFields"))
                txn = RemoteTransaction(
                    remote_id=tid,
                    ticket_id=str(int(it["ObjectId"])),
                    type=str(it["Type"]),
                    creator=_ref_id(it.get("Creator")),
                    created=str(it.get("Created") or ""),
                    field=str(it.get("Field") or ""),
                    old_value=str(it.get("OldValue") or ""),
                    new_value=str(it.get("NewValue") or ""),
                    op_id=_first_value(cfs, CF_CLIENT_OP_ID),
                )
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                skipped += 1
                log.warning("skipping malformed transaction %r: %s", str(it)[:200], exc)
                continue
            if txn.type in MESSAGE_TYPES:
                try:
                    # a message the search did not return is read on its own
                    m = self._message(txn, (batch or {}).get(txn.remote_id))
                except (httpx.HTTPError, ValueError) as exc:
                    # stop before this transaction: the cursor stays behind it and the next
                    # round reads the message again; skipping it would lose it for good
                    problem = self.redact(f"message of transaction {txn.remote_id}: {exc}")
                    return FeedPage(txns, msgs, last, more=False, skipped=skipped, error=problem)
                if m is not None:
                    msgs.append(m)
            txns.append(txn)
            last = tid
        return FeedPage(
            transactions=txns, messages=msgs, last_id=last, more=bool(raw), skipped=skipped
        )

    def _attachments_batch(self, txn_ids: list[int]) -> dict[str, list[dict[str, Any]]] | None:
        """The attachments of many transactions in as few requests as RT allows (one search
        over the id range, 100 a page), by transaction id; None when the search fails (each
        message is then read on its own, as before)."""
        if not txn_ids:
            return {}
        wanted = {str(i) for i in txn_ids}
        found: dict[str, list[dict[str, Any]]] = {}
        query = [
            {"field": "TransactionId", "operator": ">=", "value": min(txn_ids)},
            {"field": "TransactionId", "operator": "<=", "value": max(txn_ids)},
        ]
        try:
            for page in range(1, 1000):
                r = self.client.post(
                    "/attachments",
                    params={
                        "fields": "TransactionId,Content,ContentType,Subject",
                        "per_page": PER_PAGE,
                        "page": page,
                    },
                    json=query,
                )
                self._raise_for_status(r)
                data = r.json()
                items = data.get("items") if isinstance(data, dict) else None
                if not isinstance(items, list):
                    return None
                for item in items:
                    if isinstance(item, dict):
                        owner = _ref_id(item.get("TransactionId"))
                        if owner in wanted:
                            found.setdefault(owner, []).append(item)
                if len(items) < PER_PAGE:
                    return found
        except (httpx.HTTPError, ValueError) as exc:
            log.info("attachments in one search failed (%s); reading them one by one", exc)
            return None
        return None

    def _message(
        self, txn: RemoteTransaction, items: list[dict[str, Any]] | None = None
    ) -> RemoteMessage | None:
        """``txn``'s message from its attachments (``items`` when already fetched)."""
        if items is None:
            r = self._get(
                f"/transaction/{txn.remote_id}/attachments",
                fields="Content,ContentType,Subject",
                per_page=100,
            )
            if r.status_code == 404:
                return None  # the transaction is gone: nothing to read, now or later
            self._raise_for_status(r)
            data = r.json()
            items = data.get("items") if isinstance(data, dict) else None
            if not isinstance(items, list):
                raise ValueError("attachments: no item list in answer")
        subject, chosen = "", None
        for a in items:
            if not isinstance(a, dict):
                continue
            subject = subject or str(a.get("Subject") or "")
            ctype = str(a.get("ContentType") or "")
            better = chosen is None or (ctype == "text/plain" and chosen[1] != "text/plain")
            if ctype.startswith("text/") and a.get("Content") and better:
                chosen = (str(a["Content"]), ctype)
        content, ctype = chosen or ("", "text/plain")
        if len(content) > MAX_MESSAGE_CHARS:
            log.warning(
                "transaction %s: body of %d chars cut to %d",
                txn.remote_id,
                len(content),
                MAX_MESSAGE_CHARS,
            )
            content = content[:MAX_MESSAGE_CHARS] + "\n[… cut by cs-console]"
        return RemoteMessage(
            remote_id=txn.remote_id,
            ticket_id=txn.ticket_id,
            kind=MESSAGE_TYPES[txn.type],
            author=txn.creator,
            created=txn.created,
            content=content,
            content_type=ctype,
            subject=subject,
            op_id=txn.op_id,
        )

    ETAG_TRIES = 3

    def current_etag(self, ticket_id: str) -> str | None:
        """The ticket's ETag; None for a ticket RT does not have. A failed read (reset, 429,
        5xx, no ETag) is tried again, then raised: it is never taken for a change."""
        import time

        for attempt in range(self.ETAG_TRIES):
            try:
                r = self._get(f"/ticket/{ticket_id}")
                if r.status_code == 404:
                    return None
                self._raise_for_status(r)
                etag = _etag(r)
                if etag is None:
                    raise ValueError(f"ticket {ticket_id}: answer without an ETag")
                return etag
            except (httpx.HTTPError, ValueError):
                if attempt == self.ETAG_TRIES - 1:
                    raise
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    def _etag_if_readable(self, ticket_id: str) -> str | None:
        """For a result that is already decided: a failed read must not turn it into an error."""
        try:
            return self.current_etag(ticket_id)
        except (httpx.HTTPError, ValueError):
            return None

    def foreign_changes(
        self, ticket_id: str, after_etag: str | None, fields: Iterable[str] | None = None
    ) -> list[str]:
        """Ids of the ticket's transactions after ``after_etag`` made by someone else; with
        ``fields``, only those that change one of them (a customer's reply does not conflict
        with our status change; another agent's status change does).

        Used after our own successful change: when nobody else touched the ticket, the new
        ETag can become the base of the next queued change for it (RT's If-Match check and the
        change are not one atomic step, so we look at the history instead of trusting it).
        """
        after = int(after_etag or 0)
        query = (
            f"ObjectType = 'RT::Ticket' AND ObjectId = {int(ticket_id)} AND id > {after} "
            "AND Creator != '__CurrentUser__' AND Creator != 'RT_System'"
        )
        wanted = set(fields) if fields is not None else None
        return [
            str(it["id"])
            for it in self._search_all("/transactions", query, "Creator,Type,Field")
            if wanted is None or _touches(it, wanted)
        ]

    def ticket_fields(self, ticket_id: str) -> dict[str, str]:
        """Current Status, Priority, Owner, Subject, Queue (names/ids as plain strings)."""
        data, _ = self.get_ticket(ticket_id)
        return {
            "Status": str(data.get("Status", "")),
            "Priority": str(data.get("Priority", "")),
            "Owner": _ref_id(data.get("Owner")),
            "Subject": str(data.get("Subject", "")),
            "Queue": self.queue_name(_ref_id(data.get("Queue"))),
        }

    def get_ticket(self, ticket_id: str) -> tuple[dict[str, Any], str | None]:
        r = self._get(f"/ticket/{ticket_id}")
        self._raise_for_status(r)
        return r.json(), _etag(r)

    # --- push ------------------------------------------------------------------------------

    @_redacted
    def create_ticket(self, req: NewTicket) -> PushResult:
        payload: dict[str, Any] = {
            "Queue": req.queue,
            "Subject": cut_subject(req.subject),
            "Content": req.content,
            "ContentType": req.content_type,
            "CustomFields": {**req.custom_fields, CF_OP_ID: req.op_id},
        }
        if req.requestor:
            payload["Requestor"] = req.requestor
        if req.status:
            payload["Status"] = req.status
        if req.priority is not None:
            payload["Priority"] = req.priority
        if req.refers_to:
            payload["RefersTo"] = [int(t) for t in req.refers_to]
        return self._create(payload, req.op_id, expect_refers=req.refers_to)

    def create_return(self, req: ReturnRequest) -> PushResult:
        cfs: dict[str, str | list[str]] = {}
        for attr, cf in RETURN_CFS.items():
            value = getattr(req, attr)
            if value not in ("", None):
                cfs[cf] = str(value)
        subject = req.subject or f"{req.kind} {req.order} {req.sku} x{req.qty}"
        content = req.content or (
            f"{req.kind}: order {req.order}, {req.sku} x {req.qty}, reason: {req.reason}"
        )
        refers = (req.original_ticket_id,) if req.original_ticket_id else ()
        return self.create_ticket(
            NewTicket(
                op_id=req.op_id,
                queue=RETURNS_QUEUE,
                subject=subject,
                content=content,
                requestor=req.requestor,
                custom_fields=cfs,
                refers_to=refers,
            )
        )

    @_redacted
    def create_reminder(self, req: NewReminder) -> PushResult:
        """A follow-up as RT keeps reminders (what ``RT::Reminders->Add`` makes): a ticket of
        Type ``reminder`` with a Due date and a RefersTo link to its ticket, carrying the op id
        in ``OpId`` like every create (read back: a dropped link or CF is a warning)."""
        payload: dict[str, Any] = {
            "Type": "reminder",
            "Queue": req.queue,
            "Subject": cut_subject(req.subject),
            "Due": rt_cursor(req.due),
            "CustomFields": {CF_OP_ID: req.op_id},
        }
        refers = (req.refers_to,) if req.refers_to else ()
        if refers:
            payload["RefersTo"] = [int(t) for t in refers]
        return self._create(payload, req.op_id, expect_refers=refers)

    def _create(self, payload: dict[str, Any], op_id: str, expect_refers=()) -> PushResult:
        r, body, bad = self._send("POST", "/ticket", payload)
        if bad is not None:
            return bad
        assert r is not None
        tid = str(body.get("id")) if isinstance(body, dict) and body.get("id") else None
        if tid is None:
            loc = r.headers.get("location", "")
            m = re.search(r"/ticket/(\d+)", loc)
            tid = m.group(1) if m else None
        if tid is None:
            return PushResult(
                Outcome.UNCERTAIN,
                message=f"create answered {r.status_code} without a ticket id",
                status_code=r.status_code,
            )
        # Read back: RT answers 201 and silently drops unknown CFs, owners and links.
        warnings: list[str] = []
        etag = None
        try:
            got, etag = self.get_ticket(tid)
        except (httpx.HTTPError, ValueError) as exc:
            warnings.append(f"could not read ticket {tid} back: {exc}")
            got = None
        if got is not None:
            cfs = _cf_map(got.get("CustomFields"))
            for name, want in payload.get("CustomFields", {}).items():
                want_l = [str(w) for w in (want if isinstance(want, list) else [want])]
                if cfs.get(name) != want_l:
                    warnings.append(f"custom field {name} not set (RT dropped it)")
            if "Owner" in payload and _ref_id(got.get("Owner")) != payload["Owner"]:
                warnings.append(f"owner {payload['Owner']} not set")
            links = {
                str(h.get("id"))
                for h in got.get("_hyperlinks") or []
                if isinstance(h, dict) and h.get("ref") == "refers-to"
            }
            for t in expect_refers:
                if str(t) not in links:
                    warnings.append(f"link to ticket {t} not created")
        return PushResult(
            Outcome.DONE,
            remote_ref=tid,
            message=f"ticket {tid} created",
            warnings=tuple(warnings),
            etag=etag,
            status_code=r.status_code,
        )

    @_redacted
    def reply(self, req: Message) -> PushResult:
        return self._message_push(req, "correspond")

    @_redacted
    def comment(self, req: Message) -> PushResult:
        return self._message_push(req, "comment")

    def _message_push(self, req: Message, kind: str) -> PushResult:
        if not req.content.strip():
            return PushResult(Outcome.REJECTED, message="empty message blocked (not sent)")
        payload: dict[str, Any] = {
            "Content": req.content,
            "ContentType": req.content_type,
            "TxnCustomFields": {CF_CLIENT_OP_ID: req.op_id},
        }
        if req.subject:
            payload["Subject"] = cut_subject(req.subject)
        if req.status:
            payload["Status"] = req.status
        r, body, bad = self._send("POST", f"/ticket/{req.ticket_id}/{kind}", payload)
        if bad is not None:
            return bad
        assert r is not None
        msgs = message_list(body)
        added = [m for m in msgs if re.search(r"(correspondence|comments?) added", m, re.I)]
        fails = rt_failures(msgs)
        m = re.search(r"/transaction/(\d+)", r.headers.get("location", ""))
        ref = m.group(1) if m else None
        if not added:
            return PushResult(
                Outcome.REJECTED,
                message="; ".join(fails or msgs) or f"{kind} not recorded",
                messages=tuple(msgs),
                status_code=r.status_code,
            )
        return PushResult(
            Outcome.DONE,
            remote_ref=ref,
            message="; ".join(added),
            messages=tuple(msgs),
            warnings=tuple(fails),
            status_code=r.status_code,
        )

    @_redacted
    def set_fields(self, req: FieldChange, if_match: str | None) -> PushResult:
        payload: dict[str, Any] = dict(req.fields)
        if "Subject" in payload:
            payload["Subject"] = cut_subject(str(payload["Subject"]))
        if req.custom_fields:
            payload["CustomFields"] = dict(req.custom_fields)
        headers = {"If-Match": f'"{if_match.strip(chr(34))}"'} if if_match else None
        r, body, bad = self._send("PUT", f"/ticket/{req.ticket_id}", payload, headers)
        if bad is not None:
            if bad.outcome is Outcome.CONFLICT:
                return PushResult(
                    Outcome.CONFLICT,
                    message=(f"ticket {req.ticket_id} changed in RT since version {if_match}"),
                    messages=bad.messages,
                    status_code=bad.status_code,
                    etag=self._etag_if_readable(req.ticket_id),
                )
            return bad
        assert r is not None
        msgs = message_list(body)
        fails = rt_failures(msgs)
        if fails:
            return PushResult(
                Outcome.REJECTED,
                message="; ".join(fails),
                messages=tuple(msgs),
                status_code=r.status_code,
            )
        return PushResult(
            Outcome.DONE,
            remote_ref=req.ticket_id,
            message="; ".join(msgs) or "no change",
            messages=tuple(msgs),
            etag=self._etag_if_readable(req.ticket_id),
            status_code=r.status_code,
        )

    @_redacted
    def upsert_customer(self, req: Customer) -> PushResult:
        cfs = {
            USER_CFS[k]: str(getattr(req, k)) for k in USER_CFS if getattr(req, k) not in ("", None)
        }
        try:
            existing = self._get(f"/user/{req.email}")
        except httpx.HTTPError as exc:
            return uncertain(exc)
        payload: dict[str, Any] = {"CustomFields": cfs}
        if req.name:
            payload["RealName"] = req.name
        if existing.status_code == 200:
            r, body, bad = self._send("PUT", f"/user/{req.email}", payload)
        else:
            payload.update(Name=req.email, EmailAddress=req.email)
            r, body, bad = self._send("POST", "/user", payload)
        if bad is not None:
            return bad
        msgs = message_list(body)
        fails = rt_failures(msgs)
        if fails:
            return PushResult(Outcome.REJECTED, message="; ".join(fails), messages=tuple(msgs))
        return PushResult(Outcome.DONE, remote_ref=req.email, messages=tuple(msgs))

    @_redacted
    def upsert_order(self, req: Order) -> PushResult:
        """Orders are assets in the Orders catalog, named by order number."""
        cfs = {
            ORDER_CFS[k]: str(getattr(req, k))
            for k in ORDER_CFS
            if getattr(req, k) not in ("", None)
        }
        try:
            found = self._get_json(
                "/assets",
                query=f"Catalog = '{ORDERS_CATALOG}' AND Name = {quote_value(req.order_no)}",
            )
        except (httpx.HTTPError, ValueError) as exc:
            return uncertain(exc)
        items = found.get("items") or []
        aid: str | None
        if items:
            aid = str(items[0]["id"])
            r, body, bad = self._send("PUT", f"/asset/{aid}", {"CustomFields": cfs})
        else:
            r, body, bad = self._send(
                "POST",
                "/asset",
                {"Name": req.order_no, "Catalog": ORDERS_CATALOG, "CustomFields": cfs},
            )
            aid = str(body.get("id")) if isinstance(body, dict) and body.get("id") else None
        if bad is not None:
            return bad
        fails = rt_failures(message_list(body)) if isinstance(body, list) else []
        if fails:
            return PushResult(Outcome.REJECTED, message="; ".join(fails))
        return PushResult(Outcome.DONE, remote_ref=aid)

    # --- reconciliation --------------------------------------------------------------------

    def _search_all(self, path: str, query: str, fields: str) -> Iterator[dict[str, Any]]:
        page = 1
        while True:
            data = self._get_json(
                path,
                query=query,
                fields=fields,
                per_page=self.per_page,
                page=page,
                orderby="id",
                order="ASC",
            )
            items = data.get("items") or []
            if not items:
                return
            yield from items
            page += 1

    def find_by_op_id(self, op_id: str) -> list[OpMatch]:
        """Every ticket (OpId) and transaction (ClientOpId) carrying ``op_id``.

        Raises httpx errors: an op cannot be reconciled while RT is unreachable.
        """
        out: list[OpMatch] = []
        query = f"CF.{{{CF_OP_ID}}} = {quote_value(op_id)} AND {OUR_TYPES}"
        for it in self._search_all("/tickets", query, "id"):
            out.append(OpMatch("ticket", str(it["id"]), str(it["id"])))
        for it in self._search_all(
            "/transactions", f"CF.{{{CF_CLIENT_OP_ID}}} = {quote_value(op_id)}", "ObjectId"
        ):
            out.append(OpMatch("transaction", str(it["id"]), str(it.get("ObjectId", ""))))
        return out

    def duplicate_op_ids(self) -> dict[str, list[OpMatch]]:
        """Op ids found on more than one ticket or transaction (should be none)."""
        seen: dict[str, list[OpMatch]] = defaultdict(list)
        query = f"CF.{{{CF_OP_ID}}} IS NOT NULL AND {OUR_TYPES}"
        for it in self._search_all("/tickets", query, "CustomFields"):
            for v in _cf_map(it.get("CustomFields")).get(CF_OP_ID, []):
                seen[v].append(OpMatch("ticket", str(it["id"]), str(it["id"])))
        for it in self._search_all(
            "/transactions", f"CF.{{{CF_CLIENT_OP_ID}}} IS NOT NULL", "ObjectId,CustomFields"
        ):
            for v in _cf_map(it.get("CustomFields")).get(CF_CLIENT_OP_ID, []):
                seen[v].append(OpMatch("transaction", str(it["id"]), str(it.get("ObjectId"))))
        return {k: v for k, v in seen.items() if len(v) > 1}


def from_env(env: dict[str, str] | None = None, **kw: Any) -> RTBackend:
    """Build the adapter from CS_CONSOLE_RT_URL + CS_CONSOLE_RT_TOKEN or _USER/_PASSWORD."""
    import os

    env = dict(os.environ if env is None else env)
    url = env.get("CS_CONSOLE_RT_URL")
    if not url:
        raise LookupError("CS_CONSOLE_RT_URL is not set")
    token = env.get("CS_CONSOLE_RT_TOKEN")
    user = env.get("CS_CONSOLE_RT_USER")
    if not token and not user:
        raise LookupError(
            "set CS_CONSOLE_RT_TOKEN, or CS_CONSOLE_RT_USER and CS_CONSOLE_RT_PASSWORD"
        )
    return RTBackend(url, token=token, user=user, password=env.get("CS_CONSOLE_RT_PASSWORD"), **kw)
