"""``cs-console report``: the service metrics of a period, as a table, JSON, CSV or xlsx.

Registered on the root group by ``cli.root`` through :func:`register`. The figures come from
:class:`cs_console.service.metrics.Metrics` (the same the dashboard shows); an agent sees only
the tickets assigned to them, a supervisor the whole team.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cs_console.cli.help_text import Command
from cs_console.cli.support import db_option, desk_errors, dump, emit_exact, open_desk, say
from cs_console.csvsafe import csv_text
from cs_console.i18n import t
from cs_console.policy import metrics as rules
from cs_console.service.metrics_text import show_value

CHOICES = tuple(by for by in rules.BREAKDOWNS if by != "all")
CSV_COLUMNS = (
    "from",
    "to",
    "by",
    "group",
    "figure",
    "label",
    "value",
    "unit",
    "target",
    "state",
    "count",
    "of",
)


@click.command("report", cls=Command)
@db_option
@click.option(
    "--from", "start", metavar="DATE", help="First day (YYYY-MM-DD, local); default today."
)
@click.option("--to", "end", metavar="DATE", help="Last day, included (YYYY-MM-DD, local).")
@click.option(
    "--by",
    type=click.Choice(CHOICES),
    help="Also one row per channel, category, agent, skill group, hour of day or day.",
)
@click.option("--json", "as_json", is_flag=True, help="JSON: period, total, rows, allergy batches.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV: one line per group and figure.")
@click.option(
    "--xlsx",
    "xlsx",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a workbook: summary, one sheet per breakdown (all, or --by) with a chart.",
)
@click.pass_context
def report(
    ctx: click.Context,
    start: str | None,
    end: str | None,
    by: str | None,
    as_json: bool,
    as_csv: bool,
    xlsx: Path | None,
) -> None:
    """Service metrics of a period against their targets (README: "Service metrics")."""
    from cs_console.service.metrics import Metrics

    if sum((as_json, as_csv, xlsx is not None)) > 1:
        raise click.UsageError(t("metrics.report.one_format"))
    with open_desk(ctx) as desk, desk_errors():
        metrics = Metrics(desk)
        period = metrics.period(start, end)
        if xlsx is not None:
            breakdowns = [by] if by else list(CHOICES)
            reports = [metrics.report(period, name) for name in breakdowns]
            sheets = write_xlsx(xlsx, reports)
            say(t("metrics.report.written", path=xlsx, sheets=sheets))
            return
        result = metrics.report(period, by or "all")
    if as_json:
        dump(result.as_json())
    elif as_csv:
        emit_exact(csv_text(csv_rows(result), CSV_COLUMNS))
    else:
        print_report(result)


# -- text -------------------------------------------------------------------------------------


def group_label(by: str, group: Any) -> str:
    if group is None:
        return t("metrics.none_group")
    if by == "hour":
        return f"{int(group):02d}:00"
    return str(group)


def print_report(result: Any) -> None:
    say(t("metrics.report.head", period=result.period.label(), zone=result.period.zone))
    if result.agent:
        say(t("metrics.report.own", agent=result.agent))
    if not result.total.figures["tickets"]["value"] and not result.rows:
        say(t("metrics.report.empty"))
    _print_figures(t("metrics.by.all"), result.total.figures)
    for row in result.rows:
        title = t(
            "metrics.report.group",
            by=t("metrics.by." + result.by),
            group=group_label(result.by, row.group),
        )
        _print_figures(title, row.figures)
    if result.allergy:
        say("")
        say(t("metrics.report.allergy"))
        for batch in result.allergy:
            say(
                "  "
                + t(
                    "metrics.report.allergy_line",
                    sku=batch["sku"] or "-",
                    product=batch["product"] or "",
                    batch=batch["batch_no"] or "-",
                    cases=batch["cases"],
                    customers=batch["customers"],
                )
            )


def _print_figures(title: str, figures: dict[str, dict[str, Any]]) -> None:
    say("")
    say(f"== {title}")
    for fig in rules.FIGURES:
        entry = figures[fig.name]
        value = show_value(entry["value"], fig.unit)
        if "of" in entry and entry["value"] is not None:
            value += f" ({entry['count']}/{entry['of']})"
        target = show_value(entry["target"], fig.unit) if entry["target"] is not None else ""
        say(
            f"  {_pad(t(fig.label), 30)} {_pad(value, 20)} {_pad(target, 8)} "
            f"{t('metrics.state.' + entry['state'])}"
        )


def _pad(text: str, width: int) -> str:
    """Left-aligned to ``width`` terminal columns (a Chinese character takes two)."""
    from rich.cells import cell_len

    return text + " " * max(0, width - cell_len(text))


# -- CSV --------------------------------------------------------------------------------------


def csv_rows(result: Any) -> list[dict[str, Any]]:
    rows = []
    period = result.period.as_json()
    for by, row in [("all", result.total), *((result.by, r) for r in result.rows)]:
        for fig in rules.FIGURES:
            entry = row.figures[fig.name]
            rows.append(
                {
                    "from": period["from"],
                    "to": period["to"],
                    "by": by,
                    "group": "" if row.group is None else row.group,
                    "figure": fig.name,
                    "label": t(fig.label),
                    "value": "" if entry["value"] is None else entry["value"],
                    "unit": fig.unit,
                    "target": "" if entry["target"] is None else entry["target"],
                    "state": entry["state"],
                    "count": entry.get("count", ""),
                    "of": entry.get("of", ""),
                }
            )
    return rows


# -- xlsx -------------------------------------------------------------------------------------

_STATE_COLOURS = {rules.GREEN: "#C6EFCE", rules.AMBER: "#FFEB9C", rules.RED: "#FFC7CE"}


def write_xlsx(path: Path, reports: list[Any]) -> int:
    """A workbook: the summary (each figure, target, state), one sheet per breakdown (groups
    down, figures across) with a chart of volume and SLA attainment, and the allergy batches.
    Text cells are written as strings, never as formulas. Returns the number of sheets."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True})
    states = {
        name: book.add_format({"bg_color": colour}) for name, colour in _STATE_COLOURS.items()
    }
    first = reports[0]
    summary = book.add_worksheet(_sheet_name(t("metrics.report.summary_sheet")))
    summary.write_string(
        0, 0, t("metrics.report.head", period=first.period.label(), zone=first.period.zone), bold
    )
    if first.agent:
        summary.write_string(1, 0, t("metrics.report.own", agent=first.agent))
    headers = (
        "metrics.report.figure",
        "metrics.report.value",
        "metrics.report.target",
        "metrics.report.state",
    )
    for col, key in enumerate(headers):
        summary.write_string(2, col, t(key), bold)
    summary.write_string(2, 4, "unit", bold)
    for line, fig in enumerate(rules.FIGURES, start=3):
        entry = first.total.figures[fig.name]
        summary.write_string(line, 0, t(fig.label))
        _number(summary, line, 1, entry["value"])
        _number(summary, line, 2, entry["target"])
        summary.write_string(
            line, 3, t("metrics.state." + entry["state"]), states.get(entry["state"])
        )
        summary.write_string(line, 4, fig.unit)
    summary.set_column(0, 0, 34)
    summary.set_column(1, 4, 12)
    for result in reports:
        _breakdown_sheet(book, result, bold)
    _allergy_sheet(book, first, bold)
    count = len(book.worksheets())
    book.close()
    return count


