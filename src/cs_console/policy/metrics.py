"""Service metrics, defined once: each figure as data (its name, label, unit, target and
direction), the rule that colours a figure against its target, and nearest-rank percentiles.

Pure: the store computes the counts and distributions, the service turns them into figures
with :func:`figure_value` and :func:`state`; the README's "Service metrics" section says what
each figure counts and excludes. Targets come from ``policy.numbers``; per-channel time targets
(first response) come from the configured SLA.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cs_console.policy.numbers import number
from cs_console.policy.roles import check_role

PERCENT = "percent"
SECONDS = "seconds"
COUNT = "count"

GREEN, AMBER, RED, NO_TARGET, NO_DATA = "green", "amber", "red", "none", "no_data"

#: Breakdowns a report or the dashboard may group by (``all``: one row for the whole period).
BREAKDOWNS = ("all", "channel", "category", "skill", "agent", "hour", "day")

#: Statuses that count as handled (the resolution clock stopped).
DONE_STATUSES = ("resolved", "closed")
#: Statuses of the backlog (waiting on us or on the customer).
BACKLOG_STATUSES = ("open", "pending")
#: Follow-up kind whose satisfaction score feeds CSAT.
CALLBACK_KIND = "after_resolution"
#: Satisfaction (1-5) at or above this counts as satisfied.
SATISFIED_AT_OR_ABOVE = 4
#: Backlog age bands for the dashboard's chart, upper bounds in seconds (the last is open-ended).
BACKLOG_AGE_BANDS = (3600, 4 * 3600, 24 * 3600, 72 * 3600)


def sees_team_figures(role: str) -> bool:
    """Supervisors see the whole team's figures; agents and trainees only their own tickets'."""
    return check_role(role) == "supervisor"


def _permille(name: str) -> float:
    return number(name) / 10


@dataclass(frozen=True)
class Figure:
    """One metric. ``target`` None means none (or, for ``channel_target``, the channel's own);
    ``amber`` is how far past the target a figure stays amber, in the figure's unit, or as a
    share of the target when ``amber_relative``."""

    name: str
    label: str  # i18n key
    unit: str  # PERCENT | SECONDS | COUNT
    target: float | None = None
    higher_is_better: bool = True
    amber: float = 0.0
    amber_relative: bool = False
    channel_target: bool = False  # the target is the ticket channel's first-response target


def _figures() -> tuple[Figure, ...]:
    attainment = _permille("attainment_target_permille")
    return (
        Figure("tickets", "metrics.fig.tickets", COUNT),
        Figure(
            "first_response_median",
            "metrics.fig.first_response_median",
            SECONDS,
            higher_is_better=False,
            amber=0.5,
            amber_relative=True,
            channel_target=True,
        ),
        Figure(
            "first_response_p90",
            "metrics.fig.first_response_p90",
            SECONDS,
            higher_is_better=False,
            amber=0.5,
            amber_relative=True,
            channel_target=True,
        ),
        Figure(
            "first_response_attainment",
            "metrics.fig.first_response_attainment",
            PERCENT,
            attainment,
            amber=5,
        ),
        Figure(
            "resolution_median", "metrics.fig.resolution_median", SECONDS, higher_is_better=False
        ),
        Figure("resolution_p90", "metrics.fig.resolution_p90", SECONDS, higher_is_better=False),
        Figure("sla_attainment", "metrics.fig.sla_attainment", PERCENT, attainment, amber=5),
        Figure("backlog", "metrics.fig.backlog", COUNT, higher_is_better=False),
        Figure(
            "backlog_age_median",
            "metrics.fig.backlog_age_median",
            SECONDS,
            higher_is_better=False,
        ),
        Figure("backlog_age_max", "metrics.fig.backlog_age_max", SECONDS, higher_is_better=False),
        Figure("fcr", "metrics.fig.fcr", PERCENT, _permille("fcr_target_permille"), amber=5),
        Figure("reopen_rate", "metrics.fig.reopen_rate", PERCENT, higher_is_better=False),
        Figure("escalation_rate", "metrics.fig.escalation_rate", PERCENT, higher_is_better=False),
        Figure(
            "returns_within_target",
            "metrics.fig.returns_within_target",
            PERCENT,
            attainment,
            amber=5,
        ),
        Figure(
            "complaints_within_target",
            "metrics.fig.complaints_within_target",
            PERCENT,
            attainment,
            amber=5,
        ),
        Figure(
            "closure_rate",
            "metrics.fig.closure_rate",
            PERCENT,
            _permille("closure_rate_target_permille"),
            amber=5,
        ),
        Figure("csat", "metrics.fig.csat", PERCENT, _permille("csat_target_permille"), amber=3),
        Figure("csat_response_rate", "metrics.fig.csat_response_rate", PERCENT),
        Figure(
            "repeat_complaint_rate",
            "metrics.fig.repeat_complaint_rate",
            PERCENT,
            _permille("repeat_complaint_max_permille"),
            higher_is_better=False,
            amber=0.5,
        ),
        Figure("followups_due", "metrics.fig.followups_due", COUNT, higher_is_better=False),
        Figure(
            "followups_overdue",
            "metrics.fig.followups_overdue",
            COUNT,
            0,
            higher_is_better=False,
        ),
    )


FIGURES: tuple[Figure, ...] = _figures()
BY_NAME: Mapping[str, Figure] = {figure.name: figure for figure in FIGURES}


def figure(name: str) -> Figure:
    """A figure by name; KeyError names the unknown one."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown figure {name!r}; one of {', '.join(BY_NAME)}") from None


def state(fig: Figure, value: float | None, target: float | None = None) -> str:
    """``green`` when the value meets its target, ``amber`` when it misses by no more than the
    figure's amber band, ``red`` beyond it; ``none`` without a target, ``no_data`` without a
    value. ``target`` overrides the figure's own (a channel's first-response target)."""
    if value is None:
        return NO_DATA
    goal = fig.target if target is None else target
    if goal is None:
        return NO_TARGET
    miss = goal - value if fig.higher_is_better else value - goal
    if miss <= 0:
        return GREEN
    band = fig.amber * goal if fig.amber_relative else fig.amber
    return AMBER if miss <= band else RED


def share(numerator: int, denominator: int) -> float | None:
    """``numerator`` of ``denominator`` in percent; None (no data) when nothing was counted."""
    if denominator <= 0:
        return None
    return 100.0 * numerator / denominator


def nearest_rank(histogram: Iterable[tuple[float, int]], fraction: float) -> float | None:
    """The nearest-rank percentile of a distribution given as (value, how many) pairs: the
    smallest value with at least ``ceil(fraction * n)`` of the n values at or below it. The
    median is ``fraction=0.5`` (of 1, 2, 3, 4 it is 2). None when the distribution is empty."""
    pairs = sorted((value, count) for value, count in histogram if count > 0)
    total = sum(count for _value, count in pairs)
    if total == 0:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for value, count in pairs:
        seen += count
        if seen >= rank:
            return value
    return pairs[-1][0]  # pragma: no cover - seen reaches total


def age_band(seconds: float) -> int:
    """The index of the backlog age band ``seconds`` falls in (0 .. len(BACKLOG_AGE_BANDS))."""
    for index, bound in enumerate(BACKLOG_AGE_BANDS):
        if seconds < bound:
            return index
    return len(BACKLOG_AGE_BANDS)
