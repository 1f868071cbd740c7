"""The supervisor's view of training: per trainee the practice done, the average per rubric line,
the weakest topics, quiz results and readiness (the configured pass mark on the ready set)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from cs_console.i18n import CATALOGUE, language, t
from cs_console.service.desk import Desk
from cs_console.service.training import Progress, load_training_scenarios, results_store
from cs_console.training.rubric import LINES
from cs_console.tui.widgets.bindings import Translated, key
from cs_console.tui.widgets.safe import one_line


def progress_reports(
    desk: Desk, kb_dir: Path | None, pass_mark: float, ready_set: str
) -> list[dict[str, Any]]:
    progress = Progress(results_store(desk), load_training_scenarios(kb_dir), pass_mark, ready_set)
    return [progress.report(name) for name in progress.trainees()]


class TrainingProgressScreen(Translated, ModalScreen[None]):
    """One row per trainee; esc closes."""

    BINDINGS = [key("escape", "close", "train_close")]

    def __init__(self, reports: list[dict[str, Any]]) -> None:
        super().__init__()
        self._translate_bindings()
        self.reports = reports

    def compose(self) -> ComposeResult:
        with Vertical(id="train-progress"):
            yield Static(id="train-progress-note", markup=False)
            yield DataTable(id="train-progress-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        box = self.query_one("#train-progress", Vertical)
        box.border_title = t("train.progress_title")
        table = self.query_one("#train-progress-table", DataTable)
        table.add_columns(
            "ID",
            "",
            "#",
            t("train.ready_yes"),
            "Ø",
            *(t(f"train.line.{line}") for line in LINES),
            t("train.report_weakest"),
            t("quiz.title"),
        )
        for r in self.reports:
            ready = r["ready"]
            table.add_row(
                one_line(r["trainee"], 16),
                t(f"role.{r['role']}") if r["role"] else "-",
                str(r["attempts"]),
                t("train.ready_yes")
                if ready["ready"]
                else f"{len(ready['passed'])}/{len(ready['passed']) + len(ready['missing'])}",
                _num(r["average_total"]),
                *(_num(r["lines"][line]["average"]) for line in LINES),
                one_line(
                    _list_sep().join(_category(w["category"]) for w in r["weakest"]) or "-", 30
                ),
                _num(r["quizzes"]["average_percent"], "%"),
            )
        if self.reports:
            first = self.reports[0]["ready"]
            self.query_one("#train-progress-note", Static).update(
                t("train.progress_note", set=first["set"], mark=f"{first['pass_mark']:g}")
            )
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)

    DEFAULT_CSS = """
    TrainingProgressScreen { align: center middle; }
    #train-progress { width: 95%; height: 80%; border: thick $accent; background: $surface; }
    #train-progress-table { height: 1fr; }
    """


def _list_sep() -> str:
    return ", " if language() == "en" else "、"


def _category(name: str) -> str:
    key = f"train.category.{name}"
    return t(key) if key in CATALOGUE else name


def _num(value: float | None, suffix: str = "") -> str:
    return "-" if value is None else f"{value:g}{suffix}"


def open_progress(screen: Any) -> None:
    """From the desk screen (f8, supervisors): the progress of every trainee."""
    if not screen.desk.can_approve:
        return
    training = screen.app.config.training
    reports = progress_reports(screen.desk, screen.kb_dir, training.pass_mark, training.ready_set)
    screen.app.push_screen(TrainingProgressScreen(reports))
