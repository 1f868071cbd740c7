"""Checking and reading the audit log: the chain walked row by row, the first break named.

The store keeps the log as a hash chain (see :mod:`cs_console.store.audit`). :func:`verify`
recomputes every row's hash in id order, follows each ``prev_hash`` to the row before, compares
the end of the chain with the recorded head and lists what is missing of the triggers, so an
edited row, a removed row, a cut tail or a dropped trigger each show up by name. The cache is a
local file: whoever holds it can recompute the whole chain after the row they change, which
these checks cannot tell from the truth; they make every lesser rewrite evident.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from cs_console.i18n import t
from cs_console.store.db import Store
from cs_console.store.migrations import AUDIT_GENESIS, audit_row_hash


@dataclass(frozen=True)
class ChainBreak:
    """The first place the chain does not hold: ``where`` is "at row 12" or "after row 11"."""

    row: int | None
    where: str
    reason: str


@dataclass(frozen=True)
class AuditVerdict:
    """What :func:`verify` found."""

    rows: int  #: rows checked (up to the break, if any)
    last_id: int  #: id of the last row checked (0 when none)
    head: str  #: hash of the last row checked (the genesis hash when none)
    broken: ChainBreak | None = None
    protection: tuple[str, ...] = field(default=())  #: tables and triggers missing or altered

    @property
    def intact(self) -> bool:
        return self.broken is None and not self.protection

    def lines(self) -> list[str]:
        """The verdict as the CLI prints it, in the agent's language: one line when intact, else
        one per finding (the finding's own detail stays as the check wrote it)."""
        head = self.head[:12]
        if self.intact:
            return [t("audit.verdict.intact", rows=self.rows, head=head)]
        lines = []
        if self.broken is not None:
            where = f" {self.broken.where}" if self.broken.where else ""
            lines.append(t("audit.verdict.broken", where=where, reason=self.broken.reason))
        lines += [t("audit.verdict.unprotected", problem=problem) for problem in self.protection]
        if self.broken is None:
            lines.append(t("audit.verdict.chain_holds", rows=self.rows, head=head))
        return lines

    def as_json(self) -> dict[str, Any]:
        broken = self.broken
        return {
            "intact": self.intact,
            "rows": self.rows,
            "last_id": self.last_id,
            "head": self.head,
            "broken": None
            if broken is None
            else {"row": broken.row, "where": broken.where, "reason": broken.reason},
            "protection": list(self.protection),
        }


def _missing(first: int, last: int) -> str:
    return f"row {first} missing" if first == last else f"rows {first}-{last} missing"


def verify(store: Store) -> AuditVerdict:
    """Walk the whole chain in id order (streamed) and name its first break, if any."""
    protection = tuple(store.audit_protection())
    if "table audit_log missing" in protection:
        gone = ChainBreak(None, "", "the audit_log table is gone")
        return AuditVerdict(0, 0, AUDIT_GENESIS, gone, protection)
    if any(problem.startswith("column audit_log.") for problem in protection):
        gone = ChainBreak(None, "", "the chain's columns prev_hash and hash are gone")
        return AuditVerdict(0, 0, AUDIT_GENESIS, gone, protection)
    rows, last_id, prev = 0, 0, AUDIT_GENESIS
    broken: ChainBreak | None = None
    try:
        for row_id, at, actor, action, ticket_id, detail, prev_hash, digest in store.audit_chain():
            broken = _check_row(
                row_id, last_id, prev, (at, actor, action, ticket_id, detail), prev_hash, digest
            )
            if broken is not None:
                break
            rows, last_id, prev = rows + 1, row_id, digest
    except sqlite3.DatabaseError as exc:  # e.g. text that is not UTF-8, written around the store
        broken = ChainBreak(
            last_id + 1, f"after row {last_id}", f"the next row cannot be read: {exc}"
        )
    if broken is None:
        broken = _check_head(store.audit_head(), last_id, prev, protection)
    return AuditVerdict(rows, last_id, prev, broken, protection)


def _check_row(
    row_id: Any,
    last_id: int,
    prev: str,
    values: tuple[Any, Any, Any, Any, Any],
    prev_hash: Any,
    digest: Any,
) -> ChainBreak | None:
    where = f"at row {row_id}"
    if not isinstance(row_id, int) or row_id <= last_id:
        return ChainBreak(None, where, "a row id out of order: written around the store")
    if row_id != last_id + 1:
        return ChainBreak(row_id, where, f"{_missing(last_id + 1, row_id - 1)}: a gap in the ids")
    if digest is None:
        return ChainBreak(row_id, where, "no hash: the row was written around the store")
    if digest != audit_row_hash(row_id, *values, prev_hash):
        return ChainBreak(row_id, where, "hash mismatch: the row was changed")
    if prev_hash != prev:
        if last_id == 0:
            return ChainBreak(
                row_id, where, "prev_hash is not the genesis hash: the chain was re-linked"
            )
        return ChainBreak(
            row_id,
            where,
            f"prev_hash is not row {last_id}'s hash: row {last_id} was rewritten, or this row re-linked",
        )
    return None


def _check_head(
    head: tuple[int, str] | None, last_id: int, prev: str, protection: tuple[str, ...]
) -> ChainBreak | None:
    """The end of the chain against the recorded head (``audit_head``)."""
    if head is None:
        if "table audit_head missing" in protection:
            return None  # named among the protection problems
        return ChainBreak(None, "at the head", "the head record in audit_head is gone")
    head_id, head_hash = head
    if head_id > last_id:
        return ChainBreak(
            last_id + 1,
            f"after row {last_id}",
            f"{_missing(last_id + 1, head_id)}: the tail was cut (the head records row {head_id})",
        )
    if head_id < last_id:
        return ChainBreak(
            head_id + 1,
            f"at row {head_id + 1}",
            f"rows after the recorded head (row {head_id}) were added around the store",
        )
    if head_hash != prev:
        return ChainBreak(
            last_id, f"at row {last_id}", "the last row does not match the recorded head: replaced"
        )
    return None


def entries(store: Store, ticket_id: int | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """The newest audit rows first (one ticket's, or all), ``detail`` parsed."""
    return store.audit(ticket_id, limit)
