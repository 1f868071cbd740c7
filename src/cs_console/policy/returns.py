"""Return, exchange and compensation eligibility: pure rules, the clock passed in.

``evaluate(request, order, lines, products, now, prior_returns)`` answers one question: may this
request for these order lines be filed, under which resolution, for how much, and why. Every
verdict carries at least one human-readable reason (Chinese, for the agent), and each reason cites
the rule and its number by name from :mod:`cs_console.policy.numbers`, the same numbers the
knowledge-base articles quote through ``{{policy.*}}``. Nothing here reads a database or a clock.

Inputs are plain mappings, the shapes the store returns:

- ``order``: ``paid``, ``discount``, ``total``, ``placed_at``, ``delivered_at``, ``promised_at``,
  ``channel`` (UTC ISO-8601 text or aware datetimes);
- ``lines``: the order's lines: ``id``, ``sku``, ``qty``, ``unit_price``, ``batch_no``;
- ``products``: ``sku -> {sku, name, kind, line, shade, price, stock, returnable}``;
- ``prior_returns``: earlier requests on the same order: ``id``, ``status``, ``reason``,
  ``resolution``, ``amount``, ``lines`` (list or JSON text of ``{line_id, qty, to_sku}``).

Days are counted in calendar days in the shop's time zone (``SHOP_TZ``), from the day of delivery
(day 0); "within N days" means at most N days after it. Hours are exact.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from cs_console.policy.numbers import number
from cs_console.policy.roles import needs_approval, refund_limit
from cs_console.policy.said import Label, Said

__all__ = [
    "ACTIVE_STATUSES",
    "COMPENSATION_REASONS",
    "REQUEST_STATUSES",
    "RETURN_REASONS",
    "RETURN_RESOLUTIONS",
    "held_by_line",
    "reasons_for_kind",
    "REASONS",
    "RESOLUTIONS",
    "SHOP_TZ",
    "LineRequest",
    "LineVerdict",
    "Request",
    "Verdict",
    "evaluate",
    "kind_for",
    "line_net",
    "refund_for",
]

SHOP_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")  # China has no DST: a fixed offset is exact

#: reason code -> short Chinese label (the codes are stable: stored, synced and used by the CLI)
REASONS: Mapping[str, str] = {
    "unopened": "未拆封退换",
    "opened": "已拆封退换",
    "quality": "质量问题",
    "allergy": "过敏反应",
    "damaged": "到货破损或漏液",
    "wrong_shade": "色号选错",
    "wrong_item": "发错货",
    "missing_item": "漏发",
    "size": "尺码不合适",
    "faulty": "电子产品故障",
    "delay": "配送延误",
    "goodwill": "政策外补偿",
}
#: reasons that compensate (points or coupon) rather than return goods
COMPENSATION_REASONS = frozenset({"delay", "goodwill"})

#: resolution code -> Chinese label
RESOLUTIONS: Mapping[str, str] = {
    "refund": "退款",
    "exchange": "换货",
    "reissue": "补发",
    "repair": "维修",
    "points": "积分补偿",
    "coupon": "优惠券补偿",
}

#: statuses of a request that still holds its order lines (a declined one releases them)
ACTIVE_STATUSES = ("awaiting_approval", "approved", "done")
#: every status a request can have
REQUEST_STATUSES = ("awaiting_approval", "approved", "declined", "done")
#: reasons that return or exchange goods, and the resolutions they can have
RETURN_REASONS = tuple(code for code in REASONS if code not in COMPENSATION_REASONS)
RETURN_RESOLUTIONS = ("refund", "exchange", "reissue", "repair")


def reasons_for_kind(kind: str) -> list[str]:
    """Reason codes offered for a product kind, most common first."""
    common = ["damaged", "wrong_item", "missing_item"]
    if kind == "cosmetic":
        return ["unopened", "opened", "quality", "allergy", "wrong_shade", *common]
    if kind in ("clothing", "shoes"):
        return ["size", *common]
    if kind == "electronics":
        return ["faulty", *common]
    return common


def held_by_line(prior_returns: Iterable[Mapping[str, Any]]) -> dict[int, int]:
    """Quantity of each order line (by line id) that active requests hold."""
    held: dict[int, int] = {}
    for prior in _active(prior_returns):
        for held_line in _lines_of(prior):
            line_id = int(held_line["line_id"])
            held[line_id] = held.get(line_id, 0) + int(held_line["qty"])
    return held


#: the resolutions a reason can ever lead to, in order of preference (a goodwill exception may
#: ask for any of them; inside policy the rule narrows the list)
FULL_OPTIONS: Mapping[str, tuple[str, ...]] = {
    "unopened": ("refund", "exchange"),
    "opened": ("refund", "exchange"),
    "quality": ("refund", "exchange"),
    "allergy": ("refund", "exchange"),
    "damaged": ("reissue", "refund"),
    "wrong_shade": ("exchange",),
    "wrong_item": ("exchange", "refund"),
    "missing_item": ("reissue", "refund"),
    "size": ("exchange",),
    "faulty": ("refund", "exchange", "repair"),
    "delay": ("points", "coupon"),
    "goodwill": ("points", "coupon"),
}

#: product kinds each reason applies to, and the article whose scripts the agent uses
_KINDS: Mapping[str, frozenset[str]] = {
    "unopened": frozenset({"cosmetic"}),
    "opened": frozenset({"cosmetic"}),
    "quality": frozenset({"cosmetic"}),
    "allergy": frozenset({"cosmetic"}),
    "wrong_shade": frozenset({"cosmetic"}),
    "size": frozenset({"clothing", "shoes"}),
    "faulty": frozenset({"electronics"}),
}
ARTICLES: Mapping[str, str] = {
    "unopened": "return-unopened",
    "opened": "return-opened",
    "quality": "return-opened",
    "allergy": "allergy-reaction-handling",
    "damaged": "damaged-or-leaking-parcel",
    "wrong_shade": "exchange-wrong-shade",
    "wrong_item": "wrong-or-missing-item",
    "missing_item": "wrong-or-missing-item",
    "size": "clothing-size-exchange",
    "faulty": "electronics-fault-return",
    "delay": "delivery-delay",
    "goodwill": "complaint-escalation",
}
_IN_STORE_CHANNELS = frozenset({"store-counter", "mall-desk"})
_CENT = 0.005

ALLERGY_ADVICE = (
    Said("allergy.advice.stop"),
    Said("allergy.advice.rinse"),
    Said("allergy.advice.doctor"),
)


# -- inputs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineRequest:
    """One order line to return or exchange: its id, how many, and the exchange target."""

    line_id: int
    qty: int
    to_sku: str | None = None


@dataclass(frozen=True)
class Request:
    """What the agent asks for. ``resolution=None`` takes the policy's first option.

    ``amount`` is used only for compensation (points or coupon yuan); refunds are computed.
    ``goodwill`` asks for an exception outside policy: allowed, but a supervisor must approve.
    """

    reason: str
    lines: tuple[LineRequest, ...] = ()
    resolution: str | None = None
    batch_no: str | None = None
    photos: bool = False
    goodwill: bool = False
    amount: float | None = None


# -- output ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineVerdict:
    line_id: int
    sku: str
    qty: int
    amount: float  # refund for this line (0 unless the resolution is a refund)
    to_sku: str | None = None  # exchange / reissue target


@dataclass(frozen=True)
class Verdict:
    """The answer for one request.

    ``allowed``: it may be filed now (possibly waiting for a supervisor, see ``flags``).
    ``within_policy``: it fits the published rules; a goodwill exception is allowed but not
    within policy. ``problems`` are the reasons it is not allowed (also listed in ``reasons``).
    ``required`` is the evidence the rule demands and ``missing`` what is not yet given.
    ``checks`` are conditions the agent verifies in person (seal intact, tags on, ...).
    ``amount`` is in ``amount_unit`` (yuan, or points for a points compensation).
    """

    reason: str
    allowed: bool
    within_policy: bool
    resolution: str | None
    options: tuple[str, ...]
    amount: float
    amount_unit: str
    reasons: tuple[str, ...]
    problems: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    advice: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    lines: tuple[LineVerdict, ...] = ()
    article: str | None = None

    @property
    def needs_approval(self) -> bool:
        return "supervisor_approval" in self.flags

    @property
    def amount_yuan(self) -> float:
        """The amount's value in yuan (points converted at the redemption rate)."""
        if self.amount_unit == "points":
            return round(self.amount / number("points_per_yuan_redeemed"), 2)
        return self.amount

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, tuple):
                data[key] = list(value)
        data["lines"] = [asdict(line) for line in self.lines]
        # the key and parameters of each sentence, so a stored verdict can be read in any language
        data["said"] = {
            text: text.to_json()
            for name in _SAID_FIELDS
            for text in getattr(self, name)
            if isinstance(text, Said)
        }
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Verdict:
        known = {f for f in cls.__dataclass_fields__}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue
            if key == "lines":
                value = tuple(LineVerdict(**line) for line in value)
            elif key in _SAID_FIELDS:
                value = tuple(_said(text, data.get("said") or {}) for text in value)
            elif isinstance(value, list):
                value = tuple(value)
            values[key] = value
        return cls(**values)


