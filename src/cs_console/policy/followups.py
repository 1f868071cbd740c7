"""Follow-up tasks a resolution creates: the callback, and the first buyer's usage check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cs_console.policy.numbers import number


@dataclass(frozen=True)
class FollowUp:
    kind: str  # after_resolution | first_purchase_usage
    due_at: datetime


def followups_on_resolution(
    resolved_at: datetime,
    first_time_buyer: bool,
    delivered_at: datetime | None,
) -> list[FollowUp]:
    """A call 72 h after resolution; a 30-day usage check when this was the customer's first order."""
    tasks = [
        FollowUp(
            "after_resolution",
            resolved_at + timedelta(hours=number("followup_after_resolve_hours")),
        )
    ]
    if first_time_buyer:
        start = delivered_at or resolved_at
        tasks.append(
            FollowUp(
                "first_purchase_usage", start + timedelta(days=number("first_buyer_followup_days"))
            )
        )
    return tasks
