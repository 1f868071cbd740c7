"""The ``kb`` command group through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from kb_fixture import ENTRIES, write_kb

from cs_console import i18n
from cs_console.cli.kb import kb


@pytest.fixture()
def english():
    """The kb group run alone has no --lang: these tests read its English lines."""
    before = i18n.language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[CliRunner, dict]:
    monkeypatch.setenv("CS_CONSOLE_CACHE_DIR", str(tmp_path / "cache"))
    return CliRunner(), {"kb_dir": write_kb(tmp_path / "kb")}


def test_search_json_best_first(env) -> None:
    runner, obj = env
    res = runner.invoke(kb, ["search", "过敏", "--json", "--limit", "3"], obj=obj)
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert 1 <= len(data) <= 3
    assert data[0]["slug"] == "allergy-reaction-handling"
    assert set(data[0]) == {"slug", "title", "title_zh", "score", "kind"}
    assert [d["score"] for d in data] == sorted((d["score"] for d in data), reverse=True)


def test_search_human_table(env) -> None:
    runner, obj = env
    res = runner.invoke(kb, ["search", "mys"], obj=obj)
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert lines[0].split()[:2] == ["得分", "slug"]
    assert "nursing-room" in lines[1] and "母婴室位置" in lines[1]
    res = runner.invoke(kb, ["search", "qqqqzzzz"], obj=obj)
    assert res.exit_code == 0 and res.output == "没有与「qqqqzzzz」相符的文章\n"


def test_search_stdin_one_array_per_line_in_order(env) -> None:
    runner, obj = env
    res = runner.invoke(
        kb, ["search", "--stdin", "--limit", "2"], input="mys\n\n积份兑换\n", obj=obj
    )
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.output.splitlines()]
    assert len(rows) == 3
    assert rows[0][0]["slug"] == "nursing-room"
    assert rows[1] == []
    assert rows[2][0]["slug"] == "points-redemption"


def test_search_needs_a_query_or_stdin(env) -> None:
    runner, obj = env
    assert runner.invoke(kb, ["search"], obj=obj).exit_code == 2


def test_show_article_and_unknown_slug(env) -> None:
    runner, obj = env
    res = runner.invoke(kb, ["show", "return-unopened"], obj=obj)
    assert res.exit_code == 0
    assert "未拆封商品退货" in res.output and "同意退货" in res.output
    assert "{{policy" not in res.output
    res = runner.invoke(kb, ["show", "return-unopene"], obj=obj)
    assert res.exit_code == 1
    assert "没有 slug 为「return-unopene」的文章" in res.output
    data = json.loads(runner.invoke(kb, ["show", "script-greeting", "--json"], obj=obj).output)
    assert data["kind"] == "script" and len(data["scripts"]) == 2


def test_check_ok_and_failing(env, tmp_path: Path, english) -> None:
    runner, obj = env
    res = runner.invoke(kb, ["check"], obj=obj)
    assert res.exit_code == 0 and f"ok: {len(ENTRIES)} entries" in res.output
    bad = write_kb(tmp_path / "bad")
    (bad / "articles" / "broken.md").write_text(
        '+++\nslug = "broken"\ntitle = \n+++\n', encoding="utf-8"
    )
    res = runner.invoke(kb, ["check", str(bad)], obj=obj)
    assert res.exit_code == 1
    assert f"{bad / 'articles' / 'broken.md'}:3: bad front matter" in res.output


def test_check_uses_default_kb_without_obj(english) -> None:
    res = CliRunner().invoke(kb, ["check", "/nonexistent/kb"])
    assert res.exit_code == 1 and "not found" in res.output


def test_eval_prints_recall_and_misses(env, tmp_path: Path) -> None:
    runner, obj = env
    tsv = tmp_path / "e.tsv"
    tsv.write_text(
        "query\texpected\tkind\n过敏\tallergy-reaction-handling\tzh\nmys\tnursing-room\tinitials\n"
        "mys\trefund-timeline\tinitials\n",
        encoding="utf-8",
    )
    res = runner.invoke(kb, ["eval", str(tsv)], obj=obj)
    assert res.exit_code == 0, res.output
    assert "recall@1  0.667" in res.output and "mys  ->  refund-timeline" in res.output
    data = json.loads(runner.invoke(kb, ["eval", str(tsv), "--json"], obj=obj).output)
    assert data["recall@1"] == pytest.approx(2 / 3, abs=1e-3)
    assert data["kinds"]["initials"]["n"] == 2
    assert data["misses"][0]["query"] == "mys" and data["misses"][0]["rank"] is None


def test_eval_prints_figures_per_kind_and_each_miss(env, english, tmp_path: Path) -> None:
    runner, obj = env
    tsv = tmp_path / "kinds.tsv"
    tsv.write_text(
        "query\texpected\tkind\n"
        "jifenzenmeduihuan\tpoints-redemption\tpinyin-runon\n"
        "muyinsi\tnursing-room\tpinyin-fuzzy\n"
        "muyinsi\tsunscreen-reapply\tpinyin-fuzzy\n"
        "過敏\tallergy-reaction-handling\tzh-hant\n",
        encoding="utf-8",
    )
    res = runner.invoke(kb, ["eval", str(tsv)], obj=obj)
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert "recall@1  0.750  (3/4)" in lines
    rows = {line.split()[0]: line.split()[1:] for line in lines if line[:1].isalpha()}
    assert rows["pinyin-runon"] == ["1", "1.00", "1.00"]
    assert rows["pinyin-fuzzy"] == ["2", "0.50", "0.50"]
    assert rows["zh-hant"] == ["1", "1.00", "1.00"]
    miss = next(line for line in lines if line.startswith("  muyinsi"))
    assert miss == "  muyinsi  ->  sunscreen-reapply  [not in top 5]  got: nursing-room"
    data = json.loads(runner.invoke(kb, ["eval", str(tsv), "--json"], obj=obj).output)
    assert data["kinds"]["pinyin-fuzzy"] == {"n": 2, "recall@1": 0.5, "recall@5": 0.5}
    assert data["misses"] == [
        {
            "query": "muyinsi",
            "expected": ["sunscreen-reapply"],
            "kind": "pinyin-fuzzy",
            "rank": None,
            "got": ["nursing-room"],
        }
    ]


def test_export_then_import_through_the_cli(env, english, tmp_path: Path) -> None:
    runner, obj = env
    out = tmp_path / "kb.csv"
    res = runner.invoke(kb, ["export", "--out", str(out)], obj=obj)
    assert res.exit_code == 0 and out.read_bytes().startswith(b"\xef\xbb\xbf")
    target = tmp_path / "new"
    res = runner.invoke(kb, ["import", str(out), "--into", str(target)], obj=obj)
    assert res.exit_code == 0, res.output
    assert f"{len(ENTRIES)} file(s) written" in res.output
    assert runner.invoke(kb, ["check", str(target)], obj=obj).exit_code == 0
    stdout = runner.invoke(kb, ["export"], obj=obj).output
    assert (
        stdout.splitlines()[0]
        == "slug,title,title_zh,category,question,aliases,tags,products,body,scripts"
    )


def test_import_bad_row_writes_nothing(env, english, tmp_path: Path) -> None:
    runner, obj = env
    out = tmp_path / "kb.csv"
    runner.invoke(kb, ["export", "--out", str(out)], obj=obj)
    text = out.read_text(encoding="utf-8-sig").replace("Redeeming member points", "", 1)
    out.write_text(text, encoding="utf-8")
    target = tmp_path / "new"
    res = runner.invoke(kb, ["import", str(out), "--into", str(target)], obj=obj)
    assert res.exit_code == 1
    assert "row 5: field 'title' is empty" in res.output and "nothing written" in res.output
    assert not target.exists() or not any(target.rglob("*.md"))
