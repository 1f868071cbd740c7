"""Domain constants shared by the demo, triage routing and the console."""

from __future__ import annotations

#: knowledge-base topic slug -> ticket category (the kb-topics sections)
TOPIC_CATEGORY: dict[str, str] = {
    "ingredient-alcohol": "pre-sale",
    "ingredient-preservatives": "pre-sale",
    "ingredient-fragrance-allergens": "pre-sale",
    "full-ingredient-list": "pre-sale",
    "safety-certification": "pre-sale",
    "sensitive-skin-patch-test": "pre-sale",
    "skin-type-oily": "pre-sale",
    "skin-type-dry": "pre-sale",
    "skin-type-combination": "pre-sale",
    "usage-order-layering": "pre-sale",
    "eye-area-usage": "pre-sale",
    "active-ingredient-conflicts": "pre-sale",
    "results-timeline": "pre-sale",
    "sunscreen-reapply": "pre-sale",
    "summer-sun-care": "pre-sale",
    "winter-moisture-repair": "pre-sale",
    "foundation-shade-matching": "pre-sale",
    "authenticity-check": "pre-sale",
    "shelf-life-batch-code": "pre-sale",
    "pregnancy-safety": "pre-sale",
    "trial-size-samples": "pre-sale",
    "allergy-reaction-handling": "after-sale",
    "allergy-case-record": "after-sale",
    "return-unopened": "after-sale",
    "return-opened": "after-sale",
    "exchange-wrong-shade": "after-sale",
    "damaged-or-leaking-parcel": "after-sale",
    "delivery-delay": "after-sale",
    "lost-parcel": "after-sale",
    "refund-timeline": "after-sale",
    "return-shipping-cost": "after-sale",
    "not-as-advertised": "after-sale",
    "price-drop-after-purchase": "after-sale",
    "wrong-or-missing-item": "after-sale",
    "invoice-request": "after-sale",
    "cancel-or-change-order": "after-sale",
    "payment-failed": "systems",
    "duplicate-order": "systems",
    "points-not-credited": "systems",
    "product-page-not-loading": "systems",
    "coupon-not-working": "systems",
    "points-redemption": "membership",
    "membership-tier-upgrade": "membership",
    "birthday-benefits": "membership",
    "vip-services": "membership",
    "points-expiry": "membership",
    "parking-fee": "mall",
    "nursing-room": "mall",
    "lost-and-found": "mall",
    "large-item-pickup": "mall",
    "checkout-dispute": "mall",
    "electronics-fault-return": "mall",
    "clothing-size-exchange": "mall",
    "gift-wrapping": "mall",
    "accessibility-services": "mall",
    "play-area-safety": "mall",
    "tax-free-shopping": "mall",
    "opening-hours": "mall",
    "complaint-escalation": "complaint",
    "follow-up-callback": "complaint",
    "staff-attitude-complaint": "complaint",
    "regulator-or-media-threat": "complaint",
    "personal-data-request": "complaint",
}

CATEGORIES = ("pre-sale", "after-sale", "systems", "membership", "mall", "complaint")

#: topics whose tickets concern a specific order (the demo links an order to them)
ORDER_TOPICS = frozenset(
    slug for slug, category in TOPIC_CATEGORY.items() if category in ("after-sale", "systems")
) | {
    "electronics-fault-return",
    "clothing-size-exchange",
    "points-not-credited",
    "checkout-dispute",
}

CHANNELS = ("chat", "wechat", "app", "email", "phone", "desk", "social")
SKILL_GROUPS = {
    "pre-sale": "presale",
    "after-sale": "aftersale",
    "systems": "aftersale",
    "membership": "vip",
    "mall": "mall",
    "complaint": "aftersale",
}
