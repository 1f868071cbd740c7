"""Practice mode end to end in the real console: search the knowledge base, insert a script,
fill it, file the return, resolve; the grade opens, the result is in the real cache and
nothing else from the sandbox is."""

from __future__ import annotations

import sys
from pathlib import Path

from console_helpers import SIZE, plain, screen_text, wait_for
from textual.widgets import Select

from cs_console import demo
from cs_console.clock import FixedClock
from cs_console.config import Config
from cs_console.service.session import sign_in
from cs_console.service.training import Practice
from cs_console.store.db import Store
from cs_console.tui.dialogs.grade_feedback import FeedbackDialog
from cs_console.tui.dialogs.returns import ReturnDialog
from cs_console.tui.screens.training import TrainingApp
from cs_console.tui.widgets.composer import Composer
from cs_console.tui.widgets.kb_panel import KbPanel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from training_fixture import products, scenarios  # noqa: E402

PINNED = "2026-11-23T08:00:00Z"
TABLES = ("tickets", "messages", "outbox", "returns", "customers", "orders", "allergy_cases")


def _counts(store):
    return {t: store.scalar(f"SELECT count(*) FROM {t}") for t in TABLES}


def _practice(tmp_path, lang="zh-Hans"):
    real = Store.open(tmp_path / "real.db", FixedClock(PINNED))
    demo.seed(real, tickets=20, seed_value=4)
    clock = FixedClock(PINNED)
    box = Store.open(tmp_path / "sandbox.db", clock)
    trainee = sign_in(real, "trainee01")
    titles = {"allergy-reaction-handling": ("Allergic reaction", "过敏反应处理")}
    desk = Practice(real, trainee, box, products(), titles).start(scenarios(tmp_path / "sc"))
    app = TrainingApp(desk, Config(db=box.path, lang=lang, agent_id="trainee01"))
    return real, desk, clock, app


