"""The sync engine: push the outbox (exactly once), then pull tickets and the change feed.

Push rules (DESIGN.md section 5):
* ops go out in ``seq`` order; a ticket's later ops wait while an earlier one is not done
  (a conflict blocks its ticket until the agent decides; a rejected op does not block);
* the op is marked ``in_flight`` and committed *before* the request leaves;
* an ``uncertain`` (or leftover ``in_flight``) op is reconciled before anything is resent:
  creates and messages by their op id (``OpId`` / ``ClientOpId``), field changes by comparing the
  ticket's current values;
* uncertain outcomes back off exponentially with jitter, never sooner than ``Retry-After``;
  a transport failure means offline: the pass stops and the ops stay queued;
* 401 stops the pass and keeps the op (credentials are asked for again);
* after our own change, the new ETag becomes the base of the ticket's later ops only when the
  history shows nobody else changed the ticket meanwhile.

Pull rules: tickets by ``LastUpdated >=`` cursor (the adapter subtracts an overlap), every page
until an empty one, then ONE transaction upserts them and saves the cursor; the transaction feed
the same way (messages, merges, deletions, ETags). Tickets with unsent ops keep their local state.
A ticket whose LastUpdated we hold already is passed over; when the feed shows it changed (in
the second of our last read: LastUpdated counts whole seconds), it is read again in that round.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import random
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Protocol

import httpx

from cs_console.clock import Clock, SystemClock, parse_iso
from cs_console.store.db import Store
from cs_console.store.outbox import OutboxTable, steps_done
from cs_console.sync.backends.base import (
    Backend,
    Outcome,
    PushResult,
    RemoteMessage,
    RemoteTicket,
    plain_http_status,
    plain_transport_error,
)
from cs_console.sync.planning import (
    Blocked,
    Invalid,
    Step,
    backoff_seconds,
    due,
    is_shared,
    later,
    plan,
)

log = logging.getLogger(__name__)

TICKET_CURSOR = "rt.tickets_cursor"
FEED_CURSOR = "rt.txn_cursor"
DUPLICATES = "rt.duplicate_op_ids"
REFETCH = "rt.refetch_tickets"
#: Transaction types that change a ticket's fields (the ticket is read again next pull).
FIELD_CHANGES = frozenset({"Status", "Set", "Take", "Untake", "Give", "Steal", "Force"})
MAX_FEED_PAGES = 200


class Inbound(Protocol):
    """Where pulled data goes: the service layer stores it (triage, SLA clocks, audit). Called
    inside the engine's pull transaction, so the cursor moves only past what was stored."""

    def remote_ticket(self, remote: RemoteTicket, local: dict[str, Any] | None) -> bool: ...

    def remote_message(self, ticket_id: int, message: RemoteMessage, direction: str) -> None: ...

    def closed_remotely(self, ticket_id: int, tag: str) -> None: ...

    def reminder_resolved(self, remote_id: int, who: str, when: str) -> bool: ...


class Offline(Exception):
    """The backend cannot be reached; everything stays queued."""


class AuthRequired(Exception):
    """The backend refused our credentials (401)."""


