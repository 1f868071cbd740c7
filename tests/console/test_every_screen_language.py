"""Every screen and dialog speaks the agent's language: opened one by one in en, zh-Hant and
zh-Hans, the whole terminal (toasts, footer and title bars included) is read back and

- in en holds no CJK character,
- in zh-Hant no simplified-only character (see tests/language_checks.py: OpenCC's table),
- in zh-Hans no English sentence of ours (three English words in a row).

Customer and backend data would trip these checks (the demo's names, messages and products are
simplified Chinese), so the cache is the demo's with every such text rewritten to short ASCII
tokens: anything left on screen is the console's own text. The knowledge base is a private
ASCII one for the same reason (articles are content, not the console's words), except the
quiz's, which reads the shipped articles: in zh-Hant it shows them converted to traditional.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
import sys
from pathlib import Path

import pytest
from console_helpers import make_app, wait_for

from cs_console import demo
from cs_console.clock import FixedClock
from cs_console.service.desk import Agent, Desk
from cs_console.service.returns import Returns
from cs_console.store.db import Store
from cs_console.tui.dialogs.confirm import ConfirmDialog
from cs_console.tui.dialogs.escalate import EscalateDialog
from cs_console.tui.dialogs.followup import FollowupDialog
from cs_console.tui.dialogs.returns import ApprovalDialog, ReturnDialog
from cs_console.tui.dialogs.sync_issues import SyncIssuesDialog
from cs_console.tui.screens.help import HelpScreen
from cs_console.tui.screens.quiz import QuizScreen
from cs_console.tui.screens.training_progress import TrainingProgressScreen
from cs_console.tui.widgets.kb_panel import KbPanel
from language_checks import cjk_in, english_runs_in, simplified_in

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from kb_fixture import write_kb  # noqa: E402

PINNED = "2026-11-23T08:00:00Z"
LANGS = ["en", "zh-Hant", "zh-Hans"]
CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
AUDITED = {"audit_log", "audit_head"}  # append-only, and never on screen
PROSE = {"subject", "body", "name"}  # columns where the demo also writes English sentences


def _ascii(value: str, token: str) -> str:
    """A text of customer or backend data in ASCII (a JSON list stays a JSON list)."""
    try:
        items = json.loads(value)
    except ValueError:
        return token
    if isinstance(items, list):
        return json.dumps([f"{token}{i}" for i in range(len(items))])
    return token


def ascii_cache(path: Path) -> Store:
    """The demo cache with every Chinese text (and English sentence: some demo subjects are
    English) of customers, agents, products, orders, tickets and messages replaced by an ASCII
    token such as ``n12``."""
    store = Store.open(path, FixedClock(PINNED))
    demo.seed(store, tickets=40, seed_value=5)
    conn = store.conn
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    with store.transaction():
        for table in sorted(set(tables) - AUDITED):
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info('{table}')")]
            for column in columns:
                try:
                    rows = conn.execute(f'SELECT rowid, "{column}" FROM "{table}"').fetchall()
                except sqlite3.OperationalError:  # WITHOUT ROWID: index tables, no such text
                    break
                for rowid, value in rows:
                    prose = column in PROSE and english_runs_in(value or "")
                    if isinstance(value, str) and (CHINESE.search(value) or prose):
                        token = f"{column[0]}{rowid}"
                        conn.execute(
                            f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?',
                            (_ascii(value, token), rowid),
                        )
    return store


def ascii_kb(folder: Path) -> Path:
    """The fixture knowledge base with its Chinese text made ASCII (titles stay apart)."""
    kb = write_kb(folder)
    for file in kb.rglob("*.md"):
        lines = []
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines()):
            lines.append(CHINESE.sub("", line) if not line.startswith("title_zh") else line)
            if line.startswith("title_zh"):
                lines[-1] = f'title_zh = "a{n}"'
        file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return kb


def shown(app) -> str:
    """Everything on the terminal, as text (read from the screenshot SVG)."""
    svg = app.export_screenshot()
    rows = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape("".join(rows)).replace("\xa0", " ")


def untranslated(text: str, lang: str) -> list[str]:
    if lang == "en":
        return cjk_in(text)
    if lang == "zh-Hant":
        return simplified_in(text)
    return english_runs_in(text.replace("cs-console", ""))  # the program's name is a name


class Walk:
    """Collects what each opened screen shows that is not in the agent's language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.found: dict[str, list[str]] = {}
        self.seen: list[str] = []

    async def check(self, pilot, where: str) -> None:
        await pilot.pause()
        text = shown(pilot.app)
        self.seen.append(where)
        bad = untranslated(text, self.lang)
        if bad:
            lines = [line.strip() for line in text.splitlines() if untranslated(line, self.lang)]
            self.found[where] = ["".join(sorted(set(bad)))[:40], *lines[:8]]

    def assert_clean(self, expected: list[str]) -> None:
        assert self.seen == expected
        assert self.found == {}, json.dumps(self.found, ensure_ascii=False, indent=1)


