import pytest

from cs_console.policy.triage import triage


@pytest.mark.parametrize(
    "text",
    [
        "用了精华脸上红肿,还有点刺痛",
        "用完之後臉上過敏發紅",
        "I got a rash and my cheeks are itching after the serum",
        "擦了以后好痒 itchy",
    ],
)
def test_allergy_signs_in_three_scripts(text):
    result = triage(text)
    assert result.allergy and result.priority <= 2
    assert any(f.rule == "allergy" for f in result.findings)


@pytest.mark.parametrize(
    "text",
    ["我没有过敏,就是想问问成分", "No rash, just asking about the texture", "用了不痒也不红"],
)
def test_negated_signs_do_not_count(text):
    assert not triage(text).allergy


def test_anger_raises_priority_and_sentiment_with_reason():
    result = triage("你们太离谱了,马上退款!")
    assert result.sentiment == "angry" and result.priority == 2
    assert "anger: '马上退款'" in result.reasons()


@pytest.mark.parametrize(
    "text",
    [
        "再不处理我就打12315",
        "我要去消費者協會投訴你們",
        "I will go to the media and the consumer association",
    ],
)
def test_threats_are_urgent(text):
    result = triage(text)
    assert result.priority == 1 and "threat" in result.tags and result.sentiment == "angry"


def test_calm_thanks_is_positive_and_plain_question_neutral():
    assert triage("谢谢你的帮助").sentiment == "positive"
    calm = triage("请问这个粉底液有几个色号?")
    assert calm.sentiment == "neutral" and calm.tags == () and calm.priority == 3


def test_testing_is_not_stinging():
    assert not triage("we are testing the new cushion").allergy
