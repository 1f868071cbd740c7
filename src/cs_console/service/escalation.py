"""Auto-escalation: overdue tickets go to a supervisor on their own, once each.

A sync round (``service.sync``) and ``cs-console auto-escalate`` run :class:`AutoEscalation`.
Each ticket it hands over goes through :meth:`Desk.escalate` as the system actor, so it is the
same transaction as a manual escalation: the ticket flagged and given to a supervisor, priority
raised to at least high, an internal note with the reason, an audit row and an ``escalate`` op
for RT. ``Desk.escalate`` re-reads the ticket under the write lock and refuses one already
escalated, so a ticket is escalated once whatever happens: a restart, two processes on one
cache, an agent who escalated it by hand a moment before, or (through the pulled
``[escalated]`` note, see ``service.inbound``) another console that escalated it in RT.
"""

from __future__ import annotations

from dataclasses import dataclass

from cs_console import i18n
from cs_console.clock import to_iso
from cs_console.policy.escalation import created_before, minutes_over
from cs_console.policy.sla import needs_auto_escalation
from cs_console.service.desk import SYSTEM_ACTOR, Desk, DeskError, sla_facts

#: How many tickets one round escalates at most: a cache that was off for a week drains its
#: backlog over a few rounds instead of holding the write lock for minutes in one.
DEFAULT_PER_ROUND = 200
PAGE = 500  # candidates read at a time


@dataclass(frozen=True)
class Overdue:
    """A ticket past its resolution target (to escalate, or escalated), and by how much."""

    ticket_id: int
    minutes_over: int


class AutoEscalation:
    """The auto-escalation rule applied to one Desk's cache."""

    def __init__(self, desk: Desk, per_round: int | None = DEFAULT_PER_ROUND) -> None:
        self.desk = desk
        self.per_round = per_round

    def overdue(self, limit: int | None = None) -> list[Overdue]:
        """Tickets that need escalating now (up to ``limit``), those due longest ago first;
        reads only, a page of candidates at a time so a round reads about what it escalates."""
        now = self.desk.now()
        config = self.desk.sla_config
        now_iso, before_iso = to_iso(now), to_iso(created_before(now, config))
        found: list[Overdue] = []
        after: tuple[str, int] | None = None
        while limit is None or len(found) < limit:
            rows = self.desk.store.escalation_candidates(now_iso, before_iso, after, PAGE)
            for row in rows:
                facts = sla_facts(row)
                if needs_auto_escalation(facts, bool(row["escalated"]), now, config):
                    found.append(Overdue(int(row["id"]), minutes_over(facts, now, config)))
            if len(rows) < PAGE:
                break
            after = (rows[-1]["sla_due"], int(rows[-1]["id"]))
        return found[:limit] if limit is not None else found

    def escalate(self, overdue: list[Overdue]) -> list[Overdue]:
        """Escalate each ticket (up to ``per_round``); one changed meanwhile (escalated by
        someone else, resolved, waiting on the customer) is passed over. Returns those done."""
        done: list[Overdue] = []
        for item in overdue:
            if self.per_round is not None and len(done) >= self.per_round:
                break
            reason = i18n.t("auto_escalation.reason", minutes=item.minutes_over)
            try:
                self.desk.escalate(item.ticket_id, reason, actor=SYSTEM_ACTOR)
            except DeskError:
                continue
            done.append(item)
        return done

    def run(self) -> list[Overdue]:
        """One pass: every ticket past its resolution target (up to ``per_round``), escalated
        once."""
        return self.escalate(self.overdue(self.per_round))


def notice(escalated: list[Overdue], shown: int = 5) -> str:
    """What the console says when a round escalated tickets: the count and the first ids."""
    ids = [f"#{item.ticket_id}" for item in escalated[:shown]]
    joined = (", " if i18n.language() == "en" else "、").join(ids)
    if len(escalated) > shown:
        joined += "…"
    return i18n.t("auto_escalation.notice", count=len(escalated), ids=joined)
