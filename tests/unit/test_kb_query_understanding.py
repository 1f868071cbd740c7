"""Query understanding: run-on and fuzzy pinyin, initials, regional words and synonyms, long text.

The small knowledge base of ``kb_fixture`` gets a vocabulary folder of its own, so each test says
which entry of the vocabulary it relies on; a few tests use the shipped knowledge base.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from kb_fixture import ENTRIES, write_kb

from cs_console import i18n
from cs_console.cli.kb import kb
from cs_console.kb import search as search_module
from cs_console.kb.paths import default_kb_dir
from cs_console.kb.pinyin_query import fuzzy, initials, segment
from cs_console.kb.punctuation import ascii_marks, fix_text
from cs_console.kb.search import SearchEngine

REGIONAL = "痕\t痒\tCantonese itchy\n塊面\t脸\tCantonese face\n咗\t了\tperfective\n"
SYNONYMS = "itchy\t痒\tsymptom\nface\t脸|面部\tbody part\n洒了\t漏液\tspilled\n"


def _article(slug: str, title: str, title_zh: str, aliases: list[str], body: str) -> str:
    quoted = ", ".join(f'"{a}"' for a in aliases)
    return f"""+++
slug = "{slug}"
title = "{title}"
title_zh = "{title_zh}"
category = "after-sale"
question = "{title_zh}？"
aliases = [{quoted}]
+++

{body}

