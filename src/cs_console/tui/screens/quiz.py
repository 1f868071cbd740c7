"""The knowledge quiz in the console: one multiple-choice question at a time, the right answer's
explanation after each, the score kept in the real cache at the end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from cs_console.i18n import language, t
from cs_console.service.desk import Desk, DeskError
from cs_console.service.training import quiz_questions, results_for
from cs_console.training.quiz import Question, score
from cs_console.tui.widgets.bindings import Translated, key
from cs_console.tui.widgets.safe import literal


class QuizScreen(Translated, ModalScreen[None]):
    """Keys 1-4 answer, n goes on, esc leaves (answers given so far are scored)."""

    BINDINGS = [
        key("1", "answer(0)", "quiz_answer", show=False),
        key("2", "answer(1)", "quiz_answer", show=False),
        key("3", "answer(2)", "quiz_answer", show=False),
        key("4", "answer(3)", "quiz_answer", show=False),
        key("n", "next", "quiz_next"),
        key("escape", "leave", "quiz_leave"),
    ]

    def __init__(self, desk: Desk, kb_dir: Path | None = None, n: int = 10, seed: int = 0) -> None:
        super().__init__()
        self._translate_bindings()
        self.desk = desk
        self.seed = seed
        self.questions: list[Question] = quiz_questions(kb_dir, n, seed, language())
        self.answers: list[int | None] = []
        self.index = 0
        self.recorded = False

    def compose(self) -> ComposeResult:
        with Vertical(id="quiz-box"):
            yield Static(id="quiz-text", markup=False)

    def on_mount(self) -> None:
        box = self.query_one("#quiz-box", Vertical)
        box.border_title = t("quiz.title")
        box.border_subtitle = t("quiz.hint")
        self._show()

    def _show(self) -> None:
        out = Text()
        right = sum(1 for r in score(self.questions, self.answers) if r["right"])
        if self.index >= len(self.questions):
            out.append(t("quiz.score", right=right, n=len(self.questions)), "bold")
            self._record()
            self.query_one("#quiz-text", Static).update(out)
            return
        q = self.questions[self.index]
        out.append(f"{self.index + 1}/{len(self.questions)}  ", "bold")
        out.append_text(literal(t(f"quiz.ask.{q.kind}", text=q.text), limit=400))
        out.append("\n\n")
        answered = self.index < len(self.answers)
        for number, choice in enumerate(q.choices, start=1):
            style = ""
            if answered and number - 1 == q.answer:
                style = "bold green"
            elif answered and number - 1 == self.answers[self.index]:
                style = "bold red"
            out.append(f" {number}) ", style)
            out.append_text(literal(choice, style, limit=120))
            out.append("\n")
        if answered:
            given = self.answers[self.index]
            out.append("\n")
            if given == q.answer:
                out.append(t("quiz.right"), "bold green")
            else:
                out.append(t("quiz.wrong", answer=q.choices[q.answer]), "bold red")
            out.append(f"\n{t('quiz.why')}: ")
            out.append_text(literal(q.explanation, "dim", limit=400))
        self.query_one("#quiz-text", Static).update(out)

    def action_answer(self, choice: int) -> None:
        if self.index >= len(self.questions) or self.index < len(self.answers):
            return
        if choice >= len(self.questions[self.index].choices):
            return
        self.answers.append(choice)
        self._show()

    def action_next(self) -> None:
        if self.index < len(self.answers):
            self.index += 1
            self._show()

    def action_leave(self) -> None:
        self._record()
        self.dismiss(None)

    def _record(self) -> None:
        if self.recorded or not self.answers:
            return
        rows = score(self.questions[: len(self.answers)], self.answers)
        try:
            results_for(self.desk).record_quiz(self.desk.agent.id, self.seed, rows)
        except DeskError as exc:
            self.notify(exc.message(), severity="error")
            return
        self.recorded = True

    DEFAULT_CSS = """
    QuizScreen { align: center middle; }
    #quiz-box { width: 90%; max-width: 100; height: auto; max-height: 90%; border: thick $accent;
                background: $surface; padding: 0 1; }
    """


def open_quiz(screen: Any) -> None:
    """From the desk screen (f9): a 10-question quiz with a fresh seed."""
    import random

    screen.app.push_screen(QuizScreen(screen.desk, screen.kb_dir, seed=random.randrange(10**6)))
