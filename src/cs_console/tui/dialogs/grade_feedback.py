"""After a practice ticket is resolved: the grade per rubric line, what was missed and why, the
article that would have answered, the policy verdict that applied, time against the target, and
the scenario's notes on a good handling in the trainee's language (safe Markdown)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from cs_console.i18n import language, t
from cs_console.service.errors import said
from cs_console.service.training import Feedback, in_language, notes_for
from cs_console.tui.widgets.bindings import Translated, key
from cs_console.tui.widgets.safe import literal
from cs_console.tui.widgets.safe_markdown import safe_parser, safe_source

NOTES_CHARS = 2000


def feedback_text(feedback: Feedback) -> Text:
    """The feedback as one Text: our words as plain strings, file and customer text literal."""
    s = feedback.scenario
    lang = language()
    out = Text()
    out.append(t("train.graded", id=feedback.ticket_id, total=f"{feedback.grade.total:g}"), "bold")
    out.append("\n")
    out.append_text(literal(in_language(s.title, s.title_zh, lang), "italic", limit=120))
    out.append("\n\n")
    for line in feedback.grade.lines:
        full = line.score >= line.out_of
        style = "green" if full else ("yellow" if line.score > 0 else "bold red")
        out.append(f"{t('train.line.' + line.line):<14}", "bold")
        out.append(f"{line.score:>5g} / {line.out_of:<3}", style)
        if not line.applies:
            out.append(f"  {t('train.not_applicable')}", "dim")
        if line.missed and line.line == "time":  # the times and targets follow, in words
            out.append(f"  ({t('train.why.time')})", "dim")
        elif line.missed:
            out.append(f"  {t('train.missed')}: ")
            out.append_text(literal("、".join(line.missed), style, limit=200))
            out.append(f"  ({t('train.why.' + line.line)})", "dim")
        out.append("\n")
    out.append("\n")
    out.append(t("train.time", minutes=f"{feedback.minutes:.1f}", target=s.target_minutes))
    out.append("\n")
    if feedback.first_response_target is not None:
        target = feedback.first_response_target
        if feedback.first_response_seconds is None:
            out.append(t("train.first_response_none", target=target))
        else:
            taken = feedback.first_response_seconds
            out.append(
                t("train.first_response", seconds=f"{taken:.0f}", target=target),
                "" if taken <= target else "yellow",
            )
        out.append("\n")
    for slug, title, title_zh in feedback.articles:
        out.append(f"{t('train.article')}: ")
        out.append_text(literal(in_language(title, title_zh, lang), "bold", limit=120))
        out.append_text(literal(f" ({slug})", "dim"))
        out.append("\n")
    if feedback.verdict:
        out.append(f"{t('train.verdict')}: {t('train.verdict.' + feedback.verdict)}\n", "bold")
    for reason in feedback.verdict_reasons:
        out.append_text(literal(f"  · {said(reason)}", limit=300))
        out.append("\n")
    return out


class FeedbackDialog(Translated, ModalScreen[None]):
    """The grade of one practice ticket; esc or enter closes it."""

    BINDINGS = [
        key("escape", "dismiss_feedback", "train_close"),
        key("enter", "dismiss_feedback", "train_close", show=False),
    ]

    def __init__(self, feedback: Feedback) -> None:
        super().__init__()
        self._translate_bindings()
        self.feedback = feedback

    def compose(self) -> ComposeResult:
        notes = notes_for(self.feedback.scenario, language())[:NOTES_CHARS]
        with VerticalScroll(id="train-feedback"):
            yield Static(feedback_text(self.feedback), id="train-feedback-text", markup=False)
            if notes:
                yield Static(Text(t("train.notes"), "bold"), id="train-feedback-notes-title")
                yield Markdown(
                    safe_source(notes),
                    id="train-feedback-notes",
                    parser_factory=safe_parser,
                    open_links=False,
                )

    def on_mount(self) -> None:
        box = self.query_one("#train-feedback", VerticalScroll)
        box.border_title = t("train.feedback_title")
        box.border_subtitle = t("train.close_hint")

    def action_dismiss_feedback(self) -> None:
        self.dismiss(None)

    DEFAULT_CSS = """
    FeedbackDialog { align: center middle; }
    #train-feedback { width: 90%; max-width: 110; height: 90%; border: thick $accent;
                      background: $surface; padding: 0 1; }
    """