def _breakdown_sheet(book: Any, result: Any, bold: Any) -> None:
    sheet = book.add_worksheet(_sheet_name(t("metrics.by." + result.by)))
    sheet.write_string(0, 0, t("metrics.by." + result.by), bold)
    for col, fig in enumerate(rules.FIGURES, start=1):
        sheet.write_string(0, col, t(fig.label), bold)
    for line, row in enumerate(result.rows, start=1):
        sheet.write_string(line, 0, group_label(result.by, row.group))
        for col, fig in enumerate(rules.FIGURES, start=1):
            _number(sheet, line, col, row.figures[fig.name]["value"])
    sheet.set_column(0, 0, 16)
    sheet.freeze_panes(1, 1)
    if not result.rows:
        return
    last = len(result.rows)
    volume = book.add_chart({"type": "column"})
    column = 1 + [f.name for f in rules.FIGURES].index("tickets")
    volume.add_series(
        {
            "name": t("metrics.fig.tickets"),
            "categories": [sheet.get_name(), 1, 0, last, 0],
            "values": [sheet.get_name(), 1, column, last, column],
        }
    )
    attainment = book.add_chart({"type": "line"})
    column = 1 + [f.name for f in rules.FIGURES].index("sla_attainment")
    attainment.add_series(
        {
            "name": t("metrics.fig.sla_attainment"),
            "categories": [sheet.get_name(), 1, 0, last, 0],
            "values": [sheet.get_name(), 1, column, last, column],
            "y2_axis": True,
        }
    )
    volume.combine(attainment)
    volume.set_title(
        {
            "name": t(
                "metrics.report.chart",
                figure=t("metrics.fig.tickets"),
                by=t("metrics.by." + result.by),
            )
        }
    )
    volume.set_size({"width": 720, "height": 320})
    sheet.insert_chart(last + 3, 1, volume)


def _allergy_sheet(book: Any, result: Any, bold: Any) -> None:
    sheet = book.add_worksheet(_sheet_name(t("metrics.report.allergy_sheet")))
    columns = (
        "sku",
        "product",
        "batch_no",
        "cases",
        "customers",
        "first_reported",
        "last_reported",
    )
    for col, name in enumerate(columns):
        sheet.write_string(0, col, name, bold)
    for line, batch in enumerate(result.allergy, start=1):
        for col, name in enumerate(columns):
            value = batch[name]
            if isinstance(value, int):
                sheet.write_number(line, col, value)
            else:
                sheet.write_string(line, col, "" if value is None else str(value))


def _number(sheet: Any, row: int, col: int, value: Any) -> None:
    if value is None:
        sheet.write_blank(row, col, None)
    else:
        sheet.write_number(row, col, value)


def _sheet_name(text: str) -> str:
    """A valid sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    for bad in "[]:*?/\\":
        text = text.replace(bad, " ")
    return text[:31]


def register(main: click.Group) -> None:
    """Add ``report`` to the root group."""
    main.add_command(report)
