"""Normalisation and the pinyin table."""

from __future__ import annotations

from cs_console.kb.normalize import compact, normalize, tokens
from cs_console.kb.pinyin import readings, segmentations, strip_tones


def test_traditional_folds_to_simplified() -> None:
    assert normalize("過敏 退貨 發票") == "过敏 退货 发票"


def test_full_width_case_and_punctuation() -> None:
    assert normalize("ＳＰＦ５０＋,你好!") == "spf50  你好 "
    assert normalize("Refund HOW Long?") == "refund how long "
    assert normalize("Crème") == "creme"


def test_length_is_preserved_so_offsets_map_back() -> None:
    for s in ["退貨 未拆封", "ＡＢＣ　１２３", "İstanbul ß", "𠀀x", "e\u0301"]:
        assert len(normalize(s)) == len(s)


def test_polite_you_folds_to_you() -> None:
    assert normalize("您好") == normalize("你好")


def test_compact_drops_spaces() -> None:
    assert compact(" 退 貨 ") == "退货"


def test_tokens_split_runs() -> None:
    assert tokens(normalize("要去12315投诉 SPF50")) == [
        ("cjk", "要去", 0),
        ("num", "12315", 2),
        ("cjk", "投诉", 7),
        ("lat", "spf", 10),
        ("num", "50", 13),
    ]


def test_strip_tones() -> None:
    assert strip_tones("zhōng") == "zhong"
    assert strip_tones("lǜ") == "lv"
    assert strip_tones("nǚ") == "nv"


def test_every_reading_of_a_polyphone() -> None:
    assert {"xing", "hang"} <= set(readings("行"))
    assert {"zhong", "chong"} <= set(readings("重"))
    assert {"huan", "hai"} <= set(readings("还"))
    assert readings("分") == ("fen",)  # tones collapse: fēn, fèn, fén
    assert readings("A") == ()


def test_homophones_share_readings() -> None:
    assert set(readings("份")) & set(readings("分"))
    assert set(readings("夜")) & set(readings("液"))


def test_segmentations() -> None:
    assert ["ji", "fen"] in segmentations("jifen")
    assert ["xian"] in segmentations("xian") and ["xi", "an"] in segmentations("xian")
    assert ["guo", "m*"] in segmentations("guom")
