"""Figures as people read them, the same in the report CLI and the dashboard."""

from __future__ import annotations

from typing import Any

from cs_console.policy import metrics as rules
from cs_console.policy.sla import format_remaining


def show_value(value: Any, unit: str) -> str:
    """``95.2%``, ``18 s``, ``3m05s``, ``3h04m``, ``1,234``; ``-`` for none."""
    if value is None:
        return "-"
    if unit == rules.PERCENT:
        return f"{value:.1f}%"
    if unit == rules.SECONDS:
        seconds = int(value)
        if seconds < 3600:
            return f"{seconds} s" if seconds < 60 else f"{seconds // 60}m{seconds % 60:02d}s"
        return format_remaining(seconds)
    return f"{int(value):,}"
