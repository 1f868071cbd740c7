import json

import pytest
from click.testing import CliRunner

from cs_console.cli.root import main


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("CS_CONSOLE_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    path = tmp_path / "cache.db"
    result = CliRunner().invoke(main, ["seed", "--db", str(path), "--tickets", "120", "--quiet"])
    assert result.exit_code == 0, result.output
    return path


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def test_seed_then_queue_json_in_console_order(db):
    result = run("queue", "--db", db, "--json", "--limit", "20")
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert len(items) == 20
    assert set(items[0]) >= {
        "id",
        "subject",
        "customer",
        "tier",
        "channel",
        "category",
        "priority",
        "status",
        "sentiment",
        "tags",
        "allergy",
        "escalated",
        "sla",
    }
    dues = [i["sla"]["due"] for i in items]
    assert dues == sorted(dues)
    breached = [i["sla"]["state"] == "breached" for i in items]
    assert breached == sorted(breached, reverse=True)


def test_global_db_option_works_too(db):
    assert run("--db", db, "queue", "--limit", "3").exit_code == 0


def test_ticket_json_has_customer_order_lines_and_messages(db):
    ticket_id = json.loads(run("queue", "--db", db, "--json").output)[0]["id"]
    view = json.loads(run("ticket", ticket_id, "--db", db, "--json").output)
    assert view["ticket"]["id"] == ticket_id
    assert set(view) == {"ticket", "sla", "customer", "order", "messages"}
    assert view["messages"] and "phone" not in view["customer"]


def test_reply_then_outbox_json(db):
    ticket_id = json.loads(run("queue", "--db", db, "--json").output)[0]["id"]
    assert run("reply", "--db", db, "--ticket", ticket_id, "--body", "您好").exit_code == 0
    out = json.loads(run("outbox", "--db", db, "--json").output)
    assert out["summary"]["pending"] == 1 and out["ops"][0]["kind"] == "reply"
    assert out["ops"][0]["payload"]["body"] == "您好"


def test_errors_are_clear_and_write_nothing(db):
    result = run("reply", "--db", db, "--ticket", 999999, "--body", "x")
    assert result.exit_code == 1 and result.output == "错误：工单 999999 不存在\n"
    result = run("--lang", "en", "reply", "--db", db, "--ticket", 999999, "--body", "x")
    assert result.exit_code == 1 and result.output == "Error: ticket 999999 does not exist\n"
    result = run("reply", "--db", db, "--ticket", 1, "--body", "  ", "--lang", "zh-Hant")
    assert result.exit_code == 1 and result.output == "錯誤：訊息是空的\n"
    assert json.loads(run("outbox", "--db", db, "--json").output)["ops"] == []


def test_missing_and_bad_cache_files(tmp_path, db):
    result = run("queue", "--db", tmp_path / "missing.db")
    assert result.exit_code == 1 and "cs-console seed" in result.output
    junk = tmp_path / "junk.db"
    junk.write_text("hello")
    result = run("queue", "--db", junk)
    assert result.exit_code == 1 and "not an SQLite database" in result.output
    assert junk.read_text() == "hello"


def test_escalate_and_take_next(db):
    result = run("take-next", "--db", db, "--json")
    ticket_id = json.loads(result.output)["ticket_id"]
    result = run(
        "escalate", "--db", db, "--ticket", ticket_id, "--reason", "客户要求主管", "--json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["escalated"] is True


def test_reply_with_an_unfilled_script_prompt_is_refused_and_writes_nothing(db):
    from cs_console.store.db import Store

    with Store.open(db) as store:
        before = store.counts()
        ticket_id = store.queue()[0]["id"]
    result = run(
        "reply", "--db", db, "--ticket", ticket_id, "--body", "您的退换货单号是【退换货单号】。"
    )
    assert result.exit_code == 1
    assert "【退换货单号】" in result.output
    with Store.open(db) as store:
        assert store.counts() == before
    filled = run("reply", "--db", db, "--ticket", ticket_id, "--body", "您的退换货单号是 RMA-1。")
    assert filled.exit_code == 0, filled.output


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "no tickets\n"), ("zh-Hans", "没有工单\n"), ("zh-Hant", "沒有工單\n")]
)
def test_an_empty_queue_says_so_in_the_language(tmp_path, monkeypatch, lang, said):
    monkeypatch.setenv("CS_CONSOLE_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    path = tmp_path / "empty.db"
    assert run("seed", "--db", path, "--tickets", "0", "--quiet").exit_code == 0
    result = run("queue", "--db", path, "--lang", lang)
    assert result.exit_code == 0 and result.output == said


def test_seeding_a_full_cache_is_refused_in_the_language(db):
    result = run("seed", "--db", db, "--tickets", "5", "--lang", "en")
    assert result.exit_code == 1
    assert "already holds tickets; seed an empty cache (a new --db)" in result.output
    result = run("seed", "--db", db, "--tickets", "5", "--lang", "zh-Hant")
    assert "裡已有工單：請換一個空的快取（新的 --db）" in result.output
