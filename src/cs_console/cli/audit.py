"""``cs-console audit``: check the audit log's hash chain, and read the log.

Registered on the root group by ``cli.root`` through :func:`register`. ``audit verify`` exits 0
when the chain, its head and its triggers are all in place, 1 when it names a break.
"""

from __future__ import annotations

import json
from typing import Any

import click

from cs_console.cli.help_text import Group
from cs_console.cli.support import TICKET_ID, db_option, dump, open_store, say


@click.group(cls=Group)
def audit() -> None:
    """The audit log: every action, chained by hashes so a rewrite shows."""


@audit.command("verify")
@db_option
@click.option(
    "--json", "as_json", is_flag=True, help="JSON: intact, rows, head, broken, protection."
)
@click.pass_context
def verify(ctx: click.Context, as_json: bool) -> None:
    """Walk the chain in id order and name the first row that breaks it (exit 1)."""
    from cs_console.service import audit as audit_service

    with open_store(ctx) as store:
        verdict = audit_service.verify(store)
    if as_json:
        dump(verdict.as_json())
    else:
        for line in verdict.lines():
            say(line)
    if not verdict.intact:
        ctx.exit(1)


@audit.command("list")
@db_option
@click.option("--ticket", "ticket_id", type=TICKET_ID, help="Only this ticket's rows.")
@click.option("--limit", type=click.IntRange(min=1, max=100_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON array, newest first, detail parsed.")
@click.pass_context
def list_(ctx: click.Context, ticket_id: int | None, limit: int, as_json: bool) -> None:
    """The newest audit rows first: id, time, actor, action, ticket, detail."""
    from cs_console.service import audit as audit_service

    with open_store(ctx) as store:
        rows = audit_service.entries(store, ticket_id, limit)
    if as_json:
        dump(rows)
        return
    for row in rows:
        say(_line(row))


def _line(row: dict[str, Any]) -> str:
    """One row as text; the detail quotes customers and the backend, so ``say`` escapes it."""
    ticket = f"#{row['ticket_id']}" if row.get("ticket_id") is not None else "-"
    detail = row.get("detail")
    if not isinstance(detail, str):
        detail = json.dumps(detail, ensure_ascii=False, separators=(", ", ": "))
    return f"{row['id']:>6}  {row['at']}  {row['actor']}  {row['action']}  {ticket}  {detail}"


def register(main: click.Group) -> None:
    """Add the ``audit`` group to the root group."""
    main.add_command(audit)