@dataclass
class SyncReport:
    pulled: int = 0
    pushed: int = 0
    pending: int = 0
    uncertain: int = 0
    rejected: int = 0
    conflicts: int = 0
    # beyond the CLI contract:
    offline: bool = False
    auth_required: bool = False
    errors: list[str] = field(default_factory=list)
    duplicates: dict[str, list[str]] = field(default_factory=dict)
    skipped: int = 0

    def summary(self) -> dict[str, int]:
        """The `cs-console sync --once --json` object."""
        return {
            k: getattr(self, k)
            for k in ("pulled", "pushed", "pending", "uncertain", "rejected", "conflicts")
        }

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class SyncEngine:
    def __init__(
        self,
        store: Store,
        backend: Backend | None,
        *,
        inbound: Inbound | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        backoff_base: float = 2.0,
        backoff_cap: float = 300.0,
        settle_seconds: float | None = None,
    ) -> None:
        self.store = store
        self._backend = backend
        self.inbound = inbound
        self.clock = clock or store.clock or SystemClock()
        self.outbox = OutboxTable(store)
        self.rng = rng or random.Random()
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        timeout = getattr(getattr(backend, "client", None), "timeout", None)
        read = getattr(timeout, "read", None) if timeout is not None else None
        self.settle_seconds = settle_seconds if settle_seconds is not None else float(read or 30)

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            raise Offline("no backend configured")
        return self._backend

    # -- one round ---------------------------------------------------------------------

    def sync_once(self, *, push: bool = True, pull: bool = True, sweep: bool = False) -> SyncReport:
        rep = SyncReport()
        try:
            if push:
                try:
                    reconciled = self.push(rep)
                except Offline as exc:
                    # the pass stops, its ops stay queued; the pull still runs, so customers'
                    # messages arrive on a line that loses writes (it says offline if RT is down)
                    rep.errors.append(f"push stopped: {exc}")
                    if not pull:
                        raise
                else:
                    if sweep or reconciled:
                        self.sweep(rep)
            if pull:
                self.pull(rep)
        except Offline as exc:
            rep.offline = True
            rep.errors.append(f"offline: {exc}")
        except AuthRequired as exc:
            rep.auth_required = True
            rep.errors.append(f"credentials refused: {exc}")
        counts = self.outbox.counts()
        rep.pending = counts.get("pending", 0) + counts.get("in_flight", 0)
        rep.uncertain = counts.get("uncertain", 0)
        rep.rejected = counts.get("rejected", 0)
        rep.conflicts = counts.get("conflict", 0)
        return rep

    # -- push --------------------------------------------------------------------------

    def push(self, rep: SyncReport) -> int:
        """Send what is due. Returns how many ops needed reconciliation."""
        reconciled = 0
        blocked: set[Any] = set()
        now = self.now()
        for listed in self.outbox.ops_to_consider():
            # re-read: an earlier op of the same ticket may have moved this one's base ETag
            op = self.store.op(int(listed["seq"])) or listed
            key = op["ticket_id"] if op["ticket_id"] is not None else f"op:{op['seq']}"
            if op["state"] == "conflict":
                blocked.add(key)
                continue
            if key in blocked or not due(op, now):
                blocked.add(key)
                continue
            try:
                steps = plan(op, self.store)
            except Invalid as exc:
                self.outbox.mark_rejected(op, f"not sent: {exc}")
                continue
            except Blocked as exc:
                if op.get("last_error") != str(exc):
                    self.outbox.mark_pending(op, str(exc))
                blocked.add(key)
                continue
            if op["state"] in ("uncertain", "in_flight"):
                reconciled += 1
            outcome = self.push_op(op, steps)
            if outcome is Outcome.DONE:
                rep.pushed += 1
            elif outcome is not Outcome.REJECTED:
                blocked.add(key)
        return reconciled

    def _done_steps(
        self, op: dict[str, Any], steps: list[Step], recorded: dict[int, str | None]
    ) -> dict[int, str | None]:
        """Reconcile: which steps of an uncertain op already happened remotely (index -> ref),
        beyond the ``recorded`` ones."""
        try:
            matches = self.backend.find_by_op_id(op["op_id"])
        except (httpx.HTTPError, ValueError) as exc:
            raise Offline(f"cannot reconcile {op['op_id']}: {exc}") from exc
        done: dict[int, str | None] = dict(recorded)
        for i, step in enumerate(steps):
            if i in done:
                continue
            if step.marker in ("ticket", "transaction"):
                hit = [m for m in matches if m.kind == step.marker]
                if hit:
                    done[i] = hit[0].remote_id
            elif step.marker == "fields" and all(j in done for j in range(i)):
                try:
                    current = self.backend.ticket_fields(step.request.ticket_id)
                except (httpx.HTTPError, ValueError) as exc:
                    raise Offline(str(exc)) from exc
                want = {k: str(v) for k, v in step.request.fields.items()}
                if all(current.get(k) == v for k, v in want.items()):
                    done[i] = step.request.ticket_id
        return done

    def _made_elsewhere(
        self, op: dict[str, Any], steps: list[Step], recorded: dict[int, str | None]
    ) -> dict[int, str | None]:
        """A shared op (``planning.shared_op_id``) this console has not sent yet: when RT holds
        what it creates under the same op id, another console made the change, and its op
        carries out the rest (its own field values, its own reconciliation): every step counts
        as done here and nothing is sent."""
        try:
            matches = self.backend.find_by_op_id(op["op_id"])
        except (httpx.HTTPError, ValueError) as exc:
            raise Offline(f"cannot reconcile {op['op_id']}: {exc}") from exc
        creates = [s.marker for s in steps if s.marker in ("ticket", "transaction")]
        found = [m for m in matches if m.kind in creates]
        if not found:
            return dict(recorded)
        log.info("op %s was made by another console: %s", op["op_id"], found)
        return {
            i: recorded.get(i, found[0].remote_id if step.marker == found[0].kind else None)
            for i, step in enumerate(steps)
        }

    def push_op(self, op: dict[str, Any], steps: list[Step]) -> Outcome:
        """Send the op's steps that are not in RT yet.

        The op state machine (docs/rt.md, "The outbox op"): ``pending`` -> ``in_flight``
        (committed before the request leaves, with a settle time) -> ``done``, ``rejected``,
        ``conflict`` or ``uncertain``. Every path out of ``in_flight``/``uncertain`` reconciles
        by the op id before anything is resent; each finished step of a multi-step op is
        recorded at once, so a resumed op (after a crash, a timeout or "keep mine") never sends
        a step twice.
        """
        recorded = steps_done(op)
        already = dict(recorded)
        ticket = self.store.ticket(op["ticket_id"]) if op["ticket_id"] is not None else None
        if op["state"] in ("uncertain", "in_flight"):
            already = self._done_steps(op, steps, recorded)
        elif not recorded and is_shared(op, ticket):
            # nothing of it sent by us yet (a step of ours recorded: we are the one making it)
            already = self._made_elsewhere(op, steps, recorded)
        own = str(ticket["remote_id"]) if ticket and ticket.get("remote_id") else None
        base = op.get("base_etag") or (ticket or {}).get("remote_etag")
        self.outbox.mark_in_flight(op, later(self.now(), self.settle_seconds))
        refs: list[tuple[str, str | None]] = []
        warnings: list[str] = []
        last_ref = None
        for i, step in enumerate(steps):
            if i in already:
                refs.append((step.action, already[i]))
                last_ref = already[i]
                if i not in recorded and len(steps) > 1:
                    self.outbox.record_step(op, i, already[i])
                continue
            # the support ticket's version guards changes to it; a step on another ticket (the
            # Returns ticket of a decision) must not carry it, or it 412s for nothing
            on_own = _target(step) is not None and _target(step) == own
            res = self._send(step, base if on_own else None)
            if res.outcome is Outcome.CONFLICT and step.action == "set_fields" and on_own:
                res, base = self._recheck_conflict(op, ticket, step, base, res)
            if res.outcome is Outcome.DONE:
                refs.append((step.action, res.remote_ref))
                last_ref = res.remote_ref
                warnings.extend(res.warnings)
                if len(steps) > 1:
                    self.outbox.record_step(op, i, res.remote_ref)
                continue
            return self._failed(op, res, refs)
        self.outbox.mark_done(op, last_ref, "; ".join(warnings) or None, refs)
        if self._queued_after(op):
            self._adopt(op, ticket, base)
        return Outcome.DONE

    def _queued_after(self, op: dict[str, Any]) -> bool:
        """Whether a later op of the same ticket waits to be sent. Only such an op needs the
        new ETag now (it costs one or two reads per push); otherwise the next pull's feed
        brings it, and an op queued meanwhile meets a 412 that ``_recheck_conflict`` settles."""
        if op["ticket_id"] is None:
            return False
        return any(
            later["seq"] > op["seq"] and later["state"] not in ("done", "rejected")
            for later in self.store.ops_of_ticket(int(op["ticket_id"]))
        )

    def _recheck_conflict(
        self,
        op: dict[str, Any],
        ticket: dict[str, Any] | None,
        step: Step,
        base: str | None,
        res: PushResult,
    ) -> tuple[PushResult, str | None]:
        """A 412 is a conflict only when someone else changed a field we are changing. Our own
        earlier step (an escalation's comment), a customer's reply or a lost answer move the
        ETag too: then adopt the current ETag and send once more. A history we cannot read
        leaves the op uncertain (retried), never a conflict."""
        tid = step.request.ticket_id
        try:
            if self.backend.foreign_changes(tid, base, set(step.request.fields)):
                return res, base  # someone else changed what we change: a real conflict
            new = self.backend.current_etag(tid)
        except (httpx.HTTPError, ValueError) as exc:
            return PushResult(
                Outcome.UNCERTAIN,
                message=f"RT said the ticket changed, and its history could not be read: {exc}",
                status_code=412,
            ), base
        if new is None:
            return PushResult(Outcome.REJECTED, message=f"ticket {tid} is no longer in RT"), base
        if new == base:
            return res, base
        if ticket is not None:
            self.outbox.adopt_etag(ticket["id"], base, new)
        return self._send(step, new), new

    def _send(self, step: Step, base: str | None) -> PushResult:
        b = self.backend
        if step.action == "create_ticket":
            return b.create_ticket(step.request)
        if step.action == "create_return":
            return b.create_return(step.request)
        if step.action == "create_reminder":
            return b.create_reminder(step.request)
        if step.action == "reply":
            return b.reply(step.request)
        if step.action == "comment":
            return b.comment(step.request)
        if step.action == "set_fields":
            return b.set_fields(step.request, base)
        raise ValueError(step.action)

    def _failed(
        self, op: dict[str, Any], res: PushResult, refs: list[tuple[str, str | None]]
    ) -> Outcome:
        now = self.now()
        res = dataclasses.replace(res, message=f"{about(op)}: {res.message or res.outcome}")
        if res.outcome is Outcome.REJECTED:
            self.outbox.mark_rejected(op, res.message or "rejected")
            self._refetch(op)  # the cache shows a change RT refused: read RT's version back
        elif res.outcome is Outcome.CONFLICT:
            self.outbox.mark_conflict(op, res.message or "changed remotely")
        elif res.outcome is Outcome.AUTH:
            # 401: nothing was applied; keep the op as it was and ask for credentials.
            self.outbox.mark_pending(op, f"auth: {res.message}")
            raise AuthRequired(res.message)
        elif not res.sent and not refs:
            # the connection never opened: nothing happened remotely, the op stays pending
            self.outbox.mark_pending(op, res.message)
            raise Offline(res.message)
        else:
            delay = backoff_seconds(
                int(op["attempts"]),
                res.retry_after,
                base=self.backoff_base,
                cap=self.backoff_cap,
                rng=self.rng,
            )
            if res.status_code is None:
                # no answer (timeout, reset): the server may still be working on it. Reconcile
                # only once such a request must have finished, or a late commit looks absent.
                delay = max(delay, self.settle_seconds)
            self.outbox.mark_uncertain(op, res.message or "uncertain", later(now, delay))
            if res.status_code is None:  # no answer at all: network down or server gone
                raise Offline(res.message)
        return res.outcome

    def _adopt(self, op: dict[str, Any], ticket: dict[str, Any] | None, base: str | None) -> None:
        """After our change: if nobody else touched the ticket, later ops build on its new ETag."""
        if ticket is None:
            return
        ticket = self.store.ticket(ticket["id"]) or ticket
        remote = ticket.get("remote_id")
        if remote is None:
            return
        try:
            new = self.backend.current_etag(str(remote))
            if new is None:
                return
            if base is not None and self.backend.foreign_changes(str(remote), base):
                return  # someone else changed it: later ops keep their base and may conflict
        except (httpx.HTTPError, ValueError) as exc:
            log.info("etag after push of %s: %s", op["op_id"], exc)
            return
        self.outbox.adopt_etag(ticket["id"], base, new)

    def resolve_conflict(self, seq: int, keep_mine: bool) -> None:
        """The agent's decision on a conflict: send the change over RT's current version, or
        drop it (kept as ``rejected`` with a note, never deleted). Needs RT for ``keep_mine``.
        The service's ``SyncService.decide_conflict`` does the same with its audit row."""
        op = self.conflict(seq)
        self.decide(op, keep_mine, self.resend_base(op) if keep_mine else None)

    def conflict(self, seq: int) -> dict[str, Any]:
        """The op ``seq``, which must be in conflict."""
        op = self.store.op(seq)
        if op is None or op["state"] != "conflict":
            raise ValueError(f"op {seq} is not in conflict")
        return op

    def resend_base(self, op: dict[str, Any]) -> str | None:
        """RT's current version of the op's ticket: what "keep mine" sends over."""
        ticket = self.store.ticket(op["ticket_id"]) if op["ticket_id"] is not None else None
        if ticket is None or ticket.get("remote_id") is None:
            return None
        try:
            return self.backend.current_etag(str(ticket["remote_id"]))
        except (httpx.HTTPError, ValueError) as exc:
            raise Offline(str(exc)) from exc

    def decide(self, op: dict[str, Any], keep_mine: bool, etag: str | None) -> None:
        """Write the decision (in the caller's transaction when there is one)."""
        with self.store.transaction():
            self.conflict(int(op["seq"]))  # still in conflict inside this transaction
            if keep_mine:
                self.outbox.reopen_conflict(int(op["seq"]), etag)
            else:
                self.outbox.mark_rejected(op, "dropped by the agent after a conflict")
                self._refetch(op)

    def _refetch(self, op: dict[str, Any]) -> None:
        """Taking RT's version: the dropped change is still in the cache, and RT's ticket may
        not change again, so the next pull reads it whatever its LastUpdated."""
        ticket = self.store.ticket(op["ticket_id"]) if op["ticket_id"] is not None else None
        if ticket is None or ticket.get("remote_id") is None:
            return
        wanted = set(json.loads(self.store.sync_value(REFETCH) or "[]")) | {
            int(ticket["remote_id"])
        }
        self.store.set_sync_value(REFETCH, json.dumps(sorted(wanted)))

    def sweep(self, rep: SyncReport) -> None:
        """Flag op ids found on two tickets or transactions (should never happen)."""
        try:
            dups = self.backend.duplicate_op_ids()
        except (httpx.HTTPError, ValueError) as exc:
            rep.errors.append(f"sweep: {exc}")
            return
        rep.duplicates = {k: [f"{m.kind}:{m.remote_id}" for m in v] for k, v in dups.items()}
        self.store.set_sync_value(DUPLICATES, json.dumps(rep.duplicates) if dups else None)
        for op_id, where in rep.duplicates.items():
            log.error("op %s exists %d times in RT: %s", op_id, len(where), where)

    # -- pull --------------------------------------------------------------------------

    def pull(self, rep: SyncReport) -> None:
        try:
            self._pull_tickets(rep)
            if self._pull_feed(rep):
                self._pull_changed(rep)
        except httpx.TransportError as exc:
            raise Offline(f"pull: {plain_transport_error(exc)}") from exc
        except httpx.HTTPStatusError as exc:
            if exc.response.status_code == 401:
                raise AuthRequired(str(exc)) from exc
            status = exc.response.status_code
            rep.errors.append(f"pull: {plain_http_status(status, str(exc))}")
        except ValueError as exc:  # malformed answer: logged, nothing committed
            rep.errors.append(f"pull: {exc}")
            log.warning("pull: %s", exc)

    def _pull_tickets(self, rep: SyncReport) -> None:
        cursor = self.store.sync_value(TICKET_CURSOR)
        since = parse_iso(cursor) if cursor else None
        latest: dict[str, RemoteTicket] = {}
        page = 1
        while True:
            p = self.backend.pull_tickets(since, page)
            rep.skipped += p.skipped
            for t in p.items:
                prev = latest.get(t.remote_id)
                if prev is None or prev.last_updated <= t.last_updated:
                    latest[t.remote_id] = t
            if not p.more:
                break
            page += 1
        new_cursor = max([cursor or ""] + [t.last_updated for t in latest.values()]) or None
        self._apply_tickets(rep, latest, new_cursor)

    def _pull_changed(self, rep: SyncReport) -> None:
        """Read again, in this same round, the tickets the feed saw change. LastUpdated counts
        whole seconds: a change made in the second of our last read (another console's claim)
        carries the LastUpdated we already hold, so the ticket search passed it over as seen."""
        self._apply_tickets(rep, {}, None)

    def _apply_tickets(
        self, rep: SyncReport, latest: dict[str, RemoteTicket], new_cursor: str | None
    ) -> None:
        """Store pulled tickets, and save the cursor, in one transaction. Also read RT's
        version of tickets whose local change was dropped or refused, and of tickets the feed
        saw change, whatever their LastUpdated."""
        refetch = json.loads(self.store.sync_value(REFETCH) or "[]")
        refetched = {str(r) for r in refetch}
        if refetch:
            for t in self.backend.tickets_by_id(sorted(refetched)):
                latest[t.remote_id] = t
        inbound = self._inbound()
        with self.store.transaction():
            unsent = self.store.unsent_tickets()
            for t in latest.values():
                if t.is_return_request:
                    continue  # return requests live in `returns`, not in the agent's queue
                local = self.store.ticket_by_remote(int(t.remote_id))
                if local is not None and (
                    local["id"] in unsent
                    or (
                        local.get("remote_updated_at") == t.last_updated
                        and t.remote_id not in refetched
                    )
                ):
                    continue  # queued local changes win until sent; or seen already (overlap)
                if inbound.remote_ticket(t, local):
                    rep.pulled += 1
            if new_cursor:
                self.store.set_sync_value(TICKET_CURSOR, new_cursor)
            if refetch:
                self.store.set_sync_value(REFETCH, None)

    def _inbound(self) -> Inbound:
        if self.inbound is None:
            raise ValueError("the engine has no inbound handler: pull through the service")
        return self.inbound

    def _pull_feed(self, rep: SyncReport) -> bool:
        """Messages, merges, deletions and ETags from the change feed. Returns whether it saw
        field changes on tickets (read again by ``_pull_changed``)."""
        after = self.store.sync_value(FEED_CURSOR)
        txns, msgs = [], []
        for _ in range(MAX_FEED_PAGES):
            p = self.backend.pull_transactions(after)
            rep.skipped += p.skipped
            txns.extend(p.transactions)
            msgs.extend(p.messages)
            if p.last_id is not None:
                after = p.last_id
            if p.error:
                rep.errors.append(f"pull: {p.error}; read again next round")
            if not p.more:
                break
        if not txns and after == self.store.sync_value(FEED_CURSOR):
            return False
        inbound = self._inbound()
        with self.store.transaction():
            unsent = self.store.unsent_tickets()
            local: dict[str, int | None] = {}

            def local_id(remote: str) -> int | None:
                if remote not in local:
                    local[remote] = self.store.local_ticket_id(int(remote))
                return local[remote]

            etags: dict[int, int] = {}
            changed: set[int] = set()
            for tx in txns:
                lid = local_id(tx.ticket_id)
                if lid is None:
                    # a follow-up's reminder resolved in RT (its web UI, or our own push)
                    resolved = tx.type == "Status" and tx.new_value == "resolved"
                    if resolved and inbound.reminder_resolved(
                        int(tx.ticket_id), tx.creator, tx.created
                    ):
                        rep.pulled += 1
                    continue
                etags[lid] = max(etags.get(lid, 0), int(tx.remote_id))
                if tx.type in FIELD_CHANGES:
                    changed.add(int(tx.ticket_id))
                deleted = tx.type == "Status" and tx.new_value == "deleted"
                merged = tx.field == "MergedInto" or tx.type == "MergedInto"
                if (deleted or merged) and lid not in unsent:
                    inbound.closed_remotely(lid, "deleted" if deleted else "merged")
            for m in msgs:
                lid = local_id(m.ticket_id)
                if lid is None:
                    continue
                remote_id = int(m.remote_id)
                if m.op_id and self.store.link_message(m.op_id, remote_id):
                    continue  # our own message, back from RT
                if self.store.message_known(remote_id, m.op_id):
                    continue
                if m.kind == "create" and self.store.ticket_has_body(lid, m.content):
                    continue  # the first message of a ticket we created from the cache
                direction = {"comment": "note"}.get(m.kind, "in")
                if m.kind == "correspond" and self.store.requestor_email(lid) != m.author:
                    direction = "out"
                inbound.remote_message(lid, m, direction)
                rep.pulled += 1
            for lid, etag in etags.items():
                if lid not in unsent:
                    self.store.set_remote_etag(lid, str(etag))
            if changed:
                wanted = set(json.loads(self.store.sync_value(REFETCH) or "[]")) | changed
                self.store.set_sync_value(REFETCH, json.dumps(sorted(wanted)))
            self.store.set_sync_value(FEED_CURSOR, after)
        return bool(changed)


def about(op: dict[str, Any]) -> str:
    """Which change an error concerns, for the agent: "reply on ticket #12 (op 1a2b3c4d)"."""
    kind = str(op.get("kind", "change")).replace("_", " ")
    where = f" on ticket #{op['ticket_id']}" if op.get("ticket_id") is not None else ""
    return f"{kind}{where} (op {str(op.get('op_id', ''))[:8]})"


def _target(step: Step) -> str | None:
    """The remote ticket a step changes (None for a create)."""
    ticket_id = getattr(step.request, "ticket_id", None)
    return str(ticket_id) if ticket_id is not None else None


def sync_once(store: Store, backend: Backend, inbound: Inbound, **kw: Any) -> SyncReport:
    return SyncEngine(store, backend, inbound=inbound).sync_once(**kw)