_SAID_FIELDS = ("reasons", "problems", "checks", "advice")


def _said(text: str, said: Mapping[str, Any]) -> str:
    """A stored sentence with its key again, when the stored verdict kept it."""
    try:
        return Said.from_json(said[text]) if text in said else text
    except (KeyError, TypeError, ValueError, IndexError):
        return text  # a verdict stored by an older version: the Chinese text as it was


def kind_for(reason: str, resolution: str | None) -> str:
    """The ``returns.kind`` a request is filed as: return, exchange or compensation."""
    if reason in COMPENSATION_REASONS or resolution in ("points", "coupon"):
        return "compensation"
    return "exchange" if resolution == "exchange" else "return"


# -- the engine --------------------------------------------------------------------------


@dataclass
class _Draft:
    """A verdict under construction."""

    reason: str
    within: bool = True
    options: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    required: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    def say(self, text: str) -> None:
        if text not in self.reasons:
            self.reasons.append(text)

    def outside(self, text: str) -> None:
        self.within = False
        self.say(text)

    def block(self, text: str) -> None:
        self.problems.append(text)
        self.say(text)

    def need(self, what: str, given: bool, text: str) -> None:
        if what not in self.required:
            self.required.append(what)
        if not given and what not in self.missing:
            self.missing.append(what)
            self.block(text)

    def flag(self, name: str) -> None:
        if name not in self.flags:
            self.flags.append(name)


