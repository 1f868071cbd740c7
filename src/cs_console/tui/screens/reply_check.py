"""The composer's soft warning: a reply that breaks a hard rule (a promise outside policy,
blaming the customer, no stop-use advice on an allergy ticket) is held once with a warning;
pressing send again with the same text sends it."""

from __future__ import annotations

from typing import Any

from cs_console.i18n import t
from cs_console.service.desk import DeskError
from cs_console.service.qa import reply_warnings


def hold_for_warning(screen: Any, ticket_id: int, body: str) -> bool:
    """True when the reply should not go yet: a warning was shown for this text just now."""
    warned: tuple[int, str] | None = getattr(screen, "_qa_warned", None)
    if warned == (ticket_id, body):
        screen._qa_warned = None
        return False
    try:
        risks = reply_warnings(screen.desk, ticket_id, body)
    except DeskError:
        return False  # the send itself will say what is wrong
    if not risks:
        return False
    names = "、".join(
        dict.fromkeys(
            t(f"qa.rule.{r.rule}") + (f"「{r.phrase}」" if r.phrase else "") for r in risks
        )
    )
    screen._qa_warned = (ticket_id, body)
    screen.notify(t("qa.warn", risks=names), severity="warning", timeout=8)
    return True
