"""What the console does before its first rows are on screen, and what waits for them (issue
16, launch): the knowledge index and the first sync round open after the first page; the
footer is rebuilt once per change of the keys it shows; the preview's Markdown widget is made
at the first preview."""

from __future__ import annotations

from console_helpers import SIZE, make_app, wait_for

from cs_console.tui.widgets.footer import SteadyFooter
from cs_console.tui.widgets.kb_panel import KbPanel
from cs_console.tui.widgets.queue import QueueTable


async def test_the_knowledge_index_opens_after_the_first_page(monkeypatch, console_store):
    rows_when_loading: list[int] = []
    load = KbPanel.start_loading

    def recording(self: KbPanel) -> None:
        if not self._loading:
            rows_when_loading.append(self.screen.query_one(QueueTable).row_count)
        load(self)

    monkeypatch.setattr(KbPanel, "start_loading", recording)
    app = make_app(console_store)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.screen.query_one(KbPanel)
        await wait_for(pilot, lambda: panel.engine is not None)
        assert len(rows_when_loading) == 1
        assert rows_when_loading[0] > 0  # the queue's first page was in


async def test_the_knowledge_index_opens_even_when_the_first_page_never_comes(
    monkeypatch, console_store
):
    monkeypatch.setattr(QueueTable, "reload", lambda self: None)  # the page never loads
    monkeypatch.setattr("cs_console.tui.widgets.kb_panel.LOAD_AT_THE_LATEST", 0.2)
    app = make_app(console_store)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.screen.query_one(KbPanel)
        await wait_for(pilot, lambda: panel.engine is not None)
        assert app.screen.query_one(QueueTable).row_count == 0


async def test_the_first_sync_round_starts_after_the_first_page(monkeypatch, console_store):
    rows_at_round: list[int] = []

    def round_(self: object) -> None:
        rows_at_round.append(app.screen.query_one(QueueTable).row_count)

    monkeypatch.setattr("cs_console.tui.app.ConsoleApp.sync_round", round_)
    app = make_app(console_store)
    app.demo = True  # the demo runs local rounds (auto-escalation) without a backend
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: bool(rows_at_round))
        await pilot.pause()
        assert len(rows_at_round) == 1 and rows_at_round[0] > 0


async def test_the_footer_is_rebuilt_only_when_its_keys_change(monkeypatch, console_store):
    recomposed: list[tuple[object, ...]] = []
    recompose = SteadyFooter.recompose

    async def counting(self: SteadyFooter) -> None:
        recomposed.append(self.shown_keys())
        await recompose(self)

    monkeypatch.setattr(SteadyFooter, "recompose", counting)
    app = make_app(console_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: bool(recomposed))
        await pilot.pause()
        at_start = len(recomposed)
        assert at_start <= 2, at_start  # Textual's footer rebuilt itself six times here
        footer = app.screen.query_one(SteadyFooter)
        footer.bindings_changed(app.screen)  # the same keys again: nothing to rebuild
        await pilot.pause()
        assert len(recomposed) == at_start
        await pilot.press("slash")  # into the knowledge search: other keys, one rebuild
        await wait_for(pilot, lambda: len(recomposed) > at_start)
        await pilot.pause()
        assert len(recomposed) == at_start + 1
        assert "Reply" not in str(footer.shown_keys())


async def test_the_preview_makes_its_markdown_widget_at_the_first_preview(console_store):
    app = make_app(console_store)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.screen.query_one(KbPanel)
        await wait_for(pilot, lambda: panel.engine is not None)
        assert not panel.query("#kb-preview-body")
        slug = panel.engine.search("退货", limit=1)[0].slug
        panel.preview(slug)
        await wait_for(pilot, lambda: bool(panel.query("#kb-preview-body")))
        first = panel.query_one("#kb-preview-body")
        panel.preview(slug)
        await pilot.pause()
        assert list(panel.query("#kb-preview-body")) == [first]  # updated, not made again


