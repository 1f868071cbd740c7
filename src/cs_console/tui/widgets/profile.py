"""The customer profile: tier, points, skin type, allergies (prominent), orders with batches."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from cs_console.i18n import CATALOGUE, language, t
from cs_console.tui.widgets.conversation import local_time
from cs_console.tui.widgets.safe import literal, one_line


def render_profile(
    customer: dict[str, Any] | None,
    orders: list[dict[str, Any]],
    tickets: list[dict[str, Any]],
    phone: str | None = None,
) -> Group:
    if customer is None:
        return Group(Text(t("profile.none"), "dim"))
    lines: list[Any] = []
    title = literal(customer["name"], "bold")
    title.append(f"  {t('tier.' + customer['tier'])}", "bold magenta")
    lines.append(title)
    allergies = customer.get("allergies") or []
    if allergies:
        colon, joiner = (": ", ", ") if language() == "en" else ("：", "、")
        lines.append(
            literal(
                f" {t('profile.allergies')}{colon}" + joiner.join(map(str, allergies)) + " ",
                "bold white on red",
            )
        )
    else:
        lines.append(Text(t("profile.no_allergies"), "green"))
    facts = Text()
    facts.append(f"{t('profile.points')} {customer['points']}  ")
    facts.append(f"{t('profile.skin')} ")
    facts.append_text(literal(customer.get("skin_type") or "-"))
    facts.append(f"\n{t('profile.birthday')} ")
    facts.append_text(literal(customer.get("birthday") or "-"))
    facts.append(f"  {t('profile.first_purchase')} ")
    facts.append_text(literal((customer.get("first_purchase_at") or "-")[:10]))
    facts.append(f"\n{t('profile.phone')} ")
    facts.append_text(literal(phone or customer.get("phone_masked") or "-"))
    if customer.get("city"):
        facts.append(f"  {t('profile.city')} ")
        facts.append_text(literal(customer["city"]))
    lines.append(facts)
    if orders:
        lines.append(Text(t("profile.orders"), "bold underline"))
        for order in orders:
            head = literal(order["id"], "bold")
            head.append(" ")
            channel = order["channel"] or ""
            if f"ochan.{channel}" in CATALOGUE:
                channel = t(f"ochan.{channel}")  # a known code by its label, any other as it is
            head.append_text(literal(channel, "dim"))
            head.append(f" ¥{order['paid']:.2f} ", "dim")
            head.append_text(literal((order.get("placed_at") or "")[:10], "dim"))
            lines.append(head)
            for line in order.get("lines", []):
                text = Text("  ")
                text.append_text(one_line(line["product_name"], 22))
                text.append(f" ×{line['qty']} ")
                text.append(f"{t('profile.batch')} ", "cyan")
                text.append_text(literal(line.get("batch_no") or "-", "cyan"))
                lines.append(text)
    if tickets:
        lines.append(Text(t("profile.tickets"), "bold underline"))
        for past in tickets:
            text = Text(
                f"#{past['id']} {t('status.' + past['status'])} {local_time(past['created_at'])[:5]} ",
                "dim",
            )
            text.append_text(one_line(past["subject"], 24))
            lines.append(text)
    return Group(*lines)


class CustomerProfile(VerticalScroll):
    """Who the customer is, at a glance."""

    can_focus = True

    def compose(self):
        yield Static(id="profile-body", markup=False)

    def show(
        self,
        customer: dict[str, Any] | None,
        orders: list[dict[str, Any]],
        tickets: list[dict[str, Any]],
        phone: str | None = None,
    ) -> None:
        self.query_one("#profile-body", Static).update(
            render_profile(customer, orders, tickets, phone)
        )
