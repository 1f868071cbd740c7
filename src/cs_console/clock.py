"""Time, injectable: every rule and action asks a Clock, so tests can pin and move it.

Timestamps are stored as UTC ISO-8601 text with a ``Z`` (``2026-11-23T08:00:00Z``); that form
sorts correctly as text, which the queue index relies on.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)


class FixedClock:
    """A clock that stands still until moved; for tests and reproducible demos."""

    def __init__(self, at: datetime | str) -> None:
        self._now = parse_iso(at) if isinstance(at, str) else at.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> datetime:
        self._now += timedelta(**delta)
        return self._now

    def set(self, at: datetime | str) -> None:
        self._now = parse_iso(at) if isinstance(at, str) else at.astimezone(UTC)


def to_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware (UTC) datetime")
    if moment.utcoffset():
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="seconds")[:19] + "Z"  # isoformat is C-fast; strftime is not


def parse_iso(text: str) -> datetime:
    """Parse stored or user-given ISO text; a missing zone means UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
