"""The command palette (ctrl+p): tickets by number, customer name or phone tail; customers;
knowledge articles; and actions. Lookups go through the Desk and the search engine."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from cs_console.i18n import t
from cs_console.tui.widgets.safe import joined, one_line

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
                text = joined(f"{t('palette.ticket')} #{found['id']}", one_line(found["subject"]))
                yield Hit(
                    100,
                    text,
                    partial(screen.open_ticket, found["id"], focus="conversation"),
                    text=text.plain,
                    help=t(f"status.{found['status']}"),
                )
            else:
                # help text is parsed as markup, so the customer's words stay in the prompt
                for rank, ticket in enumerate(found["tickets"]):
                    text = joined(
                        t("palette.customer"),
                        one_line(found["name"], 40),
                        one_line(found["phone_masked"] or "", 20),
                        f"#{ticket['id']}",
                        one_line(ticket["subject"], 40),
                        sep="  ",
                    )
                    action = partial(screen.open_ticket, ticket["id"], focus="conversation")
                    yield Hit(
                        80 - rank,
                        text,
                        action,
                        text=text.plain,
                        help=t(f"status.{ticket['status']}"),
                    )


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
            text = joined(t("palette.article"), one_line(f"{hit.title_zh} · {hit.title}", 80))
            yield Hit(hit.score, text, partial(panel.preview, hit.slug), text=text.plain)


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
        for name, label in queue.visible_filters():
            commands.append((f"{t('key.filter')}: {label}", partial(queue.set_filter, name)))
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
