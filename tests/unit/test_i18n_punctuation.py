"""Chinese interface text takes full-width punctuation, like the knowledge base (kb check)."""

from __future__ import annotations

from cs_console.i18n import CATALOGUE
from cs_console.kb.punctuation import ascii_marks


def test_no_ascii_punctuation_touches_chinese_in_the_catalogue():
    offenders = [
        (key, text)
        for key, (simplified, traditional, _english) in CATALOGUE.items()
        for text in (simplified, traditional)
        if ascii_marks(text)
    ]
    assert not offenders, offenders[:10]


def test_the_check_can_fail():
    assert ascii_marks("金额(留空按政策)") and not ascii_marks("金额（留空按政策）")
