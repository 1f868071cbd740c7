"""CSV export/import: the round trip and all-or-nothing import."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

from kb_fixture import write_kb

from cs_console.kb.csvio import COLUMNS, export_csv, import_csv, split_scripts
from cs_console.kb.loader import load_kb
from cs_console.kb.paths import default_kb_dir


def same(a_dir: Path, b_dir: Path) -> None:
    a = load_kb(a_dir)
    b = load_kb(b_dir)
    assert a.problems == [] and b.problems == []

    def relative(arts):
        return [dataclasses.replace(x, path=Path(x.path.parent.name, x.path.name)) for x in arts]

    assert relative(a.articles) == relative(b.articles)


def round_trip(src: Path, tmp_path: Path) -> None:
    text, problems = export_csv(src)
    assert problems == []
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(text, encoding="utf-8")
    result = import_csv(sheet, tmp_path / "copy")
    assert result.problems == []
    same(src, tmp_path / "copy")
    # exporting the copy gives the same sheet
    assert export_csv(tmp_path / "copy")[0] == text


def test_round_trip_fixture(tmp_path: Path) -> None:
    round_trip(write_kb(tmp_path / "kb"), tmp_path)


def test_round_trip_shipped_kb(tmp_path: Path) -> None:
    src = default_kb_dir()
    if not any((src / "articles").glob("*.md")):
        return
    round_trip(src, tmp_path)


def test_export_keeps_placeholders_and_splits_scripts(tmp_path: Path) -> None:
    text, _ = export_csv(write_kb(tmp_path / "kb"))
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(text))}
    assert tuple(next(csv.reader(io.StringIO(text)))) == COLUMNS
    row = rows["return-unopened"]
    assert "{{policy.return_unopened_days}}" in row["body"]
    assert row["scripts"].startswith("## 话术 · 同意退货\n")
    assert "## 话术" not in row["body"]
    assert row["aliases"] == "没拆封能退吗|未拆封退货|退貨|return unopened"


def test_split_scripts_leaves_interleaved_sections_in_the_body() -> None:
    body = "答案\n\n## 话术 · 一\n文本\n\n## 政策\n规则"
    assert split_scripts(body) == (body, "")
    assert split_scripts("答案\n\n## 话术 · 一\n文本") == ("答案", "## 话术 · 一\n文本")


def _sheet(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    return path


def _row(slug: str, **kw: str) -> dict[str, str]:
    row = {
        "slug": slug,
        "title": "T " + slug,
        "title_zh": "标题" + slug,
        "category": "mall",
        "question": "问题?",
        "aliases": f"{slug}甲|{slug}乙|{slug}丙",
        "tags": "",
        "products": "",
        "body": "答案。",
        "scripts": "## 话术 · 回复\n您好{{cursor}}",
    }
    row.update(kw)
    return row


def test_import_reports_every_bad_row_and_writes_nothing(tmp_path: Path) -> None:
    rows = [
        _row("good-one"),
        _row("Bad Slug"),
        _row("no-script", scripts=""),
        _row("good-one"),
        _row("placeholder", scripts="## 话术 · 回复\n{{nope}}"),
        _row("clash", aliases="good-one甲|x1|x2"),
    ]
    result = import_csv(_sheet(tmp_path, rows), tmp_path / "kb")
    assert result.written == []
    text = "\n".join(result.problems)
    assert "row 3: slug 'Bad Slug'" in text
    assert "row 4: no reply script" in text
    assert "row 5: slug 'good-one' is also on row 2" in text
    assert "row 6: unknown placeholder '{{nope}}'" in text
    assert "row 7: alias 'good-one甲' clashes" in text
    assert not (tmp_path / "kb").exists() or not any((tmp_path / "kb").rglob("*"))


def test_import_clash_with_existing_file_is_rejected(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb")
    before = sorted(p.name for p in kb.rglob("*.md"))
    result = import_csv(_sheet(tmp_path, [_row("newone", aliases="哺乳室|a1|a2")]), kb)
    assert result.written == [] and "row 2: alias '哺乳室' clashes" in result.problems[0]
    assert sorted(p.name for p in kb.rglob("*.md")) == before


def test_import_replaces_an_existing_article_and_routes_scripts(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb")
    rows = [
        _row("nursing-room", aliases="哺乳室|喂奶间|nursing room"),
        _row("script-new", category="script", question="", aliases=""),
    ]
    result = import_csv(_sheet(tmp_path, rows), kb)
    assert result.problems == []
    assert (kb / "scripts" / "script-new.md").is_file()
    loaded = load_kb(kb)
    assert loaded.problems == []
    assert loaded.by_slug()["nursing-room"].aliases == ("哺乳室", "喂奶间", "nursing room")
    assert not list(kb.rglob("*.tmp"))


def test_import_missing_column_is_row_1(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("slug,title\nx,y\n", encoding="utf-8")
    result = import_csv(path, tmp_path / "kb")
    assert result.problems and result.problems[0].startswith("row 1: missing column(s)")
