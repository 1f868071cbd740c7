"""Sync through the service: a round's pulled data is applied by :class:`Inbound`, and the
agent's conflict decisions are one transaction with their audit row."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from cs_console.config import EscalationSettings, RtSettings
from cs_console.i18n import language
from cs_console.policy.routing import RoutingRule
from cs_console.policy.sla import SlaConfig
from cs_console.service.desk import Agent, Desk
from cs_console.service.errors import render
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
    "problem_text",
    "report_problems",
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
        the backend answered. Without a backend (the demo) the round only escalates and makes
        the day's greetings: nothing is pushed or pulled, and online/offline is left unsaid."""
        store = self.desk.store
        before = store.latest_update()
        Followups(self.desk).create_birthday_greetings()  # once a day; pushed in this round
        if self.backend is None:
            report = SyncReport()
        else:
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


# -- problems in the agent's language ---------------------------------------------------
#
# The sync layer says what went wrong in English (logs, the report's JSON). The shells show
# this instead: each known phrase of a problem (``offline: pull: RT could not be reached (no
# connection): [Errno 111] ...``) by its key, and what follows the last known phrase, the
# backend's own redacted text, as data.

#: Phrases the engine and the backends put before a colon (sync/engine.py, backends/base.py).
PHRASES = {
    "push stopped": "sync.problem.push_stopped",
    "offline": "sync.problem.offline",
    "credentials refused": "sync.problem.auth",
    "sweep": "sync.problem.sweep",
    "pull": "sync.problem.pull",
    "team": "sync.problem.team",
    "no backend configured": "sync.problem.no_backend",
    "RT could not be reached in time": "sync.problem.connect_timeout",
    "RT could not be reached (no connection)": "sync.problem.no_connection",
    "RT did not answer in time (the change may have been made)": "sync.problem.timeout",
    "the connection to RT broke (the change may have been made)": "sync.problem.broke",
    "talking to RT failed": "sync.problem.failed",
    "RT asked us to slow down (429); retried later": "sync.problem.slow_down",
}
#: Phrases with a figure in them: pattern, key (the groups fill its fields).
NUMBERED = (
    (
        re.compile(r"RT had a problem answering \((?P<status>\d+)\); retried later"),
        "sync.problem.rt_failed",
    ),
    (re.compile(r"cannot reconcile (?P<op>\S+)"), "sync.problem.reconcile"),
    (re.compile(r"op (?P<seq>\d+) is not in conflict"), "sync.problem.not_in_conflict"),
    (re.compile(r"could not read RT's groups \((?P<detail>.*)\)"), "sync.problem.groups"),
)
#: What sync.connect.NotConfigured says, whole.
NOT_CONFIGURED = {
    "no backend: set CS_CONSOLE_RT_URL (or [rt] url in the config)": "sync.problem.no_url",
    "set CS_CONSOLE_RT_TOKEN, or CS_CONSOLE_RT_USER and CS_CONSOLE_RT_PASSWORD": (
        "sync.problem.no_credentials"
    ),
}


def problem_text(problem: Exception | str, lang: str | None = None) -> str:
    """A sync failure (NotConfigured, Offline, AuthRequired, an op not in conflict) or one of
    a round's ``report.errors`` entries, in ``lang`` (default: the interface language)."""
    lang = lang or language()
    text = str(problem)
    if isinstance(problem, NotConfigured):
        key = NOT_CONFIGURED.get(text)
        if key is not None:
            return render(key, {}, lang)
        return _joined(render("sync.problem.not_configured", {}, lang), text, lang)
    if isinstance(problem, AuthRequired):
        return _joined(render("sync.problem.auth", {}, lang), text, lang)
    if isinstance(problem, Offline):
        return _joined(render("sync.problem.offline", {}, lang), _said(text, lang), lang)
    return _said(text, lang)


def report_problems(report: SyncReport, lang: str | None = None) -> list[str]:
    """The round's problems (``report.errors``), each in ``lang``."""
    return [problem_text(entry, lang) for entry in report.errors]


def _said(text: str, lang: str) -> str:
    """``text`` with its leading known phrases translated; the rest is data, as it is."""
    head, colon, rest = text.partition(": ")
    key, params = _phrase(head)
    if key is None:
        return text
    said = render(key, params, lang)
    return _joined(said, _said(rest, lang), lang) if colon else said


def _phrase(text: str) -> tuple[str | None, dict[str, str]]:
    if text in PHRASES:
        return PHRASES[text], {}
    for pattern, key in NUMBERED:
        match = pattern.fullmatch(text)
        if match:
            return key, match.groupdict()
    return None, {}


def _joined(said: str, detail: str, lang: str) -> str:
    if not detail:
        return said
    return f"{said}: {detail}" if lang == "en" else f"{said}：{detail}"
