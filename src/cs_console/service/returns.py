"""Returns, exchanges and compensation: the service layer behind `r`, `x` and the CLI twins.

Every write is ONE transaction on the Desk's store holding the return row, its outbox op, the
ticket's new status and tags, the allergy case where relevant and an audit row; a request the
policy refuses raises :class:`~cs_console.service.desk.DeskError` before anything is written.

Never twice: each request has a ``request_key`` (by default a hash of the ticket, order, lines,
reason, kind and resolution). The row is inserted with ``ON CONFLICT(request_key) DO NOTHING``, so
the database's UNIQUE constraint, not only a look-up, decides: confirming twice, running the CLI
twice, or retrying after a crash returns the return already filed. A declined request frees its
lines and its key: the same request filed again gets a fresh key (``<key>#2``).

The console's dialogs call :meth:`Returns.lines` and :meth:`Returns.targets` to fill in, then
:meth:`Returns.preview` on every change (no writes), then :meth:`Returns.request`, then
:meth:`Returns.reply_script` for the confirmation text. No Textual here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from cs_console.clock import parse_iso, to_iso
from cs_console.policy import roles
from cs_console.policy.numbers import number
from cs_console.policy.returns import (
    COMPENSATION_REASONS,
    REASONS,
    RESOLUTIONS,
    SHOP_TZ,
    LineRequest,
    Request,
    Verdict,
    evaluate,
    held_by_line,
    kind_for,
    reasons_for_kind,
)
from cs_console.service.desk import Desk, DeskError, check_open
from cs_console.service.errors import Term
from cs_console.service.work import UnitOfWork

if TYPE_CHECKING:  # pragma: no cover
    from cs_console.kb.loader import Article
    from cs_console.scripts.template import Rendered

__all__ = ["LineSpec", "ReplyScript", "ReturnResult", "Returns", "request_key_for"]

#: a line as callers give it: (sku, qty), (sku, qty, to_sku), or a LineRequest (by line id)
LineSpec = tuple[str, int] | tuple[str, int, str | None] | LineRequest

_RETURN_TAGS = {"return": "return", "exchange": "exchange", "compensation": "compensation"}
_AWAITING_TAG = "awaiting_approval"


@dataclass(frozen=True)
class ReturnResult:
    """A filed request: the row's essentials and the verdict it was filed under.

    ``created`` is False when the same request had already been filed (a second confirm, a CLI
    re-run, a retry after a crash): nothing new was written and this is the existing return.
    """

    return_id: str
    status: str  # awaiting_approval | approved | declined | done
    kind: str  # return | exchange | compensation
    reason: str
    resolution: str
    amount: float
    op_id: str | None
    ticket_id: int
    order_id: str
    request_key: str
    verdict: Verdict
    lines: tuple[dict[str, Any], ...] = ()
    created: bool = True
    allergy_case_id: int | None = None
    approved_by: str | None = None
    approval_note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The CLI's ``--json`` shape (stable)."""
        return {
            "return_id": self.return_id,
            "status": self.status,
            "kind": self.kind,
            "reason": self.reason,
            "resolution": self.resolution,
            "amount": self.amount,
            "amount_unit": self.verdict.amount_unit,
            "op_id": self.op_id,
            "ticket_id": self.ticket_id,
            "order_id": self.order_id,
            "lines": list(self.lines),
            "created": self.created,
            "request_key": self.request_key,
            "allergy_case_id": self.allergy_case_id,
            "approved_by": self.approved_by,
            "approval_note": self.approval_note,
            "verdict": self.verdict.to_dict(),
        }


@dataclass(frozen=True)
class ReplyScript:
    """Which reply scripts confirm a return, and the values for their placeholders.

    ``scripts`` are ``(article slug, script title)`` pairs in the order to stack them; it may be
    empty when no published script fits (a goodwill request still waiting for approval).
    """

    scripts: tuple[tuple[str, str], ...]
    context: dict[str, Any] = field(default_factory=dict)

    def render(self, articles: Mapping[str, Article], traditional: bool = False) -> Rendered:
        """Render and stack the scripts found in ``articles`` (``LoadResult.by_slug()``), a
        missing value's prompt in traditional characters when ``traditional``."""
        from cs_console.scripts.template import render, stack

        found = []
        for slug, title in self.scripts:
            article = articles.get(slug)
            script = (
                next((s for s in article.scripts if s.title == title), None) if article else None
            )
            if script is not None:
                found.append(render(script.text, self.context, traditional))
        return stack(found)