def _fresh_order_ticket(store: Store) -> int:
    """An open ticket whose order is one cosmetic line (with a shade if any) delivered two days ago,
    and whose customer spoke last (so resolving it asks first)."""
    row = store.one(
        "SELECT t.id, t.order_id, l.sku FROM tickets t JOIN orders o ON o.id = t.order_id "
        "JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.sku = l.sku "
        "WHERE o.channel != 'mall-desk' AND p.kind = 'cosmetic' "
        "ORDER BY t.status != 'open', p.shade IS NULL, t.id LIMIT 1"
    )
    with store.transaction() as conn:
        conn.execute(
            "UPDATE tickets SET status = 'open', resolved_at = NULL, paused_at = NULL WHERE id = ?",
            (row["id"],),
        )
        conn.execute(
            "UPDATE orders SET delivered_at = '2026-11-21T08:00:00Z', "
            "placed_at = '2026-11-18T08:00:00Z', promised_at = '2026-11-15T08:00:00Z', "
            "discount = 0 WHERE id = ?",
            (row["order_id"],),
        )
        conn.execute(
            "DELETE FROM order_lines WHERE order_id = ? AND sku != ?", (row["order_id"], row["sku"])
        )
    Desk(store, Agent("agent01", "a", "agent")).receive(int(row["id"]), "hello?")
    return int(row["id"])


async def _loaded(pilot) -> None:
    panel = pilot.app.screen.query_one(KbPanel)
    await wait_for(pilot, lambda: panel.engine is not None)
    await pilot.pause()


async def _back(pilot, screen_type) -> None:
    await pilot.press("escape")
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, screen_type))


async def _dialog(pilot, walk, key, dialog_type, where, reason=None) -> None:
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, dialog_type))
    if reason is not None:
        from textual.widgets import Select

        pilot.app.screen.query_one("#rx-reason", Select).value = reason
    await walk.check(pilot, where)
    await _back(pilot, dialog_type)


AGENT_WALK = [
    "main 80x24",
    "main 80x24, ticket open",
    "main 160x48, ticket open",
    "help",
    "palette",
    "return",
    "exchange",
    "compensation",
    "escalate, empty reason",
    "confirm resolve",
    "sync issues",
    "quiz",
    "follow-up",
]


@pytest.mark.parametrize("lang", LANGS)
async def test_every_agent_screen_speaks_the_language(tmp_path, lang):
    store = ascii_cache(tmp_path / "ascii.db")
    ticket_id = _fresh_order_ticket(store)
    with store.transaction():  # a callback due yesterday: the header says so, u opens it
        customer = store.ticket(ticket_id)["customer_id"]
        store.add_followup(ticket_id, customer, "callback", "2026-11-22T08:00:00Z")
    app = make_app(store, lang=lang, kb_dir=ascii_kb(tmp_path / "kb"))
    walk = Walk(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await walk.check(pilot, "main 80x24")
        app.screen.open_ticket(ticket_id)
        await walk.check(pilot, "main 80x24, ticket open")
        await pilot.resize_terminal(160, 48)
        app.screen.open_ticket(ticket_id, focus="conversation")
        await walk.check(pilot, "main 160x48, ticket open")
        await _dialog(pilot, walk, "f1", HelpScreen, "help")
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await walk.check(pilot, "palette")
        await pilot.press("escape")
        await pilot.pause()
        await _dialog(pilot, walk, "r", ReturnDialog, "return", reason="unopened")
        await _dialog(pilot, walk, "x", ReturnDialog, "exchange", reason="wrong_shade")
        await _dialog(pilot, walk, "k", ReturnDialog, "compensation", reason="delay")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EscalateDialog))
        await pilot.press("enter")
        await walk.check(pilot, "escalate, empty reason")
        await _back(pilot, EscalateDialog)
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await walk.check(pilot, "confirm resolve")
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmDialog))
        await _dialog(pilot, walk, "s", SyncIssuesDialog, "sync issues")
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        await walk.check(pilot, "quiz")
        await _back(pilot, QuizScreen)
        await _dialog(pilot, walk, "u", FollowupDialog, "follow-up")
    walk.assert_clean(AGENT_WALK)


