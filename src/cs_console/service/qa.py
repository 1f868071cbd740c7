"""Quality review of live replies with the training rubric's hard rules.

``review`` scans (or samples) the replies sent to customers in the cache and lists their risk
points: a promise outside policy, blaming or insulting the customer, a forbidden word, an
unfilled prompt, no stop-use advice on an allergy ticket. ``reply_warnings`` is the same check
on a reply about to be sent (the console's soft warning: the agent may still send it).
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from typing import Any

from cs_console.service.desk import Desk
from cs_console.store.training import TrainingQueries
from cs_console.training.rubric import Risk, hard_rules

__all__ = ["Finding", "reply_warnings", "review"]


@dataclass(frozen=True)
class Finding:
    """One risk point in one sent reply."""

    ticket_id: int
    message_id: int
    agent: str
    sent_at: str
    rule: str
    phrase: str
    excerpt: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _is_allergy(row: dict[str, Any]) -> bool:
    tags = row.get("tags") or ""
    return bool(row.get("allergy")) or '"allergy"' in str(tags)


def reply_warnings(desk: Desk, ticket_id: int, body: str) -> list[Risk]:
    """Hard-rule breaches in ``body`` as a reply on ``ticket_id`` (empty: nothing to warn of).
    Unfilled prompts are left out: the Desk refuses those outright."""
    ticket = desk.ticket(ticket_id)
    earlier = [m["body"] for m in desk.messages(ticket_id) if m["direction"] == "out"]
    risks = hard_rules(body, allergy=_is_allergy(ticket), earlier_replies=earlier)
    return [r for r in risks if r.rule != "prompts"]


def review(
    desk: Desk,
    agent: str | None = None,
    since: str | None = None,
    until: str | None = None,
    sample: int | None = None,
    seed: int = 0,
) -> tuple[int, list[Finding]]:
    """Risk points in sent replies (optionally a seeded random ``sample`` of them). Returns how
    many replies were reviewed and the findings, by ticket and time."""
    queries = TrainingQueries(desk.store)
    rows = queries.sent_replies(agent, since, until)
    if sample is not None and sample < len(rows):
        rows = sorted(
            random.Random(seed).sample(rows, sample), key=lambda r: (r["ticket_id"], r["id"])
        )
    findings: list[Finding] = []
    for row in rows:
        earlier = queries.earlier_replies(int(row["ticket_id"]), int(row["id"]))
        for risk in hard_rules(row["body"], allergy=_is_allergy(row), earlier_replies=earlier):
            findings.append(
                Finding(
                    int(row["ticket_id"]),
                    int(row["id"]),
                    str(row["author"]),
                    str(row["created_at"]),
                    risk.rule,
                    risk.phrase,
                    risk.excerpt,
                )
            )
    return len(rows), findings
