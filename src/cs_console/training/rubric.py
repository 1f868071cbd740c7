"""The rubric: one pure grader for a practice handling, and the hard rules that also review live
replies (``service.qa``) and warn in the composer before sending.

Phrases match case-insensitively with traditional Chinese folded to simplified and full-width
to half-width (``fold``), so ``停止使用``, ``停止使用`` written in traditional script and
``STOP USING`` all count. Latin phrases match on word boundaries ("hi" is not in "this").

This package may not import ``cs_console.kb`` (independent layers), so the folding is its own:
OpenCC ``t2s`` per character, like the knowledge-base index does.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cs_console.scripts.template import unfilled_prompts

__all__ = [
    "LINES",
    "Actions",
    "Grade",
    "Handling",
    "LineScore",
    "Risk",
    "fold",
    "grade",
    "hard_rules",
    "mentions",
]

#: rubric lines in the order shown, with the points each is worth (they add up to 100)
LINES: dict[str, int] = {
    "greeting": 10,
    "empathy": 10,
    "solution": 25,
    "facts": 20,
    "forbidden": 15,
    "prompts": 5,
    "closing": 5,
    "time": 10,
}

GREETINGS = (
    "您好",
    "你好",
    "亲",
    "哈喽",
    "早上好",
    "下午好",
    "晚上好",
    "很高兴为您服务",
    "欢迎",
    "hello",
    "hi",
    "dear",
    "good morning",
    "good afternoon",
    "good evening",
    "thanks for contacting",
)
EMPATHY = (
    "抱歉",
    "对不起",
    "不好意思",
    "非常理解",
    "理解您",
    "能理解",
    "给您添麻烦",
    "让您久等",
    "辛苦",
    "心情",
    "别担心",
    "不用担心",
    "担心",
    "sorry",
    "apologi",
    "understand",
    "i can imagine",
)
CLOSINGS = (
    "还有其他",
    "还有什么",
    "随时联系",
    "随时找我",
    "祝您",
    "感谢您的",
    "谢谢您的",
    "期待您",
    "有问题再",
    "anything else",
    "feel free",
    "have a nice",
    "have a great",
    "thank you for",
    "let me know",
)
STOP_USE = (
    "停用",
    "停止使用",
    "不要再用",
    "暂停使用",
    "先别用",
    "不要继续使用",
    "stop using",
    "stop use",
    "discontinue",
)
PROMISES = (
    "保证",
    "包退",
    "包赔",
    "包好",
    "百分之百",
    "100%",
    "绝对没问题",
    "绝对不会",
    "肯定没问题",
    "肯定不会",
    "一定没事",
    "一定不会",
    "一定给您退",
    "一定给您赔",
    "一定能退",
    "一定可以退",
    "guarantee",
    "i promise",
    "we promise",
    "100 percent",
)
BLAME = (
    "你自己的问题",
    "你自己的原因",
    "肯定是你自己",
    "是你自己",
    "你皮肤的问题",
    "你的皮肤有问题",
    "你用错了",
    "你不会用",
    "不关我们的事",
    "跟我们没关系",
    "与我们无关",
    "不是我们的问题",
    "爱买不买",
    "你懂不懂",
    "活该",
    "your fault",
    "your own fault",
    "not our problem",
    "you used it wrong",
    "your skin is the problem",
)
RUDE = ("蠢", "笨蛋", "神经病", "滚", "闭嘴", "stupid", "idiot", "shut up")

_NEGATORS = ("不", "无法", "没法", "不能", "不敢", "没有", "未", "无")
_LATIN_NEGATORS = ("not", "cannot", "can't", "cant", "never", "no", "don't", "won't")

_lock = threading.Lock()
_t2s = None


def _opencc(ch: str) -> str:
    global _t2s
    if _t2s is None:
        with _lock:
            if _t2s is None:
                from opencc import OpenCC

                _t2s = OpenCC("t2s")
    out = _t2s.convert(ch)
    return out if len(out) == 1 else ch


def _fold_char(ch: str) -> str:
    o = ord(ch)
    if 0xFF01 <= o <= 0xFF5E:
        return chr(o - 0xFEE0).lower()
    if o == 0x3000:
        return " "
    if 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF:
        out = _opencc(ch)
        return {"您": "你", "妳": "你"}.get(out, out)
    low = ch.lower()
    if len(low) != 1:
        return ch
    if not low.isascii() and unicodedata.category(low)[0] == "L":
        base = unicodedata.normalize("NFKD", low)[0]
        if base.isascii():
            return base
    return low


class _Folds(dict[int, str]):
    def __missing__(self, code: int) -> str:
        out = _fold_char(chr(code))
        self[code] = out
        return out


_FOLDS = _Folds()


def fold(text: str) -> str:
    """``text`` folded for matching, one character for one (offsets stay the same)."""
    return text.translate(_FOLDS)


def _finds(folded: str, phrase: str) -> list[int]:
    """Start offsets of ``phrase`` in already-folded text (word-bounded for latin phrases)."""
    needle = fold(phrase).strip()
    if not needle:
        return []
    if needle[0].isascii() and needle[0].isalnum():
        pattern = r"(?<![a-z0-9])" + re.escape(needle)
        if needle[-1].isalnum():
            pattern += r"(?![a-z0-9])" if len(needle) <= 3 else ""
        return [m.start() for m in re.finditer(pattern, folded)]
    starts, at = [], folded.find(needle)
    while at != -1:
        starts.append(at)
        at = folded.find(needle, at + 1)
    return starts


def mentions(text: str, phrases: Iterable[str]) -> str | None:
    """The first of ``phrases`` found in ``text`` (folded), or None."""
    folded = fold(text)
    for phrase in phrases:
        if _finds(folded, phrase):
            return phrase
    return None


def _negated(folded: str, start: int) -> bool:
    before = folded[max(0, start - 4) : start]
    if any(neg in before for neg in _NEGATORS):
        return True
    words = re.findall(r"[a-z']+", folded[max(0, start - 16) : start])
    return any(w in _LATIN_NEGATORS for w in words[-2:])


def _excerpt(text: str, start: int, length: int, room: int = 30) -> str:
    lo = max(0, start - room)
    hi = min(len(text), start + length + room)
    return ("…" if lo else "") + text[lo:hi].replace("\n", " ") + ("…" if hi < len(text) else "")


@dataclass(frozen=True)
class Risk:
    """One hard-rule breach in one reply: ``rule`` (promise | blame | rude | forbidden |
    stop_use | prompts), the phrase found and an excerpt of the reply around it."""

    rule: str
    phrase: str
    excerpt: str


def _scan(text: str, folded: str, rule: str, phrases: Iterable[str], negatable: bool) -> list[Risk]:
    out = []
    for phrase in phrases:
        for start in _finds(folded, phrase):
            if negatable and _negated(folded, start):
                continue
            out.append(Risk(rule, phrase, _excerpt(text, start, len(phrase))))
            break
    return out


def hard_rules(
    body: str,
    *,
    allergy: bool = False,
    earlier_replies: Sequence[str] = (),
    forbidden: Iterable[str] = (),
) -> list[Risk]:
    """What in ``body`` (a reply to the customer) breaks a hard rule: a promise outside policy
    (保证, 一定退, 100%, guarantee; "无法保证" is not one), blaming or insulting the customer, a
    ``forbidden`` phrase, an unfilled 【prompt】, and on an ``allergy`` ticket no stop-use
    advice in this reply nor in any ``earlier_replies``."""
    folded = fold(body)
    risks = _scan(body, folded, "promise", PROMISES, negatable=True)
    risks += _scan(body, folded, "blame", BLAME, negatable=False)
    risks += _scan(body, folded, "rude", RUDE, negatable=False)
    risks += _scan(body, folded, "forbidden", forbidden, negatable=False)
    risks += [Risk("prompts", p, p) for p in unfilled_prompts(body)]
    if allergy and not any(mentions(text, STOP_USE) for text in (*earlier_replies, body)):
        risks.append(Risk("stop_use", "", _excerpt(body, 0, 0, room=30)))
    return risks


# -- grading a practice handling ----------------------------------------------------------


@dataclass(frozen=True)
class Handling:
    """What a good handling looks like (a scenario's ``[expect]`` and target), as plain data."""

    action: str  # return | exchange | escalate | compensate | none
    reason: str | None = None
    resolution: str | None = None
    must_say: tuple[tuple[str, ...], ...] = ()
    must_not_say: tuple[str, ...] = ()
    upset: bool = False
    allergy: bool = False
    target_minutes: int = 10
    #: the first reply's target (the channel's first-response standard); None: not graded
    first_response_seconds: int | None = None


@dataclass(frozen=True)
class Actions:
    """What the trainee did: requests filed (``(kind, reason, resolution)``, kind return |
    exchange | compensation), whether the ticket was escalated, the minutes it took and the
    seconds until the first reply (None: no reply)."""

    requests: tuple[tuple[str, str, str], ...] = ()
    escalated: bool = False
    minutes: float = 0.0
    first_response_seconds: float | None = None


@dataclass(frozen=True)
class LineScore:
    """One rubric line: ``score`` of ``out_of`` points; ``missed`` says what was missing or
    wrong (empty when full marks), ``applies`` False when the line did not apply (full marks)."""

    line: str
    score: float
    out_of: int
    missed: tuple[str, ...] = ()
    applies: bool = True


@dataclass(frozen=True)
class Grade:
    lines: tuple[LineScore, ...]
    risks: tuple[Risk, ...] = field(default=())

    @property
    def total(self) -> float:
        return round(sum(line.score for line in self.lines), 1)

    def line(self, name: str) -> LineScore:
        return next(line for line in self.lines if line.line == name)

    def scores(self) -> dict[str, float]:
        return {line.line: line.score for line in self.lines}


def _line(
    name: str, fraction: float, missed: Sequence[str] = (), applies: bool = True
) -> LineScore:
    fraction = min(1.0, max(0.0, fraction))
    return LineScore(name, round(LINES[name] * fraction, 1), LINES[name], tuple(missed), applies)


def grade(expect: Handling, replies: Sequence[str], actions: Actions) -> Grade:
    """Score a handling: ``replies`` are the trainee's messages to the customer, in order.

    Each line explains what was missed: the greeting, an apology for an upset customer, the
    action the policy expects (``reason``/``resolution`` codes), every required fact (one phrase
    of each group), no forbidden phrase or hard-rule breach, no unfilled prompt, a closing
    line, and the time against the target (full marks within it, none at three times it; the
    first reply against its own target when the handling names one)."""
    first = replies[0] if replies else ""
    last = replies[-1] if replies else ""
    everything = "\n".join(replies)
    lines = [
        _line(
            "greeting",
            1.0 if mentions(first, GREETINGS) else 0.0,
            () if mentions(first, GREETINGS) else ("greeting",),
        ),
    ]
    if expect.upset:
        found = mentions(everything, EMPATHY)
        lines.append(_line("empathy", 1.0 if found else 0.0, () if found else ("empathy",)))
    else:
        lines.append(_line("empathy", 1.0, applies=False))
    lines.append(_solution(expect, actions))
    missing = [group[0] for group in expect.must_say if not mentions(everything, group)]
    groups = len(expect.must_say)
    lines.append(
        _line("facts", (groups - len(missing)) / groups if groups else 1.0, missing, groups > 0)
    )
    risks: list[Risk] = []
    earlier: list[str] = []
    for reply in replies:
        risks += hard_rules(
            reply, allergy=expect.allergy, earlier_replies=earlier, forbidden=expect.must_not_say
        )
        earlier.append(reply)
    breaches = [r for r in risks if r.rule != "prompts"]
    if expect.allergy and any(r.rule == "stop_use" for r in breaches):
        breaches = [r for r in breaches if r.rule != "stop_use"]
        if not mentions(everything, STOP_USE):
            breaches.append(Risk("stop_use", "", ""))
    names = list(dict.fromkeys(f"{r.rule}:{r.phrase}" if r.phrase else r.rule for r in breaches))
    lines.append(_line("forbidden", 1.0 - len(names) / 2, names))
    prompts = [r.phrase for r in risks if r.rule == "prompts"]
    lines.append(_line("prompts", 0.0 if prompts else 1.0, prompts))
    closed = mentions(last, CLOSINGS)
    lines.append(_line("closing", 1.0 if closed else 0.0, () if closed else ("closing",)))
    lines.append(_time(expect, actions))
    if not replies:
        lines = [
            line if line.line in ("solution", "time") else _line(line.line, 0.0, ("no reply",))
            for line in lines
        ]
    return Grade(tuple(lines), tuple(risks))


#: the share of the time line that is the first reply's, when the handling grades it
FIRST_RESPONSE_SHARE = 0.4


def _on_time(taken: float, target: float) -> float:
    """1 within ``target``, falling linearly to 0 at three times it."""
    return min(1.0, max(0.0, 1.0 - max(0.0, taken - target) / (2 * target)))


def _time(expect: Handling, actions: Actions) -> LineScore:
    """The time line: resolution time against ``target_minutes`` and, when the handling names a
    first-response target, the first reply against it (``FIRST_RESPONSE_SHARE`` of the line;
    no reply at all scores that share 0)."""
    target = max(1, expect.target_minutes)
    fraction = _on_time(actions.minutes, target)
    missed = [f"{actions.minutes:.0f}/{target} min"] if actions.minutes > target else []
    if expect.first_response_seconds is not None:
        first_target = max(1, expect.first_response_seconds)
        taken = actions.first_response_seconds
        first = 0.0 if taken is None else _on_time(taken, first_target)
        if taken is None:
            missed.append("first reply: none")
        elif taken > first_target:
            missed.append(f"first reply {taken:.0f}/{first_target} s")
        fraction = (1 - FIRST_RESPONSE_SHARE) * fraction + FIRST_RESPONSE_SHARE * first
    return _line("time", fraction, missed)


_KIND = {"return": "return", "exchange": "exchange", "compensate": "compensation"}


def _solution(expect: Handling, actions: Actions) -> LineScore:
    """Full marks for the expected action with the expected reason (and resolution when the
    scenario names one); half for the right action with another reason; none otherwise. An
    action taken where none (or escalation only) was expected costs the line too."""
    if expect.action == "escalate":
        if actions.escalated:
            return _line("solution", 1.0)
        return _line("solution", 0.0, ("escalate",))
    if expect.action == "none":
        if actions.requests:
            kind, reason, _ = actions.requests[0]
            return _line("solution", 0.0, (f"no request expected ({kind} {reason})",))
        return _line("solution", 1.0)
    kind = _KIND[expect.action]
    same_kind = [
        r
        for r in actions.requests
        if r[0] == kind
        or (kind != "compensation" and r[0] in ("return", "exchange") and r[1] == expect.reason)
    ]
    if not same_kind:
        return _line("solution", 0.0, (f"{expect.action} {expect.reason or ''}".strip(),))
    best = 0.5
    missed = [f"reason {expect.reason}"]
    for _kind, reason, resolution in same_kind:
        if expect.reason is None or reason == expect.reason:
            if expect.resolution is None or resolution == expect.resolution:
                return _line("solution", 1.0)
            best, missed = 0.75, [f"resolution {expect.resolution}"]
    return _line("solution", best, missed)