@pytest.mark.parametrize("lang", LANGS)
async def test_every_supervisor_screen_speaks_the_language(tmp_path, lang):
    store = ascii_cache(tmp_path / "ascii.db")
    ticket_id = _fresh_order_ticket(store)
    trainee = Desk(store, Agent("trainee01", "t", "trainee"))
    line = Returns(trainee).lines(ticket_id)[0]
    Returns(trainee).request(ticket_id, [(line["sku"], 1)], "unopened", goodwill=True)
    app = make_app(store, role="supervisor", lang=lang, kb_dir=ascii_kb(tmp_path / "kb"))
    walk = Walk(lang)
    async with app.run_test(size=(160, 48)) as pilot:
        await _loaded(pilot)
        app.screen.open_ticket(ticket_id, focus="conversation")
        await walk.check(pilot, "main, supervisor")
        await _dialog(pilot, walk, "a", ApprovalDialog, "approval")
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ApprovalDialog))
        await pilot.press("ctrl+d")  # declining without a reason is refused, in words
        await walk.check(pilot, "approval, decline refused")
        await _back(pilot, ApprovalDialog)
        await _dialog(pilot, walk, "f8", TrainingProgressScreen, "training progress")
    walk.assert_clean(
        [
            "main, supervisor",
            "approval",
            "approval, decline refused",
            "training progress",
        ]
    )


SCENARIO = """+++
slug = "fx-ascii"
title = "s1"
title_zh = "s1"
category = "after-sale"
sets = ["basics"]
channel = "wechat"
target_minutes = 8

[customer]
name = "c1"
tier = "gold"
points = 300

[order]
placed_days_ago = 7
delivered_days_ago = 5
[[order.lines]]
sku = "SR-003"
qty = 1
batch = "B1"

[opening]
subject = "s2"
text = "m1"

[expect]
articles = ["allergy-reaction-handling"]
action = "return"
reason = "allergy"
resolution = "refund"
verdict = "allowed"
must_say = [["stop"]]
must_not_say = ["never"]
upset = true
+++
g1
"""


@pytest.mark.parametrize("lang", LANGS)
async def test_the_practice_console_and_its_grade_speak_the_language(tmp_path, lang):
    from cs_console.config import Config
    from cs_console.demo.generator import PRODUCTS
    from cs_console.service.session import sign_in
    from cs_console.service.training import Practice
    from cs_console.training.scenario import load_scenarios
    from cs_console.tui.dialogs.grade_feedback import FeedbackDialog
    from cs_console.tui.screens.training import TrainingApp

    real = ascii_cache(tmp_path / "real.db")
    clock = FixedClock(PINNED)
    box = Store.open(tmp_path / "sandbox.db", clock)
    (tmp_path / "sc").mkdir()
    (tmp_path / "sc" / "fx-ascii.md").write_text(SCENARIO, encoding="utf-8")
    found, problems = load_scenarios(tmp_path / "sc")
    assert not problems, [str(p) for p in problems]
    products = [
        {**p.__dict__, "name": f"p{i}", "shade": None, "stock": 50, "returnable": 1}
        for i, p in enumerate(PRODUCTS)
    ]
    titles = {"allergy-reaction-handling": ("a1", "a1")}
    desk = Practice(real, sign_in(real, "trainee01"), box, products, titles).start(found)
    app = TrainingApp(
        desk,
        Config(db=box.path, lang=lang, agent_id="trainee01"),
        kb_dir=ascii_kb(tmp_path / "kb"),
    )
    ticket_id = next(iter(desk.tickets))
    walk = Walk(lang)
    async with app.run_test(size=(160, 48)) as pilot:
        await _loaded(pilot)
        app.screen.open_ticket(ticket_id, focus="conversation")
        await walk.check(pilot, "practice console")
        clock.advance(minutes=3)
        desk.reply(ticket_id, "r1")
        desk.set_status(ticket_id, "resolved")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackDialog))
        await walk.check(pilot, "grade feedback")
    walk.assert_clean(["practice console", "grade feedback"])