async def test_the_main_screen_is_not_drawn_while_the_app_is_still_mounting(
    monkeypatch, console_store
):
    """Textual drew the whole screen inside the start-up's batch update and then dropped the
    frame; the screen waits for the batch to end and is drawn once, with its rows."""
    from textual._compositor import Compositor

    from cs_console.tui.screens.main import MainScreen

    batches: list[int] = []
    render_update = Compositor.render_update

    def recording(self: Compositor, *args: object, **kwargs: object) -> object:
        if isinstance(self.root, MainScreen):
            batches.append(self.root.app._batch_count)
        return render_update(self, *args, **kwargs)

    monkeypatch.setattr(Compositor, "render_update", recording)
    app = make_app(console_store)
    async with app.run_test(size=SIZE) as pilot:
        queue = app.screen.query_one(QueueTable)
        await wait_for(pilot, lambda: queue.row_count > 0 and bool(batches))
        await pilot.pause()
        assert batches and all(count == 0 for count in batches), batches
        assert "#" in app.export_screenshot()  # and it was drawn: the queue's header is there


async def test_the_collector_waits_for_the_first_rows_then_runs_again(monkeypatch, console_store):
    import gc

    enabled_at_first_page: list[bool] = []
    show = QueueTable._show

    def recording(self: QueueTable, *args: object, **kwargs: object) -> None:
        enabled_at_first_page.append(gc.isenabled())
        show(self, *args, **kwargs)

    monkeypatch.setattr(QueueTable, "_show", recording)
    app = make_app(console_store)
    gc.disable()  # as run_console does
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: gc.isenabled())
            assert enabled_at_first_page[0] is False
    finally:
        gc.enable()


async def test_the_collector_runs_again_even_when_the_first_page_never_comes(
    monkeypatch, console_store
):
    import gc

    monkeypatch.setattr(QueueTable, "reload", lambda self: None)
    monkeypatch.setattr("cs_console.tui.app.COLLECT_AT_THE_LATEST", 0.2)
    app = make_app(console_store)
    gc.disable()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: gc.isenabled())
    finally:
        gc.enable()


def test_the_commands_run_with_the_collector_on_and_what_they_loaded_frozen(monkeypatch):
    import gc

    import cs_console.cli
    import cs_console.cli.root

    seen: list[tuple[bool, int]] = []
    monkeypatch.setattr(
        cs_console.cli.root, "main", lambda: seen.append((gc.isenabled(), gc.get_freeze_count()))
    )
    try:
        cs_console.cli.main()
    finally:
        gc.unfreeze()
    assert seen and seen[0][0] is True and seen[0][1] > 0


async def test_the_first_resume_does_not_style_the_screen_again_later_ones_do(
    monkeypatch, console_store
):
    from textual import events
    from textual.screen import Screen

    from cs_console.tui.screens.main import MainScreen

    restyled: list[bool] = []
    resume = Screen._on_screen_resume

    def recording(self: Screen, event) -> None:
        if isinstance(self, MainScreen):
            restyled.append(event.refresh_styles)
        resume(self, event)

    monkeypatch.setattr(Screen, "_on_screen_resume", recording)
    app = make_app(console_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(QueueTable).row_count > 0)
        assert restyled == [False]
        later = events.ScreenResume()  # e.g. a dialog closed: left as Textual sent it
        app.screen.on_screen_resume(later)
        assert later.refresh_styles is True


async def test_a_sync_round_that_ends_as_the_console_closes_is_dropped(console_store):
    """The round's report can arrive after the main screen's widgets were taken down (the
    console closing): nothing to update, and nothing to crash on."""
    from cs_console.tui.app import SyncFinished
    from cs_console.tui.screens.main import MainScreen

    app = make_app(console_store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(QueueTable).row_count > 0)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await screen.remove_children()
        app.post_message(SyncFinished({}, offline=False, auth_required=True, changed=[1]))
        await pilot.pause()
        await pilot.pause()
    assert app.return_code in (0, None)
