"""Training commands: `train` (practice in the console on a sandbox), `qa` (risk points in sent
replies), `quiz` (knowledge quiz in the terminal), `training report` / `training promote`."""

from __future__ import annotations

import sys
import tempfile
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from cs_console.cli.help_text import Command, Group
from cs_console.cli.support import (
    config_of,
    db_option,
    desk_errors,
    desk_message,
    dump,
    emit_exact,
    open_desk,
    say,
)
from cs_console.i18n import language, t

REPORT_COLUMNS = [
    "trainee",
    "role",
    "attempts",
    "scenarios_done",
    "average_total",
    "ready",
    "ready_set",
    "pass_mark",
    "missing",
    "weakest",
    "quizzes",
    "quiz_average_percent",
]
QA_COLUMNS = ["ticket_id", "message_id", "agent", "sent_at", "rule", "phrase", "excerpt"]


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    from cs_console.csvsafe import csv_text

    return csv_text(rows, columns, lineterminator="\n", extrasaction="ignore")


def _scenarios(ctx: click.Context) -> list[Any]:
    from cs_console.service.training import load_training_scenarios

    return load_training_scenarios(ctx.find_root().obj.get("kb_dir"))


def _training_settings(ctx: click.Context) -> tuple[float, str]:
    config = config_of(ctx)
    training = getattr(config, "training", None)
    if training is None:
        return 80.0, "basics"
    return float(training.pass_mark), str(training.ready_set)


def _products() -> list[dict[str, Any]]:
    """The demo catalogue the scenarios are written against, with stock for exchanges."""
    from cs_console.demo.generator import PRODUCTS

    return [{**p.__dict__, "stock": 50, "returnable": 1} for p in PRODUCTS]


@contextmanager
def _sandbox_path(given: Path | None) -> Any:
    if given is not None:
        if given.exists():
            raise click.ClickException(t("cli.train.sandbox_exists", path=given))
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="cs-training-") as folder:
        yield Path(folder) / "sandbox.db"


@click.command(cls=Command)
@db_option
@click.option("--trainee", help="Whose practice this is (default: you; another: supervisors only).")
@click.option("--scenario", "slug", help="One scenario by slug.")
@click.option("--set", "set_name", help="A named set of scenarios (default: basics).")
@click.option("--list", "list_only", is_flag=True, help="List the scenarios and their sets.")
@click.option(
    "--sandbox",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Keep the sandbox in this new file (default: a temporary file, removed on exit).",
)
@click.pass_context
def train(
    ctx: click.Context,
    trainee: str | None,
    slug: str | None,
    set_name: str | None,
    list_only: bool,
    sandbox: Path | None,
) -> None:
    """Practice in the real console on a sandbox seeded with scenarios (never synced); each
    resolved ticket is graded and the result kept in the real cache's training tables."""
    from cs_console.service.desk import DeskError
    from cs_console.service.training import Practice, article_titles, scenarios_for

    scenarios = _scenarios(ctx)
    if list_only:
        for s in scenarios:
            say(f"{s.slug:<40} {s.category:<10} {'|'.join(s.sets):<24} {_title(s)}")
        return
    if slug and set_name:
        raise click.UsageError(t("cli.train.scenario_or_set"))
    config = config_of(ctx)
    with open_desk(ctx) as desk, desk_errors():
        chosen = scenarios_for(scenarios, slug, set_name)
        who = desk.agent
        if trainee is not None and trainee != who.id:
            from cs_console.policy import roles

            desk.check_role_on_record(roles.can_approve, "practice_for_others")
            from cs_console.service.session import sign_in

            who = sign_in(desk.store, trainee)
        with _sandbox_path(sandbox) as path:
            from cs_console.store.db import Store

            with Store.open(path) as box:
                try:
                    practice = Practice(
                        desk.store,
                        who,
                        box,
                        _products(),
                        article_titles(ctx.obj.get("kb_dir")),
                        config.sla,
                    )
                    training_desk = practice.start(chosen)
                except DeskError as exc:
                    raise click.ClickException(desk_message(exc)) from exc
                say(t("train.started", n=len(chosen), db=desk.store.path))
                from cs_console.config import RtSettings
                from cs_console.tui.screens.training import run_training

                run_training(
                    training_desk,
                    replace(config, db=Path(path), rt=RtSettings()),
                    kb_dir=ctx.find_root().obj.get("kb_dir"),
                )
                graded = list(training_desk.feedback.values())
        if graded:
            average = sum(f.grade.total for f in graded) / len(graded)
            say(t("train.summary", n=len(graded), avg=f"{average:.1f}"))