async def test_work_a_scenario_end_to_end_and_see_the_grade(tmp_path):
    real, desk, clock, app = _practice(tmp_path)
    before = _counts(real)
    ticket_id = next(t for t, s in desk.tickets.items() if s.slug == "fx-allergy")
    async with app.run_test(size=SIZE) as pilot:
        assert "培训" in screen_text(app)  # the top bar says TRAINING
        panel = app.screen.query_one(KbPanel)
        await wait_for(pilot, lambda: panel.engine is not None)
        app.screen.open_ticket(ticket_id)
        await pilot.pause()
        # search the knowledge base, insert the first script, fill it, send
        await pilot.press("slash", "g", "u", "o", "m", "i", "n")
        await wait_for(pilot, lambda: bool(panel.hits))
        assert panel.hits[0].slug == "allergy-reaction-handling"
        await pilot.press("enter", "i")
        composer = app.screen.query_one(Composer)
        assert composer.has_focus and "停用" in composer.text
        composer.load_text(composer.text.replace("【", "").replace("】", ""))
        clock.advance(seconds=60)  # within wechat's 90 s first-response standard
        await pilot.press("ctrl+s")
        assert composer.text == ""
        # the customer's scripted follow-up arrives 20 s after the first reply
        clock.advance(seconds=20)
        await wait_for(pilot, lambda: len(desk.messages(ticket_id)) == 3)
        assert "B2609C14" in desk.messages(ticket_id)[-1]["body"]
        # file the return for the allergy (a trainee's 299 yuan waits for a supervisor)
        await pilot.press("escape", "r")
        dialog = app.screen
        assert isinstance(dialog, ReturnDialog)
        dialog.query_one("#rx-reason", Select).value = "allergy"
        await pilot.pause()
        dialog.query_one("#rx-resolution", Select).value = "refund"
        dialog.query_one("#rx-batch").value = "B2609C14"
        await pilot.pause()
        await pilot.press("ctrl+s")
        assert not isinstance(app.screen, ReturnDialog)
        filed = desk.store.all(
            "SELECT reason, resolution FROM returns WHERE ticket_id = ?", (ticket_id,)
        )
        assert filed == [{"reason": "allergy", "resolution": "refund"}]
        # the confirmation script is in the composer: fill it, close politely, send
        text = composer.text.replace("【", "").replace("】", "")
        composer.load_text(text + "\n还有其他问题随时联系我们。")
        composer.focus()
        clock.advance(minutes=2)
        await pilot.press("ctrl+s")
        assert composer.text == ""
        # resolve: graded, the feedback opens
        await pilot.press("escape", "ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackDialog))
        feedback = app.screen.feedback
        shown = plain(app.screen.query_one("#train-feedback-text").content)
        assert feedback.grade.total == 100, [ls for ls in feedback.grade.lines if ls.missed]
        assert "100 / 100" in shown and "过敏反应处理" in shown and "符合政策" in shown
        assert "用时 3.3 分钟，目标 8 分钟" in shown
        assert "首次回复 60 秒，目标 90 秒" in shown
        notes = screen_text(app)  # the notes on a good handling, as Markdown, in Chinese
        assert "先请顾客立即停用，再登记批号" in notes and "**" not in notes
        assert "stop using" not in notes
        await pilot.press("escape")
        assert not isinstance(app.screen, FeedbackDialog)
    # the result is in the real cache; nothing else from the sandbox is
    assert real.all("SELECT trainee, scenario, total FROM training_results") == [
        {"trainee": "trainee01", "scenario": "fx-allergy", "total": 100.0}
    ]
    assert _counts(real) == before


async def test_followup_arrives_after_its_delay_as_the_customers_reply(tmp_path):
    real, desk, clock, app = _practice(tmp_path)
    ticket_id = next(t for t, s in desk.tickets.items() if s.slug == "fx-allergy")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.open_ticket(ticket_id)
        await pilot.pause()
        composer = app.screen.query_one(Composer)
        composer.load_text("您好,请先停用。麻烦告诉我批号。")
        composer.focus()
        await pilot.press("ctrl+s")
        assert len(desk.messages(ticket_id)) == 2
        clock.advance(seconds=19)
        await pilot.pause(1.2)  # the app asks twice a second: nothing is due yet
        assert len(desk.messages(ticket_id)) == 2
        assert "能退吗" not in screen_text(app)
        clock.advance(seconds=1)
        await wait_for(pilot, lambda: len(desk.messages(ticket_id)) == 3)
        await pilot.pause()
        last = desk.messages(ticket_id)[-1]
        assert (last["direction"], last["created_at"]) == ("in", "2026-11-23T08:00:20Z")
        assert "已经停了。批号是B2609C14。能退吗?" in screen_text(app)
        toasts = [n.message for n in app._notifications]
        assert f"顾客在工单 #{ticket_id} 回复了" in toasts


async def test_feedback_in_english_says_what_was_missed(tmp_path):
    real, desk, clock, app = _practice(tmp_path, lang="en")
    ticket_id = next(t for t, s in desk.tickets.items() if s.slug == "fx-allergy")
    async with app.run_test(size=(80, 24)) as pilot:
        assert "TRAINING" in screen_text(app)
        app.screen.open_ticket(ticket_id)
        await pilot.pause()
        composer = app.screen.query_one(Composer)
        composer.load_text("It's [b]your fault[/b], I guarantee nothing")
        composer.focus()
        await pilot.press("ctrl+s")
        # the soft warning holds the reply once; a second press sends it anyway
        assert len(desk.messages(ticket_id)) == 1
        await pilot.press("ctrl+s")
        assert len(desk.messages(ticket_id)) == 2
        clock.advance(seconds=20)
        await wait_for(pilot, lambda: len(desk.messages(ticket_id)) == 3)
        await pilot.press("escape", "ctrl+d")
        await pilot.press("y")  # the customer spoke last: resolve without replying
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackDialog))
        shown = plain(app.screen.query_one("#train-feedback-text").content)
        assert "Solution" in shown and "return allergy" in shown
        assert "blame:your fault" in shown and "missed" in shown
        notes = screen_text(app)
        assert "Ask her to stop using it first" in notes and "立即停用" not in notes
