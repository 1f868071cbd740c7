"""SQL for training: graded practice results, quiz scores, and seeding a practice sandbox.

``TrainingQueries`` wraps a :class:`~cs_console.store.db.Store` (the real cache for results,
the sandbox file for seeding); every statement binds its values as parameters.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from cs_console.store.base import decode, dumps
from cs_console.store.db import Store

__all__ = ["TrainingQueries"]


class TrainingQueries:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- results (the real cache) --------------------------------------------------------

    def add_result(self, row: Mapping[str, Any]) -> int:
        """One graded handling (inside the caller's transaction)."""
        cursor = self.store.conn.execute(
            "INSERT INTO training_results (trainee, scenario, category, sets, total, lines, "
            "missed, minutes, target_minutes, graded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                row["trainee"],
                row["scenario"],
                row["category"],
                dumps(list(row["sets"])),
                float(row["total"]),
                dumps(dict(row["lines"])),
                dumps(dict(row["missed"])),
                float(row["minutes"]),
                int(row["target_minutes"]),
                row["graded_at"],
            ),
        )
        return int(cursor.lastrowid or 0)

    def results(self, trainee: str | None = None) -> list[dict[str, Any]]:
        """Graded handlings, oldest first (one trainee, or everyone)."""
        sql = "SELECT * FROM training_results"
        params: tuple[Any, ...] = ()
        if trainee is not None:
            sql += " WHERE trainee = ?"
            params = (trainee,)
        rows = self.store.all(sql + " ORDER BY graded_at, id", params)
        return [decode(r, "sets", "lines", "missed") for r in rows]

    def add_quiz(
        self, trainee: str, seed: int, questions: int, correct: int, answers: Sequence[Any], at: str
    ) -> int:
        cursor = self.store.conn.execute(
            "INSERT INTO quiz_results (trainee, seed, questions, correct, answers, taken_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (trainee, int(seed), int(questions), int(correct), dumps(list(answers)), at),
        )
        return int(cursor.lastrowid or 0)

    def quizzes(self, trainee: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM quiz_results"
        params: tuple[Any, ...] = ()
        if trainee is not None:
            sql += " WHERE trainee = ?"
            params = (trainee,)
        return [
            decode(r, "answers") for r in self.store.all(sql + " ORDER BY taken_at, id", params)
        ]

    def trainees(self) -> list[str]:
        """Everyone with a result or a quiz, and every agent whose role is trainee."""
        rows = self.store.all(
            "SELECT trainee AS id FROM training_results UNION SELECT trainee FROM quiz_results "
            "UNION SELECT id FROM agents WHERE role = 'trainee' ORDER BY 1"
        )
        return [str(r["id"]) for r in rows]

    def set_role(self, agent_id: str, role: str) -> None:
        self.store.conn.execute("UPDATE agents SET role = ? WHERE id = ?", (role, agent_id))

    # -- reviewing live replies (the real cache) -----------------------------------------

    def sent_replies(
        self, agent: str | None, since: str | None, until: str | None
    ) -> list[dict[str, Any]]:
        """Replies sent to customers with their ticket's allergy flag, oldest first."""
        where = ["m.direction = 'out'"]
        params: list[Any] = []
        if agent is not None:
            where.append("m.author = ?")
            params.append(agent)
        if since is not None:
            where.append("m.created_at >= ?")
            params.append(since)
        if until is not None:
            where.append("m.created_at < ?")
            params.append(until)
        return self.store.all(
            "SELECT m.id, m.ticket_id, m.author, m.body, m.created_at, t.allergy, t.tags "
            "FROM messages m JOIN tickets t ON t.id = m.ticket_id "
            f"WHERE {' AND '.join(where)} ORDER BY m.ticket_id, m.created_at, m.id",
            params,
        )

    def earlier_replies(self, ticket_id: int, message_id: int) -> list[str]:
        rows = self.store.all(
            "SELECT body FROM messages WHERE ticket_id = ? AND direction = 'out' AND id < ? "
            "ORDER BY id",
            (ticket_id, message_id),
        )
        return [str(r["body"]) for r in rows]

    # -- the practice sandbox ------------------------------------------------------------

    def seed_sandbox(
        self,
        agents: Sequence[Mapping[str, Any]],
        products: Sequence[Mapping[str, Any]],
        customers: Sequence[Mapping[str, Any]],
        orders: Sequence[Mapping[str, Any]],
        lines: Sequence[Mapping[str, Any]],
    ) -> None:
        """The sandbox's team, catalogue, customers and orders (in the caller's transaction)."""
        for table, rows in (
            ("agents", agents),
            ("products", products),
            ("customers", customers),
            ("orders", orders),
            ("order_lines", lines),
        ):
            if rows:
                self.store.insert_rows(table, rows)

    def attach_order(self, ticket_id: int, order_id: str | None, assignee: str) -> None:
        self.store.conn.execute(
            "UPDATE tickets SET order_id = ?, assignee = ? WHERE id = ?",
            (order_id, assignee, ticket_id),
        )

    def ticket_requests(self, ticket_id: int) -> list[dict[str, Any]]:
        """Requests filed on a ticket: kind, reason, resolution, status, verdict."""
        rows = self.store.all(
            "SELECT kind, reason, resolution, status, verdict FROM returns WHERE ticket_id = ? "
            "ORDER BY created_at",
            (ticket_id,),
        )
        return [decode(r, "verdict") for r in rows]


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
