"""Training scenario files: the shipped ones load, cover every category, and agree with policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from cs_console.cli.kb import kb
from cs_console.demo.generator import PRODUCTS
from cs_console.kb.loader import load_kb
from cs_console.kb.paths import default_kb_dir
from cs_console.policy.returns import LineRequest, Request, evaluate
from cs_console.training.scenario import CATEGORIES, Scenario, load_scenarios

NOW = datetime(2026, 6, 15, 4, 0, tzinfo=UTC)
SKUS = {p.sku for p in PRODUCTS}
SLUGS = {a.slug for a in load_kb(default_kb_dir()).articles}


def shipped() -> list[Scenario]:
    scenarios, problems = load_scenarios(
        default_kb_dir() / "training", known_skus=SKUS, known_articles=SLUGS
    )
    assert problems == []
    return scenarios


def test_shipped_scenarios_load_and_cover_every_category() -> None:
    scenarios = shipped()
    assert len(scenarios) >= 30
    assert {s.category for s in scenarios} == set(CATEGORIES)
    for s in scenarios:
        assert set(s.expect.articles) <= SLUGS


def _verdict(s: Scenario):
    assert s.order is not None
    products = {p.sku: {**p.__dict__, "stock": 50, "returnable": 1} for p in PRODUCTS}
    lines = [
        {"id": i, "sku": ln.sku, "qty": ln.qty, "unit_price": products[ln.sku]["price"],
         "batch_no": ln.batch}
        for i, ln in enumerate(s.order.lines, start=1)
    ]  # fmt: skip
    total = sum(x["unit_price"] * x["qty"] for x in lines)
    o = s.order
    order = {
        "paid": total, "discount": 0.0, "total": total, "channel": "tmall",
        "placed_at": NOW - timedelta(days=o.placed_days_ago),
        "delivered_at": None if o.delivered_days_ago is None
        else NOW - timedelta(days=o.delivered_days_ago),
        "promised_at": None if o.promised_days_ago is None
        else NOW - timedelta(days=o.promised_days_ago),
    }  # fmt: skip
    requests = []
    for i, ln in enumerate(o.lines, start=1):
        to_sku = None
        if ln.shade:
            kind = products[ln.sku]
            to_sku = next(
                p["sku"] for p in products.values()
                if p["line"] == kind["line"] and p["shade"] == ln.shade
            )  # fmt: skip
        requests.append(LineRequest(i, ln.qty, to_sku))
    batch = next((ln.batch for ln in o.lines if ln.batch), None)
    reason = s.expect.reason
    assert reason is not None
    req = Request(
        reason,
        tuple(requests) if s.expect.action != "compensate" else (),
        resolution=s.expect.resolution,
        batch_no=batch,
        photos=True,
    )
    return evaluate(req, order, lines, products, NOW)


@pytest.mark.parametrize(
    "scenario", [s for s in shipped() if s.expect.verdict], ids=lambda s: s.slug
)
def test_expected_verdict_is_what_policy_decides(scenario: Scenario) -> None:
    verdict = _verdict(scenario)
    assert ("allowed" if verdict.allowed else "refused") == scenario.expect.verdict, verdict.reasons


def test_kb_check_reports_a_broken_scenario(tmp_path: Path) -> None:
    folder = tmp_path / "training"
    folder.mkdir()
    (folder / "x.md").write_text('+++\nslug = "y"\n+++\n', encoding="utf-8")
    scenarios, problems = load_scenarios(folder)
    assert scenarios == [] and any(":2: slug 'y'" in str(p) for p in problems)
    res = CliRunner().invoke(kb, ["check", str(tmp_path)])
    assert res.exit_code == 1 and f"{folder / 'x.md'}:2:" in res.output


GOOD = (default_kb_dir() / "training" / "return-unopened-in-window.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ('channel = "app"', 'channel = "fax"', 7, "unknown channel"),
        ('tier = "member"', 'tier = "platinum"', 12, "unknown tier"),
        ('sku = "SR-004"', 'sku = "NOPE-1"', 19, "unknown SKU"),
        ('reason = "unopened"', 'reason = "bored"', 34, "unknown policy.returns reason"),
        ("target_minutes = 6", "target_minutes = 0", 8, "greater than 0"),
        ("after_replies = 1", "after_replies = 0", 28, "greater than 0"),
        ('category = "after-sale"', 'category = "after-sale"\ncolour = "red"', 6, "unknown field"),
        ('articles = ["return-unopened"]', 'articles = ["no-such"]', 32, "not in the knowledge"),
        ('text = "前天', 'text = "\\u001b[2J前天', 25, "control"),
        ('    ["运费险"', '    [],\n    ["运费险"', 37, "is empty"),
    ],
)
def test_each_rule_gives_file_and_line(tmp_path: Path, old, new, line, words) -> None:
    assert old in GOOD
    path = tmp_path / "return-unopened-in-window.md"
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    _, problems = load_scenarios(tmp_path, known_skus=SKUS, known_articles=SLUGS)
    assert any(p.line == line and words in p.message for p in problems), problems


@pytest.mark.parametrize(
    ("scenario_delay", "own_delay", "expected"),
    [(None, None, 5), ("followup_delay_seconds = 30", None, 30), (None, "delay_seconds = 0", 0)],
)
def test_followup_delay_defaults_to_a_few_seconds(
    tmp_path: Path, scenario_delay, own_delay, expected
) -> None:
    text = GOOD
    if scenario_delay:
        text = text.replace("target_minutes = 6", f"target_minutes = 6\n{scenario_delay}", 1)
    if own_delay:
        text = text.replace("after_replies = 1", f"after_replies = 1\n{own_delay}", 1)
    (tmp_path / "return-unopened-in-window.md").write_text(text, encoding="utf-8")
    scenarios, problems = load_scenarios(tmp_path)
    assert problems == []
    assert [f.delay_seconds for f in scenarios[0].followups] == [expected]


def test_a_negative_followup_delay_is_reported(tmp_path: Path) -> None:
    text = GOOD.replace("after_replies = 1", "after_replies = 1\ndelay_seconds = -1", 1)
    (tmp_path / "return-unopened-in-window.md").write_text(text, encoding="utf-8")
    _, problems = load_scenarios(tmp_path)
    assert [(p.line, p.message) for p in problems] == [
        (29, "field 'followups.0.delay_seconds' must be at least 0 (got -1)")
    ]
