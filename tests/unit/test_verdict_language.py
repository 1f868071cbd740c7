"""The return rules' sentences read in the agent's language: each ``Said`` key the policy uses
has zh-Hans (the stored text), zh-Hant and en with the same fields; a stored verdict keeps the
keys, so an approval read back from the cache is translated too."""

from __future__ import annotations

import ast
import string
from pathlib import Path

from cs_console.i18n import CATALOGUE
from cs_console.policy.returns import Verdict
from cs_console.policy.returns_texts import ZH
from cs_console.policy.said import Label, Said
from cs_console.service.errors import said
from language_checks import cjk_in, simplified_in

POLICY = Path(__file__).resolve().parents[2] / "src" / "cs_console" / "policy" / "returns.py"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_the_rules_use_is_in_three_languages_with_the_same_fields():
    used = set()
    for node in ast.walk(ast.parse(POLICY.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Said":
            first = node.args[0]
            if isinstance(first, ast.Constant):
                used.add(first.value)
            elif isinstance(first, ast.JoinedStr):  # Said(f"suggest.{kind}"): its family
                prefix = first.values[0].value
                assert any(key.startswith(prefix) for key in ZH), prefix
    assert len(used) >= 70 and used <= set(ZH)
    for key, text in ZH.items():
        hans, hant, en = CATALOGUE[f"verdict.{key}"]
        assert hans == text
        assert _fields(hant) == _fields(en) == _fields(text), key
        assert not cjk_in(en), (key, en)
        assert not simplified_in(hant), (key, simplified_in(hant))


def test_a_sentence_is_chinese_text_that_says_itself_in_each_language():
    sentence = Said(
        "resolution.outside",
        offered=(Said("label_code", label=Label("resolution", "exchange"), code="exchange"),),
        wanted=Label("resolution", "refund"),
        wanted_code="refund",
    )
    assert sentence == "政策内可选的处理方式是 换货（exchange），退款（refund）属于政策外"
    assert said(sentence, "en") == (
        "Within policy the resolutions are Exchange (exchange); Refund (refund) is outside policy"
    )
    assert (
        said(sentence, "zh-Hant")
        == "政策內可選的處理方式是 換貨（exchange），退款（refund）屬於政策外"
    )
    assert said("plain text", "en") == "plain text"  # a sentence stored by an older version


def test_a_stored_verdict_keeps_its_keys():
    reason = Said("quality.within", limit=30, days=2, rule="[quality_issue_days=30]")
    verdict = Verdict(
        reason="quality",
        allowed=True,
        within_policy=True,
        resolution="refund",
        options=("refund",),
        amount=10.0,
        amount_unit="yuan",
        reasons=(reason, "an old plain sentence"),
        checks=(Said("quality.check"),),
    )
    import json

    back = Verdict.from_dict(json.loads(json.dumps(verdict.to_dict(), ensure_ascii=False)))
    assert back.reasons == verdict.reasons and back.checks == verdict.checks
    assert said(back.reasons[0], "en") == (
        "Quality fault: within 30 days of delivery it can be returned or exchanged even when "
        "opened, the shop pays shipping; this order is on day 2 [quality_issue_days=30]"
    )
    assert said(back.reasons[1], "en") == "an old plain sentence"
