"""Policy numbers quoted in a scenario's ``must_say``: each must be what ``policy/numbers.py``
holds, so a policy change fails the scenario instead of teaching the old number.

A scenario names the numbers its facts quote in ``expect.policy``: a policy number's name
(``"return_unopened_days"``) or a small sum over names, whole numbers and ``customer.points``
(``"tier_gold_spend_yuan - 2600"``, ``"customer.points / points_per_yuan_redeemed"``). Every
quantity in a ``must_say`` phrase ("7 天", "七天", "7 days", "3 个工作日", "两倍", "一年") must
equal one of those, in the same unit when the name says one (``_days``, ``_hours``,
``_workdays``, ``_months``, ``_yuan``...); every named number must be quoted. A bare number
("48", "每100") counts when another phrase of the same fact gives it a unit; otherwise it is not a
quantity (a shade "01", a hotline "12315").
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cs_console.i18n import Items, Text
from cs_console.policy.numbers import NUMBERS
from cs_console.training.rubric import fold

__all__ = ["Quantity", "check_quotes", "evaluate", "quantities", "unit_of"]


@dataclass(frozen=True)
class Quantity:
    """A number with its unit (``None``: a bare number), and the phrase it was read from."""

    value: float
    unit: str | None
    text: str


_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMERAL = "[零一二两三四五六七八九十百千]+"
# (pattern, unit, factor): the longest first, so 个工作日 wins over 日 and 个月 over 月
_CN_SUFFIXES = (
    ("个工作日", "workdays", 1),
    ("工作日", "workdays", 1),
    ("个小时", "hours", 1),
    ("小时", "hours", 1),
    ("个月", "months", 1),
    ("分钟", "minutes", 1),
    ("公里", "km", 1),
    ("积分", "points", 1),
    ("天", "days", 1),
    ("年", "months", 12),
    ("元", "yuan", 1),
    ("块", "yuan", 1),
    ("倍", "times", 1),
)
_EN_SUFFIXES = (
    (r"(?:working|business) days?|workdays?", "workdays", 1),
    (r"days?", "days", 1),
    (r"hours?", "hours", 1),
    (r"months?", "months", 1),
    (r"years?", "months", 12),
    (r"minutes?", "minutes", 1),
    (r"yuan|rmb", "yuan", 1),
    (r"points?", "points", 1),
    (r"km", "km", 1),
    (r"times", "times", 1),
)
_CN_QUANTITY = re.compile(
    rf"(\d+(?:\.\d+)?|{_CN_NUMERAL})\s*({'|'.join(s for s, _, _ in _CN_SUFFIXES)})"
)
_EN_QUANTITY = re.compile(
    rf"(?<![a-z0-9.])(\d+(?:\.\d+)?)\s*({'|'.join(s for s, _, _ in _EN_SUFFIXES)})(?![a-z])"
)
_BARE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")
_DOUBLE = re.compile(r"双倍|(?<![a-z])double(?![a-z])|(?<![a-z])twice(?![a-z])")

_NAME_UNITS = (
    ("_workdays", "workdays"),
    ("_days", "days"),
    ("_hours", "hours"),
    ("_months", "months"),
    ("_minutes", "minutes"),
    ("_yuan", "yuan"),
    ("_km", "km"),
    ("_multiplier", "times"),
)
_POINTS_NAMES = frozenset({"delay_points", "points_per_yuan", "points_per_yuan_redeemed"})


def _chinese_number(text: str) -> int | None:
    """一 1, 十五 15, 二十 20, 三十 30, 一百 100, 两千 2000 (None for what is not a numeral)."""
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None:
                return None  # 一二: not a number
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def _number(text: str) -> float | None:
    if text[0].isdigit():
        return float(text)
    value = _chinese_number(text)
    return None if value is None else float(value)


def quantities(phrase: str) -> list[Quantity]:
    """The quantities in one phrase, in order; bare numbers have unit ``None``."""
    folded = fold(phrase)
    found: list[tuple[int, int, Quantity]] = []
    for pattern, suffixes in ((_CN_QUANTITY, _CN_SUFFIXES), (_EN_QUANTITY, _EN_SUFFIXES)):
        for m in pattern.finditer(folded):
            value = _number(m.group(1))
            if value is None:
                continue
            unit, factor = next((u, f) for s, u, f in suffixes if re.fullmatch(s, m.group(2)))
            found.append((m.start(), m.end(), Quantity(value * factor, unit, m.group(0))))
    for m in _DOUBLE.finditer(folded):
        found.append((m.start(), m.end(), Quantity(2.0, "times", m.group(0))))
    for m in _BARE.finditer(folded):
        if not any(start <= m.start() < end for start, end, _ in found):
            found.append((m.start(), m.end(), Quantity(float(m.group(0)), None, m.group(0))))
    return [q for _, _, q in sorted(found, key=lambda item: item[0])]


def unit_of(name: str) -> str | None:
    """The unit a policy number's name says (``None``: a count or a clock hour)."""
    if name in _POINTS_NAMES:
        return "points"
    return next((unit for suffix, unit in _NAME_UNITS if name.endswith(suffix)), None)


