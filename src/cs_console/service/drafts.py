"""Drafts: what an agent has typed and not yet sent, kept per ticket as they type.

A draft is the agent's own work in progress, so it stays on this machine (never in the outbox)
and only its owner sees it. Sending the reply or note drops it in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cs_console.clock import to_iso
from cs_console.untrusted import is_blank, storable

if TYPE_CHECKING:
    from cs_console.service.desk import Desk

# A draft is at most as long as a message the cache keeps.
MAX_DRAFT_CHARS = 100_000


@dataclass(frozen=True)
class Draft:
    ticket_id: int
    body: str
    note: bool
    updated_at: str


class Drafts:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def save(self, ticket_id: int, body: str, note: bool = False) -> None:
        """Keep what is typed; an empty or blank composer drops the draft."""
        agent = self.desk.agent.id
        if is_blank(body):
            self.desk.store.drop_draft(ticket_id, agent)
            return
        text = storable(body)[:MAX_DRAFT_CHARS]
        self.desk.store.save_draft(ticket_id, agent, text, note, to_iso(self.desk.now()))

    def get(self, ticket_id: int) -> Draft | None:
        row = self.desk.store.draft(ticket_id, self.desk.agent.id)
        return _draft(row) if row else None

    def drop(self, ticket_id: int) -> None:
        self.desk.store.drop_draft(ticket_id, self.desk.agent.id)

    def unsent(self) -> list[Draft]:
        """The signed-in agent's drafts, newest first."""
        return [_draft(row) for row in self.desk.store.drafts_of(self.desk.agent.id)]


def _draft(row: dict) -> Draft:
    return Draft(int(row["ticket_id"]), row["body"], bool(row["note"]), row["updated_at"])
