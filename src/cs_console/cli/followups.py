"""``cs-console followups`` (the list) and ``cs-console followup done|birthdays`` (the work).

Registered on the root group by ``cli.root`` through :func:`register`. Human-readable lines
quote customers, so they go out through ``say`` (control characters made visible); ``--json``
is exact.
"""

from __future__ import annotations

from typing import Any

import click

from cs_console.cli.help_text import Command, Group
from cs_console.cli.support import db_option, desk_errors, dump, open_desk, say
from cs_console.i18n import t
from cs_console.policy.followups import OUTCOMES, SATISFACTION_RANGE

FOLLOWUP_ID = click.IntRange(min=1, max=2**63 - 1)
JSON_FIELDS = (
    "id",
    "kind",
    "state",
    "due_at",
    "done_at",
    "ticket_id",
    "ticket_subject",
    "ticket_status",
    "ticket_assignee",
    "customer_id",
    "customer_name",
    "customer_tier",
    "outcome",
    "satisfaction",
    "comment",
    "done_by",
    "remote_id",
    "period",
)


def _item(row: dict[str, Any]) -> dict[str, Any]:
    return {name: row.get(name) for name in JSON_FIELDS}


def _line(row: dict[str, Any]) -> str:
    if row["ticket_id"] is not None:
        ticket = f"#{row['ticket_id']} {(row['ticket_subject'] or '')[:30]}"
    else:
        ticket = t("followup.cli.ticketless")
    customer = row["customer_name"] or row["customer_id"] or "-"
    tier = f" ({row['customer_tier']})" if row["customer_tier"] else ""
    outcome = ""
    if row["outcome"]:
        score = f" {row['satisfaction']}/5" if row["satisfaction"] is not None else ""
        outcome = f"  {t('outcome.' + row['outcome'])}{score}"
    return (
        f"{row['id']:>6}  {t('fustate.' + row['state']):<8} {row['due_at']}  "
        f"{t('fukind.' + row['kind'])}  {ticket}  {customer}{tier}{outcome}"
    )


@click.command("followups", cls=Command)
@db_option
@click.option("--due", "selection", flag_value="due", help="Only those due now (overdue included).")
@click.option(
    "--overdue",
    "selection",
    flag_value="overdue",
    help="Only those more than a day past due and not done.",
)
@click.option("--done", "selection", flag_value="done", help="Only those already recorded.")
@click.option("--all", "selection", flag_value="all", help="Every follow-up, done or not.")
@click.option("--mine", is_flag=True, help="Only on tickets you hold (and ticketless greetings).")
@click.option("--customer", "customer_id", help="Only this customer's.")
@click.option(
    "--limit",
    type=click.IntRange(min=1, max=100_000),
    default=200,
    show_default=True,
    help="At most this many, soonest due first.",
)
@click.option("--json", "as_json", is_flag=True, help="JSON array, soonest due first.")
@click.pass_context
def followups(
    ctx: click.Context,
    selection: str | None,
    mine: bool,
    customer_id: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Follow-up work, soonest due first: callbacks after resolution, first buyers' usage
    checks and VIP birthday greetings. Without a flag: every one not done yet."""
    from cs_console.service.followups import Followups

    with open_desk(ctx) as desk, desk_errors():
        rows = Followups(desk).listing(
            selection or "open", mine=mine, customer_id=customer_id, limit=limit
        )
    if as_json:
        dump([_item(row) for row in rows])
        return
    if not rows:
        say(t("followup.cli.none"))
        return
    for row in rows:
        say(_line(row))
    say(t("followup.cli.count", n=len(rows)))


@click.group("followup", cls=Group)
def followup() -> None:
    """One follow-up: `followup done ID` records its outcome; `followup birthdays` creates
    this month's VIP birthday greetings."""


@followup.command("done")
@db_option
@click.argument("followup_id", type=FOLLOWUP_ID)
@click.option(
    "--outcome",
    type=click.Choice(OUTCOMES),
    required=True,
    help="reached: spoke with the customer; no_answer: could not reach them; declined: they "
    "declined (the call, the survey or the resolution).",
)
@click.option(
    "--satisfaction",
    type=click.IntRange(*SATISFACTION_RANGE),
    help="The customer's satisfaction, 1 (very unhappy) to 5 (very happy); 1-2 reopens the ticket.",
)
@click.option(
    "--comment",
    help="What the customer said (a comment with --outcome declined is a complaint: it reopens "
    "the ticket).",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="JSON: followup, unhappy, reopened, not_reopened, op_id.",
)
@click.pass_context
def done(
    ctx: click.Context,
    followup_id: int,
    outcome: str,
    satisfaction: int | None,
    comment: str | None,
    as_json: bool,
) -> None:
    """Record what a follow-up came to, once. An unhappy one reopens its ticket."""
    from cs_console.service.followups import Followups

    with open_desk(ctx) as desk, desk_errors():
        result = Followups(desk).record(followup_id, outcome, satisfaction, comment)
    row = result.followup
    if as_json:
        dump(
            {
                "followup": _item(row),
                "unhappy": result.unhappy,
                "reopened": result.reopened,
                "not_reopened": result.not_reopened,
                "op_id": result.op_id,
            }
        )
        return
    if result.reopened:
        say(t("followup.reopened", id=row["id"], ticket=row["ticket_id"]))
    elif result.not_reopened == "closed":
        say(t("followup.not_reopened.closed", id=row["id"], ticket=row["ticket_id"]))
    else:
        say(t("followup.saved", id=row["id"], outcome=t("outcome." + outcome)))


@followup.command("birthdays")
@db_option
@click.option("--json", "as_json", is_flag=True, help="JSON array of the new follow-up ids.")
@click.pass_context
def birthdays(ctx: click.Context, as_json: bool) -> None:
    """Create this month's birthday greetings for VIPs (gold, diamond) now; one per customer
    per year, so running it again creates nothing. Sync rounds do this by themselves."""
    from cs_console.service.followups import Followups

    with open_desk(ctx) as desk, desk_errors():
        created = Followups(desk).create_birthday_greetings(force=True)
    if as_json:
        dump(created)
        return
    say(t("followup.cli.birthdays", n=len(created)))


def register(main: click.Group) -> None:
    """Add ``followups`` and the ``followup`` group to the root group."""
    main.add_command(followups)
    main.add_command(followup)
