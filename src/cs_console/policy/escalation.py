"""Auto-escalation: which overdue tickets go to a supervisor on their own, and by how much
they are late. Pure: the caller passes ``now`` and the SLA config.

The rule itself is :func:`cs_console.policy.sla.needs_auto_escalation` (open, not waiting on
the customer, not yet escalated, past its resolution target); this module adds what a sync round
needs to apply it cheaply and to say why.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from cs_console.policy.sla import SlaConfig, SlaFacts, clock_seconds_between, resolution_due


def shortest_resolution_seconds(config: SlaConfig) -> int:
    """The shortest resolution target any ticket can have under ``config``."""
    return min(
        *config.resolution_by_priority.values(),
        config.returns_resolution,
        config.high_priority_complaint,
    )


def created_before(now: datetime, config: SlaConfig) -> datetime:
    """No ticket created at or after this moment can be past its resolution target yet: every
    target is at least the shortest one, and business hours and pauses only push it later."""
    return now - timedelta(seconds=shortest_resolution_seconds(config))


def minutes_over(facts: SlaFacts, now: datetime, config: SlaConfig) -> int:
    """Whole minutes (rounded up, at least 1) of SLA time since the resolution target passed;
    business hours count only their own time, as the clock does."""
    late = clock_seconds_between(resolution_due(facts, config), now, config.business_hours)
    return max(1, math.ceil(late / 60))
