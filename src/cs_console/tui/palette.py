"""The command palette (ctrl+p): tickets by number, customer name or phone tail; customers;
knowledge articles; and actions. Lookups go through the Desk and the search engine."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from cs_console.i18n import t
from cs_console.service.desk import QUEUE_FILTERS
from cs_console.tui.widgets.safe import clean

if TYPE_CHECKING:
    from cs_console.tui.screens.main import MainScreen


def _desk_screen(provider: Provider) -> MainScreen | None:
    from cs_console.tui.screens.main import MainScreen

    for screen in reversed(provider.app.screen_stack):
        if isinstance(screen, MainScreen):
            return screen
    return None


class TicketsAndCustomers(Provider):
    """Ticket number, customer name or the last digits of a phone number."""

    async def search(self, query: str) -> Hits:
        screen = _desk_screen(self)
        if screen is None or not query.strip():
            return
        for found in screen.desk.find(query, limit=15):
            if found["kind"] == "ticket":
                text = f"{t('palette.ticket')} #{found['id']} {clean(found['subject'])}"
                yield Hit(
                    100,
                    text,
                    partial(screen.open_ticket, found["id"]),
                    help=t(f"status.{found['status']}"),
                )
            else:
                latest = found["latest_ticket"]
                text = (
                    f"{t('palette.customer')} {clean(found['name'])} {found['phone_masked'] or ''}"
                )
                if latest:
                    action = partial(screen.open_ticket, latest["id"])
                    yield Hit(80, text, action, help=f"#{latest['id']} {clean(latest['subject'])}")


class Articles(Provider):
    """Knowledge articles, found by the same engine as the knowledge panel."""

    async def search(self, query: str) -> Hits:
        screen = _desk_screen(self)
        if screen is None or not query.strip():
            return
        from cs_console.tui.widgets.kb_panel import KbPanel

        panel = screen.query_one("#kb", KbPanel)
        if panel.engine is None:
            return
        for hit in panel.engine.search(query, limit=5):
            yield Hit(
                hit.score,
                f"{t('palette.article')} {hit.title_zh} · {hit.title}",
                partial(panel.preview, hit.slug),
            )


class Actions(Provider):
    """The screen's actions and the queue filters, matched fuzzily."""

    def _commands(self) -> list[tuple[str, Callable[[], Any]]]:
        screen = _desk_screen(self)
        if screen is None:
            return []
        from cs_console.tui.widgets.queue import QueueTable

        queue = screen.query_one("#queue", QueueTable)
        commands: list[tuple[str, Callable[[], Any]]] = [
            (t("key.take_next"), screen.action_take_next),
            (t("key.escalate"), screen.action_escalate),
            (t("key.return"), screen.action_return),
            (t("key.exchange"), screen.action_exchange),
            (t("key.resolve"), partial(screen.action_set_status, "resolved")),
            (t("key.wait"), partial(screen.action_set_status, "pending")),
            (t("key.reveal_phone"), screen.action_reveal_phone),
            (t("key.help"), screen.action_help),
        ]
        for name in QUEUE_FILTERS:
            commands.append(
                (f"{t('key.filter')}: {t('filter.' + name)}", partial(queue.set_filter, name))
            )
        return commands

    async def discover(self) -> Hits:
        for name, action in self._commands():
            yield DiscoveryHit(f"{t('palette.action')} {name}", action)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(f"{t('palette.action')} {name}"), action)
