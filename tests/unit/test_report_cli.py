"""``cs-console report``: the table in each language, JSON, CSV (formula-safe), xlsx read back
with openpyxl, and agents seeing only their own figures."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from click.testing import CliRunner
from metrics_fixture import add_team, at, ticket

from cs_console.cli.root import main
from cs_console.store.db import Store

DAY = "2026-11-20T02:00:00Z"
HOSTILE_AGENT = '=HYPERLINK("http://x")'


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CS_CONSOLE_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    for name in ("CS_CONSOLE_DB", "CS_CONSOLE_AGENT", "CS_CONSOLE_LANG"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "cache.db"
    with Store.open(path) as store:
        add_team(store)
        done = {"status": "resolved", "replied": at(DAY, seconds=10), "resolved": at(DAY, hours=2)}
        ticket(store, DAY, assignee="agent01", **done)
        ticket(store, DAY, assignee="agent01", channel="wechat", replies=2, **done)
        ticket(store, DAY, assignee="agent02", **done)
        ticket(store, DAY, assignee=HOSTILE_AGENT, **done)
    return path


def run(*args, agent="sup01"):
    return CliRunner().invoke(
        main, [str(a) for a in args], env={"CS_CONSOLE_AGENT": agent}, catch_exceptions=False
    )


PERIOD = ("--from", "2026-11-01", "--to", "2026-11-30")


def test_json_report_with_a_breakdown(cache):
    result = run("report", "--db", cache, *PERIOD, "--by", "channel", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["period"] == {
        "from": "2026-10-31T16:00:00Z",
        "to": "2026-11-30T16:00:00Z",
        "zone": "Asia/Shanghai",
    }
    assert data["agent"] is None
    total = data["total"]["figures"]
    assert total["tickets"]["value"] == 4
    assert (total["fcr"]["count"], total["fcr"]["of"], total["fcr"]["value"]) == (3, 4, 75.0)
    assert total["fcr"]["state"] == "red"
    assert total["closure_rate"]["state"] == "green"
    rows = {row["group"]: row["figures"]["tickets"]["value"] for row in data["rows"]}
    assert rows == {"chat": 3, "wechat": 1}


def test_agents_see_only_their_own_figures(cache):
    data = json.loads(
        run("report", "--db", cache, *PERIOD, "--by", "agent", "--json", agent="agent01").output
    )
    assert data["agent"] == "agent01"
    assert data["total"]["figures"]["tickets"]["value"] == 2
    assert [row["group"] for row in data["rows"]] == ["agent01"]
    text = run("report", "--db", cache, *PERIOD, "--lang", "en", agent="agent01").output
    assert "Only tickets assigned to agent01" in text


def test_csv_is_safe_against_formulas(cache):
    result = run("report", "--db", cache, *PERIOD, "--by", "agent", "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    groups = {row["group"] for row in rows}
    assert "'" + HOSTILE_AGENT in groups and HOSTILE_AGENT not in groups
    fcr = [r for r in rows if r["by"] == "all" and r["figure"] == "fcr"][0]
    assert (fcr["value"], fcr["target"], fcr["state"], fcr["count"], fcr["of"]) == (
        "75.0",
        "89.0",
        "red",
        "3",
        "4",
    )
    assert len(rows) == 21 * (1 + 3)  # every figure for the total and each of three agents


def test_table_in_each_language(cache):
    zh = run("report", "--db", cache, *PERIOD).output
    assert "服务指标：2026-11-01 .. 2026-11-30（Asia/Shanghai）" in zh
    assert "首次解决率" in zh and "75.0% (3/4)" in zh and "未达标" in zh
    hant = run("report", "--db", cache, *PERIOD, "--lang", "zh-Hant").output
    assert "服務指標" in hant and "首次解決率" in hant and "未達標" in hant
    en = run("report", "--db", cache, *PERIOD, "--lang", "en").output
    assert "First-contact resolution" in en and "off target" in en
    assert all(len(line) <= 80 for line in en.splitlines())
    by_channel = run("report", "--db", cache, *PERIOD, "--by", "channel").output
    assert "== 渠道：chat" in by_channel and "== 渠道：wechat" in by_channel
    hour = run("report", "--db", cache, *PERIOD, "--by", "hour", "--lang", "en").output
    assert "== Hour: 10:00" in hour  # 02:00 UTC is 10:00 in Shanghai


def test_empty_period_says_no_data(cache):
    result = run(
        "report", "--db", cache, "--from", "2025-01-01", "--to", "2025-01-02", "--lang", "en"
    )
    assert result.exit_code == 0, result.output
    assert "No data in this period." in result.output


def test_bad_input_is_one_clear_line(cache):
    result = run("report", "--db", cache, "--from", "2026-02-30", "--lang", "en")
    assert result.exit_code == 1
    assert "--from '2026-02-30' is not a date" in result.output
    zh = run("report", "--db", cache, "--from", "2026-02-30").output
    assert "--from '2026-02-30' 不是日期" in zh
    result = run("report", "--db", cache, "--json", "--csv")
    assert result.exit_code == 2


def test_xlsx_summary_breakdowns_and_chart(cache, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "month.xlsx"
    result = run("report", "--db", cache, *PERIOD, "--xlsx", out, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert f"Wrote {out} (8 sheets)" in result.output
    book = load_workbook(out)
    assert book.sheetnames == [
        "Summary",
        "Channel",
        "Category",
        "Skill group",
        "Agent",
        "Hour",
        "Day",
        "Allergy batches",
    ]
    summary = {row[0]: row[1:4] for row in book["Summary"].iter_rows(min_row=4, values_only=True)}
    assert summary["First-contact resolution"] == (75, 89, "off target")
    assert summary["Tickets"] == (4, None, "—")
    agents = {row[0]: row[1] for row in book["Agent"].iter_rows(min_row=2, values_only=True)}
    assert agents == {"agent01": 2, "agent02": 1, HOSTILE_AGENT: 1}
    cell = [c for c in book["Agent"]["A"] if c.value == HOSTILE_AGENT][0]
    assert cell.data_type == "s"  # text, not a formula
    with zipfile.ZipFile(out) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
    assert len(charts) == 6  # one per breakdown sheet


def test_xlsx_of_one_breakdown_for_an_agent(cache, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "mine.xlsx"
    result = run(
        "report",
        "--db",
        cache,
        *PERIOD,
        "--by",
        "hour",
        "--xlsx",
        out,
        "--lang",
        "en",
        agent="agent01",
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["Summary", "Hour", "Allergy batches"]
    assert book["Summary"]["A2"].value == "Only tickets assigned to agent01"
    hours = [row[:2] for row in book["Hour"].iter_rows(min_row=2, values_only=True)]
    assert hours == [("10:00", 2)]
