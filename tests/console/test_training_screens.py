"""The console's quiz screen and the supervisors' training-progress screen."""

from __future__ import annotations

from console_helpers import SIZE, make_app, plain, screen_text
from textual.widgets import DataTable

from cs_console.service.session import sign_in
from cs_console.service.training import Results, handling_of, load_training_scenarios
from cs_console.training.rubric import Actions, grade
from cs_console.tui.screens.quiz import QuizScreen
from cs_console.tui.screens.training_progress import TrainingProgressScreen


async def test_quiz_screen_answers_explains_and_stores(console_store):
    app = make_app(console_store, role="trainee", lang="zh-Hant")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f9")
        quiz = app.screen
        assert isinstance(quiz, QuizScreen) and len(quiz.questions) == 10
        first = quiz.questions[0]
        wrong = (first.answer + 1) % len(first.choices)
        await pilot.press(str(wrong + 1))
        shown = plain(quiz.query_one("#quiz-text").content)
        assert "答錯了" in shown and first.choices[first.answer] in shown
        await pilot.press(str(first.answer + 1))  # one answer per question
        assert quiz.answers == [wrong]
        await pilot.press("n", str(quiz.questions[1].answer + 1))
        assert "答對了" in plain(quiz.query_one("#quiz-text").content)
        await pilot.press("escape")
        assert not isinstance(app.screen, QuizScreen)
    rows = console_store.all("SELECT trainee, questions, correct FROM quiz_results")
    assert rows == [{"trainee": "trainee01", "questions": 2, "correct": 1}]


async def test_progress_screen_only_for_supervisors(console_store):
    scenario = load_training_scenarios()[0]
    result = grade(handling_of(scenario), ["您好,请停用"], Actions(minutes=3))
    Results(console_store, sign_in(console_store, "trainee01")).record(
        "trainee01", scenario, result, 3
    )
    agent_app = make_app(console_store, role="agent")
    async with agent_app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        assert not isinstance(agent_app.screen, TrainingProgressScreen)
    app = make_app(console_store, role="supervisor", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        assert isinstance(app.screen, TrainingProgressScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count >= 1
        text = screen_text(app)
        assert "trainee01" in text and "Ready: at least 80" in text
        assert f"{result.total:g}" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, TrainingProgressScreen)
