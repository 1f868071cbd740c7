"""The training commands: qa (hostile text shown literally), quiz, training report / promote,
and train's refusals."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from cs_console import demo
from cs_console.cli.root import main
from cs_console.service.desk import Desk
from cs_console.service.session import sign_in
from cs_console.store.db import Store

HOSTILE = "您好,我保证给您退款 \x1b[31m[b]red[/b]\u202e 谢谢"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CS_CONSOLE_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text(
        '[training]\npass_mark = 80\nready_set = "basics"\n', encoding="utf-8"
    )
    for name in ("CS_CONSOLE_DB", "CS_CONSOLE_AGENT"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "cache.db"
    with Store.open(path) as store:
        demo.seed(store, tickets=30, seed_value=2)
        desk = Desk(store, sign_in(store, "agent02"))
        ticket = store.scalar("SELECT id FROM tickets WHERE status = 'open' ORDER BY id LIMIT 1")
        desk.reply(ticket, HOSTILE)
        desk.reply(ticket, '=HYPERLINK("http://x") 这是你自己的问题')
    return path, ticket, monkeypatch


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def test_qa_lists_risk_points_with_hostile_text_shown_literally(cache):
    path, ticket, _ = cache
    result = run("qa", "--db", path, "--agent", "agent02")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "^[" in result.output and "[b]red[/b]" in result.output and "<U+202E>" in result.output
    assert f"#{ticket}" in result.output and "政策外承诺" in result.output
    assert "责怪顾客" in result.output
    assert "条已发送回复" in result.output


def test_qa_json_is_exact_and_csv_is_safe(cache):
    path, ticket, _ = cache
    data = json.loads(run("qa", "--db", path, "--agent", "agent02", "--json").output)
    assert data["replies"] >= 2
    rules = [(f["ticket_id"], f["rule"], f["phrase"]) for f in data["findings"]]
    assert (ticket, "promise", "保证") in rules and (ticket, "blame", "你自己的问题") in rules
    promise = next(f for f in data["findings"] if f["rule"] == "promise")
    assert "\x1b[31m[b]red[/b]" in promise["excerpt"]  # exact in JSON
    rows = list(
        csv.DictReader(io.StringIO(run("qa", "--db", path, "--csv", "--agent", "agent02").output))
    )
    blame = next(r for r in rows if r["rule"] == "blame")
    assert blame["excerpt"].startswith("'=HYPERLINK")  # never a formula in a spreadsheet


def test_qa_filters_and_bad_dates(cache):
    path, _, _ = cache
    assert json.loads(run("qa", "--db", path, "--agent", "nobody", "--json").output) == {
        "replies": 0,
        "findings": [],
    }
    later = json.loads(run("qa", "--db", path, "--from", "2999-01-01", "--json").output)
    assert later["replies"] == 0
    sample = json.loads(run("qa", "--db", path, "--sample", "1", "--seed", "3", "--json").output)
    assert sample["replies"] == 1
    bad = run("qa", "--db", path, "--from", "yesterday")
    assert bad.exit_code == 2 and "ISO-8601" in bad.output


def test_quiz_with_answers_is_scored_stored_and_deterministic(cache):
    path, _, monkeypatch = cache
    monkeypatch.setenv("CS_CONSOLE_AGENT", "trainee01")
    first = json.loads(
        run("quiz", "--db", path, "--n", "6", "--seed", "11", "--answers", "1,1,1", "--json").output
    )
    again = json.loads(
        run("quiz", "--db", path, "--n", "6", "--seed", "11", "--answers", "1,1,1", "--json").output
    )
    assert [q["text"] for q in first["questions"]] == [q["text"] for q in again["questions"]]
    assert len(first["questions"]) == 6
    assert {q["kind"] for q in first["questions"]} == {"article", "window", "script"}
    for q in first["questions"]:
        assert len(q["choices"]) == 4 and len(set(q["choices"])) == 4 and q["explanation"]
    assert first["right"] == sum(1 for q in first["questions"][:3] if q["answer"] == 0)
    with Store.open(path) as store:
        rows = store.all("SELECT trainee, seed, questions, correct FROM quiz_results")
    assert rows[0] == {
        "trainee": "trainee01",
        "seed": 11,
        "questions": 6,
        "correct": first["right"],
    }


def test_quiz_needs_a_terminal_or_answers(cache):
    path, _, _ = cache
    result = run("quiz", "--db", path, "--n", "2", input="1\n2\n")
    assert result.exit_code == 1 and "--answers" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_training_report_and_promotion_rules(cache):
    path, _, monkeypatch = cache
    monkeypatch.setenv("CS_CONSOLE_AGENT", "trainee01")
    run("quiz", "--db", path, "--n", "3", "--seed", "1", "--answers", "1,2,3")
    report = json.loads(run("training", "report", "--db", path, "--json").output)
    mine = next(r for r in report if r["trainee"] == "trainee01")
    assert mine["role"] == "trainee" and mine["quizzes"]["taken"] == 1
    assert mine["ready"]["set"] == "basics" and mine["ready"]["ready"] is False
    text = run("training", "report", "--db", path, "--trainee", "trainee01").output
    assert "trainee01" in text and "未达标" in text and "测验 1 次" in text
    rows = list(
        csv.DictReader(io.StringIO(run("training", "report", "--db", path, "--csv").output))
    )
    assert "trainee01" in {r["trainee"] for r in rows}
    # a trainee cannot promote; a supervisor cannot promote one who is not ready
    refused = run("--lang", "en", "training", "promote", "--db", path, "trainee01")
    assert refused.exit_code == 1 and "not ready" in refused.output
    monkeypatch.setenv("CS_CONSOLE_AGENT", "sup01")
    refused = run("--lang", "en", "training", "promote", "--db", path, "trainee01")
    assert refused.exit_code == 1 and "not ready" in refused.output
    with Store.open(path) as store:
        assert store.agent("trainee01")["role"] == "trainee"


def test_train_refusals_and_list(cache):
    path, _, monkeypatch = cache
    listed = run("train", "--db", path, "--list")
    assert listed.exit_code == 0 and "allergy-serum-redness" in listed.output
    both = run("train", "--db", path, "--scenario", "x", "--set", "basics")
    assert both.exit_code == 2
    monkeypatch.setenv("CS_CONSOLE_AGENT", "trainee01")
    other = run("--lang", "en", "train", "--db", path, "--trainee", "agent01")
    assert other.exit_code == 1 and "only a supervisor" in other.output
    unknown = run("--lang", "en", "train", "--db", path, "--scenario", "no-such-scenario")
    assert unknown.exit_code == 1 and "no scenario" in unknown.output


def test_training_config_is_checked(tmp_path, monkeypatch):
    from cs_console.config import ConfigError, load_config

    config = tmp_path / "c.toml"
    config.write_text("[training]\npass_mark = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="training.pass_mark"):
        load_config(config, env={})
    config.write_text("[training]\npassmark = 70\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="did you mean 'pass_mark'"):
        load_config(config, env={})
    config.write_text('[training]\npass_mark = 70\nready_set = "vip"\n', encoding="utf-8")
    loaded = load_config(config, env={})
    assert (loaded.training.pass_mark, loaded.training.ready_set) == (70, "vip")


def test_train_runs_the_console_on_a_throwaway_sandbox(cache):
    """The console is replaced by a stand-in that works one ticket: the sandbox is a new file,
    not synced, removed afterwards; the grade lands in the real cache and nothing else does."""
    path, _, monkeypatch = cache
    monkeypatch.setenv("CS_CONSOLE_AGENT", "trainee01")
    seen = {}

    def fake_console(desk, config, kb_dir=None):
        seen["sandbox"] = desk.store.path
        seen["rt"] = config.rt.url
        assert config.db != path and desk.training
        ticket_id = next(iter(desk.tickets))
        desk.reply(ticket_id, "您好,非常抱歉,请您停用并就医,批号是多少?还有其他问题随时联系。")
        desk.set_status(ticket_id, "resolved")

    monkeypatch.setattr("cs_console.tui.screens.training.run_training", fake_console)
    with Store.open(path) as store:
        before = {
            t: store.scalar(f"SELECT count(*) FROM {t}") for t in ("tickets", "messages", "outbox")
        }
    result = run("train", "--db", path, "--scenario", "allergy-serum-redness")
    assert result.exit_code == 0, result.output
    assert "培训沙盒：1 个练习工单" in result.output and "本次练习评分 1 单" in result.output
    from pathlib import Path

    assert seen["rt"] is None and not Path(seen["sandbox"]).exists()
    with Store.open(path) as store:
        after = {
            t: store.scalar(f"SELECT count(*) FROM {t}") for t in ("tickets", "messages", "outbox")
        }
        rows = store.all("SELECT trainee, scenario FROM training_results")
    assert after == before
    assert rows == [{"trainee": "trainee01", "scenario": "allergy-serum-redness"}]
