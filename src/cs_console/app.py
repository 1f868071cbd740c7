"""The Textual application: thin. It opens the cache and pushes the desk screen."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from . import i18n
from .commands import Actions, Articles, TicketsAndCustomers
from .config import Config
from .desk import Agent, Desk
from .store import Store


class ConsoleApp(App[None]):
    """cs-console: queue, customer, conversation and knowledge in one keyboard-first screen."""

    CSS_PATH = "app.tcss"
    TITLE = "cs-console"
    COMMANDS = {TicketsAndCustomers, Articles, Actions}
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self, desk: Desk, config: Config, kb_dir: Path | None = None, demo: bool = False
    ) -> None:
        i18n.set_language(config.lang)
        super().__init__()
        self.desk = desk
        self.config = config
        self.kb_dir = kb_dir
        self.demo = demo

    def on_mount(self) -> None:
        from .screens.desk import DeskScreen

        if self.config.keys:
            self.set_keymap(self.config.keys)
        self.push_screen(DeskScreen(self.desk, self.kb_dir))


def run_console(config: Config, kb_dir: Path | None = None, demo: bool = False) -> None:
    store = Store.open(config.db)
    try:
        desk = Desk(store, Agent(config.agent_id, config.agent_name, config.role), config.sla)
        ConsoleApp(desk, config, kb_dir=kb_dir, demo=demo).run()
    finally:
        store.close()
