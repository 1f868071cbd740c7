"""The loader: every kind of problem with its line, garbage files, policy numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from kb_fixture import ENTRIES, write_kb

from cs_console.kb.loader import Problem, load_kb, parse_text
from cs_console.policy.numbers import NUMBERS

GOOD = """+++
slug = "x"
title = "X"
title_zh = "某事"
category = "after-sale"
question = "怎么办?"
aliases = ["一", "二", "三"]
+++

答案 {{policy.return_unopened_days}} 天。

## 话术 · 回复
{{customer_name}}您好。{{cursor}}
"""


def problems(text: str, name: str = "x.md", kind: str = "article") -> list[tuple[int, str]]:
    article, found = parse_text(text, Path(name), kind)
    assert (article is None) == bool(found)
    return [(p.line, p.message) for p in found]


def test_good_file_parses_with_policy_numbers_filled() -> None:
    article, found = parse_text(GOOD, Path("x.md"))
    assert found == []
    assert article is not None
    days = str(NUMBERS["return_unopened_days"])
    assert f"答案 {days} 天。" in article.body
    assert "{{policy" not in article.body
    assert [s.title for s in article.scripts] == ["回复"]
    assert article.scripts[0].text == "{{customer_name}}您好。{{cursor}}"
    assert article.scripts[0].line == 12
    assert article.aliases == ("一", "二", "三")
    assert article.kind == "article"


def test_fill_policy_off_keeps_placeholders_and_numbers_can_be_injected() -> None:
    article, _ = parse_text(GOOD, Path("x.md"), fill_policy=False)
    assert article is not None and "{{policy.return_unopened_days}}" in article.body
    article, _ = parse_text(GOOD, Path("x.md"), numbers={"return_unopened_days": 99})
    assert article is not None and "答案 99 天" in article.body


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (GOOD.replace("+++\nslug", "slug", 1), 1, "missing front matter"),
        (GOOD.replace("+++\n\n答案", "\n答案"), 1, "not closed"),
        (GOOD.replace('title = "X"', 'title = "X'), 3, "bad front matter"),
        (GOOD.replace('question = "怎么办?"\n', ""), 7, "missing required field 'question'"),
        (GOOD.replace('title_zh = "某事"', 'title_zh = "  "'), 4, "field 'title_zh' is empty"),
        (
            GOOD.replace('aliases = ["一", "二", "三"]', "aliases = []"),
            7,
            "field 'aliases' is empty",
        ),
        (GOOD.replace('aliases = ["一", "二", "三"]', 'aliases = ["一"]'), 7, "at least 3"),
        (GOOD.replace('slug = "x"', 'slug = "y"'), 2, "does not match the file name"),
        (GOOD.replace('category = "after-sale"', 'category = "misc"'), 5, "unknown category"),
        (
            GOOD.replace("{{customer_name}}", "{{customer}}"),
            13,
            "unknown placeholder '{{customer}}'",
        ),
        (
            GOOD.replace("return_unopened_days", "return_days"),
            10,
            "unknown policy number 'return_days'",
        ),
        (
            GOOD.replace("您好。{{cursor}}", "您好。{{cursor}}\n再见{{cursor}}"),
            14,
            "more than one {{cursor}}",
        ),
        (GOOD.replace("{{customer_name}}您好。{{cursor}}\n", "\n"), 12, "is empty"),
        (GOOD.replace("## 话术 · 回复", "## 政策"), 9, "no reply script"),
        (GOOD.replace("## 话术 · 回复", "## 话术"), 12, "has no title"),
        (
            GOOD.replace('aliases = ["一", "二", "三"]', 'aliases = "一"'),
            7,
            "must be a list of strings",
        ),
    ],
)
def test_each_problem_is_reported_at_its_line(text: str, line: int, fragment: str) -> None:
    found = problems(text)
    assert any(fragment in m and ln == line for ln, m in found), found


def test_problem_prints_as_file_line_message() -> None:
    assert str(Problem(Path("kb/a.md"), 7, "boom")) == "kb/a.md:7: boom"


def test_several_problems_in_one_file_are_all_reported() -> None:
    text = GOOD.replace('title = "X"', 'title = ""').replace("{{customer_name}}", "{{nope}}")
    found = problems(text)
    assert {ln for ln, _ in found} == {3, 13}


def test_script_file_needs_no_question_or_aliases() -> None:
    text = """+++
