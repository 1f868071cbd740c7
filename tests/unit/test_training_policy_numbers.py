"""Every policy number a scenario's must_say quotes is the one policy/numbers.py holds for the rule
the scenario names, so changing a number there fails the scenario (and `kb check`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cs_console.kb.paths import default_kb_dir
from cs_console.policy import numbers as policy_numbers
from cs_console.policy.numbers import NUMBERS
from cs_console.training.quotes import Quantity, check_quotes, evaluate, quantities
from cs_console.training.scenario import Scenario, load_scenarios

TRAINING = default_kb_dir() / "training"


def shipped() -> list[Scenario]:
    scenarios, problems = load_scenarios(TRAINING)
    assert problems == [], [str(p) for p in problems]
    return scenarios


def _quoting() -> list[Scenario]:
    """The shipped scenarios whose must_say quotes a quantity with a unit."""
    return [
        s
        for s in shipped()
        if any(q.unit for fact in s.expect.must_say for p in fact for q in quantities(p))
    ]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("7天", [(7, "days")]),
        ("七天", [(7, "days")]),
        ("7 days", [(7, "days")]),
        ("十五天", [(15, "days")]),
        ("三个工作日", [(3, "workdays")]),
        ("3 working days", [(3, "workdays")]),
        ("24 小時", [(24, "hours")]),  # traditional script folds to simplified
        ("４８小时", [(48, "hours")]),  # full-width digits
        ("一年", [(12, "months")]),
        ("二十元", [(20, "yuan")]),
        ("100 points", [(100, "points")]),
        ("两倍", [(2, "times")]),
        ("double", [(2, "times")]),
        ("每100", [(100, None)]),
        ("象牙白 01", [(1, None)]),
        ("一定", []),
        ("7 天内退,15 天内换", [(7, "days"), (15, "days")]),
    ],
)
def test_quantities_read_digits_numerals_and_units(phrase, expected) -> None:
    assert [(q.value, q.unit) for q in quantities(phrase)] == expected


def test_a_sum_over_policy_numbers_and_the_customers_points() -> None:
    assert evaluate("tier_gold_spend_yuan - 2600") == (400, None)
    assert evaluate("customer.points / points_per_yuan_redeemed", points=5600) == (56, None)
    assert evaluate("return_unopened_days") == (7, "days")


def test_every_shipped_quote_is_the_policy_number_of_its_rule() -> None:
    quoting = _quoting()
    assert len(quoting) == 25
    for s in quoting:
        assert s.expect.policy, f"{s.slug} quotes numbers but names no policy rule"
        assert check_quotes(s.expect.must_say, s.expect.policy, points=s.customer.points) == []


@pytest.mark.parametrize("scenario", _quoting(), ids=lambda s: s.slug)
def test_changing_a_named_policy_number_fails_the_scenario(scenario: Scenario) -> None:
    for entry in scenario.expect.policy:
        names = [n for n in re.findall(r"[a-z_]+", entry) if n in NUMBERS]
        changed = {**NUMBERS, names[0]: NUMBERS[names[0]] + 1}
        problems = check_quotes(
            scenario.expect.must_say,
            scenario.expect.policy,
            numbers=changed,
            points=scenario.customer.points,
        )
        assert problems, f"{scenario.slug}: {names[0]} + 1 went unnoticed"


def test_kb_check_names_the_rule_and_line_when_policy_changes(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setitem(policy_numbers._NUMBERS, "return_unopened_days", 10)
    source = TRAINING / "return-unopened-in-window.md"
    (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    _, problems = load_scenarios(tmp_path)
    line = next(
        n for n, row in enumerate(source.read_text().splitlines(), 1) if row.startswith("policy")
    )
    assert [(p.line, p.message) for p in problems] == [
        (line, "must_say quotes '7天' but the policy says otherwise: return_unopened_days is 10"),
        (
            line,
            "expect.policy names 'return_unopened_days' (10 days) but no must_say phrase quotes it",
        ),
    ]


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        ("[]", "must_say quotes '7天' (7 days), which no policy number in expect.policy holds"),
        ('["return_unopened_dayz"]', "unknown policy number 'return_unopened_dayz'"),
        ('["import os"]', "is not a policy number name or a sum over names"),
        ('["__import__(1)"]', "only policy number names, whole numbers, customer.points"),
        (
            '["return_unopened_days", "exchange_unopened_days"]',
            "'exchange_unopened_days' (15 days)",
        ),
    ],
)
def test_a_wrong_policy_field_is_reported(tmp_path: Path, policy, message) -> None:
    text = (TRAINING / "return-unopened-in-window.md").read_text(encoding="utf-8")
    start = text.index("policy = [")
    text = text[:start] + f"policy = {policy}" + text[text.index("\n", start) :]
    text = text.replace('"12元", "12 元", ', "")  # only the 7-day window left to quote
    (tmp_path / "return-unopened-in-window.md").write_text(text, encoding="utf-8")
    _, problems = load_scenarios(tmp_path)
    assert any(message in p.message for p in problems), [str(p) for p in problems]


def test_quantity_keeps_the_phrase_it_came_from() -> None:
    assert quantities("30 天内") == [Quantity(30, "days", "30 天")]
