"""Return, exchange and compensation dialogs: pick lines, reason and resolution by keyboard;
the policy verdict and its reasons update with every change; ctrl+s files it once.

The dialog only gathers choices and shows the Returns service's verdict; the service decides
and writes (one transaction, idempotent by request key).
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from cs_console.i18n import t
from cs_console.policy.returns import LineRequest, Verdict
from cs_console.service.desk import DeskError
from cs_console.service.errors import said
from cs_console.service.returns import ReturnResult, Returns
from cs_console.tui.widgets.bindings import Translated, key
from cs_console.tui.widgets.safe import literal, one_line

COMPENSATION_KINDS = ("points", "coupon")
EXCHANGE_REASONS = (
    "wrong_shade",
    "size",
    "unopened",
    "quality",
    "allergy",
    "wrong_item",
    "faulty",
    "opened",
)


def render_verdict(
    verdict: Verdict | None, error: str | None = None, hint: str | None = None
) -> Group:
    """The verdict as the agent reads it: allowed or not, amount, then every reason; without
    one, ``hint`` says what to do next."""
    if error:
        return Group(literal(error, "bold red"))
    if verdict is None:
        return Group(Text(hint or t("rx.pick_lines"), "dim"))
    head = Text()
    if not verdict.allowed:
        head.append(f" {t('rx.refused')} ", "bold white on red")
    elif verdict.needs_approval:
        head.append(f" {t('rx.needs_approval')} ", "bold black on yellow")
    else:
        head.append(f" {t('rx.allowed')} ", "bold white on green")
    if not verdict.within_policy and verdict.allowed:
        head.append(f" {t('rx.outside_policy')}", "yellow")
    if verdict.resolution:
        head.append(f"  {_label('resolution', verdict.resolution)}", "bold")
    unit = t("rx.points") if verdict.amount_unit == "points" else "¥"
    amount = (
        f"{verdict.amount:.0f} {unit}"
        if verdict.amount_unit == "points"
        else f"¥{verdict.amount:.2f}"
    )
    head.append(f"  {t('rx.amount')} {amount}", "bold cyan")
    parts: list[Any] = [head]
    for reason in verdict.reasons:
        parts.append(literal(f"• {said(reason)}"))
    for missing in verdict.missing:
        parts.append(
            literal(f"! {t('rx.missing_field', field=_label('field', missing))}", "bold yellow")
        )
    for check in verdict.checks:
        parts.append(literal(f"☐ {said(check)}", "cyan"))
    for advice in verdict.advice:
        parts.append(literal(f"→ {said(advice)}", "green"))
    return Group(*parts)


class ReturnDialog(Translated, ModalScreen[ReturnResult | None]):
    """``kind`` is return, exchange or compensation."""

    BINDINGS = [
        key("escape", "cancel", "close"),
        key("ctrl+s", "confirm", "confirm", priority=True),
        key("space", "toggle_line", "toggle_line"),
        key("plus,equals_sign", "qty(1)", "qty_up", show=False),
        key("minus", "qty(-1)", "qty_down", show=False),
    ]

    def __init__(self, returns: Returns, ticket_id: int, kind: str) -> None:
        super().__init__()
        self._translate_bindings()
        self.returns = returns
        self.ticket_id = ticket_id
        self.kind = kind
        self.order_lines: list[dict[str, Any]] = []
        self.picked: dict[int, int] = {}
        self.verdict: Verdict | None = None
        self.load_error: str | None = None

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="rx-dialog"):
            yield Static(id="rx-title", classes="dialog-title", markup=False)
            yield Select([], prompt=t("rx.order"), id="rx-order", allow_blank=True)
            if self.kind != "compensation":
                yield DataTable(id="rx-lines", cursor_type="row")
            with Horizontal(classes="rx-row"):
                yield Select([], prompt=t("rx.reason"), id="rx-reason", allow_blank=True)
                yield Select([], prompt=t("rx.resolution"), id="rx-resolution", allow_blank=True)
                if self.kind == "exchange":
                    yield Select([], prompt=t("rx.target"), id="rx-target", allow_blank=True)
            with Horizontal(classes="rx-row"):
                if self.kind == "compensation":
                    yield Input(placeholder=t("rx.amount_hint"), id="rx-amount", type="number")
                else:
                    yield Input(placeholder=t("rx.batch"), id="rx-batch")
                    yield Checkbox(t("rx.photos"), id="rx-photos")
                yield Checkbox(t("rx.goodwill"), id="rx-goodwill")
            with VerticalScroll(id="rx-verdict-box"):
                yield Static(id="rx-verdict", markup=False)
            yield Static(t("rx.keys"), classes="rx-keys", markup=False)

    def on_mount(self) -> None:
        self._fill_orders()
        self._load_order()
        order = self.query_one("#rx-order", Select)
        if self.kind != "compensation" and order.display and order.is_blank():
            order.focus()  # no order linked yet: the hint says to pick one above
        elif self.kind == "compensation" or not self.order_lines:
            self.query_one("#rx-reason", Select).focus()
        else:
            self.query_one("#rx-lines", DataTable).focus()

    def _fill_orders(self) -> None:
        """The customer's orders, the linked one chosen: a request can be about another one."""
        select = self.query_one("#rx-order", Select)
        orders = self.returns.customer_orders(self.ticket_id)
        select.set_options([(self._order_label(order), order["id"]) for order in orders])
        linked = [order["id"] for order in orders if order["linked"]]
        if linked:
            select.value = linked[0]
        select.display = bool(orders)

    @staticmethod
    def _order_label(order: dict[str, Any]) -> Text:
        products = order["products"]
        more = f" +{len(products) - 1}" if len(products) > 1 else ""
        label = literal(f"{order['id']} · {str(order['placed_at'])[:10]} · ")
        label.append_text(one_line(products[0] if products else "-", 16))
        label.append(more, "dim")
        return label

    def _load_order(self) -> None:
        """Lines and reasons of the ticket's order, as it stands now."""
        ticket = self.returns.desk.ticket(self.ticket_id)
        title = Text(t(f"rx.title.{self.kind}", id=self.ticket_id), "bold")
        if ticket.get("order_id"):
            title.append(f" · {t('rx.title_order')} ", "dim")
            title.append_text(literal(ticket["order_id"], "dim"))
        self.query_one("#rx-title", Static).update(title)
        self.order_lines, self.picked, self.load_error = [], {}, None
        reasons = ["delay", "goodwill"] if self.kind == "compensation" else []
        if self.kind != "compensation":
            table = self.query_one("#rx-lines", DataTable)
            table.clear(columns=True)
            try:
                self.order_lines = self.returns.lines(self.ticket_id)
            except DeskError as exc:
                self.load_error = exc.message()
            for column in ("pick", "product", "variant", "batch", "qty", "price"):
                table.add_column(t(f"rx.col.{column}"), key=column)
            for line in self.order_lines:
                table.add_row(*self._line_cells(line), key=str(line["line_id"]))
                for reason in line["reasons"]:
                    if reason not in reasons:
                        reasons.append(reason)
            if len(self.order_lines) == 1 and self.order_lines[0]["remaining"]:
                self.picked[self.order_lines[0]["line_id"]] = 1
                self._refresh_line(self.order_lines[0])
                self._prefill_batch(self.order_lines[0])
        if self.kind == "exchange":
            reasons = [r for r in reasons if r in EXCHANGE_REASONS]
        self.query_one("#rx-reason", Select).set_options(
            [(f"{_label('reason', r)} ({r})", r) for r in reasons]
        )
        self._set_resolutions()
        self.update_verdict()

    def _prefill_batch(self, line: dict[str, Any]) -> None:
        """The batch printed on the picked line, unless the agent typed one."""
        if self.kind == "compensation" or not line.get("batch_no"):
            return
        batch = self.query_one("#rx-batch", Input)
        if not batch.value.strip():
            batch.value = str(line["batch_no"])

    def _hint(self) -> str:
        """What the agent should do next, from what is chosen so far."""
        if self.load_error and not self.order_lines:
            return t("rx.pick_order") if self.query_one("#rx-order").display else self.load_error
        if self.kind != "compensation" and not self._requested_lines():
            return t("rx.pick_lines")
        if self._value("#rx-reason") is None:
            return t("rx.pick_reason")
        return t("rx.compensation_hint") if self.kind == "compensation" else t("rx.pick_lines")

    def _line_cells(self, line: dict[str, Any]) -> list[Any]:
        picked = self.picked.get(line["line_id"], 0)
        mark = Text("✔", "bold green") if picked else Text("·", "dim")
        return [
            mark,
            one_line(line["name"], 24),
            literal(line.get("shade") or "-"),
            literal(line.get("batch_no") or "-"),
            f"{picked}/{line['remaining']}",
            f"¥{line['unit_price']:.2f}",
        ]

    def _refresh_line(self, line: dict[str, Any]) -> None:
        table = self.query_one("#rx-lines", DataTable)
        for column, value in zip(
            ("pick", "product", "variant", "batch", "qty", "price"),
            self._line_cells(line),
            strict=True,
        ):
            table.update_cell(str(line["line_id"]), column, value)

    def _set_resolutions(self) -> None:
        reason = self._value("#rx-reason")
        if self.kind == "compensation":
            options = list(COMPENSATION_KINDS)
        elif self.kind == "exchange":
            options = ["exchange"]
        else:
            options = ["refund", "reissue", "repair"]
        if self.verdict is not None and self.verdict.options and self.kind != "compensation":
            options = [
                o for o in self.verdict.options if (o == "exchange") == (self.kind == "exchange")
            ] or options
        select = self.query_one("#rx-resolution", Select)
        current = self._value("#rx-resolution")
        select.set_options([(_label("resolution", o), o) for o in options])
        if current in options:
            select.value = current
        elif options and reason:
            select.value = options[0]

    def _set_targets(self) -> None:
        if self.kind != "exchange":
            return
        reason = self._value("#rx-reason")
        select = self.query_one("#rx-target", Select)
        line = self._focused_picked_line()
        if line is None or not reason:
            select.set_options([])
            return
        try:
            targets = self.returns.targets(self.ticket_id, line["sku"], reason)
        except DeskError:
            targets = []
        current = self._value("#rx-target")
        select.set_options(
            [
                (literal(f"{p['name']} ({p['sku']}, {t('rx.stock')} {p['stock']})"), p["sku"])
                for p in targets
            ]
        )
        if current in {p["sku"] for p in targets}:
            select.value = current

    def _focused_picked_line(self) -> dict[str, Any] | None:
        for line in self.order_lines:
            if self.picked.get(line["line_id"]):
                return line
        return None

    # -- reacting to changes ---------------------------------------------------------------

    def _value(self, selector: str) -> Any:
        try:
            widget = self.query_one(selector)
        except Exception:
            return None
        if isinstance(widget, Select):
            return None if widget.is_blank() else widget.value
        value = getattr(widget, "value", None)
        return None if value == "" else value

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "rx-order":
            self._order_changed(event.value)
            return
        if event.select.id == "rx-reason":
            self._set_targets()
        self.update_verdict()
        if event.select.id == "rx-reason":
            self._set_resolutions()
            self.update_verdict()

    def _order_changed(self, order_id: Any) -> None:
        if order_id is Select.BLANK or order_id is None:
            return  # choosing the linked order (as on opening) changes nothing: link_order says so
        try:
            changed = self.returns.link_order(self.ticket_id, str(order_id))
        except DeskError as exc:
            self._show(None, exc.message())
            return
        if changed:
            self._load_order()

    def on_input_changed(self, _: Input.Changed) -> None:
        self.update_verdict()

    def on_checkbox_changed(self, _: Checkbox.Changed) -> None:
        self.update_verdict()

    def _requested_lines(self) -> list[LineRequest]:
        to_sku = self._value("#rx-target") if self.kind == "exchange" else None
        return [
            LineRequest(line_id, qty, to_sku) for line_id, qty in self.picked.items() if qty > 0
        ]

    def update_verdict(self) -> None:
        """Ask the service for the verdict of the choices as they stand (no writes)."""
        reason = self._value("#rx-reason")
        lines = self._requested_lines()
        if reason is None or self.kind == "compensation" or not lines:
            self.verdict = None
            self._show(None)
            return
        try:
            self.verdict = self.returns.preview(
                self.ticket_id,
                lines,
                reason,
                resolution=self._value("#rx-resolution"),
                batch_no=self._value("#rx-batch"),
                to_sku=self._value("#rx-target") if self.kind == "exchange" else None,
                photos=bool(self._value("#rx-photos")),
                goodwill=bool(self._value("#rx-goodwill")),
            )
            self._show(self.verdict)
        except DeskError as exc:
            self.verdict = None
            self._show(None, exc.message())

    def _show(self, verdict: Verdict | None, error: str | None = None) -> None:
        content = render_verdict(verdict, error, self._hint())
        self.query_one("#rx-verdict", Static).update(content)

    # -- keys ------------------------------------------------------------------------------

    def _cursor_line(self) -> dict[str, Any] | None:
        if self.kind == "compensation" or not self.order_lines:
            return None
        table = self.query_one("#rx-lines", DataTable)
        return (
            self.order_lines[table.cursor_row]
            if 0 <= table.cursor_row < len(self.order_lines)
            else None
        )

    def action_toggle_line(self) -> None:
        line = self._cursor_line()
        if line is None or not self.query_one("#rx-lines", DataTable).has_focus:
            return
        picked = self.picked.get(line["line_id"], 0)
        self.picked[line["line_id"]] = 0 if picked else min(1, line["remaining"])
        self._refresh_line(line)
        if self.picked[line["line_id"]]:
            self._prefill_batch(line)
        self._set_targets()
        self.update_verdict()

    def action_qty(self, step: int) -> None:
        line = self._cursor_line()
        if line is None:
            return
        qty = min(max(0, self.picked.get(line["line_id"], 0) + step), line["remaining"])
        self.picked[line["line_id"]] = qty
        self._refresh_line(line)
        self.update_verdict()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_toggle_line()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_confirm(self) -> None:
        reason = self._value("#rx-reason")
        if reason is None:
            self.notify(t("rx.reason"), severity="warning")
            return
        try:
            if self.kind == "compensation":
                amount_text = self._value("#rx-amount")
                result = self.returns.compensate(
                    self.ticket_id,
                    self._value("#rx-resolution") or "points",
                    float(amount_text) if amount_text else None,
                    reason=reason,
                    goodwill=bool(self._value("#rx-goodwill")),
                )
            else:
                if not self._requested_lines():
                    self.notify(t("rx.pick_lines"), severity="warning")
                    return
                result = self.returns.request(
                    self.ticket_id,
                    self._requested_lines(),
                    reason,
                    resolution=self._value("#rx-resolution"),
                    batch_no=self._value("#rx-batch"),
                    to_sku=self._value("#rx-target") if self.kind == "exchange" else None,
                    photos=bool(self._value("#rx-photos")),
                    goodwill=bool(self._value("#rx-goodwill")),
                )
        except DeskError as exc:
            self._show(None, exc.message())
            return
        except ValueError:  # the amount box holds something that is not a number
            self._show(None, t("rx.amount_hint"))
            return
        self.dismiss(result)