@click.command(cls=Command)
@db_option
@click.option("--agent", help="Only this agent's replies.")
@click.option("--from", "since", help="From this UTC time (ISO-8601, e.g. 2026-11-01).")
@click.option("--to", "until", help="Up to (not including) this UTC time.")
@click.option("--sample", type=click.IntRange(min=1), help="A random sample of N replies.")
@click.option("--seed", "seed_value", type=int, default=0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON: {replies, findings: [...]}.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV, one row per risk point.")
@click.pass_context
def qa(
    ctx: click.Context,
    agent: str | None,
    since: str | None,
    until: str | None,
    sample: int | None,
    seed_value: int,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Review sent replies: promises outside policy, blaming the customer, forbidden words,
    unfilled prompts, no stop-use advice on an allergy ticket."""
    from cs_console.service.qa import review

    since_iso, until_iso = _iso(since, "--from"), _iso(until, "--to")
    with open_desk(ctx) as desk, desk_errors():
        reviewed, findings = review(desk, agent, since_iso, until_iso, sample, seed_value)
    rows = [f.to_dict() for f in findings]
    if as_json:
        dump({"replies": reviewed, "findings": rows})
        return
    if as_csv:
        emit_exact(_csv(rows, QA_COLUMNS))
        return
    for f in findings:
        say(
            f"#{f.ticket_id:<7} {f.sent_at}  {f.agent:<10} {t('qa.rule.' + f.rule)}"
            + (f" 「{f.phrase}」" if f.phrase else "")
            + f"\n    {f.excerpt}"
        )
    say(t("qa.summary", replies=reviewed, findings=len(findings)))


def _iso(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    from datetime import UTC, datetime

    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.UsageError(t("cli.qa.not_a_time", option=option, value=repr(value))) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    from cs_console.clock import to_iso

    return to_iso(when)


@click.command(cls=Command)
@db_option
@click.option("--n", "count", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--seed", "seed_value", type=int, help="Same seed, same questions (default: random).")
@click.option("--answers", help="Answers for scripts, e.g. 1,3,2 (1-based; skips the prompts).")
@click.option("--json", "as_json", is_flag=True, help="With --answers: the scored quiz as JSON.")
@click.pass_context
def quiz(
    ctx: click.Context, count: int, seed_value: int | None, answers: str | None, as_json: bool
) -> None:
    """A knowledge quiz from the knowledge base and the policy numbers; the score is kept."""
    import random

    from cs_console.service.training import Results, quiz_questions
    from cs_console.training.quiz import score

    seed = seed_value if seed_value is not None else random.SystemRandom().randrange(10**6)
    kb_dir = ctx.find_root().obj.get("kb_dir")
    questions = quiz_questions(kb_dir, count, seed, language())
    given: list[int | None]
    if answers is not None:
        try:
            given = [int(a) - 1 for a in answers.split(",") if a.strip()]
        except ValueError:
            raise click.UsageError(t("cli.quiz.bad_answers")) from None
    elif not sys.stdin.isatty():
        raise click.ClickException(t("quiz.not_tty"))
    else:
        given = []
        for number, q in enumerate(questions, start=1):
            say(f"\n{number}. " + t(f"quiz.ask.{q.kind}", text=q.text))
            for index, choice in enumerate(q.choices, start=1):
                say(f"   {index}) {choice}")
            pick = click.prompt(
                t("quiz.prompt", n=len(q.choices)), type=click.IntRange(1, len(q.choices))
            )
            given.append(pick - 1)
            if pick - 1 == q.answer:
                say(t("quiz.right"))
            else:
                say(t("quiz.wrong", answer=q.choices[q.answer]))
            say(f"   {t('quiz.why')}: {q.explanation}")
    rows = score(questions, given)
    right = sum(1 for r in rows if r["right"])
    with open_desk(ctx) as desk, desk_errors():
        Results(desk.store, desk.agent).record_quiz(desk.agent.id, seed, rows)
    if as_json:
        dump(
            {
                "seed": seed,
                "right": right,
                "questions": [
                    {
                        "kind": q.kind,
                        "text": q.text,
                        "choices": list(q.choices),
                        "answer": q.answer,
                        "explanation": q.explanation,
                        "given": r["given"],
                        "right": r["right"],
                    }
                    for q, r in zip(questions, rows, strict=True)
                ],
            }
        )
        return
    say(t("quiz.score", right=right, n=len(questions)) + f"  (seed {seed})")


@click.group("training", cls=Group)
def training_group() -> None:
    """Trainees' progress (`report`) and raising a ready trainee's role (`promote`)."""


@training_group.command("report")
@db_option
@click.option("--trainee", help="One trainee (default: every trainee with results).")
@click.option("--json", "as_json", is_flag=True)
@click.option("--csv", "as_csv", is_flag=True)
@click.pass_context
def training_report(ctx: click.Context, trainee: str | None, as_json: bool, as_csv: bool) -> None:
    """Per trainee: scenarios done, average per rubric line over time, weakest topics, quizzes,
    and whether they are ready (the configured pass mark on the configured set)."""
    from cs_console.service.training import Progress

    pass_mark, ready_set = _training_settings(ctx)
    with open_desk(ctx) as desk, desk_errors():
        progress = Progress(desk.store, _scenarios(ctx), pass_mark, ready_set)
        names = [trainee] if trainee else progress.trainees()
        reports = [progress.report(name) for name in names]
    if as_json:
        dump(reports)
        return
    if as_csv:
        emit_exact(_csv([_flat(r) for r in reports], REPORT_COLUMNS))
        return
    for r in reports:
        _print_report(r)


def _flat(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "trainee": r["trainee"],
        "role": r["role"],
        "attempts": r["attempts"],
        "scenarios_done": len(r["scenarios_done"]),
        "average_total": r["average_total"],
        "ready": r["ready"]["ready"],
        "ready_set": r["ready"]["set"],
        "pass_mark": r["ready"]["pass_mark"],
        "missing": " ".join(r["ready"]["missing"]),
        "weakest": " ".join(w["category"] for w in r["weakest"]),
        "quizzes": r["quizzes"]["taken"],
        "quiz_average_percent": r["quizzes"]["average_percent"],
    }


def _print_report(r: dict[str, Any]) -> None:
    ready = r["ready"]
    say(
        t(
            "train.report_head",
            trainee=r["trainee"],
            role=r["role"] or "-",
            attempts=r["attempts"],
            done=len(r["scenarios_done"]),
            avg=r["average_total"] if r["average_total"] is not None else "-",
            ready=t("train.ready_yes" if ready["ready"] else "train.ready_no"),
        )
    )
    say(
        "  "
        + t(
            "train.report_ready",
            set=ready["set"],
            mark=f"{ready['pass_mark']:g}",
            passed=len(ready["passed"]),
            total=len(ready["passed"]) + len(ready["missing"]),
        )
    )
    for line, v in r["lines"].items():
        if v["average"] is None:
            continue
        trend = ""
        if v["first_half"] is not None:
            trend = f"  ({v['first_half']:g} -> {v['second_half']:g})"
        say(f"  {t('train.line.' + line):<14} {v['average']:>5g} / {v['out_of']}{trend}")
    if r["weakest"]:
        say(
            f"  {t('train.report_weakest')}: "
            + ", ".join(f"{w['category']} {w['average']:g}" for w in r["weakest"])
        )
    q = r["quizzes"]
    if q["taken"]:
        say("  " + t("train.report_quiz", taken=q["taken"], avg=f"{q['average_percent']:g}"))


@training_group.command("promote")
@db_option
@click.argument("trainee")
@click.pass_context
def training_promote(ctx: click.Context, trainee: str) -> None:
    """(supervisor) Raise a ready trainee to agent; audited. RT's groups stay the source of
    truth: have an RT admin move the user too, or the next sync puts RT's role back."""
    from cs_console.service.training import Progress

    pass_mark, ready_set = _training_settings(ctx)
    with open_desk(ctx) as desk, desk_errors():
        Progress(desk.store, _scenarios(ctx), pass_mark, ready_set).promote(desk, trainee)
    say(t("train.promoted", trainee=trainee))


def register(main: click.Group) -> None:
    main.add_command(train)
    main.add_command(qa)
    main.add_command(quiz)
    main.add_command(training_group)


def _title(scenario: Any) -> str:
    """A scenario's title in the interface language: its English title in en (when it has
    one), else its Chinese title, in traditional characters for zh-Hant."""
    from cs_console.service.knowledge import TRADITIONAL, to_traditional

    if language() == "en" and scenario.title:
        return str(scenario.title)
    title = str(scenario.title_zh or scenario.title)
    return to_traditional(title) if language() == TRADITIONAL else title
