"""CLI twins: return, exchange, approve, decline, compensate, allergy-cases, returns."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from returns_fixture import build, counts

from cs_console.cli.root import main
from cs_console.store.db import Store


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("CS_CONSOLE_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    for name in ("CS_CONSOLE_DB", "CS_CONSOLE_AGENT", "CS_CONSOLE_ROLE", "CS_CONSOLE_AGENT_NAME"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "cache.db"
    with Store.open(path) as store:
        tickets = build(store)
    return path, tickets, monkeypatch


def as_role(monkeypatch, agent: str, role: str) -> None:
    """Sign in as ``agent``; the role is the agents table's (asserted, not set)."""
    monkeypatch.setenv("CS_CONSOLE_AGENT", agent)
    assert {"agent01": "agent", "trainee01": "trainee", "sup01": "supervisor"}[agent] == role


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def snapshot(path):
    with Store.open(path) as store:
        return counts(store)


def test_return_json_and_twice_is_the_same_return(env):
    db, T, _ = env
    args = (
        "return",
        "--db",
        db,
        "--ticket",
        T["cosmetics"],
        "--sku",
        "SR-003",
        "--qty",
        1,
        "--reason",
        "unopened",
        "--json",
    )
    first = run(*args)
    assert first.exit_code == 0, first.output
    data = json.loads(first.output)
    assert {"return_id", "status", "verdict", "op_id"} <= set(data)
    assert data["status"] == "approved" and data["created"] is True and data["verdict"]["reasons"]
    before = snapshot(db)
    second = json.loads(run(*args).output)
    assert second["return_id"] == data["return_id"] and second["op_id"] == data["op_id"]
    assert second["created"] is False
    assert snapshot(db) == before


def test_return_text_output_lists_the_reasons(env):
    db, T, _ = env
    result = run(
        "return",
        "--db",
        db,
        "--ticket",
        T["allergy"],
        "--sku",
        "SR-003",
        "--reason",
        "allergy",
        "--batch",
        "B041",
    )
    assert result.exit_code == 0, result.output
    assert (
        "approved" in result.output
        and "allergy_report_days" in result.output
        and "停用" in result.output
    )


def test_exchange_with_target(env):
    db, T, _ = env
    result = run(
        "exchange",
        "--db",
        db,
        "--ticket",
        T["shade"],
        "--sku",
        "FD-102",
        "--reason",
        "wrong_shade",
        "--to-sku",
        "FD-101",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["kind"] == "exchange" and data["lines"][0]["to_sku"] == "FD-101"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--ticket", 9999, "--sku", "SR-003", "--reason", "unopened"), "does not exist"),
        (("--ticket", "{cosmetics}", "--sku", "XX-1", "--reason", "unopened"), "not on order"),
        (("--ticket", "{cosmetics}", "--sku", "SR-003", "--reason", "nonsense"), "nonsense"),
        (
            ("--ticket", "{cosmetics}", "--sku", "SR-003", "--qty", 5, "--reason", "unopened"),
            "Only 2 of SR-003 were bought",
        ),
        (
            (
                "--ticket",
                "{cosmetics}",
                "--sku",
                "SR-003",
                "--qty",
                1,
                "--qty",
                2,
                "--reason",
                "unopened",
            ),
            "--qty",
        ),
        (("--ticket", "{allergy}", "--sku", "SR-003", "--reason", "allergy"), "batch number"),
        (("--ticket", "{leak}", "--sku", "MO-007", "--reason", "damaged"), "need photos"),
    ],
)
def test_errors_exit_non_zero_and_write_nothing(env, args, message):
    db, T, _ = env
    args = tuple(str(a).format(**T) for a in args)
    before = snapshot(db)
    result = run("--lang", "en", "return", "--db", db, *args)
    assert result.exit_code != 0
    assert message in result.output
    assert snapshot(db) == before


def test_exchange_without_a_needed_target_fails(env):
    db, T, _ = env
    result = run(
        "exchange", "--db", db, "--ticket", T["shade"], "--sku", "FD-102", "--reason", "wrong_shade"
    )
    assert result.exit_code == 1 and "目标 SKU" in result.output


def test_trainee_waits_supervisor_approves(env):
    db, T, monkeypatch = env
    as_role(monkeypatch, "trainee01", "trainee")
    data = json.loads(
        run(
            "return",
            "--db",
            db,
            "--ticket",
            T["big"],
            "--sku",
            "FD-100",
            "--qty",
            2,
            "--reason",
            "unopened",
            "--json",
        ).output
    )
    assert (
        data["status"] == "awaiting_approval" and "supervisor_approval" in data["verdict"]["flags"]
    )
    refused = run("approve", data["return_id"], "--db", db)
    assert refused.exit_code == 1
    assert refused.output == "错误：只有主管可以批准退换货和补偿（trainee01 是实习）\n"
    listed = json.loads(run("returns", "--db", db, "--awaiting", "--json").output)
    assert [r["return_id"] for r in listed] == [data["return_id"]]
    as_role(monkeypatch, "sup01", "supervisor")
    approved = run("approve", data["return_id"], "--db", db, "--note", "ok", "--json")
    assert approved.exit_code == 0, approved.output
    result = json.loads(approved.output)
    assert result["status"] == "approved" and result["approved_by"] == "sup01"
    assert json.loads(run("returns", "--db", db, "--awaiting", "--json").output) == []


