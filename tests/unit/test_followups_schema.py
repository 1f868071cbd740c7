"""Migration 7: the columns follow-up outcomes and CSAT are recorded in, and their checks."""

from __future__ import annotations

import sqlite3

import pytest


def _followup(store, **cols):
    row = {"kind": "after_resolution", "due_at": "2026-12-01T00:00:00Z", **cols}
    names, values = list(row), list(row.values())
    marks = ", ".join("?" for _ in names)
    with store.transaction() as conn:
        conn.execute(f"INSERT INTO followups ({', '.join(names)}) VALUES ({marks})", values)


def test_outcome_columns_take_a_callback_result(store):
    _followup(store, outcome="reached", satisfaction=5, comment="[b]ok[/b]", done_by="a1")
    row = store.conn.execute(
        "SELECT outcome, satisfaction, comment, done_by, remote_id, period FROM followups"
    ).fetchone()
    assert tuple(row) == ("reached", 5, "[b]ok[/b]", "a1", None, None)


@pytest.mark.parametrize("cols", [{"satisfaction": 0}, {"satisfaction": 6}, {"outcome": "maybe"}])
def test_out_of_range_values_are_refused(store, cols):
    with pytest.raises(sqlite3.IntegrityError):
        _followup(store, **cols)


def test_one_birthday_greeting_per_customer_per_year(store):
    _followup(store, kind="birthday_greeting", customer_id="c1", period="2026")
    _followup(store, kind="birthday_greeting", customer_id="c1", period="2027")
    with pytest.raises(sqlite3.IntegrityError):
        _followup(store, kind="birthday_greeting", customer_id="c1", period="2026")


def test_one_follow_up_of_each_kind_per_ticket(seeded):
    """The table has held UNIQUE (ticket_id, kind) since migration 1: a second callback of a
    ticket cannot exist, whatever writes it (so no later migration has rows to dedupe)."""
    ticket = seeded.scalar(
        "SELECT min(id) FROM tickets WHERE id NOT IN (SELECT ticket_id FROM followups "
        "WHERE ticket_id IS NOT NULL)"
    )
    _followup(seeded, ticket_id=ticket)
    _followup(seeded, ticket_id=ticket, kind="first_purchase_usage")
    with pytest.raises(sqlite3.IntegrityError):
        _followup(seeded, ticket_id=ticket, due_at="2026-12-09T00:00:00Z")
    with seeded.transaction():
        assert seeded.insert_followup(ticket, None, "after_resolution", "2026-12-09") is None
