"""Search behaviour on a small knowledge base written by the test."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from kb_fixture import write_kb

from cs_console.kb.normalize import normalize
from cs_console.kb.search import SearchEngine


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_kb(tmp_path_factory.mktemp("kb"))


@pytest.fixture(scope="module")
def engine(kb_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    return SearchEngine.load(kb_dir, cache_dir=tmp_path_factory.mktemp("cache"))


def top(engine: SearchEngine, query: str, n: int = 1) -> list[str]:
    return [h.slug for h in engine.search(query, limit=n)]


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("过敏", "allergy-reaction-handling"),  # two characters
        ("過敏", "allergy-reaction-handling"),  # traditional
        ("过敏 红肿", "allergy-reaction-handling"),  # two words, one only in the body
        ("退貨 未拆封", "return-unopened"),
        ("拆封了能退吗", "return-opened"),  # colloquial, and 没拆封 must not win
        ("没拆封能退吗", "return-unopened"),
        ("guomin", "allergy-reaction-handling"),  # full pinyin
        ("jifen duihuan", "points-redemption"),
        ("jifenduihuan", "points-redemption"),
        ("jif", "points-redemption"),  # pinyin still being typed
        ("mys", "nursing-room"),  # initials
        ("fs", "sunscreen-reapply"),
        ("jfdh", "points-redemption"),
        ("积份兑换", "points-redemption"),  # homophone typo from a pinyin IME
        ("粉底夜 色号", "foundation-shade-matching"),
        ("refund how lnog", "refund-timeline"),  # English typo
        ("sunscren reapply", "sunscreen-reapply"),
        ("allergic", "allergy-reaction-handling"),
        ("Allergy", "allergy-reaction-handling"),  # stem and case
        ("12315", "regulator-or-media-threat"),  # digits
        ("ＳＰＦ", "sunscreen-reapply"),  # full width
        ("你好", "script-greeting"),
        ("开场", "script-greeting"),
    ],
)
def test_finds_the_right_entry_first(engine: SearchEngine, query: str, slug: str) -> None:
    assert top(engine, query) == [slug], engine.search(query, limit=3)


def test_hits_are_sorted_scored_and_limited(engine: SearchEngine) -> None:
    hits = engine.search("退", limit=3)
    assert 1 <= len(hits) <= 3
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)
    assert engine.search("退", limit=0) == []


def test_exact_alias_scores_100(engine: SearchEngine) -> None:
    hit = engine.search("母婴室在哪")[0]
    assert hit.slug == "nursing-room" and hit.score == 100


def test_empty_and_punctuation_queries_return_nothing(engine: SearchEngine) -> None:
    assert engine.search("") == []
    assert engine.search("  ,。!? ") == []
    assert engine.search("zzzzqqq") == []


def test_hit_carries_titles_and_kind(engine: SearchEngine) -> None:
    hit = engine.search("打招呼")[0]
    assert (hit.slug, hit.title, hit.title_zh, hit.kind) == (
        "script-greeting",
        "Greeting",
        "开场问候",
        "script",
    )


def test_spans_point_at_the_matched_text(engine: SearchEngine) -> None:
    hit = engine.search("过敏")[0]
    article = engine.get(hit.slug)
    assert article is not None
    texts = []
    for span in hit.spans:
        value = getattr(article, span.field)
        if isinstance(value, tuple):
            value = value[span.index]
        texts.append(normalize(value[span.start : span.end]))
    assert any(s.field == "title_zh" for s in hit.spans)
    assert all("过" in t or "敏" in t for t in texts), texts


def test_traditional_query_highlights_the_traditional_alias(engine: SearchEngine) -> None:
    hit = engine.search("過敏")[0]
    alias = [s for s in hit.spans if s.field == "aliases"]
    article = engine.get(hit.slug)
    assert article is not None
    assert any(article.aliases[s.index][s.start : s.end] == "過敏" for s in alias)


def test_pinyin_span_covers_the_characters(engine: SearchEngine) -> None:
    hit = engine.search("mys")[0]
    article = engine.get(hit.slug)
    assert article is not None
    spans = [s for s in hit.spans if s.field == "title_zh"]
    assert spans and article.title_zh[spans[0].start : spans[0].end] == "母婴室"


def test_safe_from_many_threads(engine: SearchEngine) -> None:
    queries = ["过敏", "guomin", "mys", "积份兑换", "refund how lnog", "12315"] * 20
    expected = [[h.slug for h in engine.search(q)] for q in queries]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda q: [h.slug for h in engine.search(q)], queries))
    assert got == expected


def test_bad_files_do_not_stop_search(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb")
    (kb / "articles" / "junk.md").write_bytes(b"\x00\x01\x02")
    engine = SearchEngine.load(kb, cache_dir=tmp_path / "cache")
    assert len(engine.problems) == 1
    assert top(engine, "mys") == ["nursing-room"]


def test_importing_the_engine_is_cheap() -> None:
    code = (
        "import sys, cs_console.kb.search, cs_console.cli.kb;"
        "print(sorted(m for m in ('pypinyin', 'opencc', 'rapidfuzz', 'platformdirs', 'textual') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_module_imports_only_click_and_stdlib() -> None:
    code = "import sys, cs_console.cli.kb; print('cs_console.kb.search' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
