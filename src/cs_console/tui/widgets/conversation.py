"""The open ticket's thread: who said what, on which channel, when (in local time)."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from cs_console.clock import parse_iso
from cs_console.i18n import CATALOGUE, t
from cs_console.tui.widgets.safe import literal

MAX_SHOWN_CHARS = 20_000
ESCALATION_MARK = "[escalated]"
"""How an escalation's note starts (``service.inbound.ESCALATION_MARK``), shown translated."""
STYLE = {"in": "bold cyan", "out": "bold green", "note": "bold yellow"}


def local_time(iso: str | None) -> str:
    return parse_iso(iso).astimezone().strftime("%m-%d %H:%M") if iso else ""


def render_message(message: dict[str, Any], names: dict[str, str] | None = None) -> Group:
    direction = message["direction"]
    head = Text()
    head.append(f"{t('msg.' + direction)} ", STYLE.get(direction, "bold"))
    head.append_text(literal((names or {}).get(message["author"], message["author"]), "dim"))
    channel = message.get("channel") or ""
    if f"chan.{channel}" in CATALOGUE:
        channel = t(f"chan.{channel}")  # a code by its label; a channel we do not know as it is
    where = [part for part in (channel, local_time(message["created_at"])) if part]
    head.append_text(literal("".join(f" · {part}" for part in where), "dim"))
    body = message["body"] or ""
    if direction == "note" and body.startswith(ESCALATION_MARK):
        body = t("msg.escalated") + body[len(ESCALATION_MARK) :]
    parts: list[Any] = [
        head,
        literal(body, "italic" if direction == "note" else "", limit=MAX_SHOWN_CHARS),
    ]
    if len(body) > MAX_SHOWN_CHARS:
        parts.append(Text(t("msg.truncated", shown=MAX_SHOWN_CHARS, total=len(body)), "dim"))
    return Group(*parts)


class Conversation(VerticalScroll):
    """Messages of one ticket, oldest first; scrolls to the newest."""

    can_focus = True

    def show(self, messages: list[dict[str, Any]], names: dict[str, str] | None = None) -> None:
        self.remove_children()
        if messages:
            self.mount_all(
                Static(render_message(m, names), classes=f"message {m['direction']}", markup=False)
                for m in messages
            )
        self.call_after_refresh(self.scroll_end, animate=False)
