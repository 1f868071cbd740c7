"""The supervisor's dashboard (F2): the period's figures as tiles beside their targets, trends
by hour and day, the backlog by age, a table per agent, and a drill-down from any figure to the
tickets behind it (they open in the queue). Agents see the same screen over their own tickets.

The figures come from ``service.metrics``; they are computed in a worker on a connection of its
own, so the console never waits for them, and again every REFRESH_SECONDS while the screen is up.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from cs_console.i18n import t
from cs_console.policy import metrics as rules
from cs_console.service.desk import Desk
from cs_console.service.metrics import Metrics, Period
from cs_console.service.metrics_text import show_value
from cs_console.service.queue import Queue
from cs_console.tui.widgets.bindings import Translated, key
from cs_console.tui.widgets.footer import SteadyFooter
from cs_console.tui.widgets.safe import one_line

REFRESH_SECONDS = 30.0
CHART_DAY_LABELS = 5
AGENT_WIDTH = 16
STATES = (rules.GREEN, rules.AMBER, rules.RED, rules.NO_TARGET, rules.NO_DATA)
PERIOD_DAYS = {"today": 1, "week": 7, "month": 30}
#: the tiles, in reading order; every figure is in the table below them
TILES = (
    "first_response_attainment",
    "sla_attainment",
    "backlog",
    "backlog_age_max",
    "fcr",
    "closure_rate",
    "csat",
    "returns_within_target",
    "complaints_within_target",
    "repeat_complaint_rate",
    "escalation_rate",
    "followups_overdue",
)
AGENT_COLUMNS = ("tickets", "first_response_attainment", "sla_attainment", "fcr", "csat", "backlog")
STATE_STYLE = {
    rules.GREEN: "bold green",
    rules.AMBER: "bold yellow",
    rules.RED: "bold red",
}


def figure_text(entry: dict[str, Any]) -> Text:
    """``95.0%`` in the state's colour, with ``(19/20)`` when it is a share."""
    text = Text(show_value(entry["value"], entry["unit"]), STATE_STYLE.get(entry["state"], ""))
    if entry.get("of"):
        text.append(f" ({entry['count']}/{entry['of']})", "dim")
    return text


def target_text(entry: dict[str, Any]) -> str:
    target = entry.get("target")
    return "" if target is None else show_value(target, entry["unit"])


class Tile(Translated, Static, can_focus=True):
    """One figure beside its target; enter drills down to its tickets."""

    class Drill(Message):
        def __init__(self, figure: str) -> None:
            super().__init__()
            self.figure = figure

    BINDINGS = [key("enter", "drill", "dash_drill")]

    def __init__(self, figure: str) -> None:
        super().__init__(id=f"tile-{figure}", classes="tile", markup=False)
        self._translate_bindings()
        self.figure = figure

    def show(self, entry: dict[str, Any]) -> None:
        self.set_classes(f"tile -{entry['state']}")
        width = max(8, self.content_region.width or 22)
        label = Text(t(rules.figure(self.figure).label), "bold")
        label.truncate(width, overflow="ellipsis")
        value = figure_text(entry)
        value.truncate(width, overflow="ellipsis")
        goal = target_text(entry)
        state = t("metrics.state." + entry["state"])
        note = Text(f"{t('dash.target')} {goal} · {state}" if goal else state, "dim")
        note.truncate(width, overflow="ellipsis")
        self.update(Text("\n").join([label, value, note]))

    def action_drill(self) -> None:
        self.post_message(self.Drill(self.figure))


