"""Texts for automation: auto-escalation and routing (see ``cs_console.i18n``)."""

from __future__ import annotations

# key: (zh-Hans, zh-Hant, en)
TEXTS: dict[str, tuple[str, str, str]] = {
    "auto_escalation.reason": (
        "SLA 已超时 {minutes} 分钟（自动升级）",
        "SLA 已逾時 {minutes} 分鐘（自動升級）",
        "SLA breached by {minutes} min (escalated automatically)",
    ),
    "auto_escalation.notice": (
        "{count} 张超时工单已自动升级给主管：{ids}",
        "{count} 張逾時工單已自動升級給主管：{ids}",
        "{count} overdue ticket(s) escalated to a supervisor automatically: {ids}",
    ),
}