def request_key_for(
    ticket_id: int,
    order_id: str,
    lines: Sequence[tuple[int, int, str | None]],
    reason: str,
    kind: str,
    resolution: str | None,
    amount: float | None = None,
) -> str:
    """The default idempotency key: the same request always hashes to the same key."""
    parts = {
        "ticket": int(ticket_id),
        "order": order_id,
        "lines": sorted([int(a), int(b), c or ""] for a, b, c in lines),
        "reason": reason,
        "kind": kind,
        "resolution": resolution or "",
        "amount": amount,
    }
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False)
    return "rk1:" + hashlib.sha256(text.encode()).hexdigest()[:32]


class Returns:
    """Return, exchange and compensation actions, performed by the Desk's agent."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.store = desk.store

    # -- reading (for the dialog) --------------------------------------------------------

    def lines(self, ticket_id: int) -> list[dict[str, Any]]:
        """The ticket's order lines to prefill a dialog: product facts, ``remaining`` quantity
        (bought less what active requests hold) and the reason codes that fit the product."""
        ticket = self.desk.ticket(ticket_id)
        order = self._order(ticket)
        held = held_by_line(self.store.order_returns(order["id"]))
        products = self.store.products([line["sku"] for line in order["lines"]])
        out = []
        for line in order["lines"]:
            product = products.get(line["sku"], {})
            kind = product.get("kind", "other")
            out.append(
                {
                    "line_id": line["id"],
                    "line_no": line["line_no"],
                    "sku": line["sku"],
                    "name": line["product_name"],
                    "shade": line.get("shade"),
                    "kind": kind,
                    "qty": line["qty"],
                    "remaining": max(0, int(line["qty"]) - held.get(int(line["id"]), 0)),
                    "unit_price": line["unit_price"],
                    "batch_no": line.get("batch_no"),
                    "reasons": reasons_for_kind(kind),
                }
            )
        return out

    def customer_orders(self, ticket_id: int) -> list[dict[str, Any]]:
        """The ticket customer's orders, newest first, for picking the one a request is about."""
        ticket = self.desk.ticket(ticket_id)
        if not ticket.get("customer_id"):
            return []
        return [
            {
                "id": order["id"],
                "placed_at": order["placed_at"],
                "delivered_at": order.get("delivered_at"),
                "total": order.get("total"),
                "products": [line["product_name"] for line in order["lines"]],
                "linked": order["id"] == ticket.get("order_id"),
            }
            for order in self.store.customer_orders(str(ticket["customer_id"]))
        ]

    def link_order(self, ticket_id: int, order_id: str) -> bool:
        """Make ``order_id`` the order this ticket is about (audited). Only an order of the
        ticket's own customer; False when it already was."""
        with self.desk.work() as work:
            ticket = work.ticket(ticket_id)
            if ticket.get("order_id") == order_id:
                return False
            order = self.store.order(order_id)
            if order is None:
                raise DeskError("err.order_unknown", order=order_id)
            if not ticket.get("customer_id") or order["customer_id"] != ticket["customer_id"]:
                raise DeskError("err.order_of_another_customer", order=order_id)
            work.update_ticket(ticket, {"order_id": order_id})
            work.audit("link_order", ticket_id, {"from": ticket.get("order_id"), "to": order_id})
        return True

    def targets(self, ticket_id: int, sku: str, reason: str) -> list[dict[str, Any]]:
        """Exchange targets for a line's SKU that keep value and are in stock: another shade or
        size of the same product for ``wrong_shade``/``size``, else products at the same price."""
        ticket = self.desk.ticket(ticket_id)
        order = self._order(ticket)
        if sku not in {line["sku"] for line in order["lines"]}:
            raise DeskError("err.sku_not_on_order", sku=sku, order=order["id"])
        return self.store.products_like(sku, same_line=reason in ("wrong_shade", "size"))

    def preview(
        self,
        ticket_id: int,
        lines: Sequence[LineSpec],
        reason: str,
        resolution: str | None = None,
        batch_no: str | None = None,
        to_sku: str | None = None,
        photos: bool = False,
        goodwill: bool = False,
    ) -> Verdict:
        """The verdict for a request as it stands, for the agent's role; writes nothing.

        Cheap enough to call on every change in a dialog. Unknown ticket, a ticket without an
        order, an SKU not on the order or an unknown reason raise DeskError; everything else
        (quantities, windows, missing evidence, targets) comes back inside the verdict.
        """
        ticket, order, order_lines, products, req = self._prepare(
            ticket_id, lines, reason, resolution, batch_no, to_sku, photos, goodwill
        )
        return evaluate(
            req,
            order,
            order_lines,
            products,
            self.desk.now(),
            self.store.order_returns(order["id"]),
            role=self.desk.agent.role,
        )

    def get(self, return_id: str) -> ReturnResult:
        row = self.store.return_row(return_id)
        if row is None:
            raise DeskError("err.no_return", request=return_id)
        return self._result(row, created=False)

    def awaiting_approval(self) -> list[dict[str, Any]]:
        """Requests waiting for a supervisor, oldest first (the supervisors' list)."""
        return self.store.returns_awaiting_approval()

    # -- actions -------------------------------------------------------------------------

    def request(
        self,
        ticket_id: int,
        lines: Sequence[LineSpec],
        reason: str,
        resolution: str | None = None,
        batch_no: str | None = None,
        to_sku: str | None = None,
        photos: bool = False,
        goodwill: bool = False,
        request_key: str | None = None,
        symptoms: str | None = None,
    ) -> ReturnResult:
        """File a return or exchange for order lines of the ticket's order.

        Approved at once when within policy and within the agent's refund limit; otherwise (a
        trainee or agent over their limit, a goodwill exception) it waits for a supervisor as
        ``awaiting_approval``. The same request filed again returns the existing return
        (``created=False``). ``symptoms`` go into the allergy case (default: the customer's
        latest message).
        """
        if reason in COMPENSATION_REASONS:
            raise DeskError(
                "err.compensation_not_return",
                reason=Term("reason", reason),
                code=reason,
                cli_hint="cs-console compensate",
            )
        ticket, order, order_lines, products, req = self._prepare(
            ticket_id, lines, reason, resolution, batch_no, to_sku, photos, goodwill
        )
        check_open(ticket)
        now = self.desk.now()
        # Normalise to what the policy would choose with nothing filed yet, so that "default
        # resolution" and "that same resolution spelled out" are one request with one key.
        base = evaluate(req, order, order_lines, products, now, ())
        chosen = req.resolution or base.resolution
        targets = {lv.line_id: lv.to_sku for lv in base.lines}
        key_lines = [(i.line_id, i.qty, i.to_sku or targets.get(i.line_id)) for i in req.lines]
        kind = kind_for(reason, chosen)
        key = request_key or request_key_for(
            ticket_id, order["id"], key_lines, reason, kind, chosen
        )
        req = Request(
            reason=req.reason,
            lines=tuple(
                LineRequest(i.line_id, i.qty, i.to_sku or targets.get(i.line_id)) for i in req.lines
            ),
            resolution=chosen,
            batch_no=req.batch_no,
            photos=req.photos,
            goodwill=req.goodwill,
        )
        with self.desk.work() as work:
            ticket = work.ticket(ticket_id)
            check_open(ticket)
            key, existing = self._live_key(key, explicit=request_key is not None)
            if existing is not None:
                return self._existing(
                    existing, ticket_id, order["id"], reason, explicit=request_key
                )
            prior = self.store.order_returns(order["id"])
            verdict = evaluate(
                req, order, order_lines, products, now, prior, role=self.desk.agent.role
            )
            if not verdict.allowed:
                raise _refusal(verdict)
            status = "awaiting_approval" if verdict.needs_approval else "approved"
            row_lines = [
                {
                    "line_id": lv.line_id,
                    "sku": lv.sku,
                    "qty": lv.qty,
                    "to_sku": lv.to_sku,
                    "amount": lv.amount,
                }
                for lv in verdict.lines
            ]
            batch = (batch_no or "").strip() or _batch_of(order_lines, row_lines)
            inserted = self._insert(
                work, key, ticket, order, kind, reason, verdict, row_lines, batch, status
            )
            if inserted is None:  # filed by another process between our look-up and insert
                existing = self.store.return_by_key(key)
                assert existing is not None
                return self._result(existing, created=False)
            return_id = inserted
            op_id = work.enqueue(
                "create_return",
                ticket,
                _create_payload(return_id, kind, reason, verdict, order, row_lines, batch, status),
            )
            self.store.set_return_op(return_id, op_id)
            case_id = None
            if reason == "allergy":
                case_id = self._allergy_case(
                    work, ticket, row_lines, batch, symptoms, return_id, verdict, status
                )
            self._touch_ticket(work, ticket, kind, status, allergy=reason == "allergy")
            work.audit(
                "create_return",
                ticket["id"],
                {
                    "return_id": return_id,
                    "kind": kind,
                    "reason": reason,
                    "resolution": verdict.resolution,
                    "amount": verdict.amount,
                    "status": status,
                    "lines": row_lines,
                    "within_policy": verdict.within_policy,
                    "goodwill": goodwill,
                    "op_id": op_id,
                    "request_key": key,
                },
            )
        row = self.store.return_row(return_id)
        assert row is not None
        return self._result(row, created=True, allergy_case_id=case_id)

    def compensate(
        self,
        ticket_id: int,
        kind: str,
        amount: float | None = None,
        reason: str = "delay",
        note: str | None = None,
        goodwill: bool = False,
        request_key: str | None = None,
    ) -> ReturnResult:
        """Compensate the ticket's customer with ``points`` or a ``coupon`` (yuan).

        ``reason`` is ``delay`` (the policy sets the kind and amount by days late; without
        ``amount`` the policy's amount is used) or ``goodwill`` (no rule: always a supervisor's
        decision unless a supervisor files it). Points are credited to the customer when the
        compensation is approved.
        """
        if kind not in ("points", "coupon"):
            raise DeskError("err.compensation_kind", kind=repr(kind))
        if reason not in COMPENSATION_REASONS:
            raise DeskError(
                "err.unknown_compensation_reason",
                reason=repr(reason),
                choices=sorted(COMPENSATION_REASONS),
            )
        ticket = self.desk.ticket(ticket_id)
        check_open(ticket)
        order = self._order(ticket)
        req = Request(
            reason=reason,
            resolution=kind,
            amount=amount,
            goodwill=goodwill or reason == "goodwill",
        )
        now = self.desk.now()
        key = request_key or request_key_for(
            ticket_id, order["id"], [], reason, "compensation", kind, amount
        )
        with self.desk.work() as work:
            ticket = work.ticket(ticket_id)
            check_open(ticket)
            key, existing = self._live_key(key, explicit=request_key is not None)
            if existing is not None:
                return self._existing(
                    existing, ticket_id, order["id"], reason, explicit=request_key
                )
            prior = self.store.order_returns(order["id"])
            verdict = evaluate(
                req, order, order["lines"], {}, now, prior, role=self.desk.agent.role
            )
            if not verdict.allowed:
                raise _refusal(verdict)
            status = "awaiting_approval" if verdict.needs_approval else "approved"
            return_id = self._insert(
                work, key, ticket, order, "compensation", reason, verdict, [], None, status
            )
            if return_id is None:
                existing = self.store.return_by_key(key)
                assert existing is not None
                return self._result(existing, created=False)
            unit = "积分" if kind == "points" else "元优惠券"
            payload = {
                "return_id": return_id,
                "kind": "compensation",
                "resolution": kind,
                "amount": verdict.amount,
                "amount_unit": verdict.amount_unit,
                "reason": reason,
                "note": (note or "").strip() or None,
                "order": order["id"],
                "customer_id": ticket.get("customer_id"),
                "coupon_code": coupon_code(return_id) if kind == "coupon" else None,
                "status": status,
                "lines": [],
                "subject": f"compensation {return_id} {order['id']} {verdict.amount:g} {unit}",
                "content": "\n".join(verdict.reasons),
            }
            # the same op kind as a return: the backend records it as a Returns-queue ticket
            op_id = work.enqueue("create_return", ticket, payload)
            self.store.set_return_op(return_id, op_id)
            if status == "approved":
                self._credit(work, ticket, kind, verdict.amount)
            self._touch_ticket(work, ticket, "compensation", status)
            work.audit(
                "compensate",
                ticket["id"],
                {
                    **payload,
                    "op_id": op_id,
                    "within_policy": verdict.within_policy,
                    "request_key": key,
                },
            )
        row = self.store.return_by_key(key)
        assert row is not None
        return self._result(row, created=True)

    def approve(self, return_id: str, note: str = "") -> ReturnResult:
        """A supervisor approves a waiting request. Approving an approved one changes nothing."""
        return self._decide(return_id, "approved", note)

    def decline(self, return_id: str, note: str) -> ReturnResult:
        """A supervisor declines a waiting request, with a reason; its lines are free again."""
        if not (note or "").strip():
            raise DeskError("err.decline_needs_note", cli_hint="--note")
        return self._decide(return_id, "declined", note)

    def reply_script(self, return_id: str) -> ReplyScript:
        """The confirmation script(s) for a filed request and their placeholder values
        (return number, amount, product, batch, deadline...)."""
        result = self.get(return_id)
        ticket = self.desk.ticket(result.ticket_id)
        order = self.store.order(result.order_id) or {"lines": []}
        customer = self.store.customer(ticket["customer_id"]) if ticket.get("customer_id") else None
        by_id = {int(line["id"]): line for line in order["lines"]}
        picked = [
            by_id[int(item["line_id"])] for item in result.lines if int(item["line_id"]) in by_id
        ]
        row = self.store.return_row(return_id) or {}
        created = parse_iso(row.get("created_at") or to_iso(self.desk.now()))
        deadline = (created + timedelta(hours=number("return_close_hours"))).astimezone(SHOP_TZ)
        context: dict[str, Any] = {
            "agent_name": self.desk.agent.name,
            "ticket_no": str(ticket["id"]),
            "order_no": result.order_id,
            "return_no": result.return_id,
            "customer_name": customer["name"] if customer else None,
            "points": customer["points"] if customer else None,
            "tier": customer["tier"] if customer else None,
            "store": order.get("store"),
            "tracking_no": order.get("tracking_no"),
            "product": "、".join(line["product_name"] for line in picked) or None,
            "shade": "、".join(line["shade"] for line in picked if line.get("shade")) or None,
            "batch_no": row.get("batch_no"),
            **self._exchange_targets(result),
            "deadline": f"{deadline.month}月{deadline.day}日 {deadline:%H:%M}",
            "date": self.desk.now().astimezone(SHOP_TZ).strftime("%Y-%m-%d"),
        }
        if result.resolution == "refund":
            context["amount"] = f"{result.amount:.2f}"
        elif result.resolution == "coupon":
            context["amount"] = f"{result.amount:g}"
            context["coupon_code"] = coupon_code(result.return_id)
        context = {k: v for k, v in context.items() if v not in (None, "")}
        return ReplyScript(_scripts_for(result), context)

    def _exchange_targets(self, result: ReturnResult) -> dict[str, str]:
        """What the customer gets in exchange, so a confirmation states it instead of asking."""
        skus = [str(item["to_sku"]) for item in result.lines if item.get("to_sku")]
        if not skus:
            return {}
        products = self.store.products(skus)
        chosen = [products[sku] for sku in skus if sku in products]
        return {
            "to_product": "、".join(p["name"] for p in chosen),
            "to_shade": "、".join(p["shade"] for p in chosen if p.get("shade")),
        }

    # -- internals -----------------------------------------------------------------------

    def _order(self, ticket: dict[str, Any]) -> dict[str, Any]:
        if not ticket.get("order_id"):
            raise DeskError("err.ticket_no_order", ticket=ticket["id"])
        order = self.store.order(ticket["order_id"])
        if order is None:
            raise DeskError("err.order_not_cached", order=ticket["order_id"], ticket=ticket["id"])
        return order

    def _prepare(
        self,
        ticket_id: int,
        lines: Sequence[LineSpec],
        reason: str,
        resolution: str | None,
        batch_no: str | None,
        to_sku: str | None,
        photos: bool,
        goodwill: bool,
    ) -> tuple[
        dict[str, Any], dict[str, Any], list[dict[str, Any]], dict[str, dict[str, Any]], Request
    ]:
        if reason not in REASONS:
            raise DeskError("err.unknown_reason", reason=repr(reason), choices=tuple(REASONS))
        if resolution is not None and resolution not in RESOLUTIONS:
            raise DeskError(
                "err.unknown_resolution", resolution=repr(resolution), choices=tuple(RESOLUTIONS)
            )
        ticket = self.desk.ticket(ticket_id)
        order = self._order(ticket)
        order_lines = order["lines"]
        requests = [self._line_request(spec, order, to_sku) for spec in lines]
        skus = [line["sku"] for line in order_lines] + [r.to_sku for r in requests if r.to_sku]
        products = self.store.products(skus)
        req = Request(
            reason=reason,
            lines=tuple(requests),
            resolution=resolution,
            batch_no=(batch_no or "").strip() or None,
            photos=bool(photos),
            goodwill=bool(goodwill),
        )
        return ticket, order, order_lines, products, req

    def _line_request(
        self, spec: LineSpec, order: dict[str, Any], to_sku: str | None
    ) -> LineRequest:
        if isinstance(spec, LineRequest):
            return (
                spec if spec.to_sku or not to_sku else LineRequest(spec.line_id, spec.qty, to_sku)
            )
        sku, qty = spec[0], spec[1]
        target = spec[2] if len(spec) > 2 else None
        try:
            qty = int(qty)
        except (TypeError, ValueError):
            raise DeskError("err.qty_whole", sku=sku, qty=repr(qty)) from None
        for line in order["lines"]:
            if line["sku"] == sku:
                return LineRequest(int(line["id"]), qty, target or to_sku)
        on_order = tuple(line["sku"] for line in order["lines"]) or "-"
        raise DeskError("err.sku_not_among", sku=sku, order=order["id"], skus=on_order)

    def _live_key(self, key: str, explicit: bool) -> tuple[str, dict[str, Any] | None]:
        """The key to file under and the live return already holding it, if any. A declined
        return hands its default key on to the next generation (``key#2``, ``key#3``...)."""
        candidate, generation = key, 1
        while True:
            row = self.store.return_by_key(candidate)
            if row is None or explicit or row["status"] != "declined":
                return candidate, row
            generation += 1
            candidate = f"{key}#{generation}"

    def _existing(
        self,
        row: dict[str, Any],
        ticket_id: int,
        order_id: str,
        reason: str,
        explicit: str | None,
    ) -> ReturnResult:
        if explicit is not None and (
            int(row["ticket_id"]) != int(ticket_id)
            or row["order_id"] != order_id
            or row["reason"] != reason
        ):
            raise DeskError(
                "err.key_reused",
                key=repr(explicit),
                request=row["id"],
                ticket=row["ticket_id"],
                reason=Term("reason", row["reason"]),
            )
        return self._result(row, created=False)

    def _insert(
        self,
        work: UnitOfWork,
        key: str,
        ticket: dict[str, Any],
        order: dict[str, Any],
        kind: str,
        reason: str,
        verdict: Verdict,
        row_lines: list[dict[str, Any]],
        batch: str | None,
        status: str,
    ) -> str | None:
        """Insert the row; None when the UNIQUE request_key says it already exists."""
        day = work.now.astimezone(SHOP_TZ).strftime("%Y%m%d")
        prefix = f"RMA{day}-"
        return_id = f"{prefix}{self.store.last_return_number(prefix) + 1:04d}"
        inserted = self.store.insert_return(
            {
                "id": return_id,
                "request_key": key,
                "ticket_id": ticket["id"],
                "order_id": order["id"],
                "kind": kind,
                "reason": reason,
                "resolution": verdict.resolution,
                "lines": row_lines,
                "amount": verdict.amount,
                "batch_no": batch,
                "verdict": verdict.to_dict(),
                "status": status,
                "approved_by": self.desk.agent.id if status == "approved" else None,
                "created_by": self.desk.agent.id,
                "created_at": work.stamp,
                "updated_at": work.stamp,
            }
        )
        return return_id if inserted else None

    def _allergy_case(
        self,
        work: UnitOfWork,
        ticket: dict[str, Any],
        row_lines: list[dict[str, Any]],
        batch: str | None,
        symptoms: str | None,
        return_id: str,
        verdict: Verdict,
        status: str,
    ) -> int:
        text = (symptoms or "").strip()
        if not text:
            latest = self.store.latest_inbound_body(int(ticket["id"]))
            text = latest[:500] if latest else "(未记录症状)"
        return self.store.insert_allergy_case(
            {
                "ticket_id": ticket["id"],
                "customer_id": ticket.get("customer_id"),
                "sku": row_lines[0]["sku"] if row_lines else None,
                "batch_no": batch,
                "symptoms": text,
                "reported_at": work.stamp,
                "outcome": _outcome(verdict.resolution, status),
                "return_id": return_id,
            }
        )

    def _touch_ticket(
        self,
        work: UnitOfWork,
        ticket: dict[str, Any],
        kind: str,
        status: str,
        allergy: bool = False,
    ) -> None:
        """Tags and status: waiting for approval keeps the ticket open (in the queue); an
        approved return or exchange waits on the customer (pending, the SLA clock paused)."""
        tags = set(ticket.get("tags") or [])
        tags.add(_RETURN_TAGS[kind])
        if allergy:
            tags.add("allergy")
        if status == "awaiting_approval":
            tags.add(_AWAITING_TAG)
        else:
            tags.discard(_AWAITING_TAG)
        changes: dict[str, Any] = {"tags": sorted(tags)}
        if allergy:
            changes["allergy"] = 1
        self._update(work, ticket, changes, _ticket_status_for(kind, status))

    def _update(
        self,
        work: UnitOfWork,
        ticket: dict[str, Any],
        changes: dict[str, Any],
        status: str | None,
    ) -> None:
        """Write ``changes`` and, when the request moves the ticket between open and pending
        (keeping the SLA clock's paused time), queue that status change for the backend as its
        own op (it concerns the support ticket, not the Returns one). The action's audit row
        says so (``ticket_status``)."""
        old = ticket["status"]
        if status is not None and old != status and old in ("open", "pending"):
            changes.update(self.desk.status_changes(ticket, status, work.now))
            work.update_ticket(ticket, changes)
            work.enqueue("set_status", ticket, {"status": status, "from": old})
            return
        work.update_ticket(ticket, changes)

    def _credit(self, work: UnitOfWork, ticket: dict[str, Any], kind: str, amount: float) -> None:
        if kind == "points" and ticket.get("customer_id"):
            self.store.credit_points(ticket["customer_id"], int(amount), work.stamp)

    def _decide(self, return_id: str, decision: str, note: str) -> ReturnResult:
        if not self.desk.can_approve:
            raise DeskError(
                "err.supervisor_only",
                action=Term("can", "approve" if decision == "approved" else "decline"),
                agent=self.desk.agent.id,
                role=Term("role", self.desk.agent.role),
            )
        note = (note or "").strip()
        action = "approve_return" if decision == "approved" else "decline_return"
        with self.desk.work() as work:
            self.desk.check_role_on_record(roles.can_approve, "decide_returns")
            row = self.store.return_row(return_id)
            if row is None:
                raise DeskError("err.no_return", request=return_id)
            if row["status"] == decision:
                return self._result(row, created=False)
            if row["created_by"] == self.desk.agent.id:
                raise DeskError("err.own_request", request=return_id, agent=self.desk.agent.id)
            if row["status"] != "awaiting_approval":
                raise DeskError(
                    "err.not_awaiting", request=return_id, status=Term("rstatus", row["status"])
                )
            ticket = work.ticket(int(row["ticket_id"]))
            if not self.store.decide_return(
                return_id, decision, self.desk.agent.id, note or None, work.stamp
            ):
                raise DeskError("err.decided_meanwhile", request=return_id)
            op_id = work.enqueue(
                action,
                ticket,
                {
                    "return_id": return_id,
                    "decision": decision,
                    "note": note or None,
                    "create_op_id": row["op_id"],
                    "kind": row["kind"],
                    "resolution": row["resolution"],
                    "amount": row["amount"],
                },
            )
            self.store.set_allergy_outcome(return_id, _outcome(row["resolution"], decision))
            if decision == "approved" and row["kind"] == "compensation":
                self._credit(work, ticket, row["resolution"], float(row["amount"]))
            still_waiting = self.store.awaiting_count(int(ticket["id"]))
            tags = set(ticket.get("tags") or [])
            if not still_waiting:
                tags.discard(_AWAITING_TAG)
            status = None
            if decision == "approved" and row["kind"] != "compensation" and not still_waiting:
                status = "pending"
            self._update(work, ticket, {"tags": sorted(tags)}, status)
            work.audit(
                action,
                int(ticket["id"]),
                {
                    "return_id": return_id,
                    "note": note or None,
                    "op_id": op_id,
                    "amount": row["amount"],
                },
            )
        updated = self.store.return_row(return_id)
        assert updated is not None
        return self._result(updated, created=False)

    def _result(
        self, row: dict[str, Any], created: bool, allergy_case_id: int | None = None
    ) -> ReturnResult:
        if allergy_case_id is None and row["reason"] == "allergy":
            allergy_case_id = self.store.allergy_case_of(row["id"])
        verdict = row["verdict"]
        return ReturnResult(
            return_id=row["id"],
            status=row["status"],
            kind=row["kind"],
            reason=row["reason"],
            resolution=row["resolution"],
            amount=float(row["amount"]),
            op_id=row["op_id"],
            ticket_id=int(row["ticket_id"]),
            order_id=row["order_id"],
            request_key=row["request_key"],
            verdict=Verdict.from_dict(verdict) if isinstance(verdict, dict) else _bare_verdict(row),
            lines=tuple(row["lines"] or ()),
            created=created,
            allergy_case_id=allergy_case_id,
            approved_by=row.get("approved_by"),
            approval_note=row.get("approval_note"),
        )


