"""What sync keeps in the cache besides the outbox: cursors, flags and the remote side's ids."""

from __future__ import annotations

from typing import Any

from cs_console.store.base import Queries, decode


class RemoteQueries(Queries):
    def sync_value(self, key: str) -> str | None:
        value = self.scalar("SELECT value FROM sync_state WHERE key = ?", (key,))
        return None if value is None else str(value)

    def set_sync_value(self, key: str, value: str | None) -> None:
        """Set a value (in the caller's transaction if there is one)."""
        with self.transaction():
            self.conn.execute(
                "INSERT INTO sync_state (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def ticket_by_remote(self, remote_id: int) -> dict[str, Any] | None:
        row = self.one("SELECT * FROM tickets WHERE remote_id = ?", (remote_id,))
        return decode(row, "tags") if row else None

    def local_ticket_id(self, remote_id: int) -> int | None:
        value = self.scalar("SELECT id FROM tickets WHERE remote_id = ?", (remote_id,))
        return None if value is None else int(value)

    def link_message(self, op_id: str, remote_id: int) -> bool:
        """Our own message came back from RT: record its remote id. False if none is ours."""
        cursor = self.conn.execute(
            "UPDATE messages SET remote_id = ? WHERE op_id = ? AND remote_id IS NULL",
            (remote_id, op_id),
        )
        return cursor.rowcount > 0

    def message_known(self, remote_id: int, op_id: str | None) -> bool:
        return (
            self.conn.execute(
                "SELECT 1 FROM messages WHERE remote_id = ? OR (op_id IS NOT NULL AND op_id = ?)",
                (remote_id, op_id),
            ).fetchone()
            is not None
        )

    def ticket_has_body(self, ticket_id: int, body: str) -> bool:
        return (
            self.conn.execute(
                "SELECT 1 FROM messages WHERE ticket_id = ? AND trim(body) = trim(?)",
                (ticket_id, body),
            ).fetchone()
            is not None
        )

    def requestor_email(self, ticket_id: int) -> str | None:
        value = self.scalar(
            "SELECT c.email FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = ?",
            (ticket_id,),
        )
        return None if value is None else str(value)

    def set_remote_etag(self, ticket_id: int, etag: str) -> None:
        self.conn.execute("UPDATE tickets SET remote_etag = ? WHERE id = ?", (etag, ticket_id))

    # -- the team, as RT's groups say ----------------------------------------------------------

    def agents_roles(self) -> dict[str, tuple[str, str]]:
        """Every agent: id -> (name, role)."""
        return {
            str(row[0]): (str(row[1]), str(row[2]))
            for row in self.conn.execute("SELECT id, name, role FROM agents")
        }

    def save_team(self, upserts: list[tuple[str, str, str]], removals: list[str]) -> None:
        """Write agents (id, name, role) and remove the ones no longer on the team, in the
        caller's transaction."""
        self.conn.executemany(
            "INSERT INTO agents (id, name, role) VALUES (?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, role = excluded.role",
            upserts,
        )
        self.conn.executemany("DELETE FROM agents WHERE id = ?", [(a,) for a in removals])