class QuoteError(ValueError):
    """An ``expect.policy`` entry that is not a name or a sum over names."""


def evaluate(
    entry: str, numbers: Mapping[str, int] = NUMBERS, points: int = 0
) -> tuple[float, str | None]:
    """The value of one ``expect.policy`` entry and its unit (a plain name's; ``None`` for a
    sum, which is compared by value only)."""
    try:
        tree = ast.parse(entry.strip(), mode="eval")
    except SyntaxError:
        raise QuoteError(Text("quotes.not_a_sum", entry=entry)) from None

    def value(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            if isinstance(node.value, bool):
                raise QuoteError(Text("quotes.bool", entry=entry))
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in numbers:
                raise QuoteError(Text("quotes.unknown", name=node.id))
            return float(numbers[node.id])
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) == ("customer", "points")
        ):
            return float(points)
        if isinstance(node, ast.BinOp) and isinstance(
            node.op, ast.Add | ast.Sub | ast.Mult | ast.Div
        ):
            left, right = value(node.left), value(node.right)
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            if right == 0:
                raise QuoteError(Text("quotes.divides_by_zero", entry=entry))
            return left / right
        raise QuoteError(Text("quotes.only", entry=entry))

    result = value(tree.body)
    return result, unit_of(tree.body.id) if isinstance(tree.body, ast.Name) else None


def _show(value: float) -> str:
    return f"{value:g}"


def check_quotes(
    must_say: Sequence[Sequence[str]],
    entries: Sequence[str],
    *,
    numbers: Mapping[str, int] = NUMBERS,
    points: int = 0,
) -> list[str]:
    """What is wrong between the quantities ``must_say`` quotes and the policy numbers
    ``entries`` name (empty: every quoted number is the policy's, every named one quoted)."""
    problems: list[str] = []
    named: list[tuple[str, float, str | None]] = []
    for entry in entries:
        try:
            named.append((entry, *evaluate(entry, numbers, points)))
        except QuoteError as exc:
            problems.append(Text("quotes.in_policy", error=exc.args[0]))
    quoted: set[str] = set()
    for fact in must_say:
        # "7天", "七天" and "7 days" are one quantity; a bare number ("48", "每100") is the
        # same as its fact's quantity with a unit, or no quantity at all (a shade "01")
        found: dict[tuple[float, str | None], Quantity] = {}
        for phrase in fact:
            for q in quantities(phrase):
                if q.unit is not None:
                    found.setdefault((q.value, q.unit), q)
        for q in found.values():
            matches = [
                entry for entry, value, unit in named if value == q.value and unit in (None, q.unit)
            ]
            quoted.update(matches)
            if matches:
                continue
            same_unit = [
                Text("quotes.is", entry=entry, value=_show(value))
                for entry, value, unit in named
                if unit == q.unit
            ]
            if same_unit:
                found_text = Items(same_unit, clauses=True)
                problems.append(Text("quotes.otherwise", text=q.text, found=found_text))
            else:
                amount = f"{_show(q.value)} {q.unit or ''}".rstrip()
                problems.append(Text("quotes.no_rule", text=q.text, amount=amount))
    for entry, value, unit in named:
        if entry not in quoted:
            amount = f"{_show(value)} {unit or ''}".rstrip()
            problems.append(Text("quotes.unquoted", entry=entry, amount=amount))
    return list(dict.fromkeys(problems))
