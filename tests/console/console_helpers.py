"""Helpers for console tests: build the app, wait for workers, read the screen."""

from __future__ import annotations

import time

from cs_console.config import Config
from cs_console.service.desk import Desk
from cs_console.service.session import sign_in
from cs_console.store.db import Store
from cs_console.tui.app import ConsoleApp

SIZE = (160, 48)


AGENT_FOR_ROLE = {"agent": "agent01", "trainee": "trainee01", "supervisor": "sup01"}


def make_app(
    store: Store,
    role: str = "agent",
    lang: str = "zh-Hans",
    keys: dict | None = None,
    kb_dir=None,
) -> ConsoleApp:
    """The console signed in as the demo team's agent of ``role`` (roles come from the agents
    table, as in the real console)."""
    agent_id = AGENT_FOR_ROLE[role]
    config = Config(db=store.path, lang=lang, agent_id=agent_id)
    config.keys = keys or {}
    desk = Desk(store, sign_in(store, agent_id))
    return ConsoleApp(desk, config, kb_dir=kb_dir)


async def wait_for(pilot, condition, timeout: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds (workers report asynchronously)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.05)


def plain(renderable) -> str:
    """What a renderable shows, as plain text (markup in Text objects stays literal)."""
    import io

    from rich.console import Console

    console = Console(width=200, file=io.StringIO(), color_system=None, legacy_windows=False)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


def screen_text(app) -> str:
    """All text currently shown by the screen's Static widgets and tables (for assertions)."""
    from textual.widgets import DataTable, Static

    parts = []
    for widget in app.screen.query("*"):
        if isinstance(widget, Static):
            parts.append(plain(widget.content))
        elif isinstance(widget, DataTable):
            parts.append(str(widget.border_title or ""))
            for row_key in widget.rows:
                parts.append(" ".join(plain(c).strip() for c in widget.get_row(row_key)))
    return "\n".join(parts)
