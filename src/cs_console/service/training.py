"""Practice shifts, grading, progress and readiness: the service side of training.

A practice shift runs the real console on a **sandbox** cache (its own file, never synced: no
backend, no sync worker), seeded with scenarios as tickets. :class:`TrainingDesk` is the Desk the
console works with there: the trainee's Nth reply puts the customer's scripted follow-up on its
way, and once its delay has passed on the desk's clock :meth:`TrainingDesk.deliver_due` brings it
in through the normal inbound path (the console polls it, like a pull); when the trainee resolves a ticket it grades the
handling (``training.rubric``) and writes the result to the **real** cache's training tables
(with an audit row) so results outlive the sandbox. Nothing else from the sandbox ever reaches
the real cache: only :class:`Results` writes there, and only to ``training_results`` and
``quiz_results``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cs_console.clock import parse_iso, to_iso
from cs_console.policy import roles
from cs_console.policy.queue import TICKET_CATEGORIES
from cs_console.policy.returns import Verdict
from cs_console.policy.sla import SlaConfig
from cs_console.service.desk import Agent, Desk, DeskError
from cs_console.service.errors import Term
from cs_console.store.db import Store
from cs_console.store.training import TrainingQueries
from cs_console.training.rubric import LINES, Actions, Grade, Handling, grade
from cs_console.training.scenario import Scenario

if TYPE_CHECKING:
    from cs_console.training.quiz import Question

__all__ = [
    "Feedback",
    "Practice",
    "Progress",
    "Results",
    "TrainingDesk",
    "handling_of",
    "in_language",
    "quiz_questions",
    "notes_for",
    "scenarios_for",
]

DEFAULT_PASS_MARK = 80
DEFAULT_READY_SET = "basics"
_REQUEST_KINDS = {"return", "exchange", "compensation"}


def handling_of(scenario: Scenario, sla_config: SlaConfig | None = None) -> Handling:
    """The rubric's view of a scenario's expectation; the first reply's target is the
    scenario's own or the channel's first-response standard (``policy.sla``)."""
    e = scenario.expect
    first = scenario.first_response_seconds
    if first is None:
        first = first_response_target_for(scenario.channel, sla_config)
    allergy = e.reason == "allergy" or "allergy" in scenario.sets
    return Handling(
        action=e.action,
        reason=e.reason,
        resolution=e.resolution,
        must_say=e.must_say,
        must_not_say=e.must_not_say,
        upset=e.upset,
        allergy=allergy,
        target_minutes=scenario.target_minutes,
        first_response_seconds=first,
    )


def first_response_target_for(channel: str, sla_config: SlaConfig | None = None) -> int:
    """The first-response target of a channel, in seconds (``policy.sla``)."""
    config = sla_config or SlaConfig()
    return config.first_response.get(channel, config.first_response_default)


_ENGLISH_NOTES = re.compile(r"^##\s+English\s*$", re.MULTILINE)


def notes_for(scenario: Scenario, lang: str) -> str:
    """The scenario's notes on a good handling in the trainee's language: the ``## English``
    section for English, the text before it for Chinese (in traditional characters for
    zh-Hant); notes without that section are shown whole."""
    parts = _ENGLISH_NOTES.split(scenario.notes, maxsplit=1)
    if len(parts) == 2:
        parts = [parts[1] if lang == "en" else parts[0]]
    chosen = parts[0].strip()
    if lang == "zh-Hant":
        from cs_console.service.knowledge import to_traditional

        chosen = to_traditional(chosen)
    return chosen


def scenarios_for(
    scenarios: Sequence[Scenario], slug: str | None = None, set_name: str | None = None
) -> list[Scenario]:
    """The scenarios of one slug, or of one set (default: "basics" if any are in it, else all)."""
    if slug is not None:
        chosen = [s for s in scenarios if s.slug == slug]
        if not chosen:
            raise DeskError("err.no_scenario", slug=repr(slug), cli_hint="cs-console train --list")
        return chosen
    name = set_name or (
        DEFAULT_READY_SET if any(DEFAULT_READY_SET in s.sets for s in scenarios) else "all"
    )
    chosen = [s for s in scenarios if name in s.sets]
    if not chosen:
        known = sorted({n for s in scenarios for n in s.sets})
        raise DeskError("err.no_scenario_in_set", name=repr(name), sets=known)
    return chosen


@dataclass(frozen=True)
class Feedback:
    """What the trainee sees after resolving a practice ticket."""

    ticket_id: int
    scenario: Scenario
    grade: Grade
    minutes: float  # from first opening the ticket (else its creation) to resolved
    articles: tuple[tuple[str, str, str], ...]  # (slug, title, title_zh)
    verdict: str | None  # allowed | refused: what the policy decides for the expected request
    verdict_reasons: tuple[str, ...]
    result_id: int
    first_response_seconds: float | None = None  # None: never replied
    first_response_target: int | None = None


class Results:
    """Training results and quiz scores in the REAL cache (never its tickets, messages or
    outbox): each write is one transaction with an audit row."""

    def __init__(self, store: Store, agent: Agent) -> None:
        self.desk = Desk(store, agent)
        self.queries = TrainingQueries(store)

    def record(self, trainee: str, scenario: Scenario, result: Grade, minutes: float) -> int:
        with self.desk.work() as work:
            result_id = self.queries.add_result(
                {
                    "trainee": trainee,
                    "scenario": scenario.slug,
                    "category": scenario.category,
                    "sets": scenario.sets,
                    "total": result.total,
                    "lines": result.scores(),
                    "missed": {ls.line: list(ls.missed) for ls in result.lines if ls.missed},
                    "minutes": round(minutes, 2),
                    "target_minutes": scenario.target_minutes,
                    "graded_at": work.stamp,
                }
            )
            work.audit(
                "training_graded",
                None,
                {"trainee": trainee, "scenario": scenario.slug, "total": result.total},
            )
        return result_id

    def record_quiz(self, trainee: str, seed: int, answers: Sequence[Mapping[str, Any]]) -> int:
        correct = sum(1 for a in answers if a.get("right"))
        with self.desk.work() as work:
            quiz_id = self.queries.add_quiz(
                trainee, seed, len(answers), correct, list(answers), work.stamp
            )
            work.audit(
                "quiz_taken",
                None,
                {"trainee": trainee, "seed": seed, "questions": len(answers), "correct": correct},
            )
        return quiz_id


class TrainingDesk(Desk):
    """The Desk of a practice shift: the normal actions on the sandbox, plus scripted customer
    follow-ups after replies and grading on resolve."""

    def __init__(
        self,
        sandbox: Store,
        agent: Agent,
        results: Results,
        tickets: Mapping[int, Scenario],
        articles: Mapping[str, tuple[str, str]] | None = None,
        sla_config: SlaConfig | None = None,
    ) -> None:
        super().__init__(sandbox, agent, sla_config)
        self.results = results
        self.tickets = dict(tickets)
        self.articles = dict(articles or {})
        self.scheduled: dict[int, int] = {}  # ticket -> follow-ups put on their way
        # follow-ups on their way: (when it arrives, ticket, text), in the order they arrive
        self.on_the_way: list[tuple[datetime, int, str]] = []
        self.feedback: dict[int, Feedback] = {}
        # when the trainee first opened each ticket: its clocks start then, not at the shift's
        # start (all practice tickets are created at once, and are worked one after another)
        self.opened: dict[int, datetime] = {}
        self.on_graded: Callable[[Feedback], None] | None = None

    training = True  # the console's top bar says TRAINING for a desk with this

    def sync_summary(self) -> dict[str, Any]:
        """The sandbox is never synced: nothing is "waiting to sync" here."""
        return {"online": None, "pending": 0, "attention": 0}

    def ticket_view(self, ticket_id: int) -> dict[str, Any]:
        view = super().ticket_view(ticket_id)
        self.opened.setdefault(ticket_id, self.now())
        return view

    def reply(self, ticket_id: int, body: str) -> int:
        message_id = super().reply(ticket_id, body)
        self._schedule_followups(ticket_id)
        return message_id

    def set_status(self, ticket_id: int, status: str) -> None:
        super().set_status(ticket_id, status)
        graded = ticket_id in self.feedback
        if status in ("resolved", "closed") and ticket_id in self.tickets and not graded:
            feedback = self.grade_ticket(ticket_id)
            if self.on_graded is not None:
                self.on_graded(feedback)

    def _schedule_followups(self, ticket_id: int) -> None:
        """Put on their way the follow-ups this reply was the trigger for (each once)."""
        scenario = self.tickets.get(ticket_id)
        if scenario is None:
            return
        sent = sum(1 for m in self.messages(ticket_id) if m["direction"] == "out")
        done = self.scheduled.get(ticket_id, 0)
        due = [f for f in scenario.followups if f.after_replies <= sent]
        now = self.now()
        for followup in due[done:]:
            arrives = now + timedelta(seconds=followup.delay_seconds)
            self.on_the_way.append((arrives, ticket_id, followup.text))
        self.on_the_way.sort(key=lambda item: item[0])
        self.scheduled[ticket_id] = max(done, len(due))

    def deliver_due(self) -> list[int]:
        """Bring in every follow-up whose delay has passed; the tickets that got one. A
        follow-up for a ticket already graded is dropped (the customer's story is over)."""
        now = self.now()
        ready = [item for item in self.on_the_way if item[0] <= now]
        self.on_the_way = [item for item in self.on_the_way if item[0] > now]
        changed: list[int] = []
        for _when, ticket_id, text in ready:
            if ticket_id in self.feedback:
                continue
            self.receive(ticket_id, text, self.ticket(ticket_id).get("customer_id"))
            if ticket_id not in changed:
                changed.append(ticket_id)
        return changed

    def grade_ticket(self, ticket_id: int) -> Feedback:
        """Grade the handling of a practice ticket and record it in the real cache."""
        scenario = self.tickets[ticket_id]
        ticket = self.ticket(ticket_id)
        replies = [m["body"] for m in self.messages(ticket_id) if m["direction"] == "out"]
        requests = TrainingQueries(self.store).ticket_requests(ticket_id)
        done = parse_iso(ticket.get("resolved_at") or to_iso(self.now()))
        start = self.opened.get(ticket_id) or parse_iso(ticket["created_at"])
        minutes = max(0.0, (done - start).total_seconds() / 60)
        first_reply = ticket.get("first_response_at")
        first_seconds = (
            max(0.0, (parse_iso(first_reply) - start).total_seconds()) if first_reply else None
        )
        handling = handling_of(scenario, self.sla_config)
        actions = Actions(
            requests=tuple(
                (r["kind"], r["reason"], r["resolution"])
                for r in requests
                if r["kind"] in _REQUEST_KINDS and r["status"] != "declined"
            ),
            escalated=bool(ticket["escalated"]),
            minutes=minutes,
            first_response_seconds=first_seconds,
        )
        result = grade(handling, replies, actions)
        result_id = self.results.record(self.agent.id, scenario, result, minutes)
        verdict_reasons: tuple[str, ...] = ()
        for r in requests:
            if isinstance(r["verdict"], dict):  # with its sentences' keys (policy.said)
                verdict_reasons = Verdict.from_dict(r["verdict"]).reasons
        if not verdict_reasons:
            verdict_reasons = self._expected_verdict(ticket_id, scenario)
        feedback = Feedback(
            ticket_id=ticket_id,
            scenario=scenario,
            grade=result,
            minutes=minutes,
            articles=tuple(
                (slug, *self.articles.get(slug, (slug, slug))) for slug in scenario.expect.articles
            ),
            verdict=scenario.expect.verdict,
            verdict_reasons=verdict_reasons,
            result_id=result_id,
            first_response_seconds=first_seconds,
            first_response_target=handling.first_response_seconds,
        )
        self.feedback[ticket_id] = feedback
        return feedback

    def _expected_verdict(self, ticket_id: int, scenario: Scenario) -> tuple[str, ...]:
        """What the policy says for the request the scenario expects (writes nothing)."""
        e = scenario.expect
        if e.action not in ("return", "exchange") or not e.reason or scenario.order is None:
            return ()
        from cs_console.service.returns import Returns

        lines = [(line.sku, line.qty) for line in scenario.order.lines]
        batch = next((line.batch for line in scenario.order.lines if line.batch), None)
        try:
            verdict = Returns(self).preview(
                ticket_id, lines, e.reason, e.resolution, batch_no=batch, photos=True
            )
        except DeskError:
            return ()
        return verdict.reasons


class Practice:
    """Seeds a sandbox cache with scenarios as tickets and hands back its TrainingDesk."""

    def __init__(
        self,
        real: Store,
        trainee: Agent,
        sandbox: Store,
        products: Iterable[Mapping[str, Any]],
        articles: Mapping[str, tuple[str, str]] | None = None,
        sla_config: SlaConfig | None = None,
    ) -> None:
        self.real = real
        self.trainee = trainee
        self.sandbox = sandbox
        self.products = [dict(p) for p in products]
        self.articles = articles or {}
        self.sla_config = sla_config

    def start(self, scenarios: Sequence[Scenario]) -> TrainingDesk:
        from pathlib import Path

        if Path(self.sandbox.path).resolve() == Path(self.real.path).resolve():
            raise DeskError("err.sandbox_is_real")
        if self.sandbox.counts()["tickets"]:
            raise DeskError("err.sandbox_not_empty", path=self.sandbox.path)
        now = self.sandbox.clock.now()
        team = self.real.agents_roles()
        team.setdefault(self.trainee.id, (self.trainee.name, self.trainee.role))
        queries = TrainingQueries(self.sandbox)
        customers, orders, lines = [], [], []
        for index, s in enumerate(scenarios, start=1):
            customer_id = f"T{index:04d}"
            customers.append(
                {
                    "id": customer_id,
                    "name": s.customer.name,
                    "tier": s.customer.tier,
                    "points": s.customer.points,
                    "skin_type": s.customer.skin_type,
                    "allergies": json.dumps(list(s.customer.allergies), ensure_ascii=False),
                    "created_at": to_iso(now - timedelta(days=400)),
                    "updated_at": to_iso(now),
                }
            )
            if s.order is not None:
                orders.append(self._order(s, index, customer_id, now))
                lines += self._lines(s, index)
        desk = TrainingDesk(
            self.sandbox,
            self.trainee,
            Results(self.real, self.trainee),
            {},
            self.articles,
            self.sla_config,
        )
        with desk.work() as work:
            queries.seed_sandbox(
                [
                    {"id": agent_id, "name": name, "role": role}
                    for agent_id, (name, role) in sorted(team.items())
                ],
                self.products,
                customers,
                orders,
                lines,
            )
            for index, s in enumerate(scenarios, start=1):
                category = s.category if s.category in TICKET_CATEGORIES else "general"
                ticket_id = desk.create_ticket(
                    f"T{index:04d}", s.subject, s.opening, s.channel, category
                )
                queries.attach_order(
                    ticket_id, f"TR{index:04d}" if s.order else None, self.trainee.id
                )
                desk.tickets[ticket_id] = s
            work.audit("training_start", None, {"scenarios": [s.slug for s in scenarios]})
        return desk

    def _order(self, s: Scenario, index: int, customer_id: str, now: Any) -> dict[str, Any]:
        assert s.order is not None
        prices = {p["sku"]: float(p["price"]) for p in self.products}
        total = sum(prices.get(line.sku, 0.0) * line.qty for line in s.order.lines)
        delivered = s.order.delivered_days_ago
        promised = s.order.promised_days_ago
        return {
            "id": f"TR{index:04d}",
            "customer_id": customer_id,
            "channel": "official",
            "store": None,
            "placed_at": to_iso(now - timedelta(days=s.order.placed_days_ago)),
            "promised_at": to_iso(now - timedelta(days=promised)) if promised is not None else None,
            "delivered_at": to_iso(now - timedelta(days=delivered))
            if delivered is not None
            else None,
            "status": "delivered" if delivered is not None else "shipped",
            "total": total,
            "discount": 0.0,
            "paid": total,
            "tracking_no": f"SF{index:010d}",
        }

    def _lines(self, s: Scenario, index: int) -> list[dict[str, Any]]:
        assert s.order is not None
        prices = {p["sku"]: float(p["price"]) for p in self.products}
        return [
            {
                "order_id": f"TR{index:04d}",
                "line_no": n,
                "sku": line.sku,
                "qty": line.qty,
                "unit_price": prices.get(line.sku, 0.0),
                "batch_no": line.batch,
            }
            for n, line in enumerate(s.order.lines, start=1)
        ]


class Progress:
    """Per trainee: scenarios done, averages per rubric line over time, weakest topics, quiz
    results and readiness (a pass mark on every scenario of a set)."""

    def __init__(
        self,
        store: Store,
        scenarios: Sequence[Scenario],
        pass_mark: float = DEFAULT_PASS_MARK,
        ready_set: str = DEFAULT_READY_SET,
    ) -> None:
        self.store = store
        self.queries = TrainingQueries(store)
        self.scenarios = list(scenarios)
        self.pass_mark = pass_mark
        self.ready_set = ready_set

    def trainees(self) -> list[str]:
        return self.queries.trainees()

    def report(self, trainee: str) -> dict[str, Any]:
        results = self.queries.results(trainee)
        quizzes = self.queries.quizzes(trainee)
        record = self.store.agent(trainee)
        best: dict[str, float] = {}
        for r in results:
            best[r["scenario"]] = max(best.get(r["scenario"], 0.0), float(r["total"]))
        needed = sorted(s.slug for s in self.scenarios if self.ready_set in s.sets)
        passed = [slug for slug in needed if best.get(slug, -1) >= self.pass_mark]
        by_category: dict[str, list[float]] = {}
        for r in results:
            by_category.setdefault(r["category"], []).append(float(r["total"]))
        weakest = sorted(
            (
                {"category": c, "average": _avg(v), "attempts": len(v)}
                for c, v in by_category.items()
            ),
            key=lambda item: (item["average"], item["category"]),
        )
        half = len(results) // 2
        return {
            "trainee": trainee,
            "name": record["name"] if record else None,
            "role": record["role"] if record else None,
            "attempts": len(results),
            "scenarios_done": sorted(best),
            "average_total": _avg([float(r["total"]) for r in results]),
            "lines": {
                line: {
                    "out_of": out_of,
                    "average": _avg([r["lines"].get(line, 0.0) for r in results]),
                    "first_half": _avg([r["lines"].get(line, 0.0) for r in results[:half]])
                    if half
                    else None,
                    "second_half": _avg([r["lines"].get(line, 0.0) for r in results[half:]])
                    if half
                    else None,
                }
                for line, out_of in LINES.items()
            },
            "weakest": weakest[:3],
            "quizzes": {
                "taken": len(quizzes),
                "average_percent": _avg(
                    [100.0 * q["correct"] / q["questions"] for q in quizzes if q["questions"]]
                ),
                "last": (
                    {
                        "correct": quizzes[-1]["correct"],
                        "questions": quizzes[-1]["questions"],
                        "taken_at": quizzes[-1]["taken_at"],
                    }
                    if quizzes
                    else None
                ),
            },
            "ready": {
                "set": self.ready_set,
                "pass_mark": self.pass_mark,
                "passed": passed,
                "missing": [slug for slug in needed if slug not in passed],
                "ready": bool(needed) and len(passed) == len(needed),
            },
        }

    def promote(self, supervisor: Desk, trainee: str) -> str:
        """A supervisor raises a ready trainee to agent, audited. Returns the new role.

        The supervisor's role and the trainee's are read from the agents table inside the
        transaction. RT's groups stay the source of truth: this records the decision and the
        local role; the next team refresh from RT puts back RT's role unless an RT admin moves
        the user too (`cs-console rt agent TRAINEE --role agent`)."""
        if not self.report(trainee)["ready"]["ready"]:
            report = self.report(trainee)["ready"]
            raise DeskError(
                "err.not_ready",
                trainee=trainee,
                set=self.ready_set,
                mark=f"{self.pass_mark:g}",
                missing=report["missing"] or "-",
            )
        with supervisor.work() as work:
            supervisor.check_role_on_record(roles.can_approve, "promote_trainee")
            record = self.store.agent(trainee)
            if record is None:
                raise DeskError("err.not_an_agent", agent=trainee)
            if record["role"] != "trainee":
                raise DeskError(
                    "err.not_a_trainee", agent=trainee, role=Term("role", record["role"])
                )
            self.queries.set_role(trainee, "agent")
            work.audit(
                "training_promote",
                None,
                {
                    "trainee": trainee,
                    "from": "trainee",
                    "to": "agent",
                    "set": self.ready_set,
                    "pass_mark": self.pass_mark,
                },
            )
        return "agent"


def _avg(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


# -- the knowledge base, as training needs it ------------------------------------------------


def article_titles(kb_dir: Any = None) -> dict[str, tuple[str, str]]:
    """slug -> (English title, Chinese title) of every valid article and script."""
    from cs_console.kb.loader import load_kb
    from cs_console.kb.paths import default_kb_dir

    result = load_kb(kb_dir or default_kb_dir())
    return {a.slug: (a.title, a.title_zh) for a in result.articles}


def quiz_articles(kb_dir: Any = None, english: bool = False) -> list[Any]:
    """The knowledge base as the quiz generator takes it."""
    from cs_console.kb.loader import load_kb
    from cs_console.kb.paths import default_kb_dir
    from cs_console.training.quiz import QuizArticle

    result = load_kb(kb_dir or default_kb_dir())
    return [
        QuizArticle(
            a.slug,
            a.title if english else a.title_zh,
            a.category,
            a.question,
            tuple(a.aliases),
            tuple(s.title for s in a.scripts),
        )
        for a in result.articles
        if a.question
    ]


def quiz_questions(kb_dir: Any, n: int, seed: int, lang: str) -> list[Question]:
    """A quiz for a trainee of ``lang``: English texts for ``en``; for ``zh-Hant`` the Chinese
    ones (article titles, customers' questions, policy rules, explanations) in traditional
    characters. The same seed gives the same questions in every language."""
    from cs_console.training.quiz import generate

    english = lang == "en"
    questions = generate(quiz_articles(kb_dir, english), n, seed, english)
    if lang != "zh-Hant":
        return questions
    from cs_console.service.knowledge import to_traditional as tt

    return [
        replace(
            q,
            text=tt(q.text),
            choices=tuple(tt(c) for c in q.choices),
            explanation=tt(q.explanation),
        )
        for q in questions
    ]


def in_language(english: str, chinese: str, lang: str) -> str:
    """One of a file's two titles for a trainee of ``lang`` (zh-Hant: traditional)."""
    if lang == "en":
        return english
    if lang == "zh-Hant":
        from cs_console.service.knowledge import to_traditional

        return to_traditional(chinese)
    return chinese


def load_training_scenarios(kb_dir: Any = None, scenario_dir: Any = None) -> list[Scenario]:
    """Valid scenarios checked against the knowledge base's slugs (broken files are skipped:
    `cs-console kb check` names them)."""
    from pathlib import Path

    from cs_console.training.scenario import default_scenario_dir, load_scenarios

    directory = Path(scenario_dir) if scenario_dir else default_scenario_dir()
    if kb_dir is not None and scenario_dir is None and (Path(kb_dir) / "training").is_dir():
        directory = Path(kb_dir) / "training"
    scenarios, _problems = load_scenarios(directory)
    return scenarios


def results_store(desk: Desk) -> Store:
    """Where a desk's training results live: the real cache, also during a practice shift."""
    if isinstance(desk, TrainingDesk):
        return desk.results.desk.store
    return desk.store


def results_for(desk: Desk) -> Results:
    """The results writer for the agent at ``desk`` (the real cache, never a sandbox)."""
    if isinstance(desk, TrainingDesk):
        return desk.results
    return Results(desk.store, desk.agent)
