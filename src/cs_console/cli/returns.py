"""CLI twins of the return, exchange and compensation actions, and the quality team's reports.

Registered on the root group by ``cli.py``. Each command calls :class:`cs_console.service.returns.Returns`,
the same code path as the console's dialogs. Errors print a clear message, exit non-zero and
write nothing.
"""

from __future__ import annotations

from typing import Any

import click

from cs_console.cli.help_text import Command
from cs_console.cli.support import (
    TICKET_ID,
    db_option,
    desk_errors,
    dump,
    emit_exact,
    open_desk,
    open_store,
    say,
)
from cs_console.csvsafe import csv_text
from cs_console.i18n import language, t
from cs_console.policy.returns import REQUEST_STATUSES as STATUSES
from cs_console.policy.returns import RETURN_REASONS, RETURN_RESOLUTIONS


def _line_specs(skus: tuple[str, ...], qtys: tuple[int, ...]) -> list[tuple[str, int]]:
    if not qtys:
        qtys = (1,) * len(skus)
    if len(qtys) != len(skus):
        raise click.UsageError(t("cli.rx.one_qty_per_sku"))
    return list(zip(skus, qtys, strict=True))


def _request_options(command: Any) -> Any:
    options = [
        click.option("--ticket", "ticket_id", type=TICKET_ID, required=True, help="Ticket number."),
        click.option(
            "--sku",
            "skus",
            multiple=True,
            required=True,
            help="SKU of an order line (repeat for several lines).",
        ),
        click.option(
            "--qty",
            "qtys",
            type=click.IntRange(min=1),
            multiple=True,
            help="Quantity for each --sku, in the same order (default 1).",
        ),
        click.option(
            "--reason",
            type=click.Choice(RETURN_REASONS),
            required=True,
            help="Reason code (see README).",
        ),
        click.option("--batch", "batch_no", help="Batch number (required for allergy)."),
        click.option(
            "--photos", is_flag=True, help="The customer sent photos (damaged: required)."
        ),
        click.option(
            "--goodwill", is_flag=True, help="An exception outside policy: waits for a supervisor."
        ),
        click.option("--symptoms", help="Allergy: symptoms for the case (default: last message)."),
        click.option(
            "--request-key", help="Idempotency key (default: derived from the request itself)."
        ),
        click.option(
            "--json", "as_json", is_flag=True, help="JSON: return_id, status, verdict, op_id."
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return db_option(command)


def _file(ctx: click.Context, as_json: bool, **kwargs: Any) -> None:
    from cs_console.service.returns import Returns

    with open_desk(ctx) as desk, desk_errors():
        result = Returns(desk).request(**kwargs)
    _show(result, as_json)


def _show(result: Any, as_json: bool) -> None:
    if as_json:
        dump(result.to_dict())
        return
    from cs_console.service.errors import Term, said

    verdict = result.verdict
    unit = t("verdict.unit.points" if verdict.amount_unit == "points" else "verdict.unit.yuan")
    amount = f" {result.amount:g} {unit}" if result.amount else ""
    lang = language()
    say(
        t(
            "cli.rx.filed",
            id=result.return_id,
            status=result.status,  # the codes are what --status and the JSON take
            status_label=Term("rstatus", result.status).label(lang),
            kind=result.kind,
            kind_label=Term("rkind", result.kind).label(lang),
            reason=result.reason,
            reason_label=Term("reason", result.reason).label(lang),
            resolution=result.resolution,
            resolution_label=Term("resolution", result.resolution).label(lang),
            amount=amount,
            again="" if result.created else t("cli.rx.again"),
        )
    )
    for line in verdict.reasons:
        say(f"  - {said(line)}")
    for advice in verdict.advice:
        say(f"  ! {said(advice)}")
    if result.status == "awaiting_approval":
        say(t("cli.rx.waits", id=result.return_id))
    say(t("cli.rx.op", op=result.op_id))


@click.command("return", cls=Command)
@_request_options
@click.option(
    "--resolution",
    type=click.Choice(RETURN_RESOLUTIONS),
    help="refund | exchange | reissue | repair (default: the policy's first option).",
)
@click.option("--to-sku", help="Exchange target (another shade or size, or same-price item).")
@click.pass_context
def return_(
    ctx: click.Context,
    ticket_id: int,
    skus: tuple[str, ...],
    qtys: tuple[int, ...],
    reason: str,
    batch_no: str | None,
    photos: bool,
    goodwill: bool,
    symptoms: str | None,
    request_key: str | None,
    as_json: bool,
    resolution: str | None,
    to_sku: str | None,
) -> None:
    """Return order lines of a ticket's order (refund, reissue, repair or exchange)."""
    _file(
        ctx,
        as_json,
        ticket_id=ticket_id,
        lines=_line_specs(skus, qtys),
        reason=reason,
        resolution=resolution,
        batch_no=batch_no,
        to_sku=to_sku,
        photos=photos,
        goodwill=goodwill,
        request_key=request_key,
        symptoms=symptoms,
    )


@click.command("exchange", cls=Command)
@_request_options
@click.option(
    "--to-sku",
    help="Target SKU: another shade or size of the same product, or an item at the same price "
    "(default for wrong_item, faulty, quality: the same SKU).",
)
@click.pass_context
def exchange(
    ctx: click.Context,
    ticket_id: int,
    skus: tuple[str, ...],
    qtys: tuple[int, ...],
    reason: str,
    batch_no: str | None,
    photos: bool,
    goodwill: bool,
    symptoms: str | None,
    request_key: str | None,
    as_json: bool,
    to_sku: str | None,
) -> None:
    """Exchange order lines of a ticket's order for another shade, size or item."""
    _file(
        ctx,
        as_json,
        ticket_id=ticket_id,
        lines=_line_specs(skus, qtys),
        reason=reason,
        resolution="exchange",
        batch_no=batch_no,
        to_sku=to_sku,
        photos=photos,
        goodwill=goodwill,
        request_key=request_key,
        symptoms=symptoms,
    )


@click.command("approve", cls=Command)
@db_option
@click.argument("return_id")
@click.option("--note", default="", help="Why (optional).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def approve(ctx: click.Context, return_id: str, note: str, as_json: bool) -> None:
    """A supervisor approves a return, exchange or compensation waiting for approval."""
    from cs_console.service.returns import Returns

    with open_desk(ctx) as desk, desk_errors():
        result = Returns(desk).approve(return_id, note)
    _show(result, as_json)


@click.command("decline", cls=Command)
@db_option
@click.argument("return_id")
@click.option("--note", required=True, help="Why it is declined (told to the agent).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def decline(ctx: click.Context, return_id: str, note: str, as_json: bool) -> None:
    """A supervisor declines a request waiting for approval; its lines are free again."""
    from cs_console.service.returns import Returns

    with open_desk(ctx) as desk, desk_errors():
        result = Returns(desk).decline(return_id, note)
    _show(result, as_json)


@click.command("compensate", cls=Command)
@db_option
@click.option("--ticket", "ticket_id", type=TICKET_ID, required=True)
@click.option("--kind", type=click.Choice(["points", "coupon"]), required=True)
@click.option(
    "--amount",
    type=click.FloatRange(min=0, min_open=True),
    help="Points, or coupon yuan (default: the policy's amount).",
)
@click.option(
    "--reason",
    type=click.Choice(["delay", "goodwill"]),
    default="delay",
    show_default=True,
    help="delay: by days late; goodwill: no rule, a supervisor decides.",
)
@click.option("--note", help="Free text kept with the compensation.")
@click.option("--goodwill", is_flag=True, help="Ask for more than the policy gives.")
@click.option("--request-key", help="Idempotency key (default: derived from the request).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def compensate(
    ctx: click.Context,
    ticket_id: int,
    kind: str,
    amount: float | None,
    reason: str,
    note: str | None,
    goodwill: bool,
    request_key: str | None,
    as_json: bool,
) -> None:
    """Compensate the ticket's customer with points or a coupon."""
    from cs_console.service.returns import Returns

    with open_desk(ctx) as desk, desk_errors():
        result = Returns(desk).compensate(
            ticket_id,
            kind,
            amount,
            reason=reason,
            note=note,
            goodwill=goodwill,
            request_key=request_key,
        )
    _show(result, as_json)


RAW_HELP = (
    "With --csv: write cells exactly as stored. Dangerous: customer text such as "
    "=HYPERLINK(...) then runs as a formula when the sheet is opened; by default a cell "
    "starting with = + - @ (or tab, CR) gets a ' in front (plain numbers stay as they are)."
)


def _csv(rows: list[dict[str, Any]], columns: list[str], raw: bool = False) -> str:
    """CSV for a spreadsheet: cells that would start a formula are neutralised unless ``raw``."""
    return csv_text(rows, columns, raw=raw, lineterminator="\n", extrasaction="ignore")


ALLERGY_COLUMNS = [
    "product",
    "sku",
    "batch_no",
    "date",
    "symptoms",
    "outcome",
    "batch_cases",
    "ticket_id",
    "return_id",
    "customer_id",
]


@click.command("allergy-cases", cls=Command)
@db_option
@click.option("--csv", "as_csv", is_flag=True, help="CSV for the quality team.")
@click.option("--raw", is_flag=True, help=RAW_HELP)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def allergy_cases(ctx: click.Context, as_csv: bool, raw: bool, as_json: bool) -> None:
    """Allergy cases (product, batch, date, symptoms, outcome); repeated batches first."""
    with open_store(ctx) as store:
        rows = store.allergy_cases_report()
    for row in rows:
        row["date"] = (row.get("reported_at") or "")[:10]
    if as_csv:
        emit_exact(_csv(rows, ALLERGY_COLUMNS, raw))
    elif as_json:
        dump(rows)
    else:
        for row in rows:
            say(
                f"{row['date']} {row['sku']} {row['batch_no'] or '-'} x{row['batch_cases']} "
                f"{row['outcome'] or '-'} {(row['symptoms'] or '').splitlines()[0][:40] if row['symptoms'] else ''}"
            )


RETURN_COLUMNS = [
    "return_id",
    "created_at",
    "status",
    "kind",
    "reason",
    "resolution",
    "ticket_id",
    "order_id",
    "sku",
    "qty",
    "to_sku",
    "batch_no",
    "amount",
    "created_by",
    "approved_by",
    "approval_note",
]


@click.command("returns", cls=Command)
@db_option
@click.option(
    "--status", "statuses", multiple=True, type=click.Choice(STATUSES), help="Only these."
)
@click.option("--awaiting", is_flag=True, help="Only those waiting for a supervisor.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV, one row per returned line.")
@click.option("--raw", is_flag=True, help=RAW_HELP)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def returns_report(
    ctx: click.Context,
    statuses: tuple[str, ...],
    awaiting: bool,
    as_csv: bool,
    raw: bool,
    as_json: bool,
) -> None:
    """Returns, exchanges and compensations with their reason codes, newest first."""
    if awaiting:
        statuses = (*statuses, "awaiting_approval")
    with open_store(ctx) as store:
        rows = store.returns_report(statuses or None)
    flat: list[dict[str, Any]] = []
    for row in rows:
        items = row["lines"] or [{"sku": "", "qty": "", "to_sku": "", "amount": row["amount"]}]
        for item in items:
            flat.append(
                {
                    **row,
                    "return_id": row["id"],
                    "sku": item.get("sku"),
                    "qty": item.get("qty"),
                    "to_sku": item.get("to_sku") or "",
                    "amount": item.get("amount", row["amount"]) if row["lines"] else row["amount"],
                }
            )
    if as_csv:
        emit_exact(_csv(flat, RETURN_COLUMNS, raw))
    elif as_json:
        for row in rows:
            row["return_id"] = row.pop("id")
        dump(rows)
    else:
        for row in rows:
            skus = ",".join(f"{i['sku']}x{i['qty']}" for i in row["lines"] or [])
            say(
                t(
                    "cli.rx.report_row",
                    id=row["id"],
                    status=row["status"],
                    reason=row["reason"],
                    resolution=row["resolution"],
                    amount=row["amount"],
                    ticket=row["ticket_id"],
                    skus=skus,
                )
            )


def register(main: click.Group) -> None:
    """Add the commands to the root group."""
    for command in (return_, exchange, approve, decline, compensate, allergy_cases, returns_report):
        main.add_command(command)