# -- helpers -----------------------------------------------------------------------------


def _ticket_status_for(kind: str, status: str) -> str | None:
    """Where a filed request leaves its ticket: open while it waits for a supervisor, waiting
    on the customer once a return or exchange is approved; compensation leaves it as it is."""
    if status == "awaiting_approval":
        return "open"
    if status == "approved" and kind != "compensation":
        return "pending"
    return None


def coupon_code(return_id: str) -> str:
    """A coupon code derived from the compensation's number (the same on every device)."""
    return "CP" + hashlib.sha256(return_id.encode()).hexdigest()[:8].upper()


def _refusal(verdict: Verdict) -> DeskError:
    """Why a request was refused: the blocking problems first, then the rule's own reasons."""
    said = list(verdict.problems) + [r for r in verdict.reasons if r not in verdict.problems]
    return DeskError(
        "err.refused",
        reason=Term("reason", verdict.reason),
        code=verdict.reason,
        said=tuple(said),
    )


def _outcome(resolution: str | None, status: str) -> str:
    return f"{resolution or '-'}: {status}"


def _batch_of(
    order_lines: Sequence[Mapping[str, Any]], row_lines: Sequence[Mapping[str, Any]]
) -> str | None:
    by_id = {int(line["id"]): line for line in order_lines}
    batches = sorted(
        {
            by_id[int(item["line_id"])].get("batch_no") or ""
            for item in row_lines
            if int(item["line_id"]) in by_id
        }
        - {""}
    )
    return ",".join(batches) or None


