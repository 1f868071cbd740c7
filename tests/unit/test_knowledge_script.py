"""The knowledge base in the agent's script (service.knowledge): zh-Hant agents get titles,
questions, bodies, aliases and reply scripts in traditional characters, in the console and in
`cs-console kb search` / `kb show`; the other languages get the files' own text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from kb_fixture import write_kb

from cs_console import i18n
from cs_console.cli.root import main
from cs_console.kb.search import SearchEngine
from cs_console.service.knowledge import Knowledge, answer_of, to_traditional


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CS_CONSOLE_CACHE_DIR", str(tmp_path / "cache"))
    yield write_kb(tmp_path / "kb")
    i18n.set_language("zh-Hans")


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_other_languages_read_the_files_own_text(kb: Path, lang: str) -> None:
    engine = SearchEngine.load(kb)
    knowledge = Knowledge(engine, lang)
    assert knowledge.get("allergy-reaction-handling") is engine.get("allergy-reaction-handling")
    assert knowledge.search("guomin", 3) == engine.search("guomin", 3)


def test_zh_hant_converts_what_the_agent_reads_and_nothing_else(kb: Path) -> None:
    engine = SearchEngine.load(kb)
    original = engine.get("allergy-reaction-handling")
    article = Knowledge(engine, "zh-Hant").get("allergy-reaction-handling")
    assert original is not None and article is not None
    assert article.title_zh == "使用後過敏反應的處理"
    assert article.question.startswith("用了精華臉上又紅又癢怎麼辦")
    assert "請顧客立即停用" in article.body and "请" not in article.body
    assert "過敏" in article.aliases and "allergic reaction" in article.aliases
    script = article.scripts[0]
    assert script.title == "先停用"
    assert script.text.startswith("{{customer_name}}您好")  # placeholders untouched
    assert "請先停止使用{{product}}" in script.text
    assert (article.slug, article.title, article.path) == (
        original.slug,
        original.title,
        original.path,
    )


def test_zh_hant_hits_keep_their_highlights_on_the_converted_title(kb: Path) -> None:
    engine = SearchEngine.load(kb)
    plain = engine.search("过敏反应", 1)[0]
    hit = Knowledge(engine, "zh-Hant").search("过敏反应", 1)[0]
    assert hit.title_zh == "使用後過敏反應的處理" and len(hit.title_zh) == len(plain.title_zh)
    spans = [s for s in hit.spans if s.field == "title_zh"]
    assert spans == [s for s in plain.spans if s.field == "title_zh"]
    assert [hit.title_zh[s.start : s.end] for s in spans] == ["過敏反應"]


def test_phrases_convert_as_phrases() -> None:
    assert to_traditional("头发干燥，发票已开") == "頭髮乾燥，發票已開"


def test_the_answer_leaves_out_the_script_sections() -> None:
    body = "先停用。\n\n## 处理步骤\n1. 登记\n\n## 话术 · 先停用\n您好。\n\n## 政策\n30 天内。"
    assert answer_of(body) == "先停用。\n\n## 处理步骤\n1. 登记\n\n## 政策\n30 天内。"
    assert answer_of(to_traditional(body)) == to_traditional(answer_of(body))


def test_cli_search_and_show_speak_zh_hant(kb: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["--kb", str(kb), "--lang", "zh-Hant", "kb", "search", "guomin"])
    assert res.exit_code == 0, res.output
    assert "使用後過敏反應的處理" in res.output.splitlines()[1]
    res = runner.invoke(
        main, ["--kb", str(kb), "--lang", "zh-Hant", "kb", "search", "guomin", "--json"]
    )
    assert json.loads(res.output)[0]["title_zh"] == "使用後過敏反應的處理"
    res = runner.invoke(
        main,
        ["--kb", str(kb), "--lang", "zh-Hant", "kb", "show", "allergy-reaction-handling", "--json"],
    )
    data = json.loads(res.output)
    assert data["title_zh"] == "使用後過敏反應的處理" and "請顧客立即停用" in data["body"]
    assert data["scripts"][0]["text"].startswith("{{customer_name}}您好，請先停止使用")
    res = runner.invoke(main, ["--kb", str(kb), "kb", "show", "allergy-reaction-handling"])
    assert "使用后过敏反应的处理" in res.output and "請" not in res.output
