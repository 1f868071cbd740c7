"""Markdown from the knowledge base's files, rendered with nothing in it that acts.

The kb files are written by the training team, but they are files: headings, emphasis, lists,
tables and code render; links and images do not exist here. A link keeps its text and loses its
target (nothing to click, nothing to open), an image becomes its alt text, raw HTML stays text,
bare URLs stay plain, and control characters are made visible before parsing (no terminal
escape reaches the screen).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from cs_console.tui.widgets.safe import clean

__all__ = ["inert_links", "safe_parser", "safe_source"]

_LINK_TOKENS = frozenset({"link_open", "link_close"})


def _inert(children: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in children:
        if token.type in _LINK_TOKENS:
            continue  # the text between them stays, as plain text
        if token.type == "image":
            alt = Token("text", "", 0)
            alt.content = token.content  # the alt text
            out.append(alt)
            continue
        out.append(token)
    return out


def inert_links(state: StateCore) -> None:
    """A core rule (after inline parsing): drop link tokens, images become their alt text."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = _inert(token.children)


def safe_parser() -> MarkdownIt:
    """The Markdown widget's parser for kb text: CommonMark with tables and strikethrough, no
    raw HTML, no linkify, links and images made inert."""
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["table", "strikethrough"])
    parser.validateLink = lambda url: True  # type: ignore[method-assign]  # all made inert
    parser.core.ruler.push("inert_links", inert_links)
    return parser


def safe_source(text: str) -> str:
    """Kb text ready for the parser: control and bidi characters made visible."""
    return clean(text)
