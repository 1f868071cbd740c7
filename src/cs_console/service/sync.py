"""Sync through the service: a round's pulled data is applied by :class:`Inbound`, and the
agent's conflict decisions are one transaction with their audit row."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from cs_console.config import EscalationSettings, RtSettings
from cs_console.policy.routing import RoutingRule
from cs_console.policy.sla import SlaConfig
from cs_console.service.desk import Agent, Desk
from cs_console.service.escalation import DEFAULT_PER_ROUND, AutoEscalation, Overdue
from cs_console.service.followups import Followups
from cs_console.service.inbound import Inbound
from cs_console.service.session import open_desk
from cs_console.service.team import TeamChange, refresh_due, refresh_team
from cs_console.sync.backends.base import Backend
from cs_console.sync.connect import NotConfigured, backend_for
from cs_console.sync.engine import AuthRequired, Offline, SyncEngine, SyncReport

__all__ = [
    "AuthRequired",
    "NotConfigured",
    "Offline",
    "Overdue",
    "Round",
    "SyncReport",
    "SyncService",
    "sync_session",
]

ONLINE_KEY = "online"


@dataclass(frozen=True)
class Round:
    """A finished round: the engine's report, the local tickets it changed and the overdue
    tickets it escalated on its own (those due longest ago first)."""

    report: SyncReport
    changed: list[int]
    escalated: list[Overdue] = field(default_factory=list)


class SyncService:
    """Sync rounds and conflict decisions for one Desk (its store and agent). Each round also
    escalates overdue tickets (``auto_escalate``, at most ``escalate_per_round`` a round)."""

    def __init__(
        self,
        desk: Desk,
        backend: Backend | None,
        *,
        auto_escalate: bool = True,
        escalate_per_round: int | None = None,
        **engine_options: Any,
    ) -> None:
        self.desk = desk
        self.backend = backend
        per_round = escalate_per_round or DEFAULT_PER_ROUND
        self.escalation = AutoEscalation(desk, per_round) if auto_escalate else None
        options = {"clock": desk.store.clock, **engine_options}
        self.engine = SyncEngine(desk.store, backend, inbound=Inbound(desk), **options)

    def round(self, **options: Any) -> Round:
        """Push the outbox, then pull; then escalate what is overdue (offline too: the ops wait
        in the outbox) and, when RT answered, push those escalations at once. Records whether
        the backend answered."""
        store = self.desk.store
        before = store.latest_update()
        Followups(self.desk).create_birthday_greetings()  # once a day; pushed in this round
        report = self.engine.sync_once(**options)
        store.set_sync_value(ONLINE_KEY, "0" if report.offline else "1")
        if not report.offline and self.backend is not None and refresh_due(self.desk):
            self.refresh_team(report)
        escalated = self.escalation.run() if self.escalation is not None else []
        if escalated and not report.offline and self.backend is not None:
            self._push_more(report)
        changed = store.tickets_updated_since(before)
        changed += [item.ticket_id for item in escalated if item.ticket_id not in changed]
        return Round(report, changed, escalated)

    def _push_more(self, report: SyncReport) -> None:
        """A push-only pass for what the round queued after its own push; its figures join the
        round's report."""
        more = self.engine.sync_once(pull=False)
        report.pushed += more.pushed
        report.pending, report.uncertain = more.pending, more.uncertain
        report.rejected, report.conflicts = more.rejected, more.conflicts
        report.offline = report.offline or more.offline
        report.auth_required = report.auth_required or more.auth_required
        report.errors.extend(more.errors)

    def refresh_team(self, report: SyncReport | None = None) -> TeamChange | None:
        """Agents and roles from RT's team groups into the agents table (see service.team)."""
        assert self.backend is not None
        try:
            return refresh_team(self.desk, self.backend)
        except httpx.HTTPError as exc:
            if report is not None:
                report.errors.append(f"team: could not read RT's groups ({exc})")
            return None

    def decide_conflict(self, seq: int, keep_mine: bool) -> dict[str, Any]:
        """The agent's call on a conflict: ``keep_mine`` resends the change over RT's current
        version (read first, outside the transaction); otherwise the change is dropped (kept as
        rejected). The decision and its audit row are written together. Returns the op."""
        op = self.engine.conflict(seq)
        etag = self.engine.resend_base(op) if keep_mine else None
        decision = "keep_mine" if keep_mine else "take_theirs"
        with self.desk.work() as work:
            self.engine.decide(op, keep_mine, etag)
            work.audit(
                "sync_conflict",
                op["ticket_id"],
                {"seq": seq, "decision": decision, "op_id": op["op_id"], "kind": op["kind"]},
            )
        return op


@contextmanager
def sync_session(
    path: str | os.PathLike[str],
    agent: Agent | str,
    settings: RtSettings,
    *,
    sla_config: SlaConfig | None = None,
    need_backend: bool = True,
    escalation: EscalationSettings | None = None,
    routing: RoutingRule | None = None,
    **engine_options: Any,
) -> Iterator[SyncService]:
    """A SyncService on its own connection to the cache (for a worker thread or the CLI),
    escalating overdue tickets as ``escalation`` says (default: on) and routing new tickets by
    ``routing``. Raises NotConfigured when a backend is needed and none is configured."""
    escalation = escalation or EscalationSettings()
    with open_desk(path, agent, sla_config, routing) as desk:
        try:
            backend = backend_for(settings)
        except NotConfigured:
            if need_backend:
                raise
            yield SyncService(
                desk,
                None,
                auto_escalate=escalation.auto,
                escalate_per_round=escalation.per_round,
                **engine_options,
            )
            return
        options = {
            "backoff_base": settings.backoff_base_seconds,
            "backoff_cap": settings.backoff_cap_seconds,
            **engine_options,
        }
        with backend as entered:
            yield SyncService(
                desk,
                entered,
                auto_escalate=escalation.auto,
                escalate_per_round=escalation.per_round,
                **options,
            )