def _create_payload(
    return_id: str,
    kind: str,
    reason: str,
    verdict: Verdict,
    order: Mapping[str, Any],
    row_lines: Sequence[Mapping[str, Any]],
    batch: str | None,
    status: str,
) -> dict[str, Any]:
    """The create_return op: the fields of sync's ReturnRequest plus the lines and status."""
    skus = ",".join(str(item["sku"]) for item in row_lines)
    qty = sum(int(item["qty"]) for item in row_lines)
    return {
        "return_id": return_id,
        "kind": kind,
        "order": order["id"],
        "sku": skus,
        "qty": qty,
        "reason": reason,
        "resolution": verdict.resolution,
        "batch": batch or "",
        "amount": f"{verdict.amount:.2f}",
        "status": status,
        "lines": list(row_lines),
        "subject": f"{kind} {return_id} {order['id']} {skus} x{qty}",
        "content": "\n".join(verdict.reasons),
    }


def _bare_verdict(row: Mapping[str, Any]) -> Verdict:
    return Verdict(
        reason=row["reason"],
        allowed=True,
        within_policy=True,
        resolution=row["resolution"],
        options=(row["resolution"],),
        amount=float(row["amount"]),
        amount_unit="points" if row["resolution"] == "points" else "yuan",
        reasons=("(no stored verdict)",),
    )