def _rule(name: str) -> str:
    return f"[{name}={number(name)}]"


def _when(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _local_day(moment: datetime) -> date:
    return moment.astimezone(SHOP_TZ).date()


def _days_between(start: datetime, now: datetime) -> int:
    """Calendar days from ``start`` to ``now`` in the shop's time zone (the start day is 0)."""
    return (_local_day(now) - _local_day(start)).days


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(f"cannot add {months} months to {day}")  # pragma: no cover


def _lines_of(prior: Mapping[str, Any]) -> list[dict[str, Any]]:
    lines = prior.get("lines") or []
    if isinstance(lines, str):
        lines = json.loads(lines)
    return [dict(line) for line in lines]


def _active(prior_returns: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [p for p in prior_returns if p.get("status") in ACTIVE_STATUSES]


def _yuan(value: float) -> str:
    return f"{value:.2f}"


def _money(value: float) -> float:
    return round(value + 1e-9, 2)


def line_net(
    line: Mapping[str, Any], all_lines: Sequence[Mapping[str, Any]], order: Mapping[str, Any]
) -> float:
    """What the customer paid for a whole line: its price times quantity less its pro-rata
    share of the order-level discount (share = discount x line total / sum of line totals)."""
    gross = float(line["unit_price"]) * int(line["qty"])
    totals = sum(float(x["unit_price"]) * int(x["qty"]) for x in all_lines)
    discount = max(0.0, float(order.get("discount") or 0.0))
    share = discount * gross / totals if totals > 0 else 0.0
    return max(0.0, gross - share)


def refund_for(
    line: Mapping[str, Any],
    all_lines: Sequence[Mapping[str, Any]],
    order: Mapping[str, Any],
    qty: int,
    already_refunded_qty: int,
) -> float:
    """Refund for ``qty`` more units of a line after ``already_refunded_qty`` were refunded.

    Computed as the difference of two rounded cumulative shares, so any sequence of partial
    refunds of a line adds up to exactly its rounded net price, never a cent more.
    """
    net = line_net(line, all_lines, order)
    bought = int(line["qty"])
    before = _money(net * already_refunded_qty / bought)
    after = _money(net * min(bought, already_refunded_qty + qty) / bought)
    return max(0.0, _money(after - before))


def evaluate(
    request: Request,
    order: Mapping[str, Any],
    lines: Sequence[Mapping[str, Any]],
    products: Mapping[str, Mapping[str, Any]],
    now: datetime,
    prior_returns: Sequence[Mapping[str, Any]] = (),
    *,
    role: str | None = None,
) -> Verdict:
    """The verdict for ``request`` on ``order``; see the module docstring for the inputs.

    With ``role`` (trainee, agent, supervisor) the verdict also says whether the amount is above
    that role's refund limit and so needs a supervisor's approval.
    """
    reason = request.reason
    draft = _Draft(reason)
    if reason not in REASONS:
        draft.block(Said("unknown_reason", reason=repr(reason), choices=tuple(REASONS)))
        return _finish(draft, request, (), order, 0.0, "yuan", role)
    if reason in COMPENSATION_REASONS:
        return _compensation(draft, request, order, now, prior_returns, role)
    if request.resolution is not None and request.resolution not in RESOLUTIONS:
        draft.block(
            Said(
                "unknown_resolution",
                resolution=repr(request.resolution),
                choices=tuple(RESOLUTIONS),
            )
        )
    by_id = {int(line["id"]): line for line in lines}
    active = _active(prior_returns)
    chosen = _check_lines(draft, request, by_id, products, active)
    start = _start(order)
    if start is None:
        draft.outside(Said("not_delivered"))
        options: list[str] = []
    else:
        days = _days_between(start, now)
        if days < 0:
            draft.block(Said("delivered_later"))
            days = 0
        case = _Case(request, order, start, days, now, chosen, products, active)
        options = _RULES[reason](draft, case)
    kinds = {str(products[line["sku"]]["kind"]) for line, _ in chosen if line["sku"] in products}
    allowed_kinds = _KINDS.get(reason)
    if allowed_kinds is not None:
        for kind in sorted(kinds - allowed_kinds):
            suggest = kind if kind in ("clothing", "shoes", "electronics", "cosmetic") else "other"
            draft.outside(
                Said(
                    "wrong_kind",
                    reason=Label("reason", reason),
                    code=reason,
                    kind=Label("kind", kind),
                    kind_code=kind,
                    suggest=Said(f"suggest.{suggest}"),
                )
            )
    if reason == "unopened":
        for line, _ in chosen:
            product = products.get(line["sku"])
            if product is not None and not int(product.get("returnable", 1)):
                draft.outside(Said("not_returnable", product=product.get("name") or line["sku"]))
    draft.options = list(options)
    resolution = _pick_resolution(draft, request)
    line_verdicts, amount = _amounts_and_targets(
        draft, request, reason, resolution, order, lines, chosen, products, active
    )
    return _finish(draft, request, line_verdicts, order, amount, "yuan", role, resolution)


def _start(order: Mapping[str, Any]) -> datetime | None:
    """When the return clock starts: delivery; a counter or mall-desk sale starts at purchase."""
    delivered = _when(order.get("delivered_at"))
    if delivered is not None:
        return delivered
    if order.get("channel") in _IN_STORE_CHANNELS:
        return _when(order.get("placed_at"))
    return None


def _check_lines(
    draft: _Draft,
    request: Request,
    by_id: Mapping[int, Mapping[str, Any]],
    products: Mapping[str, Mapping[str, Any]],
    active: Sequence[Mapping[str, Any]],
) -> list[tuple[Mapping[str, Any], LineRequest]]:
    """The requested lines that exist, with quantities checked against what remains."""
    if not request.lines:
        draft.block(Said("pick_lines"))
        return []
    held = held_by_line(active)
    holders: dict[int, list[str]] = {}
    for prior in active:
        for held_line in _lines_of(prior):
            holders.setdefault(int(held_line["line_id"]), []).append(str(prior.get("id") or "?"))
    chosen: list[tuple[Mapping[str, Any], LineRequest]] = []
    asked: dict[int, int] = {}
    for item in request.lines:
        line = by_id.get(int(item.line_id))
        if line is None:
            draft.block(Said("no_line", line=item.line_id))
            continue
        sku = line["sku"]
        if sku not in products:
            draft.block(Said("no_product", sku=sku))
            continue
        if int(item.qty) <= 0:
            draft.block(Said("qty_positive", sku=sku, qty=item.qty))
            continue
        bought = int(line["qty"])
        asked[line["id"]] = asked.get(line["id"], 0) + int(item.qty)
        remaining = bought - held.get(int(line["id"]), 0)
        if asked[line["id"]] > bought:
            draft.block(Said("qty_over_bought", sku=sku, bought=bought, asked=asked[line["id"]]))
            continue
        if asked[line["id"]] > remaining:
            who = "、".join(holders.get(int(line["id"]), []))
            draft.block(
                Said("qty_held", sku=sku, held=bought - remaining, who=who, left=max(0, remaining))
            )
            continue
        chosen.append((line, item))
    return chosen


@dataclass(frozen=True)
class _Case:
    """The facts a reason's rule looks at."""

    request: Request
    order: Mapping[str, Any]
    start: datetime  # when the clock started: delivery, or purchase at a counter
    days: int  # calendar days since ``start`` in the shop's time zone
    now: datetime
    chosen: Sequence[tuple[Mapping[str, Any], LineRequest]]  # requested lines that exist
    products: Mapping[str, Mapping[str, Any]]
    active: Sequence[Mapping[str, Any]]  # prior requests still holding lines


# -- one function per reason: say why, set evidence, return the options inside policy ----


def _unopened(draft: _Draft, case: _Case) -> list[str]:
    days = case.days
    ret, exch = number("return_unopened_days"), number("exchange_unopened_days")
    draft.checks.append(Said("unopened.check"))
    rules = f"{_rule('return_unopened_days')} {_rule('exchange_unopened_days')}"
    if days <= ret:
        draft.say(Said("unopened.within", ret=ret, exch=exch, days=days, rules=rules))
        draft.say(
            Said(
                "unopened.shipping",
                yuan=number("return_shipping_reimburse_yuan"),
                rule=_rule("return_shipping_reimburse_yuan"),
            )
        )
        return ["refund", "exchange"]
    if days <= exch:
        draft.say(Said("unopened.exchange_only", ret=ret, exch=exch, days=days, rules=rules))
        return ["exchange"]
    draft.outside(Said("unopened.late", days=days, exch=exch, rule=_rule("exchange_unopened_days")))
    return []


def _opened(draft: _Draft, case: _Case) -> list[str]:
    draft.outside(
        Said(
            "opened",
            quality=number("quality_issue_days"),
            quality_rule=_rule("quality_issue_days"),
            allergy=number("allergy_report_days"),
            allergy_rule=_rule("allergy_report_days"),
            damage=number("damage_report_hours"),
        )
    )
    return []


def _quality(draft: _Draft, case: _Case) -> list[str]:
    days = case.days
    limit = number("quality_issue_days")
    draft.checks.append(Said("quality.check"))
    rule = _rule("quality_issue_days")
    if days <= limit:
        draft.say(Said("quality.within", limit=limit, days=days, rule=rule))
        return ["refund", "exchange"]
    draft.outside(Said("quality.late", days=days, limit=limit, rule=rule))
    return []


def _allergy(draft: _Draft, case: _Case) -> list[str]:
    request, days, chosen = case.request, case.days, case.chosen
    limit = number("allergy_report_days")
    draft.flag("allergy_case")
    draft.advice.extend(ALLERGY_ADVICE)
    draft.say(Said("allergy.first"))
    draft.need("batch_no", bool((request.batch_no or "").strip()), Said("allergy.batch_needed"))
    if request.batch_no:
        for line, _ in chosen:
            recorded = (line.get("batch_no") or "").strip()
            if recorded and recorded.upper() != request.batch_no.strip().upper():
                draft.say(
                    Said(
                        "allergy.batch_mismatch",
                        given=request.batch_no,
                        recorded=recorded,
                        sku=line["sku"],
                    )
                )
    draft.checks.append(Said("allergy.check"))
    rule = _rule("allergy_report_days")
    if days <= limit:
        draft.say(Said("allergy.within", limit=limit, days=days, rule=rule))
        return ["refund", "exchange"]
    draft.outside(Said("allergy.late", days=days, limit=limit, rule=rule))
    return []


def _damaged(draft: _Draft, case: _Case) -> list[str]:
    request, now, start = case.request, case.now, case.start
    limit = number("damage_report_hours")
    draft.flag("carrier_claim")
    draft.need("photos", request.photos, Said("damaged.photos"))
    hours = (now - start).total_seconds() / 3600
    rule = _rule("damage_report_hours")
    if hours <= limit:
        draft.say(Said("damaged.within", limit=limit, hours=f"{hours:.0f}", rule=rule))
        return ["reissue", "refund"]
    draft.outside(
        Said(
            "damaged.late",
            hours=f"{hours:.0f}",
            limit=limit,
            rule=rule,
            quality=number("quality_issue_days"),
            quality_rule=_rule("quality_issue_days"),
        )
    )
    return []


def _wrong_shade(draft: _Draft, case: _Case) -> list[str]:
    days, chosen, products, active = case.days, case.chosen, case.products, case.active
    limit, free = number("shade_exchange_days"), number("shade_free_exchanges")
    options: list[str] = ["exchange"]
    if days <= limit:
        rules = f"{_rule('shade_exchange_days')} {_rule('shade_free_exchanges')}"
        draft.say(Said("shade.within", limit=limit, free=free, days=days, rules=rules))
    else:
        draft.outside(
            Said(
                "shade.late",
                days=days,
                limit=limit,
                rule=_rule("shade_exchange_days"),
                exch=number("exchange_unopened_days"),
                exch_rule=_rule("exchange_unopened_days"),
            )
        )
        options = []
    for line, _ in chosen:
        used = [
            p
            for p in active
            if p.get("reason") == "wrong_shade"
            and any(int(x["line_id"]) == int(line["id"]) for x in _lines_of(p))
        ]
        if len(used) >= free:
            draft.outside(
                Said(
                    "shade.used",
                    sku=line["sku"],
                    used=len(used),
                    ids=tuple(str(p.get("id")) for p in used),
                    free=free,
                    rule=_rule("shade_free_exchanges"),
                )
            )
            options = []
        product = products.get(line["sku"])
        if product is not None and not product.get("shade"):
            draft.outside(Said("shade.none", sku=line["sku"]))
            options = []
    return options


def _wrong_item(draft: _Draft, case: _Case) -> list[str]:
    return _wrong_or_missing(draft, case, "exchange")


def _missing_item(draft: _Draft, case: _Case) -> list[str]:
    return _wrong_or_missing(draft, case, "reissue")


def _wrong_or_missing(draft: _Draft, case: _Case, remedy: str) -> list[str]:
    days, chosen, products = case.days, case.chosen, case.products
    limit = number("wrong_item_report_days")
    what = Said(f"wrong.what.{remedy}")
    draft.checks.append(Said("wrong.check"))
    rule = _rule("wrong_item_report_days")
    if days > limit:
        draft.outside(Said("wrong.late", days=days, limit=limit, rule=rule))
        return []
    draft.say(Said("wrong.within", limit=limit, what=what, days=days, rule=rule))
    short = [
        line["sku"]
        for line, item in chosen
        if int((products.get(line["sku"]) or {}).get("stock") or 0) < item.qty
    ]
    if short:
        draft.say(Said("wrong.short", skus=tuple(short), remedy=Label("resolution", remedy)))
        return ["refund"]
    return [remedy]


def _size(draft: _Draft, case: _Case) -> list[str]:
    days = case.days
    limit = number("mall_clothing_exchange_days")
    draft.checks.append(Said("size.check"))
    rule = _rule("mall_clothing_exchange_days")
    if days <= limit:
        draft.say(Said("size.within", limit=limit, days=days, rule=rule))
        return ["exchange"]
    draft.outside(Said("size.late", days=days, limit=limit, rule=rule))
    return []


def _faulty(draft: _Draft, case: _Case) -> list[str]:
    days, now, start = case.days, case.now, case.start
    ret, exch = number("mall_electronics_return_days"), number("mall_electronics_exchange_days")
    months = number("mall_electronics_warranty_months")
    draft.checks.append(Said("faulty.check"))
    rules = (
        f"{_rule('mall_electronics_return_days')} {_rule('mall_electronics_exchange_days')} "
        f"{_rule('mall_electronics_warranty_months')}"
    )
    if days <= ret:
        draft.say(Said("faulty.return", ret=ret, exch=exch, months=months, days=days, rules=rules))
        return ["refund", "exchange", "repair"]
    if days <= exch:
        draft.say(
            Said("faulty.exchange", ret=ret, exch=exch, months=months, days=days, rules=rules)
        )
        return ["exchange", "repair"]
    if _local_day(now) <= _add_months(_local_day(start), months):
        draft.say(Said("faulty.repair", exch=exch, days=days, months=months, rules=rules))
        return ["repair"]
    draft.outside(
        Said("faulty.late", months=months, rule=_rule("mall_electronics_warranty_months"))
    )
    return []


_RULES: Mapping[str, Callable[[_Draft, _Case], list[str]]] = {
    "unopened": _unopened,
    "opened": _opened,
    "quality": _quality,
    "allergy": _allergy,
    "damaged": _damaged,
    "wrong_shade": _wrong_shade,
    "wrong_item": _wrong_item,
    "missing_item": _missing_item,
    "size": _size,
    "faulty": _faulty,
}


def _pick_resolution(draft: _Draft, request: Request) -> str | None:
    full = FULL_OPTIONS[draft.reason]
    wanted = request.resolution
    if wanted is not None and wanted not in RESOLUTIONS:
        return None
    if wanted is not None and wanted not in full:
        draft.block(
            Said(
                "resolution.not_for_reason",
                reason=Label("reason", draft.reason),
                code=draft.reason,
                wanted=Label("resolution", wanted),
                wanted_code=wanted,
                choices=tuple(full),
            )
        )
        return None
    if wanted is None:
        if draft.options:
            return draft.options[0]
        return full[0] if request.goodwill else None
    if draft.within and wanted not in draft.options:
        offered = tuple(
            Said("label_code", label=Label("resolution", o), code=o) for o in draft.options
        ) or Said("none")
        draft.outside(
            Said(
                "resolution.outside",
                offered=offered,
                wanted=Label("resolution", wanted),
                wanted_code=wanted,
            )
        )
    return wanted


def _amounts_and_targets(
    draft: _Draft,
    request: Request,
    reason: str,
    resolution: str | None,
    order: Mapping[str, Any],
    lines: Sequence[Mapping[str, Any]],
    chosen: Sequence[tuple[Mapping[str, Any], LineRequest]],
    products: Mapping[str, Mapping[str, Any]],
    active: Sequence[Mapping[str, Any]],
) -> tuple[tuple[LineVerdict, ...], float]:
    refunded_qty: dict[int, int] = {}
    refunded_total = 0.0
    for prior in active:
        if prior.get("resolution") != "refund":
            continue
        refunded_total += float(prior.get("amount") or 0.0)
        for refunded_line in _lines_of(prior):
            line_id = int(refunded_line["line_id"])
            refunded_qty[line_id] = refunded_qty.get(line_id, 0) + int(refunded_line["qty"])
    verdicts: list[LineVerdict] = []
    total = 0.0
    for line, item in chosen:
        amount = 0.0
        target: str | None = None
        if resolution == "refund":
            amount = refund_for(line, lines, order, item.qty, refunded_qty.get(int(line["id"]), 0))
            refunded_qty[int(line["id"])] = refunded_qty.get(int(line["id"]), 0) + item.qty
        elif resolution == "exchange":
            target = _check_target(draft, reason, line, item, products)
        elif resolution == "reissue":
            target = line["sku"]
            stock = int((products.get(target) or {}).get("stock") or 0)
            if stock < item.qty:
                draft.block(Said("reissue.stock", sku=target, qty=item.qty, stock=stock))
        verdicts.append(LineVerdict(int(line["id"]), line["sku"], item.qty, amount, target))
        total += amount
    total = _money(total)
    paid = float(order.get("paid") or 0.0)
    room = _money(max(0.0, paid - refunded_total))
    if resolution == "refund":
        if total > room:
            draft.say(
                Said(
                    "refund.capped",
                    paid=_yuan(paid),
                    refunded=_yuan(refunded_total),
                    room=_yuan(room),
                )
            )
            scale = room / total if total else 0.0
            verdicts = [replace(v, amount=_money(v.amount * scale)) for v in verdicts]
            total = min(room, _money(sum(v.amount for v in verdicts)))
        discount = float(order.get("discount") or 0.0)
        note = (
            Said("refund.discount_note", discount=_yuan(discount))
            if discount > 0
            else Said("empty")
        )
        draft.say(Said("refund.amount", total=_yuan(total), note=note))
    return tuple(verdicts), total


def _check_target(
    draft: _Draft,
    reason: str,
    line: Mapping[str, Any],
    item: LineRequest,
    products: Mapping[str, Mapping[str, Any]],
) -> str | None:
    """The exchange target: it exists, is in stock and keeps value."""
    original = products[line["sku"]]
    swap = reason in ("wrong_shade", "size")
    target_sku = item.to_sku
    if target_sku is None and reason in ("wrong_item", "faulty", "quality", "damaged"):
        target_sku = line["sku"]  # the item ordered, or a good one of the same
    if not target_sku:
        what = "shade" if reason == "wrong_shade" else ("size" if reason == "size" else "item")
        draft.need(
            "to_sku",
            False,
            Said("target.needed", sku=line["sku"], what=Said(f"target.what.{what}")),
        )
        return None
    target = products.get(target_sku)
    if target is None:
        draft.block(Said("target.unknown", sku=target_sku))
        return target_sku
    stock = int(target.get("stock") or 0)
    if stock < item.qty:
        draft.block(Said("target.stock", sku=target_sku, qty=item.qty, stock=stock))
    if swap:
        if target_sku == line["sku"]:
            what = "shade" if reason == "wrong_shade" else "size"
            draft.block(Said("target.same", sku=target_sku, what=Said(f"target.what.{what}")))
        elif (target.get("line") or None) != (original.get("line") or None) or target.get(
            "kind"
        ) != original.get("kind"):
            what = "shade" if reason == "wrong_shade" else "size"
            draft.block(
                Said(
                    "target.other_line",
                    what=Said(f"target.swap.{what}"),
                    target=target_sku,
                    sku=line["sku"],
                )
            )
        elif abs(float(target["price"]) - float(original["price"])) > _CENT:
            draft.block(
                Said(
                    "target.value_swap",
                    target=target_sku,
                    price=_yuan(float(target["price"])),
                    original=_yuan(float(original["price"])),
                )
            )
    elif (
        target_sku != line["sku"] and abs(float(target["price"]) - float(original["price"])) > _CENT
    ):
        draft.block(
            Said(
                "target.value",
                target=target_sku,
                price=_yuan(float(target["price"])),
                sku=line["sku"],
                original=_yuan(float(original["price"])),
            )
        )
    return target_sku


def _compensation(
    draft: _Draft,
    request: Request,
    order: Mapping[str, Any],
    now: datetime,
    prior_returns: Sequence[Mapping[str, Any]],
    role: str | None,
) -> Verdict:
    wanted = request.resolution
    if wanted is not None and wanted not in ("points", "coupon"):
        draft.block(Said("comp.kind", wanted=wanted))
        wanted = None
    if request.lines:
        draft.say(Said("comp.no_lines"))
    policy_amount = 0.0
    if draft.reason == "goodwill":
        draft.outside(Said("comp.goodwill"))
        draft.options = ["points", "coupon"]
    else:
        draft.options = _delay(draft, order, now)
        for prior in _active(prior_returns):
            if prior.get("reason") == "delay":
                draft.outside(Said("comp.delay_already", id=prior.get("id")))
                draft.options = []
    resolution = wanted or (
        draft.options[0] if draft.options else ("points" if request.goodwill else None)
    )
    if resolution is not None:
        policy_amount = float(
            number("delay_points") if resolution == "points" else number("delay_coupon_yuan")
        )
        if draft.reason == "delay" and draft.within and resolution not in draft.options:
            offered = tuple(Label("resolution", o) for o in draft.options) or Said("none")
            draft.outside(
                Said("comp.outside_kind", offered=offered, chosen=Label("resolution", resolution))
            )
    amount = float(request.amount) if request.amount is not None else policy_amount
    if request.amount is not None and request.amount <= 0:
        draft.block(Said("comp.positive", amount=request.amount))
    if resolution == "points" and amount != int(amount):
        draft.block(Said("comp.points_whole"))
    if draft.reason == "delay" and draft.within and amount > policy_amount:
        over = Said("unit.points" if resolution == "points" else "unit.yuan")
        draft.outside(
            Said("comp.over", amount=f"{amount:g}", unit=over, policy=f"{policy_amount:g}")
        )
    if draft.reason == "delay" and draft.within and resolution is not None:
        given = Said("unit.points" if resolution == "points" else "unit.coupon_yuan")
        draft.say(Said("comp.amount", amount=f"{amount:g}", unit=given))
    unit = "points" if resolution == "points" else "yuan"
    return _finish(draft, request, (), order, amount, unit, role, resolution)


def _delay(draft: _Draft, order: Mapping[str, Any], now: datetime) -> list[str]:
    promised = _when(order.get("promised_at"))
    points_after, coupon_after = (
        number("delay_points_after_days"),
        number("delay_coupon_after_days"),
    )
    rules = f"{_rule('delay_points_after_days')} {_rule('delay_points')} {_rule('delay_coupon_after_days')} {_rule('delay_coupon_yuan')}"
    if promised is None:
        draft.outside(Said("delay.no_promise"))
        return []
    arrived = _when(order.get("delivered_at")) or now
    late = arrived - promised
    late_days = late.total_seconds() / 86400
    state = Said("delay.state.arrived" if order.get("delivered_at") else "delay.state.not_arrived")
    late_text = f"{late_days:.1f}"
    if late > timedelta(days=coupon_after):
        draft.say(
            Said(
                "delay.coupon",
                late=late_text,
                state=state,
                after=coupon_after,
                yuan=number("delay_coupon_yuan"),
                rules=rules,
            )
        )
        return ["coupon"]
    if late > timedelta(days=points_after):
        draft.say(
            Said(
                "delay.points",
                late=late_text,
                state=state,
                after=points_after,
                points=number("delay_points"),
                rules=rules,
            )
        )
        return ["points"]
    if late <= timedelta(0):
        when = "delay.when.arrived_early" if order.get("delivered_at") else "delay.when.not_due"
        draft.outside(Said("delay.not_late", when=Said(when), rules=rules))
    else:
        draft.outside(Said("delay.too_little", late=late_text, after=points_after, rules=rules))
    return []


def _finish(
    draft: _Draft,
    request: Request,
    lines: tuple[LineVerdict, ...],
    order: Mapping[str, Any],
    amount: float,
    unit: str,
    role: str | None,
    resolution: str | None = None,
) -> Verdict:
    if resolution is None and draft.within and not draft.problems:
        draft.block(Said("no_resolution"))
    if not draft.within and not request.goodwill:
        draft.block(Said("outside_needs_goodwill"))
    allowed = not draft.problems and resolution is not None
    if allowed and not draft.within:
        draft.flag("supervisor_approval")
        draft.say(Said("goodwill_allowed"))
    if unit == "points":
        amount = int(round(amount))
    verdict = Verdict(
        reason=draft.reason,
        allowed=allowed,
        within_policy=draft.within,
        resolution=resolution,
        options=tuple(draft.options),
        amount=_money(amount) if unit == "yuan" else amount,
        amount_unit=unit,
        reasons=tuple(draft.reasons),
        problems=tuple(draft.problems),
        required=tuple(draft.required),
        missing=tuple(draft.missing),
        checks=tuple(draft.checks),
        advice=tuple(draft.advice),
        flags=tuple(draft.flags),
        lines=lines,
        article=ARTICLES.get(draft.reason),
    )
    if role is not None and allowed:
        verdict = _with_role(verdict, role)
    if not verdict.reasons:  # a verdict always says why
        verdict = replace(verdict, reasons=(Said("within"),))
    return verdict


def _with_role(verdict: Verdict, role: str) -> Verdict:
    if not needs_approval(role, verdict.amount_yuan, verdict.within_policy):
        return verdict
    reasons = list(verdict.reasons)
    flags = list(verdict.flags)
    if "supervisor_approval" not in flags:
        flags.append("supervisor_approval")
    limit = refund_limit(role)
    if verdict.within_policy and limit is not None:
        name = "trainee_refund_limit_yuan" if role == "trainee" else "agent_refund_limit_yuan"
        who = Said("who.trainee" if role == "trainee" else "who.agent")
        reasons.append(
            Said(
                "over_limit",
                amount=_yuan(verdict.amount_yuan),
                who=who,
                limit=f"{limit:g}",
                rule=_rule(name),
            )
        )
    return replace(verdict, flags=tuple(flags), reasons=tuple(reasons))