class ApprovalDialog(Translated, ModalScreen[ReturnResult | None]):
    """A supervisor approves (ctrl+s) or declines (ctrl+d, reason required) a waiting request."""

    BINDINGS = [
        key("escape", "cancel", "close"),
        key("ctrl+s", "decide('approve')", "approve", priority=True),
        key("ctrl+d", "decide('decline')", "decline", priority=True),
    ]

    def __init__(self, returns: Returns, request: dict[str, Any]) -> None:
        super().__init__()
        self._translate_bindings()
        self.returns = returns
        self.request_row = request

    def compose(self) -> ComposeResult:
        row = self.request_row
        with Vertical(id="rx-dialog"):
            yield Static(
                Text(t("rx.approval_title", id=row["id"], ticket=row["ticket_id"]), "bold"),
                classes="dialog-title",
                markup=False,
            )
            yield Static(render_verdict(self.returns.get(row["id"]).verdict), markup=False)
            yield Input(placeholder=t("rx.note"), id="rx-note")
            yield Static(t("rx.approval_keys"), classes="rx-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one("#rx-note", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_decide(self, decision: str) -> None:
        note = self.query_one("#rx-note", Input).value
        try:
            if decision == "approve":
                result = self.returns.approve(self.request_row["id"], note)
            else:
                result = self.returns.decline(self.request_row["id"], note)
        except DeskError as exc:
            self.notify(exc.message(), severity="error")
            return
        self.dismiss(result)


def _label(kind: str, code: str | None) -> str:
    """A reason or resolution code in the agent's language (the code itself if unknown)."""
    if not code:
        return ""
    label = t(f"{kind}.{code}")
    return code if label == f"{kind}.{code}" else label