_SCRIPTS: Mapping[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("unopened", "refund"): (("return-unopened", "期限内同意退货"),),
    ("quality", "refund"): (("return-opened", "质量问题已办退款"),),
    ("quality", "exchange"): (("return-opened", "质量问题已办换货"),),
    ("damaged", "reissue"): (("damaged-or-leaking-parcel", "已安排补发"),),
    ("damaged", "refund"): (("damaged-or-leaking-parcel", "期限内补发或退款"),),
    ("wrong_shade", "exchange"): (("exchange-wrong-shade", "同意免费换色"),),
    ("wrong_item", "exchange"): (("wrong-or-missing-item", "发错换货"),),
    ("missing_item", "reissue"): (("wrong-or-missing-item", "漏发补发"),),
    ("size", "exchange"): (("clothing-size-exchange", "可以换"),),
    ("faulty", "refund"): (("electronics-fault-return", "期限内退换"),),
    ("faulty", "exchange"): (("electronics-fault-return", "期限内退换"),),
    ("faulty", "repair"): (("electronics-fault-return", "超过换货期走保修"),),
    ("delay", "points"): (("delivery-delay", "延误补偿（积分）"),),
    ("delay", "coupon"): (("delivery-delay", "延误补偿（优惠券）"),),
}


def _scripts_for(result: ReturnResult) -> tuple[tuple[str, str], ...]:
    """The published scripts that confirm this request (see ReplyScript)."""
    verdict = result.verdict
    if result.reason == "allergy":
        follow = "期限内提供退款或换货" if verdict.within_policy else "超过反馈期限"
        return (
            ("allergy-case-record", "登记完成告知"),
            ("allergy-reaction-handling", follow),
        )
    if result.status != "approved" or not verdict.within_policy:
        return ()
    if result.reason == "unopened" and result.resolution == "exchange":
        # the script for an exchange after the no-reason return window
        if "refund" not in verdict.options:
            return (("return-unopened", "超过退货期但可换货"),)
        return ()
    return _SCRIPTS.get((result.reason, result.resolution), ())
