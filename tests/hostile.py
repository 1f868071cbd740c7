"""Hostile text for tests (issue 10): what a customer, the backend or a file can put in a field.

``hostile_text()`` mixes Rich/Textual markup, terminal escapes (OSC, CSI, C1), a carriage return
that forges a line, bidi overrides, zero-width and other invisible characters, NUL, lone
surrogates (which SQLite cannot store as UTF-8), plain CJK and, rarely, a huge string.
``SAMPLES`` are a dozen fixed nasty strings for parametrized tests. ``assert_no_control`` checks
output with its own regex, independent of ``cs_console.untrusted``.
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

MARKUP = (
    "[@click=screen.set_status('closed')]Alice[/]",
    "[@click=app.screenshot('/tmp/x')]",
    "[@click=app.quit]退出[/]",
    "[bold red]",
    "[/bold red]",
    "[$accent]",
    "[link=http://evil]点我[/link]",
    "\\[",
    "[/]",
    "[b]未闭合[",
    "]][[",
)
ESCAPES = (
    "\x1b]0;title\x07",  # OSC 0: retitle the window
    "\x1b]52;c;Zm9v\x07",  # OSC 52: write the clipboard
    "\x1b[2J",  # clear the screen
    "\x1b[31m",
    "\x1b[0m",
    "\x1b[1A\x1b[2K",  # cursor up, erase the line
    "\x1bc",  # full reset
    "\x9b2J",  # CSI as a C1 character
    "\x9d0;t\x9c",  # OSC as C1, ended by ST
    "\rAPPROVED by sup01",  # a carriage return forging a line
    "\x08\x08\x08",
    "\x07",
)
BIDI = (
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
)
INVISIBLE = (
    "\u200b",
    "\u2060",
    "\u2061",
    "\u2062",
    "\u2063",
    "\u2064",
    "\ufeff",
    "\u180e",
    "\u2028",
    "\u2029",
    "\u200c",  # the joiners are kept by the product: harmless, and scripts need them
    "\u200d",
)
CONTROLS = (
    "\x00",
    "\x01",
    "\x0b",
    "\x0c",
    "\x1a",
    "\x7f",
    "\x85",
    "\x9f",
    "\r",
    "\r\n",
    "\n",
    "\t",
)
SURROGATES = ("\ud800", "\udbff", "\udc00", "\udfff")
CJK = (
    "您好",
    "退货",
    "过敏",
    "精华液",
    "王主管",
    "顧客",
    "日本語テキスト",
    "한국어",
    "😀",
    "👩‍👩‍👧",
    " ",
)

HUGE_MAX = 200_000

SAMPLES = (
    "[@click=screen.set_status('closed')]Alice[/]",
    "[@click=app.screenshot('/tmp/x')]截图[/]",
    "[bold red]紧急[/bold red] [$accent]x[/] [link=http://evil]点我[/link] \\[not markup]",
    "标题\x1b]0;pwned\x07完",
    "剪贴板\x1b]52;c;Zm9v\x07",
    "\x1b[2J\x1b[31mred\x1b[0m",
    "C1 \x9b2J \x9d0;t\x9c \x85",
    "好的\rAPPROVED by sup01",
    "\u202eevil\u202c \u2066x\u2069 \u200e\u200f\u061c",
    "zero\u200bwidth\ufeff\u2060\u180e\u2028\u2029",
    "nul\x00byte\x7fdel\x08bs\x0bvt",
    "line1\r\nline2\r",
    "退货 精华液 过敏 👩‍👩‍👧",
)
"""Fixed nasty strings, all storable in SQLite (no lone surrogate)."""

UNSTORABLE_SAMPLES = ("\ud800", "退货\udfff", "ok \udc80\x00 [@click=app.quit]")
"""Lone surrogates: valid Python ``str`` (``json.loads('"\\\\ud800"')`` makes one), not UTF-8."""


def _characters(surrogates: bool) -> st.SearchStrategy[str]:
    if surrogates:
        return st.characters()
    return st.characters(exclude_categories=("Cs",))


@st.composite
def hostile_text(
    draw: st.DrawFn,
    *,
    surrogates: bool = True,
    huge: bool = True,
    max_pieces: int = 12,
) -> str:
    """A string of hostile fragments and random characters; rarely huge (up to ~200k chars).

    ``surrogates=False`` leaves out lone surrogates (for values bound into SQLite by the test
    itself); ``huge=False`` keeps it short.
    """
    pools = [MARKUP, ESCAPES, BIDI, INVISIBLE, CONTROLS, CJK]
    if surrogates:
        pools.append(SURROGATES)
    fragment = st.one_of(
        *(st.sampled_from(pool) for pool in pools),
        st.text(_characters(surrogates), max_size=6),
    )
    text = "".join(draw(st.lists(fragment, max_size=max_pieces)))
    if huge and draw(st.integers(0, 29)) == 17:  # rarely (about 1 in 30)
        size = draw(st.integers(10_000, HUGE_MAX))
        unit = text or "长"
        text = (unit * (size // len(unit) + 1))[:size]
    return text


def hostile_list(surrogates: bool = True) -> st.SearchStrategy[list[str]]:
    """A short list of hostile strings (allergies, tags)."""
    return st.lists(hostile_text(surrogates=surrogates, huge=False, max_pieces=4), max_size=4)


def storable(text: str) -> bool:
    """Whether SQLite can take ``text`` (it must encode as UTF-8: no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# Our own rule, written independently of cs_console.untrusted: C0 except tab and newline (a CR
# counts: click writes "\n", so any "\r" in output came from data), DEL, C1, bidi controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Invisible characters the product also promises to make visible (joiners U+200C/D excepted).
_INVISIBLE = re.compile(r"[\u200b\u2060-\u2064\ufeff\u180e\u2028\u2029]")


def assert_no_control(output: str, invisible: bool = False) -> None:
    """Fail, naming the character and where it is, if ``output`` holds a terminal control
    character (or, with ``invisible``, an invisible one)."""
    for pattern in (_CONTROL, _INVISIBLE) if invisible else (_CONTROL,):
        found = pattern.search(output)
        if found is not None:
            at = found.start()
            raise AssertionError(
                f"U+{ord(found.group(0)):04X} at offset {at} of {len(output)}: "
                f"{output[max(0, at - 60) : at + 60]!r}"
            )
