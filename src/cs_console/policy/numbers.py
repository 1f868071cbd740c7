"""The shop's policy numbers: the one place that holds them.

The policy engine reads these values, and knowledge-base articles and reply scripts quote them
through ``{{policy.<name>}}`` placeholders that the loader fills in, so an article can never
disagree with the rules the console applies. Change a number here and both follow.
"""

from __future__ import annotations

from types import MappingProxyType

_NUMBERS: dict[str, int] = {
    # Returns and exchanges (cosmetics, online and counter)
    "return_unopened_days": 7,  # unopened, seal intact: no-reason return, days after delivery
    "exchange_unopened_days": 15,  # unopened: exchange for another item, days after delivery
    "quality_issue_days": 30,  # opened but faulty (quality problem): return or exchange window
    "allergy_report_days": 30,  # allergic reaction reported within this many days of delivery
    "damage_report_hours": 48,  # damaged or leaking parcel: report within this many hours
    "wrong_item_report_days": 7,  # wrong or missing item: report within this many days
    "shade_exchange_days": 15,  # wrong shade: one free exchange within this many days
    "shade_free_exchanges": 1,  # free shade exchanges per order line
    "return_close_hours": 48,  # returns and exchanges are closed within this many hours
    # Refunds
    "refund_wallet_workdays": 3,  # Alipay / WeChat Pay: refund arrives within N working days
    "refund_card_workdays": 7,  # bank cards: refund arrives within N working days
    "refund_after_receipt_hours": 24,  # refund issued within N hours of the warehouse receiving it
    "return_shipping_reimburse_yuan": 12,  # no-reason returns: shipping reimbursed up to this
    "price_protect_days": 7,  # price drop within N days of purchase: difference refunded
    # Approval limits (refund amount in yuan an agent may approve alone)
    "trainee_refund_limit_yuan": 200,
    "agent_refund_limit_yuan": 1000,
    # Delivery delay compensation
    "delay_points_after_days": 2,  # late by more than N days past the promised date: points
    "delay_points": 200,
    "delay_coupon_after_days": 5,  # late by more than N days: a coupon instead
    "delay_coupon_yuan": 20,
    "lost_parcel_trace_hours": 72,  # tracking silent this long: treat as lost, reissue or refund
    # Membership
    "points_per_yuan": 1,  # points earned per yuan spent
    "points_per_yuan_redeemed": 100,  # points that make one yuan when redeemed
    "points_credit_hours": 48,  # points credited within N hours after receipt is confirmed
    "points_expiry_months": 24,  # points expire this many months after they are earned
    "tier_silver_spend_yuan": 1000,  # yearly spend to reach silver
    "tier_gold_spend_yuan": 3000,
    "tier_diamond_spend_yuan": 8000,
    "birthday_points_multiplier": 2,  # points multiplier in the birthday month
    # Orders, invoices, payments
    "invoice_issue_workdays": 3,  # electronic fapiao issued within N working days
    "invoice_request_days": 180,  # an invoice can be requested up to N days after purchase
    "payment_auto_refund_hours": 24,  # a charge without an order is refunded within N hours
    # Complaints and follow-up
    "complaint_accept_hours": 24,  # a complaint is acknowledged within N hours
    "complaint_investigate_workdays": 15,
    "complaint_resolve_workdays": 10,  # after the investigation
    "high_priority_complaint_hours": 24,  # high-priority complaints closed within N hours
    "followup_after_resolve_hours": 72,  # follow-up call after resolution
    "first_buyer_followup_days": 30,  # usage follow-up for first-time buyers
    "data_request_workdays": 15,  # personal-data access or deletion answered within N working days
    # Shopping-mall desk
    "mall_clothing_exchange_days": 15,  # clothes and shoes, unworn with tags
    "mall_electronics_return_days": 7,  # faulty electronics: return
    "mall_electronics_exchange_days": 15,  # faulty electronics: exchange
    "mall_electronics_warranty_months": 12,  # repair under warranty
    "parking_free_minutes": 30,
    "parking_purchase_free_hours": 2,  # free hours with a same-day purchase receipt
    "parking_purchase_min_yuan": 100,  # ... of at least this amount
    "parking_fee_per_hour_yuan": 5,
    "parking_daily_cap_yuan": 60,
    "lost_found_keep_days": 30,  # unclaimed lost property is kept this long
    "tax_refund_min_yuan": 500,  # tax-free shopping: minimum same-day spend per store
    "large_item_hold_days": 7,  # large items held at the desk for pickup this long
    "free_delivery_km": 10,  # free delivery of large items within this distance
    "opening_hour": 10,  # opening time, 24 h clock
    "closing_hour": 22,  # closing time, 24 h clock (Fri/Sat one hour later)
    # Service-metric targets (policy.metrics; shares in per mille: 965 is 96.5 %)
    "first_response_chat_seconds": 20,  # chat and phone: first reply within N seconds
    "first_response_text_seconds": 90,  # WeChat, app, social: first reply within N seconds
    "attainment_target_permille": 950,  # share of tickets within their time target
    "closure_rate_target_permille": 950,  # share of the period's tickets resolved or closed
    "fcr_target_permille": 890,  # first-contact resolution
    "csat_target_permille": 965,  # callbacks answered 4 or 5 (of 5)
    "repeat_complaint_max_permille": 12,  # complaints from a customer who complained lately
    "repeat_complaint_days": 30,  # ... within this many days before
    # Contact-centre service hours (chat and phone)
    "service_open_hour": 9,
    "service_close_hour": 22,
}

NUMBERS: MappingProxyType[str, int] = MappingProxyType(_NUMBERS)


def number(name: str) -> int:
    """One policy number by name; KeyError names the unknown key."""
    try:
        return NUMBERS[name]
    except KeyError:
        raise KeyError(f"unknown policy number: {name}") from None
