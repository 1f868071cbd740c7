"""Knowledge quizzes: multiple-choice questions generated from the knowledge base and the
policy numbers, the same questions for the same seed.

Three kinds: ``article`` (which article answers this customer message: the article's question or
one of its aliases), ``window`` (how many days/hours a policy window is, from
``policy/numbers.py``) and ``script`` (which reply script fits the message). This package may not
import the knowledge base, so the caller passes articles as :class:`QuizArticle`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from cs_console.policy.numbers import number

__all__ = ["WINDOWS", "Question", "QuizArticle", "generate", "score"]

CHOICES = 4


@dataclass(frozen=True)
class QuizArticle:
    slug: str
    title: str  # in the trainee's language
    category: str
    question: str
    aliases: tuple[str, ...]
    scripts: tuple[str, ...]  # reply-script titles


@dataclass(frozen=True)
class Question:
    """``kind`` article | window | script; ``text`` what is asked about (a customer's words or
    a policy rule); ``choices`` in display order; ``answer`` the right choice's index;
    ``explanation`` why it is right; ``topic`` the category it tests."""

    kind: str
    text: str
    choices: tuple[str, ...]
    answer: int
    explanation: str
    topic: str


#: policy windows a quiz asks about: (number name, rule in Chinese, rule in English, unit)
WINDOWS: tuple[tuple[str, str, str, str], ...] = (
    (
        "return_unopened_days",
        "未拆封化妆品无理由退货",
        "No-reason return of unopened cosmetics",
        "days",
    ),
    ("exchange_unopened_days", "未拆封商品换货", "Exchange of unopened items", "days"),
    (
        "quality_issue_days",
        "已开封但有质量问题的退换",
        "Opened but faulty: return or exchange",
        "days",
    ),
    (
        "allergy_report_days",
        "过敏反应反馈(签收后)",
        "Allergic reaction reported after delivery",
        "days",
    ),
    ("damage_report_hours", "包裹破损或漏液报备", "Damaged or leaking parcel reported", "hours"),
    ("wrong_item_report_days", "错发漏发报备", "Wrong or missing item reported", "days"),
    ("shade_exchange_days", "色号不合适免费换一次", "Free exchange of a wrong shade", "days"),
    ("price_protect_days", "买后降价退差价", "Price drop refunded after purchase", "days"),
    (
        "mall_clothing_exchange_days",
        "商场服装鞋类换货(未穿、吊牌在)",
        "Mall clothes and shoes exchange",
        "days",
    ),
    (
        "mall_electronics_return_days",
        "商场电子产品故障退货",
        "Mall faulty electronics return",
        "days",
    ),
    ("invoice_request_days", "购买后可申请发票", "Invoice requested after purchase", "days"),
)


def _unit(unit: str, english: bool) -> str:
    if english:
        return unit
    return "天" if unit == "days" else "小时"


def _pick_others(rng: random.Random, pool: Sequence[str], right: str, k: int) -> list[str]:
    others = sorted({p for p in pool if p != right})
    rng.shuffle(others)
    return others[:k]


def _question(
    rng: random.Random, kind: str, text: str, right: str, wrong: list[str], why: str, topic: str
) -> Question | None:
    if len(wrong) < CHOICES - 1:
        return None
    choices = [right, *wrong[: CHOICES - 1]]
    rng.shuffle(choices)
    return Question(kind, text, tuple(choices), choices.index(right), why, topic)


def _article_question(rng: random.Random, articles: Sequence[QuizArticle]) -> Question | None:
    article = rng.choice(articles)
    asked = (
        rng.choice([article.question, *article.aliases]) if article.aliases else article.question
    )
    same = [a.title for a in articles if a.category == article.category and a.slug != article.slug]
    rest = [a.title for a in articles if a.slug != article.slug]
    wrong = _pick_others(rng, same, article.title, CHOICES - 1)
    if len(wrong) < CHOICES - 1:
        wrong += _pick_others(
            rng, [t for t in rest if t not in wrong], article.title, CHOICES - 1 - len(wrong)
        )
    why = f"「{article.title}」({article.slug}): {article.question}"
    return _question(rng, "article", asked, article.title, wrong, why, article.category)


def _window_question(rng: random.Random, english: bool) -> Question:
    name, zh, en, unit = rng.choice(WINDOWS)
    value = number(name)
    values = sorted({number(n) for n, *_ in WINDOWS if number(n) != value} | {value + 1, value * 2})
    values = [v for v in values if v != value]
    rng.shuffle(values)
    right = f"{value} {_unit(unit, english)}"
    wrong = [f"{v} {_unit(unit, english)}" for v in values[: CHOICES - 1]]
    question = _question(
        rng, "window", en if english else zh, right, wrong, f"[{name}={value}]", "policy"
    )
    assert question is not None  # there are always enough other numbers
    return question


def _script_question(rng: random.Random, articles: Sequence[QuizArticle]) -> Question | None:
    scripted = [a for a in articles if a.scripts]
    if not scripted:
        return None
    article = rng.choice(scripted)
    right = rng.choice(article.scripts)
    pool = [
        s for a in scripted if a.slug != article.slug for s in a.scripts if s not in article.scripts
    ]
    why = f"「{article.title}」: {right}"
    return _question(
        rng,
        "script",
        article.question,
        right,
        _pick_others(rng, pool, right, CHOICES - 1),
        why,
        article.category,
    )


def generate(
    articles: Sequence[QuizArticle], n: int = 10, seed: int = 0, english: bool = False
) -> list[Question]:
    """``n`` questions, deterministic for a ``seed`` (articles in any order give the same quiz:
    they are sorted by slug first). Kinds rotate article, window, script."""
    ordered = sorted(articles, key=lambda a: a.slug)
    rng = random.Random(seed)
    out: list[Question] = []
    kinds = ("article", "window", "script")
    attempts = 0
    while len(out) < n and attempts < n * 10:
        kind = kinds[attempts % len(kinds)]
        attempts += 1
        if kind == "window":
            q: Question | None = _window_question(rng, english)
        elif not ordered:
            continue
        elif kind == "article":
            q = _article_question(rng, ordered)
        else:
            q = _script_question(rng, ordered)
        if q is not None and all(q.text != other.text or q.kind != other.kind for other in out):
            out.append(q)
    return out


def score(questions: Sequence[Question], answers: Sequence[int | None]) -> list[dict[str, object]]:
    """One row per question: kind, topic, the choice given, the right one, and whether it was."""
    rows: list[dict[str, object]] = []
    for index, q in enumerate(questions):
        given = answers[index] if index < len(answers) else None
        rows.append(
            {
                "kind": q.kind,
                "topic": q.topic,
                "given": given,
                "answer": q.answer,
                "right": given == q.answer,
            }
        )
    return rows
