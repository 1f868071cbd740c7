"""Migration 12: per-ticket counts of the service metrics kept in 15-minute slots.

``metric_slots`` holds, per (UTC 15-minute slot of ``created_at``, assignee, channel,
category, skill group), how many tickets there are and how many of them count for each
predicate that reads only the ticket's own row and does not move with the clock or the
configured targets (:data:`SLOT_COUNTS`). Triggers on ``tickets`` keep it as rows are
inserted, changed and deleted; the migration fills it with one INSERT ... SELECT ... GROUP BY.

15 minutes: every zone's offset is a multiple of it, so a period between local times on the
quarter hour, and local hours and days, are whole slots. NULL assignee or skill group is kept
as '' (a primary key column cannot be NULL); the reader turns it back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

SLOT_SECONDS = 900

_DONE = "({t}.status IN ('resolved', 'closed') AND {t}.resolved_at IS NOT NULL)"

#: counter -> its 0/1 expression over one ticket row ({t}: NEW or OLD or a table alias); the
#: same predicates as ``store.metrics._PREDICATES`` of the same names.
SLOT_COUNTS: dict[str, str] = {
    "tickets": "1",
    "done": _DONE,
    "responded": "({t}.first_response_at IS NOT NULL)",
    "fcr": f"({_DONE} AND {{t}}.agent_replies = 1 AND {{t}}.reopens = 0)",
    "ever_resolved": f"({_DONE} OR {{t}}.reopens > 0)",
    "reopened": "({t}.reopens > 0)",
    "escalated": "({t}.escalated = 1)",
    "complaints": "({t}.category = 'complaint')",
}
_KEYS = ("slot", "assignee", "channel", "category", "skill_group")
#: the ticket columns the counters and keys read (an update of any other leaves them alone)
_READS = (
    "created_at",
    "assignee",
    "channel",
    "category",
    "skill_group",
    "status",
    "resolved_at",
    "first_response_at",
    "agent_replies",
    "reopens",
    "escalated",
)


def _key_values(t: str) -> str:
    return (
        f"unixepoch({t}.created_at) / {SLOT_SECONDS}, ifnull({t}.assignee, ''), {t}.channel, "
        f"{t}.category, ifnull({t}.skill_group, '')"
    )


def _counts(t: str, sign: str) -> str:
    return ", ".join(f"{sign}{sql.format(t=t)}" for sql in SLOT_COUNTS.values())


_COLUMNS = ", ".join((*_KEYS, *SLOT_COUNTS))
_ADD = ", ".join(f"{name} = {name} + excluded.{name}" for name in SLOT_COUNTS)


def _upsert(t: str, sign: str) -> str:
    # WHERE true: without it SQLite reads ON CONFLICT as a join constraint of the SELECT.
    return (
        f"INSERT INTO metric_slots ({_COLUMNS}) SELECT {_key_values(t)}, {_counts(t, sign)} "
        f"WHERE true ON CONFLICT ({', '.join(_KEYS)}) DO UPDATE SET {_ADD};"
    )


_CHANGED = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in _READS)

TRIGGERS: dict[str, str] = {
    "metric_slots_insert": (
        f"CREATE TRIGGER metric_slots_insert AFTER INSERT ON tickets BEGIN {_upsert('NEW', '')} END"
    ),
    "metric_slots_delete": (
        f"CREATE TRIGGER metric_slots_delete AFTER DELETE ON tickets BEGIN "
        f"{_upsert('OLD', '-')} END"
    ),
    "metric_slots_update": (
        f"CREATE TRIGGER metric_slots_update AFTER UPDATE OF {', '.join(_READS)} ON tickets "
        f"WHEN {_CHANGED} BEGIN {_upsert('OLD', '-')} {_upsert('NEW', '')} END"
    ),
    # A slot row that counts no ticket goes: a group with no tickets is no group.
    "metric_slots_drop_empty": (
        "CREATE TRIGGER metric_slots_drop_empty AFTER UPDATE OF tickets ON metric_slots "
        "WHEN NEW.tickets = 0 BEGIN DELETE FROM metric_slots WHERE slot = NEW.slot AND "
        "assignee = NEW.assignee AND channel = NEW.channel AND category = NEW.category AND "
        "skill_group = NEW.skill_group; END"
    ),
}


def recount_slots(conn: sqlite3.Connection) -> None:
    """Every slot counted again from the tickets as they stand (one grouped pass)."""
    conn.execute("DELETE FROM metric_slots")
    sums = ", ".join(f"sum({sql.format(t='t')})" for sql in SLOT_COUNTS.values())
    conn.execute(
        f"INSERT INTO metric_slots ({_COLUMNS}) SELECT {_key_values('t')}, {sums} "
        "FROM tickets t GROUP BY 1, 2, 3, 4, 5"
    )


def apply_v12(conn: sqlite3.Connection) -> None:
    """The slot counters, filled from the existing tickets, and their triggers."""
    counters = ", ".join(f"{name} INTEGER NOT NULL DEFAULT 0" for name in SLOT_COUNTS)
    conn.execute(
        "CREATE TABLE metric_slots (slot INTEGER NOT NULL, assignee TEXT NOT NULL, "
        "channel TEXT NOT NULL, category TEXT NOT NULL, skill_group TEXT NOT NULL, "
        f"{counters}, PRIMARY KEY ({', '.join(_KEYS)})) WITHOUT ROWID"
    )
    recount_slots(conn)
    for sql in TRIGGERS.values():
        conn.execute(sql)


@contextmanager
def slots_suspended(conn: sqlite3.Connection) -> Iterator[None]:
    """For one bulk write of many tickets, in the caller's transaction: the per-row triggers
    are dropped and the slots counted again once at the end (a crash rolls all of it back)."""
    if not conn.in_transaction:
        raise RuntimeError("slots_suspended needs the caller's transaction")
    for name in TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    try:
        yield
    finally:
        recount_slots(conn)
        for sql in TRIGGERS.values():
            conn.execute(sql)
