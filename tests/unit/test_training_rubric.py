"""The rubric: each line on a good and a bad handling, in Chinese and English, and the hard rules."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs_console.training.rubric import LINES, Actions, Handling, fold, grade, hard_rules, mentions

ALLERGY = Handling(
    action="return",
    reason="allergy",
    resolution="refund",
    must_say=(("停用", "停止使用", "stop using"), ("就医", "医生", "doctor"), ("批号", "batch")),
    must_not_say=("肯定是您自己",),
    upset=True,
    allergy=True,
    target_minutes=8,
)
FILED = Actions(requests=(("return", "allergy", "refund"),), minutes=6)

GOOD_ZH = [
    "您好,非常抱歉让您难受了。请您立即停用,用清水冲洗,如果加重请尽快就医。麻烦发一下瓶底的批号。",
    "已为您提交过敏退款。还有其他问题随时联系我们,祝您早日恢复。",
]
GOOD_EN = [
    "Hello, I'm so sorry about this. Please stop using the serum and see a doctor if it gets "
    "worse. Could you send the batch number?",
    "Your refund is filed. Anything else, feel free to write to us.",
]


def test_line_points_add_up_to_100():
    assert sum(LINES.values()) == 100


def test_good_handling_full_marks_in_chinese_and_english():
    for replies in (GOOD_ZH, GOOD_EN):
        result = grade(ALLERGY, replies, FILED)
        assert result.total == 100, [line for line in result.lines if line.missed]
        assert all(not line.missed for line in result.lines)


def test_greeting_missing():
    replies = ["请您立即停用并就医,批号发我一下,非常抱歉。", "还有其他问题随时联系。"]
    line = grade(ALLERGY, replies, FILED).line("greeting")
    assert line.score == 0 and line.missed == ("greeting",)
    assert grade(ALLERGY, ["Please stop using it."], FILED).line("greeting").score == 0
    # "hi" inside a word is no greeting
    assert grade(ALLERGY, ["This is about your batch."], FILED).line("greeting").score == 0


def test_empathy_only_when_upset():
    cold = ["您好,请停用并就医,批号是多少?", "还有其他问题随时联系。"]
    assert grade(ALLERGY, cold, FILED).line("empathy").score == 0
    calm = Handling(action="none", target_minutes=5)
    line = grade(calm, cold, Actions()).line("empathy")
    assert line.score == LINES["empathy"] and not line.applies
    assert grade(ALLERGY, ["Hi, sorry to hear that"], FILED).line("empathy").score == 10


def test_solution_matches_policy():
    assert grade(ALLERGY, GOOD_ZH, FILED).line("solution").score == 25
    wrong_reason = Actions(requests=(("return", "quality", "refund"),))
    assert grade(ALLERGY, GOOD_ZH, wrong_reason).line("solution").score == 12.5
    other_resolution = Actions(requests=(("exchange", "allergy", "exchange"),))
    line = grade(ALLERGY, GOOD_ZH, other_resolution).line("solution")
    assert line.score == 18.8 and line.missed == ("resolution refund",)
    nothing = grade(ALLERGY, GOOD_ZH, Actions()).line("solution")
    assert nothing.score == 0 and nothing.missed == ("return allergy",)
    escalate = Handling(action="escalate")
    assert grade(escalate, GOOD_ZH, Actions(escalated=True)).line("solution").score == 25
    assert grade(escalate, GOOD_ZH, Actions()).line("solution").score == 0
    # a refund where none was due (no refund outside policy)
    refuse = Handling(action="none")
    assert grade(refuse, GOOD_ZH, FILED).line("solution").score == 0


def test_required_facts_partial_and_traditional_script():
    no_batch = ["您好,非常抱歉,请停用并就医。", "还有其他问题随时联系。"]
    line = grade(ALLERGY, no_batch, FILED).line("facts")
    assert line.missed == ("批号",) and line.score == round(20 * 2 / 3, 1)
    traditional = ["您好,非常抱歉。請您停止使用,儘快就醫,並提供批號。", "還有其他問題隨時聯繫。"]
    assert grade(ALLERGY, traditional, FILED).line("facts").score == 20
    assert grade(ALLERGY, traditional, FILED).line("closing").score == 5


def test_forbidden_phrases_and_hard_rules():
    blame = GOOD_ZH[:1] + ["这肯定是您自己皮肤的问题。还有其他问题随时联系。"]
    line = grade(ALLERGY, blame, FILED).line("forbidden")
    assert line.score < 15 and any("肯定是你自己" in m or "肯定是您自己" in m for m in line.missed)
    promise = GOOD_EN[:1] + ["I guarantee a full refund. Anything else?"]
    assert grade(ALLERGY, promise, FILED).line("forbidden").missed == ("promise:guarantee",)
    assert grade(ALLERGY, GOOD_ZH, FILED).line("forbidden").score == 15


def test_no_stop_use_on_allergy_ticket():
    replies = ["您好,非常抱歉,建议就医,批号发我。", "还有其他问题随时联系。"]
    result = grade(ALLERGY, replies, FILED)
    assert "stop_use" in result.line("forbidden").missed
    assert result.line("facts").missed == ("停用",)


def test_unfilled_prompts():
    replies = ["您好,非常抱歉,请停用就医,订单【订单号】批号发我", "还有其他问题随时联系。"]
    line = grade(ALLERGY, replies, FILED).line("prompts")
    assert line.score == 0 and line.missed == ("【订单号】",)


def test_closing_on_the_last_reply():
    replies = ["您好,非常抱歉,请停用并就医,批号发我。", "已提交退款。"]
    assert grade(ALLERGY, replies, FILED).line("closing").missed == ("closing",)


@pytest.mark.parametrize(
    ("minutes", "first", "score", "missed"),
    [
        (8, 90, 10.0, ()),  # both within their targets
        (8, 180, 8.0, ("first reply 180/90 s",)),  # 90 s over: half of the first reply's 40 %
        (8, 270, 6.0, ("first reply 270/90 s",)),  # three times the target: none of it
        (8, None, 6.0, ("first reply: none",)),
        (16, 30, 7.0, ("16/8 min",)),  # a quick first reply, a slow resolution: 0.6 * 0.5 + 0.4
        (24, 270, 0.0, ("24/8 min", "first reply 270/90 s")),
    ],
)
def test_first_reply_is_graded_in_the_time_line(minutes, first, score, missed):
    handling = replace(ALLERGY, first_response_seconds=90)
    actions = Actions(FILED.requests, minutes=minutes, first_response_seconds=first)
    line = grade(handling, GOOD_ZH, actions).line("time")
    assert (line.score, line.missed) == (score, missed)


def test_no_first_reply_target_grades_resolution_time_only():
    actions = Actions(FILED.requests, minutes=8, first_response_seconds=3600)
    assert grade(ALLERGY, GOOD_ZH, actions).line("time").score == 10


def test_time_against_target():
    assert grade(ALLERGY, GOOD_ZH, Actions(FILED.requests, minutes=8)).line("time").score == 10
    over = grade(ALLERGY, GOOD_ZH, Actions(FILED.requests, minutes=16)).line("time")
    assert over.score == 5 and over.missed == ("16/8 min",)
    assert grade(ALLERGY, GOOD_ZH, Actions(FILED.requests, minutes=40)).line("time").score == 0


def test_no_reply_at_all_scores_nothing_for_the_conversation():
    result = grade(ALLERGY, [], FILED)
    assert result.line("greeting").score == 0 and result.line("closing").score == 0
    assert result.line("facts").score == 0


def test_hard_rules_negated_promise_is_not_a_promise():
    assert hard_rules("我们无法保证每个人都不过敏") == []
    assert hard_rules("We cannot guarantee that") == []
    assert [r.rule for r in hard_rules("我保证给您退款")] == ["promise"]
    assert {r.phrase for r in hard_rules("百分之百没问题,100%有效")} == {"百分之百", "100%"}
    risks = hard_rules("您好,建议就医", allergy=True)
    assert [r.rule for r in risks] == ["stop_use"]
    assert hard_rules("您好,建议就医", allergy=True, earlier_replies=["请先停用"]) == []
    assert [r.rule for r in hard_rules("你是不是蠢")] == ["rude"]
    assert [r.rule for r in hard_rules("跟我们沒關係")] == ["blame"]  # traditional folded


def test_fold_keeps_length_and_folds():
    text = "請您停止使用ＡＢＣ"
    assert len(fold(text)) == len(text)
    assert fold(text) == "请你停止使用abc"
    assert mentions("STOP USING it", ["stop using"]) == "stop using"


FACTS = ["请您立即停用。", "尽快就医。", "请提供批号。"]


@settings(max_examples=60, deadline=None)
@given(
    base=st.lists(
        st.text(
            alphabet=st.sampled_from(list("您好抱歉谢谢还有其他吗的了呢 abcxyz,。!?")), max_size=40
        ),
        min_size=1,
        max_size=3,
    ),
    which=st.lists(st.integers(0, 2), min_size=1, max_size=3, unique=True),
    where=st.integers(0, 2),
    minutes=st.floats(0, 60),
    filed=st.booleans(),
)
def test_required_facts_never_lower_the_score(base, which, where, minutes, filed):
    """The same replies with the required facts added never score lower than without them."""
    actions = Actions(FILED.requests if filed else (), minutes=minutes)
    without = grade(ALLERGY, base, actions)
    with_facts = list(base)
    index = min(where, len(with_facts) - 1)
    with_facts[index] = "".join(FACTS[i] for i in which) + with_facts[index]
    assert grade(ALLERGY, with_facts, actions).total >= without.total
