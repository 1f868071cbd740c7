"""Unsent replies and notes, one per ticket and agent, kept as the agent types."""

from __future__ import annotations

from typing import Any

from cs_console.store.base import Queries


class DraftQueries(Queries):
    def save_draft(self, ticket_id: int, agent_id: str, body: str, note: bool, at: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO drafts (ticket_id, agent_id, body, note, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(ticket_id, agent_id) DO UPDATE SET "
                "body = excluded.body, note = excluded.note, updated_at = excluded.updated_at",
                (ticket_id, agent_id, body, int(note), at),
            )

    def drop_draft(self, ticket_id: int, agent_id: str) -> None:
        with self.transaction():
            self.conn.execute(
                "DELETE FROM drafts WHERE ticket_id = ? AND agent_id = ?", (ticket_id, agent_id)
            )

    def draft(self, ticket_id: int, agent_id: str) -> dict[str, Any] | None:
        row = self.one(
            "SELECT ticket_id, body, note, updated_at FROM drafts "
            "WHERE ticket_id = ? AND agent_id = ?",
            (ticket_id, agent_id),
        )
        return dict(row) if row else None

    def drafts_of(self, agent_id: str) -> list[dict[str, Any]]:
        """The agent's drafts, newest first."""
        return [
            dict(row)
            for row in self.conn.execute(
                "SELECT ticket_id, body, note, updated_at FROM drafts WHERE agent_id = ? "
                "ORDER BY updated_at DESC, ticket_id",
                (agent_id,),
            )
        ]