## 话术 · 回复
您好。{{{{cursor}}}}
"""


EXTRA = {
    "authenticity-check": (
        "articles",
        _article(
            "authenticity-check",
            "Telling a fake from the genuine product",
            "正品辨别",
            ["假货", "是不是正品", "fake"],
            "从授权渠道购买的都是正品。",
        ),
    ),
    "damaged-or-leaking-parcel": (
        "articles",
        _article(
            "damaged-or-leaking-parcel",
            "A leaking parcel",
            "包裹漏液",
            ["漏液", "瓶子碎了", "包裹破损"],
            "请顾客拍下漏液的照片。",
        ),
    ),
    "missing-item": (
        "articles",
        _article(
            "missing-item",
            "An item missing",
            "漏发少件",
            ["少了东西", "缺件", "没收齐"],
            "商品不全时补发。",
        ),
    ),
    "spill-lookalike": (
        "articles",
        _article(
            "spill-lookalike",
            "Lone characters only",
            "破损理赔",
            ["瓶裂水洒", "湿透", "盒破东倒", "查漏", "天晚帮忙"],
            "瓶裂或水洒时请拍照。",
        ),
    ),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    root = write_kb(tmp_path_factory.mktemp("kb"), {**ENTRIES, **EXTRA})
    vocab = root / "vocabulary"
    vocab.mkdir()
    (vocab / "regional.tsv").write_text(REGIONAL, encoding="utf-8")
    (vocab / "synonyms.tsv").write_text(SYNONYMS, encoding="utf-8")
    return SearchEngine.load(root, cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    return SearchEngine.load(default_kb_dir(), cache_dir=tmp_path_factory.mktemp("cache"))


def top(engine: SearchEngine, query: str, n: int = 1) -> list[str]:
    return [h.slug for h in engine.search(query, limit=n)]


# -- segmentation and fuzzy syllables -----------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "cut"),
    [
        ("jifenzenmeduihuan", ["ji", "fen", "zen", "me", "dui", "huan"]),
        ("tuikuanduojiudaozhang", ["tui", "kuan", "duo", "jiu", "dao", "zhang"]),
        ("xian", ["xian"]),  # fewest syllables, not xi-an
        ("huanchima", ["huan", "chi", "ma"]),
        ("tincefei", ["tin", "ce", "fei"]),  # tin is no syllable, but an accent's ting
        ("guom", ["guo", "m"]),  # the last syllable still being typed
    ],
)
def test_run_on_pinyin_is_cut_into_syllables(word: str, cut: list[str]) -> None:
    got = segment(word)
    assert got is not None and [s.text for s in got] == cut


def test_segmentation_marks_accent_forms_and_partial_syllables() -> None:
    tin, ce, _fei = segment("tincefei") or []
    assert tin.exact == frozenset() and tin.loose == {"ting"}
    assert ce.exact == {"ce"} and "che" in ce.loose
    last = (segment("guom") or [])[-1]
    assert last.partial and "ming" in last.exact


@pytest.mark.parametrize("word", ["cream", "spf", "x", "hello1", "a" * 60])
def test_what_is_not_pinyin_is_not_cut(word: str) -> None:
    assert segment(word) is None


@pytest.mark.parametrize(
    ("syllable", "confused"),
    [
        ("zhi", {"zi"}),
        ("si", {"shi"}),
        ("ying", {"yin"}),
        ("fen", {"feng"}),
        ("lan", {"nan", "lang", "nang"}),
        ("ma", set()),
    ],
)
def test_fuzzy_syllables_of_southern_accents(syllable: str, confused: set[str]) -> None:
    assert fuzzy(syllable) == confused


def test_initials_need_a_word_without_vowels() -> None:
    got = initials("yhqbnyy", 10)
    assert got is not None and [s.text for s in got] == list("yhqbnyy")
    assert all(s.partial for s in got)
    assert initials("face", 10) is None and initials("yhqbnyyyhqb", 10) is None


# -- search through the readings ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("jifenzenmeduihuan", "points-redemption"),  # run-on, not an alias
        ("jifen zenme duihuan", "points-redemption"),  # spaced by word
        ("tuikuan duojiu daozhang", "refund-timeline"),
        ("muyinsi", "nursing-room"),  # ying -> yin, shi -> si
        ("tuikuan duojiu daozang", "refund-timeline"),  # zhang -> zang
        ("fangsai butu", "sunscreen-reapply"),  # shai -> sai
        ("mysznl", "nursing-room"),  # initials of 母婴室在哪里 (the question), never stored
        ("ytzsj", "refund-timeline"),  # initials of a phrase in no alias: 要退款多久 -> 退款
    ],
)
def test_pinyin_readings_find_the_entry(engine: SearchEngine, query: str, slug: str) -> None:
    assert top(engine, query) == [slug], engine.search(query, limit=3)


def test_exact_pinyin_beats_an_accent(engine: SearchEngine) -> None:
    exact = engine.search("muyingshi", limit=1)[0]
    accent = engine.search("muyinsi", limit=1)[0]
    assert exact.slug == accent.slug == "nursing-room"
    assert exact.score > accent.score


def test_regional_words_and_synonyms_are_read_as_the_articles_say_it(
    engine: SearchEngine,
) -> None:
    assert top(engine, "塊面好痕") == ["allergy-reaction-handling"]  # 脸 + 痒
    assert top(engine, "itchy face") == ["allergy-reaction-handling"]
    assert top(engine, "精华洒了") == ["damaged-or-leaking-parcel"]  # 漏液
    # without the vocabulary the same queries miss: the test can fail
    bare = SearchEngine.from_articles(engine.articles, vocab_dir=Path("/nonexistent"))
    assert top(bare, "塊面好痕") != ["allergy-reaction-handling"]
    assert top(bare, "精华洒了") != ["damaged-or-leaking-parcel"]


def test_a_known_word_is_never_read_as_a_typo(engine: SearchEngine) -> None:
    assert "authenticity-check" not in top(engine, "face", 5)  # face is not fake
    assert top(engine, "fake") == ["authenticity-check"]
    assert top(engine, "fkae") == ["authenticity-check"]  # a real typo still is one


def test_a_long_message_ranks_what_covers_its_words_over_shared_characters(
    engine: SearchEngine,
) -> None:
    message = (
        "你好，我昨天收到的包裹里少了一瓶爽肤水，订单里明明有三样东西，只收到两样，"
        "麻烦帮我查一下是怎么回事"
    )
    hits = {h.slug: h.score for h in engine.search(message, limit=10)}
    assert next(iter(hits)) == "missing-item"  # 少了东西, not 包裹 + lone 水 瓶 东
    # spill-lookalike shares nine lone characters and no word: it stays far behind (or out)
    assert hits.get("spill-lookalike", 0.0) * 4 < hits["missing-item"]


def test_lone_characters_of_pasted_text_count_less(
    engine: SearchEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = "瓶子裂了水也洒了一地盒子湿透东西倒了一片，请帮我看看怎么处理才好呢谢谢你们"
    assert len(message) >= search_module.LONG_QUERY
    q = engine._analyse(message)[0]
    assert q.long
    doc = next(d for d in engine.index.docs if d[0] == "spill-lookalike")
    table = engine._readings_table()
    now = search_module._score(q, doc, table)[0]
    monkeypatch.setattr(search_module, "LONG_UNIGRAM", search_module.UNIGRAM)
    assert search_module._score(q, doc, table)[0] > now


def test_a_not_a_question_is_not_a_negation(shipped: SearchEngine) -> None:
    assert top(shipped, "開咗封仲退唔退得") == ["return-opened"]
    assert top(shipped, "冇開封可唔可以退") == ["return-unopened"]
    assert search_module._negates("没拆封") and not search_module._negates("能不能退")


def test_shipped_vocabulary_reaches_hong_kong_and_english_queries(shipped: SearchEngine) -> None:
    assert top(shipped, "點數冇入帳") == ["points-not-credited"]
    assert top(shipped, "泊車點收費") == ["parking-fee"]
    assert top(shipped, "retinol and vitamin c together") == ["active-ingredient-conflicts"]
    assert top(shipped, "rash after using the serum") == ["allergy-reaction-handling"]


# -- punctuation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "fixed"),
    [
        ("您好,请稍等:马上好!", "您好，请稍等：马上好！"),
        ("能退吗?我想退", "能退吗？我想退"),
        ("A醇(视黄醇)类", "A醇（视黄醇）类"),
        ('有没有"香精"(Parfum / Fragrance);我们', '有没有"香精"（Parfum / Fragrance）；我们'),
        ("**支付宝**:3 个工作日", "**支付宝**：3 个工作日"),
        ("您好, 请稍等", "您好，请稍等"),
    ],
)
def test_ascii_punctuation_touching_chinese_is_made_full_width(line: str, fixed: str) -> None:
    assert fix_text(line) == fixed
    assert ascii_marks(fixed) == []


@pytest.mark.parametrize(
    "line",
    [
        "每天 {{policy.opening_hour}}:00 开门",
        "SPF 50+, PA++++ 的防晒",
        "详见 https://example.cn/a?b=1 页面",
        "{{customer_name}},{{order_no}}",
        "`a,b` 是代码",
        "Hello, world (en)",
    ],
)
def test_code_urls_times_and_english_keep_their_punctuation(line: str) -> None:
    assert ascii_marks(line) == [] and fix_text(line) == line


@pytest.fixture()
def english():
    """The kb group run alone has no --lang: the kb check tests read its English lines."""
    before = i18n.language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


def test_kb_check_reports_ascii_punctuation_by_file_and_line(tmp_path: Path, english) -> None:
    root = write_kb(tmp_path / "kb")
    path = root / "articles" / "nursing-room.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("您好，母婴室"))
    lines[at] = "您好,母婴室在2F东侧(洗手间旁)。"
    path.write_text("\n".join(lines), encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(kb, ["check", str(root)])
    assert res.exit_code == 1
    assert f"{path}:{at + 1}: ASCII punctuation in Chinese text" in res.output
    assert "1 problem(s) of punctuation or vocabulary" in res.output
    res = runner.invoke(kb, ["check", "--fix-punctuation", str(root)])
    assert res.exit_code == 0, res.output
    assert path.read_text(encoding="utf-8").split("\n")[at] == "您好，母婴室在2F东侧（洗手间旁）。"


def test_shipped_knowledge_base_has_full_width_punctuation(english) -> None:
    res = CliRunner().invoke(kb, ["check", str(default_kb_dir())])
    assert "ASCII punctuation" not in res.output, res.output


def test_kb_check_reports_bad_vocabulary_lines(tmp_path: Path, english) -> None:
    root = write_kb(tmp_path / "kb")
    (root / "vocabulary").mkdir()
    path = root / "vocabulary" / "regional.tsv"
    path.write_text(
        "# comment\n痕\t痒\titchy\n唔\n積分\t积分\t-\n痕\t痕痒\tagain\n", encoding="utf-8"
    )
    res = CliRunner().invoke(kb, ["check", str(root)])
    assert res.exit_code == 1
    assert f"{path}:3: '唔' has no alternative" in res.output
    assert f"{path}:4: '積分' only has itself as alternative" in res.output
    assert f"{path}:5: '痕' is already on line 2" in res.output
    assert f"{path}:2:" not in res.output