def test_decline_needs_a_note(env):
    db, T, monkeypatch = env
    data = json.loads(
        run(
            "return",
            "--db",
            db,
            "--ticket",
            T["stale"],
            "--sku",
            "MO-006",
            "--reason",
            "opened",
            "--goodwill",
            "--json",
        ).output
    )
    as_role(monkeypatch, "sup01", "supervisor")
    assert run("decline", data["return_id"], "--db", db).exit_code == 2
    result = run("decline", data["return_id"], "--db", db, "--note", "不符合")
    assert result.exit_code == 0 and "declined" in result.output


def test_compensate_points_once(env):
    db, T, _ = env
    first = json.loads(
        run("compensate", "--db", db, "--ticket", T["late3"], "--kind", "points", "--json").output
    )
    assert (
        first["status"] == "approved"
        and first["amount"] == 200
        and first["amount_unit"] == "points"
    )
    again = json.loads(
        run("compensate", "--db", db, "--ticket", T["late3"], "--kind", "points", "--json").output
    )
    assert again["return_id"] == first["return_id"] and not again["created"]
    wrong = run("compensate", "--db", db, "--ticket", T["ontime"], "--kind", "points")
    assert wrong.exit_code == 1 and "不属于延误" in wrong.output


def test_allergy_cases_csv_puts_repeated_batches_first(env):
    db, T, _ = env
    assert (
        run(
            "return",
            "--db",
            db,
            "--ticket",
            T["allergy"],
            "--sku",
            "SR-003",
            "--reason",
            "allergy",
            "--batch",
            "B041",
        ).exit_code
        == 0
    )
    assert (
        run(
            "return",
            "--db",
            db,
            "--ticket",
            T["cosmetics"],
            "--sku",
            "SR-003",
            "--reason",
            "allergy",
            "--batch",
            "B041",
        ).exit_code
        == 0
    )
    assert (
        run(
            "return",
            "--db",
            db,
            "--ticket",
            T["cosmetics"],
            "--sku",
            "FD-100",
            "--reason",
            "allergy",
            "--batch",
            "Z1",
        ).exit_code
        == 0
    )
    result = run("allergy-cases", "--db", db, "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["batch_no"] for r in rows] == ["B041", "B041", "Z1"]
    assert (
        rows[0]["batch_cases"] == "2"
        and rows[0]["product"]
        and rows[0]["date"]
        and rows[0]["symptoms"]
    )
    assert rows[0]["outcome"] == "refund: approved"
    assert set(rows[0]) >= {"product", "batch_no", "date", "symptoms", "outcome"}


def test_returns_csv_has_reason_codes_one_row_per_line(env):
    db, T, _ = env
    run(
        "return",
        "--db",
        db,
        "--ticket",
        T["cosmetics"],
        "--sku",
        "SR-003",
        "--sku",
        "LS-101",
        "--reason",
        "unopened",
    )
    run("compensate", "--db", db, "--ticket", T["late8"], "--kind", "coupon")
    result = run("returns", "--db", db, "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["reason"] for r in rows} == {"unopened", "delay"}
    assert sorted(r["sku"] for r in rows if r["reason"] == "unopened") == ["LS-101", "SR-003"]
    assert all(r["batch_no"] for r in rows if r["reason"] == "unopened")
    text = run("returns", "--db", db)
    assert text.exit_code == 0 and "unopened" in text.output


def test_ticket_orders_lists_and_ticket_order_relinks(env):
    db, T, monkeypatch = env
    as_role(monkeypatch, "agent01", "agent")
    listed = run("ticket", "orders", "--db", db, T["cosmetics"], "--json")
    assert listed.exit_code == 0, listed.output
    orders = json.loads(listed.output)
    linked = [o["id"] for o in orders if o["linked"]]
    assert len(linked) == 1
    text = run("ticket", "orders", "--db", db, T["cosmetics"])
    assert text.output.startswith("*") or f"* {linked[0]}" in text.output
    again = run("ticket", "order", "--db", db, T["cosmetics"], linked[0])
    assert again.exit_code == 0 and "本来就是" in again.output
    refused = run("ticket", "order", "--db", db, T["cosmetics"], "NO-SUCH")
    assert refused.exit_code != 0 and "NO-SUCH" in refused.output
    with Store.open(db) as store:
        assert store.ticket(T["cosmetics"])["order_id"] == linked[0]