class DashboardScreen(Translated, Screen[None]):
    """Tiles, charts and tables for one period; t/w/m pick the period, enter drills down."""

    BINDINGS = [
        key("escape", "close", "dash_close"),
        key("t", "period('today')", "dash_today"),
        key("w", "period('week')", "dash_week"),
        key("m", "period('month')", "dash_month"),
        key("r", "refresh", "dash_refresh"),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self._translate_bindings()
        self.desk = desk
        self.metrics = Metrics(desk)
        self.period_name = "today"
        self.figures: dict[str, Any] | None = None
        self._generation = 0
        self.queue = Queue(desk)
        self._reader: Queue | None = None  # the worker's connection (the queue's own in memory)
        self._next: Any = None  # the timer of the next refresh

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dash"):
            yield Static(id="dash-title", markup=False)
            with Grid(id="dash-tiles"):
                for name in TILES:
                    yield Tile(name)
            with Horizontal(id="dash-charts"):
                # titles outside the plots: plotext measures CJK text as one column a character
                for chart in ("by-hour", "by-day", "backlog"):
                    with Vertical(classes="dash-chart"):
                        yield Static(t(f"dash.chart.{chart.replace('-', '_')}"), markup=False)
                        yield PlotextPlot(id=f"dash-{chart}")
            yield Static(t("dash.agents"), classes="dash-heading", markup=False)
            yield DataTable(id="dash-agents", cursor_type="row", zebra_stripes=True)
            yield Static(t("dash.all_figures"), classes="dash-heading", markup=False)
            yield DataTable(id="dash-figures", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one(Tile).focus()
        self.action_refresh()

    def on_resize(self) -> None:
        """As many tiles a row as fit 26 columns each (2 at 80 columns, 6 at 160)."""
        self.query_one("#dash-tiles", Grid).styles.grid_size_columns = max(
            2, min(6, self.size.width // 26)
        )

    def on_unmount(self) -> None:
        if self._reader is not None and self._reader is not self.queue:
            self._reader.close()

    # -- the period and its figures ------------------------------------------------------

    def current_period(self) -> Period:
        days = PERIOD_DAYS[self.period_name]
        today = self.desk.now().astimezone(ZoneInfo(self.metrics.zone)).date()
        first = today - timedelta(days=days - 1)
        return self.metrics.period(first.isoformat(), today.isoformat())

    def action_period(self, name: str) -> None:
        self.period_name = name
        self.action_refresh()

    def action_refresh(self) -> None:
        self._generation += 1
        period = self.current_period()
        self._set_title(period, busy=True)
        self._compute(self._generation, period)

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def _compute(self, generation: int, period: Period) -> None:
        if self._reader is None:
            self._reader = self.queue.on_own_connection()
        started = time.monotonic()
        figures = Metrics(self._reader.desk).dashboard(period)
        took = time.monotonic() - started
        self.app.call_from_thread(self._show, generation, figures, took)

    def _set_title(self, period: Period, busy: bool = False) -> None:
        scope = (
            t("dash.scope_team")
            if self.metrics.own_only is None
            else t("dash.scope_own", agent=self.desk.agent.id)
        )
        title = t(
            "dash.title",
            period=t(f"dash.period.{self.period_name}"),
            dates=period.label(),
            scope=scope,
        )
        self.query_one("#dash-title", Static).update(Text(title + (" …" if busy else ""), "bold"))

    def _show(self, generation: int, figures: dict[str, Any], took: float = 0.0) -> None:
        if generation != self._generation or not self.is_mounted:
            return  # a newer period was asked for
        self.figures = figures
        # the next refresh: every REFRESH_SECONDS, but a cache that takes long to count is
        # counted less often (never more than a tenth of the time spent counting)
        if self._next is not None:
            self._next.stop()
        self._next = self.set_timer(max(REFRESH_SECONDS, took * 10), self.action_refresh)
        self._set_title(figures["period"])
        tiles = figures["tiles"]
        for tile in self.query(Tile):
            tile.show(tiles[tile.figure])
        self._fill_figures(tiles)
        self._fill_agents(figures["by_agent"])
        self._plot_by_hour(figures["by_hour"])
        self._plot_by_day(figures["by_day"])
        self._plot_backlog(figures["backlog_age_bands"])

    def _fill_figures(self, tiles: dict[str, dict[str, Any]]) -> None:
        table = self.query_one("#dash-figures", DataTable)
        row = table.cursor_row
        # widths set here, not measured as rows arrive: every refresh draws the same table
        table.clear(columns=True)
        labels = [t(fig.label) for fig in rules.FIGURES]
        widths = {
            "figure": max(cell_len(label) for label in labels),
            "value": 16,
            "target": 8,
            "state": max(cell_len(t(f"metrics.state.{s}")) for s in STATES),
        }
        for column, width in widths.items():
            table.add_column(t(f"dash.col.{column}"), key=column, width=width)
        for fig in rules.FIGURES:
            entry = tiles[fig.name]
            table.add_row(
                t(fig.label),
                figure_text(entry),
                target_text(entry),
                Text(t(f"metrics.state.{entry['state']}"), STATE_STYLE.get(entry["state"], "")),
                key=fig.name,
            )
        if 0 <= row < table.row_count:
            table.move_cursor(row=row)

    def _fill_agents(self, rows: list[Any]) -> None:
        table = self.query_one("#dash-agents", DataTable)
        table.clear(columns=True)
        table.add_column(t("dash.agent"), key="agent", width=AGENT_WIDTH)
        for name in AGENT_COLUMNS:
            label = t(rules.figure(name).label)
            table.add_column(label, key=name, width=max(cell_len(label), 14))
        for row in rows:
            agent = t("metrics.none_group") if row.group is None else str(row.group)
            table.add_row(
                one_line(agent, AGENT_WIDTH),  # agent ids come from the backend: literal
                *(figure_text(row.figures[name]) for name in AGENT_COLUMNS),
            )

    # charts: only our own labels and numbers reach plotext (it parses escape sequences)
    def _plot_by_hour(self, rows: list[Any]) -> None:
        plot = self.query_one("#dash-by-hour", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        hours = [int(row.group) for row in rows if row.group is not None]
        volume = [
            int(row.figures["tickets"]["value"] or 0) for row in rows if row.group is not None
        ]
        if hours:
            plt.bar(hours, volume)
            ticks: list[float] = list(range(0, 24, 3))
            plt.xticks(ticks, [f"{int(h):02d}" for h in ticks])
        plot.refresh()

    def _plot_by_day(self, rows: list[Any]) -> None:
        plot = self.query_one("#dash-by-day", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        points = [
            (index + 1, row.figures["first_response_attainment"]["value"])
            for index, row in enumerate(rows)
        ]
        measured = [(x, y) for x, y in points if y is not None]
        if measured:
            plt.plot([x for x, _ in measured], [y for _, y in measured], marker="dot")
            plt.ylim(0, 100)
            step = max(1, -(-len(rows) // CHART_DAY_LABELS))  # at most that many labels
            days: list[float] = list(range(1, len(rows) + 1, step))
            plt.xticks(days, [str(rows[int(i) - 1].group)[5:] for i in days])
        plot.refresh()

    def _plot_backlog(self, bands: list[dict[str, Any]]) -> None:
        plot = self.query_one("#dash-backlog", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        if bands:
            labels = [_band_label(band) for band in bands]
            plt.bar(labels, [int(band["tickets"]) for band in bands])
        plot.refresh()

    # -- drill-down ------------------------------------------------------------------------

    def on_tile_drill(self, event: Tile.Drill) -> None:
        self.drill(event.figure)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "dash-figures" and event.row_key.value:
            self.drill(str(event.row_key.value))

    def drill(self, figure: str) -> None:
        """Open the tickets behind ``figure`` in the queue (the main screen's)."""
        ids = self.metrics.ticket_ids(self.current_period(), figure)
        if not ids:
            self.notify(t("dash.nothing_behind", figure=t(rules.figure(figure).label)))
            return
        label = t(rules.figure(figure).label)
        self.dismiss(None)
        from cs_console.tui.screens.main import MainScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, MainScreen):
                screen.show_drill(label, ids)
                break

    def action_close(self) -> None:
        self.dismiss(None)


def _band_label(band: dict[str, Any]) -> str:
    upper = band.get("to_seconds")
    if upper is None:
        return f">{show_value(band.get('from_seconds'), rules.SECONDS)}"
    return f"<{show_value(upper, rules.SECONDS)}"
