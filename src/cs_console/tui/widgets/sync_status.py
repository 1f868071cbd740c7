"""The top bar: agent and role, sync state, clock."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from cs_console.i18n import t
from cs_console.service.desk import Desk
from cs_console.tui.widgets.safe import literal


class TopBar(Static):
    """Agent · role · online/offline · N pending · N needing attention · local clock."""

    def __init__(self, desk: Desk, **kwargs) -> None:
        super().__init__(**kwargs)
        self.desk = desk

    def on_mount(self) -> None:
        self.refresh_status()
        self.set_interval(1.0, self.refresh_status)

    def refresh_status(self) -> None:
        summary = self.desk.sync_summary()
        text = Text(" cs-console  ", "bold")
        if getattr(self.desk, "training", False):  # a practice sandbox (service.training)
            text.append(f" {t('train.banner')} ", "bold white on dark_magenta")
            text.append("  ")
        text.append_text(literal(self.desk.agent.name, "bold"))
        text.append(f" · {t('role.' + self.desk.agent.role)}   ")
        online = summary["online"]
        if online == "1":
            text.append(f"● {t('sync.online')}", "bold green")
        elif online == "0":
            text.append(f"● {t('sync.offline')}", "bold red")
        else:
            text.append(f"● {t('sync.local')}", "dim")
        text.append("  ")
        text.append(
            t("sync.pending", n=summary["pending"]), "yellow" if summary["pending"] else "dim"
        )
        if summary["attention"]:
            text.append("  ")
            text.append(t("sync.attention", n=summary["attention"]), "bold white on red")
        text.append(f"   {self.desk.now().astimezone():%H:%M:%S}", "bold")
        self.update(text)
