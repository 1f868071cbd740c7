"""Full-width punctuation in Chinese text: find (``kb check``) and fix ASCII ``, : ; ! ? ( )``
that touch Chinese characters.

A mark counts when the character right before it, or right after it (past one space), is a
Chinese character or Chinese punctuation: ``您好,您的`` and ``吗?`` are found, ``10:00``,
``SPF 50+, PA++++``, ``https://x.cn/a?b=1`` and ``{{customer_name}},{{order_no}}`` are not.
A pair of brackets is changed together, when either bracket touches Chinese or the text between
them holds Chinese. Code (fenced blocks and `inline` spans) and URLs are left alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from cs_console.i18n import Text
from cs_console.kb.loader import Problem
from cs_console.kb.normalize import is_cjk

__all__ = ["FULL_WIDTH", "ascii_marks", "fix_text", "punctuation_problems"]

FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
_PROTECTED = re.compile(r"`[^`]*`|https?://\S+|\{\{[^}]*\}\}")
_FENCE = "```"


def _chinese(ch: str) -> bool:
    """A Chinese character or a mark that only Chinese text uses."""
    o = ord(ch)
    return (
        is_cjk(ch)
        or 0x3000 <= o <= 0x303F  # 、。「」【】
        or 0xFF01 <= o <= 0xFF5E  # ，：（）
        or 0x2460 <= o <= 0x24FF  # ①②③
        or ch in "“”‘’…—·"
    )


def _touches(line: str, i: int) -> bool:
    """The mark at ``i`` has Chinese right before or after it (markdown ``**`` looked past)."""
    b = i - 1
    while b >= 0 and line[b] == "*":
        b -= 1
    a = i + 1
    while a < len(line) and line[a] == "*":
        a += 1
    before = line[b] if b >= 0 else ""
    after = line[a] if a < len(line) else ""
    if after == " " and a + 1 < len(line) and before and _chinese(before):
        after = line[a + 1]
    return bool(before and _chinese(before)) or bool(after and _chinese(after))


def ascii_marks(line: str) -> list[int]:
    """Columns (0-based) of the ASCII marks of ``line`` that should be full width (a mark next
    to one that becomes full width counts too: ``"香精"(Parfum);我们``)."""
    marks: list[int] = []
    for _ in range(4):
        chars = list(line)
        for i in marks:
            chars[i] = FULL_WIDTH[line[i]]
        found = _marks(line, "".join(chars))
        if found == marks:
            break
        marks = found
    return marks


def _marks(line: str, seen: str) -> list[int]:
    """``ascii_marks`` of ``line`` with ``seen`` (the line as fixed so far) giving the
    neighbours."""
    blocked = [False] * len(line)
    for m in _PROTECTED.finditer(line):
        for k in range(m.start(), m.end()):
            blocked[k] = True
    out: set[int] = set()
    opened: list[int] = []
    for i, ch in enumerate(line):
        if blocked[i] or ch not in FULL_WIDTH:
            continue
        if ch == "(":
            opened.append(i)
            continue
        if ch == ")" and opened:
            start = opened.pop()
            inner = line[start + 1 : i]
            if _touches(seen, start) or _touches(seen, i) or any(is_cjk(c) for c in inner):
                out.update((start, i))
            continue
        if _touches(seen, i):
            out.add(i)
    out.update(i for i in opened if _touches(seen, i))
    return sorted(out)


def _lines(text: str) -> list[tuple[int, str, bool]]:
    """``(line number, line, is code)`` for each line of ``text``."""
    out = []
    fenced = False
    for n, line in enumerate(text.split("\n"), start=1):
        if line.lstrip().startswith(_FENCE):
            fenced = not fenced
            out.append((n, line, True))
            continue
        out.append((n, line, fenced))
    return out


def fix_text(text: str) -> str:
    """``text`` with every mark ``ascii_marks`` finds made full width (a space after a comma,
    colon, semicolon, ! or ? that now stands between Chinese text is dropped)."""
    lines = []
    for _n, line, code in _lines(text):
        marks = ascii_marks(line) if not code else []
        if not marks:
            lines.append(line)
            continue
        chars = list(line)
        for i in marks:
            chars[i] = FULL_WIDTH[line[i]]
            if line[i] not in "()" and i + 1 < len(line) and line[i + 1] == " ":
                chars[i + 1] = ""
        lines.append("".join(chars))
    return "\n".join(lines)


def punctuation_problems(path: Path, text: str | None = None) -> list[Problem]:
    """One problem per line of ``path`` with ASCII punctuation touching Chinese text."""
    if text is None:
        text = path.read_text(encoding="utf-8")
    out = []
    for n, line, code in _lines(text):
        if code:
            continue
        marks = ascii_marks(line)
        if marks:
            shown = " ".join(f"{line[i]!r}@{i + 1}" for i in marks[:6])
            more = f" (+{len(marks) - 6})" if len(marks) > 6 else ""
            out.append(Problem(path, n, Text("kb.check.ascii_punctuation", marks=shown, more=more)))
    return out