slug = "s"
title = "S"
title_zh = "话术"
category = "script"
+++

## 话术 · 一
您好。
"""
    article, found = parse_text(text, Path("s.md"), "script")
    assert found == [] and article is not None and article.kind == "script"


def test_fixture_kb_loads_clean(tmp_path: Path) -> None:
    result = load_kb(write_kb(tmp_path))
    assert result.problems == []
    assert len(result.articles) == len(ENTRIES)
    assert {a.kind for a in result.articles} == {"article", "script"}
    assert [a.slug for a in result.articles] == sorted(ENTRIES)


def test_garbage_files_are_skipped_and_the_rest_load(tmp_path: Path) -> None:
    write_kb(tmp_path)
    art = tmp_path / "articles"
    (art / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (art / "empty.md").write_bytes(b"")
    (art / "latin1.md").write_bytes("+++\nslug = 'caf\xe9'\n+++\n".encode("latin-1"))
    (art / "only-marker.md").write_text("+++\n", encoding="utf-8")
    (art / "whitespace.md").write_text(" \n\n\t\n", encoding="utf-8")
    (art / "notes.txt").write_text("not an article", encoding="utf-8")
    result = load_kb(tmp_path)
    assert len(result.articles) == len(ENTRIES)
    by_file = {p.path.name: p for p in result.problems}
    assert set(by_file) == {"binary.md", "empty.md", "latin1.md", "only-marker.md", "whitespace.md"}
    assert "binary" in by_file["binary.md"].message
    assert "UTF-8" in by_file["latin1.md"].message and by_file["latin1.md"].line == 2
    assert "empty" in by_file["empty.md"].message
    assert sorted(p.name for p in result.skipped) == sorted(by_file)


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    text = "\ufeff" + GOOD.replace("\n", "\r\n")
    article, found = parse_text(text, Path("x.md"))
    assert found == [] and article is not None
    assert "\r" not in article.scripts[0].text


def test_duplicate_slug_is_reported_on_the_second_file(tmp_path: Path) -> None:
    write_kb(tmp_path)
    text = ENTRIES["nursing-room"][1]
    (tmp_path / "scripts" / "nursing-room.md").write_text(text, encoding="utf-8")
    result = load_kb(tmp_path)
    dup = [p for p in result.problems if "duplicate slug" in p.message]
    assert len(dup) == 1
    assert dup[0].path == tmp_path / "scripts" / "nursing-room.md" and dup[0].line == 2
    assert sum(a.slug == "nursing-room" for a in result.articles) == 1


def test_alias_clash_after_normalisation_names_the_line(tmp_path: Path) -> None:
    write_kb(tmp_path)
    # "退货 " in full-width/traditional spelling clashes with return-unopened's "退貨"
    text = GOOD.replace('slug = "x"', 'slug = "zz"').replace(
        'aliases = ["一", "二", "三"]', 'aliases = [\n  "一",\n  "退 貨",\n  "三",\n]'
    )
    (tmp_path / "articles" / "zz.md").write_text(text, encoding="utf-8")
    result = load_kb(tmp_path)
    clash = [p for p in result.problems if "clashes" in p.message]
    assert len(clash) == 1, result.problems
    assert clash[0].path.name == "zz.md" and clash[0].line == 9
    assert "return-unopened" in clash[0].message


def test_missing_directory_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    result = load_kb(tmp_path / "nope")
    assert result.articles == [] and len(result.problems) == 1
