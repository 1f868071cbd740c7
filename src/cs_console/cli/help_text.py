"""Our commands' ``--help`` in the agent's language: each command's help, its short help in a
group's list, its epilog and its options' ``help=``.

The English stays where Click reads it, in the code (a command's docstring, an option's
``help=``), so ``--lang en`` shows exactly what the code says. ``cs_console.i18n.help`` maps each
English text (as Click shows it: ``inspect.cleandoc``, up to a form feed) to Chinese. When help
is formatted under Chinese, :class:`HelpInLanguage` formats a shallow copy of the command whose
texts (and whose parameters' texts) are the translations; nothing of the command itself is
changed. A text missing from the table is shown in English (the CLI language test then fails).

Every command of ours is a :class:`Command` or :class:`Group`: ``SafeGroup`` makes its
commands and groups of these classes (``command_class``, ``group_class``), and the commands
made on their own (``@click.command``) say ``cls=Command``.
"""

from __future__ import annotations

import copy
import functools
import inspect
import re
import unicodedata
from collections.abc import Iterable
from typing import Any, TypeVar

import click

from cs_console import i18n

__all__ = ["Command", "Group", "HelpInLanguage", "in_language"]


def in_language(text: str | None) -> str | None:
    """The help text ``text`` (English, as in the code) in the interface language."""
    if text is None or i18n.language() == "en":
        return text
    from cs_console.i18n.help import TEXTS  # only when help is shown

    entry = TEXTS.get(inspect.cleandoc(text).partition("\f")[0])
    if entry is None:  # one of Click's own (--help's, --version's), or English left
        from cs_console.cli.click_text import gettext

        return gettext(text)
    return entry[0] if i18n.language() == "zh-Hans" else entry[1]


P = TypeVar("P", bound=click.Parameter)


def _param_in_language(param: P) -> P:
    help_text = getattr(param, "help", None)
    if not help_text:
        return param
    shown = copy.copy(param)
    shown.help = in_language(help_text)
    return shown


class HelpInLanguage:
    """A click command whose help is formatted in the interface language (see the module)."""

    help: str | None
    short_help: str | None
    epilog: str | None
    params: list[click.Parameter]

    def _in_language(self) -> Any:
        if i18n.language() == "en":
            return self
        shown = copy.copy(self)
        shown.help = in_language(self.help)
        shown.short_help = in_language(self.short_help)
        shown.epilog = in_language(self.epilog)
        shown.params = [_param_in_language(p) for p in self.params]
        return shown

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        # Click makes --help's option once per command and keeps it, with its text in the
        # language of that moment: shown in the language of this one
        from cs_console.cli.click_text import gettext

        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is None:
            return None
        shown = copy.copy(option)
        shown.help = gettext("Show this message and exit.")
        return shown

    def get_help(self, ctx: click.Context) -> str:
        if i18n.language() == "en":
            return super().get_help(ctx)  # type: ignore[misc]
        formatter = WideHelpFormatter(width=ctx.terminal_width, max_width=ctx.max_content_width)
        self.format_help(ctx, formatter)
        return formatter.getvalue().rstrip("\n")

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super(HelpInLanguage, self._in_language()).format_help(ctx, formatter)  # type: ignore[misc]

    def get_short_help_str(self, limit: int = 45) -> str:
        shown = self._in_language()
        if shown is self or shown.short_help or not shown.help or shown.help == self.help:
            return super(HelpInLanguage, shown).get_short_help_str(limit)  # type: ignore[misc]
        return chinese_short_help(shown.help, limit)


def chinese_short_help(text: str, limit: int) -> str:
    """A group's one-line summary of a Chinese help text: its first sentence (up to the first
    。, or ； outside brackets), cut with … to ``limit`` columns (a CJK character takes two). Click's own rule
    finds sentences and words by spaces, which Chinese does not have."""
    first = inspect.cleandoc(text).partition("\f")[0].split("\n\n")[0].replace("\n", "")
    shown, width, depth = "", 0, 0
    for ch in first:
        depth += (ch in "（(") - (ch in "）)")
        if ch == "。" or (ch == "；" and depth <= 0):
            break
        cells = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if width + cells > limit - 1:
            return shown + "…"
        shown, width = shown + ch, width + cells
    return shown


class Command(HelpInLanguage, click.Command):
    """A command whose ``--help`` speaks the interface language."""


class Group(HelpInLanguage, click.Group):
    """A group whose ``--help`` speaks the interface language, as do the commands and groups
    it makes (``@group.command()``, ``@group.group()``)."""

    command_class = Command
    group_class: type[click.Group | type] | None = type  # a group it makes: of its class


def _cells(text: str) -> int:
    """Terminal columns of ``text`` (a CJK character takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


#: what may not begin a line in Chinese (closing brackets and punctuation)
_NO_LINE_START = set("，。、；：！？）」』》】’”,.;:!?)")


@functools.cache
def _word() -> re.Pattern[str]:
    """Spaces, a Latin word, or one other character (compiled when help is first shown)."""
    return re.compile(r"[ ]+|[^\s\u2e80-\uffef]+|.", re.S)


def wrap_wide(text: str, width: int, indent: str = "") -> list[str]:
    """One paragraph wrapped to ``width`` columns: a line may break at a space or between two
    CJK characters, never before closing punctuation; a Latin word is kept whole."""
    tokens = _word().findall(text)
    lines: list[str] = []
    line, used = indent, _cells(indent)
    for i, token in enumerate(tokens):
        cells = _cells(token)
        need = cells  # with the closing punctuation that must follow it on the line
        for follows in tokens[i + 1 :]:
            if follows[:1] not in _NO_LINE_START:
                break
            need += _cells(follows)
        if used + need > width and line.strip() and token[:1] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line, used = indent, _cells(indent)
            if token.isspace():
                continue
        line, used = line + token, used + cells
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _paragraphs(text: str) -> list[str]:
    """Paragraphs (split at blank lines); a paragraph's lines joined, with a space only
    between two Latin characters."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        joined = ""
        for row in (r.strip() for r in block.splitlines()):
            if joined and row and _cells(joined[-1]) == 1 and _cells(row[0]) == 1:
                joined += " "
            joined += row
        out.append(joined)
    return out


class WideHelpFormatter(click.HelpFormatter):
    """Click's help layout, wrapped by terminal columns for Chinese (Click's wrapping breaks
    lines only at spaces and counts a CJK character as one column); headings end in ：."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")  # Chinese's full-width colon

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        blocks = ["\n".join(wrap_wide(p, self.width, indent)) for p in _paragraphs(text)]
        self.write("\n\n".join(blocks))
        self.write("\n")

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        first_col = min(max((_cells(first) for first, _ in rows), default=0), col_max)
        first_col += col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if _cells(first) <= first_col - col_spacing:
                self.write(" " * (first_col - _cells(first)))
            else:
                self.write("\n")
                self.write(" " * (first_col + self.current_indent))
            text_width = max(self.width - first_col - 2 - self.current_indent, 10)
            lines = [row for p in _paragraphs(second) for row in wrap_wide(p, text_width)]
            pad = " " * (first_col + self.current_indent)
            self.write("\n".join([lines[0], *(pad + row for row in lines[1:])]) + "\n")
