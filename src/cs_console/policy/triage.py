"""Triage of incoming customer text: allergy signs, anger and threats.

Scans simplified and traditional Chinese and English, and says why: every tag, sentiment and
priority change comes with the phrase that caused it. A sign preceded by a negation
(没有过敏, not itchy) does not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ALLERGY_SIGNS = (
    "过敏",
    "過敏",
    "红肿",
    "紅腫",
    "发红",
    "發紅",
    "泛红",
    "泛紅",
    "红疹",
    "紅疹",
    "起疹",
    "疹子",
    "刺痛",
    "发痒",
    "發癢",
    "瘙痒",
    "搔癢",
    "很痒",
    "好痒",
    "痒",
    "癢",
    "灼热",
    "灼熱",
    "烧灼",
    "燒灼",
    "火辣辣",
    "肿了",
    "腫了",
    "脱皮",
    "脫皮",
    "起皮疹",
    "荨麻疹",
    "蕁麻疹",
    "allergy",
    "allergic",
    "rash",
    "redness",
    "itch",
    "itchy",
    "itching",
    "sting",
    "stinging",
    "burning",
    "swelling",
    "swollen",
    "hives",
)
ANGER_SIGNS = (
    "投诉",
    "投訴",
    "差评",
    "差評",
    "垃圾",
    "骗子",
    "騙子",
    "骗人",
    "騙人",
    "坑人",
    "气死",
    "氣死",
    "太差",
    "无语",
    "無語",
    "离谱",
    "離譜",
    "恶心",
    "噁心",
    "马上退款",
    "馬上退款",
    "立刻退款",
    "立即退款",
    "退钱",
    "退錢",
    "再不处理",
    "再不處理",
    "什么破",
    "什麼破",
    "态度差",
    "態度差",
    "complaint",
    "complain",
    "terrible",
    "worst",
    "scam",
    "ridiculous",
    "unacceptable",
    "refund now",
    "refund immediately",
    "angry",
    "furious",
    "disgusting",
    "useless",
)
THREAT_SIGNS = (
    "12315",
    "12345",
    "消协",
    "消協",
    "消费者协会",
    "消費者協會",
    "媒体",
    "媒體",
    "曝光",
    "记者",
    "記者",
    "律师",
    "律師",
    "起诉",
    "起訴",
    "告你们",
    "告你們",
    "工商局",
    "市场监管",
    "市場監管",
    "发微博",
    "發微博",
    "小红书上",
    "小紅書上",
    "报警",
    "報警",
    "consumer association",
    "regulator",
    "journalist",
    "the media",
    "lawyer",
    "sue you",
    "lawsuit",
    "go public",
    "post online",
)
NEGATIONS_ZH = ("没有", "沒有", "不会", "不會", "不", "没", "沒", "无", "無", "未")
NEGATIONS_EN = ("no", "not", "never", "without", "isn't", "wasn't", "didn't", "don't", "doesn't")

PRIORITY_URGENT, PRIORITY_HIGH, PRIORITY_NORMAL, PRIORITY_LOW = 1, 2, 3, 4


@dataclass(frozen=True)
class Finding:
    rule: str  # allergy | anger | threat
    phrase: str


@dataclass(frozen=True)
class Triage:
    tags: tuple[str, ...] = ()
    sentiment: str = "neutral"
    priority: int = PRIORITY_NORMAL
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def allergy(self) -> bool:
        return "allergy" in self.tags

    def reasons(self) -> list[str]:
        return [f"{f.rule}: {f.phrase!r}" for f in self.findings]


def _is_ascii_word(sign: str) -> bool:
    return sign.isascii()


def _negated(text: str, start: int, sign: str) -> bool:
    if _is_ascii_word(sign):
        before = re.findall(r"[a-z']+", text[max(0, start - 24) : start])
        return any(word in NEGATIONS_EN for word in before[-2:])
    window = text[max(0, start - 2) : start]
    return any(window.endswith(neg) for neg in NEGATIONS_ZH)


def _compile(signs: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation per rule, longest sign first; English words match whole words only."""
    words = sorted((x for x in signs if x.isascii() and not x.isdigit()), key=len, reverse=True)
    others = sorted(
        (x for x in signs if not (x.isascii() and not x.isdigit())), key=len, reverse=True
    )
    parts = []
    if words:
        parts.append(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b")
    if others:
        parts.append("|".join(map(re.escape, others)))
    return re.compile("|".join(parts))


_PATTERNS = {
    "allergy": _compile(ALLERGY_SIGNS),
    "anger": _compile(ANGER_SIGNS),
    "threat": _compile(THREAT_SIGNS),
}


def _find(text: str, rule: str) -> list[str]:
    found: list[str] = []
    for match in _PATTERNS[rule].finditer(text):
        sign = match.group(0)
        if sign not in found and not _negated(text, match.start(), sign):
            found.append(sign)
    return found


def triage(text: str, priority: int = PRIORITY_NORMAL) -> Triage:
    """Tags, sentiment and (possibly raised) priority for a customer's message, with reasons."""
    lowered = text.lower()
    findings: list[Finding] = []
    tags: list[str] = []
    sentiment = "neutral"
    allergy = _find(lowered, "allergy")
    if allergy:
        tags.append("allergy")
        findings.extend(Finding("allergy", p) for p in allergy)
        priority = min(priority, PRIORITY_HIGH)
    anger = _find(lowered, "anger")
    if anger:
        tags.append("angry")
        findings.extend(Finding("anger", p) for p in anger)
        sentiment = "angry"
        priority = max(PRIORITY_URGENT, min(priority, PRIORITY_NORMAL) - 1)
    threat = _find(lowered, "threat")
    if threat:
        tags.append("threat")
        findings.extend(Finding("threat", p) for p in threat)
        sentiment = "angry"
        priority = PRIORITY_URGENT
    if not findings and any(word in lowered for word in ("谢谢", "謝謝", "感谢", "感謝", "thank")):
        sentiment = "positive"
    return Triage(tuple(tags), sentiment, priority, tuple(findings))
